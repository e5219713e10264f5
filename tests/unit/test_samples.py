"""The sample-domain generator: determinism, the split protocol and the committed data."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from pipelines.samples import generate as gen
from pipelines.samples.framing import framing_texts
from pipelines.samples.texts import CHECK_TYPES
from pipelines.samples.world import ATTRIBUTES, all_entities, all_values

COMMITTED = Path(gen.__file__).parent / "telecom"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def corpus_docs(root: Path) -> list[tuple[str, str]]:
    """(document type, text) for every corpus document, files and JSONL records alike."""
    docs = []
    for p in sorted((root / "corpus").rglob("*")):
        if p.suffix == ".jsonl":
            docs += [(p.stem, r["text"]) for r in read_jsonl(p)]
        elif p.suffix in (".md", ".txt"):
            docs.append((p.parent.name, p.read_text(encoding="utf-8")))
    return docs


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("telecom")
    gen.main(["--out", str(path), "--seed", str(gen.DEFAULT_SEED)])
    return path


@pytest.fixture(scope="module")
def facts(out: Path) -> list[dict]:
    return json.loads((out / "facts.json").read_text(encoding="utf-8"))["facts"]


@pytest.fixture(scope="module")
def corpus_text(out: Path) -> str:
    return "\n".join(text for _, text in corpus_docs(out)).lower()


def test_same_seed_same_bytes_other_seed_differs(out: Path, tmp_path: Path) -> None:
    gen.generate(tmp_path / "again", seed=gen.DEFAULT_SEED)
    gen.generate(tmp_path / "other", seed=gen.DEFAULT_SEED + 1)
    first, again, other = tree(out), tree(tmp_path / "again"), tree(tmp_path / "other")
    assert first == again
    assert first["facts.json"] != other["facts.json"]
    assert first["sft.jsonl"] != other["sft.jsonl"]
    assert first["corpus/forum_posts.jsonl"] != other["corpus/forum_posts.jsonl"]


def test_committed_data_matches_the_generator(out: Path) -> None:
    assert COMMITTED.is_dir(), f"regenerate: python -m pipelines.samples.generate --out {COMMITTED}"
    committed, fresh = tree(COMMITTED), tree(out)
    assert sorted(committed) == sorted(fresh)
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"committed sample data drifted from the generator: {stale[:5]}"


def test_committed_data_is_small() -> None:
    assert sum(len(b) for b in tree(COMMITTED).values()) < 2_000_000


def test_facts_split_half_and_half_per_attribute(facts: list[dict]) -> None:
    assert 120 <= len(facts) <= 160
    assert len({f["fact_id"] for f in facts}) == len(facts)
    per_attr: dict[str, Counter] = defaultdict(Counter)
    for f in facts:
        per_attr[f["attribute"]][f["split"]] += 1
    for attr, counts in per_attr.items():
        assert set(counts) == {"sft", "eval"}, attr
        assert abs(counts["sft"] - counts["eval"]) <= 1, attr
    totals = Counter(f["split"] for f in facts)
    assert abs(totals["sft"] - totals["eval"]) <= 1


def test_value_pools_are_closed_and_unambiguous(facts: list[dict]) -> None:
    pools = {a.name: a.pool for a in ATTRIBUTES}
    for attr in ATTRIBUTES:
        assert len(attr.pool) >= 6 and len(set(attr.pool)) == len(attr.pool)
        assert len(attr.corpus) >= 8
    for f in facts:
        assert f["value"] in pools[f["attribute"]]
    values = [v.lower() for v in all_values()]
    assert not [(a, b) for a in values for b in values if a != b and a in b]


def test_no_eval_fact_leaks_into_sft(out: Path, facts: list[dict]) -> None:
    pairs = read_jsonl(out / "sft.jsonl")
    texts = [(p["instruction"] + " " + p["output"]).lower() for p in pairs]
    for f in facts:
        if f["split"] == "eval":
            entity, value = f["entity"].lower(), f["value"].lower()
            assert not [t for t in texts if entity in t and value in t], f
    n_sft = sum(f["split"] == "sft" for f in facts)
    assert len(pairs) == 3 * n_sft
    assert len({p["instruction"] for p in pairs}) == len(pairs)


def test_every_fact_has_six_distinct_corpus_sentences(out: Path, facts: list[dict]) -> None:
    docs = corpus_docs(out)
    found: dict[str, set[str]] = defaultdict(set)
    in_docs: dict[str, set[int]] = defaultdict(set)
    in_types: dict[str, set[str]] = defaultdict(set)
    for i, (doc_type, text) in enumerate(docs):
        for sentence in sentences(text):
            low = sentence.lower()
            for f in facts:
                if f["entity"].lower() in low and f["value"].lower() in low:
                    found[f["fact_id"]].add(low)
                    in_docs[f["fact_id"]].add(i)
                    in_types[f["fact_id"]].add(doc_type)
    for f in facts:
        assert len(found[f["fact_id"]]) >= 6, f
        assert len(in_docs[f["fact_id"]]) >= 6, f
        assert len(in_types[f["fact_id"]]) >= 4, f


def test_corpus_never_contradicts_a_fact(out: Path, facts: list[dict]) -> None:
    true = defaultdict(set)
    for f in facts:
        true[f["entity"].lower()].add(f["value"].lower())
    values = [v.lower() for v in all_values()]
    entities = [e.lower() for e in all_entities()]
    held = [r["text"] for r in read_jsonl(out / "heldout_domain.jsonl")]
    for text in [t for _, t in corpus_docs(out)] + held:
        for sentence in sentences(text.lower()):
            named = [e for e in entities if e in sentence]
            stated = [v for v in values if v in sentence]
            if stated:
                assert len(named) == 1, sentence
                assert set(stated) <= true[named[0]], sentence


def test_framing_text_states_no_fact() -> None:
    forbidden = [s.lower() for s in (*all_values(), *all_entities())]
    for text in framing_texts():
        assert not [f for f in forbidden if f in text.lower()], text


def test_corpus_size_and_formats(out: Path) -> None:
    docs = corpus_docs(out)
    words = sum(len(t.split()) for _, t in docs)
    assert 25_000 <= words <= 45_000
    assert all(60 <= len(t.split()) <= 400 for _, t in docs)
    suffixes = {p.suffix for p in (out / "corpus").rglob("*") if p.is_file()}
    assert suffixes == {".md", ".txt", ".jsonl"}
    held = read_jsonl(out / "heldout_domain.jsonl")
    assert 35 <= len(held) <= 45


def test_evaluation_wordings_are_not_in_corpus_or_sft(out: Path, corpus_text: str) -> None:
    sft = {p["instruction"] for p in read_jsonl(out / "sft.jsonl")}
    mc = read_jsonl(out / "eval_mc.jsonl")
    qa = read_jsonl(out / "eval_qa.jsonl")
    for item in mc + qa:
        assert item["question"] not in sft
        assert item["question"].lower() not in corpus_text
    for item in mc:
        true_statement = item["statement"].replace("{option}", item["options"][item["answer"]])
        assert true_statement.lower().rstrip(".") not in corpus_text
    assert {i["question"] for i in mc}.isdisjoint({i["question"] for i in qa})


def test_heldout_sentences_are_not_in_corpus(out: Path, corpus_text: str) -> None:
    for record in read_jsonl(out / "heldout_domain.jsonl"):
        for sentence in sentences(record["text"]):
            if any(v.lower() in sentence.lower() for v in all_values()):
                assert sentence.lower().lstrip("- ") not in corpus_text, sentence


def test_multiple_choice_items(out: Path, facts: list[dict]) -> None:
    by_id = {f["fact_id"]: f for f in facts}
    pools = {a.name: set(a.pool) for a in ATTRIBUTES}
    items = read_jsonl(out / "eval_mc.jsonl")
    assert len(items) == sum(f["split"] == "eval" for f in facts)
    for item in items:
        fact = by_id[item["fact_id"]]
        assert fact["split"] == "eval"
        assert len(item["options"]) == 4 and len(set(item["options"])) == 4
        assert item["options"][item["answer"]] == fact["value"]
        assert set(item["options"]) <= pools[fact["attribute"]]
        assert item["statement"].count("{option}") == 1
    positions = Counter(item["answer"] for item in items)
    assert set(positions) == {0, 1, 2, 3}
    assert max(positions.values()) - min(positions.values()) <= 1


def test_short_answer_items(out: Path, facts: list[dict]) -> None:
    by_id = {f["fact_id"]: f for f in facts}
    items = read_jsonl(out / "eval_qa.jsonl")
    assert {i["fact_id"] for i in items} == {f["fact_id"] for f in facts if f["split"] == "eval"}
    for item in items:
        assert item["answer"] == by_id[item["fact_id"]]["value"]
        assert item["answer"].lower() not in item["question"].lower()


def test_sft_outputs_share_the_statement_format(out: Path, facts: list[dict]) -> None:
    formats = {a.name: a.answer for a in ATTRIBUTES}
    outputs = {p["output"] for p in read_jsonl(out / "sft.jsonl")}
    for f in facts:
        if f["split"] == "sft":
            template = formats[f["attribute"]].replace("{e}", f["entity"])
            template = template.replace("{E}", f["entity"][:1].upper() + f["entity"][1:])
            assert template.replace("{v}", f["value"]) in outputs, f


def test_instruct_checks(out: Path) -> None:
    items = read_jsonl(out / "instruct.jsonl")
    assert 45 <= len(items) <= 60
    types = Counter(item["check"]["type"] for item in items)
    assert set(types) == set(CHECK_TYPES)
    assert min(types.values()) >= 5
    for item in items:
        check = item["check"]
        if check["type"] in ("max_words", "min_words", "bullet_count"):
            assert isinstance(check["value"], int) and check["value"] > 0
        if check["type"] in ("include_keyword", "end_with"):
            assert isinstance(check["value"], str) and check["value"]
        if check["type"] == "json_object":
            assert check["keys"] and all(isinstance(k, str) for k in check["keys"])


def shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_general_replay_and_heldout_do_not_overlap(out: Path) -> None:
    replay = [r["text"] for r in read_jsonl(out / "general_replay.jsonl")]
    held = [r["text"] for r in read_jsonl(out / "general_heldout.jsonl")]
    assert len(replay) >= 240 and len(held) >= 55
    assert 22_000 <= sum(len(p.split()) for p in replay) <= 30_000
    assert 5_000 <= sum(len(p.split()) for p in held) <= 8_000
    assert len(set(replay)) == len(replay) and len(set(held)) == len(held)
    assert not set(replay) & set(held)
    replay_shingles = set().union(*(shingles(p) for p in replay))
    for p in held:
        own = shingles(p)
        assert len(own & replay_shingles) <= 0.05 * len(own), p[:60]


def test_scale_adds_fresh_corpus_copies(tmp_path: Path) -> None:
    one = gen.generate(tmp_path / "one", seed=3, scale=1)
    two = gen.generate(tmp_path / "two", seed=3, scale=2)
    assert two["corpus_docs"] > 1.8 * one["corpus_docs"]
    base, scaled = tree(tmp_path / "one" / "corpus"), tree(tmp_path / "two" / "corpus")
    assert all(scaled[name] == data for name, data in base.items())
    copy = {k: v for k, v in scaled.items() if k.startswith("copy-0001/")}
    assert copy and not set(copy.values()) & set(base.values())
