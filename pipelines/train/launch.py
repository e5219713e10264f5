"""Driver side of training: one Ray Train run per stage, then the adapter is registered.

    .venv/bin/domainforge dapt pipelines/recipes/quickstart.yaml
"""

from __future__ import annotations

import json
import logging
import math
import time
from pathlib import Path
from typing import Any

from cluster.scaling import cpu_has_fast_bf16, scaling_kwargs
from cluster.storage import is_uri, join, scheme
from pipelines.core.cache import content_key
from pipelines.core.config import Recipe, TrainConfig
from pipelines.core.registry import Registry
from pipelines.train.final import FINAL_ADAPTER, LOG_HISTORY, WORKERS
from pipelines.train.hardware import deepspeed_config, hardware
from pipelines.train.job import JOB_KEY, KtoData, Objective, Teacher, WorkerJob
from pipelines.train.loop import train_loop_per_worker

log = logging.getLogger(__name__)


def steps_for(rows: int, t: TrainConfig, num_workers: int) -> int:
    """Optimizer steps: `max_steps`, or epochs over `rows` at the global batch size."""
    if t.max_steps > 0:
        return t.max_steps
    global_batch = t.batch_size * t.grad_accum * num_workers
    return max(1, math.ceil(t.epochs * rows / global_batch))


def epochs_done(steps: int, rows: int, t: TrainConfig, num_workers: int) -> float:
    """Passes over the `rows` training rows that `steps` optimizer steps made. The trainer's own
    `epoch` counts restarts of our streaming dataloader instead (it cannot know the rows per
    worker): 2.33 for a 3-epoch DAPT, 1.0 for a 0.2-epoch SFT."""
    return round(steps * t.batch_size * t.grad_accum * num_workers / rows, 3) if rows else 0.0


def data_hash(recipe: Recipe) -> str:
    """Hash of what the prepared data contains (counts and inputs), recorded per version."""
    path = recipe.run_dir() / "data_report.json"
    parts = json.loads(path.read_text())["parts"] if path.is_file() else {}
    digest = {k: {kk: vv for kk, vv in v.items() if kk != "bad_examples"} for k, v in parts.items()}
    return content_key(digest, recipe.data.model_dump(), recipe.replay.model_dump())


def storage_path(recipe: Recipe) -> str:
    """Ray Train's storage: `<run.storage>/<run>/checkpoints` (every node writes there), or the
    run directory's `checkpoints/` on one machine."""
    return join(recipe.shared_dir(), "checkpoints")


def build_trainer(recipe: Recipe, job: WorkerJob, datasets: dict[str, Any], name: str,
                  callbacks: list[Any] | None = None):
    """The Ray TorchTrainer for one stage (also used per trial by the Tune sweep, which passes
    Tune's report callback in `callbacks`)."""
    import ray.train
    from ray.train.torch import TorchTrainer

    s = recipe.scaling
    return TorchTrainer(
        train_loop_per_worker,
        train_loop_config={JOB_KEY: job},
        scaling_config=ray.train.ScalingConfig(**scaling_kwargs(s.num_workers, job.use_gpu,
                                                                s.cpus_per_worker, s.gpus_per_worker,
                                                                s.resources_per_worker)),
        run_config=ray.train.RunConfig(
            name=name, storage_path=storage_path(recipe),
            failure_config=ray.train.FailureConfig(max_failures=s.max_failures),
            checkpoint_config=ray.train.CheckpointConfig(num_to_keep=2),
            callbacks=callbacks,
        ),
        datasets=datasets,
        # Every worker evaluates the whole (small) eval set: equal batch counts keep the
        # distributed eval loop in step; only the training data is split.
        dataset_config=ray.train.DataConfig(datasets_to_split=["train"] if "train" in datasets else []),
    )


def worker_job(recipe: Recipe, stage: str, model_dir: str, max_steps: int, init_adapter: str | None, *,
               has_eval: bool, objective: Objective = "lm", kto: KtoData | None = None) -> WorkerJob:
    """The job every worker of the stage receives, with the cluster-dependent choices made here."""
    use_gpu, zero = hardware(recipe)
    return WorkerJob(recipe=recipe, stage=stage, objective=objective, model_dir=model_dir,
                     init_adapter=init_adapter, max_steps=max_steps, use_gpu=use_gpu,
                     deepspeed=deepspeed_config(zero) if zero else None,
                     torch_threads=max(1, round(recipe.scaling.cpus_per_worker)), has_eval=has_eval, kto=kto,
                     teacher=replay_teacher(recipe, stage, objective, init_adapter))


def replay_teacher(recipe: Recipe, stage: str, objective: Objective, init_adapter: str | None) -> Teacher | None:
    """Who teaches the replay rows of this stage: CFT's parent (`cft.distill_replay`; the base
    model when the parent is the base model), the base model (`replay.distill`), or nobody."""
    if objective != "lm":
        return None
    if stage == "cft" and recipe.cft.distill_replay:
        return "parent" if init_adapter else "base"
    return "base" if recipe.replay.distill else None


def train_stage(recipe: Recipe, stage: str, model_dir: str, train_ds, eval_ds, train_rows: int,
                parent: str | None, register_as: str | None = None, data_digest: str | None = None,
                kto: KtoData | None = None) -> dict[str, Any]:
    """Train one stage with Ray Train, register the adapter as `<stage>-v<n>`, return its metrics."""
    registry = Registry(recipe.registry.path)
    objective: Objective = "kto" if kto is not None else "lm"
    t = recipe.stage_train(stage, objective)
    max_steps = steps_for(train_rows, t, recipe.scaling.num_workers)
    # Where the parent's files are (URI or absolute path); each worker fetches them on its own node.
    init_adapter = registry.adapter_path(parent) if parent else None
    job = worker_job(recipe, stage, model_dir, max_steps, init_adapter, has_eval=eval_ds is not None,
                     objective=objective, kto=kto)
    log.info("%s: %d rows -> %d steps on %d worker(s) (%s%s), from %s", stage, train_rows, max_steps,
             recipe.scaling.num_workers, "gpu" if job.use_gpu else "cpu",
             ", deepspeed" if job.deepspeed else "", parent or "the base model")
    if not job.use_gpu and t.precision == "auto" and not cpu_has_fast_bf16():
        # `auto` trains in fp32 here: bf16 would be emulated and far slower. Say so, since every
        # figure in the README was measured on a CPU with native bf16.
        log.info("%s: fp32 training: this CPU has no native bf16 (AVX512-BF16 or AMX); expect 2-3x the time "
                 "of one that has it (BENCHMARKS.md)", stage)
    start = time.time()
    # Materialized before the workers start: the prepared rows are compact token ids, and a
    # materialized dataset needs no CPUs for Ray Data while training holds them all.
    datasets = {}
    if train_ds is not None:  # KTO passes its (small) rows in the job instead
        datasets["train"] = train_ds.materialize()
    if eval_ds is not None:
        datasets["eval"] = eval_ds.materialize()
    result = build_trainer(recipe, job, datasets, f"{recipe.run.name}-{stage}-{int(start)}").fit()
    wall = time.time() - start
    metrics = {k: v for k, v in result.metrics.items() if isinstance(v, int | float)}
    metrics["wall_s"] = round(wall, 1)
    workers_n = recipe.scaling.num_workers
    metrics["epoch"] = epochs_done(int(metrics.get("steps", max_steps)), train_rows, t, workers_n)
    with result.checkpoint.as_directory() as ckpt:
        history = json.loads((Path(ckpt) / LOG_HISTORY).read_text())
        for entry in history:  # the same correction for every logged step
            if "epoch" in entry and "step" in entry:
                entry["epoch"] = epochs_done(int(entry["step"]), train_rows, t, workers_n)
        placement = Path(ckpt) / WORKERS
        workers = json.loads(placement.read_text()) if placement.is_file() else []
        version = registry.register(register_as or stage, Path(ckpt) / FINAL_ADAPTER, parent=parent,
                                    run=recipe.run.name, recipe_hash=recipe.fingerprint(),
                                    data_hash=data_digest or data_hash(recipe),
                                    metrics=_summary(metrics))
    run_dir = recipe.run_dir()
    run_dir.mkdir(parents=True, exist_ok=True)
    # CFT may train twice in one run (KTO after SFT): one summary per objective.
    summary = f"train_{stage}.json" if objective == "lm" else f"train_{stage}_{objective}.json"
    (run_dir / summary).write_text(json.dumps(
        {"version": version, "parent": parent, "metrics": metrics, "workers": workers,
         "checkpoint": _checkpoint_location(result.checkpoint, storage_path(recipe)), "log_history": history},
        indent=2))
    if workers:
        log.info("%s: %d worker(s) on %d node(s): %s", stage, len(workers), len({w["node_id"] for w in workers}),
                 ", ".join(f"rank {w['rank']}@{w['node_ip']}" for w in workers))
    if metrics.get("resumed_from_step"):
        log.warning("%s: a worker failed; training resumed from the checkpoint at step %d",
                    stage, metrics["resumed_from_step"])
    log.info("%s: registered %s (loss %.3f, eval_loss %s, %.0f tok/s, %.0f s)", stage, version,
             metrics.get("train_loss", float("nan")), metrics.get("eval_loss"), metrics.get("tokens_per_s", 0), wall)
    return {"version": version, **_summary(metrics)}


def _checkpoint_location(checkpoint, root: str) -> str:
    """The final checkpoint as a path or URI (Ray keeps paths without the URI scheme)."""
    return f"{scheme(root)}://{checkpoint.path}" if is_uri(root) else checkpoint.path


def _summary(metrics: dict[str, Any]) -> dict[str, Any]:
    keys = ("steps", "resumed_from_step", "train_loss", "eval_loss", "train_tokens", "tokens_per_s", "train_runtime", "wall_s")
    return {k: metrics[k] for k in keys if k in metrics}
