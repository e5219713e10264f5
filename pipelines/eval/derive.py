"""Evaluation sets derived from the user's own data, for a recipe that names none.

Most users have raw documents and, at best, some question/answer pairs. Without `eval.mc`,
`eval.qa` and `eval.domain_heldout`, `prepare` derives:

- the short-answer set: a stable share (`eval.auto_qa_fraction`) of the single-turn SFT pairs
  whose answer the corpus supports: a span of the answer (up to 8 words) that a corpus document
  states too and the question does not give away becomes the gold answer ("Captain Ysolde
  Marr" from "Captain Ysolde Marr is the warden of Emberhold Keep."), so "the generated answer
  contains the gold answer" works for sentence answers as well. Those pairs leave the SFT data
  (and the DAPT stream), so a gain on them is knowledge from the corpus, not a memorised pair;
- domain_ppl's documents: the corpus documents held out by `data.eval_fraction` (with
  `data.split_by: document` they are whole documents never trained on).

Everything lands in `<run>/auto_eval/` with `sets.json` naming it; evaluation reads it from there.
"""

from __future__ import annotations

import json
import logging
import zlib
from pathlib import Path
from typing import Any

from pipelines.core.config import EvalConfig, Recipe
from pipelines.core.sources import DataError, expand_inputs, parse_file, read_file_bytes, strip_bom

log = logging.getLogger(__name__)
AUTO_DIR = "auto_eval"
MANIFEST = "sets.json"
CORPUS_SCAN_BYTES = 64 * 2**20  # corpus read in-process to find the answers' spans, at most
MAX_SPAN = 8  # longest gold span, in words
# Words that never make an answer (English; elsewhere numbers and names still do).
FUNCTION_WORDS = frozenset("a an the of in on at to for by from with as per and or is are was were be been has have "
                           "had it its this that there their you your can will".split())
_EDGE = ".,;:!?\"'()[]{}«»“”‘’"


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


def words(text: str) -> list[str]:
    """Lower-case words with the punctuation at their edges removed (`VT-417.` -> `vt-417`), so a
    span matches however a sentence ends, and the contains-metric finds it in a generated answer."""
    return [w for w in (t.strip(_EDGE) for t in text.lower().split()) if w]


def spans(tokens: list[str], longest: int = MAX_SPAN) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for n in range(1, longest + 1) for i in range(len(tokens) - n + 1)}


def corpus_spans(patterns: list[str], field: str, wanted: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Which of the `wanted` word spans occur in a corpus document (the first `CORPUS_SCAN_BYTES`)."""
    found: set[tuple[str, ...]] = set()
    longest = max((len(w) for w in wanted), default=0)
    scanned = 0
    for path in expand_inputs(patterns):
        if scanned > CORPUS_SCAN_BYTES or found == wanted:
            break
        data = read_file_bytes(path)
        scanned += len(data)
        for rec in parse_file(data, path, field=field):
            if not rec["reason"]:
                found |= spans(words(rec["text"]), longest) & wanted
    return found


def gold_span(question: str, answer: str, in_corpus: set[tuple[str, ...]]) -> str | None:
    """What a model that learned the corpus should say: of the answer's spans that a corpus
    document states too, the one with the most informative words (not in the question, not a
    function word; a number counts twice, it is usually the fact, and must be in the span if the
    answer states one), the shortest of those, without
    uninformative words at its edges. None: the corpus does not support the answer."""
    asked = set(words(question))

    def number(word: str) -> bool:
        return word not in asked and any(c.isdigit() for c in word)

    def weight(word: str) -> int:
        if number(word):
            return 2
        return 0 if word in asked or word in FUNCTION_WORDS or len(word) < 2 else 1

    # An answer that states a number is only supported by a span with a number ("months" is not
    # "9 months": any wrong number of months would contain it).
    needs_number = any(map(number, words(answer)))
    scored = [(sum(map(weight, span)), -len(span), " ".join(span), span) for span in spans(words(answer)) & in_corpus
              if not needs_number or any(map(number, span))]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return None
    span = list(max(scored)[3])
    while not weight(span[0]):
        span.pop(0)
    while not weight(span[-1]):
        span.pop()
    return " ".join(span)


def held_out(answer: str, fraction: float) -> bool:
    """Stable draw from the answer's text: the same pairs are held out on every run, and pairs that
    ask for one answer in several wordings go together (one left in SFT would teach the other)."""
    return zlib.crc32(" ".join(words(answer)).encode()) % 100_000 < fraction * 100_000


def _single_turn(line: str) -> tuple[str, str] | None:
    """(question, answer) of a single-turn SFT record; None for anything else (kept for SFT)."""
    from pipelines.core.chat import messages_of

    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return None  # counted as bad by prepare, as before
    msgs = messages_of(obj) if isinstance(obj, dict) else None
    if msgs is None or [m["role"] for m in msgs] != ["user", "assistant"]:
        return None
    return msgs[0]["content"], msgs[1]["content"]


def split_pairs(recipe: Recipe) -> tuple[list[dict[str, Any]], list[str]]:
    """(held-out QA items, the SFT JSONL lines that stay for training) from `data.sft`. A drawn
    answer is held out when the corpus supports it; an item's gold answer is the supported span
    (`gold_span`), the full answer is kept as `reference`."""
    lines: list[tuple[str, str]] = []  # (file:line, JSON line)
    for path in expand_inputs(recipe.data.sft) if recipe.data.sft else []:
        for number, raw in enumerate(strip_bom(read_file_bytes(path)).split(b"\n"), start=1):
            line = raw.decode("utf-8", errors="replace").strip()
            if line:
                lines.append((f"{path}:{number}", line))
    drawn = {}
    for where, line in lines:
        pair = _single_turn(line)
        if pair and held_out(pair[1], recipe.eval.auto_qa_fraction):
            drawn[where] = pair
    in_corpus = corpus_spans(recipe.data.corpus, recipe.data.text_field,
                             set().union(*(spans(words(a)) for _, a in drawn.values())))
    golds = {where: gold_span(*pair, in_corpus) for where, pair in drawn.items()}
    # An answer is held out when any of its wordings is supported; then every pair with that
    # answer leaves SFT (one left behind would teach the others), scored where it has a gold span.
    key = lambda answer: " ".join(words(answer))  # noqa: E731  (as `held_out` draws it)
    held = {key(drawn[where][1]) for where, gold in golds.items() if gold}
    items, kept = [], []
    for where, line in lines:
        if where in drawn and key(drawn[where][1]) in held:
            if golds[where]:
                question, answer = drawn[where]
                items.append({"question": question, "answer": golds[where], "reference": answer, "source": where})
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
    if not texts:
        log.warning("no corpus document fell in the held-out split (data.eval_fraction %s, data.split_by %s): "
                    "no domain_ppl; raise data.eval_fraction or name eval.domain_heldout",
                    recipe.data.eval_fraction, recipe.data.split_by)
    if texts:
        (out / "heldout_domain.jsonl").write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n"
                                                          for t in texts))
        sets["domain_heldout"] = str(out / "heldout_domain.jsonl")
    (out / MANIFEST).write_text(json.dumps(sets, indent=2))
