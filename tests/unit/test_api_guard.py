"""The API's outer layer (serving/guard.py) on a real ASGI app: unexpected errors become the
OpenAI error object with a request id that is also logged; the body checks name what is wrong.

    .venv/bin/python -m pytest -q tests/unit/test_api_guard.py
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from pydantic import BaseModel
from starlette.testclient import TestClient

from serving.guard import (
    MAX_JSON_DEPTH,
    ApiGuard,
    GuardSettings,
    check_content_type,
    key_digest,
    parse_json,
)
from serving.protocol import ApiError


class Body(BaseModel):
    text: str


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()

    @app.get("/v1/boom")
    async def boom() -> dict:
        raise RuntimeError("something nobody expected")

    @app.post("/v1/echo")
    async def echo(body: Body) -> dict:
        return {"text": body.text}

    app.add_middleware(ApiGuard, settings=lambda: GuardSettings(key_digest("k"), 2048))
    with TestClient(app, raise_server_exceptions=False, headers={"Authorization": "Bearer k"}) as c:
        yield c


def test_an_unexpected_error_is_an_openai_error_with_a_logged_request_id(client, caplog):
    with caplog.at_level("ERROR", logger="serving.guard"):
        response = client.get("/v1/boom")
    assert response.status_code == 500
    error = response.json()["error"]
    assert (error["type"], error["code"]) == ("server_error", "internal_error")
    assert "nobody expected" not in error["message"]  # internals stay in the log
    assert error["request_id"] == response.headers["x-request-id"]
    logged = [r for r in caplog.records if error["request_id"] in r.getMessage()]
    assert logged and "nobody expected" in logged[0].exc_text


def test_a_given_request_id_is_kept(client):
    response = client.get("/v1/boom", headers={"x-request-id": "abc-123"})
    assert response.json()["error"]["request_id"] == "abc-123"


def test_the_key_is_checked_before_the_body(client):
    response = client.post("/v1/echo", content=b"x" * 5000, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    assert client.post("/v1/echo", content=b"x" * 5000, headers={"content-type": "application/json"}).status_code == 413
    assert client.post("/v1/echo", json={"text": "hi"}).json() == {"text": "hi"}


def test_json_checks_name_the_place():
    with pytest.raises(ApiError) as err:
        parse_json(b'{"a": [{"b": "x\\ud800"}]}')
    assert (err.value.status, err.value.code, err.value.param) == (400, "invalid_unicode", "a.0.b")
    with pytest.raises(ApiError) as err:
        parse_json(b'{"\\udc00": 1}')
    assert err.value.code == "invalid_unicode"
    nested = b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1)
    with pytest.raises(ApiError, match="nested deeper"):
        parse_json(nested)
    with pytest.raises(ApiError, match="nested deeper"):
        parse_json(b"[" * 100_000)
    parse_json(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)  # at the limit: fine
    for raw in (b'{"t": NaN}', b'{"t": -Infinity}', '{"t": 1}'.encode("utf-16"), b"\xef\xbb\xbf{}"):
        with pytest.raises(ApiError) as err:
            parse_json(raw)
        assert err.value.status == 400


@pytest.mark.parametrize("value", ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF8"])
def test_json_content_types_pass(value):
    check_content_type(value)


@pytest.mark.parametrize("value", [None, "", "text/plain", "application/json; charset=utf-16", "application/jsonx",
                                   "multipart/form-data; boundary=x"])
def test_other_content_types_are_415(value):
    with pytest.raises(ApiError) as err:
        check_content_type(value)
    assert err.value.status == 415
