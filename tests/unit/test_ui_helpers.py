"""The chat UI's pure helpers: model choices, feedback bodies, SSE lines, error reasons, turns."""

from __future__ import annotations

import socket

import httpx
import pytest

from pipelines.core.config import RecipeError, recipe_from_dict
from ui.api import (
    ApiClient,
    ApiError,
    error_reason,
    feedback_payload,
    model_choices,
    parse_sse_line,
)
from ui.chat import (
    api_messages,
    assistant_turn,
    correction_target,
    footer,
    like_index,
    rating_of,
    render,
    user_turn,
)

MODELS = {"object": "list", "data": [
    {"id": "base", "parent": None, "promoted": False},
    {"id": "sft-v1", "parent": "base", "promoted": False, "stage": "sft"},
    {"id": "cft-v2", "parent": "sft-v1", "promoted": True, "stage": "cft"},
    {"id": "domain", "parent": "cft-v2", "alias_of": "cft-v2", "promoted": False},
]}


def test_model_choices_mark_and_preselect_the_promoted_version():
    choices, default = model_choices(MODELS)
    assert choices == [("base", "base"), ("sft-v1", "sft-v1"), ("cft-v2 ★ promoted", "cft-v2"),
                       ("domain → cft-v2", "domain")]
    assert default == "cft-v2"


def test_model_choices_without_adapters_default_to_the_promoted_base():
    only_base = {"data": [{"id": "base", "promoted": True}, {"id": "domain", "alias_of": "base", "promoted": False}]}
    assert model_choices(only_base)[1] == "base"
    assert model_choices({"data": [{"id": "base"}, {"id": "domain", "alias_of": "base"}]})[1] == "domain"
    assert model_choices({"data": []}) == ([], "")


def test_feedback_payload():
    assert feedback_payload("chatcmpl-1", "good") == {"completion_id": "chatcmpl-1", "rating": "good"}
    assert feedback_payload("chatcmpl-1", "bad", "  Band 7.\n") == {
        "completion_id": "chatcmpl-1", "rating": "bad", "correction": "Band 7."}
    assert "correction" not in feedback_payload("chatcmpl-1", "bad", "   ")
    with pytest.raises(ValueError, match="good or bad"):
        feedback_payload("chatcmpl-1", "meh")  # type: ignore[arg-type]


def test_parse_sse_line():
    assert parse_sse_line('data: {"id": "c", "choices": []}') == {"id": "c", "choices": []}
    assert parse_sse_line("data: [DONE]") is None
    assert parse_sse_line("") is None and parse_sse_line(": keep-alive") is None


def test_error_reason_reads_openai_errors_and_falls_back_to_text():
    openai_shaped = httpx.Response(401, json={"error": {"message": "missing or wrong API key", "type": "x"}})
    assert error_reason(openai_shaped) == "HTTP 401: missing or wrong API key"
    assert error_reason(httpx.Response(502, text="Bad gateway from proxy")) == "HTTP 502: Bad gateway from proxy"
    assert error_reason(httpx.Response(500)) == "HTTP 500: Internal Server Error"


def _answered(text: str, cid: str, model: str = "sft-v1", rating=None):
    turn = assistant_turn()
    turn.update(text=text, id=cid, model=model, rating=rating)
    return turn


def test_turns_render_one_message_each_with_the_version_underneath():
    history = [user_turn("q1"), _answered("a1", "c1", rating="bad"), user_turn("q2"), _answered("a2", "c2", "base")]
    messages = render(history)
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]
    assert messages[1]["content"] == "a1\n\n<sub>version: sft-v1 · rated bad</sub>"
    assert api_messages([*history, assistant_turn()]) == [
        {"role": "user", "content": "q1"}, {"role": "assistant", "content": "a1"},
        {"role": "user", "content": "q2"}, {"role": "assistant", "content": "a2"}]
    assert footer(assistant_turn()) == "<sub>…</sub>"


def test_correction_goes_to_the_selected_answer_else_the_latest():
    history = [user_turn("q1"), _answered("a1", "c1"), user_turn("q2"), _answered("a2", "c2")]
    assert correction_target(history, 1) == 1
    assert correction_target(history, None) == 3
    assert correction_target(history, 0) == 3  # a question is not an answer
    assert correction_target([user_turn("q")], None) is None


def test_like_data_conversion():
    assert (rating_of(True), rating_of(False), rating_of("")) == ("good", "bad", None)
    assert like_index(3) == 3 and like_index([5, 1]) == 5


def test_ui_auth_config_takes_a_password_variable_not_a_password():
    recipe = recipe_from_dict({"serve": {"ui_auth": {"user": "me"}}})
    assert recipe.serve.ui_auth.password_env == "DOMAINFORGE_UI_PASSWORD"
    with pytest.raises(RecipeError, match="password"):
        recipe_from_dict({"serve": {"ui_auth": {"user": "me", "password": "plain"}}})


def test_client_names_the_unreachable_api():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = ApiClient(f"http://127.0.0.1:{port}/v1", api_key="k")
    with pytest.raises(ApiError, match=f"cannot reach the API at http://127.0.0.1:{port}/v1"):
        client.models()
    with pytest.raises(ApiError, match="cannot reach"):
        list(client.stream_chat("domain", [{"role": "user", "content": "hi"}]))
    client.close()
