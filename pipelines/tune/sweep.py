"""The sweep from start to end: check the recipe, prepare the data once, score the base model
once, run (or resume) the trials, write the outputs."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from pipelines.core.cache import KeyedFile, content_key
from pipelines.core.config import Recipe, RecipeError
from pipelines.tune.report import finish
from pipelines.tune.space import check_sweep, max_concurrent, num_trials
from pipelines.tune.trials import base_perplexities
from pipelines.tune.tuner import build_tuner, experiment_path

log = logging.getLogger(__name__)


# ---- preparation (once per sweep) ------------------------------------------------------------------


def _prepare_key(recipe: Recipe, model_dir: str) -> str:
    return content_key(recipe.data.model_dump(), recipe.replay.sources, recipe.replay.mix_sft_into_dapt,
                       recipe.replay.chat_prompts, recipe.replay.distill, recipe.model.max_seq_len, model_dir)


def prepare_once(recipe: Recipe, model_dir: str) -> dict[str, Any]:
    """One preparation serves every trial (each trial mixes in its own replay share when reading)."""
    from pipelines.data.prepare import prepare
    from pipelines.data.tally import load_data_report

    marker = KeyedFile(recipe.run_dir() / "data" / ".prepared")
    key = _prepare_key(recipe, model_dir)
    if marker.holds(key) and (recipe.run_dir() / "data_report.json").is_file():
        log.info("data already prepared for this sweep")
        return load_data_report(recipe)
    report = prepare(recipe, model_dir)
    marker.put(key)
    return report


def _same_sweep(a: Recipe, b: Recipe) -> bool:
    strip = lambda r: {**r.model_dump(mode="json"), "scaling": {**r.scaling.model_dump(), "address": None}}  # noqa: E731
    return strip(a) == strip(b)


# ---- the sweep --------------------------------------------------------------------------------------


def run_sweep(recipe: Recipe, resume: bool = True) -> dict[str, Any]:
    """Prepare once, score the base once, run (or resume) the trials, write the outputs.

    Returns {"dir", "base", "trials": rows, "best": row or None, "interrupted": bool}. An
    interrupted sweep (Ctrl+C) keeps its state; the next call with `resume=True` runs only the
    trials that had not finished.
    """
    import ray

    from cluster.runtime import init_ray
    from pipelines.core.config import load_recipe, save_recipe
    from pipelines.core.models import resolve_model_dir
    from pipelines.inputs import require_valid_inputs
    from pipelines.train.hardware import hardware

    check_sweep(recipe)
    require_valid_inputs(recipe)  # before the sweep prepares: a bad path or eval file fails here, at once
    assert recipe.tune is not None
    run_dir = recipe.run_dir()
    saved = run_dir / "recipe.yaml"
    if not resume:
        storage, name = experiment_path(recipe)
        for stale in ("tune", "trials", "checkpoints"):
            shutil.rmtree(run_dir / stale, ignore_errors=True)
        if recipe.run.storage and "://" not in storage:
            shutil.rmtree(Path(storage) / name, ignore_errors=True)
    elif saved.is_file() and (run_dir / "tune").exists() and not _same_sweep(load_recipe(saved), recipe):
        raise RecipeError(f"{saved}: the recipe changed since this sweep started; "
                          "resume it unchanged, or start over with --fresh")
    run_dir.mkdir(parents=True, exist_ok=True)
    save_recipe(recipe, saved)
    handler = logging.FileHandler(run_dir / "sweep.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    try:
        init_ray(recipe.scaling.address, project_root=Path.cwd())
        model_dir = str(resolve_model_dir(recipe.model.name))
        parts = prepare_once(recipe, model_dir)["parts"]
        use_gpu, _ = hardware(recipe)
        base = base_perplexities(recipe, model_dir, use_gpu)
        trials = num_trials(recipe)
        concurrency = max_concurrent(recipe, ray.cluster_resources(), use_gpu, trials)
        log.info("sweep %s: %d trials, %d at a time; base domain_ppl %.4g, general_ppl %.4g",
                 recipe.run.name, trials, concurrency, base["domain_ppl"], base["general_ppl"])
        sweep = {"recipe": recipe.model_dump(mode="json"), "model_dir": model_dir, "base": base,
                 "penalty": recipe.tune.penalty, "use_gpu": use_gpu, "cwd": str(Path.cwd()),
                 "dir": str(run_dir.resolve())}
        results = build_tuner(recipe, sweep, parts, concurrency, resume).fit()
        return finish(recipe, results, base)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
