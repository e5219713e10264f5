"""Training's hardware policy: GPUs or CPUs for the workers, and whether and which DeepSpeed
ZeRO stage shards them. Pure functions except `hardware`, which asks the Ray cluster what it has.

Here rather than in `cluster/`: `cluster/` says what the machines are (Ray, GPUs, native bf16,
storage); how training uses them is training's choice.
"""

from __future__ import annotations

from typing import Any, Literal

from cluster.scaling import resolve_use_gpu
from pipelines.core.config import Recipe

DeepSpeedChoice = Literal["auto", "none", "zero2", "zero3"]


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


def hardware(recipe: Recipe) -> tuple[bool, int | None]:
    """(use_gpu, ZeRO stage or None) from the config and what the cluster has."""
    import ray

    use_gpu = resolve_use_gpu(recipe.scaling.use_gpu, ray.cluster_resources().get("GPU", 0.0))
    return use_gpu, resolve_deepspeed(recipe.scaling.deepspeed, use_gpu, recipe.scaling.num_workers, recipe.lora.qlora)

