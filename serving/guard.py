"""The outermost layer of the API (an ASGI middleware): request ids, the API key, and the checks a
request body passes before FastAPI parses it; and the last resort for unexpected errors.

FastAPI reads and parses a body before any dependency runs, so what must happen first is done
here: 401 before anything about the body is revealed; 415 for a Content-Type other than
`application/json`; 413 while reading, before a large body is held in memory; 400 for bodies
that are not UTF-8, not JSON, nested deeper than `MAX_JSON_DEPTH`, or that hold a lone
surrogate (valid JSON, invalid Unicode: the tokenizer and the database cannot encode it).
The body is then replayed to FastAPI, which validates it against the route's model.

Every error leaves as the OpenAI error object with the request id, which is also logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from serving.protocol import ApiError, has_lone_surrogate

log = logging.getLogger(__name__)

MAX_JSON_DEPTH = 32
"""Deepest nesting of a request body (the chat request needs 5 levels); deeper is a 400."""
REQUEST_ID_HEADER = "x-request-id"
PROTECTED_PREFIX = "/v1/"
"""Routes under this prefix need the API key (when one is set); /healthz and the schema do not."""


@dataclass(frozen=True)
class GuardSettings:
    key_sha256: str | None
    """SHA-256 hex digest of the API key; None = no key needed."""
    max_body_bytes: int
    """Larger request bodies are answered with 413."""


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def request_id_of(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def authorize(authorization: str, key_sha256: str | None) -> None:
    """Raise 401 unless the `Authorization` header carries the key (compared as digests)."""
    if key_sha256 is None:
        return
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(key_digest(given.strip()), key_sha256):
        raise ApiError(401, "missing or wrong API key: send `Authorization: Bearer <key>`",
                       kind="authentication_error", code="invalid_api_key")


def check_content_type(value: str | None) -> None:
    """Only `application/json` (charset, if given, utf-8): JSON read from anything else would be a guess."""
    media, _, params = (value or "").partition(";")
    charset = next((p.split("=", 1)[1].strip(' "').lower() for p in params.split(";")
                    if p.strip().lower().startswith("charset=")), "utf-8")
    if media.strip().lower() != "application/json" or charset not in ("utf-8", "utf8"):
        shown = value if value and value.isascii() and len(value) <= 100 else "missing" if not value else "invalid"
        raise ApiError(415, f"Content-Type must be application/json (UTF-8), not {shown}",
                       code="unsupported_media_type")


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or 413 as soon as it is known to exceed `limit` bytes."""
    too_large = ApiError(413, f"request body larger than {limit} bytes", code="body_too_large")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():  # also bounds bodies sent without Content-Length
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(raw: bytes) -> Any:
    """Decode a body as strict JSON (UTF-8, no NaN/Infinity) and check its depth and strings."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ApiError(400, f"request body is not UTF-8 (invalid byte at offset {err.start})",
                       code="invalid_encoding") from None
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:  # deeper than the interpreter's stack allows: certainly too deep
        raise _too_deep("") from None
    except ValueError as err:  # JSONDecodeError is a ValueError, and so is a NaN or Infinity
        raise ApiError(400, f"request body is not valid JSON: {err}", code="invalid_json") from None
    check_json_value(data)
    return data


def _too_deep(path: str) -> ApiError:
    return ApiError(400, f"request body is nested deeper than {MAX_JSON_DEPTH} levels"
                         + (f" (at {path})" if path else ""), code="json_too_deep")


def _invalid_unicode(path: str) -> ApiError:
    return ApiError(400, f"{path or 'body'}: invalid Unicode (a lone surrogate code point); text must be "
                         "valid UTF-8", code="invalid_unicode", param=path or None)


def check_json_value(value: Any, path: str = "", depth: int = 0) -> None:
    """Raise 400 for more than MAX_JSON_DEPTH nested arrays/objects or a lone surrogate in any key
    or string, naming where (`messages.0.content`, the way validation errors name fields)."""
    if isinstance(value, str):
        if has_lone_surrogate(value):
            raise _invalid_unicode(path)
        return
    if not isinstance(value, dict | list):
        return
    if depth >= MAX_JSON_DEPTH:
        raise _too_deep(path)
    if isinstance(value, dict):
        for key, item in value.items():
            if has_lone_surrogate(key):
                raise _invalid_unicode(f"{path}.<key>" if path else "<key>")
            check_json_value(item, f"{path}.{key}" if path else key, depth + 1)
    else:
        for i, item in enumerate(value):
            check_json_value(item, f"{path}.{i}" if path else str(i), depth + 1)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the already-read body on, then waits on the client as before (a
    streamed answer notices a client that went away through it)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _json_body_routes(app: Any) -> frozenset[tuple[str, str]]:
    """(METHOD, path) of the routes that take a JSON body, read once from the app's own OpenAPI
    schema (which has the included routers flattened). No route here has path parameters."""
    cached = getattr(app.state, "json_body_routes", None)
    if cached is None:
        cached = frozenset((method.upper(), path) for path, item in app.openapi()["paths"].items()
                           for method, operation in item.items() if "requestBody" in operation)
        app.state.json_body_routes = cached
    return cached


class ApiGuard:
    """ASGI middleware; `settings()` gives this replica's key digest and body limit."""

    def __init__(self, app: ASGIApp, settings: Callable[[], GuardSettings]):
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        # Serve (its proxy or HAProxy) sets x-request-id and logs it; elsewhere one is made up here.
        given = request.headers.get(REQUEST_ID_HEADER)
        request_id = (given or f"req_{uuid.uuid4().hex}")[:64]
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if given is None:  # Serve adds the header itself when it set the id
                    message = {**message, "headers": [*message.get("headers", []),
                                                      (REQUEST_ID_HEADER.encode(), request_id.encode())]}
            await send(message)

        try:
            receive = await self._checked(request, scope, receive)
            await self.app(scope, receive, send_with_id)
        except ClientDisconnect:
            log.info("request %s: client went away", request_id)
        except ApiError as err:
            log.info("request %s: %s %s -> %d %s", request_id, scope["method"], scope["path"], err.status, err.code)
            await err.response(request_id)(scope, receive, send_with_id)
        except Exception:
            log.exception("request %s: %s %s failed", request_id, scope["method"], scope["path"])
            if started:  # the status line is out: nothing left to answer with
                raise
            error = ApiError(500, f"internal server error (request id {request_id})", kind="server_error",
                             code="internal_error")
            await error.response(request_id)(scope, receive, send_with_id)

    async def _checked(self, request: Request, scope: Scope, receive: Receive) -> Receive:
        """Run the checks; returns the `receive` to hand on (replaying the body when one was read)."""
        settings = self.settings()
        if scope["path"].startswith(PROTECTED_PREFIX):
            authorize(request.headers.get("authorization", ""), settings.key_sha256)
        if (scope["method"], scope["path"]) not in _json_body_routes(scope["app"]):
            return receive
        check_content_type(request.headers.get("content-type"))
        raw = await read_body(request, settings.max_body_bytes)
        parse_json(raw)
        return _replay(raw, receive)
