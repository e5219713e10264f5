"""Hardware choices from configuration and what the cluster has: never hard-coded.

Pure functions (unit-tested): whether to use GPUs, the Ray ScalingConfig, and whether this CPU
multiplies bf16 natively. (Which ZeRO stage training uses is `pipelines.train.hardware`.)
"""

from __future__ import annotations

from typing import Any


def resolve_use_gpu(setting: bool | str, cluster_gpus: float) -> bool:
    """`auto` uses GPUs when the cluster has any; `True` without GPUs is an error."""
    if setting == "auto":
        return cluster_gpus > 0
    if setting and cluster_gpus <= 0:
        raise ValueError("scaling.use_gpu=true but the Ray cluster has no GPUs")
    return bool(setting)


def scaling_kwargs(num_workers: int, use_gpu: bool, cpus_per_worker: float, gpus_per_worker: float,
                   extra_resources: dict[str, float] | None = None) -> dict[str, Any]:
    """Arguments of `ray.train.ScalingConfig` (kept as a dict so this stays testable without Ray).

    `extra_resources` are custom resources each worker also needs (e.g. one a cluster.yaml node
    type advertises), which pins workers to the nodes that have them."""
    extra = dict(extra_resources or {})
    for key in ("CPU", "GPU"):
        if key in extra:
            raise ValueError(f"{key} per worker comes from {key.lower()}s_per_worker, not extra_resources")
    resources: dict[str, float] = {"CPU": cpus_per_worker, **extra}
    if use_gpu:
        resources["GPU"] = gpus_per_worker
    return {"num_workers": num_workers, "use_gpu": use_gpu, "resources_per_worker": resources}


def cpu_has_fast_bf16(cpuinfo: str | None = None) -> bool:
    """Whether this CPU multiplies bf16 natively (AVX512-BF16 or AMX).

    Without it (AVX2-only x86), PyTorch emulates bf16 matmuls and autocast makes training
    tens of times slower instead of ~3x faster, so `precision: auto` must not pick it.
    """
    import platform

    if cpuinfo is None:
        if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
            return _bf16_matmul_is_faster()
        try:
            with open("/proc/cpuinfo") as fh:
                cpuinfo = fh.read()
        except OSError:
            return False
    flags = set(cpuinfo.split())
    return bool(flags & {"avx512_bf16", "amx_bf16"})


def _bf16_matmul_is_faster() -> bool:
    """Fallback for non-x86/non-Linux CPUs: time a small matmul in both precisions."""
    import time

    import torch

    def rate(dtype) -> float:
        a, b = torch.randn(256, 256, dtype=dtype), torch.randn(256, 256, dtype=dtype)
        torch.matmul(a, b)
        start = time.perf_counter()
        for _ in range(5):
            torch.matmul(a, b)
        return 1.0 / (time.perf_counter() - start)

    return rate(torch.bfloat16) > rate(torch.float32)


