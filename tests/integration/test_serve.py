"""The served API end to end on CPU: Ray Serve + the tiny model + real PEFT adapters, driven
with the official `openai` client (and httpx for the non-OpenAI routes and raw checks).

One deployment serves the whole module (replica start-up dominates the time): API key on,
small limits so the bad-input cases are cheap to build.

    .venv/bin/python -m pytest -q tests/integration/test_serve.py
"""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import openai
import pytest

from cluster.runtime import free_port
from pipelines.core.feedback import FeedbackStore
from pipelines.core.registry import Registry
from tests.integration.helpers import environ, served_recipe

KEY = "test-key-5f1c"
KEY_ENV = "DOMAINFORGE_TEST_SERVE_KEY"
CHAT = [{"role": "user", "content": "Which band does the Orbix router use?"}]
MAX_PROMPT_TOKENS = 200
MAX_BODY_BYTES = 4096


@pytest.fixture(scope="module")
def served(ray_session, make_tiny_adapter, tmp_path_factory):
    from ray import serve

    from serving.launch import start

    registry, recipe = served_recipe(tmp_path_factory.mktemp("serve"), make_tiny_adapter(1), {
        "port": free_port(), "api_key_env": KEY_ENV, "max_prompt_tokens": MAX_PROMPT_TOKENS,
        "max_new_tokens": 32, "max_body_bytes": MAX_BODY_BYTES, "max_batch_size": 8}, "<serve test>")
    with environ({KEY_ENV: KEY}):
        urls = start(recipe)
    yield {"urls": urls, "registry": registry, "recipe": recipe}
    serve.shutdown()  # the next module may start Serve with its own HTTP options


@pytest.fixture
def client(served) -> openai.OpenAI:
    return openai.OpenAI(base_url=served["urls"]["api"], api_key=KEY, max_retries=0, timeout=60)


@pytest.fixture
def http(served):
    root = served["urls"]["api"].removesuffix("/v1")
    with httpx.Client(base_url=root, headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as c:
        yield c


def _error(response: httpx.Response) -> dict:
    return response.json()["error"]


def test_serve_lists_models(client):
    models = {m.id: m.model_dump() for m in client.models.list()}
    assert list(models) == ["base", "sft-v1", "domain"]
    assert models["sft-v1"]["promoted"] is True and models["sft-v1"]["parent"] == "base"
    assert models["base"]["promoted"] is False and models["base"]["parent"] is None
    assert models["domain"]["alias_of"] == "sft-v1"


def test_serve_chat_plain(client, served, tiny_model_dir):
    from pipelines.core.models import load_tokenizer

    reply = client.chat.completions.create(model="domain", messages=CHAT, max_tokens=5, temperature=0)
    assert reply.id.startswith("chatcmpl-") and reply.model == "sft-v1"
    assert reply.choices[0].message.role == "assistant" and reply.choices[0].message.content
    tokenizer = load_tokenizer(tiny_model_dir)
    prompt = tokenizer.apply_chat_template(CHAT, add_generation_prompt=True, tokenize=False)
    assert reply.usage.prompt_tokens == len(tokenizer(prompt, add_special_tokens=False)["input_ids"])
    assert reply.usage.completion_tokens <= 5
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens
    base = client.chat.completions.create(model="base", messages=CHAT, max_tokens=5, temperature=0.7, top_p=0.9,
                                          stop=["zzz"])
    assert base.model == "base"


def test_serve_chat_stream(client, http):
    chunks = list(client.chat.completions.create(model="sft-v1", messages=CHAT, max_tokens=6, temperature=0,
                                                 stream=True, stream_options={"include_usage": True}))
    assert len({c.id for c in chunks}) == 1 and chunks[0].id.startswith("chatcmpl-")
    assert {c.model for c in chunks} == {"sft-v1"}
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes in (["length"], ["stop"])
    assert chunks[-1].usage.completion_tokens <= 6
    plain = http.post("/v1/chat/completions", json={"model": "sft-v1", "messages": CHAT, "max_tokens": 6,
                                                    "temperature": 0}).json()
    assert plain["choices"][0]["message"]["content"] == text  # same tokens whether streamed or not
    # Raw server-sent events: `data: {...}` lines, ending with `data: [DONE]`.
    with http.stream("POST", "/v1/chat/completions", json={"model": "base", "messages": CHAT, "max_tokens": 3,
                                                           "stream": True}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines) and lines[-1] == "data: [DONE]"


def test_serve_feedback_attaches_to_completion(client, http, served):
    reply = client.chat.completions.create(model="domain", messages=CHAT, max_tokens=3)
    assert http.post("/v1/feedback", json={"completion_id": reply.id, "rating": "bad"}).status_code == 200
    fixed = http.post("/v1/feedback", json={"completion_id": reply.id, "rating": "bad", "correction": "Band 7."})
    assert fixed.status_code == 200 and fixed.json()["ok"] is True
    missing = http.post("/v1/feedback", json={"completion_id": "chatcmpl-nope", "rating": "good"})
    assert missing.status_code == 404 and "chatcmpl-nope" in _error(missing)["message"]
    bad = http.post("/v1/feedback", json={"completion_id": reply.id, "rating": "meh"})
    assert bad.status_code == 422 and "rating" in _error(bad)["message"]

    store = FeedbackStore(served["recipe"].feedback.url)
    rows = [r for r in store.ratings_after(0) if r["completion_id"] == reply.id]
    store.dispose()
    assert len(rows) == 1  # rated twice, stored once
    assert (rows[0]["model"], rows[0]["messages"], rows[0]["answer"]) == ("sft-v1", CHAT, reply.choices[0].message.content)
    assert (rows[0]["rating"], rows[0]["correction"]) == ("bad", "Band 7.")


def test_serve_requires_api_key(served):
    root = served["urls"]["api"].removesuffix("/v1")
    assert httpx.get(f"{root}/healthz").status_code == 200  # health checks stay open
    wrong = {"Authorization": "Bearer not-the-key"}
    for headers in ({}, wrong, {"Authorization": KEY}):
        assert httpx.get(f"{root}/v1/models", headers=headers).status_code == 401
        chat = httpx.post(f"{root}/v1/chat/completions", headers=headers, json={"model": "base", "messages": CHAT})
        assert chat.status_code == 401 and chat.headers["www-authenticate"] == "Bearer"
        rate = httpx.post(f"{root}/v1/feedback", headers=headers, json={"completion_id": "x", "rating": "good"})
        assert rate.status_code == 401
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=served["urls"]["api"], api_key="wrong", max_retries=0).models.list()


def test_serve_rejects_bad_input(client, http):
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(model="sft-v9", messages=CHAT, max_tokens=2)
    assert err.value.body["available"] == ["base", "sft-v1", "domain"] and "sft-v1" in err.value.body["message"]
    for name in ("../../etc/passwd", "sft-v1/../../registry", "/tmp/adapter"):
        with pytest.raises(openai.BadRequestError) as err:
            client.chat.completions.create(model=name, messages=CHAT, max_tokens=2)
        assert err.value.body["code"] == "invalid_model_name"

    long_prompt = [{"role": "user", "content": "band " * (MAX_PROMPT_TOKENS + 10)}]
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(model="base", messages=long_prompt, max_tokens=2)
    assert f"limit is {MAX_PROMPT_TOKENS}" in err.value.body["message"]
    over = http.post("/v1/chat/completions", json={"model": "base", "messages": CHAT, "max_tokens": 1000})
    assert over.status_code == 400 and "32" in _error(over)["message"]

    missing = http.post("/v1/chat/completions", json={"model": "base"})
    assert missing.status_code == 422 and "messages" in _error(missing)["message"]
    wrong_role = http.post("/v1/chat/completions", json={"model": "base", "messages": [{"role": "robot", "content": "x"}]})
    assert wrong_role.status_code == 422 and "role" in _error(wrong_role)["message"]
    not_json = http.post("/v1/chat/completions", content=b"{not json", headers={"content-type": "application/json"})
    assert not_json.status_code == 400 and "JSON" in _error(not_json)["message"]
    huge = http.post("/v1/chat/completions", json={"model": "base", "messages": [{"role": "user", "content": "x" * MAX_BODY_BYTES}]})
    assert huge.status_code == 413 and str(MAX_BODY_BYTES) in _error(huge)["message"]


def test_serve_promotion_without_restart(client, served, make_tiny_adapter):
    registry: Registry = served["registry"]
    second = registry.register("sft", make_tiny_adapter(2), parent="sft-v1", run="t", recipe_hash="r", data_hash="d")
    registry.promote(second)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # the replica looks at registry.json at most once a second
        models = {m.id: m.model_dump() for m in client.models.list()}
        if models.get("domain", {}).get("alias_of") == second:
            break
        time.sleep(0.3)
    assert models[second]["parent"] == "sft-v1" and models[second]["promoted"] is True
    assert models["sft-v1"]["promoted"] is False
    assert client.chat.completions.create(model="domain", messages=CHAT, max_tokens=2).model == second
    assert client.chat.completions.create(model="sft-v1", messages=CHAT, max_tokens=2).model == "sft-v1"


def test_serve_load_20_clients_200_chats_rated(served):
    """20 concurrent clients send 200 chats in all (mixed models, some streamed) and rate each."""
    store = FeedbackStore(served["recipe"].feedback.url)
    before = store.counts()
    statuses: list[int] = []
    models = ["domain", "base", "sft-v1"]

    async def one_client(worker: int) -> None:
        chat = openai.AsyncOpenAI(base_url=served["urls"]["api"], api_key=KEY, max_retries=0, timeout=120)
        async with httpx.AsyncClient(base_url=served["urls"]["api"], headers={"Authorization": f"Bearer {KEY}"},
                                     timeout=120) as http:
            for i in range(10):
                n = worker * 10 + i
                messages = [{"role": "user", "content": f"Question {n} about the Orbix router"}]
                if n % 5 == 0:
                    chunks = [c async for c in await chat.chat.completions.create(
                        model=models[n % 3], messages=messages, max_tokens=3, stream=True)]
                    completion_id = chunks[0].id
                else:
                    reply = await chat.chat.completions.create(model=models[n % 3], messages=messages, max_tokens=3)
                    completion_id = reply.id
                statuses.append(200)
                rated = await http.post("/feedback", json={"completion_id": completion_id,
                                                           "rating": "good" if n % 2 else "bad"})
                statuses.append(rated.status_code)
        await chat.close()

    async def main() -> None:
        await asyncio.gather(*(one_client(w) for w in range(20)))

    asyncio.run(main())  # any 5xx raises in the openai client and fails the test here
    after = store.counts()
    store.dispose()
    assert statuses.count(200) == 400 and len(statuses) == 400
    assert after["completions"] - before["completions"] == 200
    assert after["ratings"] - before["ratings"] == 200
    assert after["good"] - before["good"] == 100


def test_serve_models_are_openai_shaped(http):
    body = http.get("/v1/models").json()
    assert body["object"] == "list"
    assert all({"id", "object", "created", "owned_by"} <= set(m) for m in body["data"])
    json.dumps(body)


# ---- the API as a contract (issue 29): every failure is a 4xx in OpenAI's error shape ----------
def _raw_chat(content: str) -> bytes:
    """A chat body written by hand: json.dumps would escape what these tests need to send raw."""
    return b'{"model": "base", "max_tokens": 2, "messages": [{"role": "user", "content": "' + content.encode() + b'"}]}'


def _openai_error(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    error = _error(response)
    assert error["code"] == code and error["type"] and error["message"]
    assert error["request_id"] and response.headers["x-request-id"] == error["request_id"]
    return error


def test_serve_lone_surrogates_are_400_naming_the_field(http, client):
    error = _openai_error(http.post("/v1/chat/completions", content=_raw_chat("a\\ud800b"),
                                    headers={"content-type": "application/json"}), 400, "invalid_unicode")
    assert error["param"] == "messages.0.content" and "messages.0.content" in error["message"]
    reply = client.chat.completions.create(model="base", messages=CHAT, max_tokens=2)
    fixed = http.post("/v1/feedback", headers={"content-type": "application/json"},
                      content=b'{"completion_id": "' + reply.id.encode() + b'", "rating": "bad", "correction": "\\udfff"}')
    assert _openai_error(fixed, 400, "invalid_unicode")["param"] == "correction"
    # A valid pair of surrogates is one character, and fine.
    ok = http.post("/v1/chat/completions", content=_raw_chat("a\\ud83d\\ude00b"),
                   headers={"content-type": "application/json"})
    assert ok.status_code == 200


def test_serve_deep_nesting_is_400(http):
    for depth in (40, 2000):  # past the limit, and past what the JSON parser's recursion allows
        deep = b"[" * depth + b"]" * depth
        response = http.post("/v1/chat/completions", content=deep, headers={"content-type": "application/json"})
        assert "nested deeper" in _openai_error(response, 400, "json_too_deep")["message"]


def test_serve_tiny_temperature_decodes_greedily(http):
    body = {"model": "base", "messages": CHAT, "max_tokens": 4}
    greedy = http.post("/v1/chat/completions", json={**body, "temperature": 0})
    for temperature in (1e-38, 5e-324, 1e-5):
        tiny = http.post("/v1/chat/completions", json={**body, "temperature": temperature})
        assert tiny.status_code == 200, tiny.text
        assert tiny.json()["choices"][0]["message"]["content"] == greedy.json()["choices"][0]["message"]["content"]
    not_json = http.post("/v1/chat/completions", content=b'{"model": "base", "messages": [], "temperature": NaN}',
                         headers={"content-type": "application/json"})
    _openai_error(not_json, 400, "invalid_json")


def test_serve_only_json_bodies(http):
    body = json.dumps({"model": "base", "messages": CHAT, "max_tokens": 2})
    for content_type in ("text/plain", None, "application/x-www-form-urlencoded", "application/json; charset=utf-16"):
        headers = {"content-type": content_type} if content_type else {}
        request = http.build_request("POST", "/v1/chat/completions", content=body.encode(), headers=headers)
        if content_type is None:
            request.headers.pop("content-type", None)
        _openai_error(http.send(request), 415, "unsupported_media_type")
    utf16 = http.post("/v1/chat/completions", content=body.encode("utf-16"), headers={"content-type": "application/json"})
    _openai_error(utf16, 400, "invalid_encoding")
    fine = http.post("/v1/chat/completions", content=body.encode(),
                     headers={"content-type": "application/json; charset=utf-8"})
    assert fine.status_code == 200


def test_serve_unknown_route_and_method_are_openai_errors(http, served):
    assert "Not Found" not in _openai_error(http.get("/v1/nope"), 404, "not_found")["message"]
    root = served["urls"]["api"].removesuffix("/v1")
    _openai_error(httpx.get(f"{root}/nope"), 404, "not_found")  # outside /v1: no key needed to be told
    wrong = http.delete("/v1/chat/completions")
    assert "POST" in _openai_error(wrong, 405, "method_not_allowed")["message"] and wrong.headers["allow"] == "POST"
    with pytest.raises(openai.NotFoundError):  # the client maps the shape to its exception
        openai.OpenAI(base_url=f"{root}/v2", api_key=KEY, max_retries=0).models.list()
    # Validation errors name the field, in the same shape.
    assert _openai_error(http.post("/v1/chat/completions", json={"model": "base"}), 422, "invalid_body")["param"] == "messages"


def test_serve_schema_documents_bodies_errors_and_auth(served):
    root = served["urls"]["api"].removesuffix("/v1")
    schema = httpx.get(f"{root}/openapi.json").json()  # open, like /healthz
    chat = schema["paths"]["/v1/chat/completions"]["post"]
    assert chat["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ChatRequest"}
    assert {"400", "401", "404", "413", "415", "422"} <= set(chat["responses"])
    assert set(chat["responses"]["200"]["content"]) == {"application/json", "text/event-stream"}
    assert chat["security"] == [{"bearer": []}] and schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "security" not in schema["paths"]["/healthz"]["get"]
    max_tokens = schema["components"]["schemas"]["ChatRequest"]["properties"]["max_tokens"]["anyOf"][0]
    assert max_tokens["maximum"] == 32  # this deployment's serve.max_new_tokens
    assert schema["paths"]["/v1/feedback"]["post"]["requestBody"]["required"] is True
