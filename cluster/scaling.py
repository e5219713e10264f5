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
    """ZeRO stage (2 or 3) or None. Never on CPU (DDP over gloo is simpler and faster there);
    `auto` shards optimizer state (ZeRO-2) once several GPUs train together. QLoRA's 4-bit
    base cannot be partitioned by ZeRO-3."""
    if not use_gpu:
        return None
    if setting == "auto":
        return 2 if num_workers > 1 and not qlora else None
    if setting == "none":
        return None
    stage = int(setting[-1])
    if stage == 3 and qlora:
        raise ValueError("DeepSpeed ZeRO-3 cannot shard a 4-bit (QLoRA) base; use zero2 or none")
    return stage


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
