"""Text cleaning: normalisation, PII masking, length filters, exact and near-duplicate detection.

Everything works on characters, not whitespace words, so Japanese and other scripts
without spaces are handled the same way as English.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# Unicode category Cc (C0 and C1 control characters) except tab and newline. A regex instead
# of a per-character category test: normalisation was a third of a tokenizer actor's time.
# U+FEFF too: a byte-order mark inside the text (files concatenated with theirs, a JSON string
# that kept one) is invisible and means nothing.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# Phone numbers: international (+81 90-1234-5678, +1 (555) 123-4567) and national forms,
# Japanese mobile/landline/free-dial (090-1234-5678, 03-1234-5678, 0120-123-456, (03)1234-5678).
# Full-width digits and hyphens become ASCII through NFKC before this runs.
_PHONE = re.compile(
    r"(?<![0-9A-Za-z-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?|\d{1,4}[\s.-])\d{2,4}[\s.-]\d{3,4}(?![0-9A-Za-z-])"
    r"|(?<![0-9A-Za-z-])0\d{9,10}(?![0-9A-Za-z-])"
)


def normalize(text: str) -> str:
    """NFKC (full-width → half-width, compatibility forms), unified newlines, collapsed spaces."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    # One substitution over the text, not one per line: a third of normalisation's time went to
    # the per-line calls (the pattern never spans a newline, so the result is the same).
    text = _SPACES.sub(" ", _CONTROL.sub("", text))
    lines = [line.strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def mask_pii(text: str) -> str:
    """Replace e-mail addresses and phone numbers with placeholders."""
    return _PHONE.sub("<PHONE>", _EMAIL.sub("<EMAIL>", text))


def length_reason(text: str, min_chars: int, max_chars: int) -> str | None:
    """Why a document fails the character-length filter, or None."""
    if len(text) < min_chars:
        return "too_short"
    if len(text) > max_chars:
        return "too_long"
    return None


def exact_key(text: str) -> bytes:
    """Key for exact-duplicate detection: case- and whitespace-insensitive (whitespace is removed,
    not collapsed, since scripts without spaces differ only by stray spaces)."""
    return hashlib.blake2b("".join(text.lower().split()).encode(), digest_size=16).digest()


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the rolling shingle hash
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)  # splitmix64 finaliser
_CHUNK = 16384  # shingles per min-reduction step: bounds memory at num_perm x _CHUNK x 4 bytes (8 MB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, vectorised: spreads a polynomial hash's bits over all 64."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX2
    return x ^ (x >> np.uint64(31))


class MinHasher:
    """MinHash signatures over character shingles, with LSH banding for candidate search.

    Bands/rows are chosen so that the LSH threshold (1/b)^(1/r) sits just under the
    requested Jaccard threshold; candidates are then confirmed on the signature (or its
    one-byte-per-hash `sketch`, which is what travels through the distributed dedup).
    Shingles are hashed with numpy, not per shingle in Python: a rolling polynomial over the
    code points, then a 64-bit mixer (a document of 800 characters: 1.4 ms -> ~0.15 ms).
    """

    def __init__(self, threshold: float, shingle_chars: int = 5, num_perm: int = 128, seed: int = 1):
        self.threshold = threshold
        self.k = shingle_chars
        rng = np.random.default_rng(seed)
        # 32-bit hashes: half the memory traffic of 64-bit ones in the min-reduction, which is
        # most of a signature's time; (a*x + b) mod 2^32 with odd a permutes the 32-bit values.
        self.a = (rng.integers(0, 1 << 31, size=num_perm, dtype=np.uint32) << np.uint32(1)) | np.uint32(1)
        self.b = rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint32)
        self.bands, self.rows = self._choose_bands(num_perm, threshold)
        # One odd multiplier per band, so equal rows in different bands give different keys.
        self.band_salt = _mix(np.arange(1, self.bands + 1, dtype=np.uint64) * _GOLDEN)

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
        """Hashes of the text's `k`-character shingles (case- and spacing-insensitive; a repeated
        shingle repeats its hash, which changes no minimum)."""
        return self._batch_shingles([text])[0][0]

    def _batch_shingles(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Shingle hashes of many texts at once: (hashes, start of each text's hashes). One
        rolling hash over the texts joined, keeping the windows inside one text: numpy calls per
        batch, not per document. A text shorter than `k` is one shingle, itself."""
        compact = [" ".join(t.lower().split()) for t in texts]
        lens = np.fromiter((len(c) for c in compact), dtype=np.int64, count=len(compact))
        codes = np.frombuffer("".join(compact).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        ends = np.cumsum(lens)
        n = max(len(codes) - self.k + 1, 0)
        h = np.zeros(n, dtype=np.uint64)
        for j in range(self.k):
            h = h * _GOLDEN + codes[j : j + n] + np.uint64(1)
        doc = np.repeat(np.arange(len(texts)), lens)[:n]
        valid = np.arange(n) + self.k <= ends[doc]
        counts = np.maximum(lens - self.k + 1, 0)
        hashes = h[valid]
        short = np.flatnonzero(counts == 0)
        if len(short):  # rare (texts under k characters): one shingle each, the whole text
            whole = np.zeros(len(short), dtype=np.uint64)
            for i, d in enumerate(short.tolist()):
                value = 0
                for c in codes[ends[d] - lens[d] : ends[d]].tolist():  # the same polynomial, in Python ints
                    value = (value * int(_GOLDEN) + c + 1) & 0xFFFFFFFFFFFFFFFF
                whole[i] = value
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
            hashes = np.insert(hashes, starts[short], whole)
            counts[short] = 1
        hashes = (_mix(hashes) >> np.uint64(32)).astype(np.uint32)
        return np.split(hashes, np.cumsum(counts)[:-1]) if len(texts) > 1 else [hashes], counts

    def signatures(self, texts: list[str]) -> np.ndarray:
        """MinHash signatures of many texts (n x num_perm uint32): the minimum of (a*x + b) mod
        2^32 over each text's shingles x, for each of num_perm (a, b). Shingle hashes are already
        uniform, so this cheap family estimates Jaccard similarity as random permutations do.
        Texts are taken together up to _CHUNK shingles and reduced with one `minimum.reduceat`."""
        groups, counts = self._batch_shingles(texts)
        counts = counts.tolist()  # Python ints: this loop runs once per text
        out = np.empty((len(texts), len(self.a)), dtype=np.uint32)
        i = 0
        while i < len(texts):
            j, total = i, 0
            while j < len(texts) and (j == i or total + counts[j] <= _CHUNK):
                total += counts[j]
                j += 1
            if total > _CHUNK:  # one long text alone, in chunks
                out[i] = self._signature_of(groups[i])
            else:
                x = np.concatenate(groups[i:j])[None, :]
                h = x * self.a[:, None]  # in place below: no more temporaries than this one
                h += self.b[:, None]
                starts = np.zeros(j - i, dtype=np.int64)
                starts[1:] = np.cumsum(counts[i : j - 1])
                out[i:j] = np.minimum.reduceat(h, starts, axis=1).T
            i = j
        return out

    def _signature_of(self, x: np.ndarray) -> np.ndarray:
        sig = np.full(len(self.a), np.iinfo(np.uint32).max, dtype=np.uint32)
        for i in range(0, len(x), _CHUNK):
            part = x[None, i : i + _CHUNK] * self.a[:, None]
            part += self.b[:, None]
            np.minimum(sig, part.min(axis=1), out=sig)
        return sig

    def signature(self, text: str) -> np.ndarray:
        return self.signatures([text])[0]

    def band_keys(self, sig: np.ndarray) -> np.ndarray:
        """One int64 key per band (per row of a signature matrix, a row of keys): the band's
        values folded into one hash, salted by the band, so equal rows in different bands differ."""
        rows = sig.astype(np.uint64).reshape(*sig.shape[:-1], self.bands, self.rows)
        key = np.broadcast_to(self.band_salt, rows.shape[:-1]).copy()
        for j in range(self.rows):
            key = _mix(key * _GOLDEN + rows[..., j])
        return key.view(np.int64)

    @staticmethod
    def sketch(sig: np.ndarray) -> np.ndarray:
        """The low byte of each minimum (its high bits are mostly zero: it is a minimum): two
        different minima agree by chance with probability 1/256, which `sketch_similarity`
        corrects for. 128 bytes a document instead of 512 travel to the confirmation step."""
        return (sig & np.uint32(0xFF)).astype(np.uint8)

    @staticmethod
    def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
        return float(np.mean(sig_a == sig_b))


def sketch_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of row pairs of one-byte sketches (n x num_perm uint8):
    the share of equal bytes, less the 1/256 chance agreement of different minima."""
    agree = (a == b).mean(axis=-1)
    return np.clip((agree - 1 / 256) / (1 - 1 / 256), 0.0, 1.0)


def exact_key_int(text: str) -> int:
    """`exact_key` as a signed 64-bit integer (a column Ray Data can shuffle on)."""
    return int.from_bytes(exact_key(text)[:8], "little", signed=True)


class Deduplicator:
    """Streaming exact + near-duplicate filter in one process, holding every key and signature:
    the reference the distributed dedup (`pipelines.data.dedup`) replaced, kept for tests and as
    `bench/prepare.py --dedup`'s single-actor baseline. `hasher`: another MinHash (the baseline's
    older one) with the same signature/band_keys/similarity methods."""

    def __init__(self, near_threshold: float = 0.85, shingle_chars: int = 5, hasher=None):
        self.seen: set[bytes] = set()
        self.near = hasher or (MinHasher(near_threshold, shingle_chars) if near_threshold < 1.0 else None)
        self.buckets: dict = {}
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
        keys = list(self.near.band_keys(sig))
        for band_key in keys:
            other = self.buckets.get(band_key)
            if other is not None and MinHasher.similarity(sig, self.signatures[other]) >= self.near.threshold:
                return "near_duplicate"
        index = len(self.signatures)
        self.signatures.append(sig)
        for band_key in keys:
            self.buckets.setdefault(band_key, index)
        return None
