"""Corpora with known duplicates and known junk, for testing and benchmarking data curation.

`plant_duplicates` writes distinct English and Japanese documents, then exact copies (spacing
and case changed) and near copies (a few words or characters edited) of some of them, and
returns which files a correct deduplication drops. `junk_documents` are documents each quality
filter should remove. Text is random but seeded: distinct originals share almost no shingles.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

_KANA = [chr(c) for c in range(0x3042, 0x3094)]
_KANJI = [chr(c) for c in range(0x4E00, 0x4E00 + 600)]


def english_doc(rng: random.Random, chars: int = 700) -> str:
    """Random sentences of made-up words (so two documents share almost no 5-character shingle)."""
    words = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))))
        if rng.random() < 0.1:
            words[-1] += "."
    return " ".join(words).capitalize() + "."


def japanese_doc(rng: random.Random, chars: int = 400) -> str:
    """Random kana and kanji in sentences ending with 。, no spaces."""
    out = []
    while len(out) < chars:
        out.append(rng.choice(_KANJI) if rng.random() < 0.4 else rng.choice(_KANA))
        if rng.random() < 0.05:
            out.append("。")
    return "".join(out) + "。"


def near_copy(rng: random.Random, text: str, edits: int) -> str:
    """`edits` small changes: an English word replaced, or a Japanese character replaced."""
    if " " in text:
        words = text.split(" ")
        for _ in range(edits):
            words[rng.randrange(len(words))] = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(5))
        return " ".join(words)
    chars = list(text)
    for _ in range(edits):
        chars[rng.randrange(len(chars))] = rng.choice(_KANA)
    return "".join(chars)


def exact_copy(rng: random.Random, text: str) -> str:
    """The same content with spacing and case changed (what the exact key ignores)."""
    if " " in text:
        return text.upper() if rng.random() < 0.5 else text.replace(" ", "  ")
    return " ".join(text[i : i + 20] for i in range(0, len(text), 20))  # stray spaces in Japanese


@dataclass
class Planted:
    """What `plant_duplicates` wrote: every file, and the ones a correct dedup drops."""

    files: list[str]
    exact: set[str]  # later exact copies: should be dropped as exact duplicates
    near: set[str]  # near copies: should be dropped as near duplicates
    related: set[str]  # half an original, half new text: similar, but not duplicates (kept)


def plant_duplicates(out: Path, originals: int = 120, exact_share: float = 0.2, near_share: float = 0.2,
                     seed: int = 0) -> Planted:
    """Write `originals` documents (half English, half Japanese) as `orig/NNNN.txt`, then exact
    copies of `exact_share` of them and near copies of `near_share` as `zcopy/...`: the copies
    sort after their originals, so the originals are the ones kept."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "orig").mkdir(exist_ok=True)
    (out / "zcopy").mkdir(exist_ok=True)
    texts = []
    for i in range(originals):
        text = english_doc(rng) if i % 2 == 0 else japanese_doc(rng)
        texts.append(text)
        (out / "orig" / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    picked = rng.sample(range(originals), int(originals * (exact_share + near_share)))
    n_exact = int(originals * exact_share)
    exact, near, related = set(), set(), set()
    for j, i in enumerate(picked):
        if j < n_exact:
            path = out / "zcopy" / f"{i:04d}-exact.txt"
            path.write_text(exact_copy(rng, texts[i]), encoding="utf-8")
            exact.add(str(path))
        else:
            path = out / "zcopy" / f"{i:04d}-near.txt"
            # 1-4 edits: Jaccard of 5-character shingles ~0.89-0.99 at these lengths (6 edits
            # reach the 0.85 default threshold, where detection is a coin toss by design).
            path.write_text(near_copy(rng, texts[i], rng.randint(1, 4)), encoding="utf-8")
            near.add(str(path))
    for i in rng.sample(range(originals), originals // 10):
        text = texts[i]
        fresh = english_doc(rng) if i % 2 == 0 else japanese_doc(rng)
        path = out / "zcopy" / f"{i:04d}-related.txt"
        path.write_text(text[: len(text) // 2] + fresh[len(fresh) // 2 :], encoding="utf-8")
        related.add(str(path))
    files = sorted(str(p) for p in out.rglob("*.txt"))
    return Planted(files=files, exact=exact, near=near, related=related)


def junk_documents(rng: random.Random) -> dict[str, str]:
    """One document per quality rule (two for repeated lines: English, Japanese), named by the
    reason it should be dropped for (`_ja`: the Japanese one)."""
    footer = "Copyright 2024 Example Corp. All rights reserved."
    return {
        "repeated_lines": "\n".join([english_doc(rng, 200), *[footer] * 8, english_doc(rng, 100)]),
        "repeated_lines_ja": "\n\n".join([japanese_doc(rng, 150), *["エラー: 接続がタイムアウトしました。再試行します。"] * 6]),
        "symbols": " ".join(["#### ||| *** >>> <<< === ~~~ {{{ }}} ___"] * 6 + [english_doc(rng, 80)]),
        "digits": "\n".join(" ".join(str(rng.randint(1000, 99999)) for _ in range(12)) for _ in range(10)),
        "short_lines": "\n".join(["Home", "About", "Login", "Cart", "Help", "FAQ", english_doc(rng, 120)]),
        "other_script": "Это длинный текст на русском языке, который не относится к нашему корпусу. " * 4,
    }
