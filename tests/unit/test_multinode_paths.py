"""Paths that cross machines: what a worker on another node does with the driver's paths, and
the early stop when a multi-machine cluster would write to one machine's own disk."""

from __future__ import annotations

import pytest

from pipelines.core.config import RecipeError, recipe_from_dict


def _nodes(*ips):
    return lambda: [{"NodeID": f"n{i}", "NodeManagerAddress": ip, "Alive": True} for i, ip in enumerate(ips)]


def test_several_machines_refuse_node_local_storage(monkeypatch, tmp_path):
    import cluster.runtime
    from pipelines.stages import _check_shared_storage

    local = recipe_from_dict({"run": {"root": str(tmp_path / "runs")}, "registry": {"path": str(tmp_path / "reg")}})
    shared = recipe_from_dict({"run": {"root": str(tmp_path / "runs"), "storage": "s3://bucket/df"},
                               "registry": {"path": "gs://bucket/registry"}})
    monkeypatch.delenv("DOMAINFORGE_ASSUME_SHARED_STORAGE", raising=False)
    monkeypatch.setattr(cluster.runtime, "alive_nodes", _nodes("10.0.0.1", "10.0.0.2"))
    with pytest.raises(RecipeError, match=r"2 machines(.|\n)*run\.storage(.|\n)*registry\.path"):
        _check_shared_storage(local)
    _check_shared_storage(shared)
    monkeypatch.setenv("DOMAINFORGE_ASSUME_SHARED_STORAGE", "1")  # e.g. an unusual shared mount
    _check_shared_storage(local)
    monkeypatch.delenv("DOMAINFORGE_ASSUME_SHARED_STORAGE")
    # Several Ray nodes on one machine (as in the two-node test) share its disk.
    monkeypatch.setattr(cluster.runtime, "alive_nodes", _nodes("10.0.0.1", "10.0.0.1", "10.0.0.1"))
    _check_shared_storage(local)


def test_worker_resolves_the_model_on_its_own_node(tiny_model_dir, tmp_path):
    from pipelines.core.models import model_dir_here

    assert model_dir_here(tiny_model_dir, "tiny") == tiny_model_dir
    # The driver's cache path does not exist on this "node": the name is resolved here instead.
    assert model_dir_here(str(tmp_path / "driver-only" / "tiny"), "tiny") == tiny_model_dir
