"""Anchor sentences for a CFT round: what the parent says about the facts nobody rated.

A correction teaches a value in a wording ("The Orbit Max plan costs 23 euros per month.").
Measured on the bundled sample, that value then spreads to the other subjects whose facts are
stated in the same wording: 8 of the 10 unrated facts whose multiple-choice pick a round changed
moved to a rated fact's value (BENCHMARKS.md, "CFT on the current code"). The damage is
crowd-out, not forgetting, so replaying random rows does not stop it. Anchors are sentences of
the prepared domain corpus that share a feedback answer's wording but not its subject; learned
from the parent's distributions beside the feedback, they tell the round that in this wording
the other subjects keep the values the parent gave them.

Similarity works on character trigrams, so scripts without spaces (Japanese) work too. An
answer's trigrams that occur in the pool are split at their median pool frequency: the commoner
half is its wording (the template, "… plan costs … euros per month"), the rarer half its subject
(names, values). A sentence scores the share of the wording it holds minus the share of the
subject; one holding `SAME_SUBJECT` of any answer's subject is about a rated fact and is nobody's
anchor: anchoring the parent there would pull against the correction.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter

from pipelines.eval.touched import trigrams

# Sentence ends in Latin and CJK scripts, and line breaks (lists, chat logs, ticket exports).
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])|\n+")
MIN_CHARS, MAX_CHARS = 12, 400  # shorter is a fragment or a heading; longer is not one statement
SAME_SUBJECT = 0.5  # a sentence holding this share of an answer's subject trigrams is about that fact


def split_sentences(text: str) -> list[str]:
    """The sentences of `text` that can stand as a statement (`MIN_CHARS`..`MAX_CHARS` long)."""
    parts = (" ".join(p.split()) for p in _SENTENCE_END.split(text))
    return [p for p in parts if MIN_CHARS <= len(p) <= MAX_CHARS]


def _halves(own: set[str], df: Counter) -> tuple[set[str], set[str]]:
    """An answer's trigrams that occur in the pool, split at their median pool frequency: the
    commoner half is its wording (the template its facts are stated in), the rarer half its
    subject (names, values). Trigrams the pool lacks can match nothing and count for neither."""
    ranked = sorted((g for g in own if g in df), key=lambda g: (-df[g], g))
    cut = len(ranked) // 2
    return set(ranked[:cut]), set(ranked[cut:])


def pick_anchors(answers: list[str], pool: list[str], per_answer: int) -> list[str]:
    """Up to `per_answer` sentences of `pool` per answer that share most of its wording and least
    of its subject (see `_halves`), none picked twice; in answer order."""
    if per_answer <= 0 or not pool:
        return []
    unique = list(dict.fromkeys(pool))
    grams = [trigrams(s) for s in unique]
    df = Counter(g for sentence in grams for g in sentence)
    halves = [h for h in (_halves(trigrams(a), df) for a in answers) if h[0] and h[1]]
    # A sentence about any rated fact is nobody's anchor: the parent's value there is what the
    # round is correcting.
    taken = {i for i, s in enumerate(grams)
             if any(len(subject & s) >= SAME_SUBJECT * len(subject) for _, subject in halves)}
    chosen: list[int] = []
    for wording, subject in halves:
        scored = heapq.nlargest(per_answer, ((len(wording & s) / len(wording) - len(subject & s) / len(subject), i)
                                             for i, s in enumerate(grams) if i not in taken))
        for score, i in scored:
            if score <= 0:
                break
            chosen.append(i)
            taken.add(i)
    return [unique[i] for i in chosen]


def encode_anchors(tokenizer, sentences: list[str], max_len: int) -> list[dict]:
    """Token rows of plain sentences, every token learned (from the teacher: these rows are
    distilled), cut at `max_len`."""
    rows = []
    for sentence in sentences:
        ids = tokenizer(sentence, add_special_tokens=False)["input_ids"][:max_len]
        if len(ids) > 1:
            rows.append({"input_ids": ids, "labels": list(ids)})
    return rows
