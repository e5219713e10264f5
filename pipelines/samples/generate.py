"""Generate the bundled sample domain: Veltrano Mobile, a fictional telecom operator.

Regenerate the committed data (deterministic: same seed, byte-identical files):

    python -m pipelines.samples.generate --out pipelines/samples/telecom --seed 7

A larger corpus for benchmarks (only ``corpus/`` grows, streamed to disk; ``--scale 100`` is
about 19 MB in 3 s, ``--scale 1000`` about 190 MB in 40 s):

    python -m pipelines.samples.generate --out /tmp/telecom_bench --seed 7 --scale 100

Files written under ``--out``:

- ``corpus/``: raw DAPT documents (``.md`` manual pages, release notes and changelogs;
  ``.txt`` FAQ pages, chat logs and blog posts; ``.jsonl`` forum posts and ticket exports),
- ``heldout_domain.jsonl``: documents in wordings the corpus never uses (domain perplexity),
- ``sft.jsonl``: instruction/answer pairs for the ``sft`` facts only,
- ``eval_mc.jsonl`` / ``eval_qa.jsonl``: questions on the ``eval`` facts only,
- ``instruct.jsonl``: rule-checked general instructions,
- ``general_replay.jsonl`` / ``general_heldout.jsonl``: general English prose,
- ``general_chat_prompts.jsonl``: everyday requests the base model answers for self-replay,
- ``instruct_practice.jsonl``: rule-checked practice requests (none of ``instruct.jsonl``'s),
- ``facts.json``: the fact table, splits, seed and counts.

``corpus/`` is deleted and rewritten on every run; the other files are overwritten.
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from pipelines.samples.documents import (
    ROUNDS,
    corpus_documents,
    heldout_documents,
)
from pipelines.samples.texts import (
    CHAT_PROMPTS,
    HELDOUT_PARAGRAPHS,
    INSTRUCT_CHECKS,
    INSTRUCT_PRACTICE,
    REPLAY_PARAGRAPHS,
)
from pipelines.samples.world import (
    ATTRIBUTE_BY_NAME,
    ATTRIBUTES,
    DOMAIN_NAME,
    Fact,
    build_facts,
    check_world,
    render,
    rng_for,
)

GENERATOR_VERSION = "1"
DEFAULT_SEED = 7
DEFAULT_OUT = Path(__file__).parent / "telecom"
OPTION = "{option}"


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    """Write one JSON object per line; returns the number of rows."""
    n = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(_json(row) + "\n")
            n += 1
    return n


def words(text: str) -> int:
    return len(text.split())


def sft_pairs(facts: list[Fact]) -> list[dict[str, str]]:
    """Three question wordings per ``sft`` fact, all answered in the attribute's format."""
    rows = []
    for f in facts:
        if f.split != "sft":
            continue
        attr = ATTRIBUTE_BY_NAME[f.attribute]
        output = render(attr.answer, f.entity, f.value)
        for question in attr.questions:
            rows.append({"instruction": render(question, f.entity, f.value), "output": output})
    return rows


def mc_items(facts: list[Fact], seed: int) -> list[dict[str, Any]]:
    """Four options per ``eval`` fact: the value and three distractors from its pool.

    The correct position is spread evenly over 0..3 (a shuffled, balanced list).
    """
    rng = rng_for(seed, "mc")
    evals = [f for f in facts if f.split == "eval"]
    positions = [i % 4 for i in range(len(evals))]
    rng.shuffle(positions)
    rows = []
    for i, (f, pos) in enumerate(zip(evals, positions, strict=True)):
        attr = ATTRIBUTE_BY_NAME[f.attribute]
        options = rng.sample([v for v in attr.pool if v != f.value], 3)
        options.insert(pos, f.value)
        rows.append({
            "id": f"mc-{i + 1:03d}",
            "fact_id": f.fact_id,
            "question": render(attr.mc_question, f.entity, f.value),
            "options": options,
            "answer": pos,
            "statement": render(attr.answer, f.entity, OPTION),
        })
    return rows


def qa_items(facts: list[Fact]) -> list[dict[str, str]]:
    """One short-answer question per ``eval`` fact; gold is the value string."""
    rows = []
    for f in (f for f in facts if f.split == "eval"):
        attr = ATTRIBUTE_BY_NAME[f.attribute]
        rows.append({
            "id": f"qa-{len(rows) + 1:03d}",
            "fact_id": f.fact_id,
            "question": render(attr.qa_question, f.entity, f.value),
            "answer": f.value,
        })
    return rows


def instruct_items() -> list[dict[str, Any]]:
    return [{"id": f"if-{i + 1:03d}", "prompt": prompt, "check": check}
            for i, (prompt, check) in enumerate(INSTRUCT_CHECKS)]


def write_corpus(out: Path, facts: list[Fact], seed: int, scale: int) -> dict[str, Any]:
    """Write ``scale`` independent renderings of the corpus, one at a time.

    Copy 0 goes to ``corpus/`` itself; copy k > 0 to ``corpus/copy-k/`` with the same
    layout. Nothing but the current document is held in memory.
    """
    root = out / "corpus"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    n_docs = n_words = 0
    by_type: dict[str, int] = {}
    for k in range(scale):
        prefix = f"copy-{k:04d}/" if k else ""
        records: dict[str, IO[str]] = {}
        try:
            for doc in corpus_documents(facts, rng_for(seed, "corpus", k), prefix):
                path = root / doc.path
                if doc.is_record:
                    if doc.path not in records:
                        path.parent.mkdir(parents=True, exist_ok=True)
                        records[doc.path] = path.open("w", encoding="utf-8", newline="\n")
                    records[doc.path].write(_json(doc.record) + "\n")
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(doc.text, encoding="utf-8", newline="\n")
                n_docs += 1
                n_words += words(doc.text)
                by_type[doc.doc_type] = by_type.get(doc.doc_type, 0) + 1
        finally:
            for fh in records.values():
                fh.close()
    return {"docs": n_docs, "words": n_words, "docs_by_type": dict(sorted(by_type.items()))}


def generate(out: Path, seed: int = DEFAULT_SEED, scale: int = 1) -> dict[str, Any]:
    """Write every sample file under ``out``; returns the counts stored in facts.json."""
    if scale < 1:
        raise ValueError("--scale must be at least 1")
    check_world()
    out.mkdir(parents=True, exist_ok=True)
    facts = build_facts(seed)

    corpus = write_corpus(out, facts, seed, scale)
    heldout = heldout_documents(facts, rng_for(seed, "heldout"))
    write_jsonl(out / "heldout_domain.jsonl", ({"text": t} for t in heldout))
    n_sft = write_jsonl(out / "sft.jsonl", sft_pairs(facts))
    n_mc = write_jsonl(out / "eval_mc.jsonl", mc_items(facts, seed))
    n_qa = write_jsonl(out / "eval_qa.jsonl", qa_items(facts))
    n_if = write_jsonl(out / "instruct.jsonl", instruct_items())
    write_jsonl(out / "general_replay.jsonl", ({"text": p} for p in REPLAY_PARAGRAPHS))
    write_jsonl(out / "general_heldout.jsonl", ({"text": p} for p in HELDOUT_PARAGRAPHS))
    write_jsonl(out / "general_chat_prompts.jsonl", ({"prompt": p} for p in CHAT_PROMPTS))
    write_jsonl(out / "instruct_practice.jsonl", ({"prompt": p, "check": c} for p, c in INSTRUCT_PRACTICE))

    counts = {
        "facts": len(facts),
        "facts_sft": sum(f.split == "sft" for f in facts),
        "facts_eval": sum(f.split == "eval" for f in facts),
        "corpus_docs": corpus["docs"],
        "corpus_words": corpus["words"],
        "corpus_docs_by_type": corpus["docs_by_type"],
        "corpus_mentions_per_fact": len(ROUNDS) * scale,
        "heldout_domain_docs": len(heldout),
        "heldout_domain_words": sum(words(t) for t in heldout),
        "sft_pairs": n_sft,
        "eval_mc": n_mc,
        "eval_qa": n_qa,
        "instruct": n_if,
        "general_replay_paragraphs": len(REPLAY_PARAGRAPHS),
        "general_replay_words": sum(words(p) for p in REPLAY_PARAGRAPHS),
        "general_heldout_paragraphs": len(HELDOUT_PARAGRAPHS),
        "general_heldout_words": sum(words(p) for p in HELDOUT_PARAGRAPHS),
        "general_chat_prompts": len(CHAT_PROMPTS),
    }
    table = {
        "domain": DOMAIN_NAME,
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "scale": scale,
        "counts": counts,
        "attributes": {
            a.name: {"kind": a.kind, "pool": list(a.pool), "answer_format": a.answer}
            for a in ATTRIBUTES
        },
        "facts": [f.as_dict() for f in facts],
    }
    (out / "facts.json").write_text(json.dumps(table, ensure_ascii=False, indent=2) + "\n",
                                    encoding="utf-8", newline="\n")
    return counts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument("--scale", type=int, default=1,
                        help="write N independent renderings of the corpus (benchmarks)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    counts = generate(args.out, args.seed, args.scale)
    print(_json({"out": str(args.out), **counts}))


if __name__ == "__main__":
    main()
