"""The Tune experiment of a sweep: the searcher (grid/random, or Optuna TPE on the final
scores), ASHA on the intermediate eval loss, and the Tuner that runs `run_trial` for each
trial, new or restored from an interrupted sweep."""

from __future__ import annotations

import itertools
import logging
from typing import Any

from ray.tune.search.optuna import OptunaSearch

from pipelines.core.config import Recipe, apply_overrides
from pipelines.tune.space import field_type, num_trials, search_space
from pipelines.tune.trials import TIME_ATTR, run_trial

log = logging.getLogger(__name__)

ASHA_METRIC = "eval_loss"
ASHA_REDUCTION = 3  # keep the best third at each rung (sweeps here are small)
DRIVER_MEMORY = 256 * 1024**2  # what a trial's driver reserves; its Train workers reserve CPUs/GPUs
MAX_BOUND_COMBOS = 4096
TRIAL_RETRIES = 1


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
        trial = apply_overrides(recipe, {k: int(v) if field_type(k) is int else v for k, v in combo})
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


def build_tuner(recipe: Recipe, sweep: dict[str, Any], parts: dict[str, Any], concurrency: int, resume: bool):
    """The sweep's Tuner: restored from its experiment when `resume` finds one (finished trials
    kept, unfinished and errored ones run again), else a new one over the search space."""
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
