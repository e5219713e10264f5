"""Precision: whether a run computes in bf16 or fp32 on this machine.

One policy for training (`train.precision`), evaluation and self-replay generation
(`eval.precision`): `auto` is bf16 on a GPU and on CPUs that multiply bf16 natively
(`cluster.scaling.cpu_has_fast_bf16`), fp32 elsewhere, where bf16 is emulated and slow.
"""

from __future__ import annotations

import contextlib

import torch

from cluster.scaling import cpu_has_fast_bf16


def resolve_bf16(precision: str, use_gpu: bool, fast_cpu_bf16: bool) -> bool:
    """Mixed precision on? `auto`: on GPU, and on CPUs with native bf16; `bf16`: always."""
    if precision == "fp32":
        return False
    if precision == "bf16":
        return True
    return use_gpu or fast_cpu_bf16


def resolved_precision(precision: str) -> str:
    """What evaluation runs in here, "bf16" or "fp32" (`eval.precision` resolved for this machine)."""
    if torch.cuda.is_available():
        return "bf16"  # load_for_eval puts the weights in bf16 on a GPU
    return "bf16" if resolve_bf16(precision, False, cpu_has_fast_bf16()) else "fp32"


def autocast(precision: str) -> contextlib.AbstractContextManager:
    """bf16 autocast for a CPU evaluation that resolves to bf16; nothing to do otherwise.
    Autocast keeps norms, softmax and the loss in fp32; only the matmuls run in bf16."""
    if torch.cuda.is_available() or resolved_precision(precision) == "fp32":  # GPU: bf16 weights already
        return contextlib.nullcontext()
    return torch.autocast("cpu", dtype=torch.bfloat16)
