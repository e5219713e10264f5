"""Sweep pieces without Ray: search space, concurrency, scoring, the Pareto front and the choice."""

from __future__ import annotations

import pytest

from pipelines.core.config import RecipeError, recipe_from_dict
from pipelines.tune.space import (
    check_sweep,
    choose,
    max_concurrent,
    num_trials,
    pareto_front,
    score,
    search_space,
)

SPACE = {"replay.ratio": {"type": "grid", "values": [0.0, 0.25, 0.5]},
         "lora.r": {"type": "choice", "values": [8, 16]},
         "train.lr": {"type": "loguniform", "low": 1e-4, "high": 1e-3}}


def _recipe(**tune):
    return recipe_from_dict({"model": {"name": "tiny"}, "scaling": {"num_workers": 1, "cpus_per_worker": 2},
                             "tune": {"space": SPACE, **tune}})


def test_grid_stays_a_grid_only_for_the_grid_searcher():
    grid = search_space(_recipe(searcher="grid"))
    assert grid["replay.ratio"] == {"grid_search": [0.0, 0.25, 0.5]}
    drawn = search_space(_recipe(searcher="optuna"))
    assert "grid_search" not in str(drawn["replay.ratio"])
    assert num_trials(_recipe(searcher="grid", num_samples=2)) == 6
    assert num_trials(_recipe(searcher="random", num_samples=5)) == 5


def test_concurrency_from_resources():
    r = _recipe(searcher="random", num_samples=8)
    assert max_concurrent(r, {"CPU": 8.0}, False, 8) == 4  # 2 CPUs per trial
    assert max_concurrent(r, {"CPU": 1.0}, False, 8) == 1  # at least one
    assert max_concurrent(r, {"CPU": 64.0, "GPU": 2.0}, True, 8) == 2  # GPUs bound it
    assert max_concurrent(_recipe(max_concurrent_trials=3), {"CPU": 64.0}, False, 8) == 3


def test_score_penalizes_forgetting_beyond_the_tolerance():
    base = {"domain_ppl": 80.0, "general_ppl": 30.0}
    kept = score({"domain_ppl": 20.0, "general_ppl": 31.5}, base, tolerance=0.1, penalty=10)
    forgot = score({"domain_ppl": 10.0, "general_ppl": 45.0}, base, tolerance=0.1, penalty=10)
    assert kept["domain_gain"] == pytest.approx(4.0) and kept["objective"] == pytest.approx(20.0)
    assert forgot["forgetting"] == pytest.approx(0.5) and forgot["objective"] == pytest.approx(10.0 * 5.0)
    assert kept["within_tolerance"] and not forgot["within_tolerance"]


def test_pareto_front_and_choice():
    rows = [{"domain_gain": 4.0, "forgetting": 0.02, "objective": 20.0},
            {"domain_gain": 8.0, "forgetting": 0.50, "objective": 50.0},
            {"domain_gain": 3.0, "forgetting": 0.05, "objective": 27.0},  # dominated by row 0
            {"domain_gain": 5.0, "forgetting": 0.08, "objective": 16.0},
            {"status": "stopped"}]
    assert pareto_front(rows) == [0, 1, 3]
    assert choose(rows, "penalized", 0.1) == 3
    assert choose(rows, "pareto", 0.1) == 3  # best gain within 10% forgetting
    assert choose(rows, "pareto", 0.01) == 0  # none within: the least forgetting on the front


def test_sweep_checks_name_the_key():
    with pytest.raises(RecipeError, match="tune"):
        check_sweep(recipe_from_dict({"model": {"name": "tiny"}}))
    bad = recipe_from_dict({"model": {"name": "tiny"}, "dapt": {"lr": 1e-3},
                            "tune": {"space": {"train.lr": {"type": "choice", "values": [1e-4]}}}})
    with pytest.raises(RecipeError, match="dapt.lr"):
        check_sweep(bad)
    with pytest.raises(RecipeError, match="lora.rank"):
        recipe_from_dict({"tune": {"space": {"lora.rank": {"type": "choice", "values": [8]}}}})
