"""Inference engine: one base model in memory, every registry version as a named LoRA adapter.

No Ray in here, so it is tested and benchmarked in-process; `serving/app.py` wraps it in a
Ray Serve deployment. Decoding is continuous batching (`serving/scheduler.py`): requests that
share an adapter decode as one left-padded batch with a KV cache, a new request joins the
running batch at the next step, and batches of different adapters take turns step by step.
The model lock covers one forward (with its adapter switch) and adapter loading.

The engine follows the registry: at most once per `sync_interval_s` it looks at
`registry.json`'s modification stamp, loads versions it has not seen, and moves the
`domain` alias to a newly promoted version, without a restart. A version that does not load
is logged once and marked bad in the registry (never retried until `adapters promote` checks
it again), and `domain` stays on the registry's `served_version`, as `adapters list` shows.

    .venv/bin/python -c "from serving.engine import Engine; e = Engine('tiny'); \
print(e.generate([e.request([{'role': 'user', 'content': 'hi'}], 'base')])[0])"
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from pipelines.core.models import load_model, load_tokenizer, resolve_model_dir
from pipelines.core.registry import Registry, RegistryError, served_version, validate_version_name
from serving.scheduler import Completion, GenRequest, Job, Row, SamplingParams, Scheduler

__all__ = ["BASE", "ALIAS", "Completion", "Delta", "Engine", "GenRequest", "InvalidMessages", "InvalidModelName",
           "ModelNotFound", "SamplingParams"]

log = logging.getLogger(__name__)

BASE = "base"
ALIAS = "domain"
_UNSET = object()  # "no adapter state chosen yet" (None already means the base model)


class ModelNotFound(LookupError):
    """A well-formed model name that is not served; carries the names that are."""

    def __init__(self, name: str, available: list[str]):
        super().__init__(f"model {name!r} not found; available models: {', '.join(available)}")
        self.available = available


class InvalidModelName(ValueError):
    """A model name that is neither `base`, `domain` nor an adapter version (`sft-v2`)."""

    def __init__(self, name: str, available: list[str]):
        super().__init__(f"invalid model name {name!r}: use one of {', '.join(available)} "
                         "(adapter versions look like 'sft-v2')")
        self.available = available


class InvalidMessages(ValueError):
    """Messages the model's chat template refuses (say, roles in an order it does not allow)."""


@dataclass
class Delta:
    """A piece of a streamed answer; the last one has `finish_reason` and the full completion."""

    text: str
    finish_reason: str | None = None
    completion: Completion | None = None


def _choose_device(device: str | None) -> str:
    return device or ("cuda" if torch.cuda.is_available() else "cpu")


def _held_back(text: str, stops: tuple[str, ...]) -> int:
    """Characters at the end of a partial answer that must not be streamed yet: an incomplete
    UTF-8 character, or the start of a stop string that may still complete."""
    keep = len(text) - len(text.rstrip("\ufffd"))
    for stop in stops:
        for n in range(min(len(stop) - 1, len(text)), 0, -1):
            if text.endswith(stop[:n]):
                keep = max(keep, n)
                break
    return keep


class Engine:
    """HF causal LM + PEFT LoRA adapters from a registry; thread-safe."""

    def __init__(self, model: str, registry: str | Path | None = None, *, device: str | None = None,
                 threads: int | None = None, autocast: bool = False, sync_interval_s: float = 1.0,
                 max_batch_size: int = 8):
        if threads:
            torch.set_num_threads(threads)
        self.model_name = model
        model_dir = resolve_model_dir(model)
        self.device = _choose_device(device)
        self.tokenizer = load_tokenizer(model_dir)
        dtype = torch.bfloat16 if self.device.startswith("cuda") else torch.float32
        self.model = load_model(model_dir, dtype=dtype, device=self.device).eval()
        # Off by default: on CPUs without bf16 units, autocast made decoding slower, not faster
        # (13.4 vs 5.0 tokens/s for the 135M model here), unlike training. See BENCHMARKS.md.
        self.autocast = bool(autocast)
        self.eos_ids = self._eos_ids()
        self.registry = Registry(registry) if registry is not None else None
        self.sync_interval_s = sync_interval_s
        self._model_lock = threading.Lock()  # one forward (and adapter switch/load) at a time
        self._tok_lock = threading.Lock()  # fast tokenizers are not safe to share across threads
        self._sync_lock = threading.Lock()
        self._active: Any = _UNSET
        self._versions: dict[str, dict[str, Any]] = {}  # loaded adapter versions -> registry rows
        # Versions that failed to load here -> their `checked` stamp then: retried only after
        # `adapters promote` has loaded them successfully again (a new stamp).
        self._failed: dict[str, str | None] = {}
        self._promoted: str | None = None
        self._stamp: tuple[Any, ...] | None = None
        self._next_check = 0.0
        self.sync(force=True)
        self.scheduler = Scheduler(self._forward, self._advance, self.tokenizer.pad_token_id, self.device,
                                   max_rows=max_batch_size)

    # ---- adapters and the registry ------------------------------------------------------
    def _eos_ids(self) -> set[int]:
        ids = self.model.generation_config.eos_token_id
        ids = set(ids if isinstance(ids, list) else [ids] if ids is not None else [])
        if self.tokenizer.eos_token_id is not None:
            ids.add(self.tokenizer.eos_token_id)
        return ids

    def _registry_stamp(self) -> tuple[Any, ...]:
        info = self.registry.fs.get_file_info(self.registry.index_path)
        return (info.type, info.mtime_ns, info.size)

    def sync(self, force: bool = False) -> bool:
        """Pick up registry changes (new versions, promotion); returns whether anything changed.
        Cheap when called on every request: it looks at the file at most once per interval."""
        if self.registry is None:
            return False
        now = time.monotonic()
        if not force and now < self._next_check:
            return False
        with self._sync_lock:
            if not force and now < self._next_check:
                return False
            self._next_check = now + self.sync_interval_s
            stamp = self._registry_stamp()
            if stamp == self._stamp:
                return False
            self._stamp = stamp
            return self._apply_registry()

    def _apply_registry(self) -> bool:
        data = self.registry.snapshot()  # one read: versions and promotion agree
        changed = False
        for row in data["versions"]:
            version = row["version"]
            if version in self._versions or row.get("bad") or self._failed.get(version, "-") == row.get("checked"):
                continue
            changed |= self._load_adapter(version, row)
        served = served_version(data, usable=set(self._versions))
        if served != data["promoted"]:
            log.warning("promoted version %s is not served (marked bad); `domain` serves %s",
                        data["promoted"], served or BASE)
        if served != self._promoted:
            log.info("`domain` now serves %s (was %s)", served or BASE, self._promoted or BASE)
            self._promoted = served
            changed = True
        return changed

    def _load_adapter(self, version: str, row: dict[str, Any]) -> bool:
        """Load one version as a named adapter. A broken one is logged once, marked bad in the
        registry, and skipped: the server goes on without it."""
        from peft import PeftModel

        try:
            validate_version_name(version)
            path = str(self.registry.local_adapter_dir(version))
            with self._model_lock:
                self._active = _UNSET
                if isinstance(self.model, PeftModel):
                    try:
                        self.model.load_adapter(path, adapter_name=version, is_trainable=False)
                    except Exception:
                        if version in self.model.peft_config:  # half-loaded: leave no trace of it
                            self.model.delete_adapter(version)
                        raise
                else:
                    self.model = PeftModel.from_pretrained(self.model, path, adapter_name=version,
                                                           is_trainable=False)
                self.model.eval()
        except Exception as err:  # a bad adapter must not take the server down
            reason = f"{type(err).__name__}: {err}"
            log.error("cannot load adapter %s (%s); marked bad, not served", version, reason)
            self._failed[version] = row.get("checked")
            try:
                self.registry.mark_bad(version, reason)
            except Exception as mark_err:  # a read-only registry: this replica still never retries it
                log.warning("could not mark %s bad in the registry: %s", version, mark_err)
            return False
        # Replaced, not mutated: request threads read it without the lock.
        self._versions = {**self._versions, version: row}
        log.info("loaded adapter %s (parent %s)", version, row.get("parent") or BASE)
        return True

    def _activate(self, adapter: str | None) -> None:
        """Make `adapter` (None = base) the one the next forward uses; caller holds the model lock."""
        if adapter == self._active:
            return
        if adapter is None:
            if hasattr(self.model, "peft_config"):  # a plain model has no adapters to switch off
                self.model.base_model.disable_adapter_layers()
        else:
            self.model.base_model.enable_adapter_layers()
            self.model.set_adapter(adapter, inference_mode=True)
        self._active = adapter

    @property
    def promoted(self) -> str | None:
        return self._promoted

    def versions(self) -> list[str]:
        return list(self._versions)

    def available(self) -> list[str]:
        return [BASE, *self._versions, ALIAS]

    def models(self) -> list[dict[str, Any]]:
        """What `/v1/models` lists: base, every loaded version, and the `domain` alias."""
        promoted = self._promoted
        rows: list[dict[str, Any]] = [{"id": BASE, "parent": None, "promoted": promoted is None}]
        for version, row in list(self._versions.items()):
            rows.append({"id": version, "parent": row.get("parent") or BASE, "promoted": version == promoted,
                         "stage": row.get("stage"), "created_at": row.get("created")})
        rows.append({"id": ALIAS, "parent": promoted or BASE, "alias_of": promoted or BASE, "promoted": False})
        return rows

    def resolve(self, name: str) -> tuple[str, str | None]:
        """Model name -> (version actually served, adapter or None). Never builds a path from it."""
        if name == BASE:
            return BASE, None
        if name == ALIAS:
            promoted = self._promoted
            return (promoted or BASE), promoted
        try:
            validate_version_name(name)
        except RegistryError:
            raise InvalidModelName(name, self.available()) from None
        if name not in self._versions:
            raise ModelNotFound(name, self.available())
        return name, name

    # ---- tokens -------------------------------------------------------------------------
    def encode(self, messages: list[dict[str, str]]) -> list[int]:
        """Prompt token ids: the tokenizer's chat template with the assistant turn opened."""
        from jinja2 import TemplateError

        with self._tok_lock:
            try:
                text = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
            except TemplateError as err:
                raise InvalidMessages(f"the model's chat template refuses these messages: {err}") from None
            return list(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def count_prompt_tokens(self, messages: list[dict[str, str]]) -> int:
        return len(self.encode(messages))

    def _decode(self, tokens: list[int]) -> str:
        with self._tok_lock:
            return self.tokenizer.decode(tokens, skip_special_tokens=True)

    def request(self, messages: list[dict[str, str]], model: str = BASE, **params: Any) -> GenRequest:
        """Convenience for in-process callers: encode and resolve in one go."""
        _, adapter = self.resolve(model)
        return GenRequest(self.encode(messages), adapter, SamplingParams(**params))

    # ---- decoding -----------------------------------------------------------------------
    def _forward(self, adapter: str | None, **inputs: Any) -> Any:
        autocast = (torch.autocast(self.device.split(":")[0], dtype=torch.bfloat16) if self.autocast
                    else contextlib.nullcontext())
        with self._model_lock, torch.inference_mode(), autocast:
            self._activate(adapter)
            return self.model(**inputs, use_cache=True, logits_to_keep=1)

    def _advance(self, row: Row, token: int) -> None:
        """Append a token to a row and decide whether it is finished (called by the scheduler)."""
        if token in self.eos_ids:
            row.finish = "stop"
            return
        row.tokens.append(token)
        # Built in locals and assigned once: a stream reads `row.text` from another thread and
        # must never see the text before a stop string is cut off.
        text, finish = self._decode(row.tokens), None
        for stop in row.params.stop:
            cut = text.find(stop)
            if cut >= 0:
                text, finish = text[:cut], "stop"
        if finish is None and len(row.tokens) >= row.params.max_tokens:
            finish = "length"
            # Cut inside a character: its first bytes decode as U+FFFD and are not part of the answer.
            text = text.rstrip("\ufffd")
        row.text = text
        row.finish = finish

    def submit(self, request: GenRequest) -> Future[Completion]:
        """Start decoding a request (it joins the running batch at the next step)."""
        return self.scheduler.submit([request])[0].future

    def generate(self, requests: list[GenRequest]) -> list[Completion]:
        """Answer requests submitted together (so they prefill together), in request order."""
        jobs = self.scheduler.submit(requests)
        return [job.future.result() for job in jobs]

    async def astream(self, request: GenRequest) -> AsyncIterator[Delta]:
        """Stream one answer as text pieces; the last piece carries the finish reason and usage.
        Waiting for the next token holds no thread, and closing the generator early (a client
        that went away) takes the row out of the running batch."""
        loop = asyncio.get_running_loop()
        updates: asyncio.Queue[None] = asyncio.Queue()
        job = self.scheduler.submit([request], listener=lambda: loop.call_soon_threadsafe(updates.put_nowait, None))[0]
        sent = 0
        try:
            while True:
                await updates.get()
                if job.future.done():
                    break
                text, sent = _next_piece(job, sent)
                if text:
                    yield Delta(text)
            yield _last_piece(job, sent)
        finally:
            job.cancelled = True


def _next_piece(job: Job, sent: int) -> tuple[str, int]:
    """Text decoded since `sent` characters that is safe to send, and the new count."""
    text = job.row.text
    ready = len(text) - _held_back(text, job.row.params.stop)
    return (text[sent:ready], ready) if ready > sent else ("", sent)


def _last_piece(job: Job, sent: int) -> Delta:
    done = job.future.result()  # raises what decoding raised
    return Delta(done.text[sent:], finish_reason=done.finish_reason, completion=done)
