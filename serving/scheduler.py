"""Continuous batching: one thread decodes every running request; new ones join between steps.

Requests that share an adapter decode as one left-padded batch with one KV cache. A request
that arrives while others are decoding is prefilled (together with any others that arrived
during the same step) and merged into its adapter's running batch at the next step, its cache
left-padded to the batch's length; a finished row leaves the batch at once. So a new request
never waits for a whole batch to finish, and a request reaching an idle engine starts at once,
with no batching delay. Batches of different adapters take turns, one step each.

No Ray and no tokenizer in here: the engine passes its forward and token bookkeeping in.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from typing import Any

import torch
import torch.nn.functional as F
from transformers.cache_utils import DynamicLayer

log = logging.getLogger(__name__)


GREEDY_BELOW = 1e-4
"""Temperatures below this decode greedily. Dividing float32 logits by a temperature near 0
(1e-38 passes `>= 0`) overflows to inf and the sampler fails on NaN probabilities; at 1e-4 the
distribution is already one-hot for any logit gap above ~0.01, so greedy is the same answer."""


@dataclass(frozen=True)
class SamplingParams:
    max_tokens: int = 64
    """New tokens at most."""
    temperature: float = 0.0
    """0 (or anything below GREEDY_BELOW) = greedy."""
    top_p: float = 1.0
    """Nucleus sampling mass (only when temperature > 0)."""
    stop: tuple[str, ...] = ()
    """Generation ends before the first of these strings."""


@dataclass
class GenRequest:
    prompt_ids: list[int]
    adapter: str | None
    """Adapter version, or None for the base model."""
    params: SamplingParams = field(default_factory=SamplingParams)


@dataclass
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str
    """`stop` (EOS or a stop string) or `length` (max_tokens reached)."""


@dataclass
class Row:
    """Decoding state of one request."""

    prompt: list[int]
    params: SamplingParams
    tokens: list[int] = field(default_factory=list)
    text: str = ""
    finish: str | None = None

    def completion(self) -> Completion:
        return Completion(self.text, len(self.prompt), len(self.tokens), self.finish or "length")


@dataclass(eq=False)
class Job:
    """A submitted request: its row, the future its completion is set on, and an optional
    listener called (on the decoding thread) after every step that touched the row."""

    row: Row
    adapter: str | None
    future: Future = field(default_factory=Future)
    listener: Callable[[], None] | None = None
    cancelled: bool = False
    """Set by a consumer that no longer wants the answer (a closed stream): the row leaves."""

    def notify(self) -> None:
        if self.listener is None:
            return
        try:
            self.listener()
        except Exception:  # a consumer that went away (closed event loop) must not fail the batch
            log.debug("listener of a request failed", exc_info=True)

    def resolve(self, result: Completion | None = None, error: BaseException | None = None) -> None:
        """Set the outcome unless the future is already done (a caller may have cancelled it),
        then wake the listener."""
        try:
            if error is not None:
                self.future.set_exception(error)
            else:
                self.future.set_result(result)
        except InvalidStateError:
            pass
        self.notify()


def pick_tokens(logits: torch.Tensor, params: list[SamplingParams]) -> torch.Tensor:
    """Next token per row: argmax for greedy rows, temperature + top-p sampling for the rest."""
    picked = logits.argmax(-1)
    sampled = [i for i, p in enumerate(params) if p.temperature >= GREEDY_BELOW]
    if not sampled:
        return picked
    rows = torch.tensor(sampled, device=logits.device)
    temps = torch.tensor([params[i].temperature for i in sampled], device=logits.device)
    top_p = torch.tensor([params[i].top_p for i in sampled], device=logits.device)
    probs = torch.softmax(logits[rows].float() / temps[:, None], dim=-1)
    sorted_probs, order = probs.sort(dim=-1, descending=True)
    # Keep the smallest prefix whose mass reaches top_p (the first token always stays).
    outside = sorted_probs.cumsum(-1) - sorted_probs > top_p[:, None]
    sorted_probs = sorted_probs.masked_fill(outside, 0.0)
    choice = torch.multinomial(sorted_probs / sorted_probs.sum(-1, keepdim=True), 1)
    picked[rows] = order.gather(-1, choice).squeeze(-1)
    return picked


@dataclass(eq=False)
class _Batch:
    """The running decode of one adapter's rows. The mask is as wide as the cache is long
    (left padding = 0); `tokens` are the tokens picked last, fed at the next step."""

    adapter: str | None
    jobs: list[Job]
    cache: Any
    mask: torch.Tensor
    positions: torch.Tensor
    tokens: list[int]

    mergeable: bool = field(init=False)
    """Rows can join and leave: every layer is a plain growing KV cache. Sliding-window or
    linear-attention layers keep other state, so such a batch runs until its rows are done."""

    def __post_init__(self) -> None:
        self.mergeable = all(type(layer) is DynamicLayer for layer in self.cache.layers)

    def select(self, keep: list[int]) -> None:
        """Keep only these rows, and drop cache columns that are padding in every kept row."""
        index = torch.tensor(keep, device=self.mask.device)
        self.jobs = [self.jobs[i] for i in keep]
        self.tokens = [self.tokens[i] for i in keep]
        self.mask, self.positions = self.mask[index], self.positions[index]
        first = int(self.mask.any(0).nonzero()[0])
        self.mask = self.mask[:, first:]
        for layer in self.cache.layers:
            layer.keys, layer.values = layer.keys[index, :, first:], layer.values[index, :, first:]

    def absorb(self, other: _Batch) -> None:
        """Append another batch's rows: both left-padded to the longer cache, then stacked.
        Every new tensor is built before any is assigned, so a failure leaves this batch intact."""
        width = max(self.mask.shape[1], other.mask.shape[1])
        grow, add = width - self.mask.shape[1], width - other.mask.shape[1]
        pad = lambda t, n: F.pad(t, (0, 0, n, 0)) if n else t  # noqa: E731  (left pad along the sequence)
        layers = [(torch.cat([pad(mine.keys, grow), pad(theirs.keys, add)]),
                   torch.cat([pad(mine.values, grow), pad(theirs.values, add)]))
                  for mine, theirs in zip(self.cache.layers, other.cache.layers, strict=True)]
        mask = torch.cat([F.pad(self.mask, (grow, 0)), F.pad(other.mask, (add, 0))])
        for layer, (keys, values) in zip(self.cache.layers, layers, strict=True):
            layer.keys, layer.values = keys, values
        self.mask = mask
        self.positions = torch.cat([self.positions, other.positions])
        self.jobs += other.jobs
        self.tokens += other.tokens


class Scheduler:
    """Owns the decoding thread. `forward(adapter, **inputs)` runs the model (returning logits of
    the last position and the cache); `advance(row, token)` appends a token and sets `finish`."""

    def __init__(self, forward: Callable[..., Any], advance: Callable[[Row, int], None], pad_id: int,
                 device: str, max_rows: int = 8):
        self.forward, self.advance = forward, advance
        self.pad_id, self.device, self.max_rows = pad_id, device, max_rows
        self._cv = threading.Condition()
        self._waiting: list[Job] = []
        self._batches: dict[str | None, _Batch] = {}
        self._thread: threading.Thread | None = None
        self.stats = {"steps": 0, "joined": 0}
        """Decode steps, and rows merged into an already running batch."""

    def submit(self, requests: list[GenRequest], listener: Callable[[], None] | None = None) -> list[Job]:
        """Queue requests; they start at the next step."""
        jobs = [Job(Row(list(r.prompt_ids), r.params), r.adapter, listener=listener) for r in requests]
        for job in jobs:  # a caller that cancels the future (a client gone) frees the row
            job.future.add_done_callback(lambda f, job=job: f.cancelled() and self._cancel(job))
        with self._cv:
            self._waiting += jobs
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="decode", daemon=True)
                self._thread.start()
            self._cv.notify()
        return jobs

    @staticmethod
    def _cancel(job: Job) -> None:
        job.cancelled = True
        job.notify()

    def _run(self) -> None:
        while True:
            try:
                self._iteration()
            except BaseException as err:  # never leave callers waiting on a dead thread
                log.exception("decoding thread failed; failing every request it held")
                with self._cv:
                    jobs, self._waiting = self._waiting, []
                for batch in self._batches.values():
                    jobs += batch.jobs
                self._batches = {}
                for job in jobs:
                    job.resolve(error=err if isinstance(err, Exception) else RuntimeError(repr(err)))
                if not isinstance(err, Exception):
                    with self._cv:
                        self._thread = None  # the next submit starts a new thread
                    raise

    def _iteration(self) -> None:
        """Admit waiting requests (one prefill per adapter), then one step of every batch."""
        with self._cv:
            while not self._waiting and not self._batches:
                self._cv.wait()
            admitted = self._admit_waiting()
        groups: dict[str | None, list[Job]] = {}
        for job in admitted:
            groups.setdefault(job.adapter, []).append(job)
        for adapter, jobs in groups.items():
            self._guarded(jobs, adapter, self._prefill, adapter, jobs)
        for batch in list(self._batches.values()):
            self._guarded(batch.jobs, batch.adapter, self._step, batch)

    def _admit_waiting(self) -> list[Job]:
        """Waiting jobs that fit into their adapter's batch (caller holds the lock); the rest wait."""
        taken: dict[str | None, int] = {a: len(b.jobs) for a, b in self._batches.items()}
        admitted, still = [], []
        closed = {a for a, b in self._batches.items() if not b.mergeable}
        for job in self._waiting:
            if job.cancelled:
                self._finish(job)
            elif job.adapter not in closed and taken.get(job.adapter, 0) < self.max_rows:
                taken[job.adapter] = taken.get(job.adapter, 0) + 1
                admitted.append(job)
            else:
                still.append(job)
        self._waiting = still
        return admitted

    def _guarded(self, jobs: list[Job], adapter: str | None, fn: Callable[..., None], *args: Any) -> None:
        """Run a prefill or a step; if it fails, its rows get the error and their batch is dropped."""
        try:
            fn(*args)
        except Exception as err:  # one bad batch must not stop the decoding thread
            log.exception("decoding for %s failed", adapter or "base")
            failed = dict.fromkeys(jobs)
            batch = self._batches.get(adapter)
            if batch is not None and any(job in batch.jobs for job in jobs):  # its state is suspect
                del self._batches[adapter]
                failed.update(dict.fromkeys(batch.jobs))
            for job in failed:
                job.resolve(error=err)

    def _prefill(self, adapter: str | None, jobs: list[Job]) -> None:
        rows = [j.row for j in jobs]
        width = max(len(r.prompt) for r in rows)
        ids = torch.tensor([[self.pad_id] * (width - len(r.prompt)) + r.prompt for r in rows], device=self.device)
        mask = torch.tensor([[0] * (width - len(r.prompt)) + [1] * len(r.prompt) for r in rows], device=self.device)
        # Positions count real tokens only, so a left-padded row sees the same positions as alone.
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        out = self.forward(adapter, input_ids=ids, attention_mask=mask, position_ids=positions)
        new = _Batch(adapter, list(jobs), out.past_key_values, mask, positions[:, -1:], [])
        self._pick(new, out.logits[:, -1, :])
        running = self._batches.get(adapter)
        if running is None:
            self._batches[adapter] = new
        else:
            running.absorb(new)
            self.stats["joined"] += len(jobs)
        self._retire(self._batches[adapter])

    def _step(self, batch: _Batch) -> None:
        step = torch.tensor(batch.tokens, device=self.device)[:, None]
        batch.mask = torch.cat([batch.mask, batch.mask.new_ones(len(batch.jobs), 1)], dim=1)
        batch.positions = batch.positions + 1
        self.stats["steps"] += 1
        out = self.forward(batch.adapter, input_ids=step, attention_mask=batch.mask, position_ids=batch.positions,
                           past_key_values=batch.cache)
        batch.cache = out.past_key_values
        self._pick(batch, out.logits[:, -1, :])
        self._retire(batch)

    def _pick(self, batch: _Batch, logits: torch.Tensor) -> None:
        batch.tokens = pick_tokens(logits, [j.row.params for j in batch.jobs]).tolist()
        for job, token in zip(batch.jobs, batch.tokens, strict=True):
            if job.row.finish is None and not job.cancelled:
                self.advance(job.row, token)
                if job.row.finish is None:
                    job.notify()

    def _retire(self, batch: _Batch) -> None:
        """Finished and cancelled rows leave the batch; their futures get the completion."""
        keep = [i for i, j in enumerate(batch.jobs) if j.row.finish is None and not j.cancelled]
        for job in batch.jobs:
            if (job.row.finish is not None or job.cancelled) and not job.future.done():
                self._finish(job)
        if not keep:
            del self._batches[batch.adapter]
        elif len(keep) < len(batch.jobs) and batch.mergeable:
            batch.select(keep)
        # (a batch that cannot shrink keeps decoding its finished rows until all are done)

    @staticmethod
    def _finish(job: Job) -> None:
        job.resolve(job.row.completion())
