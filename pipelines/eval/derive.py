"""Evaluation sets derived from the user's own data, for a recipe that names none.

Most users have raw documents and, at best, some question/answer pairs. Without `eval.mc`,
`eval.qa` and `eval.domain_heldout`, `prepare` derives:

- the short-answer set: a stable share (`eval.auto_qa_fraction`) of the single-turn SFT pairs
  whose answer the corpus supports (most of its words occur in one corpus document, so the fact
  can be learned from the raw text). Those pairs leave the SFT data (and the DAPT stream), so a
  gain on them is knowledge from the corpus, not a memorised pair;
- domain_ppl's documents: the corpus documents held out by `data.eval_fraction` (with
  `data.split_by: document` they are whole documents never trained on).

Everything lands in `<run>/auto_eval/` with `sets.json` naming it; evaluation reads it from there.
"""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path
from typing import Any

from pipelines.config import EvalConfig, Recipe
from pipelines.data.sources import DataError, expand_inputs, parse_file, read_file_bytes, strip_bom

AUTO_DIR = "auto_eval"
MANIFEST = "sets.json"
SUPPORT_SHARE = 0.8  # share of an answer's words that one corpus document must contain
CORPUS_SCAN_BYTES = 256 * 2**20  # corpus read in-process for the support check, at most
_WORD = re.compile(r"\w{3,}")  # words of 3+ characters: "the", "is" and "a" prove nothing


def auto_dir(recipe: Recipe) -> Path:
    return (recipe.run_dir() / AUTO_DIR).resolve()


def resolved_eval(recipe: Recipe) -> EvalConfig:
    """The recipe's eval section with derived sets filled in (as absolute paths) when it names none."""
    if not recipe.eval.derived():
        return recipe.eval
    manifest = auto_dir(recipe) / MANIFEST
    if not manifest.is_file():
        raise DataError(f"{manifest} not found: the recipe names no eval sets, so `domainforge prepare` derives "
                        "them from your data; run it first")
    sets = json.loads(manifest.read_text())
    return recipe.eval.model_copy(update={k: sets.get(k) for k in ("domain_heldout", "qa")})


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def corpus_word_sets(patterns: list[str], field: str) -> list[set[str]]:
    """Word sets of the corpus documents (the first `CORPUS_SCAN_BYTES` of input)."""
    out, scanned = [], 0
    for path in expand_inputs(patterns):
        if scanned > CORPUS_SCAN_BYTES:
            break
        data = read_file_bytes(path)
        scanned += len(data)
        out += [_words(rec["text"]) for rec in parse_file(data, path, field=field) if not rec["reason"]]
    return out


def supported(answer: str, documents: list[set[str]]) -> bool:
    """Whether one corpus document holds at least `SUPPORT_SHARE` of the answer's words."""
    words = _words(answer)
    if not words:
        return False
    need = SUPPORT_SHARE * len(words)
    return any(len(words & doc) >= need for doc in documents)


def held_out(question: str, fraction: float) -> bool:
    """Stable draw from the question's text: the same pair is held out on every run."""
    return zlib.crc32(question.strip().lower().encode()) % 100_000 < fraction * 100_000


def split_pairs(recipe: Recipe) -> tuple[list[dict[str, Any]], list[str]]:
    """(held-out QA items, the SFT JSONL lines that stay for training) from `data.sft`."""
    from pipelines.data.tokenize import messages_of

    documents = corpus_word_sets(recipe.data.corpus, recipe.data.text_field)
    items, kept = [], []
    for path in expand_inputs(recipe.data.sft) if recipe.data.sft else []:
        for number, raw in enumerate(strip_bom(read_file_bytes(path)).split(b"\n"), start=1):
            line = raw.decode("utf-8", errors="replace").strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                kept.append(line)  # counted as bad by prepare, as before
                continue
            msgs = messages_of(obj) if isinstance(obj, dict) else None
            single = msgs is not None and [m["role"] for m in msgs] == ["user", "assistant"]
            if single and held_out(msgs[0]["content"], recipe.eval.auto_qa_fraction) \
                    and supported(msgs[1]["content"], documents):
                items.append({"question": msgs[0]["content"], "answer": msgs[1]["content"],
                              "source": f"{path}:{number}"})
            else:
                kept.append(line)
    return items, kept


def derive_before_prepare(recipe: Recipe) -> list[str] | None:
    """Derive the short-answer set and write the SFT pairs that remain; returns the SFT inputs
    `prepare` uses instead of `data.sft` (None: the recipe names its own sets, nothing derived)."""
    if not recipe.eval.derived():
        return None
    out = auto_dir(recipe)
    out.mkdir(parents=True, exist_ok=True)
    items, kept = split_pairs(recipe)
    sets: dict[str, Any] = {"domain_heldout": None, "qa": None, "qa_items": len(items)}
    if items:
        (out / "eval_qa.jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))
        sets["qa"] = str(out / "eval_qa.jsonl")
    (out / MANIFEST).write_text(json.dumps(sets, indent=2))
    if not recipe.data.sft:
        return []
    (out / "sft_train.jsonl").write_text("".join(line + "\n" for line in kept))
    return [str(out / "sft_train.jsonl")] if kept else []


def write_heldout_documents(recipe: Recipe, texts: list[str]) -> None:
    """After `prepare`: the held-out corpus documents become domain_ppl's set."""
    out = auto_dir(recipe)
    sets = json.loads((out / MANIFEST).read_text())
    sets["heldout_documents"] = len(texts)
    if texts:
        (out / "heldout_domain.jsonl").write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n"
                                                          for t in texts))
        sets["domain_heldout"] = str(out / "heldout_domain.jsonl")
    (out / MANIFEST).write_text(json.dumps(sets, indent=2))
