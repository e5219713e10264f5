"""Ray Serve application: an OpenAI-compatible chat API over the multi-adapter engine.

Routes: `GET /healthz`, `GET /v1/models`, `POST /v1/chat/completions` (plain or `stream`
as server-sent events ending with `data: [DONE]`), `POST /v1/feedback`. The `model` field
selects `base`, an adapter version (`sft-v2`) or `domain` (the promoted version, else base);
the response names the version actually used. The engine batches continuously: a request
joins its adapter's running decode at the next step (`serving/scheduler.py`), so there is no
batching window to wait for. Every answer is stored in the feedback store
under its completion id, so a later rating attaches to the adapter version and prompt.

When the environment variable named by `serve.api_key_env` is set where the app is built,
every route except /healthz and /openapi.json needs `Authorization: Bearer <key>`. Replicas only
receive a SHA-256 digest of the key, so it never appears in deployment arguments or logs.

The contract is declared: request and response models (`serving/protocol.py`) on every route,
the bearer scheme and each route's 4xx answers are in `/openapi.json` (with this deployment's
`max_tokens` limit), and every error, unexpected ones included, is OpenAI's error object with
a request id that is also logged. Checks that must come before FastAPI parses a body (key,
Content-Type, size, JSON depth, invalid Unicode) are in `serving/guard.py`.

    .venv/bin/domainforge serve pipelines/recipes/quickstart.yaml
"""

# No `from __future__ import annotations` here: Serve rebuilds the route signatures and FastAPI
# must see real types (a string "Request" would turn into a required query parameter).
import asyncio
import copy
import json
import logging
import os
import time
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPBearer
from ray import serve
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipelines.core.config import Recipe, ServeConfig
from pipelines.core.models import BUNDLED, TINY
from serving.guard import ApiGuard, GuardSettings, key_digest, request_id_of
from serving.protocol import (
    SSE_EVENT_SCHEMA,
    ApiError,
    ChatCompletion,
    ChatRequest,
    FeedbackRequest,
    FeedbackResponse,
    Health,
    ModelList,
    error_responses,
)

__all__ = ["ApiError", "ChatDeployment", "ChatRequest", "api", "api_key_digest", "build_app", "deployment_options",
           "key_digest", "served_openapi"]

log = logging.getLogger(__name__)

# The schema is served by the deployment (`/openapi.json`), with this replica's limits filled in.
api = FastAPI(title="domainforge", version="1", openapi_url=None, docs_url=None, redoc_url=None,
              description="OpenAI-compatible chat API with LoRA adapter versions")
# Documents the scheme; the key itself is checked by ApiGuard, before the body is read.
bearer = HTTPBearer(auto_error=False, scheme_name="bearer",
                    description="The API key (the variable named by serve.api_key_env) as a Bearer token")
SECURED = [Security(bearer)]


# ---- errors: one shape for all (OpenAI's error object, with the request id) -------------------
@api.exception_handler(ApiError)
async def _api_error(request: Request, err: ApiError) -> JSONResponse:
    return err.response(request_id_of(request))


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in (loc[1:] if loc and loc[0] == "body" else loc)) or "body"


@api.exception_handler(RequestValidationError)
async def _invalid_body(request: Request, err: RequestValidationError) -> JSONResponse:
    errors = list(err.errors())
    parts = [f"{_field(tuple(e['loc']))}: {e['msg']}" for e in errors[:5]]
    first = _field(tuple(errors[0]["loc"])) if errors else None
    error = ApiError(422, "invalid request body: " + "; ".join(parts), code="invalid_body", param=first)
    return error.response(request_id_of(request))


@api.exception_handler(StarletteHTTPException)
async def _http_error(request: Request, err: StarletteHTTPException) -> JSONResponse:
    """Routing errors (unknown route, wrong method) in the same shape as the rest."""
    where = f"{request.method} {request.url.path}"
    if err.status_code == 404:
        error = ApiError(404, f"no route {where}", code="not_found")
    elif err.status_code == 405:
        allowed = (err.headers or {}).get("Allow", "")
        error = ApiError(405, f"method not allowed: {where} (allowed: {allowed})", code="method_not_allowed",
                         headers=err.headers)
    else:
        error = ApiError(err.status_code, str(err.detail), code="http_error", headers=err.headers)
    return error.response(request_id_of(request))


def _replica_guard() -> GuardSettings:
    """This replica's key digest and body limit (set by ChatDeployment.__init__)."""
    return serve.get_replica_context().servable_object.guard


api.add_middleware(ApiGuard, settings=_replica_guard)


# ---- helpers --------------------------------------------------------------------------------
def api_key_digest(serve_cfg: ServeConfig) -> str | None:
    """Digest of the configured API key, or None when auth is off (variable unset or empty)."""
    key = os.environ.get(serve_cfg.api_key_env)
    return key_digest(key) if key else None


REPLICA_CPUS = 1
"""CPUs (and torch threads) per replica; batching, not threads, is what scales decoding here."""
GRACEFUL_SHUTDOWN_TIMEOUT_S = 10.0
"""How long a stopping replica waits for requests in flight (longer answers are cut off)."""


def deployment_options(serve_cfg: ServeConfig, use_gpu: bool) -> dict[str, Any]:
    """Ray Serve options from the recipe: fixed replicas, or autoscaling when max_replicas > replicas."""
    options: dict[str, Any] = {
        "ray_actor_options": {"num_cpus": REPLICA_CPUS, "num_gpus": 1 if use_gpu else 0},
        # Room for a full batch plus streams and the next batch filling up.
        "max_ongoing_requests": max(4 * serve_cfg.max_batch_size, 16),
        # Serve's defaults (look every 2 s, wait up to 20 s) made a stop take ~35 s even when idle.
        "graceful_shutdown_wait_loop_s": 0.2,
        "graceful_shutdown_timeout_s": GRACEFUL_SHUTDOWN_TIMEOUT_S,
    }
    if serve_cfg.max_replicas > serve_cfg.replicas:
        options["autoscaling_config"] = {
            "min_replicas": serve_cfg.replicas, "max_replicas": serve_cfg.max_replicas,
            "initial_replicas": serve_cfg.replicas, "target_ongoing_requests": serve_cfg.max_batch_size,
        }
    else:
        options["num_replicas"] = serve_cfg.replicas
    return options


def served_openapi(cfg: ServeConfig, auth: bool) -> dict[str, Any]:
    """The OpenAPI schema as this deployment applies it: `max_tokens` bounded by
    serve.max_new_tokens, and no security requirement (nor 401) when no API key is set."""
    schema = copy.deepcopy(api.openapi())
    request = schema["components"]["schemas"]["ChatRequest"]["properties"]
    for name in ("max_tokens", "max_completion_tokens"):
        for branch in request[name].get("anyOf", [request[name]]):
            if branch.get("type") == "integer":
                branch["maximum"] = cfg.max_new_tokens
    if not auth:
        for item in schema["paths"].values():
            for operation in item.values():
                operation.pop("security", None)
                operation.get("responses", {}).pop("401", None)
        schema["components"].pop("securitySchemes", None)
    return schema


def _epoch(iso: str | None, default: int) -> int:
    try:
        return int(datetime.fromisoformat(iso).timestamp()) if iso else default
    except ValueError:
        return default


def _usage(completion: Any) -> dict[str, int]:
    return {"prompt_tokens": completion.prompt_tokens, "completion_tokens": completion.completion_tokens,
            "total_tokens": completion.prompt_tokens + completion.completion_tokens}


CHAT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The answer; with `stream: true`, server-sent events",
          "content": {"text/event-stream": {"schema": SSE_EVENT_SCHEMA}}},
    **error_responses(400, 401, 404, 413, 415, 422),
}


# ---- the deployment -------------------------------------------------------------------------
# `serve.ingress` copies the FastAPI app (and so the route methods) when the class is defined:
# everything the routes use must be defined above this line.
@serve.deployment(name="chat")
@serve.ingress(api)
class ChatDeployment:
    """One replica: the engine (base model + adapters) and a connection to the feedback store."""

    def __init__(self, recipe: dict[str, Any], key_sha256: str | None, use_gpu: bool = False):
        from pipelines.core.feedback import FeedbackStore
        from serving.engine import Engine

        self.recipe = Recipe.model_validate(recipe)
        self.cfg = self.recipe.serve
        self.guard = GuardSettings(key_sha256, self.cfg.max_body_bytes)
        self.openapi_schema = served_openapi(self.cfg, auth=key_sha256 is not None)
        # As many torch threads as CPUs reserved: more threads than cores spin against training jobs
        # on the same machine (CFT runs next to serving) and decoding gets several times slower.
        self.engine = Engine(self.recipe.model.name, self.recipe.registry.path, device="cuda" if use_gpu else "cpu",
                             threads=REPLICA_CPUS, max_batch_size=self.cfg.max_batch_size)
        self.store = FeedbackStore(self.recipe.feedback.url)
        self.started = int(time.time())
        log.info("replica ready: model %s, adapters %s, auth %s", self.recipe.model.name,
                 self.engine.versions() or "none", "on" if key_sha256 else "off")

    # ---- request checks (auth, content type, size and JSON: serving/guard.py) ---------------
    def _resolve(self, name: str) -> tuple[str, str | None]:
        from serving.engine import InvalidModelName, ModelNotFound

        try:
            return self.engine.resolve(name)
        except ModelNotFound as err:
            raise ApiError(404, str(err), code="model_not_found", param="model", available=err.available) from None
        except InvalidModelName as err:
            raise ApiError(400, str(err), code="invalid_model_name", param="model", available=err.available) from None

    def _sync_and_encode(self, messages: list[dict[str, str]]) -> list[int]:
        """One worker-thread hop for both: pick up registry changes (a newly promoted version is
        served from this request on), then the prompt's token ids."""
        from serving.engine import InvalidMessages

        self.engine.sync()
        try:
            return self.engine.encode(messages)
        except InvalidMessages as err:
            raise ApiError(400, str(err), code="invalid_messages", param="messages") from None

    # ---- routes ---------------------------------------------------------------------------
    @api.get("/openapi.json", include_in_schema=False)
    async def openapi(self) -> JSONResponse:
        return JSONResponse(self.openapi_schema)

    @api.get("/healthz", response_model=Health)
    async def healthz(self) -> dict[str, Any]:
        return {"status": "ok", "model": self.recipe.model.name, "adapters": len(self.engine.versions())}

    @api.get("/v1/models", response_model=ModelList, dependencies=SECURED, responses=error_responses(401))
    async def list_models(self) -> dict[str, Any]:
        await asyncio.to_thread(self.engine.sync)
        data = [{"object": "model", "owned_by": "domainforge",
                 "created": _epoch(m.pop("created_at", None), self.started), **m} for m in self.engine.models()]
        return {"object": "list", "data": data}

    @api.post("/v1/chat/completions", response_model=ChatCompletion, dependencies=SECURED,
              responses=CHAT_RESPONSES)
    async def chat_completions(self, body: ChatRequest, request: Request) -> Any:
        from serving.engine import GenRequest, SamplingParams

        messages = [m.plain() for m in body.messages]
        prompt_ids = await asyncio.to_thread(self._sync_and_encode, messages)
        served, adapter = self._resolve(body.model)
        if len(prompt_ids) > self.cfg.max_prompt_tokens:
            raise ApiError(400, f"prompt has {len(prompt_ids)} tokens; the limit is {self.cfg.max_prompt_tokens} "
                                "(serve.max_prompt_tokens)", code="context_length_exceeded", param="messages")
        for name in ("max_tokens", "max_completion_tokens"):  # both bounded, as the schema says
            value = getattr(body, name)
            if value is not None and value > self.cfg.max_new_tokens:
                raise ApiError(400, f"{name} {value} is above the limit of {self.cfg.max_new_tokens} "
                                    "(serve.max_new_tokens)", code="max_tokens_exceeded", param=name)
        max_tokens = body.max_completion_tokens or body.max_tokens or self.cfg.max_new_tokens
        params = SamplingParams(max_tokens=max_tokens, temperature=body.temperature, top_p=body.top_p,
                                stop=tuple(body.stop or ()))
        gen = GenRequest(prompt_ids, adapter, params)
        completion_id = f"chatcmpl-{uuid.uuid4().hex}"
        if body.stream:
            usage = body.stream_options is not None and body.stream_options.include_usage
            events = self._stream_events(completion_id, served, gen, messages, usage, request_id_of(request))
            return StreamingResponse(events, media_type="text/event-stream")
        done = await asyncio.wrap_future(self.engine.submit(gen))
        await asyncio.to_thread(self.store.record_completion, completion_id, served, messages, done.text)
        return {
            "id": completion_id, "object": "chat.completion", "created": int(time.time()), "model": served,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": done.text},
                         "finish_reason": done.finish_reason}],
            "usage": _usage(done),
        }

    @api.post("/v1/feedback", response_model=FeedbackResponse, dependencies=SECURED,
              responses=error_responses(400, 401, 404, 413, 415, 422))
    async def feedback(self, body: FeedbackRequest) -> dict[str, Any]:
        try:
            await asyncio.to_thread(self.store.rate, body.completion_id, body.rating, body.correction)
        except KeyError:
            raise ApiError(404, f"unknown completion_id {body.completion_id!r}", code="completion_not_found",
                           param="completion_id") from None
        return {"ok": True, "completion_id": body.completion_id, "rating": body.rating}

    # ---- generation -------------------------------------------------------------------------
    async def _stream_events(self, completion_id: str, served: str, gen: Any, messages: list[dict[str, str]],
                             include_usage: bool, request_id: str | None) -> AsyncIterator[str]:
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
            log.exception("request %s: streaming %s failed", request_id, completion_id)
            error = {"message": f"{type(err).__name__}: {err}", "type": "server_error", "param": None,
                     "code": "internal_error", "request_id": request_id}
            yield f"data: {json.dumps({'error': error})}\n\n"
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
