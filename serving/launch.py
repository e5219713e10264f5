"""Start the API: Ray (local or `scaling.address`), Serve's HTTP proxy on serve.host/port and the
app. `start(recipe)` returns the URLs and leaves everything running (tests, benchmarks).

`domainforge serve` (pipelines/cli.py, the wiring layer) starts this and the Gradio chat UI next
to it: serving knows nothing of the UI, which is an HTTP client of it.
"""

from __future__ import annotations

import logging
import os

from pipelines.core.config import Recipe

log = logging.getLogger(__name__)

APP_NAME = "domainforge"
DRAIN_ENV = "RAY_SERVE_DIRECT_INGRESS_MIN_DRAINING_PERIOD_S"
DRAIN_S = "2"
"""How long a stopping replica keeps its HAProxy ingress open before it drains (Serve's default
is 30 s, which raised every replica's shutdown timeout to 35 s: `kill` took ~35 s to stop the
server). HAProxy reloads its backends in well under a second here. It applies to the Ray
processes started from this process (a local Ray); a cluster sets it where Ray starts."""


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def _http_address(recipe: Recipe) -> tuple[str, int]:
    """Where Serve's proxy really listens: an already running Serve keeps its own host/port."""
    try:
        from ray.serve.context import _get_global_client

        config = _get_global_client().http_config
        if (config.host, config.port) != (recipe.serve.host, recipe.serve.port):
            log.warning("Serve was already running on %s:%s; serve.host/port do not apply", config.host, config.port)
        return config.host, config.port
    except Exception:  # private API: fall back to the configured address
        return recipe.serve.host, recipe.serve.port


def start(recipe: Recipe) -> dict[str, str]:
    """Deploy (or redeploy) the chat app; returns {"api": OpenAI base URL, "health": URL}."""
    import ray
    from ray import serve

    from cluster.runtime import init_ray
    from cluster.scaling import resolve_use_gpu
    from serving.app import build_app

    os.environ.setdefault(DRAIN_ENV, DRAIN_S)  # read by Serve's processes when Ray starts them
    init_ray(recipe.scaling.address)
    use_gpu = resolve_use_gpu(recipe.scaling.use_gpu, ray.cluster_resources().get("GPU", 0.0))
    # HTTP options belong to the cluster's Serve instance: they apply when Serve is not running yet.
    serve.start(http_options={"host": recipe.serve.host, "port": recipe.serve.port})
    serve.run(build_app(recipe, use_gpu=use_gpu), name=APP_NAME, route_prefix="/")
    host, port = _http_address(recipe)
    root = f"http://{_display_host(host)}:{port}"
    urls = {"api": f"{root}/v1", "health": f"{root}/healthz"}
    log.info("serving %s on %s (%s)", recipe.model.name, urls["api"], "GPU" if use_gpu else "CPU")
    return urls


