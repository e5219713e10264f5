"""The API's contract: OpenAI-shaped request, response and error models.

FastAPI validates request bodies against these models and writes them into `/openapi.json`, so
schema-driven clients and fuzzers (schemathesis) see exactly what the server accepts and
answers. Every error, expected or not, is the OpenAI error object (`ErrorResponse`), so the
official clients raise the matching exception.
"""

# No `from __future__ import annotations`: FastAPI reads these types from route signatures.
import json
import re
from typing import Annotated, Any, Literal

from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

MODEL_NAME_PATTERN = r"^(base|domain|[a-z][a-z0-9]{0,15}-v[0-9]{1,6})$"
"""What `model` can name: documented in the schema; the engine answers 400 for other names."""


# ---- errors -------------------------------------------------------------------------------
class ErrorDetail(BaseModel):
    """OpenAI's error object; `available` (model names) is added where a model was not found."""

    message: str
    type: str
    param: str | None = None
    code: str | None = None
    request_id: str | None = Field(None, description="Also in the server log and the `x-request-id` header.")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class AsciiJSONResponse(JSONResponse):
    """JSON with non-ASCII characters escaped: a message that quotes invalid input (a lone
    surrogate) can always be encoded, so rendering an error never fails in turn."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


class ApiError(Exception):
    """An error answered as the OpenAI error object with `status`."""

    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None,
                 param: str | None = None, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(message)
        self.status, self.message, self.kind, self.code, self.param = status, message, kind, code, param
        self.headers, self.extra = dict(headers or {}), extra

    def response(self, request_id: str | None) -> AsciiJSONResponse:
        body = {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code,
                          "request_id": request_id, **self.extra}}
        headers = {**self.headers, **({"WWW-Authenticate": "Bearer"} if self.status == 401 else {})}
        return AsciiJSONResponse(body, status_code=self.status, headers=headers or None)


ERROR_DESCRIPTIONS = {
    400: "Invalid JSON, invalid Unicode, unknown model name shape, prompt or max_tokens over the limits",
    401: "Missing or wrong API key",
    404: "Unknown model version or completion id (or route)",
    413: "Request body larger than serve.max_body_bytes",
    415: "Content-Type is not application/json",
    422: "The body does not match the request schema",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` entry of a route: each status with the OpenAI error object."""
    return {s: {"model": ErrorResponse, "description": ERROR_DESCRIPTIONS[s]} for s in statuses}


# ---- requests -----------------------------------------------------------------------------
def _integral(value: Any) -> Any:
    """An integer as JSON Schema has it: 3 and 3.0 (strict validation alone would refuse 3.0),
    not "3", true or 3.5."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


TokenCount = Annotated[int, Field(ge=1), BeforeValidator(_integral)]
"""The bound before the validator and inside the type: elsewhere it does not reach the schema."""

# Strict: JSON types as the schema states them ("3" is not an integer, 0 not a boolean), which is
# what a schema-driven client expects to be refused.
STRICT = ConfigDict(strict=True)


class TextPart(BaseModel):
    model_config = STRICT
    type: Literal["text"]
    text: str


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    role: Literal["system", "user", "assistant"]
    content: str | list[TextPart]

    def plain(self) -> dict[str, str]:
        text = self.content if isinstance(self.content, str) else "".join(p.text for p in self.content)
        return {"role": self.role, "content": text}


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    include_usage: bool = False
    """Send a last chunk with the token counts before `data: [DONE]`."""


_STOP_STRING = {"type": "string", "minLength": 1}


class ChatRequest(BaseModel):
    # Unknown OpenAI parameters (presence_penalty, user, ...) are accepted and ignored.
    model_config = ConfigDict(extra="ignore", strict=True)
    model: str = Field(min_length=1, max_length=64, json_schema_extra={"pattern": MODEL_NAME_PATTERN},
                       description="`base`, `domain` (the promoted version) or an adapter version such as `sft-v2`")
    messages: list[ChatMessage] = Field(min_length=1)
    max_tokens: TokenCount | None = Field(None, description="At most serve.max_new_tokens")
    max_completion_tokens: TokenCount | None = Field(None, description="Same as max_tokens (newer name)")
    temperature: float = Field(1.0, ge=0.0, le=2.0,
                               description="0 (and anything below 1e-4) decodes greedily")
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    # The schema states what `_stop_list` enforces (non-empty strings, at most 4).
    stop: list[str] | str | None = Field(None, description="Up to 4 non-empty strings; the answer ends before "
                                         "the first of them", json_schema_extra={"anyOf": [
                                             _STOP_STRING, {"type": "array", "items": _STOP_STRING, "maxItems": 4},
                                             {"type": "null"}]})
    stream: bool = False
    stream_options: StreamOptions | None = None
    n: Annotated[int, Field(ge=1, le=1), BeforeValidator(_integral)] = 1

    @field_validator("stop")
    @classmethod
    def _stop_list(cls, value: list[str] | str | None) -> list[str]:
        """OpenAI allows one string, a list of strings, or null: always a list from here on."""
        stops = [value] if isinstance(value, str) else list(value or [])
        if len(stops) > 4:
            raise ValueError("at most 4 stop strings")
        if any(not s for s in stops):
            raise ValueError("stop strings must not be empty")
        return stops


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    completion_id: str = Field(min_length=1, max_length=64)
    rating: Literal["good", "bad"]
    correction: str | None = None


# ---- responses ----------------------------------------------------------------------------
FinishReason = Literal["stop", "length"]


class AssistantMessage(BaseModel):
    role: Literal["assistant"]
    content: str


class Choice(BaseModel):
    index: int
    message: AssistantMessage
    finish_reason: FinishReason


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str = Field(description="The version that answered (`domain` resolves to the promoted one)")
    choices: list[Choice]
    usage: Usage


class ChunkDelta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int
    delta: ChunkDelta
    finish_reason: FinishReason | None = None


class ChatCompletionChunk(BaseModel):
    """One server-sent event of a streamed answer (`data: <this JSON>`)."""

    id: str
    object: Literal["chat.completion.chunk"]
    created: int
    model: str
    choices: list[ChunkChoice]
    usage: Usage | None = None


SSE_EVENT_SCHEMA = {
    "type": "object", "required": ["data"],
    "properties": {"data": {"type": "string"}},
    "description": "Each event's data is a ChatCompletionChunk as JSON (or an error object after a failure "
                   "mid-stream); the last event is `data: [DONE]`.",
}


class ModelCard(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    object: Literal["model"]
    created: int
    owned_by: str
    parent: str | None = None
    promoted: bool
    stage: str | None = None
    alias_of: str | None = Field(None, description="For `domain`: the version it serves")


class ModelList(BaseModel):
    object: Literal["list"]
    data: list[ModelCard]


class FeedbackResponse(BaseModel):
    ok: bool
    completion_id: str
    rating: Literal["good", "bad"]


class Health(BaseModel):
    status: Literal["ok"]
    model: str
    adapters: int


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_lone_surrogate(text: str) -> bool:
    """Whether a string holds a surrogate code point: valid JSON (`"\\ud800"`), but not Unicode
    text that UTF-8 (the tokenizer, the database) can encode."""
    return not text.isascii() and _SURROGATE.search(text) is not None
