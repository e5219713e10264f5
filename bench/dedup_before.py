"""The deduplication stage as it was before the distributed one (main at 921c038), kept as the
benchmark's baseline: one actor sees every document and keeps every exact key and MinHash
signature in memory, with shingles hashed one at a time in Python (`bench/prepare.py --dedup`)."""

from __future__ import annotations

import hashlib

import numpy as np


def exact_key(text: str) -> bytes:
    return hashlib.blake2b("".join(text.lower().split()).encode(), digest_size=16).digest()


class MinHasher:
    """MinHash signatures over character shingles, with LSH banding for candidate search.

    Bands/rows are chosen so that the LSH threshold (1/b)^(1/r) sits just under the
    requested Jaccard threshold; candidates are then confirmed on the full signature.
    """

    def __init__(self, threshold: float, shingle_chars: int = 5, num_perm: int = 128, seed: int = 1):
        self.threshold = threshold
        self.k = shingle_chars
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
        self.b = rng.integers(0, (1 << 61) - 1, size=num_perm, dtype=np.uint64)
        self.bands, self.rows = self._choose_bands(num_perm, threshold)

    @staticmethod
    def _choose_bands(num_perm: int, threshold: float) -> tuple[int, int]:
        best = (num_perm, 1)
        for rows in range(1, num_perm + 1):
            if num_perm % rows:
                continue
            bands = num_perm // rows
            if (1 / bands) ** (1 / rows) <= threshold * 0.95:
                best = (bands, rows)
        return best

    def shingles(self, text: str) -> np.ndarray:
        compact = " ".join(text.lower().split())
        if len(compact) <= self.k:
            grams = {compact}
        else:
            grams = {compact[i : i + self.k] for i in range(len(compact) - self.k + 1)}
        return np.fromiter(
            (int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little") >> 3 for g in grams),
            dtype=np.uint64, count=len(grams),
        )

    def signature(self, text: str) -> np.ndarray:
        x = self.shingles(text)[None, :]
        # Shingles are already uniform 61-bit hashes, so a*x + b (wrapping mod 2^64) is a
        # cheap, well-mixed permutation family for MinHash.
        return (x * self.a[:, None] + self.b[:, None]).min(axis=1)

    def band_keys(self, sig: np.ndarray) -> list[bytes]:
        return [sig[i * self.rows : (i + 1) * self.rows].tobytes() + bytes([i]) for i in range(self.bands)]

    @staticmethod
    def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
        return float(np.mean(sig_a == sig_b))


class Deduplicator:
    """Streaming exact + near-duplicate filter. Keeps only keys and signatures (bounded per document)."""

    def __init__(self, near_threshold: float = 0.85, shingle_chars: int = 5):
        self.seen: set[bytes] = set()
        self.near = MinHasher(near_threshold, shingle_chars) if near_threshold < 1.0 else None
        self.buckets: dict[bytes, int] = {}
        self.signatures: list[np.ndarray] = []

    def check(self, text: str) -> str | None:
        """'exact_duplicate', 'near_duplicate', or None (and the text is remembered)."""
        key = exact_key(text)
        if key in self.seen:
            return "exact_duplicate"
        self.seen.add(key)
        if self.near is None:
            return None
        sig = self.near.signature(text)
        keys = self.near.band_keys(sig)
        for band_key in keys:
            other = self.buckets.get(band_key)
            if other is not None and MinHasher.similarity(sig, self.signatures[other]) >= self.near.threshold:
                return "near_duplicate"
        index = len(self.signatures)
        self.signatures.append(sig)
        for band_key in keys:
            self.buckets.setdefault(band_key, index)
        return None
