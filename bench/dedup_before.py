"""The single dedup actor's MinHash as it was before the distributed dedup (main at 921c038),
kept as `bench/prepare.py --dedup`'s baseline: shingles hashed one at a time in Python (blake2b),
64-bit permutations, one document at a time. The dedup logic around it is
`pipelines.data.clean.Deduplicator`, unchanged since then."""

from __future__ import annotations

import hashlib

import numpy as np

from pipelines.data import clean


class MinHasher(clean.MinHasher):
    """The old hashing; band choice and similarity are the current class's (they did not change)."""

    def __init__(self, threshold: float, shingle_chars: int = 5, num_perm: int = 128, seed: int = 1):
        super().__init__(threshold, shingle_chars, num_perm, seed)
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, (1 << 61) - 1, size=num_perm, dtype=np.uint64)

    def shingles(self, text: str) -> np.ndarray:
        compact = " ".join(text.lower().split())
        grams = {compact} if len(compact) <= self.k else {compact[i : i + self.k] for i in range(len(compact) - self.k + 1)}
        return np.fromiter(
            (int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") >> 3 for g in grams),
            dtype=np.uint64, count=len(grams),
        )

    def signature(self, text: str) -> np.ndarray:
        x = self.shingles(text)[None, :]
        return (x * self.a[:, None] + self.b[:, None]).min(axis=1)  # wraps mod 2^64, as it did

    def band_keys(self, sig: np.ndarray) -> list[bytes]:
        return [sig[i * self.rows : (i + 1) * self.rows].tobytes() + bytes([i]) for i in range(self.bands)]


def Deduplicator(threshold: float, shingle_chars: int) -> clean.Deduplicator:  # noqa: N802 (stands in for the class)
    """The single-process Deduplicator with the MinHash of then."""
    return clean.Deduplicator(threshold, shingle_chars, hasher=MinHasher(threshold, shingle_chars))
