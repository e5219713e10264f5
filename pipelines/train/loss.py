"""Next-token cross-entropy computed a few rows at a time (the loss of every "lm" stage).

The stock causal-LM loss upcasts the whole logits tensor to float32 and runs log-softmax over
it: for a batch of 8 × 256 tokens and a 49k vocabulary that is 400 MB written, read back in the
backward pass and kept alive in between, and on a CPU it was a quarter of a LoRA training step
(BENCHMARKS.md, Training step). Here each chunk of rows is upcast while it is in cache, and the
gradient (softmax minus one-hot) is written once, in the logits' own dtype, during the forward
pass; the backward pass only scales it. Values equal the stock loss to float rounding.

It plugs in as the model's `loss_function`, so the Hugging Face model, PEFT, DDP and the Trainer
see the same forward call and the same loss semantics (mean over label tokens, or sum over
`num_items_in_batch` when the Trainer passes it for gradient accumulation).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

import torch

from pipelines.core.chat import IGNORE

CHUNK_ROWS = 128  # 128 × 49k float32 logits = 25 MB: fast on the CPUs measured, small anywhere


class _ChunkedLoss(torch.autograd.Function):
    """Σ -log p(target) over rows whose target is not IGNORE, plus Σ KL(teacher ‖ model) over the
    rows in `teacher_index` (distilled rows; their targets are IGNORE). Gradient precomputed into
    one buffer. Rows without a target (an SFT prompt, padding) are skipped, not computed and masked."""

    @staticmethod
    def forward(ctx, logits: torch.Tensor, targets: torch.Tensor, teacher: torch.Tensor | None,  # noqa: D102
                teacher_index: torch.Tensor | None) -> torch.Tensor:
        total = torch.zeros((), dtype=torch.float32, device=logits.device)
        grad = torch.zeros_like(logits) if logits.requires_grad else None
        learned = (targets != IGNORE).nonzero().squeeze(1)
        for start in range(0, learned.numel(), CHUNK_ROWS):
            index = learned[start : start + CHUNK_ROWS]
            chunk = logits.index_select(0, index).float()  # a copy: edited in place below
            target = targets.index_select(0, index).unsqueeze(1)
            lse = torch.logsumexp(chunk, dim=-1)
            total += (lse - chunk.gather(1, target).squeeze(1)).sum()
            if grad is not None:
                probs = chunk.sub_(lse.unsqueeze(1)).exp_()
                probs.scatter_add_(1, target, torch.full_like(target, -1, dtype=probs.dtype))
                grad.index_copy_(0, index, probs.to(grad.dtype))
        for start in range(0, 0 if teacher is None else teacher_index.numel(), CHUNK_ROWS):
            index = teacher_index[start : start + CHUNK_ROWS]
            log_q = torch.log_softmax(logits.index_select(0, index).float(), dim=-1)
            log_p = torch.log_softmax(teacher[start : start + CHUNK_ROWS].float(), dim=-1)
            p = log_p.exp()
            total += (p * (log_p - log_q)).sum()
            if grad is not None:  # d KL / d logits = softmax(logits) - teacher's probabilities
                grad.index_copy_(0, index, log_q.exp_().sub_(p).to(grad.dtype))
        ctx.save_for_backward(grad)
        return total

    @staticmethod
    def backward(ctx, grad_output: torch.Tensor):  # noqa: D102
        (grad,) = ctx.saved_tensors
        return grad * grad_output.to(grad.dtype), None, None, None


def chunked_causal_lm_loss(logits: torch.Tensor, labels: torch.Tensor | None = None, vocab_size: int | None = None,
                           num_items_in_batch: torch.Tensor | int | None = None, ignore_index: int = IGNORE,
                           shift_labels: torch.Tensor | None = None,
                           distill: tuple[torch.Tensor, torch.Tensor] | None = None, **_: object) -> torch.Tensor:
    """Drop-in for transformers' `ForCausalLMLoss`: tokens < n predict token n. `distill`
    (teacher logits [n, vocab], their flat positions [n]) adds the KL terms of distilled rows."""
    if ignore_index != IGNORE:
        raise ValueError(f"chunked_causal_lm_loss supports ignore_index={IGNORE} only")
    if shift_labels is None:
        shift_labels = torch.nn.functional.pad(labels, (0, 1), value=IGNORE)[..., 1:]
    flat = logits.reshape(-1, logits.shape[-1])
    targets = shift_labels.reshape(-1).to(flat.device)
    teacher, index = distill if distill is not None else (None, None)
    total = _ChunkedLoss.apply(flat, targets, teacher, index)
    if num_items_in_batch is None:
        return total / (targets != IGNORE).sum().clamp(min=1)
    if torch.is_tensor(num_items_in_batch):
        num_items_in_batch = num_items_in_batch.to(total.device)
    return total / num_items_in_batch


def use_chunked_loss(model) -> None:
    """Make a Hugging Face causal LM (or a PEFT model around one) train with the chunked loss."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    base.loss_function = chunked_causal_lm_loss


def _loss_owner(model):
    """The Hugging Face model inside DDP and PEFT wrappers: the one whose `loss_function` runs."""
    inner = getattr(model, "module", model)
    return inner.get_base_model() if hasattr(inner, "get_base_model") else inner


@contextlib.contextmanager
def _distilling(model, teacher: torch.Tensor, index: torch.Tensor) -> Iterator[None]:
    owner = _loss_owner(model)
    stock = owner.loss_function
    owner.loss_function = functools.partial(chunked_causal_lm_loss, distill=(teacher, index))
    try:
        yield
    finally:
        owner.loss_function = stock


def lm_loss_distilling_rows(model, teacher, inputs: dict[str, torch.Tensor], distill_rows: torch.Tensor,
                            num_items_in_batch: torch.Tensor | int | None = None) -> torch.Tensor:
    """Next-token loss where the rows in `distill_rows` learn the teacher's distribution instead of
    their text: Σ cross-entropy (other rows) + Σ KL(teacher ‖ model) (those rows), over the same
    positions and divided by the same count as the stock loss, so both kinds of row weigh per token.

    `teacher(input_ids, attention_mask, positions)` returns logits at the True positions, without
    gradient (`pipelines.train.teacher.ReplayTeacher`); it sees the distilled rows only. Both
    terms are computed inside the model's forward by its chunked loss (`use_chunked_loss`), so
    the full logits are never copied.
    """
    ids, mask, labels = inputs["input_ids"], inputs["attention_mask"], inputs["labels"]
    rows = distill_rows.to(device=ids.device, dtype=torch.bool)
    targets = torch.nn.functional.pad(labels, (0, 1), value=IGNORE)[..., 1:]
    count = (targets != IGNORE).sum().clamp(min=1) if num_items_in_batch is None else num_items_in_batch
    if torch.is_tensor(count):
        count = count.to(ids.device)
    positions = (targets != IGNORE) & rows.unsqueeze(1)  # where the text would have been learned
    index = positions.reshape(-1).nonzero().squeeze(1)
    teacher_logits = teacher(ids[rows], mask[rows], positions[rows])  # same row-major order as `index`
    with _distilling(model, teacher_logits, index):
        out = model(input_ids=ids, attention_mask=mask, labels=labels.masked_fill(rows.unsqueeze(1), IGNORE),
                    num_items_in_batch=count)
    return out.loss
