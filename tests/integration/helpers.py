"""What several tests share: the tiny model, a loss on fixed rows, a worker killed at a
checkpoint, a saved adapter checked against the probe its run recorded, and the served app's
registry, recipe and API key (test_serve, test_api_contract, the UI browser test)."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import torch


def tiny_dir() -> str:
    from pipelines.core.models import resolve_model_dir

    return str(resolve_model_dir("tiny"))


def train_loss(recipe, part: str, adapter: str | None, rows: int = 32) -> float:
    """Mean token loss of the tiny model (with `adapter`) on the first training rows of `part`."""
    from pipelines.core.generate import load_for_eval
    from pipelines.eval.metrics import sequence_logprobs

    table = pq.read_table(recipe.run_dir() / "data" / part).to_pylist()
    train = [r for r in table if r["split"] == "train"][:rows]
    model, tok = load_for_eval(tiny_dir(), adapter)
    scored = sequence_logprobs(model, tok.pad_token_id, [r["input_ids"] for r in train],
                               [r["labels"] for r in train], batch_size=8)
    return -sum(s for s, _ in scored) / sum(n for _, n in scored)


def wait_for_registered_checkpoint(storage: Path, since: float, timeout: float = 600) -> None:
    """Until Ray Train has registered a checkpoint of this run (a checkpoint folder alone can
    still be uploading; the controller's snapshot lists it only once every worker reported)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for snapshot in storage.glob("*/checkpoint_manager_snapshot.json"):
            if snapshot.stat().st_mtime > since:
                try:
                    if json.loads(snapshot.read_text()).get("latest_checkpoint_result"):
                        return
                except json.JSONDecodeError:  # being written
                    pass
        time.sleep(0.2)
    raise TimeoutError(f"no checkpoint was registered under {storage}")


def kill_a_training_worker() -> None:
    """SIGKILL the newest live Ray Train worker process."""
    from ray.util.state import list_actors

    workers = list_actors(filters=[("class_name", "=", "RayTrainWorker"), ("state", "=", "ALIVE")])
    assert workers, "no live training workers to kill"
    os.kill(workers[-1].pid, signal.SIGKILL)


def dapt_with_a_worker_killed(recipe) -> dict:
    """Run the recipe's DAPT stage, SIGKILL a worker once its first checkpoint is registered, and
    return the stage's result after Ray Train restarted the workers from that checkpoint."""
    from pipelines.stages import run_recipe

    results: list[dict] = []
    start = time.time()
    runner = threading.Thread(target=lambda: results.append(run_recipe(recipe, ["dapt"])["dapt"]))
    runner.start()
    wait_for_registered_checkpoint(recipe.run_dir() / "checkpoints", since=start)
    kill_a_training_worker()
    runner.join(timeout=900)
    assert results, "training did not finish after the worker was killed"
    return results[0]


def stage_summary(recipe, stage: str) -> dict:
    """`train_<stage>.json` of the recipe's run: metrics, workers, final checkpoint, log history."""
    return json.loads((recipe.run_dir() / f"train_{stage}.json").read_text())


def probe_batch(probe: dict) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The probe's rows as a right-padded batch: input ids, attention mask, labels."""
    from pipelines.core.chat import IGNORE

    rows, labels = probe["input_ids"], probe["labels"]
    width = max(len(r) for r in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask, targets = torch.zeros_like(ids), torch.full_like(ids, IGNORE)
    for i, (row, label) in enumerate(zip(rows, labels, strict=True)):
        ids[i, : len(row)], mask[i, : len(row)], targets[i, : len(label)] = (
            torch.tensor(row), 1, torch.tensor(label))
    return ids, mask, targets


def probe_gap(summary: dict, model) -> float:
    """Largest difference between the label log-probabilities `model` gives the probe's rows and
    those the trained model gave them when the stage ended (`probe.json` of its final checkpoint)."""
    from pipelines.train.final import PROBE, token_logprobs

    probe = json.loads((Path(summary["checkpoint"]) / PROBE).read_text())
    model.eval()
    got = token_logprobs(model, *probe_batch(probe))
    flat = lambda rows: torch.tensor([x for row in rows for x in row])  # noqa: E731
    mine, recorded = flat(got), flat(probe["token_logprobs"])
    assert mine.numel() == recorded.numel() > 0
    return float((mine - recorded).abs().max())


def served_recipe(root: Path, adapter: str, serve: dict[str, Any], label: str):
    """A registry under `root` with `adapter` registered as `sft-v1` and promoted, and a recipe
    serving it: the tiny model, a SQLite feedback store, and the given `serve` section."""
    from pipelines.core.config import recipe_from_dict
    from pipelines.core.registry import Registry

    registry = Registry(root / "registry")
    registry.promote(registry.register("sft", adapter, parent=None, run="t", recipe_hash="r", data_hash="d"))
    recipe = recipe_from_dict({
        "model": {"name": "tiny"},
        "registry": {"path": str(root / "registry")},
        "feedback": {"url": f"sqlite:///{root / 'feedback.db'}"},
        "serve": serve,
    }, label)
    return registry, recipe


@contextmanager
def environ(values: dict[str, str]) -> Iterator[None]:
    """`values` in os.environ for the block only: the API key is read where the app is built
    (replicas only get its digest), and later tests must not inherit it."""
    os.environ.update(values)
    try:
        yield
    finally:
        for name in values:
            del os.environ[name]
