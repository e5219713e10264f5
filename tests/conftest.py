"""Shared fixtures: one local Ray per test session, the tiny model, small recipes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "pipelines" / "samples" / "telecom"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Ray's own output is noise in test logs; errors still surface through exceptions.
os.environ.setdefault("RAY_DATA_DISABLE_PROGRESS_BARS", "1")
# A loaded 2-core machine can take longer than Ray's default to start a worker process.
os.environ.setdefault("RAY_worker_register_timeout_seconds", "180")
# What `domainforge serve` sets (serving/launch.py): a stopping replica drains in seconds, not 35 s.
os.environ.setdefault("RAY_SERVE_DIRECT_INGRESS_MIN_DRAINING_PERIOD_S", "2")


@pytest.fixture(scope="session")
def ray_session():
    """One local Ray for the whole session. Logical CPUs are set above the 2 physical cores so
    a 2-worker training run, Ray Data tasks and a Serve replica can be scheduled together."""
    import ray

    from cluster.runtime import init_ray

    init_ray(num_cpus=4)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="session")
def tiny_model_dir() -> str:
    from pipelines.core.models import resolve_model_dir

    return str(resolve_model_dir("tiny"))


@pytest.fixture
def tiny_recipe(tmp_path):
    """A recipe on the tiny model and the bundled sample domain, writing under tmp_path."""
    from pipelines.core.config import recipe_from_dict

    def make(**sections):
        base = {
            "run": {"name": "t", "root": str(tmp_path / "runs")},
            "model": {"name": "tiny", "max_seq_len": 128},
            "data": {"corpus": [str(SAMPLES / "corpus")], "sft": [str(SAMPLES / "sft.jsonl")], "block_size": 64},
            "replay": {"sources": [str(SAMPLES / "general_replay.jsonl")], "ratio": 0.25},
            "train": {"max_steps": 6, "batch_size": 4, "lr": 5e-3, "eval_steps": 3, "save_steps": 3,
                      "logging_steps": 1, "warmup_ratio": 0.0},
            "registry": {"path": str(tmp_path / "registry")},
            "feedback": {"url": f"sqlite:///{tmp_path / 'feedback.db'}"},
            "eval": {"limit": 4, "max_new_tokens": 8, "instruct_max_new_tokens": 16},
        }
        for key, value in sections.items():
            base.setdefault(key, {}).update(value) if isinstance(value, dict) else base.__setitem__(key, value)
        return recipe_from_dict(base, "<test recipe>")

    return make


@pytest.fixture(scope="session")
def make_tiny_adapter(tiny_model_dir, tmp_path_factory):
    """Save a real PEFT LoRA adapter for the tiny model and return its folder. Weights are random
    (not the zero-initialised B of training) so each adapter visibly changes the answers."""
    import torch
    from peft import LoraConfig, get_peft_model

    from pipelines.core.models import load_model

    def make(seed: int) -> str:
        dest = tmp_path_factory.mktemp(f"adapter-{seed}")
        torch.manual_seed(seed)
        config = LoraConfig(r=8, lora_alpha=64, target_modules="all-linear", init_lora_weights=False)
        get_peft_model(load_model(tiny_model_dir), config).save_pretrained(dest)
        return str(dest)

    return make
