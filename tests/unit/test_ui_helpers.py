"""The chat UI's pure helpers (model choices, feedback bodies, error reasons, turns) and its API
client, the `openai` client underneath answered by a mock transport."""

from __future__ import annotations

import json
import socket

import httpx2
import pytest

from pipelines.core.config import RecipeError, recipe_from_dict
from ui.api import (
    ApiClient,
    ApiError,
    Delta,
    error_reason,
    feedback_payload,
    model_choices,
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

MODELS = [
    {"id": "base", "object": "model", "parent": None, "promoted": False},
    {"id": "sft-v1", "object": "model", "parent": "base", "promoted": False, "stage": "sft"},
    {"id": "cft-v2", "object": "model", "parent": "sft-v1", "promoted": True, "stage": "cft"},
    {"id": "domain", "object": "model", "parent": "cft-v2", "alias_of": "cft-v2", "promoted": False},
]


def test_model_choices_mark_and_preselect_the_promoted_version():
    choices, default = model_choices(MODELS)
    assert choices == [("base", "base"), ("sft-v1", "sft-v1"), ("cft-v2 ★ promoted", "cft-v2"),
                       ("domain → cft-v2", "domain")]
    assert default == "cft-v2"


def test_model_choices_without_adapters_default_to_the_promoted_base():
    only_base = [{"id": "base", "promoted": True}, {"id": "domain", "alias_of": "base", "promoted": False}]
    assert model_choices(only_base)[1] == "base"
    assert model_choices([{"id": "base"}, {"id": "domain", "alias_of": "base"}])[1] == "domain"
    assert model_choices([]) == ([], "")


def test_feedback_payload():
    assert feedback_payload("chatcmpl-1", "good") == {"completion_id": "chatcmpl-1", "rating": "good"}
    assert feedback_payload("chatcmpl-1", "bad", "  Band 7.\n") == {
        "completion_id": "chatcmpl-1", "rating": "bad", "correction": "Band 7."}
    assert "correction" not in feedback_payload("chatcmpl-1", "bad", "   ")
    with pytest.raises(ValueError, match="good or bad"):
        feedback_payload("chatcmpl-1", "meh")  # type: ignore[arg-type]


def test_error_reason_reads_openai_errors_and_falls_back_to_the_body():
    # `body` as openai.APIStatusError holds it: the error object, else the raw text
    assert error_reason(401, {"message": "missing or wrong API key", "type": "x"}) == "HTTP 401: missing or wrong API key"
    assert error_reason(502, "Bad gateway from proxy\n", "Bad Gateway") == "HTTP 502: Bad gateway from proxy"
    assert error_reason(422, {"detail": "no"}) == 'HTTP 422: {"detail": "no"}'
    assert error_reason(500, "", "Internal Server Error") == "HTTP 500: Internal Server Error"
    assert error_reason(500, None, "Internal Server Error") == "HTTP 500: Internal Server Error"


# ---- the client against a mock transport ------------------------------------------------------
def _chunk(delta: dict | None, model: str = "sft-v1", cid: str = "chatcmpl-7") -> dict:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": None}]
    return {"id": cid, "object": "chat.completion.chunk", "created": 1, "model": model, "choices": choices}


def _sse(*events: dict | str) -> httpx2.Response:
    body = "".join(f"data: {e if isinstance(e, str) else json.dumps(e)}\n\n" for e in events)
    return httpx2.Response(200, content=body.encode(), headers={"content-type": "text/event-stream"})


def _client(answer, api_key: str | None = "k") -> tuple[ApiClient, list[httpx2.Request]]:
    """An ApiClient whose requests are recorded and answered by `answer(request)`."""
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return answer(request)

    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    return ApiClient("http://api.test/v1/", api_key=api_key, http_client=http), seen


def test_client_streams_deltas_with_the_completion_id_and_version():
    client, seen = _client(lambda r: _sse(_chunk({"role": "assistant", "content": ""}), _chunk({"content": "Band "}),
                                           _chunk({"content": "7."}), _chunk({}), _chunk(None), "[DONE]"))
    deltas = list(client.stream_chat("domain", [{"role": "user", "content": "score?"}], max_tokens=32))
    # the first (empty) piece comes before any token; the usage chunk without choices adds nothing
    assert deltas == [Delta("chatcmpl-7", "sft-v1", ""), Delta("chatcmpl-7", "sft-v1", "Band "),
                      Delta("chatcmpl-7", "sft-v1", "7."), Delta("chatcmpl-7", "sft-v1", "")]
    [request] = seen
    assert (request.method, str(request.url)) == ("POST", "http://api.test/v1/chat/completions")
    assert request.headers["authorization"] == "Bearer k"
    assert json.loads(request.content) == {"model": "domain", "messages": [{"role": "user", "content": "score?"}],
                                           "stream": True, "max_tokens": 32}
    list(client.stream_chat("domain", [{"role": "user", "content": "again"}]))
    assert "max_tokens" not in json.loads(seen[-1].content)
    client.close()


def test_client_reports_stream_failures_as_sentences():
    failed_midway = _sse(_chunk({"role": "assistant", "content": ""}),
                         {"error": {"message": "RuntimeError: CUDA out of memory", "type": "server_error"}})
    client, _ = _client(lambda r: failed_midway)
    answer = client.stream_chat("domain", [{"role": "user", "content": "hi"}])
    assert next(answer).text == ""
    with pytest.raises(ApiError, match="^the server failed while answering: RuntimeError: CUDA out of memory$"):
        next(answer)

    unauthorized = {"error": {"message": "missing or wrong API key", "type": "authentication_error"}}
    client, _ = _client(lambda r: httpx2.Response(401, json=unauthorized))
    with pytest.raises(ApiError, match="^HTTP 401: missing or wrong API key$") as err:
        list(client.stream_chat("domain", [{"role": "user", "content": "hi"}]))
    assert err.value.status == 401


def test_client_lists_models_with_their_extra_fields_and_sends_no_stray_credentials(monkeypatch):
    # the UI runs next to people's OpenAI settings: none of them may reach this server
    monkeypatch.setenv("OPENAI_API_KEY", "sk-someone-elses")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-x")
    client, seen = _client(lambda r: httpx2.Response(200, json={"object": "list", "data": MODELS}), api_key=None)
    assert client.models() == MODELS
    assert model_choices(client.models())[1] == "cft-v2"
    assert str(seen[0].url) == "http://api.test/v1/models"
    assert not {"authorization", "openai-organization"} & set(seen[0].headers)
    client, seen = _client(lambda r: httpx2.Response(200, json={"object": "list", "data": []}), api_key="k")
    assert client.models() == [] and seen[0].headers["authorization"] == "Bearer k"


def test_client_posts_feedback_and_names_what_went_wrong():
    client, seen = _client(lambda r: httpx2.Response(200, json={"ok": True, "completion_id": "c1", "rating": "bad"}))
    assert client.feedback("c1", "bad", " Band 7. ") == {"ok": True, "completion_id": "c1", "rating": "bad"}
    assert (seen[0].method, str(seen[0].url)) == ("POST", "http://api.test/v1/feedback")
    assert json.loads(seen[0].content) == {"completion_id": "c1", "rating": "bad", "correction": "Band 7."}
    assert seen[0].headers["authorization"] == "Bearer k"

    unknown = {"error": {"message": "unknown completion_id 'c9'", "type": "invalid_request_error"}}
    for response, reason in [(httpx2.Response(404, json=unknown), "HTTP 404: unknown completion_id 'c9'"),
                             (httpx2.Response(502, text="Bad gateway from proxy"), "HTTP 502: Bad gateway from proxy"),
                             (httpx2.Response(500), "HTTP 500: Internal Server Error")]:
        client, seen = _client(lambda r, response=response: response)
        with pytest.raises(ApiError) as err:
            client.feedback("c9", "good")
        assert (str(err.value), err.value.status) == (reason, response.status_code)
        assert len(seen) == 1  # no retries


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
