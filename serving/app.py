"""Ray Serve application: an OpenAI-compatible chat API over the multi-adapter engine.

Routes: `GET /healthz`, `GET /v1/models`, `POST /v1/chat/completions` (plain or `stream`
as server-sent events ending with `data: [DONE]`), `POST /v1/feedback`. The `model` field
selects `base`, an adapter version (`sft-v2`) or `domain` (the promoted version, else base);
the response names the version actually used. The engine batches continuously: a request
joins its adapter's running decode at the next step (`serving/scheduler.py`), so there is no
batching window to wait for. Every answer is stored in the feedback store
under its completion id, so a later rating attaches to the adapter version and prompt.

When the environment variable named by `serve.api_key_env` is set where the app is built,
every route except /healthz needs `Authorization: Bearer <key>`. Replicas only receive a
SHA-256 digest of the key, so it never appears in deployment arguments or logs.

    .venv/bin/domainforge serve pipelines/recipes/quickstart.yaml
"""

# No `from __future__ import annotations` here: Serve rebuilds the route signatures and FastAPI
# must see real types (a string "Request" would turn into a required query parameter).
import asyncio
import hashlib
import hmac
import json
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from ray import serve

from pipelines.config import Recipe, ServeConfig
from pipelines.models import BUNDLED, TINY

log = logging.getLogger(__name__)

api = FastAPI(title="domainforge", description="OpenAI-compatible chat API with LoRA adapter versions")


# ---- errors (OpenAI's error shape, so clients raise the matching exception) ---------------
class ApiError(Exception):
    def __init__(self, status: int, message: str, kind: str = "invalid_request_error", code: str | None = None,
                 **extra: Any):
        super().__init__(message)
        self.status, self.message, self.kind, self.code, self.extra = status, message, kind, code, extra

    def response(self) -> JSONResponse:
        body = {"error": {"message": self.message, "type": self.kind, "code": self.code, **self.extra}}
        headers = {"WWW-Authenticate": "Bearer"} if self.status == 401 else None
        return JSONResponse(body, status_code=self.status, headers=headers)


@api.exception_handler(ApiError)
async def _api_error(_request: Request, err: ApiError) -> JSONResponse:
    return err.response()


# ---- request schemas ------------------------------------------------------------------------
class TextPart(BaseModel):
    type: Literal["text"]
    text: str


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "user", "assistant"]
    content: str | list[TextPart]

    def plain(self) -> dict[str, str]:
        text = self.content if isinstance(self.content, str) else "".join(p.text for p in self.content)
        return {"role": self.role, "content": text}


class ChatRequest(BaseModel):
    # Unknown OpenAI parameters (presence_penalty, user, ...) are accepted and ignored.
    model_config = ConfigDict(extra="ignore")
    model: str = Field(min_length=1, max_length=64)
    messages: list[ChatMessage] = Field(min_length=1)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    temperature: float = Field(1.0, ge=0.0, le=2.0)
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    stop: list[str] = Field(default_factory=list, max_length=4)
    stream: bool = False
    stream_options: dict[str, Any] | None = None
    n: int = Field(1, ge=1, le=1)

    @field_validator("stop", mode="before")
    @classmethod
    def _stop_list(cls, value: Any) -> Any:
        """OpenAI allows one string, a list of strings, or null."""
        return [value] if isinstance(value, str) else [] if value is None else value

    @field_validator("stop")
    @classmethod
    def _stop_non_empty(cls, value: list[str]) -> list[str]:
        if any(not s for s in value):
            raise ValueError("stop strings must not be empty")
        return value


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    completion_id: str = Field(min_length=1, max_length=64)
    rating: Literal["good", "bad"]
    correction: str | None = None


# ---- helpers --------------------------------------------------------------------------------
def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_digest(serve_cfg: ServeConfig) -> str | None:
    """Digest of the configured API key, or None when auth is off (variable unset or empty)."""
    key = os.environ.get(serve_cfg.api_key_env)
    return key_digest(key) if key else None


REPLICA_CPUS = 1
"""CPUs (and torch threads) per replica; batching, not threads, is what scales decoding here."""


def deployment_options(serve_cfg: ServeConfig, use_gpu: bool) -> dict[str, Any]:
    """Ray Serve options from the recipe: fixed replicas, or autoscaling when max_replicas > replicas."""
    options: dict[str, Any] = {
        "ray_actor_options": {"num_cpus": REPLICA_CPUS, "num_gpus": 1 if use_gpu else 0},
        # Room for a full batch plus streams and the next batch filling up.
        "max_ongoing_requests": max(4 * serve_cfg.max_batch_size, 16),
    }
    if serve_cfg.max_replicas > serve_cfg.replicas:
        options["autoscaling_config"] = {
            "min_replicas": serve_cfg.replicas, "max_replicas": serve_cfg.max_replicas,
            "initial_replicas": serve_cfg.replicas, "target_ongoing_requests": serve_cfg.max_batch_size,
        }
    else:
        options["num_replicas"] = serve_cfg.replicas
    return options


def _validation_message(err: ValidationError) -> str:
    parts = [f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in err.errors()[:5]]
    return "invalid request body: " + "; ".join(parts)


def _epoch(iso: str | None, default: int) -> int:
    try:
        return int(datetime.fromisoformat(iso).timestamp()) if iso else default
    except ValueError:
        return default


def _usage(completion: Any) -> dict[str, int]:
    return {"prompt_tokens": completion.prompt_tokens, "completion_tokens": completion.completion_tokens,
            "total_tokens": completion.prompt_tokens + completion.completion_tokens}


# ---- the deployment -------------------------------------------------------------------------
# `serve.ingress` copies the FastAPI app (and so the route methods) when the class is defined:
# everything the routes use must be defined above this line.
@serve.deployment(name="chat")
@serve.ingress(api)
class ChatDeployment:
    """One replica: the engine (base model + adapters) and a connection to the feedback store."""

    def __init__(self, recipe: dict[str, Any], key_sha256: str | None, use_gpu: bool = False):
        from serving.engine import Engine
        from serving.feedback import FeedbackStore

        self.recipe = Recipe.model_validate(recipe)
        self.cfg = self.recipe.serve
        self._key_sha256 = key_sha256
        # As many torch threads as CPUs reserved: more threads than cores spin against training jobs
        # on the same machine (CFT runs next to serving) and decoding gets several times slower.
        self.engine = Engine(self.recipe.model.name, self.recipe.registry.path, device="cuda" if use_gpu else "cpu",
                             threads=REPLICA_CPUS, max_batch_size=self.cfg.max_batch_size)
        self.store = FeedbackStore(self.recipe.feedback.url)
        self.started = int(time.time())
        log.info("replica ready: model %s, adapters %s, auth %s", self.recipe.model.name,
                 self.engine.versions() or "none", "on" if key_sha256 else "off")

    # ---- request checks -----------------------------------------------------------------
    def _authorize(self, request: Request) -> None:
        if self._key_sha256 is None:
            return
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(key_digest(given.strip()), self._key_sha256):
            raise ApiError(401, "missing or wrong API key: send `Authorization: Bearer <key>`",
                           kind="authentication_error", code="invalid_api_key")

    async def _read_body(self, request: Request) -> bytes:
        limit = self.cfg.max_body_bytes
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

    async def _parse(self, request: Request, schema: type[BaseModel]) -> Any:
        self._authorize(request)
        raw = await self._read_body(request)
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise ApiError(400, f"request body is not valid JSON: {err}", code="invalid_json") from None
        try:
            return schema.model_validate(data)
        except ValidationError as err:
            raise ApiError(422, _validation_message(err), code="invalid_body") from None

    def _resolve(self, name: str) -> tuple[str, str | None]:
        from serving.engine import InvalidModelName, ModelNotFound

        try:
            return self.engine.resolve(name)
        except ModelNotFound as err:
            raise ApiError(404, str(err), code="model_not_found", available=err.available) from None
        except InvalidModelName as err:
            raise ApiError(400, str(err), code="invalid_model_name", available=err.available) from None

    def _sync_and_encode(self, messages: list[dict[str, str]]) -> list[int]:
        """One worker-thread hop for both: pick up registry changes (a newly promoted version is
        served from this request on), then the prompt's token ids."""
        self.engine.sync()
        return self.engine.encode(messages)

    # ---- routes ---------------------------------------------------------------------------
    @api.get("/healthz")
    async def healthz(self) -> dict[str, Any]:
        return {"status": "ok", "model": self.recipe.model.name, "adapters": len(self.engine.versions())}

    @api.get("/v1/models")
    async def list_models(self, request: Request) -> dict[str, Any]:
        self._authorize(request)
        await asyncio.to_thread(self.engine.sync)
        data = [{"object": "model", "owned_by": "domainforge",
                 "created": _epoch(m.pop("created_at", None), self.started), **m} for m in self.engine.models()]
        return {"object": "list", "data": data}

    @api.post("/v1/chat/completions")
    async def chat_completions(self, request: Request) -> Any:
        from serving.engine import GenRequest, SamplingParams

        body: ChatRequest = await self._parse(request, ChatRequest)
        messages = [m.plain() for m in body.messages]
        prompt_ids = await asyncio.to_thread(self._sync_and_encode, messages)
        served, adapter = self._resolve(body.model)
        if len(prompt_ids) > self.cfg.max_prompt_tokens:
            raise ApiError(400, f"prompt has {len(prompt_ids)} tokens; the limit is {self.cfg.max_prompt_tokens} "
                                "(serve.max_prompt_tokens)", code="context_length_exceeded")
        max_tokens = body.max_completion_tokens or body.max_tokens or self.cfg.max_new_tokens
        if max_tokens > self.cfg.max_new_tokens:
            raise ApiError(400, f"max_tokens {max_tokens} is above the limit of {self.cfg.max_new_tokens} "
                                "(serve.max_new_tokens)", code="max_tokens_exceeded")
        params = SamplingParams(max_tokens=max_tokens, temperature=body.temperature, top_p=body.top_p,
                                stop=tuple(body.stop))
        gen = GenRequest(prompt_ids, adapter, params)
        completion_id = f"chatcmpl-{uuid.uuid4().hex}"
        if body.stream:
            usage = bool((body.stream_options or {}).get("include_usage"))
            events = self._stream_events(completion_id, served, gen, messages, usage)
            return StreamingResponse(events, media_type="text/event-stream")
        done = await asyncio.wrap_future(self.engine.submit(gen))
        await asyncio.to_thread(self.store.record_completion, completion_id, served, messages, done.text)
        return {
            "id": completion_id, "object": "chat.completion", "created": int(time.time()), "model": served,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": done.text},
                         "finish_reason": done.finish_reason}],
            "usage": _usage(done),
        }

    @api.post("/v1/feedback")
    async def feedback(self, request: Request) -> dict[str, Any]:
        body: FeedbackRequest = await self._parse(request, FeedbackRequest)
        try:
            await asyncio.to_thread(self.store.rate, body.completion_id, body.rating, body.correction)
        except KeyError:
            raise ApiError(404, f"unknown completion_id {body.completion_id!r}", code="completion_not_found") from None
        return {"ok": True, "completion_id": body.completion_id, "rating": body.rating}

    # ---- generation -------------------------------------------------------------------------
    async def _stream_events(self, completion_id: str, served: str, gen: Any, messages: list[dict[str, str]],
                             include_usage: bool) -> AsyncIterator[str]:
        created = int(time.time())

        def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
            chunk = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": served,
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
            return f"data: {json.dumps(chunk)}\n\n"

        yield event({"role": "assistant", "content": ""})
        pieces = self.engine.astream(gen)
        last = None
        try:
            async for piece in pieces:
                if piece.text:
                    yield event({"content": piece.text})
                last = piece
        except Exception as err:  # the status line is already sent: report in-band, then stop
            log.exception("streaming %s failed", completion_id)
            yield f"data: {json.dumps({'error': {'message': str(err), 'type': 'server_error'}})}\n\n"
            return
        finally:
            await pieces.aclose()  # a client that went away frees its row in the running batch
        yield event({}, last.finish_reason)
        if include_usage:
            chunk = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": served,
                     "choices": [], "usage": _usage(last.completion)}
            yield f"data: {json.dumps(chunk)}\n\n"
        # Stored before [DONE], so a client can rate the answer as soon as the stream ends.
        await asyncio.to_thread(self.store.record_completion, completion_id, served, messages, last.completion.text)
        yield "data: [DONE]\n\n"


def local_paths_absolute(recipe: Recipe) -> Recipe:
    """Relative registry/feedback/model paths are meant from where `serve` was started, not from
    a replica's working directory: make them absolute (URIs and hub ids stay as they are)."""
    from sqlalchemy.engine import make_url

    data = recipe.model_dump(mode="json")
    if "://" not in data["registry"]["path"]:
        data["registry"]["path"] = str(Path(data["registry"]["path"]).resolve())
    url = make_url(data["feedback"]["url"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        data["feedback"]["url"] = url.set(database=str(Path(url.database).resolve())).render_as_string(False)
    name = data["model"]["name"]
    if name not in (BUNDLED, TINY) and Path(name).expanduser().exists():
        data["model"]["name"] = str(Path(name).expanduser().resolve())
    return Recipe.model_validate(data)


def build_app(recipe: Recipe, use_gpu: bool = False) -> serve.Application:
    """The Serve application for a recipe (model, registry, feedback store, limits, replicas)."""
    options = deployment_options(recipe.serve, use_gpu)
    recipe = local_paths_absolute(recipe)
    return ChatDeployment.options(**options).bind(recipe.model_dump(mode="json"), api_key_digest(recipe.serve),
                                                  use_gpu)
