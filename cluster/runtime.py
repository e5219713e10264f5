"""Connecting to Ray: a local instance by default, or an existing cluster by address.

Knows nothing about ML; the recipe's `scaling.address` (or `--address`) decides where work runs.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

# Variables every Ray worker needs to behave like the driver: never reach a model hub,
# find the same model cache, and not oversubscribe the CPU with tokenizer threads.
PROPAGATED_ENV = ("DOMAINFORGE_CACHE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "DOMAINFORGE_API_KEY")
CODE_EXCLUDES = [".venv", "runs", ".git", "**/__pycache__", ".pytest_cache", "*.safetensors", "*.gguf"]


def worker_env() -> dict[str, str]:
    env = {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "PYTHONUNBUFFERED": "1"}
    env.update({k: os.environ[k] for k in PROPAGATED_ENV if k in os.environ})
    return env


def is_remote(address: str | None) -> bool:
    return bool(address) and address != "local"


def init_ray(address: str | None = None, num_cpus: int | None = None, project_root: str | Path | None = None) -> None:
    """Start or join Ray once per process.

    A remote cluster gets the project directory as `working_dir` so recipes, sample data
    and code changes travel with the job; a local instance shares this machine's files.
    """
    import ray

    if ray.is_initialized():
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    runtime_env: dict = {"env_vars": worker_env()}
    if is_remote(address) and project_root is not None:
        runtime_env.update({"working_dir": str(project_root), "excludes": CODE_EXCLUDES})
    ray.init(
        address=address if is_remote(address) else None,
        num_cpus=None if is_remote(address) else num_cpus,
        runtime_env=runtime_env,
        include_dashboard=False,
        logging_level=logging.WARNING,
        log_to_driver=True,
    )
    log.info("ray ready: %s", ray.cluster_resources())


def cluster_resources() -> dict[str, float]:
    import ray

    return dict(ray.cluster_resources())
