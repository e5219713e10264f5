"""Connecting to Ray: a local instance by default, or an existing cluster by address.

Knows nothing about ML; the recipe's `scaling.address` (or `--address`) decides where work runs.

- unset / `local`: start a local Ray on this machine (shares this machine's files).
- `auto`, `host:6379` (on a cluster node) or `ray://head:10001` (Ray Client, from outside):
  join that cluster and ship the project folder as the job's `working_dir`, so recipes,
  sample data and local code changes reach every node.
- inside `ray job submit ... -- domainforge run ...` the job already carries a working_dir:
  nothing is shipped twice, and only environment variables the job does not set are added
  (Ray refuses a driver runtime_env that conflicts with the job's).

    .venv/bin/domainforge run pipelines/recipes/quickstart.yaml --address ray://HEAD:10001
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# Variables every Ray worker needs to behave like the driver: never reach a model hub,
# find the same model cache, and not oversubscribe the CPU with tokenizer threads.
PROPAGATED_ENV = ("DOMAINFORGE_CACHE", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "DOMAINFORGE_API_KEY")
# Never shipped to a cluster (Ray also honours .gitignore/.rayignore): environments, outputs,
# caches and weights. The limit for a working_dir is a few hundred MiB.
CODE_EXCLUDES = [
    ".venv", "runs", ".git", "**/__pycache__", ".pytest_cache", ".ruff_cache", ".cache", "*.egg-info",
    "build", "dist", "*.safetensors", "*.gguf", "*.bin", "*.pt", "*.ckpt",
]
JOB_CONFIG_ENV = "RAY_JOB_CONFIG_JSON_ENV_VAR"  # set by Ray for a driver started by `ray job submit`


# Ray Data (2.60) starts this many actors to read Parquet footers on every read_parquet (its
# default is 32): a new worker process each, which costs 10-20 s on 2 cores for the handful of
# files a prepared part has. Our parts are few, large files; set the variable to override.
FOOTER_ACTORS_ENV = "RAY_DATA_PARQUET_FOOTER_NUM_ACTORS"
FOOTER_ACTORS = "1"  # one actor reads footers with 128 I/O threads

# Ray Serve's HAProxy ingress (Ray >= 2.56): HAProxy listens on `serve.port` and forwards each
# HTTP request straight to a replica's own HTTP server. The default Python proxy costs ~20 ms
# more per chat request on 2 cores: a proxy hop, plus a Ray call from the replica back to the
# proxy to fetch the request body (see BENCHMARKS.md, Serving). Read by Serve's controller and
# replicas when their processes start, so it is set before a local Ray starts (its processes
# inherit it) and in cluster.yaml for `ray up` clusters; set it to 0 to keep Serve's proxy.
HAPROXY_ENV = "RAY_SERVE_ENABLE_HA_PROXY"
HAPROXY = "1"
OWN_API_ENV = "DOMAINFORGE_OWN_STATE_API"  # marks a RAY_API_SERVER_ADDRESS that init_ray set


def worker_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    environ = os.environ if environ is None else environ
    env = {"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "PYTHONUNBUFFERED": "1",
           FOOTER_ACTORS_ENV: environ.get(FOOTER_ACTORS_ENV, FOOTER_ACTORS)}
    env.update({k: environ[k] for k in PROPAGATED_ENV if k in environ})
    return env


def is_remote(address: str | None) -> bool:
    return bool(address) and address != "local"


def effective_address(address: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The address Ray will use: the argument, else `RAY_ADDRESS` (as `ray.init` does)."""
    environ = os.environ if environ is None else environ
    return address or environ.get("RAY_ADDRESS") or None


def job_runtime_env(environ: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """The runtime_env of the Ray job this driver runs in (`ray job submit`), or None."""
    environ = os.environ if environ is None else environ
    raw = environ.get(JOB_CONFIG_ENV)
    if not raw:
        return None
    try:
        return dict(json.loads(raw).get("runtime_env") or {})
    except (ValueError, AttributeError):
        return {}


def runtime_env_for(address: str | None, project_root: str | Path | None,
                    environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The runtime_env for `ray.init`: worker variables, plus the project as working_dir when
    joining a cluster from outside a job; nothing for a local instance this process starts
    (its workers inherit the driver's environment, see `init_ray`). Pure (tested without Ray)."""
    env_vars = worker_env(environ)
    job = job_runtime_env(environ)
    if job is not None:  # merge-safe: only what the job does not already define
        taken = set((job.get("env_vars") or {}).keys())
        env = {"env_vars": {k: v for k, v in env_vars.items() if k not in taken}}
        if "working_dir" not in job and "py_modules" not in job and project_root is not None:
            log.warning("this Ray job has no working_dir: nodes other than the head only see installed code; "
                        "submit with `ray job submit --working-dir .`")
        return env if env["env_vars"] else {}
    if not is_remote(effective_address(address, environ)):
        # Any runtime_env, even variables only, costs every new worker ~1 s more on 2 cores
        # (the runtime-env agent sets it up) and stops Ray from prestarting workers.
        return {}
    runtime_env: dict[str, Any] = {"env_vars": env_vars}
    if project_root is not None:
        runtime_env.update({"working_dir": str(project_root), "excludes": list(CODE_EXCLUDES)})
    return runtime_env


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """`count` distinct ports free right now. Every socket stays bound until all are picked:
    ports asked for one at a time can come back equal (the first is free again once its
    socket closes), and a server told to listen twice on one port fails to start."""
    import socket
    from contextlib import ExitStack

    with ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]


def own_state_api(environ: MutableMapping[str, str]) -> int | None:
    """Pin the dashboard port of the local Ray this process is about to start, and point Ray's
    state API at it (`RAY_API_SERVER_ADDRESS`) in the environment its processes will inherit.

    Two domainforge processes on one machine (a `serve` while a `run` trains) each start a local
    Ray, which is what they should do: a Ray started inside a process ends with it, so a `run`
    joined to the `serve`'s Ray would lose its workers when the server stops. Ray's state API,
    asked from inside a worker without an address (Ray Train's placement-group cleaner does
    that), looks for "the" local Ray, finds two and fails with `Found multiple active Ray
    instances`. With the variable set, each process's workers ask their own. A user's own
    setting wins (returns None: Ray picks the port)."""
    if "RAY_API_SERVER_ADDRESS" in environ and not environ.get(OWN_API_ENV):
        return None
    port = free_port()
    environ["RAY_API_SERVER_ADDRESS"] = f"http://127.0.0.1:{port}"
    environ[OWN_API_ENV] = "1"  # ours: a later init_ray in this process may replace it
    return port


def init_ray(address: str | None = None, num_cpus: int | None = None, project_root: str | Path | None = None) -> None:
    """Start or join Ray once per process.

    A remote cluster gets the project directory as `working_dir` so recipes, sample data
    and code changes travel with the job; a local instance shares this machine's files.
    """
    import ray

    if ray.is_initialized():
        return
    target = effective_address(address, os.environ)
    remote = is_remote(target) or job_runtime_env() is not None
    # A local Ray's processes inherit this process's environment: that is how its workers get
    # the worker variables (a runtime_env would slow every worker's start).
    for key, value in {**worker_env(), HAPROXY_ENV: HAPROXY}.items():
        os.environ.setdefault(key, value)
    dashboard_port = None if remote else own_state_api(os.environ)
    ray.init(
        address=address if is_remote(address) else None,
        num_cpus=None if remote else num_cpus,
        dashboard_port=dashboard_port,
        runtime_env=runtime_env_for(address, project_root) or None,
        # Ray Train v2's placement-group cleaner polls the state API, which the dashboard serves;
        # without it every run logs a warning per second.
        include_dashboard=True,
        logging_level=logging.WARNING,
        log_to_driver=True,
    )
    import ray.data  # configures its loggers on import; quiet them after that

    # Ray Data logs every dataset's plan at INFO; our stages log one line per part instead.
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    log.info("ray ready: %d node(s), %s", len(alive_nodes()), ray.cluster_resources())


def cluster_resources() -> dict[str, float]:
    import ray

    return dict(ray.cluster_resources())


def alive_nodes() -> list[dict[str, Any]]:
    """The cluster's live nodes (`NodeID`, `NodeManagerAddress`, `Resources`, ...)."""
    import ray

    return [n for n in ray.nodes() if n.get("Alive")]
