"""Mixing prepared parts into a stage's training stream at the recipe's ratios.

- DAPT: domain blocks (+ the SFT pairs as chat text when `replay.mix_sft_into_dapt`, and the
  self-replay pairs: beside them, or as the `chat_replay` part with `replay.distill`), plus
  general replay blocks so that replay is `replay.ratio` of the rows (blocks are equal-sized,
  so rows are tokens). Replay is repeated when there is not enough of it.
- SFT: the chat-formatted pairs, plus `replay.sft_replay_ratio` of rows drawn from the DAPT
  mixture, so a narrow SFT set does not overwrite what DAPT put in.

The plan is computed from the counts in data_report.json, so it needs no pass over the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from pipelines.core.config import Recipe

CHAT_REPLAY = "chat_replay"  # the prepared part holding the self-replay pairs when they are distilled


@dataclass(frozen=True)
class Plan:
    base_parts: tuple[str, ...]
    base_rows: int
    replay_rows: int
    replay_available: int

    @property
    def total_rows(self) -> int:
        return self.base_rows + self.replay_rows

    @property
    def replay_share(self) -> float:
        return self.replay_rows / self.total_rows if self.total_rows else 0.0

    @property
    def replay_repeats(self) -> float:
        return self.replay_rows / self.replay_available if self.replay_available else 0.0


def replay_rows_for(base_rows: int, ratio: float) -> int:
    """Rows of replay so that replay / (base + replay) == ratio."""
    return round(ratio / (1.0 - ratio) * base_rows) if ratio > 0 else 0


def _train_rows(parts: dict[str, Any], name: str) -> int:
    return int(parts.get(name, {}).get("rows", {}).get("train", 0))


def dapt_plan(recipe: Recipe, parts: dict[str, Any]) -> Plan:
    mixed = ("qa", CHAT_REPLAY) if recipe.replay.mix_sft_into_dapt else ()
    base = ("domain", *(part for part in mixed if part in parts))
    base_rows = sum(_train_rows(parts, p) for p in base)
    available = _train_rows(parts, "replay")
    replay = replay_rows_for(base_rows, recipe.replay.ratio) if available else 0
    return Plan(base, base_rows, replay, available)


def sft_plan(recipe: Recipe, parts: dict[str, Any], base_rows: int | None = None) -> Plan:
    """SFT (or CFT, with its own base_rows) plus replay drawn from the DAPT mixture."""
    rows = _train_rows(parts, "sft") if base_rows is None else base_rows
    dapt = dapt_plan(recipe, parts)
    replay = replay_rows_for(rows, recipe.replay.sft_replay_ratio) if dapt.total_rows else 0
    return Plan(("sft",), rows, replay, dapt.total_rows)


def mixture_summary(recipe: Recipe, parts: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, plan in (("dapt", dapt_plan(recipe, parts)), ("sft", sft_plan(recipe, parts) if "sft" in parts else None)):
        if plan is None:
            continue
        out[name] = {"base_parts": list(plan.base_parts), "base_rows": plan.base_rows,
                     "replay_rows": plan.replay_rows, "replay_share": round(plan.replay_share, 4),
                     "replay_repeats": round(plan.replay_repeats, 3)}
    return out


# ---- Ray Datasets (only imported where Ray runs) -------------------------------------------


REPLAY_FLAG = "replay"  # column marking replay rows (learned by distillation with `replay.distill`)
REPLAY_PARTS = ("replay", CHAT_REPLAY)  # general text; the base model's own chat answers (self-replay)


def _flag(table, value: bool):
    import pyarrow as pa

    return pa.array([value] * table.num_rows, type=pa.bool_())


def with_replay_flag(ds, value: bool):
    """`ds` with the replay flag column set to `value` on every row (parts of a union share columns)."""
    import functools

    return ds.add_column(REPLAY_FLAG, functools.partial(_flag, value=value), batch_format="pyarrow")


def read_part(recipe: Recipe, part: str, split: str):
    """Rows of one prepared part: input_ids, labels and the replay flag."""
    import ray

    from cluster import storage

    path = storage.join(recipe.data_dir(), part)
    if not storage.is_dir(path):
        raise FileNotFoundError(f"{path} not prepared: run `domainforge prepare` first")
    ds = ray.data.read_parquet(path, columns=["input_ids", "labels", "split"])
    ds.context.enable_progress_bars = False  # training workers iterate it; they log their own progress
    ds = ds.filter(expr=f"split == '{split}'").drop_columns(["split"])
    return with_replay_flag(ds, part in REPLAY_PARTS)


def _repeat_rows(table, copies: int):
    import pyarrow as pa

    return pa.concat_tables([table] * copies)  # Arrow keeps list<int> columns as they are


def _take(ds, rows: int, available: int, seed: int):
    """`rows` rows of `ds` (which has `available`): a random sample, repeated if needed."""
    if rows <= 0:
        return None
    copies = max(1, math.ceil(rows / max(available, 1)))
    if copies > 1:  # repeat every row `copies` times, then sample as below
        ds = ds.map_batches(_repeat_rows, fn_kwargs={"copies": copies}, batch_format="pyarrow")
        available *= copies
    fraction = min(1.0, 1.2 * rows / max(available, 1))
    return ds.random_sample(fraction, seed=seed).limit(rows) if fraction < 1.0 else ds.limit(rows)


def _union(datasets):
    datasets = [d for d in datasets if d is not None]
    out = datasets[0]
    return out.union(*datasets[1:]) if len(datasets) > 1 else out


def _shuffled(ds, seed: int):
    """The training mixture in random order. A union is its parts one after another: without this
    a run shorter than an epoch would see the domain blocks only and the replay share never (the
    loop's local shuffle buffer holds a few batches, not the whole mixture)."""
    return ds.random_shuffle(seed=seed)


def dapt_datasets(recipe: Recipe, parts: dict[str, Any], split: str = "train"):
    plan = dapt_plan(recipe, parts)
    base = [read_part(recipe, p, split) for p in plan.base_parts]
    if split == "eval":
        return _union(base), plan
    replay = None
    if plan.replay_rows:
        replay = _take(read_part(recipe, "replay", "train"), plan.replay_rows, plan.replay_available, recipe.run.seed)
    return _shuffled(_union([*base, replay]), recipe.run.seed), plan


def sft_datasets(recipe: Recipe, parts: dict[str, Any], split: str = "train", extra=None,
                 extra_rows: int | None = None, replay_from: str = "dapt", distill_all: bool = False,
                 anchors=None):
    """SFT rows (or `extra`, a dataset of CFT rows) plus `replay.sft_replay_ratio` of replay.

    `replay_from`: "dapt" (the DAPT mixture; SFT keeps what DAPT put in), "general" (general
    text only: the SFT-only ablation must not see the domain corpus) or "sft" (earlier SFT
    pairs; CFT must not overwrite them). `distill_all`: every replay row is flagged for the
    teacher, domain text and pairs too (`cft.distill_replay`), not only the general parts.
    `anchors`: a dataset of rows (`cft.anchors`) mixed in beside them, all learned from the teacher.
    """
    main = with_replay_flag(extra, False) if extra is not None else read_part(recipe, "sft", split)
    plan = sft_plan(recipe, parts, base_rows=extra_rows)
    if split == "eval":
        return main, plan
    replay = None
    if plan.replay_rows:
        if replay_from == "dapt":
            source, available = dapt_datasets(recipe, parts, "train")[0], plan.replay_available
        else:
            part = "replay" if replay_from == "general" else "sft"
            available = _train_rows(parts, part)
            source = read_part(recipe, part, "train") if available else None
            plan = Plan(plan.base_parts, plan.base_rows, plan.replay_rows if available else 0, available)
        replay = _take(source, plan.replay_rows, plan.replay_available, recipe.run.seed + 1) if source else None
        if replay is not None and distill_all:
            replay = with_replay_flag(replay.drop_columns([REPLAY_FLAG]), True)
    if anchors is not None:
        anchors = with_replay_flag(anchors, True)
    return _shuffled(_union([main, replay, anchors]), recipe.run.seed + 2), plan
