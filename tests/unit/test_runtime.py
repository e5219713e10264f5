"""cluster/runtime.py: what a driver ships to Ray, locally, to a cluster and inside a Ray job."""

from __future__ import annotations

import json

from cluster.runtime import CODE_EXCLUDES, effective_address, free_ports, is_remote, runtime_env_for


def test_local_ray_gets_no_runtime_env(tmp_path):
    # Its workers inherit the driver's environment (init_ray sets the worker variables there);
    # a runtime_env would only slow every worker's start and stop Ray prestarting them.
    assert runtime_env_for(None, tmp_path, environ={}) == {}
    assert runtime_env_for("local", tmp_path, environ={"DOMAINFORGE_CACHE": "/cache"}) == {}


def test_cluster_address_ships_the_project(tmp_path):
    for address in ("auto", "ray://head:10001", "10.0.0.5:6379"):
        env = runtime_env_for(address, tmp_path, environ={"DOMAINFORGE_CACHE": "/cache"})
        assert env["working_dir"] == str(tmp_path)
        assert ".venv" in env["excludes"] and "runs" in env["excludes"] and "*.safetensors" in env["excludes"]
        assert env["env_vars"]["DOMAINFORGE_CACHE"] == "/cache"
    assert set(CODE_EXCLUDES) >= {".git", ".venv", "runs", "*.gguf"}


def test_ray_address_variable_counts_as_an_address(tmp_path):
    environ = {"RAY_ADDRESS": "ray://head:10001"}
    assert effective_address(None, environ) == "ray://head:10001"
    assert runtime_env_for(None, tmp_path, environ)["working_dir"] == str(tmp_path)
    assert is_remote("auto") and not is_remote(None) and not is_remote("local")


def test_inside_a_ray_job_nothing_conflicts_with_the_job(tmp_path):
    """`ray job submit --working-dir .` already shipped the code; Ray refuses a driver
    runtime_env that sets the same fields or variables again."""
    job = {"runtime_env": {"working_dir": "gcs://_ray_pkg_abc.zip", "env_vars": {"HF_HUB_OFFLINE": "0"}}}
    environ = {"RAY_JOB_CONFIG_JSON_ENV_VAR": json.dumps(job), "RAY_ADDRESS": "10.0.0.5:6379"}
    env = runtime_env_for("auto", tmp_path, environ)
    assert "working_dir" not in env and "excludes" not in env
    assert "HF_HUB_OFFLINE" not in env["env_vars"]  # the job's value stands
    assert env["env_vars"]["TOKENIZERS_PARALLELISM"] == "false"
    # The merge Ray does when the driver calls ray.init inside the job succeeds.
    from ray.runtime_env.runtime_env import _merge_runtime_env

    assert _merge_runtime_env(job["runtime_env"], env) is not None


def test_parquet_footer_actors_are_few_unless_the_user_says_otherwise(tmp_path):
    assert runtime_env_for("auto", tmp_path, environ={})["env_vars"]["RAY_DATA_PARQUET_FOOTER_NUM_ACTORS"] == "1"
    mine = {"RAY_DATA_PARQUET_FOOTER_NUM_ACTORS": "16"}
    assert runtime_env_for("auto", tmp_path, environ=mine)["env_vars"]["RAY_DATA_PARQUET_FOOTER_NUM_ACTORS"] == "16"


def test_free_ports_are_distinct_and_bindable():
    import socket

    ports = free_ports(5)
    assert len(set(ports)) == 5
    with socket.socket() as sock:  # and really free once returned
        sock.bind(("127.0.0.1", ports[0]))
