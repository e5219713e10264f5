"""A local Ray started by init_ray: workers get the worker variables without a runtime_env."""

from __future__ import annotations

import os


def test_local_workers_inherit_the_worker_variables_without_a_runtime_env(ray_session):
    ray = ray_session

    @ray.remote(num_cpus=0)
    def seen() -> dict:
        keys = ("RAY_DATA_PARQUET_FOOTER_NUM_ACTORS", "PYTHONUNBUFFERED", "HF_HUB_OFFLINE", "TOKENIZERS_PARALLELISM")
        return {"env": {k: os.environ.get(k) for k in keys}, "runtime_env": dict(ray.get_runtime_context().runtime_env)}

    got = ray.get(seen.remote())
    assert got["runtime_env"] == {}
    assert got["env"] == {"RAY_DATA_PARQUET_FOOTER_NUM_ACTORS": "1", "PYTHONUNBUFFERED": "1",
                          "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
