"""What preparation counts and reports: the counters every Ray Data stage adds to (`Tally`, an
actor, since Ray Data has no side channel), the running progress line, and each part's summary
in `runs/<run>/data_report.json` (`load_data_report` reads it back for the training stages).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import Counter, defaultdict
from typing import Any

import ray

from pipelines.core.config import Recipe
from pipelines.core.sources import DataError

log = logging.getLogger(__name__)
MAX_EXAMPLES = 5  # bad-record locations kept per reason in the report


MAX_HELDOUT_DOCS = 2000  # held-out documents kept for a derived domain_ppl (enough for a stable figure)


@ray.remote(num_cpus=0)
class Tally:
    """Counters shared by every pipeline stage (Ray Data has no side channel for them)."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.examples: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.heldout: dict[str, list[str]] = defaultdict(list)

    def add(self, part: str, counts: dict[str, int], examples: dict[str, list[str]] | None = None) -> None:
        self.counts[part].update(counts)
        for reason, where in (examples or {}).items():
            kept = self.examples[part][reason]
            kept.extend(where[: MAX_EXAMPLES - len(kept)])

    def add_heldout(self, part: str, texts: list[str]) -> None:
        room = MAX_HELDOUT_DOCS - len(self.heldout[part])
        self.heldout[part].extend(texts[:max(0, room)])

    def heldout_texts(self, part: str) -> list[str]:
        return list(self.heldout[part])

    def snapshot(self) -> dict[str, Any]:
        return {
            p: {"counts": dict(c), "examples": {k: list(v) for k, v in self.examples[p].items()}}
            for p, c in self.counts.items()
        }


def report_counts(tally, part: str, counts: Counter, examples: dict[str, list[str]] | None = None) -> None:
    # Synchronous on purpose: every count must have landed before the write returns.
    ray.get(tally.add.remote(part, dict(counts), examples))


def summarise(part: str, snap: dict[str, Any], files: list[str]) -> dict[str, Any]:
    c = snap.get("counts", {})
    pick = lambda prefix: {k.split(":", 1)[1]: v for k, v in c.items() if k.startswith(prefix)}  # noqa: E731
    return {
        "files": len(files),
        "records_in": c.get("records_in", 0),
        "bad_records": pick("bad:"),
        "dropped": pick("dropped:"),
        "duplicates": pick("duplicates:"),
        "pii_masked_documents": c.get("pii_masked_documents", 0),
        "documents_out": c.get("documents_out", 0),
        "tokens": c.get("tokens", 0),
        "rows": {"train": c.get("blocks:train", 0), "eval": c.get("blocks:eval", 0)},
        "bad_examples": snap.get("examples", {}),
        # With data.split_by: document, how many whole documents each split got.
        **({"documents": pick("documents:")} if pick("documents:") else {}),
    }


class Progress:
    """Logs one line of running counts every `every` seconds while a part streams."""

    def __init__(self, tally, part: str, every: float = 15.0):
        self.tally, self.part, self.every = tally, part, every
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        start = time.time()
        while not self.stop.wait(self.every):
            c = ray.get(self.tally.snapshot.remote()).get(self.part, {}).get("counts", {})
            log.info("  %s: %d files, %d records read, %d documents tokenized, %d tokens (%.0f s)", self.part,
                     c.get("files", 0), c.get("records_in", 0), c.get("documents_out", 0), c.get("tokens", 0),
                     time.time() - start)

    def __enter__(self) -> Progress:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def load_data_report(recipe: Recipe) -> dict[str, Any]:
    path = recipe.run_dir() / "data_report.json"
    if not path.is_file():
        raise DataError(f"{path} not found: run `domainforge prepare` for this recipe first")
    return json.loads(path.read_text())

