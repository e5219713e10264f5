"""One trial of a sweep, run by Tune: its driver applies the trial's values to the recipe, fits
the DAPT stage on Ray Train (Tune's report callback on), then scores the adapter on held-out
domain and general text in a Ray task of its own. The base model's numbers are computed once."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

from pipelines.core.cache import KeyedFile, content_key
from pipelines.core.config import Recipe, apply_overrides
from pipelines.tune.space import score

log = logging.getLogger(__name__)

TIME_ATTR = "step"  # the optimizer step: survives worker restarts and resumed trials, so it only grows
TRAIN_KEYS = ("steps", "train_loss", "eval_loss", "tokens_per_s", "train_wall_s", "data_s", "eval_wall_s",
              "resumed_from_step")


# ---- evaluation (a Ray task, outside the trial's placement group) -------------------------------


def _eval_key(recipe: Recipe, model_dir: str) -> str:
    e = recipe.eval
    return content_key(e.domain_heldout, e.general_heldout, e.limit, e.batch_size, e.precision,
                       recipe.model.max_seq_len, model_dir)


def _perplexities(model_dir: str, adapter_dir: str | None, recipe: dict[str, Any], threads: int) -> dict[str, float]:
    import torch

    from pipelines.core.generate import load_for_eval
    from pipelines.core.precision import autocast
    from pipelines.eval.metrics import perplexity
    from pipelines.eval.sets import load_documents

    torch.set_num_threads(threads)
    r = Recipe.model_validate(recipe)
    model, tokenizer = load_for_eval(model_dir, adapter_dir)
    texts = lambda p: load_documents(p, r.eval.limit)  # noqa: E731  (.txt/.md/.jsonl/.parquet)
    with autocast(r.eval.score_precision):
        return {
            "domain_ppl": perplexity(model, tokenizer, texts(r.eval.domain_heldout), r.model.max_seq_len,
                                     r.eval.batch_size),
            "general_ppl": perplexity(model, tokenizer, texts(r.eval.general_heldout), r.model.max_seq_len,
                                      r.eval.batch_size),
        }


def perplexities_on_ray(model_dir: str, adapter_dir: str | None, recipe: Recipe, use_gpu: bool) -> dict[str, float]:
    """Held-out domain and general perplexity of base (+ adapter), on the CPUs/GPU a trial's
    workers held. Scheduled outside the calling trial's placement group (which holds no CPUs)."""
    import ray

    from pipelines.eval.derive import resolved_eval

    recipe = recipe.model_copy(update={"eval": resolved_eval(recipe)})  # derived sets: their paths
    s = recipe.scaling
    cpus = s.num_workers * s.cpus_per_worker
    task = ray.remote(_perplexities).options(num_cpus=cpus, num_gpus=1 if use_gpu else 0,
                                              scheduling_strategy="DEFAULT")
    return ray.get(task.remote(model_dir, adapter_dir, recipe.model_dump(mode="json"), max(1, round(cpus))))


def base_perplexities(recipe: Recipe, model_dir: str, use_gpu: bool) -> dict[str, float]:
    """The base model's numbers, computed once per eval configuration and cached in the run dir."""
    def evaluate() -> dict[str, float]:
        log.info("evaluating the base model on held-out domain and general text")
        return perplexities_on_ray(model_dir, None, recipe, use_gpu)

    cache = KeyedFile(recipe.run_dir() / "eval" / "base_ppl.json")
    return cache.get_or_compute(_eval_key(recipe, model_dir), evaluate)


# ---- one trial -------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """Tune/Optuna values as plain Python (numpy scalars do not validate as recipe fields)."""
    return value.item() if hasattr(value, "item") else value


def _note(trial_dir: Path, event: str) -> None:
    with open(trial_dir / "attempts.log", "a") as fh:
        fh.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {event}\n")


def trial_eval_set(recipe: Recipe, parts: dict[str, Any]):
    """The intermediate eval set, the same for every trial: held-out domain blocks and held-out
    general (replay) blocks, half each. ASHA compares trials on it, so it must not depend on the
    trial's replay ratio, and it should see forgetting as well as domain fit."""
    from pipelines.data.mixture import dapt_datasets, read_part

    n = recipe.train.max_eval_rows
    domain, _ = dapt_datasets(recipe, parts, "eval")
    if not parts.get("replay", {}).get("rows", {}).get("eval"):
        return domain.limit(n)
    return domain.limit(n - n // 2).union(read_part(recipe, "replay", "eval").limit(n // 2))


def _train(recipe: Recipe, sweep: dict[str, Any], trial_id: str, adapter_dir: Path) -> dict[str, Any]:
    """Fit the trial's DAPT run on Ray Train; metrics go to Tune at every checkpoint."""
    import ray.data
    from ray.tune.integration.ray_train import TuneReportCallback

    from pipelines.data.mixture import dapt_datasets
    from pipelines.data.tally import load_data_report
    from pipelines.train.final import FINAL_ADAPTER
    from pipelines.train.launch import build_trainer, steps_for, worker_job

    ray.data.DataContext.get_current().enable_progress_bars = False
    parts = load_data_report(recipe)["parts"]
    train_ds, plan = dapt_datasets(recipe, parts, "train")
    max_steps = steps_for(plan.total_rows, recipe.stage_train("dapt"), recipe.scaling.num_workers)
    job = worker_job(recipe, "dapt", sweep["model_dir"], max_steps, None, has_eval=True)
    start = time.time()
    datasets = {"train": train_ds.materialize(), "eval": trial_eval_set(recipe, parts).materialize()}
    data_s = time.time() - start
    # A fixed name per trial: a trial restarted after an interruption resumes from its checkpoint.
    trainer = build_trainer(recipe, job, datasets, f"{recipe.run.name}-trial-{trial_id}",
                            callbacks=[TuneReportCallback()])
    result = trainer.fit()
    metrics = {k: v for k, v in result.metrics.items() if isinstance(v, int | float)}
    metrics["train_wall_s"] = round(time.time() - start, 1)
    metrics["data_s"] = round(data_s, 1)
    tmp = adapter_dir.with_name(adapter_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    with result.checkpoint.as_directory() as ckpt:
        shutil.copytree(Path(ckpt) / FINAL_ADAPTER, tmp)
    (tmp / "train.json").write_text(json.dumps(metrics, indent=2))
    tmp.rename(adapter_dir)  # the adapter is there completely or not at all
    return metrics


def run_trial(config: dict[str, Any], sweep: dict[str, Any]) -> None:
    """Tune's driver function for one trial (runs in a Tune trial actor)."""
    import ray.tune

    os.chdir(sweep["cwd"])  # Tune moves each trial into its own folder; recipe paths are project-relative
    trial_id = ray.tune.get_context().get_trial_id()
    recipe = apply_overrides(Recipe.model_validate(sweep["recipe"]), {k: plain(v) for k, v in config.items()})
    trial_dir = Path(sweep["dir"]) / "trials" / trial_id
    trial_dir.mkdir(parents=True, exist_ok=True)
    _note(trial_dir, "start")
    done = trial_dir / "metrics.json"
    if done.is_file():  # finished before an interruption that came before Tune recorded it
        _note(trial_dir, "reported again (finished before)")
        ray.tune.report(json.loads(done.read_text()))
        return
    adapter = trial_dir / "adapter"
    if not (adapter / "train.json").is_file():
        try:
            m = _train(recipe, sweep, trial_id, adapter)
        except Exception as e:  # noted for the user (and tests) beside Tune's own error file
            _note(trial_dir, f"failed: {type(e).__name__}: {str(e).splitlines()[0][:300] if str(e) else ''}")
            raise
        _note(trial_dir, f"trained: {m.get('steps')} steps in {m['train_wall_s']} s (data {m['data_s']} s)")
    train = json.loads((adapter / "train.json").read_text())
    start = time.time()
    ppl = perplexities_on_ray(sweep["model_dir"], str(adapter), recipe, sweep["use_gpu"])
    train["eval_wall_s"] = round(time.time() - start, 1)
    metrics = {
        **{k: train[k] for k in TRAIN_KEYS if k in train},
        TIME_ATTR: train.get("steps", 0),
        **score(ppl, sweep["base"], recipe.gate.general_ppl_max_increase, sweep["penalty"]),
    }
    done.write_text(json.dumps(metrics, indent=2))
    _note(trial_dir, "scored")
    ray.tune.report(metrics)
