"""Client for domainforge's OpenAI-compatible API, as the chat UI uses it.

The UI never touches the model or the feedback database: it lists models, streams chat
completions and posts ratings over HTTP, like any other client. It does so with the official
`openai` client: `/models` and `/chat/completions` through its typed methods, our own
`/feedback` route through its generic `post`, so all three share one key, timeout and error
mapping. Pure helpers (model choices, feedback payloads, error reasons) are separate so they
can be tested without a server.

    .venv/bin/python -c "from ui.api import ApiClient; print(ApiClient('http://127.0.0.1:8000/v1').models())"
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import openai

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
def error_reason(status: int, body: object, reason: str = "") -> str:
    """`HTTP 404: unknown completion_id ...` from an OpenAI error object (the `body` of an
    `openai.APIStatusError`), else the raw body, else the status line's reason."""
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message:
        raw = body if isinstance(body, str) else (json.dumps(body) if body else "")
        message = raw.strip()[:300] or reason
    return f"HTTP {status}: {message}"


def model_choices(models: list[dict[str, Any]]) -> tuple[list[tuple[str, str]], str]:
    """The `/v1/models` entries -> Dropdown (label, value) pairs and the default value.

    The promoted version is marked and preselected, so a new user chats with what the eval
    gate let through; the `domain` alias is labelled with the version it points at now."""
    choices: list[tuple[str, str]] = []
    default = ""
    for model in models:
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


# ---- the client ------------------------------------------------------------------------------
class ApiClient:
    """Talks to `<base_url>/models`, `/chat/completions` and `/feedback` with an optional Bearer key.

    `http_client` (an `httpx2.Client`, what the openai client runs on) is for tests that answer
    with a mock transport."""

    def __init__(self, base_url: str, api_key: str | None = None, timeout_s: float = 120.0,
                 http_client: Any = None):
        self.base_url = base_url.rstrip("/")
        # The key is always given explicitly, so the client never falls back to the OPENAI_API_KEY
        # of whoever runs the UI; without a key no Authorization header is sent at all (the client
        # insists on a key, hence the placeholder that the omitted header replaces). Organization
        # and project ids from OPENAI_* variables are OpenAI's business, not this server's.
        self._headers: dict[str, Any] = {"OpenAI-Organization": openai.omit, "OpenAI-Project": openai.omit}
        if not api_key:
            self._headers["Authorization"] = openai.omit
        # Connecting fails fast (server down); reading may take as long as a slow answer. No
        # retries: a retried chat would be a second completion.
        self._openai = openai.OpenAI(api_key=api_key or "no-key", base_url=self.base_url, max_retries=0,
                                     timeout=openai.Timeout(timeout_s, connect=5.0), http_client=http_client)

    def close(self) -> None:
        self._openai.close()

    @contextmanager
    def _reported(self) -> Iterator[None]:
        """openai's exceptions -> ApiError with a sentence for the user."""
        try:
            yield
        except openai.APIStatusError as err:
            raise ApiError(error_reason(err.status_code, err.body, err.response.reason_phrase),
                           err.status_code) from None
        except openai.APIConnectionError as err:  # also timeouts; the cause names what went wrong
            cause = err.__cause__ or err
            raise ApiError(f"cannot reach the API at {self.base_url} ({type(cause).__name__}: {cause})") from None
        except openai.APIError as err:  # the server reports failures after the 200 in-band
            raise ApiError(f"the server failed while answering: {err.message}") from None

    def models(self) -> list[dict[str, Any]]:
        """The `/v1/models` entries as dicts, with our extra fields (`promoted`, `alias_of`, ...)."""
        with self._reported():
            return [model.to_dict() for model in self._openai.models.list(extra_headers=self._headers).data]

    def feedback(self, completion_id: str, rating: Rating, correction: str | None = None) -> dict[str, Any]:
        """`POST /v1/feedback`, not an OpenAI route: through the client's generic `post`."""
        with self._reported():
            return self._openai.post("/feedback", cast_to=dict, options={"headers": self._headers},
                                     body=feedback_payload(completion_id, rating, correction))

    def stream_chat(self, model: str, messages: list[dict[str, str]],
                    max_tokens: int | None = None) -> Iterator[Delta]:
        """Yield the answer piece by piece. The first Delta (empty text) arrives before any token,
        so the caller knows the completion id and served version at once."""
        with self._reported():
            stream = self._openai.chat.completions.create(
                model=model, messages=messages, stream=True,  # type: ignore[arg-type]
                max_tokens=max_tokens or openai.omit, extra_headers=self._headers)
            with stream:
                for chunk in stream:
                    for choice in chunk.choices or []:
                        yield Delta(chunk.id, chunk.model, choice.delta.content or "")
