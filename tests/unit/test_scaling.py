"""cluster/scaling.py and pipelines/train/hardware.py: GPU, DeepSpeed and Ray ScalingConfig choices from config and hardware."""

from __future__ import annotations

import pytest

from cluster.scaling import resolve_use_gpu, scaling_kwargs
from pipelines.train.hardware import deepspeed_accelerator, deepspeed_config, resolve_deepspeed


@pytest.mark.parametrize(("setting", "gpus", "expected"), [
    ("auto", 0, False), ("auto", 1, True), ("auto", 0.5, True), (False, 8, False), (True, 2, True),
])
def test_resolve_use_gpu(setting, gpus, expected):
    assert resolve_use_gpu(setting, gpus) is expected


def test_use_gpu_true_without_gpus_is_an_error():
    with pytest.raises(ValueError, match="no GPUs"):
        resolve_use_gpu(True, 0)


@pytest.mark.parametrize(("setting", "use_gpu", "workers", "qlora", "expected"), [
    ("auto", False, 8, False, None),   # `auto` stays off on CPU: DDP over gloo is faster there
    ("zero3", False, 2, False, 3),     # an explicit stage runs on CPU workers too (CPU accelerator)
    ("zero2", False, 2, False, 2),
    ("auto", True, 1, False, None),    # one GPU: plain training
    ("auto", True, 4, False, 2),       # several GPUs: ZeRO-2
    ("auto", True, 4, True, None),     # QLoRA: no sharding of the 4-bit base
    ("none", True, 8, False, None),
    ("zero2", True, 1, False, 2),
    ("zero3", True, 8, False, 3),
    ("zero2", True, 2, True, 2),
])
def test_resolve_deepspeed(setting, use_gpu, workers, qlora, expected):
    assert resolve_deepspeed(setting, use_gpu, workers, qlora) == expected


def test_deepspeed_accelerator_follows_the_worker_device():
    assert deepspeed_accelerator(True) == "cuda" and deepspeed_accelerator(False) == "cpu"


def test_zero3_with_qlora_is_an_error():
    with pytest.raises(ValueError, match="ZeRO-3"):
        resolve_deepspeed("zero3", True, 2, qlora=True)


def test_deepspeed_config_stages():
    z2 = deepspeed_config(2)
    assert z2["zero_optimization"]["stage"] == 2
    assert "stage3_gather_16bit_weights_on_model_save" not in z2["zero_optimization"]
    z3 = deepspeed_config(3)
    assert z3["zero_optimization"]["stage"] == 3
    # Adapters are saved from gathered weights: without this ZeRO-3 saves empty shards.
    assert z3["zero_optimization"]["stage3_gather_16bit_weights_on_model_save"] is True
    for cfg in (z2, z3):  # sizes and precision come from TrainingArguments
        assert cfg["train_micro_batch_size_per_gpu"] == "auto" and cfg["bf16"] == {"enabled": "auto"}
        assert "offload_optimizer" not in cfg["zero_optimization"]
    assert deepspeed_config(3, offload=True)["zero_optimization"]["offload_optimizer"]["device"] == "cpu"


def test_scaling_kwargs_cpu_and_gpu():
    assert scaling_kwargs(2, False, 1, 1) == {"num_workers": 2, "use_gpu": False, "resources_per_worker": {"CPU": 1}}
    assert scaling_kwargs(8, True, 4, 1) == {"num_workers": 8, "use_gpu": True,
                                             "resources_per_worker": {"CPU": 4, "GPU": 1}}


def test_scaling_kwargs_extra_resources_pin_workers():
    kwargs = scaling_kwargs(2, False, 1, 1, {"trainer_slot": 1})
    assert kwargs["resources_per_worker"] == {"CPU": 1, "trainer_slot": 1}
    with pytest.raises(ValueError, match="cpus_per_worker"):
        scaling_kwargs(2, False, 1, 1, {"CPU": 2})


def test_scaling_kwargs_build_a_ray_scaling_config():
    import ray.train

    config = ray.train.ScalingConfig(**scaling_kwargs(2, False, 1, 1, {"trainer_slot": 1}))
    assert config.num_workers == 2 and config.resources_per_worker == {"CPU": 1, "trainer_slot": 1}
