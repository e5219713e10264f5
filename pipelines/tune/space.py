"""What a sweep searches and how it ranks trials: the search space from `tune.space`, the
number of trials and how many run at once, the checks a sweep needs before it starts, and the
scores (domain gain, forgetting, the penalized objective), the Pareto front and the choice."""

from __future__ import annotations

import logging
import math
from typing import Any

from pipelines.core.config import Recipe, RecipeError

log = logging.getLogger(__name__)

SCORES = ("domain_ppl", "general_ppl", "domain_gain", "forgetting", "objective")


# ---- the search space ----------------------------------------------------------------------------


def field_type(key: str) -> Any:
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
        integer = field_type(key) is int
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
