"""Continual fine-tuning (CFT) from user feedback: the closed loop.

    .venv/bin/domainforge cft pipelines/recipes/cft.yaml            # one round
    .venv/bin/domainforge cft pipelines/recipes/cft.yaml --watch    # a round every cft.every_n_ratings

One round reads the ratings stored since the last round (a named watermark in the feedback
store, moved only when the round has finished, so no rating is used twice or skipped),
builds a KTO set (prompt, answer, good/bad) and an SFT set (good answers and corrections),
mixes in replay of the earlier SFT pairs at `replay.sft_replay_ratio`, trains a new version
on top of the promoted one (SFT, KTO, or SFT then KTO), evaluates it with the gate against
that parent and promotes it on pass. The running server follows `registry.json` and serves
the new version without a restart; the parent stays in the registry for `adapters rollback`.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections import Counter
from typing import Any

from pipelines.core.cache import content_key
from pipelines.core.config import Recipe, RecipeError

log = logging.getLogger(__name__)
WATERMARK = "cft"
ROLES = ("system", "user", "assistant")


def open_store(recipe: Recipe):
    from pipelines.core.feedback import FeedbackStore

    return FeedbackStore(recipe.feedback.url)


def pending_feedback(recipe: Recipe) -> int:
    """Ratings stored since the last CFT round."""
    store = open_store(recipe)
    try:
        return store.count_after(store.get_watermark(WATERMARK))
    finally:
        store.dispose()


# ---- data ----------------------------------------------------------------------------------


def feedback_sets(rows: list[dict[str, Any]]) -> tuple[list[dict], list[list[dict]], Counter]:
    """KTO rows and SFT conversations from the store's rating rows (`ratings_after`).

    - good answer → KTO desirable, and an SFT example;
    - bad answer → KTO undesirable;
    - a correction (given with either rating) → KTO desirable and an SFT example: it is the
      answer the user wanted.
    Rows whose prompt does not end with a user turn cannot be trained on and are counted as
    `skipped_no_prompt`. Counts: good, bad, corrected, skipped_*.
    """
    kto: list[dict] = []
    sft: list[list[dict]] = []
    counts: Counter = Counter()
    for row in rows:
        prompt = [{"role": m["role"], "content": m["content"]} for m in row.get("messages") or []
                  if isinstance(m, dict) and m.get("role") in ROLES and isinstance(m.get("content"), str)]
        if not prompt or prompt[-1]["role"] != "user":
            counts["skipped_no_prompt"] += 1
            continue
        counts[row["rating"]] += 1
        answer = row.get("answer") or ""
        kto.append(_kto_row(prompt, answer, row["rating"] == "good"))
        if row["rating"] == "good" and answer.strip():
            sft.append([*prompt, {"role": "assistant", "content": answer}])
        correction = (row.get("correction") or "").strip()
        if correction:
            counts["corrected"] += 1
            kto.append(_kto_row(prompt, correction, True))
            sft.append([*prompt, {"role": "assistant", "content": correction}])
    return kto, sft, counts


def feedback_texts(rows: list[dict[str, Any]]) -> list[str]:
    """Per rating, what it was about: the user turns, the answer and the correction."""
    texts = []
    for row in rows:
        users = [m["content"] for m in row.get("messages") or []
                 if isinstance(m, dict) and m.get("role") == "user" and isinstance(m.get("content"), str)]
        texts.append(" ".join([*users, row.get("answer") or "", row.get("correction") or ""]))
    return texts


def _kto_row(prompt: list[dict], answer: str, good: bool) -> dict[str, Any]:
    """TRL's unpaired preference format, conversational."""
    return {"prompt": prompt, "completion": [{"role": "assistant", "content": answer}], "label": good}


def encode_conversations(tokenizer, conversations: list[list[dict]], max_len: int) -> tuple[list[dict], int]:
    """Token rows with the loss on each conversation's final (rated or corrected) answer only;
    conversations whose answer does not fit in `max_len` are dropped (returned as a count)."""
    from pipelines.core.chat import IGNORE, encode_chat

    rows, dropped = [], 0
    for conversation in conversations:
        row = encode_chat(tokenizer, conversation, max_len, last_only=True)
        if all(label == IGNORE for label in row["labels"]):
            dropped += 1
            continue
        rows.append(row)
    return rows, dropped


def sft_pairs(recipe: Recipe) -> list[list[dict]]:
    """The earlier SFT pairs (`data.sft`) as chat conversations, for replay in KTO."""
    from cluster.storage import filesystem
    from pipelines.core.sources import expand_inputs, parse_file

    if not recipe.data.sft:
        return []
    pairs = []
    for path in expand_inputs(recipe.data.sft):
        fs, inner = filesystem(path)
        with fs.open_input_stream(inner) as fh:
            data = fh.read()
        pairs += [json.loads(r["text"]) for r in parse_file(data, path, sft=True) if "text" in r]
    return pairs


def kto_replay(pairs: list[list[dict]], n: int, seed: int) -> list[dict[str, Any]]:
    """`n` earlier SFT answers as desirable KTO rows (drawn without replacement while they last)."""
    if n <= 0 or not pairs:
        return []
    rng = random.Random(seed)
    order: list[list[dict]] = []
    while len(order) < n:
        order += rng.sample(pairs, len(pairs))
    rows = []
    for pair in order[:n]:
        last = max(i for i, m in enumerate(pair) if m["role"] == "assistant")
        rows.append(_kto_row(pair[:last], pair[last]["content"], True))
    return rows


# ---- the round -------------------------------------------------------------------------------


def methods_of(recipe: Recipe) -> list[str]:
    """Training phases in order: SFT (teach the wanted answers) before KTO (push away from bad ones)."""
    chosen = set(recipe.cft.method.split("+"))
    return [m for m in ("sft", "kto") if m in chosen]


def run_cft(recipe: Recipe, model_dir: str) -> dict[str, Any]:
    """One CFT round; returns what happened (also written to runs/<run>/cft_report.json when
    something was trained). Status: `skipped` (nothing to do), `promoted` or `rejected`."""
    store = open_store(recipe)
    try:
        return _round(recipe, model_dir, store)
    finally:
        store.dispose()


def _skip(reason: str, new_ratings: int, watermark: int) -> dict[str, Any]:
    log.info("cft: nothing to do: %s", reason)
    return {"status": "skipped", "reason": f"nothing to do: {reason}", "new_ratings": new_ratings,
            "watermark": {"from": watermark, "to": watermark}}


def _round(recipe: Recipe, model_dir: str, store) -> dict[str, Any]:
    from pipelines.core.registry import Registry

    start = time.time()
    if "kto" in methods_of(recipe) and recipe.stage_train("cft").batch_size < 2:
        # KTO estimates its KL term from mismatched pairs inside a micro-batch.
        raise RecipeError(f"cft.method {recipe.cft.method!r} trains KTO, which needs train.batch_size >= 2 "
                          f"(got {recipe.stage_train('cft').batch_size})")
    watermark = store.get_watermark(WATERMARK)
    rows = store.ratings_after(watermark)
    if len(rows) < recipe.cft.min_feedback:
        return _skip(f"{len(rows)} new rating(s) since the last CFT round, fewer than cft.min_feedback = "
                     f"{recipe.cft.min_feedback}; no training", len(rows), watermark)
    last_seq = max(r["seq"] for r in rows)
    kto_rows, conversations, counts = feedback_sets(rows)
    methods = methods_of(recipe)
    if not kto_rows or ("kto" not in methods and not conversations):
        # Nothing in these ratings can ever be trained on with this method: consume them.
        _advance(store, watermark, last_seq)
        return _skip(f"none of the {len(rows)} new rating(s) is usable for {recipe.cft.method} ({dict(counts)})",
                     len(rows), watermark)

    registry = Registry(recipe.registry.path)
    parent = registry.promoted()
    digest = content_key([[r["seq"], r["completion_id"]] for r in rows])
    log.info("cft: %d new ratings (%s) on top of %s: %s", len(rows), dict(counts), parent or "the base model",
             " then ".join(methods))

    current, trained, replay = parent, {}, {}
    for i, method in enumerate(methods):
        register_as = "cft" if i == len(methods) - 1 else "cftsft"  # the final phase is the candidate
        if method == "sft" and conversations:
            trained["sft"], replay["sft"] = _train_sft(recipe, model_dir, conversations, current, register_as, digest)
        elif method == "kto":
            trained["kto"], replay["kto"] = _train_kto(recipe, model_dir, kto_rows, current, register_as, digest,
                                                       seed=recipe.run.seed + last_seq)
        else:
            continue
        current = trained[method]["version"]
    candidate = current

    gate, metrics = _gate(recipe, model_dir, registry, candidate, parent, feedback_texts(rows))
    registry.record_gate(candidate, gate)  # kept with the version: `adapters promote` refuses a failed one
    if gate["passed"]:
        registry.promote(candidate)
    gate["promoted"] = bool(gate["passed"])
    _advance(store, watermark, last_seq)  # the round is complete: these ratings are used

    replay_rows = sum(r["rows"] for r in replay.values())
    total_rows = sum(r["rows"] + r["feedback_rows"] for r in replay.values())
    report = {
        "status": "promoted" if gate["passed"] else "rejected", "version": candidate, "parent": parent,
        "method": recipe.cft.method, "phases": methods,
        "ratings": {"used": len(rows), "good": counts["good"], "bad": counts["bad"],
                    "corrected": counts["corrected"], "skipped": counts["skipped_no_prompt"],
                    "by_model": dict(Counter(r["model"] for r in rows))},
        "examples": {"kto": len(kto_rows), "sft": len(conversations)},
        "replay": replay, "replay_share": round(replay_rows / total_rows, 3) if total_rows else 0.0,
        "trained": trained, "metrics": metrics, "gate": gate,
        "watermark": {"from": watermark, "to": last_seq}, "wall_s": round(time.time() - start, 1),
    }
    recipe.run_dir().mkdir(parents=True, exist_ok=True)
    (recipe.run_dir() / "cft_report.json").write_text(json.dumps(report, indent=2))
    log.info("cft: %s %s (parent %s; gate %s%s); ratings %s, replay share %.2f", report["status"], candidate,
             parent or "base", "passed" if gate["passed"] else "failed",
             "" if gate["passed"] else ": " + "; ".join(gate["reasons"]), report["ratings"], report["replay_share"])
    return report


def _advance(store, watermark: int, seq: int) -> None:
    if not store.advance_watermark(WATERMARK, watermark, seq):
        raise RuntimeError(f"the {WATERMARK!r} watermark moved during this round (another CFT round ran at the "
                           "same time); this round's version stays unpromoted if it was not already promoted")


def _train_sft(recipe: Recipe, model_dir: str, conversations: list[list[dict]], parent: str | None,
               register_as: str, digest: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """SFT on the good and corrected answers plus replay of the prepared SFT pairs."""
    import ray

    from pipelines.core.models import load_tokenizer
    from pipelines.data.mixture import sft_datasets
    from pipelines.data.tally import load_data_report
    from pipelines.train.launch import train_stage

    tokenizer = load_tokenizer(model_dir)
    rows, dropped = encode_conversations(tokenizer, conversations, recipe.model.max_seq_len)
    if dropped:
        log.warning("cft: %d conversation(s) longer than model.max_seq_len left no answer tokens; dropped", dropped)
    parts = load_data_report(recipe)["parts"]
    anchors = []
    if recipe.cft.anchors and "domain" in parts:
        anchors = anchor_rows(recipe, tokenizer, [c[-1]["content"] for c in conversations])
    elif recipe.cft.anchors:
        log.warning("cft: cft.anchors is set but this run prepared no domain corpus to take anchors from; none used")
    train_ds, plan = sft_datasets(recipe, parts, "train", extra=ray.data.from_items(rows), extra_rows=len(rows),
                                  replay_from=recipe.cft.sft_replay_from, distill_all=recipe.cft.distill_replay,
                                  anchors=ray.data.from_items(anchors) if anchors else None)
    total, replayed = plan.total_rows + len(anchors), plan.replay_rows + len(anchors)  # anchors are replay too
    result = train_stage(recipe, "cft", model_dir, train_ds, None, total, parent=parent,
                         register_as=register_as, data_digest=digest)
    return result, {"rows": replayed, "feedback_rows": len(rows), "share": round(replayed / total, 3),
                    "from": recipe.cft.sft_replay_from, "anchors": len(anchors),
                    "learned_from": "the parent's distributions" if recipe.cft.distill_replay else "text"}


# Domain blocks read for anchor sentences: ~1M tokens of 256-token blocks. A round scores every
# sentence against every rated answer, so the pool is bounded; a corpus's first million tokens
# state the common wordings many times over.
ANCHOR_POOL_BLOCKS = 4096


def anchor_rows(recipe: Recipe, tokenizer, answers: list[str]) -> list[dict]:
    """`cft.anchors` rows per rated answer from the prepared domain corpus (`pipelines.data.anchors`)."""
    from pipelines.data.anchors import encode_anchors, pick_anchors, split_sentences
    from pipelines.data.mixture import read_part

    blocks = read_part(recipe, "domain", "train").limit(ANCHOR_POOL_BLOCKS).take_all()
    pool = [s for b in blocks for s in split_sentences(tokenizer.decode(b["input_ids"], skip_special_tokens=True))]
    sentences = pick_anchors(answers, pool, recipe.cft.anchors)
    log.info("cft: %d anchor sentence(s) for %d rated answer(s), from %d sentences of the domain corpus",
             len(sentences), len(answers), len(pool))
    return encode_anchors(tokenizer, sentences, recipe.model.max_seq_len)


def _train_kto(recipe: Recipe, model_dir: str, kto_rows: list[dict], parent: str | None, register_as: str,
               digest: str, seed: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """KTO on every rating (the parent is the reference) plus earlier SFT answers as desirable replay."""
    from pipelines.data.mixture import replay_rows_for
    from pipelines.train.job import KtoData
    from pipelines.train.launch import train_stage

    replay = kto_replay(sft_pairs(recipe), replay_rows_for(len(kto_rows), recipe.replay.sft_replay_ratio), seed)
    rows = kto_rows + replay
    random.Random(seed).shuffle(rows)  # KTO pairs neighbours for its KL estimate: mix replay in
    kto = KtoData(rows=rows, beta=recipe.cft.kto_beta, desirable_weight=recipe.cft.desirable_weight,
                  undesirable_weight=recipe.cft.undesirable_weight, max_length=recipe.model.max_seq_len)
    result = train_stage(recipe, "cft", model_dir, None, None, len(rows), parent=parent,
                         register_as=register_as, data_digest=digest, kto=kto)
    return result, {"rows": len(replay), "feedback_rows": len(kto_rows),
                    "share": round(len(replay) / len(rows), 3) if rows else 0.0, "from": "data.sft"}


def _gate(recipe: Recipe, model_dir: str, registry, candidate: str, parent: str | None,
          feedback: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Evaluate the candidate and its parent (the promoted version, or base) and apply the gate,
    the domain accuracies also split into the facts this round's `feedback` touched and the rest."""
    from pipelines.eval.gate import check_gate
    from pipelines.eval.report import cached_metrics, metrics_only
    from pipelines.eval.touched import split_metrics, touched_marks

    full = {name: cached_metrics(recipe, model_dir, name) for name in (candidate, parent)}
    marks = touched_marks(recipe, feedback)
    cand, base = ({**metrics_only(full[name]), **split_metrics(full[name], marks)} for name in (candidate, parent))
    registry.update_metrics(candidate, metrics_only(full[candidate]))
    gate = check_gate(cand, base, recipe.gate, candidate, parent or "base").as_dict()
    return gate, {"candidate": cand, "parent": base}
