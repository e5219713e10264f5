"""Hardware choices from configuration and what the cluster has: never hard-coded.

Pure functions (unit-tested): whether to use GPUs, the Ray ScalingConfig, whether and which
DeepSpeed ZeRO stage to use, and the DeepSpeed config handed to the HF trainer.
"""

from __future__ import annotations

from typing import Any, Literal

DeepSpeedChoice = Literal["auto", "none", "zero2", "zero3"]


def resolve_use_gpu(setting: bool | str, cluster_gpus: float) -> bool:
    """`auto` uses GPUs when the cluster has any; `True` without GPUs is an error."""
    if setting == "auto":
        return cluster_gpus > 0
    if setting and cluster_gpus <= 0:
        raise ValueError("scaling.use_gpu=true but the Ray cluster has no GPUs")
    return bool(setting)


def resolve_deepspeed(setting: DeepSpeedChoice, use_gpu: bool, num_workers: int, qlora: bool = False) -> int | None:
    """ZeRO stage (2 or 3) or None.

    `auto` shards optimizer state (ZeRO-2) once several GPUs train together, and stays off on
    CPU, where DDP over gloo is faster. An explicit `zero2`/`zero3` is honoured on CPU workers
    too (DeepSpeed's CPU accelerator over gloo): it is the very code a GPU cluster runs, so it
    can be tried and tested on any machine. QLoRA's 4-bit base cannot be partitioned by ZeRO-3.
    """
    if setting == "auto":
        return 2 if use_gpu and num_workers > 1 and not qlora else None
    if setting == "none":
        return None
    stage = int(setting[-1])
    if stage == 3 and qlora:
        raise ValueError("DeepSpeed ZeRO-3 cannot shard a 4-bit (QLoRA) base; use zero2 or none")
    return stage


def deepspeed_accelerator(use_gpu: bool) -> str:
    """DeepSpeed's accelerator for this worker (its `DS_ACCELERATOR`): `cuda` on GPU workers,
    `cpu` (collectives over gloo) otherwise. Said explicitly rather than left to DeepSpeed's
    detection, which picks CUDA whenever a GPU is visible, even to a worker told to use none."""
    return "cuda" if use_gpu else "cpu"


def deepspeed_config(stage: int, offload: bool = False) -> dict[str, Any]:
    """DeepSpeed config for the HF trainer; `auto` values are filled from TrainingArguments."""
    zero: dict[str, Any] = {
        "stage": stage,
        "overlap_comm": True,
        "contiguous_gradients": True,
        "reduce_bucket_size": "auto",
    }
    if stage == 3:
        zero.update({
            "stage3_prefetch_bucket_size": "auto",
            "stage3_param_persistence_threshold": "auto",
            # Adapters are saved from full weights gathered on rank 0.
            "stage3_gather_16bit_weights_on_model_save": True,
        })
    if offload:
        zero["offload_optimizer"] = {"device": "cpu", "pin_memory": True}
    return {
        "zero_optimization": zero,
        "bf16": {"enabled": "auto"},
        "fp16": {"enabled": "auto"},
        "gradient_accumulation_steps": "auto",
        "gradient_clipping": "auto",
        "train_micro_batch_size_per_gpu": "auto",
        "train_batch_size": "auto",
        "wall_clock_breakdown": False,
    }


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


def resolve_bf16(precision: str, use_gpu: bool, fast_cpu_bf16: bool) -> bool:
    """Mixed precision on? `auto`: on GPU, and on CPUs with native bf16; `bf16`: always."""
    if precision == "fp32":
        return False
    if precision == "bf16":
        return True
    return use_gpu or fast_cpu_bf16
