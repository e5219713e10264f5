"""HTTP client for domainforge's OpenAI-compatible API, as the chat UI uses it.

The UI never touches the model or the feedback database: it lists models, streams chat
completions and posts ratings over HTTP, like any other client. Pure helpers (model choices,
feedback payloads, SSE parsing, error reasons) are separate so they can be tested without a server.

    .venv/bin/python -c "from ui.api import ApiClient; print(ApiClient('http://127.0.0.1:8000/v1').models())"
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import httpx

Rating = Literal["good", "bad"]
DEFAULT_MODEL = "domain"  # the server's alias for the promoted version (base when none is promoted)


class ApiError(Exception):
    """A request that failed; `str(err)` is a sentence fit to show the user."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Delta:
    """One piece of a streamed answer; every piece carries the completion id and served version."""

    completion_id: str
    model: str
    text: str


# ---- pure helpers ----------------------------------------------------------------------------
def error_reason(response: httpx.Response) -> str:
    """`HTTP 404: unknown completion_id ...` from an OpenAI-shaped error body, else the raw text."""
    try:
        message = response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = response.text.strip()[:300] or response.reason_phrase
    return f"HTTP {response.status_code}: {message}"


def model_choices(payload: dict[str, Any]) -> tuple[list[tuple[str, str]], str]:
    """`/v1/models` body -> Dropdown (label, value) pairs and the default value.

    The promoted version is marked and preselected, so a new user chats with what the eval
    gate let through; the `domain` alias is labelled with the version it points at now."""
    choices: list[tuple[str, str]] = []
    default = ""
    for model in payload.get("data", []):
        model_id = str(model["id"])
        if model.get("alias_of"):
            label = f"{model_id} → {model['alias_of']}"
        elif model.get("promoted"):
            label = f"{model_id} ★ promoted"
            default = model_id
        else:
            label = model_id
        choices.append((label, model_id))
    if not default and choices:
        ids = [value for _, value in choices]
        default = DEFAULT_MODEL if DEFAULT_MODEL in ids else ids[0]
    return choices, default


def feedback_payload(completion_id: str, rating: Rating, correction: str | None = None) -> dict[str, Any]:
    """Body of `POST /v1/feedback`; a blank correction is left out rather than stored empty."""
    if rating not in ("good", "bad"):
        raise ValueError(f"rating must be good or bad, not {rating!r}")
    body: dict[str, Any] = {"completion_id": completion_id, "rating": rating}
    if correction and correction.strip():
        body["correction"] = correction.strip()
    return body


def parse_sse_line(line: str) -> dict[str, Any] | None:
    """One server-sent-events line -> its JSON chunk; None for blank lines, comments and `[DONE]`."""
    if not line.startswith("data:"):
        return None
    data = line[len("data:"):].strip()
    if not data or data == "[DONE]":
        return None
    return json.loads(data)


# ---- the client ------------------------------------------------------------------------------
class ApiClient:
    """Talks to `<base_url>/models`, `/chat/completions` and `/feedback` with an optional Bearer key."""

    def __init__(self, base_url: str, api_key: str | None = None, timeout_s: float = 120.0):
        self.base_url = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # Connecting fails fast (server down); reading may take as long as a slow answer.
        self._http = httpx.Client(base_url=self.base_url, headers=headers,
                                  timeout=httpx.Timeout(timeout_s, connect=5.0))

    def close(self) -> None:
        self._http.close()

    def _unreachable(self, err: httpx.HTTPError) -> ApiError:
        return ApiError(f"cannot reach the API at {self.base_url} ({type(err).__name__}: {err})")

    def _json(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        try:
            response = self._http.request(method, path, json=body)
        except httpx.HTTPError as err:
            raise self._unreachable(err) from None
        if response.status_code >= 400:
            raise ApiError(error_reason(response), response.status_code)
        return response.json()

    def models(self) -> dict[str, Any]:
        return self._json("GET", "/models")

    def feedback(self, completion_id: str, rating: Rating, correction: str | None = None) -> dict[str, Any]:
        return self._json("POST", "/feedback", feedback_payload(completion_id, rating, correction))

    def stream_chat(self, model: str, messages: list[dict[str, str]],
                    max_tokens: int | None = None) -> Iterator[Delta]:
        """Yield the answer piece by piece. The first Delta (empty text) arrives before any token,
        so the caller knows the completion id and served version at once."""
        body: dict[str, Any] = {"model": model, "messages": messages, "stream": True}
        if max_tokens:
            body["max_tokens"] = max_tokens
        try:
            with self._http.stream("POST", "/chat/completions", json=body) as response:
                if response.status_code >= 400:
                    response.read()
                    raise ApiError(error_reason(response), response.status_code)
                for line in response.iter_lines():
                    chunk = parse_sse_line(line)
                    if chunk is None:
                        continue
                    if "error" in chunk:  # the server reports failures after the 200 in-band
                        raise ApiError(f"the server failed while answering: {chunk['error'].get('message')}")
                    for choice in chunk.get("choices", []):
                        yield Delta(chunk["id"], chunk["model"], choice.get("delta", {}).get("content") or "")
        except httpx.HTTPError as err:
            raise self._unreachable(err) from None
