"""Ray Tune sweeps over the DAPT stage: replay ratio and LoRA hyperparameters, scored by the
domain gain they buy against the general ability they cost (forgetting).

    .venv/bin/domainforge tune pipelines/recipes/sweep.yaml            # resumes an interrupted sweep
    .venv/bin/domainforge tune pipelines/recipes/sweep.yaml --fresh    # starts over

The recipe's `tune.space` maps dotted recipe keys (`replay.ratio`, `lora.r`, `train.lr`, ...) to
grid/choice/uniform/loguniform dimensions. The data is prepared once for the whole sweep (the
replay ratio is applied when a trial reads it); the base model's held-out perplexities are
computed once and cached. Each trial is a driver function that applies its values to the recipe,
builds the DAPT datasets, fits one Ray Train `TorchTrainer` (the stage's own trainer, with Tune's
report callback), then scores the adapter on held-out domain and general text:

    domain_gain = base domain_ppl / trial domain_ppl          (higher is better)
    forgetting  = trial general_ppl / base general_ppl - 1    (gate tolerance: gate.general_ppl_max_increase)
    objective   = domain_ppl * (1 + penalty * max(0, forgetting - tolerance))   (`penalized`, minimised)

`tune.objective: pareto` picks the best domain gain on the Pareto front within the tolerance.
Outputs in `runs/<run.name>/`: trials.csv, pareto.png, best.yaml (the chosen trial as a complete
recipe for `domainforge run`), sweep.md; the Tune experiment in `tune/`, one folder per trial
(adapter, metrics) in `trials/`.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import os
import shutil
import time
from pathlib import Path
from typing import Any

from ray.tune.search.optuna import OptunaSearch

from pipelines.core.cache import KeyedFile, content_key
from pipelines.core.config import Recipe, RecipeError, apply_overrides
from pipelines.tune_report import (
    plot_pareto,
    summary_table,
    write_best,
    write_sweep_md,
    write_trials_csv,
)

log = logging.getLogger(__name__)

TIME_ATTR = "step"  # the optimizer step: survives worker restarts and resumed trials, so it only grows
ASHA_METRIC = "eval_loss"
ASHA_REDUCTION = 3  # keep the best third at each rung (sweeps here are small)
DRIVER_MEMORY = 256 * 1024**2  # what a trial's driver reserves; its Train workers reserve CPUs/GPUs
SCORES = ("domain_ppl", "general_ppl", "domain_gain", "forgetting", "objective")
TRAIN_KEYS = ("steps", "train_loss", "eval_loss", "tokens_per_s", "train_wall_s", "data_s", "eval_wall_s",
              "resumed_from_step")
MAX_BOUND_COMBOS = 4096
TRIAL_RETRIES = 1


# ---- the search space ----------------------------------------------------------------------------


def _field_type(key: str) -> Any:
    """Annotation of the recipe field at a dotted key (`lora.r` -> int)."""
    model: Any = Recipe
    annotation: Any = None
    for part in key.split("."):
        annotation = model.model_fields[part].annotation
        model = annotation
    return annotation


def search_space(recipe: Recipe) -> dict[str, Any]:
    """Tune's param space from `tune.space`. Grid dimensions stay grids for `grid`; random and
    Optuna search draw every dimension (a grid becomes a choice). Integer fields get integers."""
    from ray import tune

    assert recipe.tune is not None
    space: dict[str, Any] = {}
    for key, dim in recipe.tune.space.items():
        integer = _field_type(key) is int
        if dim.type == "grid":
            space[key] = tune.grid_search(dim.values) if recipe.tune.searcher == "grid" else tune.choice(dim.values)
        elif dim.type == "choice":
            space[key] = tune.choice(dim.values)
        elif dim.type == "uniform":
            space[key] = tune.randint(int(dim.low), int(dim.high) + 1) if integer else tune.uniform(dim.low, dim.high)
        else:
            space[key] = (tune.lograndint(int(dim.low), int(dim.high) + 1) if integer
                          else tune.loguniform(dim.low, dim.high))
    return space


def num_trials(recipe: Recipe) -> int:
    """Trials the sweep runs: the grid's size times num_samples for `grid`, else num_samples."""
    assert recipe.tune is not None
    if recipe.tune.searcher != "grid":
        return recipe.tune.num_samples
    grid = [len(d.values or []) for d in recipe.tune.space.values() if d.type == "grid"]
    return math.prod(grid) * recipe.tune.num_samples


def check_sweep(recipe: Recipe) -> None:
    """Errors a sweep would only meet after the first trials: named by key."""
    if recipe.tune is None or not recipe.tune.space:
        raise RecipeError("a sweep needs a `tune:` section with a non-empty `space`")
    for key in recipe.tune.space:
        section, _, field = key.partition(".")
        if section == "train" and getattr(recipe.dapt, field, None) is not None:
            raise RecipeError(f"tune.space.{key}: `dapt.{field}` is set and overrides it in every trial; "
                              f"sweep `dapt.{field}` instead")
    t = recipe.train
    if recipe.tune.asha and t.save_steps % t.eval_steps:
        raise RecipeError(f"tune.asha needs train.save_steps ({t.save_steps}) to be a multiple of "
                          f"train.eval_steps ({t.eval_steps}): trials report the eval loss at each checkpoint")


def max_concurrent(recipe: Recipe, resources: dict[str, float], use_gpu: bool, trials: int) -> int:
    """How many trials run at once: `tune.max_concurrent_trials`, or as many as the cluster holds
    (each trial's Train workers reserve num_workers × cpus_per_worker CPUs, and GPUs on GPU)."""
    assert recipe.tune is not None
    if recipe.tune.max_concurrent_trials:
        return recipe.tune.max_concurrent_trials
    s = recipe.scaling
    fits = math.floor(resources.get("CPU", 0.0) / (s.num_workers * s.cpus_per_worker) + 1e-9)
    if use_gpu:
        fits = min(fits, math.floor(resources.get("GPU", 0.0) / (s.num_workers * s.gpus_per_worker) + 1e-9))
    return max(1, min(fits, trials))


# ---- scoring -------------------------------------------------------------------------------------


def score(ppl: dict[str, float], base: dict[str, float], tolerance: float, penalty: float) -> dict[str, Any]:
    """Domain gain, forgetting and the penalized objective of one trial against the base model."""
    gain = base["domain_ppl"] / ppl["domain_ppl"]
    forgetting = ppl["general_ppl"] / base["general_ppl"] - 1.0
    objective = ppl["domain_ppl"] * (1.0 + penalty * max(0.0, forgetting - tolerance))
    return {"domain_ppl": ppl["domain_ppl"], "general_ppl": ppl["general_ppl"], "domain_gain": gain,
            "forgetting": forgetting, "objective": objective, "within_tolerance": forgetting <= tolerance}


def pareto_front(rows: list[dict[str, Any]]) -> list[int]:
    """Indices of the scored rows no other row beats on both domain gain (↑) and forgetting (↓)."""
    scored = [i for i, r in enumerate(rows) if r.get("domain_gain") is not None]
    front = []
    for i in scored:
        a = rows[i]
        dominated = any(
            b["domain_gain"] >= a["domain_gain"] and b["forgetting"] <= a["forgetting"]
            and (b["domain_gain"] > a["domain_gain"] or b["forgetting"] < a["forgetting"])
            for b in (rows[j] for j in scored if j != i))
        if not dominated:
            front.append(i)
    return front


def choose(rows: list[dict[str, Any]], objective: str, tolerance: float) -> int | None:
    """Index of the chosen trial: lowest penalized objective, or (`pareto`) the best domain gain on
    the front within the tolerance (the least forgetting on the front when none is within)."""
    scored = [i for i, r in enumerate(rows) if r.get("objective") is not None]
    if not scored:
        return None
    if objective == "penalized":
        return min(scored, key=lambda i: rows[i]["objective"])
    front = pareto_front(rows)
    within = [i for i in front if rows[i]["forgetting"] <= tolerance]
    if within:
        return max(within, key=lambda i: rows[i]["domain_gain"])
    log.warning("no trial stays within the forgetting tolerance (%.0f%%): choosing the least forgetting",
                100 * tolerance)
    return min(front, key=lambda i: rows[i]["forgetting"])


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


def _plain(value: Any) -> Any:
    """Tune/Optuna values as plain Python (numpy scalars do not validate as recipe fields)."""
    return value.item() if hasattr(value, "item") else value


def _note(trial_dir: Path, event: str) -> None:
    with open(trial_dir / "attempts.log", "a") as fh:
        fh.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {event}\n")


def trial_eval_set(recipe: Recipe, parts: dict[str, Any]):
    """The intermediate eval set, the same for every trial: held-out domain blocks and held-out
    general (replay) blocks, half each. ASHA compares trials on it, so it must not depend on the
    trial's replay ratio, and it should see forgetting as well as domain fit."""
    from pipelines.data.mixture import _read, dapt_datasets

    n = recipe.train.max_eval_rows
    domain, _ = dapt_datasets(recipe, parts, "eval")
    if not parts.get("replay", {}).get("rows", {}).get("eval"):
        return domain.limit(n)
    return domain.limit(n - n // 2).union(_read(recipe, "replay", "eval").limit(n // 2))


def _train(recipe: Recipe, sweep: dict[str, Any], trial_id: str, adapter_dir: Path) -> dict[str, Any]:
    """Fit the trial's DAPT run on Ray Train; metrics go to Tune at every checkpoint."""
    import ray.data
    from ray.tune.integration.ray_train import TuneReportCallback

    from pipelines.data.mixture import dapt_datasets
    from pipelines.data.prepare import load_data_report
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
    recipe = apply_overrides(Recipe.model_validate(sweep["recipe"]), {k: _plain(v) for k, v in config.items()})
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


# ---- the Tuner -------------------------------------------------------------------------------------


class FinalMetricOptuna(OptunaSearch):
    """Optuna TPE on the trial's final score. Intermediate results (eval loss at checkpoints)
    carry no score, and trials stopped early by ASHA have none: they are told as pruned."""

    def on_trial_result(self, trial_id: str, result: dict) -> None:
        pass  # TPE here models final scores only; early stopping is ASHA's job

    def on_trial_complete(self, trial_id: str, result: dict | None = None, error: bool = False) -> None:
        metrics = self.metric if isinstance(self.metric, list) else [self.metric]
        if result and any(result.get(m) is None for m in metrics):
            result = None
        super().on_trial_complete(trial_id, result, error)


def _searcher(recipe: Recipe, trials: int, concurrency: int):
    assert recipe.tune is not None
    from optuna.samplers import TPESampler
    from ray.tune.search.basic_variant import BasicVariantGenerator

    if recipe.tune.searcher != "optuna":  # a SearchAlgorithm: it limits concurrency itself
        return BasicVariantGenerator(max_concurrent=concurrency, random_state=recipe.run.seed)
    # TPE starts from random points; with few trials it must start modelling early.
    sampler = TPESampler(seed=recipe.run.seed, n_startup_trials=max(2, min(10, trials // 3)))
    if recipe.tune.objective == "pareto":  # multi-objective TPE over the two axes of the front
        return FinalMetricOptuna(metric=["domain_ppl", "forgetting"], mode=["min", "min"], sampler=sampler)
    return FinalMetricOptuna(metric="objective", mode="min", sampler=sampler)


def _steps_bound(recipe: Recipe, parts: dict[str, Any]) -> int:
    """Most optimizer steps any trial can take (ASHA's max_t)."""
    from pipelines.data.mixture import dapt_plan
    from pipelines.train.launch import steps_for

    assert recipe.tune is not None
    dims = [[(k, v) for v in d.candidates()] for k, d in recipe.tune.space.items()]
    bound = 1
    for combo in itertools.islice(itertools.product(*dims), MAX_BOUND_COMBOS):
        trial = apply_overrides(recipe, {k: int(v) if _field_type(k) is int else v for k, v in combo})
        rows = dapt_plan(trial, parts).total_rows
        bound = max(bound, steps_for(rows, trial.stage_train("dapt"), trial.scaling.num_workers))
    return bound


def _scheduler(recipe: Recipe, parts: dict[str, Any]):
    """ASHA on the intermediate eval loss, with the optimizer step as its clock (reports come at
    every checkpoint, save_steps apart). `stop_last_trials=False`: a trial that reaches the end is
    never cut before its final score is reported."""
    from ray.tune.schedulers import ASHAScheduler

    assert recipe.tune is not None
    if not recipe.tune.asha:
        return None
    max_t = _steps_bound(recipe, parts) + 1
    grace = min(recipe.tune.grace_steps * recipe.train.save_steps, max_t)
    return ASHAScheduler(time_attr=TIME_ATTR, metric=ASHA_METRIC, mode="min", max_t=max_t, grace_period=grace,
                         reduction_factor=ASHA_REDUCTION, stop_last_trials=False)


def trial_dirname(trial) -> str:
    return trial.trial_id


def experiment_path(recipe: Recipe) -> tuple[str, str]:
    """(storage, name) of the Tune experiment: `<run dir>/tune`, or `<run.storage>/<name>-tune`."""
    if recipe.run.storage:
        return recipe.run.storage, f"{recipe.run.name}-tune"
    return str(recipe.run_dir().resolve()), "tune"


def _tuner(recipe: Recipe, sweep: dict[str, Any], parts: dict[str, Any], concurrency: int, resume: bool):
    from ray import tune

    storage, name = experiment_path(recipe)
    path = f"{storage.rstrip('/')}/{name}"
    trainable = tune.with_resources(tune.with_parameters(run_trial, sweep=sweep), {"memory": DRIVER_MEMORY})
    if resume and tune.Tuner.can_restore(path):
        log.info("resuming the sweep in %s (finished trials are kept)", path)
        return tune.Tuner.restore(path, trainable=trainable, resume_unfinished=True, restart_errored=True)
    trials = num_trials(recipe)
    return tune.Tuner(
        trainable,
        param_space=search_space(recipe),
        tune_config=tune.TuneConfig(
            search_alg=_searcher(recipe, trials, concurrency), scheduler=_scheduler(recipe, parts),
            num_samples=recipe.tune.num_samples,
            max_concurrent_trials=concurrency if recipe.tune.searcher == "optuna" else None,
            trial_dirname_creator=trial_dirname,
        ),
        run_config=tune.RunConfig(name=name, storage_path=storage, verbose=1,
                                  # A trial whose driver dies (a worker that could not start on a
                                  # loaded machine) is retried once: it resumes from its own Train
                                  # checkpoint, or only rescores when its adapter is complete.
                                  failure_config=tune.FailureConfig(max_failures=TRIAL_RETRIES)),
    )


# ---- preparation (once per sweep) ------------------------------------------------------------------


def _prepare_key(recipe: Recipe, model_dir: str) -> str:
    return content_key(recipe.data.model_dump(), recipe.replay.sources, recipe.replay.mix_sft_into_dapt,
                       recipe.replay.chat_prompts, recipe.replay.distill, recipe.model.max_seq_len, model_dir)


def prepare_once(recipe: Recipe, model_dir: str) -> dict[str, Any]:
    """One preparation serves every trial (each trial mixes in its own replay share when reading)."""
    from pipelines.data.prepare import load_data_report, prepare

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


# ---- outputs ------------------------------------------------------------------------------------------


def collect(results, recipe: Recipe, interrupted: bool) -> list[dict[str, Any]]:
    """One row per trial: its values, status and metrics (in trial order). Status: `done` (scored),
    `stopped` (early, by ASHA), `error`, or `unfinished` (the sweep was interrupted first)."""
    assert recipe.tune is not None
    rows = []
    for result in results:
        m = result.metrics or {}
        if result.error is not None:
            status = "error"
        elif m.get("objective") is not None:
            status = "done"
        else:
            status = "unfinished" if interrupted else "stopped"
        row: dict[str, Any] = {"trial_id": m.get("trial_id") or Path(result.path).name, "status": status}
        row.update({k: _plain(result.config.get(k)) for k in recipe.tune.space})
        row.update({k: m.get(k) for k in (*TRAIN_KEYS, *SCORES, "within_tolerance")})
        row["error"] = str(result.error).splitlines()[0][:200] if result.error is not None else ""
        rows.append(row)
    return sorted(rows, key=lambda r: r["trial_id"])


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
        results = _tuner(recipe, sweep, parts, concurrency, resume).fit()
        return _finish(recipe, results, base)
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def _finish(recipe: Recipe, results, base: dict[str, float]) -> dict[str, Any]:
    assert recipe.tune is not None
    run_dir = recipe.run_dir()
    keys = list(recipe.tune.space)
    tolerance = recipe.gate.general_ppl_max_increase
    interrupted = results.num_terminated + results.num_errors < max(len(results), num_trials(recipe))
    rows = collect(results, recipe, interrupted)
    front = set(pareto_front(rows))
    pick = None if interrupted else choose(rows, recipe.tune.objective, tolerance)
    for i, row in enumerate(rows):
        row["pareto"] = i in front
        row["chosen"] = i == pick
    write_trials_csv(rows, run_dir / "trials.csv")
    plot_pareto(rows, keys, tolerance, run_dir / "pareto.png")
    table = summary_table(rows, keys)
    chosen = rows[pick] if pick is not None else None
    if chosen:
        write_best(recipe, chosen, run_dir / "best.yaml")
    write_sweep_md(recipe, rows, base, chosen, table, run_dir / "sweep.md")
    print(table)
    if interrupted:
        print(f"sweep interrupted: {sum(r['status'] != 'unfinished' for r in rows)} of {num_trials(recipe)} "
              f"trials finished; run the same command again to finish the rest")
    elif chosen:
        print(f"chosen: {chosen['trial_id']} ({', '.join(f'{k}={chosen[k]}' for k in keys)}) -> "
              f"{run_dir / 'best.yaml'}")
    return {"dir": str(run_dir), "base": base, "trials": rows, "best": chosen, "interrupted": interrupted}
