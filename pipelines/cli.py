"""The `domainforge` command line: the wiring layer, the one module that imports training,
serving and the chat UI together (it starts the API and the UI side by side; neither knows
the other but through HTTP).

    .venv/bin/domainforge --help
    .venv/bin/domainforge validate pipelines/recipes/quickstart.yaml
    .venv/bin/domainforge run pipelines/recipes/quickstart.yaml train.max_steps=5
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Callable

from pipelines.core.config import STAGES, Recipe, RecipeError, load_recipe

log = logging.getLogger("domainforge")


def _recipe(args: argparse.Namespace) -> Recipe:
    overrides = list(args.overrides)
    if getattr(args, "address", None):
        overrides.append(f"scaling.address={args.address}")
    return load_recipe(args.recipe, overrides)


def cmd_validate(args: argparse.Namespace) -> int:
    """The recipe, then every input its stages read (paths, every JSONL line, eval formats)."""
    from pipelines.inputs import check_inputs

    recipe = _recipe(args)
    found = check_inputs(recipe)
    if found.errors or found.warnings:
        print(found.report(), file=sys.stderr)
    if found.errors:
        print(f"{args.recipe}: {len(found.errors)} error(s) in the inputs", file=sys.stderr)
        return 2
    print(f"{args.recipe}: ok (run {recipe.run.name!r}, stages {', '.join(recipe.stages)}"
          + (f", {len(found.warnings)} warning(s)" if found.warnings else "") + ")")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from pipelines.stages import run_recipe

    run_recipe(_recipe(args))
    return 0


def _stage_command(stage: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from pipelines.stages import run_recipe

        recipe = _recipe(args)
        if stage == "cft" and args.watch:
            from pipelines.stages import watch_cft

            watch_cft(recipe)
            return 0
        run_recipe(recipe, stages=[stage])
        return 0

    return run


def cmd_tune(args: argparse.Namespace) -> int:
    from pipelines.tune import run_sweep

    run_sweep(_recipe(args), resume=not args.fresh)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    serve_forever(_recipe(args))
    return 0


# ---- the server and the chat UI: the one place that starts both ------------------------------


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

    from serving.launch import APP_NAME, start

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


def cmd_adapters(args: argparse.Namespace) -> int:
    from pipelines.core.registry import Registry

    registry = Registry(args.registry)
    if args.action == "list":
        return _list_adapters(registry, args.json)
    if args.action == "promote":
        if not args.version:
            raise RecipeError("adapters promote needs a VERSION")
        return _promote(registry, args.version, args.model, args.force)
    version = registry.rollback()
    print(f"rolled back; promoted is now {version or 'base'}")
    return 0


def _list_adapters(registry, as_json: bool) -> int:
    data = registry.snapshot()
    if as_json:
        print(json.dumps(data["versions"], indent=2))
        return 0
    from pipelines.core.registry import gate_failure, served_version

    served = served_version(data)
    print(f"{'version':<12} {'stage':<6} {'parent':<12} {'created':<20} metrics")
    for row in data["versions"]:
        mark = "*" if row["version"] == served else "!" if row.get("bad") else " "
        metrics = ", ".join(f"{k}={v:.4g}" for k, v in sorted(row.get("metrics", {}).items())
                            if isinstance(v, int | float))
        notes = (["gate failed"] if gate_failure(row) is not None else []) + (["bad: does not load"] if row.get("bad") else [])
        print(f"{mark}{row['version']:<11} {row['stage']:<6} {str(row.get('parent') or '-'):<12} "
              f"{row['created'][:19]:<20} {metrics}" + (f"  [{'; '.join(notes)}]" if notes else ""))
    print(f"* served as `domain`: {served or 'base'}")
    if data["promoted"] and data["promoted"] != served:
        bad = next(r["bad"]["reason"] for r in data["versions"] if r["version"] == data["promoted"])
        print(f"! promoted {data['promoted']} is marked bad (a server could not load it: {bad}); "
              f"`domainforge adapters promote {data['promoted']}` checks it again")
    return 0


def _promote(registry, version: str, model: str | None, force: bool) -> int:
    """Load the version onto its base model first; refuse a failed gate unless forced, and say why."""
    from pipelines.core.registry import RegistryError, adapter_base_model, check_loads, gate_failure

    row = registry.get(version)
    adapter_dir = registry.local_adapter_dir(version)
    base = model or adapter_base_model(adapter_dir)
    if base is None:
        raise RegistryError(f"{version}: adapter_config.json names no base model (broken files?); "
                            "pass --model to check it against one")
    check_loads(adapter_dir, base)
    failed = gate_failure(row)
    registry.promote(version, force=force, checked=True)
    if failed is not None:
        print(f"warning: {version} failed its promotion gate ({'; '.join(failed) or 'no reason recorded'}); "
              "promoted because of --force", file=sys.stderr)
    print(f"promoted {version} (loads onto {base})")
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from pipelines.core.feedback import FeedbackStore

    recipe = _recipe(args)
    store = FeedbackStore(recipe.feedback.url)
    n = store.export_jsonl(args.out)
    print(f"wrote {n} rated completions to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="domainforge", description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_recipe(name: str, help_: str, fn: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_)
        p.add_argument("recipe", help="recipe YAML")
        p.add_argument("overrides", nargs="*", help="dotted key=value overrides, e.g. train.max_steps=5")
        p.add_argument("--address", help="Ray cluster address (auto, ray://host:10001); default: local Ray")
        p.set_defaults(fn=fn)
        return p

    with_recipe("validate", "check a recipe without running it", cmd_validate)
    with_recipe("run", "run the recipe's stages in order", cmd_run)
    for stage in STAGES:
        p = with_recipe(stage, f"run only the {stage} stage", _stage_command(stage))
        if stage == "cft":
            p.add_argument("--watch", action="store_true", help="run CFT every cft.every_n_ratings new ratings")
    tune = with_recipe("tune", "run a Ray Tune sweep (recipe with a `tune:` section)", cmd_tune)
    tune.add_argument("--fresh", action="store_true", help="start over instead of resuming an interrupted sweep")
    with_recipe("serve", "serve the OpenAI-compatible API and the chat UI", cmd_serve)

    adapters = sub.add_parser("adapters", help="list, promote or roll back adapter versions")
    adapters.add_argument("action", choices=["list", "promote", "rollback"])
    adapters.add_argument("version", nargs="?", help="version to promote (e.g. sft-v2)")
    adapters.add_argument("--registry", default="runs/registry", help="registry folder (registry.path)")
    adapters.add_argument("--json", action="store_true", help="machine-readable listing")
    adapters.add_argument("--force", action="store_true",
                          help="promote even though the version's promotion gate failed")
    adapters.add_argument("--model", help="base model to check the version against (default: the one in its "
                                          "adapter_config.json)")
    adapters.set_defaults(fn=cmd_adapters)

    feedback = sub.add_parser("feedback", help="feedback store tools")
    feedback.add_argument("action", choices=["export"])
    feedback.add_argument("recipe", help="recipe YAML (for feedback.url)")
    feedback.add_argument("overrides", nargs="*")
    feedback.add_argument("--out", default="feedback.jsonl", help="JSONL file to write")
    feedback.set_defaults(fn=cmd_feedback)
    return parser


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    for noisy in ("httpx", "urllib3", "filelock", "matplotlib", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose)
    try:
        return args.fn(args)
    except (RecipeError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # known user-facing errors carry their own message
        from pipelines.core.models import ModelError
        from pipelines.core.registry import RegistryError
        from pipelines.core.sources import DataError

        if isinstance(err, DataError | ModelError | RegistryError):
            # Raised inside a Ray task, the error arrives wrapped with the task's traceback in its
            # text: the user gets the message, which names the file and line.
            cause = getattr(err, "cause", None)
            print(f"error: {cause if isinstance(cause, Exception) else err}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
