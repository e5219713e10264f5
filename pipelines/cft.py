"""Continual fine-tuning (CFT) from user feedback: the closed loop.

    .venv/bin/domainforge cft pipelines/recipes/cft.yaml

Reads the ratings stored since the last CFT run (a watermark in the feedback store, so no
rating is used twice or skipped), builds a KTO set (prompt, answer, good/bad) and an SFT set
(good answers and corrections), mixes in replay of the earlier SFT data, trains a new
version on top of the promoted one (SFT, KTO, or SFT then KTO), evaluates it with the gate
against its parent and promotes it on pass — the running server picks it up by itself.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from typing import Any

from pipelines.config import Recipe

log = logging.getLogger(__name__)
WATERMARK = "cft"


def _store(recipe: Recipe):
    from serving.feedback import FeedbackStore

    return FeedbackStore(recipe.feedback.url)


def pending_feedback(recipe: Recipe) -> int:
    """Ratings stored since the last CFT run."""
    store = _store(recipe)
    return len(store.ratings_after(store.get_watermark(WATERMARK)))


def feedback_sets(rows: list[dict[str, Any]]) -> tuple[list[dict], list[list[dict]], Counter]:
    """KTO rows and SFT conversations from ratings.

    - good answer → KTO desirable, and an SFT example;
    - bad answer → KTO undesirable;
    - a correction (given with either rating) → KTO desirable and an SFT example: it is the
      answer the user wanted.
    """
    kto, sft, counts = [], [], Counter()
    for row in rows:
        prompt = [m for m in row["messages"] if m.get("role") in ("system", "user", "assistant")]
        if not prompt or prompt[-1]["role"] != "user":
            counts["skipped_no_prompt"] += 1
            continue
        counts[row["rating"]] += 1
        kto.append({"prompt": prompt, "completion": [{"role": "assistant", "content": row["answer"]}],
                    "label": row["rating"] == "good"})
        if row["rating"] == "good":
            sft.append([*prompt, {"role": "assistant", "content": row["answer"]}])
        correction = (row.get("correction") or "").strip()
        if correction:
            counts["corrected"] += 1
            kto.append({"prompt": prompt, "completion": [{"role": "assistant", "content": correction}],
                        "label": True})
            sft.append([*prompt, {"role": "assistant", "content": correction}])
    return kto, sft, counts


def _sft_dataset(recipe: Recipe, model_dir: str, conversations: list[list[dict]]):
    import ray

    from pipelines.data.tokenize import encode_chat
    from pipelines.models import load_tokenizer

    tokenizer = load_tokenizer(model_dir)
    rows = [encode_chat(tokenizer, c, recipe.model.max_seq_len) for c in conversations]
    return ray.data.from_items(rows), len(rows)


def run_cft(recipe: Recipe, model_dir: str) -> dict[str, Any]:
    """One CFT round; returns what happened (also written to runs/<run>/cft_report.json)."""
    from pipelines.data.mixture import sft_datasets
    from pipelines.data.prepare import load_data_report
    from pipelines.eval.gate import check_gate
    from pipelines.eval.report import _metrics_only, cached_metrics
    from pipelines.registry import Registry
    from pipelines.train.launch import train_stage

    start = time.time()
    store = _store(recipe)
    watermark = store.get_watermark(WATERMARK)
    rows = store.ratings_after(watermark)
    if len(rows) < recipe.cft.min_feedback:
        msg = (f"only {len(rows)} new rating(s) since the last CFT run (cft.min_feedback = "
               f"{recipe.cft.min_feedback}): nothing to train")
        log.info(msg)
        return {"status": "skipped", "reason": msg, "new_ratings": len(rows)}

    kto_rows, conversations, counts = feedback_sets(rows)
    registry = Registry(recipe.registry.path)
    parent = registry.promoted()
    digest = hashlib.sha256(json.dumps([r["seq"] for r in rows]).encode()).hexdigest()[:12]
    log.info("cft: %d ratings (%s) on top of %s", len(rows), dict(counts), parent or "the base model")

    methods = recipe.cft.method.split("+")
    current, trained = parent, {}
    parts = load_data_report(recipe)["parts"]
    if "sft" in methods and conversations:
        cft_ds, n = _sft_dataset(recipe, model_dir, conversations)
        train_ds, plan = sft_datasets(recipe, parts, "train", extra=cft_ds, extra_rows=n, replay_from="sft")
        trained["sft"] = train_stage(recipe, "cft", model_dir, train_ds, None, plan.total_rows, parent=current,
                                     register_as="cft" if methods == ["sft"] else "cftsft", data_digest=digest)
        trained["sft"]["replay_share"] = round(plan.replay_share, 3)
        current = trained["sft"]["version"]
    if "kto" in methods and kto_rows:
        kto_args = {"beta": recipe.cft.kto_beta, "desirable_weight": recipe.cft.desirable_weight,
                    "undesirable_weight": recipe.cft.undesirable_weight, "max_length": recipe.model.max_seq_len}
        trained["kto"] = train_stage(recipe, "cft", model_dir, None, None, len(kto_rows), parent=current,
                                     objective="kto", register_as="cft", data_digest=digest,
                                     kto_rows=kto_rows, kto_args=kto_args)
        current = trained["kto"]["version"]
    store.set_watermark(WATERMARK, max(r["seq"] for r in rows))  # this feedback is used

    candidate = current
    cand_metrics = _metrics_only(cached_metrics(recipe, model_dir, candidate))
    parent_metrics = _metrics_only(cached_metrics(recipe, model_dir, parent))
    gate = check_gate(cand_metrics, parent_metrics, recipe.gate, candidate, parent or "base").as_dict()
    registry.update_metrics(candidate, cand_metrics)
    if gate["passed"]:
        registry.promote(candidate)
        gate["promoted"] = True
    report = {
        "status": "promoted" if gate["passed"] else "rejected", "version": candidate, "parent": parent,
        "ratings": {"used": len(rows), **dict(counts)}, "kto_examples": len(kto_rows),
        "sft_examples": len(conversations), "replay_share": trained.get("sft", {}).get("replay_share", 0.0),
        "method": recipe.cft.method, "trained": trained, "metrics": {"candidate": cand_metrics, "parent": parent_metrics},
        "gate": gate, "watermark": {"from": watermark, "to": max(r["seq"] for r in rows)},
        "wall_s": round(time.time() - start, 1),
    }
    recipe.run_dir().mkdir(parents=True, exist_ok=True)
    (recipe.run_dir() / "cft_report.json").write_text(json.dumps(report, indent=2))
    log.info("cft: %s %s (gate %s%s)", report["status"], candidate, "passed" if gate["passed"] else "failed",
             "" if gate["passed"] else ": " + "; ".join(gate["reasons"]))
    return report
