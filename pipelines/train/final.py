"""What every Ray Train worker reports when a stage ends: metrics, where each rank ran and what
it held, the adapter, and a probe of the final model.

- `workers.json`: per rank, node and device, its peak memory, and the parameter and
  optimizer-state elements that rank keeps in memory. Under DeepSpeed ZeRO-3 each rank keeps a partition of every parameter;
  under ZeRO-2 a partition of the trainable parameters' fp32 copies and optimizer state; under
  DDP everything is whole on every rank. It shows that sharding happened, not just that it was
  asked for.
- `probe.json`: the log-probabilities the final model gives the labels of the first eval rows.
  Whoever loads the saved adapter (a test, a user checking a cluster run) can check that it
  reproduces the model that was trained, whatever wrapped it during training (DDP, ZeRO-3's
  partitioned parameters, a 4-bit base).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch

from pipelines.core.chat import IGNORE
from pipelines.train.teacher import PARENT_ADAPTER

FINAL_ADAPTER = "adapter"
LOG_HISTORY = "log_history.json"
WORKERS = "workers.json"  # where each rank ran and what it held, written by rank 0
PROBE = "probe.json"
PROBE_ROWS = 2  # enough to tell a wrong adapter from the right one; cheap even at 2048 tokens


@dataclass(frozen=True)
class Held:
    """Elements one rank keeps in memory (ZeRO partitions count their local part only)."""

    params_local: int
    """Model parameters held by this rank (trainable and frozen)."""
    params_total: int
    """Model parameters of the whole model."""
    trainable_total: int
    """Trainable (LoRA) parameters of the whole model."""
    optimizer_local: int
    """Trainable parameters whose fp32 copy and optimizer state this rank holds."""


def held_by_this_rank(model, engine=None) -> Held:
    """What this rank holds. `engine`: the DeepSpeed engine, when DeepSpeed trains."""
    params = list(model.parameters())
    # ZeRO-3 replaces each parameter's data by an empty tensor and keeps this rank's slice in
    # `ds_tensor`; `ds_numel` is the whole parameter's size.
    total = sum(getattr(p, "ds_numel", p.numel()) for p in params)
    local = sum(p.ds_tensor.numel() if hasattr(p, "ds_tensor") else p.numel() for p in params)
    trainable = sum(getattr(p, "ds_numel", p.numel()) for p in params if p.requires_grad)
    optimizer = trainable
    zero = getattr(engine, "optimizer", None)
    # ZeRO-1/2 keep this rank's slice of the flat fp32 groups; ZeRO-3 its flat partitions.
    for attr in ("single_partition_of_fp32_groups", "fp32_partitioned_groups_flat"):
        if zero is not None and hasattr(zero, attr):
            optimizer = sum(t.numel() for t in getattr(zero, attr))
            break
    return Held(params_local=local, params_total=total, trainable_total=trainable, optimizer_local=optimizer)


def token_logprobs(model, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                   labels: torch.Tensor) -> list[list[float]]:
    """Per row, log p(label) at every position that has a label (tokens < n predict token n).
    Upcast and normalised a row at a time: a whole batch of fp32 log-softmax over a large
    vocabulary would be gigabytes."""
    with torch.no_grad():
        logits = model(input_ids=input_ids, attention_mask=attention_mask).logits
    targets = labels[:, 1:].to(logits.device)
    rows = []
    for row, target in zip(logits[:, :-1], targets, strict=True):
        keep = target != IGNORE
        picked = row[keep].float()
        logp = picked.gather(1, target[keep].unsqueeze(1)).squeeze(1) - torch.logsumexp(picked, dim=-1)
        rows.append(logp.tolist())
    return rows


def probe(trainer, batch: dict[str, torch.Tensor]) -> dict[str, Any]:
    """The final model's label log-probabilities on the first rows of `batch`, under the training precision.
    Collective under ZeRO-3 (its forward gathers parameters from every rank): all ranks call it."""
    model = trainer.model
    device = next(p.device for p in model.parameters())
    was_training = model.training
    model.eval()
    ids, mask, labels = (batch[key][:PROBE_ROWS] for key in ("input_ids", "attention_mask", "labels"))
    with trainer.autocast_smart_context_manager():
        logprobs = token_logprobs(model, ids.to(device), mask.to(device), labels)
    model.train(was_training)
    rows = [x[m.bool()].tolist() for x, m in zip(ids, mask, strict=True)]
    row_labels = [y[m.bool()].tolist() for y, m in zip(labels, mask, strict=True)]
    return {"input_ids": rows, "labels": row_labels, "token_logprobs": logprobs, "bf16": bool(trainer.args.bf16)}


def final_metrics(state, train_output) -> dict[str, Any]:
    metrics: dict[str, Any] = {}
    for entry in state.log_history:
        metrics.update({k: v for k, v in entry.items() if isinstance(v, int | float)})
    runtime = float(train_output.metrics.get("train_runtime", 0.0))
    tokens = float(getattr(state, "num_input_tokens_seen", 0) or metrics.get("num_input_tokens_seen", 0))
    metrics.update({
        "steps": state.global_step, "train_loss": float(train_output.training_loss), "train_runtime": runtime,
        "train_tokens": tokens, "tokens_per_s": tokens / runtime if runtime else 0.0, "final": 1,
    })
    return metrics


def peak_memory_mb(use_gpu: bool) -> dict[str, float]:
    """This worker process's peak resident memory (its whole life: one stage, since Ray Train
    starts new workers per run) and, on GPU, the peak memory torch allocated on its device."""
    import resource

    peak = {"peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}  # KiB on Linux
    if use_gpu:
        peak["peak_gpu_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    return peak


def placement(use_gpu: bool, held: Held) -> list[dict[str, Any]]:
    """Where every rank ran and what it held, gathered from all ranks (collective: every rank
    must call it)."""
    import socket

    import ray
    import ray.train

    ctx = ray.train.get_context()
    mine = {"rank": ctx.get_world_rank(), "node_rank": ctx.get_node_rank(),
            "node_id": ray.get_runtime_context().get_node_id(), "node_ip": ray.util.get_node_ip_address(),
            "host": socket.gethostname(), "device": f"cuda:{torch.cuda.current_device()}" if use_gpu else "cpu",
            **asdict(held), **peak_memory_mb(use_gpu)}
    if not (torch.distributed.is_available() and torch.distributed.is_initialized()):
        return [mine]
    every: list[dict[str, Any] | None] = [None] * torch.distributed.get_world_size()
    torch.distributed.all_gather_object(every, mine)
    return sorted((w for w in every if w is not None), key=lambda w: w["rank"])


def report_final(trainer, output, rank: int, use_gpu: bool, resumed_from: int,
                 probe_batch: dict[str, torch.Tensor] | None) -> None:
    """Every rank saves (ZeRO-3 gathers weights collectively; only rank 0 writes them) and runs
    the probe; rank 0's files are reported as the stage's final checkpoint."""
    import ray.train

    metrics = {**final_metrics(trainer.state, output), "resumed_from_step": resumed_from}
    workers = placement(use_gpu, held_by_this_rank(trainer.model, getattr(trainer, "deepspeed", None)))
    metrics["num_nodes"] = len({w["node_id"] for w in workers})
    model = trainer.accelerator.unwrap_model(trainer.model)
    if PARENT_ADAPTER in getattr(model, "peft_config", {}):  # a frozen parent (KTO's reference, the
        model.delete_adapter(PARENT_ADAPTER)                # replay teacher) is not part of the new version
    probed = probe(trainer, probe_batch) if probe_batch is not None else None
    with tempfile.TemporaryDirectory() as tmp:
        trainer.save_model(str(Path(tmp) / FINAL_ADAPTER))
        (Path(tmp) / LOG_HISTORY).write_text(json.dumps(trainer.state.log_history))
        (Path(tmp) / WORKERS).write_text(json.dumps(workers))
        if probed is not None:
            (Path(tmp) / PROBE).write_text(json.dumps(probed))
        ckpt = ray.train.Checkpoint.from_directory(tmp) if rank == 0 else None
        ray.train.report(metrics, checkpoint=ckpt)
