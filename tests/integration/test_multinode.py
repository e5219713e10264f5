"""Multi-node: a simulated two-node Ray cluster on this machine runs prepare + DAPT with two
training workers forced onto different nodes, checkpoints and prepared data on shared storage
(a `file://` folder standing in for s3://), and the adapter registered in a shared registry.

    .venv/bin/python -m pytest -q tests/integration/test_multinode.py

The cluster runs in a subprocess (tests/integration/two_node_driver.py) with its own RAY_TMPDIR
and token authentication on, so it neither meets the session's local Ray nor any other Ray on
this machine.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("two_node_driver.py")
TIMEOUT_S = 900  # about 2-3 minutes on an idle 2-core machine; 9 at a load average of 90


@pytest.fixture(scope="module")
def two_node_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("twonode")
    # Short private temp dir: Ray's socket paths must stay under the UNIX limit.
    ray_tmp = tempfile.mkdtemp(prefix="dfray-", dir="/tmp")
    env = {k: v for k, v in os.environ.items() if k not in ("RAY_ADDRESS", "RAY_AUTH_TOKEN_PATH")}
    env.update({"RAY_TMPDIR": ray_tmp, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(16),
                "RAY_DEDUP_LOGS": "1", "PYTHONUNBUFFERED": "1"})
    log_path = work / "driver.log"
    try:
        with open(log_path, "w") as log:
            proc = subprocess.Popen([sys.executable, str(DRIVER), str(work)], cwd=ROOT, env=env, stdout=log,
                                    stderr=subprocess.STDOUT, start_new_session=True)
            try:
                rc = proc.wait(timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                rc = "timeout"
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-60:])
        assert rc == 0, f"two-node driver failed ({rc}); last lines of {log_path}:\n{tail}"
        yield work, json.loads((work / "result.json").read_text())
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)


def test_workers_ran_on_two_different_nodes(two_node_run):
    _, result = two_node_run
    nodes = result["nodes"]
    assert len(result["alive"]) == 3, result["alive"]
    workers = result["train"]["workers"]
    assert [w["rank"] for w in workers] == [0, 1]
    placed = {w["node_id"] for w in workers}
    # One worker on each node that has the custom resource, none on the head.
    assert placed == {nodes["a"], nodes["b"]}, (placed, nodes)
    assert result["train"]["metrics"]["num_nodes"] == 2
    assert result["results"]["dapt"]["steps"] == 4


def test_checkpoints_and_data_on_shared_storage(two_node_run):
    work, result = two_node_run
    shared = work / "shared" / "twonode"
    assert result["shared_dir"] == f"file://{shared}"
    checkpoint = result["train"]["checkpoint"]
    assert checkpoint.startswith(f"file://{shared}/checkpoints/"), checkpoint
    local = Path(checkpoint.removeprefix("file://"))
    assert (local / "adapter" / "adapter_config.json").is_file()
    assert (local / "workers.json").is_file()
    assert list((shared / "data" / "domain").glob("*.parquet")), "no prepared parquet on shared storage"
    # Nothing heavy in the driver's own run directory; its small files are mirrored to shared storage.
    run_dir = work / "driver_runs" / "twonode"
    assert not (run_dir / "data").exists() and not (run_dir / "checkpoints").exists()
    for name in ("recipe.yaml", "data_report.json", "train_dapt.json"):
        assert (run_dir / name).is_file() and (shared / name).is_file(), name


def test_registry_on_shared_storage_sees_the_adapter(two_node_run):
    work, result = two_node_run
    versions = [r["version"] for r in result["registry"]]
    assert versions == ["dapt-v1"]
    assert result["registry"][0]["run"] == "twonode"
    assert (work / "shared" / "registry" / "dapt-v1" / "adapter_config.json").is_file()
    # A fresh reader (another machine would do the same) finds it through the URI.
    from pipelines.core.registry import Registry

    assert Registry(f"file://{work / 'shared' / 'registry'}").latest(stage="dapt", run="twonode") == "dapt-v1"


def test_dedup_on_two_nodes_drops_what_one_node_drops(two_node_run, ray_session, tmp_path):
    """The planted corpus of test_dedup.py, deduplicated on the two-node cluster (signature tasks
    and the hash shuffle spread over the nodes) and on this session's one-node Ray."""
    from pipelines.core.config import recipe_from_dict
    from pipelines.data.prepare import duplicates
    from pipelines.data.tally import Tally
    from pipelines.samples.planted import plant_duplicates

    _, result = two_node_run
    planted = plant_duplicates(tmp_path / "planted", originals=160, seed=3)
    recipe = recipe_from_dict({"run": {"name": "one", "root": str(tmp_path / "runs")}, "model": {"name": "tiny"},
                               "data": {"corpus": [str(tmp_path / "planted")], "sft": [], "tokenizer_actors": 1}})
    local = sorted(duplicates(recipe, "planted", planted.files, False, Tally.remote()).tolist())
    assert result["dedup_drop"] == local
    assert len(local) >= 0.95 * len(planted.exact | planted.near)
