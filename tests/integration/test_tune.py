"""Ray Tune sweeps on the tiny model: outputs, best.yaml that runs, and resuming an interrupted sweep."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from PIL import Image

from tests.conftest import SAMPLES

pytestmark = pytest.mark.usefixtures("ray_session")

ROOT = Path(__file__).resolve().parents[2]


def _sweep_recipe(root: Path, name: str, tune: dict) -> dict:
    return {
        "run": {"name": name, "root": str(root / "runs")},
        "stages": ["prepare", "dapt"],
        "model": {"name": "tiny", "max_seq_len": 64},
        "data": {"corpus": [str(SAMPLES / "corpus" / "manual")], "block_size": 64},
        "replay": {"sources": [str(SAMPLES / "general_replay.jsonl")], "ratio": 0.25},
        "train": {"max_steps": 4, "batch_size": 4, "lr": 5e-3, "eval_steps": 2, "save_steps": 2,
                  "logging_steps": 1, "warmup_ratio": 0.0, "max_eval_rows": 8},
        "eval": {"limit": 6, "batch_size": 4},
        "scaling": {"num_workers": 1, "cpus_per_worker": 1},
        "registry": {"path": str(root / "registry")},
        "tune": tune,
    }


def _trial_rows(run_dir: Path) -> list[dict]:
    with open(run_dir / "trials.csv") as fh:
        return list(csv.DictReader(fh))


def _finished_trials(run_dir: Path) -> list[Path]:
    return [p.parent for p in (run_dir / "trials").glob("*/metrics.json")]


def test_sweep_is_interrupted_resumes_the_rest_and_writes_a_runnable_best_recipe(tmp_path):
    """Six trials, three at a time; Ctrl+C after two or more finished; the resumed sweep trains only the other four,
    then writes trials.csv, pareto.png and a best.yaml that validates and runs."""
    from pipelines.cli import main
    from pipelines.core.config import load_recipe, recipe_from_dict, save_recipe
    from pipelines.tune import run_sweep

    recipe = recipe_from_dict(_sweep_recipe(tmp_path, "sweep", {
        "searcher": "grid", "asha": False, "max_concurrent_trials": 3, "objective": "pareto",
        "space": {"replay.ratio": {"type": "grid", "values": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]}},
    }))
    path = tmp_path / "sweep.yaml"
    save_recipe(recipe, path)
    run_dir = recipe.run_dir()

    # The CLI in its own process (its own Ray), interrupted with Ctrl+C after two trials.
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "tune", str(path)], cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 900
    while len(_finished_trials(run_dir)) < 2 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.5)
    assert proc.poll() is None, "the sweep ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=300)
    before = {p.name: (p / "attempts.log").read_text() for p in _finished_trials(run_dir)}
    assert 2 <= len(before) < 6

    out = run_sweep(recipe)  # resumes (the default)
    rows = _trial_rows(run_dir)
    assert not out["interrupted"] and len(rows) == 6 and all(r["status"] == "done" for r in rows), rows
    after = {p.name: (p / "attempts.log").read_text() for p in _finished_trials(run_dir)}
    assert len(after) == 6, after
    for trial, log in before.items():  # finished trials were not trained again
        assert log.count("trained") == after[trial].count("trained") == 1, after[trial]
    assert sum(log.count("trained") for log in after.values()) == 6, after

    assert {"replay.ratio", "domain_ppl", "general_ppl", "domain_gain", "forgetting", "objective", "pareto",
            "chosen"} <= set(rows[0])
    for r in rows:  # every trial has both sides of the trade-off
        assert float(r["domain_ppl"]) > 1 and float(r["general_ppl"]) > 1
    assert sum(r["chosen"] == "True" for r in rows) == 1 and any(r["pareto"] == "True" for r in rows)
    assert Image.open(run_dir / "pareto.png").size[0] > 300

    best_path = run_dir / "best.yaml"
    best = load_recipe(best_path)  # validates
    chosen = next(r for r in rows if r["chosen"] == "True")
    assert best.tune is None and best.replay.ratio == pytest.approx(float(chosen["replay.ratio"]))
    assert yaml.safe_load(best_path.read_text())["run"]["name"] == "sweep-best"
    assert main(["run", str(best_path), "train.max_steps=2"]) == 0  # ... and runs as is
    assert (tmp_path / "runs" / "sweep-best" / "train_dapt.json").is_file()
