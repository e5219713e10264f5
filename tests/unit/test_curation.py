"""Quality rules and the pure steps of the distributed dedup (buckets, confirmation, clusters, the
shuffle through storage), no Ray."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from pipelines.core.sections import QualityConfig
from pipelines.data.clean import MinHasher, normalize
from pipelines.data.dedup import _matrix, key_rows, partitions_for, signature_batch
from pipelines.data.edges import (
    BAND,
    EXACT,
    Clusters,
    bucket_edges,
    components,
    id_partition,
    key_partition,
    similar,
)
from pipelines.data.quality import QualityRules
from pipelines.data.shuffle import read_partition, write_partitioned
from pipelines.samples.planted import english_doc, japanese_doc, junk_documents

SAMPLES = Path(__file__).resolve().parents[2] / "pipelines" / "samples" / "telecom"
JAPANESE_PROSE = [
    "ヴェルトラーノ・モバイルの新しいルーター「ケストレルX2」は、四つのLANポートを備えています。\n"
    "初期設定では管理画面のパスワードを必ず変更してください。設定は本体裏面のQRコードから行えます。",
    "東京のショップは午前十時に開店し、毎週火曜日が定休日です。\n\n予約は電話またはウェブサイトから受け付けています。"
    "混雑時は整理券を配布します。",
    "# 料金プラン\n\n- ライト: 月額980円、データ3GB\n- スタンダード: 月額2,480円、データ20GB\n"
    "- 無制限: 月額4,980円\n\n解約金はありません。プランの変更は翌月から反映されます。",
]


def rules(**overrides) -> QualityRules:
    return QualityRules.from_config(QualityConfig(**overrides))


def test_each_junk_document_is_dropped_for_its_own_reason():
    r = rules(scripts=["latin", "japanese"])
    for name, text in junk_documents(random.Random(1)).items():
        assert r.reason(normalize(text)) == name.removesuffix("_ja"), name


def test_normal_english_and_japanese_prose_passes_every_rule():
    r = rules(scripts=["latin", "japanese"])
    docs = [*JAPANESE_PROSE, *(p.read_text() for p in sorted((SAMPLES / "corpus").rglob("*.md"))[:40])]
    rng = random.Random(2)
    docs += [english_doc(rng) for _ in range(10)] + [japanese_doc(rng) for _ in range(10)]
    assert [d[:40] for d in docs if r.reason(normalize(d))] == []


def test_loosest_values_turn_the_rules_off():
    off = QualityConfig(max_repeated_lines=1.0, max_symbol_share=1.0, max_digit_share=1.0, max_short_lines=1.0)
    assert QualityRules.from_config(off) is None
    only_scripts = rules(max_repeated_lines=1.0, max_symbol_share=1.0, max_digit_share=1.0, max_short_lines=1.0,
                         scripts=["japanese"])
    assert only_scripts.reason(JAPANESE_PROSE[0]) is None
    assert only_scripts.reason(english_doc(random.Random(3))) == "other_script"


def test_bucket_edges_link_every_member_to_the_first_and_the_next():
    # Band key 5 holds docs 30, 10, 20 (unsorted); key 6 only doc 40; exact key 5 (another kind) docs 50, 60.
    block = {"key": np.array([5, 5, 6, 5, 5, 5]), "id": np.array([30, 10, 40, 20, 60, 50]),
             "kind": np.array([BAND, BAND, BAND, BAND, EXACT, EXACT], dtype=np.int8)}
    edges = bucket_edges(block)
    got = sorted(zip(edges["a"].tolist(), edges["b"].tolist(), edges["exact"].tolist(), strict=True))
    assert got == [(10, 20, False), (10, 30, False), (20, 30, False), (50, 60, True)]
    rng = np.random.default_rng(0)
    order = rng.permutation(len(block["key"]))
    shuffled = bucket_edges({k: v[order] for k, v in block.items()})
    assert sorted(zip(shuffled["a"].tolist(), shuffled["b"].tolist(), strict=True)) == [(a, b) for a, b, _ in got]


def test_sketches_confirm_candidates_and_clusters_keep_the_smallest_id():
    h = MinHasher(0.85)
    rng = random.Random(4)
    base = english_doc(rng, 900)
    near = base.replace(base.split()[3], "zzzzz", 1)
    other = english_doc(rng, 900)
    texts = {1: base, 2: near, 3: base.upper(), 4: other}
    table = signature_batch({"text": np.array(list(texts.values()), dtype=object), "id": np.array(list(texts)),
                             "source": np.array([f"d{i}" for i in texts], dtype=object)},
                            threshold=0.85, shingle_chars=5)
    sketch = _matrix(table["sketch"], table.num_rows)  # rows in id order 1..4
    # Near candidates 1-2 (a real near copy) and 2-4 (a false candidate: different texts).
    assert similar(sketch[[0, 1]], sketch[[1, 3]], h.threshold).tolist() == [True, False]
    # Confirmed: 1-2 near, 1-3 exact, and a chain 5-6-7 whose first member is not the smallest.
    clusters = Clusters.of({"a": np.array([1, 1, 6, 5]), "b": np.array([2, 3, 7, 6]),
                            "exact": np.array([False, True, False, False])})
    assert clusters.ids[clusters.dropped()].tolist() == [2, 3, 6, 7]
    assert clusters.ids[clusters.roots].tolist() == [1, 1, 1, 5, 5, 5]
    assert clusters.ids[clusters.exact_twin].tolist() == [3]


def test_shuffle_through_storage_moves_every_row_once_and_a_rerun_overwrites(tmp_path):
    """Rows written by two tasks reach their partitions, each row once; a task run again (Ray
    retries a failed task) replaces its files instead of adding its rows twice."""
    rng = np.random.default_rng(1)
    parts = 5
    written = []
    for task in ("a.parquet", "b.parquet", "a.parquet"):
        ids = rng.integers(0, 1 << 40, 1000)
        if task == "a.parquet" and written:
            ids = written[0]  # the rerun writes the same rows
        else:
            written.append(ids)
        write_partitioned(pa.table({"id": ids}), id_partition(ids, parts), parts, str(tmp_path), task)
    back = [read_partition(str(tmp_path), p) for p in range(parts)]
    assert sorted(np.concatenate([t["id"].to_numpy() for t in back]).tolist()) == sorted(
        np.concatenate(written).tolist())
    for p, table in enumerate(back):
        assert (id_partition(table["id"].to_numpy(), parts) == p).all()
        assert 320 < table.num_rows < 480  # 2,000 rows over 5 partitions
    assert read_partition(str(tmp_path), parts) is None
    keys = rng.integers(-(1 << 62), 1 << 62, 10_000)
    assert set(np.bincount(key_partition(keys, 7)).tolist()) <= set(range(1300, 1560))
    assert (np.bincount(id_partition(np.arange(10_000), 7)) > 1300).all()


def test_partitions_grow_with_the_corpus_and_cover_the_cpus():
    assert partitions_for(1000, cpus=2) == 4
    assert partitions_for(1_400_000, cpus=2) == 14
    assert partitions_for(1_400_000, cpus=64) == 128


@pytest.mark.parametrize("threshold", [1.0, 0.85])
def test_key_rows_one_exact_key_per_document_and_one_row_per_band(threshold):
    table = signature_batch({"text": np.array(["あいうえおかきくけこ" * 5, "hello world " * 9], dtype=object),
                             "id": np.array([7, 8]), "source": np.array(["a", "b"], dtype=object)},
                            threshold=threshold, shingle_chars=5)
    rows = key_rows(table)
    bands = 0 if threshold == 1.0 else MinHasher(threshold).bands
    assert len(rows["key"]) == 2 * (1 + bands)
    assert (rows["kind"] == EXACT).sum() == 2


def test_signatures_of_a_batch_are_each_documents_own():
    """The batch path (one rolling hash over the joined texts, one reduceat) gives every text the
    signature it gets alone: windows never cross texts; short, long and Japanese texts included."""
    h = MinHasher(0.85)
    rng = random.Random(5)
    texts = ["abc", english_doc(rng, 300), japanese_doc(rng, 200), "x" * 40_000, "Hello  World hello world", "ab"]
    batch = h.signatures(texts)
    for text, row in zip(texts, batch, strict=True):
        assert (h.signatures([text])[0] == row).all()
        assert (h.signatures([text])[0] == h._signature_of(h.shingles(text))).all()
    assert (batch[0] != batch[5]).any() and (batch[4] == h.signatures(["hello world HELLO WORLD"])[0]).all()
    sim = MinHasher.similarity(h.signature(texts[1]), h.signature(texts[1].replace(texts[1].split()[2], "qqqqq", 1)))
    assert 0.85 < sim < 1.0


def test_components_match_a_plain_union_find_on_random_graphs():
    """The vectorised connected components (hooking + pointer jumping) give every node the
    smallest node of its component, as a one-edge-at-a-time union-find does."""

    rng = np.random.default_rng(5)
    for _ in range(300):
        n = int(rng.integers(1, 80))
        a, b = rng.integers(0, n, size=(2, int(rng.integers(0, 120))))
        parent = list(range(n))

        for x, y in zip(a.tolist(), b.tolist(), strict=True):
            rx, ry = _root(parent, x), _root(parent, y)
            parent[max(rx, ry)] = min(rx, ry)
        assert components(n, a, b).tolist() == [_root(parent, x) for x in range(n)]


def _root(parent: list[int], x: int) -> int:
    while parent[x] != x:
        x = parent[x]
    return x


def test_report_reads_back_only_the_scratch_files_holding_the_ids(tmp_path):
    """The driver finds the documents its examples name from the files' footers (id ranges)
    and opens only those files: a file that holds none of them is never read."""
    import pyarrow.parquet as pq

    from pipelines.data.dedup import _read_ids, footers

    paths = []
    for i in range(3):
        paths.append(str(tmp_path / f"f{i}.parquet"))
        ids = np.arange(i * 100, i * 100 + 100, dtype=np.int64)
        pq.write_table(pa.table({"id": ids[::-1], "source": [f"f{i}#{j}" for j in ids[::-1]]}), paths[-1])
    found = footers(paths)
    assert [(f.rows, f.low, f.high) for f in found] == [(100, 0, 99), (100, 100, 199), (100, 200, 299)]
    Path(paths[1]).write_bytes(b"not parquet")  # would fail if it were opened
    got = _read_ids(found, np.array([5, 299]), ["id", "source"])
    assert got.to_pydict() == {"id": [5, 299], "source": ["f0#5", "f2#299"]}
