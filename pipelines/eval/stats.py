"""How sure a score is: a 95% interval for an accuracy over n items, and a paired test of two
versions answering the same items.

The quickstart's sets are small (tens of items): +3 points on 40 items is one more right
answer, which says nothing. The report gives every accuracy with its n and interval, and each
version against base with the items only one of them got right (McNemar's exact test).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

Z95 = 1.959964  # two-sided 95% normal quantile


@dataclass(frozen=True)
class Interval:
    """An accuracy with its Wilson score interval (well-behaved at 0, 1 and small n)."""

    value: float
    n: int
    low: float
    high: float

    def as_dict(self) -> dict[str, float | int]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


def wilson(correct: int, n: int, z: float = Z95) -> Interval:
    """The Wilson score interval for `correct` out of `n`."""
    if n <= 0:
        return Interval(0.0, 0, 0.0, 1.0)
    p = correct / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return Interval(p, n, max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Paired:
    """Two versions on the same items: how many only the candidate got right (`gained`), only
    the reference (`lost`), and the two-sided exact McNemar p-value of that split."""

    n: int
    gained: int
    lost: int
    p_value: float

    @property
    def delta(self) -> float:
        return (self.gained - self.lost) / self.n if self.n else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"n": self.n, "gained": self.gained, "lost": self.lost, "delta": round(self.delta, 4),
                "p_value": round(self.p_value, 4)}


def mcnemar_exact(gained: int, lost: int) -> float:
    """Two-sided exact McNemar p-value: the discordant items split as a fair coin would?"""
    k, n = min(gained, lost), gained + lost
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def paired(candidate: list[bool], reference: list[bool]) -> Paired:
    """Compare per-item outcomes of two versions on the same items, in the same order."""
    if len(candidate) != len(reference):
        raise ValueError(f"paired test needs the same items: {len(candidate)} vs {len(reference)} outcomes")
    gained = sum(c and not r for c, r in zip(candidate, reference, strict=True))
    lost = sum(r and not c for c, r in zip(candidate, reference, strict=True))
    return Paired(len(candidate), gained, lost, mcnemar_exact(gained, lost))


ACCURACIES = ("domain_mc_acc", "domain_qa_em", "instruct_pass")


def confidence(outcomes: dict[str, dict[str, list[int]]], reference: str = "base") -> dict[str, dict[str, Any]]:
    """Per version (`outcomes`: version -> metric -> per-item 0/1) and accuracy, the interval;
    for every version but `reference`, also the paired test against it on the same items.
    A version evaluated before per-item outcomes were kept has none, and is left out."""
    out: dict[str, dict[str, Any]] = {}
    ref = outcomes.get(reference, {})
    for version, per_metric in outcomes.items():
        rows: dict[str, Any] = {}
        for metric in ACCURACIES:
            items = per_metric.get(metric) or []
            if not items:
                continue
            row: dict[str, Any] = {"interval": wilson(sum(items), len(items)).as_dict()}
            if version != reference and len(ref.get(metric) or []) == len(items):
                row["vs_" + reference] = paired([bool(x) for x in items], [bool(x) for x in ref[metric]]).as_dict()
            rows[metric] = row
        if rows:
            out[version] = rows
    return out


def format_confidence(conf: dict[str, dict[str, Any]], reference: str = "base") -> str:
    """The intervals and paired tests as a Markdown table (empty when nothing was kept)."""
    versions = list(conf)
    if not versions:
        return ""
    lines = ["| accuracy (95% interval, n) | " + " | ".join(versions) + " |", "|---" * (len(versions) + 1) + "|"]
    for metric in ACCURACIES:
        cells = []
        for version in versions:
            row = conf[version].get(metric)
            if row is None:
                cells.append("-")
                continue
            iv = row["interval"]
            cell = f"{iv['value']:.3f} [{iv['low']:.2f}, {iv['high']:.2f}] n={iv['n']}"
            test = row.get("vs_" + reference)
            if test:
                cell += f"; vs {reference} +{test['gained']}/−{test['lost']}, p={_p(test['p_value'])}"
            cells.append(cell)
        if any(c != "-" for c in cells):
            lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _p(value: float) -> str:
    return "<0.001" if value < 0.001 else f"{value:.3f}"
