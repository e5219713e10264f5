"""Which evaluation items a round of feedback touched, so the gate can judge the others apart.

A CFT round trains on what users rated and corrected. Its gain shows on the evaluation facts
those ratings were about; damage to everything else hides in the same average. Here an item
is *touched* when some feedback text (question, answer, correction) covers most of what is
distinctive about it: character trigrams (so Japanese and other scripts without spaces work),
each weighted by how rare it is among the evaluation items (inverse document frequency), so
the shared template ("how much does the ... cost per month") counts little and the names and
values count much. Score = weighted share of the item's trigrams found in one feedback text.

Erring towards "touched" is the safe direction: an item wrongly counted as touched only makes
the untouched set smaller; one wrongly counted as untouched would mix a corrected fact into
the set that must show no gain, and hide damage. Measured on the bundled sample (68 facts, 75%
rated, three draws): untouched items score at most 0.50, rated ones at least 0.60
(BENCHMARKS.md, "Which evaluation facts a CFT round touched"); `gate.touched_threshold` defaults to 0.55.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any


def trigrams(text: str) -> set[str]:
    """Character trigrams of `text`, lowercased, whitespace runs as one space."""
    flat = " ".join(text.lower().split())
    return {flat[i : i + 3] for i in range(len(flat) - 2)}


def touched(items: list[str], feedback: list[str], threshold: float) -> list[bool]:
    """Per item: whether one feedback text covers at least `threshold` of the item's
    rarity-weighted trigrams."""
    grams = [trigrams(t) for t in items]
    df = Counter(g for item in grams for g in item)
    n = len(grams)
    weight = {g: math.log((n + 1) / (d + 0.5)) for g, d in df.items()}
    texts = [trigrams(t) for t in feedback if t.strip()]
    out = []
    for item in grams:
        total = sum(weight[g] for g in item)
        best = max((sum(weight[g] for g in item & text) for text in texts), default=0.0)
        out.append(bool(total) and best / total >= threshold)
    return out


def item_text(kind: str, item: dict[str, Any]) -> str:
    """What an evaluation item is about: its question and its gold answer (for multiple choice
    with a statement, the statement filled with the gold option)."""
    if kind == "qa":
        return f"{item['question']} {item['answer']}"
    gold = item["options"][item["answer"]]
    statement = item.get("statement")
    return f"{item['question']} {statement.replace('{option}', gold) if statement else gold}"


def split_share(outcomes: list[int], marks: list[bool]) -> dict[str, Any]:
    """Accuracy over the touched and the untouched items ({"touched", "n_touched", "untouched",
    "n_untouched"}; an empty side has accuracy None)."""
    if len(outcomes) != len(marks):
        raise ValueError(f"{len(outcomes)} outcomes for {len(marks)} items: the evaluation sets changed")
    inside = [o for o, m in zip(outcomes, marks, strict=True) if m]
    outside = [o for o, m in zip(outcomes, marks, strict=True) if not m]
    return {"touched": sum(inside) / len(inside) if inside else None, "n_touched": len(inside),
            "untouched": sum(outside) / len(outside) if outside else None, "n_untouched": len(outside)}


SPLIT = (("domain_mc_acc", "mc"), ("domain_qa_em", "qa"))


def touched_marks(recipe, feedback: list[str]) -> dict[str, list[bool]]:
    """Per split metric (`SPLIT`) of the recipe's evaluation sets: which items `feedback`
    touched, in the sets' order (computed once per round, for candidate and parent alike)."""
    from pipelines.eval.derive import resolved_eval
    from pipelines.eval.sets import load_items

    cfg = resolved_eval(recipe)
    marks = {}
    for metric, kind in SPLIT:
        path = cfg.mc if kind == "mc" else cfg.qa
        if path:
            items = load_items(path, kind, cfg.limit)
            marks[metric] = touched([item_text(kind, i) for i in items], feedback, recipe.gate.touched_threshold)
    return marks


def split_metrics(metrics: dict[str, Any], marks: dict[str, list[bool]]) -> dict[str, Any]:
    """`<metric>_touched` / `<metric>_untouched` (and their item counts `n_...`) for the domain
    accuracies of one evaluation (`cached_metrics`, with its per-item outcomes)."""
    out: dict[str, Any] = {}
    for metric, items in marks.items():
        outcomes = (metrics.get("outcomes") or {}).get(metric)
        if outcomes is None:
            continue
        share = split_share(outcomes, items)
        out |= {f"{metric}_touched": share["touched"], f"n_{metric}_touched": share["n_touched"],
                f"{metric}_untouched": share["untouched"], f"n_{metric}_untouched": share["n_untouched"]}
    return out
