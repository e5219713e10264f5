"""Candidate edges and duplicate clusters as NumPy arrays: the pure steps of the distributed
dedup (`pipelines.data.dedup` runs them in Ray Data tasks), no Ray and no I/O here.

An edge (a, b) says documents a < b may be copies: both in one bucket (an exact-content key or
an LSH band of their MinHash signatures), `exact` when the bucket was an exact key. Near edges
are kept where the two documents' sketches agree (`similar`); the confirmed edges' connected
components are the duplicate clusters, and each keeps its smallest id (`Clusters`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.data.clean import sketch_similarity

EXACT, BAND = 0, 1  # kinds of bucket key: an exact-content key, or one LSH band of the signature
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # spreads consecutive ids over the partitions


def key_partition(keys: np.ndarray, parts: int) -> np.ndarray:
    """The partition of each bucket key (keys are hashes already)."""
    return (np.asarray(keys, np.int64).view(np.uint64) % np.uint64(parts)).astype(np.int64)


def id_partition(ids: np.ndarray, parts: int) -> np.ndarray:
    """The partition of each document id (ids count up within a file, so they are mixed first)."""
    mixed = np.asarray(ids, np.int64).view(np.uint64) * _GOLDEN  # wraps around: a hash
    return ((mixed >> np.uint64(32)) % np.uint64(parts)).astype(np.int64)


def bucket_edges(block: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Step 3 inside one key partition (all rows of a key are in it): for every bucket of
    two or more documents, an edge from its smallest id to each member and from each member to
    the next (so a chain of near copies stays connected even where the first is less similar)."""
    key, ids, kind = (np.asarray(block[c]) for c in ("key", "id", "kind"))
    empty = {"a": np.empty(0, np.int64), "b": np.empty(0, np.int64), "exact": np.empty(0, bool)}
    if len(key) < 2:
        return empty
    order = np.lexsort((ids, key, kind))
    key, ids, kind = key[order], ids[order], kind[order]
    new = np.ones(len(key), dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (kind[1:] != kind[:-1])
    first = np.maximum.accumulate(np.where(new, np.arange(len(key)), 0))  # bucket start of each row
    member = ~new & (ids != ids[first])  # not the bucket's first, and not a second row of it
    to_first_a, to_first_b = ids[first][member], ids[member]
    chained = member & (np.roll(ids, 1) != ids[first])  # the previous row is not the first
    chain_a, chain_b = np.roll(ids, 1)[chained], ids[chained]
    exact = kind == EXACT
    return {
        "a": np.concatenate([to_first_a, chain_a]),
        "b": np.concatenate([to_first_b, chain_b]),
        "exact": np.concatenate([exact[member], exact[chained]]),
    }


def unique_edges(a: np.ndarray, b: np.ndarray, exact: np.ndarray) -> dict[str, np.ndarray]:
    """Each (a, b, exact) edge once (a pair meets in several bands): a sort, not a set."""
    order = np.lexsort((exact, b, a))
    a, b, exact = a[order], b[order], exact[order]
    new = np.ones(len(a), dtype=bool)
    new[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1]) | (exact[1:] != exact[:-1])
    return {"a": a[new], "b": b[new], "exact": exact[new]}


def in_sorted(values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Which of `values` are in `ids` (sorted int64): a binary search, no set built per call."""
    values = np.asarray(values, dtype=np.int64)
    if not len(ids):
        return np.zeros(len(values), dtype=bool)
    return ids[np.minimum(np.searchsorted(ids, values), len(ids) - 1)] == values


def similar(a: np.ndarray, b: np.ndarray, threshold: float, chunk: int = 1 << 16) -> np.ndarray:
    """Whether each row pair of two sketch matrices agrees at `threshold`, a chunk at a time
    (the comparison's temporaries for a million pairs would be 128 MB each)."""
    out = np.zeros(len(a), dtype=bool)
    for lo in range(0, len(a), chunk):
        out[lo:lo + chunk] = sketch_similarity(a[lo:lo + chunk], b[lo:lo + chunk]) >= threshold
    return out


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each of n nodes' component root, the smallest index in its component (indices into the
    sorted ids, so the root is the smallest id), by min-label hooking and pointer jumping over
    the edge arrays: NumPy all the way, no Python object per edge."""
    label = np.arange(n)
    while True:
        low = np.minimum(label[a], label[b])
        hooked = label.copy()
        np.minimum.at(hooked, a, low)
        np.minimum.at(hooked, b, low)
        hooked = hooked[hooked]  # a label is a node of the same component: jump to its label
        if np.array_equal(hooked, label):
            return label
        label = hooked


@dataclass
class Clusters:
    """The duplicate clusters of the confirmed edges: every id an edge touches (sorted), its
    component's root (an index into `ids`: the smallest id of the component) and whether it
    has an identical document with a smaller id."""

    ids: np.ndarray
    roots: np.ndarray
    exact_twin: np.ndarray

    @classmethod
    def of(cls, edges: dict[str, np.ndarray]) -> Clusters:
        ids = np.unique(np.concatenate([edges["a"], edges["b"]])).astype(np.int64)
        a, b = np.searchsorted(ids, edges["a"]), np.searchsorted(ids, edges["b"])
        exact_twin = np.zeros(len(ids), dtype=bool)
        exact_twin[b[np.asarray(edges["exact"], bool)]] = True
        return cls(ids=ids, roots=components(len(ids), a, b), exact_twin=exact_twin)

    def dropped(self) -> np.ndarray:
        """Indices (into `ids`) of every member but its component's smallest."""
        return np.flatnonzero(self.roots != np.arange(len(self.ids)))
