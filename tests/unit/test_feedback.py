"""The feedback store on SQLite and on PostgreSQL (the same tests, parametrized).

The PostgreSQL case needs a server: `.ci/run` starts one and exports DOMAINFORGE_TEST_PG_URL.

    .venv/bin/python -m pytest -q tests/unit/test_feedback.py
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from typing import Any

import pytest

from pipelines.core.feedback import FeedbackStore, metadata

PG_URL = os.environ.get("DOMAINFORGE_TEST_PG_URL")
MESSAGES = [{"role": "user", "content": "Which port does Orbix use?"}]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'feedback.db'}"
        return
    if not PG_URL:
        pytest.skip("DOMAINFORGE_TEST_PG_URL is not set (.ci/run starts a PostgreSQL server and sets it)")
    store = FeedbackStore(PG_URL)
    metadata.drop_all(store.engine)  # every test starts from empty tables
    store.dispose()
    yield PG_URL
    store = FeedbackStore(PG_URL)
    metadata.drop_all(store.engine)
    store.dispose()


@pytest.fixture
def store(store_url):
    store = FeedbackStore(store_url)
    yield store
    store.dispose()


def _served(store: FeedbackStore, n: int, model: str = "sft-v1") -> list[str]:
    ids = [f"chatcmpl-{i:04d}" for i in range(n)]
    for i, cid in enumerate(ids):
        store.record_completion(cid, model, MESSAGES, f"answer {i}")
    return ids


def test_feedback_rating_joins_its_completion(store):
    (cid,) = _served(store, 1)
    store.rate(cid, "bad", "Orbix uses port 7443.")
    (row,) = store.ratings_after(0)
    assert set(row) == {"seq", "completion_id", "model", "messages", "answer", "rating", "correction", "rated_at"}
    assert (row["completion_id"], row["model"], row["messages"], row["answer"]) == (cid, "sft-v1", MESSAGES, "answer 0")
    assert (row["rating"], row["correction"], row["seq"]) == ("bad", "Orbix uses port 7443.", 1)
    assert row["rated_at"].endswith("+00:00")


def test_feedback_rerating_updates_and_bumps_sequence(store):
    a, b = _served(store, 2)
    store.rate(a, "bad", "fixed answer")
    store.rate(b, "good", None)
    watermark = store.ratings_after(0)[-1]["seq"]
    store.rate(a, "good", None)
    rows = store.ratings_after(0)
    assert [r["completion_id"] for r in rows] == [b, a]  # one row per completion, a moved to the end
    assert rows[-1]["seq"] > watermark and rows[-1]["correction"] is None
    assert [r["completion_id"] for r in store.ratings_after(watermark)] == [a]
    assert store.counts() == {"completions": 2, "ratings": 2, "good": 2, "bad": 0, "corrected": 0}


def test_feedback_rejects_unknown_ids_and_bad_ratings(store):
    (cid,) = _served(store, 1)
    with pytest.raises(KeyError):
        store.rate("chatcmpl-missing", "good", None)
    with pytest.raises(ValueError):
        store.rate(cid, "meh", None)
    assert store.counts()["ratings"] == 0


def test_feedback_watermarks(store):
    assert store.get_watermark("cft") == 0
    store.set_watermark("cft", 5)
    store.set_watermark("cft", 9)
    store.set_watermark("other", 1)
    assert (store.get_watermark("cft"), store.get_watermark("other")) == (9, 1)


def test_feedback_watermark_advances_only_from_where_it_was(store):
    assert store.advance_watermark("cft", 0, 4) is True  # first use creates it
    assert store.advance_watermark("cft", 0, 7) is False  # someone else already moved it
    assert store.get_watermark("cft") == 4
    assert store.advance_watermark("cft", 4, 7) is True and store.get_watermark("cft") == 7
    with pytest.raises(ValueError, match="forward"):
        store.advance_watermark("cft", 7, 7)


def test_feedback_count_after(store):
    ids = _served(store, 4)
    for cid in ids[:3]:
        store.rate(cid, "good")
    assert (store.count_after(0), store.count_after(2), store.count_after(3)) == (3, 1, 0)
    store.rate(ids[0], "bad")  # re-rated: counted again after its new sequence number
    assert store.count_after(3) == 1


def test_feedback_counts_and_export(store, tmp_path):
    ids = _served(store, 4)
    store.rate(ids[0], "good", None)
    store.rate(ids[1], "bad", "better answer")
    store.rate(ids[2], "bad", None)
    assert store.counts() == {"completions": 4, "ratings": 3, "good": 1, "bad": 2, "corrected": 1}
    out = tmp_path / "export" / "feedback.jsonl"
    assert store.export_jsonl(out) == 3
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["completion_id"] for r in rows] == ids[:3] and rows[1]["correction"] == "better answer"


def test_feedback_concurrent_writers_get_ordered_sequence(store_url):
    """Four writers (separate stores, as separate replicas would be) rate 60 completions at once:
    every rating gets its own sequence number and none is lost."""
    seed = FeedbackStore(store_url)
    ids = _served(seed, 60)
    errors: list[BaseException] = []

    def rate_share(share: list[str]) -> None:
        store = FeedbackStore(store_url)
        try:
            for cid in share:
                store.rate(cid, "good", None)
        except BaseException as err:  # surfaced below, in the test thread
            errors.append(err)
        finally:
            store.dispose()

    threads = [threading.Thread(target=rate_share, args=(ids[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [r["seq"] for r in seed.ratings_after(0)] == list(range(1, 61))
    seed.dispose()


def _open_store(url: str, barrier: Any) -> None:
    barrier.wait()
    FeedbackStore(url).dispose()


def test_feedback_replicas_creating_one_sqlite_file_at_once(tmp_path):
    """Replicas starting together each create the tables of the same new SQLite file: every one
    of them must come up (a lost race is "already exists" or "database is locked", not a crash)."""
    ctx = multiprocessing.get_context("spawn")
    for round_ in range(3):
        url = f"sqlite:///{tmp_path / f'fresh{round_}.db'}"
        barrier = ctx.Barrier(4)
        procs = [ctx.Process(target=_open_store, args=(url, barrier)) for _ in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=120)
        assert [p.exitcode for p in procs] == [0, 0, 0, 0]
