"""Feedback store: served completions and the ratings users give them (SQLAlchemy 2).

SQLite (WAL mode, a file next to the runs) by default; PostgreSQL for multi-node serving
with `postgresql+psycopg://user:pass@host/db`. Every served answer is recorded with the
adapter version and prompt; a rating attaches to it by completion id. Rating the same
completion again updates the row and gives it a new sequence number, so the CFT stage can
read "everything rated since my watermark" with `ratings_after(seq)`.

Sequence numbers are handed out while writers are serialized (SQLite: `BEGIN IMMEDIATE`;
PostgreSQL: a transaction-scoped advisory lock), so they become visible in increasing order
and a watermark never skips a rating that commits late.

    .venv/bin/domainforge feedback export pipelines/recipes/quickstart.yaml --out feedback.jsonl
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

log = logging.getLogger(__name__)

RATINGS = ("good", "bad")
_PG_LOCK_KEY = 0x646F6D66  # advisory lock id for rating writes ("domf")
_WRITE = "domainforge_write"  # execution option: this transaction writes

metadata = MetaData()
completions = Table(
    "completions", metadata,
    Column("id", String(64), primary_key=True),
    Column("model", String(64), nullable=False, index=True),
    Column("messages", JSON, nullable=False),
    Column("answer", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)
ratings = Table(
    "ratings", metadata,
    Column("completion_id", String(64), ForeignKey("completions.id", ondelete="CASCADE"), primary_key=True),
    Column("rating", String(8), nullable=False),
    Column("correction", Text, nullable=True),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
)
watermarks = Table(
    "watermarks", metadata,
    Column("name", String(64), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
)


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime) -> str:
    # SQLite hands back naive datetimes; they were written as UTC.
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat(timespec="seconds")


def _sqlite_engine(url: str) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's `begin` event issue BEGIN itself (the driver's implicit one is DEFERRED).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
        # WAL + NORMAL never corrupts the file; it only skips an fsync per commit on the request path.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the write lock up front: a DEFERRED transaction that reads and then
        # writes fails with "database is locked" instead of waiting when another writer won.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

    return engine


def make_engine(url: str) -> Engine:
    """SQLAlchemy engine for a feedback URL (SQLite gets WAL and serialized writers)."""
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


class FeedbackStore:
    """Completions, ratings and named watermarks in one database; safe across threads and processes."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self._create_tables()

    def __repr__(self) -> str:  # never show a password
        return f"FeedbackStore({make_url(self.url).render_as_string(hide_password=True)})"

    def _create_tables(self) -> None:
        # Several replicas may start at once; a lost race on CREATE TABLE is harmless. On SQLite
        # create_all reads the schema and then writes in one deferred transaction, which fails at
        # once with "database is locked" (no busy wait) when another process created it meanwhile.
        attempts = 5
        for attempt in range(attempts):
            try:
                metadata.create_all(self.engine)
                return
            except IntegrityError:
                if attempt == attempts - 1:
                    raise
            except Exception as err:
                if attempt == attempts - 1 or not any(s in str(err) for s in ("already exists", "database is locked")):
                    raise
            time.sleep(0.05 * (attempt + 1))

    @contextmanager
    def _write(self, ordered: bool = True) -> Iterator[Connection]:
        """A write transaction. `ordered` ones (they hand out sequence numbers) are serialized
        on PostgreSQL too; SQLite serializes every writer anyway."""
        with self.engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                if ordered and conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()

    # ---- writes -------------------------------------------------------------------------
    def record_completion(self, completion_id: str, model: str, messages: list[dict], answer: str) -> None:
        """Store a served answer with the adapter version and prompt it came from."""
        with self._write(ordered=False) as conn:
            conn.execute(insert(completions).values(id=completion_id, model=model, messages=messages,
                                                    answer=answer, created=_now()))

    def rate(self, completion_id: str, rating: str, correction: str | None = None) -> None:
        """Rate a completion (again): one row per completion, its sequence number bumped on each rating.
        Raises KeyError for an unknown completion id and ValueError for a rating not in good|bad."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {', '.join(RATINGS)}, not {rating!r}")
        with self._write() as conn:
            if conn.execute(select(completions.c.id).where(completions.c.id == completion_id)).first() is None:
                raise KeyError(completion_id)
            seq = conn.execute(select(func.coalesce(func.max(ratings.c.seq), 0))).scalar_one() + 1
            now = _now()
            values = {"rating": rating, "correction": correction or None, "seq": seq, "updated": now}
            done = conn.execute(update(ratings).where(ratings.c.completion_id == completion_id).values(**values))
            if done.rowcount == 0:
                conn.execute(insert(ratings).values(completion_id=completion_id, created=now, **values))

    def set_watermark(self, name: str, seq: int) -> None:
        with self._write() as conn:
            values = {"seq": int(seq), "updated": _now()}
            if conn.execute(update(watermarks).where(watermarks.c.name == name).values(**values)).rowcount == 0:
                conn.execute(insert(watermarks).values(name=name, **values))

    def advance_watermark(self, name: str, expected: int, seq: int) -> bool:
        """Move watermark `name` from `expected` to `seq` (> expected) in one transaction; False,
        and nothing changed, when it is no longer at `expected` (another consumer moved it), so
        two consumers never both claim the same ratings as newly used."""
        if seq <= expected:
            raise ValueError(f"watermark {name!r} can only move forward ({expected} -> {seq})")
        with self._write() as conn:
            current = conn.execute(select(watermarks.c.seq).where(watermarks.c.name == name)).scalar_one_or_none()
            if int(current or 0) != expected:
                return False
            values = {"seq": int(seq), "updated": _now()}
            if current is None:
                conn.execute(insert(watermarks).values(name=name, **values))
            else:
                conn.execute(update(watermarks).where(watermarks.c.name == name).values(**values))
        return True

    # ---- reads --------------------------------------------------------------------------
    def get_watermark(self, name: str) -> int:
        with self.engine.connect() as conn:
            seq = conn.execute(select(watermarks.c.seq).where(watermarks.c.name == name)).scalar_one_or_none()
        return int(seq or 0)

    def ratings_after(self, seq: int) -> list[dict[str, Any]]:
        """Ratings with a sequence number above `seq`, oldest first, joined with their completion."""
        query = (
            select(ratings.c.seq, ratings.c.completion_id, completions.c.model, completions.c.messages,
                   completions.c.answer, ratings.c.rating, ratings.c.correction, ratings.c.updated)
            .join(completions, completions.c.id == ratings.c.completion_id)
            .where(ratings.c.seq > seq)
            .order_by(ratings.c.seq)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            {"seq": int(r.seq), "completion_id": r.completion_id, "model": r.model, "messages": r.messages,
             "answer": r.answer, "rating": r.rating, "correction": r.correction, "rated_at": _iso(r.updated)}
            for r in rows
        ]

    def count_after(self, seq: int) -> int:
        """How many ratings have a sequence number above `seq` (cheap: no rows are read)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(ratings).where(ratings.c.seq > seq)).scalar_one())

    def has_completion(self, completion_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(completions.c.id).where(completions.c.id == completion_id)).first() is not None

    def counts(self) -> dict[str, int]:
        """completions, ratings, good, bad, corrected (ratings that carry a correction)."""
        with self.engine.connect() as conn:
            n_completions = conn.execute(select(func.count()).select_from(completions)).scalar_one()
            by_rating = dict(conn.execute(select(ratings.c.rating, func.count()).group_by(ratings.c.rating)).all())
            corrected = conn.execute(
                select(func.count()).select_from(ratings).where(ratings.c.correction.is_not(None))
            ).scalar_one()
        return {"completions": int(n_completions), "ratings": int(sum(by_rating.values())),
                "good": int(by_rating.get("good", 0)), "bad": int(by_rating.get("bad", 0)),
                "corrected": int(corrected)}

    def export_jsonl(self, path: str | Path) -> int:
        """Write every rated completion as one JSON line (oldest rating first); returns the count."""
        rows = self.ratings_after(0)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        log.info("exported %d rated completions to %s", len(rows), path)
        return len(rows)
