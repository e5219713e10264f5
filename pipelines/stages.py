"""The stages as thin recipes: each reads like its description.

    .venv/bin/domainforge run pipelines/recipes/quickstart.yaml     # prepare → dapt → sft → eval
    .venv/bin/domainforge dapt pipelines/recipes/quickstart.yaml    # one stage
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from pipelines.core.config import Recipe, RecipeError, save_recipe

log = logging.getLogger(__name__)


def _start(recipe: Recipe) -> str:
    """Connect to Ray and make sure the base model is available; returns its directory."""
    from cluster.runtime import init_ray
    from pipelines.core.models import resolve_model_dir

    init_ray(recipe.scaling.address, project_root=Path.cwd())
    _check_shared_storage(recipe)
    return str(resolve_model_dir(recipe.model.name))


def _check_shared_storage(recipe: Recipe) -> None:
    """On a cluster of several machines, prepared data, checkpoints and the registry are written
    by one node and read by others: stop early, naming the key, if they would land on one
    machine's own disk (several Ray nodes on one machine share its disk, which is fine)."""
    import os

    from cluster.runtime import alive_nodes
    from cluster.storage import unshared

    hosts = {n.get("NodeManagerAddress") for n in alive_nodes()}
    if len(hosts) <= 1:
        return
    problems = unshared({"run.storage": recipe.shared_dir(), "registry.path": recipe.registry.path})
    if not problems:
        return
    if os.environ.get("DOMAINFORGE_ASSUME_SHARED_STORAGE") == "1":
        for problem in problems:
            log.warning("%d machines: %s (DOMAINFORGE_ASSUME_SHARED_STORAGE=1: going on)", len(hosts), problem)
        return
    raise RecipeError(f"the Ray cluster spans {len(hosts)} machines, but\n  " + "\n  ".join(problems)
                      + "\n(a mount type not recognised as shared? set DOMAINFORGE_ASSUME_SHARED_STORAGE=1)")


def prepare_stage(recipe: Recipe) -> dict:
    """Stream, clean, tokenize and pack every input part with Ray Data; write the data report."""
    from pipelines.data.prepare import prepare

    model_dir = _start(recipe)
    report = prepare(recipe, model_dir)
    for name, part in report["parts"].items():
        log.info("%-7s files=%d in=%d out=%d bad=%s dropped=%s dup=%s tokens=%d rows=%s", name, part["files"],
                 part["records_in"], part["documents_out"], part["bad_records"], part["dropped"],
                 part["duplicates"], part["tokens"], part["rows"])
    log.info("mix: %s", json.dumps(report["mix"]))
    return report


def dapt_stage(recipe: Recipe, stage: str = "dapt", register_as: str | None = None) -> dict:
    """Continued pretraining: LoRA on packed domain blocks mixed with general replay."""
    from pipelines.data.mixture import dapt_datasets
    from pipelines.data.tally import load_data_report
    from pipelines.train.launch import train_stage

    model_dir = _start(recipe)
    parts = load_data_report(recipe)["parts"]
    train_ds, plan = dapt_datasets(recipe, parts, "train")
    eval_ds, _ = dapt_datasets(recipe, parts, "eval")
    eval_ds = eval_ds.limit(recipe.train.max_eval_rows)
    return train_stage(recipe, stage, model_dir, train_ds, eval_ds, plan.total_rows, parent=None,
                       register_as=register_as)


def dapt_only_stage(recipe: Recipe) -> dict:
    """The ablation's DAPT-only arm: the same DAPT on raw domain text and general replay, without
    the SFT pairs in the stream (a model that was never shown a question about the domain)."""
    raw = recipe.model_copy(update={"replay": recipe.replay.model_copy(update={"mix_sft_into_dapt": False})})
    return dapt_stage(raw, "dapt_only", register_as="daptonly")


def sft_stage(recipe: Recipe) -> dict:
    """Instruction tuning on chat pairs (answer-only loss), continuing the DAPT adapter, with replay."""
    from pipelines.core.registry import Registry
    from pipelines.data.mixture import sft_datasets
    from pipelines.data.tally import load_data_report
    from pipelines.train.launch import train_stage

    model_dir = _start(recipe)
    parts = load_data_report(recipe)["parts"]
    parent = Registry(recipe.registry.path).latest(stage="dapt", run=recipe.run.name)
    train_ds, plan = sft_datasets(recipe, parts, "train")
    eval_ds, _ = sft_datasets(recipe, parts, "eval")
    eval_ds = eval_ds.limit(recipe.train.max_eval_rows)
    return train_stage(recipe, "sft", model_dir, train_ds, eval_ds, plan.total_rows, parent=parent)


def sft_only_stage(recipe: Recipe) -> dict:
    """The ablation's SFT-only arm: the same SFT from the base model, general replay only."""
    from pipelines.data.mixture import sft_datasets
    from pipelines.data.tally import load_data_report
    from pipelines.train.launch import train_stage

    model_dir = _start(recipe)
    parts = load_data_report(recipe)["parts"]
    train_ds, plan = sft_datasets(recipe, parts, "train", replay_from="general")
    eval_ds, _ = sft_datasets(recipe, parts, "eval")
    eval_ds = eval_ds.limit(recipe.train.max_eval_rows)
    return train_stage(recipe, "sft_only", model_dir, train_ds, eval_ds, plan.total_rows, parent=None,
                       register_as="sftonly")


def eval_stage(recipe: Recipe) -> dict:
    """Evaluate base and this run's versions, write report.json/.md and plots, apply the gate."""
    from pipelines.eval.report import evaluate_run

    model_dir = _start(recipe)
    return evaluate_run(recipe, model_dir)


def cft_stage(recipe: Recipe) -> dict:
    """Continual fine-tuning from rated answers, gated promotion of the new version."""
    from pipelines.cft import run_cft

    model_dir = _start(recipe)
    report = run_cft(recipe, model_dir)
    if report["status"] == "skipped":
        print(f"cft: {report['reason']}")
    else:
        r = report["ratings"]
        print(f"cft: {report['status']} {report['version']} (parent {report['parent'] or 'base'}): "
              f"{r['used']} ratings ({r['good']} good, {r['bad']} bad, {r['corrected']} corrected), "
              f"replay share {report['replay_share']:.2f}, gate {'passed' if report['gate']['passed'] else 'failed'}"
              + ("" if report["gate"]["passed"] else ": " + "; ".join(report["gate"]["reasons"])))
    return report


def watch_cft(recipe: Recipe, poll_s: float = 30.0, max_rounds: int | None = None) -> list[dict]:
    """Run a CFT round whenever `cft.every_n_ratings` new ratings have arrived (forever, or
    until `max_rounds` rounds ran); returns the rounds' reports."""
    from pipelines.cft import pending_feedback

    if recipe.cft.every_n_ratings <= 0:
        raise RecipeError("cft.every_n_ratings must be > 0 for --watch")
    log.info("cft: watching %s, a round every %d new ratings", recipe.feedback.url, recipe.cft.every_n_ratings)
    rounds: list[dict] = []
    while max_rounds is None or len(rounds) < max_rounds:
        if pending_feedback(recipe) >= recipe.cft.every_n_ratings:
            rounds.append(cft_stage(recipe))
            if rounds[-1]["status"] != "skipped":
                continue
        time.sleep(poll_s)
    return rounds


STAGE_FUNCS = {"prepare": prepare_stage, "dapt": dapt_stage, "dapt_only": dapt_only_stage, "sft": sft_stage,
               "sft_only": sft_only_stage, "eval": eval_stage, "cft": cft_stage}


def recipe_filename(run_dir: Path, stages: list[str]) -> str:
    """Where a run saves its resolved recipe: `recipe.yaml` for the run that prepares the data
    (or the first one); a later partial run (say `domainforge eval` with overrides) gets its own
    `recipe_<stages>.yaml` so it does not overwrite the recipe the data was prepared with."""
    if "prepare" in stages or not (run_dir / "recipe.yaml").is_file():
        return "recipe.yaml"
    return f"recipe_{'_'.join(stages)}.yaml"


def run_recipe(recipe: Recipe, stages: list[str] | None = None) -> dict[str, dict]:
    """Run the given stages (default: the recipe's) in order, saving the resolved recipe first.

    With `run.storage`, the run directory's files (data report, train summaries, reports) are
    mirrored to `<storage>/<run>/` after each stage, and files missing locally are fetched from
    there first, so a later stage can run from another machine (e.g. a second `ray job submit`)."""
    from cluster import storage
    from pipelines.inputs import require_valid_inputs

    todo = stages or recipe.stages
    run_dir = recipe.run_dir()
    run_dir.mkdir(parents=True, exist_ok=True)
    shared = recipe.shared_dir()
    mirrored = shared != storage.absolute(run_dir)
    if mirrored:  # first, so a later stage finds the derived eval sets an earlier one wrote
        storage.copy_files(shared, run_dir, overwrite=False)
    # Before Ray starts or a model loads: a wrong path or eval file fails in a second, naming
    # the file and line, not after training as a traceback from a Ray task.
    for warning in require_valid_inputs(recipe, todo).warnings:
        log.warning("%s", warning)
    save_recipe(recipe, run_dir / recipe_filename(run_dir, todo))
    handler = _run_log(run_dir / "run.log")
    results = {}
    try:
        for stage in todo:
            start = time.time()
            log.info("== %s ==", stage)
            results[stage] = STAGE_FUNCS[stage](recipe)
            if mirrored:
                storage.copy_files(run_dir, shared)
            log.info("== %s done in %.0f s ==", stage, time.time() - start)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    return results


def _run_log(path: Path) -> logging.Handler:
    """Also write our log lines (driver side) to runs/<run>/run.log."""
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    logging.getLogger().addHandler(handler)
    return handler
