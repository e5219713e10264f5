"""Evaluate one model version (base, or base + adapter) on every set of the recipe.

Runs in-process (`evaluate_model`) or as a Ray task (`evaluate_on_ray`), so evaluation goes
where the cluster has room (a GPU worker on a cluster, the local CPU here).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import torch

from pipelines.core.config import EvalConfig, Recipe
from pipelines.core.generate import generate_answers, load_for_eval
from pipelines.core.precision import autocast, resolved_precision
from pipelines.core.sources import read_jsonl_records
from pipelines.eval.instruct import check_instruction
from pipelines.eval.metrics import contains_answer, mc_accuracy, mc_outcomes, perplexity, qa_answers
from pipelines.eval.sets import load_documents, load_items

log = logging.getLogger(__name__)
METRICS = ("domain_ppl", "general_ppl", "domain_mc_acc", "domain_qa_em", "instruct_pass")


def load_set(path: str, limit: int = 0) -> list[dict[str, Any]]:
    """Records of a JSONL file (first `limit` when > 0); a missing file is an error naming it.
    Evaluation sets are read with `pipelines.eval.sets`, which checks their fields."""
    if not Path(path).is_file():
        raise FileNotFoundError(f"eval set {path} not found (eval section of the recipe)")
    records, bad = read_jsonl_records(path)
    if bad:
        log.warning("%s: skipped malformed lines %s", path, bad)
    return records[:limit] if limit else records


def mc_scoring(items: list[dict[str, Any]]) -> str:
    """How multiple choice was scored, for the report: `statement` (each option filled into the
    item's statement), `question+option` (the option as the answer, chat format) or `mixed`."""
    kinds = {"statement" if item.get("statement") else "question+option" for item in items}
    return kinds.pop() if len(kinds) == 1 else ("mixed" if kinds else "none")


def _share(outcomes: list[bool]) -> float:
    return sum(outcomes) / len(outcomes) if outcomes else 0.0


def instruct_outcomes(model, tokenizer, requests: list[tuple[str, dict[str, Any]]], cfg: EvalConfig) -> list[bool]:
    """Per (prompt, check) request, whether the greedy reply passes its rule check: the
    evaluation's instruct_pass, item by item. Generates in the caller's precision context."""
    replies = generate_answers(model, tokenizer, [prompt for prompt, _ in requests], cfg.instruct_max_new_tokens,
                               cfg.generate_batch_size)
    return [check_instruction(r, check) for r, (_, check) in zip(replies, requests, strict=True)]


def compute_metrics(model, tokenizer, cfg: EvalConfig, max_len: int) -> dict[str, Any]:
    """All five metrics (plus the bare-option diagnostic and sample answers): the likelihood
    metrics in `cfg.score_precision`, the generated ones in `cfg.precision`. A domain set the
    recipe leaves unset gives no metric (None), not a score of zero."""
    start = time.time()
    mc = load_items(cfg.mc, "mc", cfg.limit) if cfg.mc else []
    qa = load_items(cfg.qa, "qa", cfg.limit) if cfg.qa else []
    instruct = load_items(cfg.instruct, "instruct", cfg.limit)
    with autocast(cfg.score_precision):
        mc_right = mc_outcomes(model, tokenizer, mc, max_len, cfg.batch_size)
        out: dict[str, Any] = {
            "domain_ppl": perplexity(model, tokenizer, load_documents(cfg.domain_heldout, cfg.limit), max_len,
                                     cfg.batch_size) if cfg.domain_heldout else None,
            "general_ppl": perplexity(model, tokenizer, load_documents(cfg.general_heldout, cfg.limit), max_len,
                                      cfg.batch_size),
            "domain_mc_acc": _share(mc_right) if mc else None,
            "domain_mc_scoring": mc_scoring(mc),
        }
        if cfg.diagnostics and mc:
            out["domain_mc_acc_bare"] = mc_accuracy(model, tokenizer, mc, max_len, cfg.batch_size, bare=True)
    with autocast(cfg.precision):
        answers = qa_answers(model, tokenizer, qa, cfg.max_new_tokens, cfg.generate_batch_size)
        passed = instruct_outcomes(model, tokenizer, [(i["prompt"], i["check"]) for i in instruct], cfg)
    qa_right = [contains_answer(a, i["answer"]) for a, i in zip(answers, qa, strict=True)]
    out["domain_qa_em"] = _share(qa_right) if qa else None
    out["instruct_pass"] = _share(passed)
    # Per item, 1 = right, in the sets' order: intervals and paired tests in the report.
    out["outcomes"] = {"domain_mc_acc": [int(x) for x in mc_right],
                       "domain_qa_em": [int(x) for x in qa_right], "instruct_pass": [int(x) for x in passed]}
    out["samples"] = [{"question": i["question"], "gold": i["answer"], "answer": a} for i, a in zip(qa, answers, strict=False)][:5]
    out["eval_wall_s"] = round(time.time() - start, 1)
    return out


def evaluate_model(model_dir: str, adapter_dir: str | None, recipe: Recipe) -> dict[str, Any]:
    from pipelines.eval.derive import resolved_eval

    model, tokenizer = load_for_eval(model_dir, adapter_dir)
    metrics = compute_metrics(model, tokenizer, resolved_eval(recipe), recipe.model.max_seq_len)
    return {**metrics, "eval_precision": resolved_precision(recipe.eval.precision),
            "score_precision": resolved_precision(recipe.eval.score_precision)}


def evaluate_on_ray(model_dir: str, adapter_dir: str | None, recipe: Recipe, num_cpus: float = 1) -> dict[str, Any]:
    """The same, as a Ray task (a GPU one when the cluster has GPUs)."""
    import ray

    from pipelines.eval.derive import resolved_eval

    # Derived sets are resolved here, on the driver that wrote them: the task gets their paths.
    recipe = recipe.model_copy(update={"eval": resolved_eval(recipe)})
    gpus = 1 if ray.cluster_resources().get("GPU", 0) > 0 else 0
    task = ray.remote(num_cpus=num_cpus, num_gpus=gpus)(_evaluate_task)
    return ray.get(task.remote(model_dir, adapter_dir, recipe.model_dump(mode="json")))


def _evaluate_task(model_dir: str, adapter_dir: str | None, recipe: dict[str, Any]) -> dict[str, Any]:
    import os

    # Ray limits a task's threads to its CPU share; evaluation is the only work at this point.
    torch.set_num_threads(max(1, int(os.environ.get("DOMAINFORGE_EVAL_THREADS", os.cpu_count() or 1))))
    return evaluate_model(model_dir, adapter_dir, Recipe.model_validate(recipe))
