"""Training batches grouped by length: every row once, little padding, a new order each epoch."""

from __future__ import annotations

import numpy as np

from pipelines.train.loop import length_grouped, pad_collate


def _rows(lengths: list[int]) -> dict[str, np.ndarray]:
    ids = np.empty(len(lengths), dtype=object)
    ids[:] = [np.arange(n) + 1000 * i for i, n in enumerate(lengths)]  # row i's ids start at 1000*i
    return {"input_ids": ids, "labels": ids.copy()}


def _padded_tokens(batches) -> int:
    return sum(pad_collate(b, 0)["input_ids"].numel() for b in batches)


def test_every_row_once_in_batches_of_similar_length():
    rng = np.random.default_rng(0)
    lengths = [256 if i % 4 == 0 else int(n) for i, n in enumerate(rng.integers(30, 90, size=64))]
    rows = _rows(lengths)
    batches = length_grouped(rows, 8, np.random.default_rng(1))
    seen = sorted(int(x[0]) // 1000 for b in batches for x in b["input_ids"])
    assert seen == list(range(64))
    assert all(len(b["input_ids"]) == 8 for b in batches)
    # The 16 replay-sized rows fill two batches of their own; pairs are not padded to 256.
    assert sum(all(len(x) == 256 for x in b["input_ids"]) for b in batches) == 2
    at_random = [{k: v[i : i + 8] for k, v in rows.items()} for i in range(0, 64, 8)]
    assert _padded_tokens(batches) < 0.6 * _padded_tokens(at_random)


def test_batch_order_is_shuffled_and_seeded():
    rows = _rows(list(range(10, 74)))
    first = [int(b["input_ids"][0][0]) for b in length_grouped(rows, 8, np.random.default_rng(1))]
    again = [int(b["input_ids"][0][0]) for b in length_grouped(rows, 8, np.random.default_rng(1))]
    other = [int(b["input_ids"][0][0]) for b in length_grouped(rows, 8, np.random.default_rng(2))]
    assert first == again and first != other
    assert first != sorted(first)  # not shortest-first: batches come in random order


def test_partial_window_keeps_its_rows():
    batches = length_grouped(_rows([5, 70, 9, 40, 12]), 2, np.random.default_rng(0))
    assert sorted(len(b["input_ids"]) for b in batches) == [1, 2, 2]
    assert sorted(len(x) for b in batches for x in b["input_ids"]) == [5, 9, 12, 40, 70]
