"""Distributed deduplication and quality filters on real Ray Data, against known ground truth.

A planted corpus (`pipelines/samples/planted.py`): 160 distinct English and Japanese documents,
exact copies (case and spacing changed) and near copies (1-4 words or characters edited) of a
fifth each, and documents that share half their text with an original (similar, not duplicates).
The two-node half of the check is in test_multinode.py (same corpus, same kept set).
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from pipelines.samples.planted import junk_documents, plant_duplicates

ORIGINALS, SEED = 160, 3


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    return plant_duplicates(tmp_path_factory.mktemp("planted"), originals=ORIGINALS, seed=SEED)


def _recipe(tmp_path: Path, corpus: list[str], **data):
    from pipelines.core.config import recipe_from_dict

    return recipe_from_dict({
        "run": {"name": "dedup", "root": str(tmp_path / "runs")},
        "model": {"name": "tiny", "max_seq_len": 128},
        "data": {"corpus": corpus, "sft": [], "block_size": 64, **data},
        "replay": {"ratio": 0.0},
    })


def _dropped(recipe, files: list[str]) -> tuple[set[str], dict]:
    import ray

    from pipelines.data.prepare import duplicates
    from pipelines.data.tally import Tally

    tally = Tally.remote()
    drop = duplicates(recipe, "domain", files, False, tally)
    snap = ray.get(tally.snapshot.remote())["domain"]
    ray.kill(tally)
    return {files[i >> 32] for i in drop.tolist()}, snap


def test_planted_duplicates_are_found_with_precision_and_recall(ray_session, planted, tmp_path):
    dropped, snap = _dropped(_recipe(tmp_path, [str(Path(planted.files[0]).parents[1])]), planted.files)
    truth = planted.exact | planted.near
    tp = len(dropped & truth)
    precision, recall = tp / max(1, len(dropped)), tp / len(truth)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall, sorted(dropped ^ truth))
    for lang, pick in (("english", lambda f: int(re.search(r"(\d{4})", f).group(1)) % 2 == 0),
                       ("japanese", lambda f: int(re.search(r"(\d{4})", f).group(1)) % 2 == 1)):
        mine = {f for f in truth if pick(f)}
        assert len(dropped & mine) >= 0.95 * len(mine), lang
    assert not dropped & planted.related  # half-shared documents are kept
    assert not {f for f in dropped if "/orig/" in f}  # the first copy in input order is kept
    counts = snap["counts"]
    assert counts["duplicates:exact_duplicate"] == len(planted.exact & dropped)
    assert counts["duplicates:near_duplicate"] == len(planted.near & dropped)
    example = snap["examples"]["near_duplicate"][0]
    assert re.search(r"-near\.txt \(duplicate of .*/orig/\d{4}\.txt, similarity 0\.\d\d\)$", example), example


def test_same_kept_set_whatever_the_split_of_the_work(ray_session, planted, tmp_path):
    """One worker reading everything in one task, or two workers with a task per file and
    several hash partitions: the same documents are dropped."""
    from pipelines.data import dedup

    corpus = [str(Path(planted.files[0]).parents[1])]
    one, _ = _dropped(_recipe(tmp_path / "a", corpus, tokenizer_actors=1), planted.files)
    per_partition = dedup.DOCS_PER_PARTITION
    try:
        dedup.DOCS_PER_PARTITION = 25  # ~12 partitions instead of 4
        two, _ = _dropped(_recipe(tmp_path / "b", corpus, tokenizer_actors=2, read_group_mb=0.0005), planted.files)
    finally:
        dedup.DOCS_PER_PARTITION = per_partition
    assert one == two and len(one) > 0


def test_prepare_reports_duplicates_and_quality_drops_per_reason(ray_session, planted, tmp_path):
    """The whole preparation on the planted corpus plus one junk document per quality rule:
    data_report.json counts each, and every normal English and Japanese document is kept."""
    from pipelines.data.prepare import prepare
    from tests.integration.helpers import tiny_dir

    junk = tmp_path / "junk"
    junk.mkdir()
    for reason, text in junk_documents(random.Random(0)).items():
        (junk / f"{reason}.txt").write_text(text, encoding="utf-8")
    corpus = [str(Path(planted.files[0]).parents[1]), str(junk)]
    recipe = _recipe(tmp_path, corpus, quality={"scripts": ["latin", "japanese"]})
    report = prepare(recipe, str(tiny_dir()))["parts"]["domain"]
    assert report["dropped"] == dict(Counter(re.sub(r"_ja$", "", name) for name in junk_documents(random.Random(0))))
    dups = report["duplicates"]
    assert dups["exact_duplicate"] + dups["near_duplicate"] >= 0.95 * len(planted.exact | planted.near)
    kept = len(planted.files) - sum(dups.values())
    assert report["documents_out"] == kept
    # The input is parsed once: the second pass reads the cleaned text back from the scratch folder.
    assert report["records_in"] == len(planted.files) + len(junk_documents(random.Random(0)))
    on_disk = json.loads((recipe.run_dir() / "data_report.json").read_text())["parts"]["domain"]
    assert on_disk["bad_examples"]["symbols"][0].startswith(str(junk / "symbols.txt"))
    assert not list((Path(recipe.data_dir()) / "_dedup").glob("*"))  # scratch signatures removed
