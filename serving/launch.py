"""Start the API: Ray (local or `scaling.address`), Serve's HTTP proxy on serve.host/port, the app,
and the Gradio chat UI on serve.host:serve.ui_port.

    .venv/bin/domainforge serve pipelines/recipes/quickstart.yaml
    DOMAINFORGE_API_KEY=secret .venv/bin/domainforge serve pipelines/recipes/quickstart.yaml serve.port=8100
    DOMAINFORGE_UI_PASSWORD=pw .venv/bin/domainforge serve pipelines/recipes/quickstart.yaml serve.ui_auth.user=me

`start(recipe)` returns the URLs and leaves everything running (tests, the CLI);
`serve_forever(recipe)` also prints them and blocks until Ctrl-C.
"""

from __future__ import annotations

import logging
import os
import signal
import time

from pipelines.config import Recipe

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


def ui_login(recipe: Recipe) -> tuple[str, str] | None:
    """(user, password) for the chat UI, the password read from `serve.ui_auth.password_env`."""
    auth = recipe.serve.ui_auth
    if auth is None:
        return None
    password = os.environ.get(auth.password_env)
    if not password:
        raise RuntimeError(f"serve.ui_auth is set but the environment variable {auth.password_env} "
                           "(serve.ui_auth.password_env) holding the UI password is empty")
    return auth.user, password


def start_ui(recipe: Recipe, api_url: str) -> dict[str, str]:
    """Start the Gradio chat UI on serve.host:serve.ui_port, talking to the API over HTTP with the
    same key the API was started with. Returns {"ui": URL}; it runs in this process's threads."""
    from ui.chat import launch

    url = launch(recipe.serve.ui_api_url or api_url, api_key=os.environ.get(recipe.serve.api_key_env) or None,
                 host=recipe.serve.host, port=recipe.serve.ui_port, auth=ui_login(recipe),
                 max_tokens=recipe.serve.ui_max_tokens)
    log.info("chat UI on %s (API %s)", url, recipe.serve.ui_api_url or api_url)
    return {"ui": url}


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def serve_forever(recipe: Recipe) -> None:
    """Start the API and the chat UI (unless serve.ui_port is 0), print the URLs, block until Ctrl-C."""
    from ray import serve

    if recipe.serve.ui_port:
        ui_login(recipe)  # a missing UI password fails before the slow deploy, not after
    urls = start(recipe)
    if recipe.serve.ui_port:
        urls.update(start_ui(recipe, urls["api"]))
    print(f"OpenAI-compatible API: {urls['api']}  (health: {urls['health']})")
    if "ui" in urls:
        print(f"chat UI: {urls['ui']}")
    print("Ctrl-C to stop")
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl-C
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping")
    finally:
        serve.delete(APP_NAME)
