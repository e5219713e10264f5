"""Results computed once and reused while what they were made from is unchanged.

Every cache in domainforge is the same pattern: a content key (a hash of the inputs that
matter) stored next to the result; a stored key that differs means stale. Used for the
evaluation cache (`eval/<version>.json`), the Tune sweep's base-model numbers and its one
preparation, the self-replay pairs, and the data hash recorded per registered version.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from cluster import storage
from pipelines.core.sources import read_file_bytes

T = TypeVar("T")


def content_key(*parts: Any, length: int = 12) -> str:
    """Hex digest (first `length` digits of SHA-256) of `parts` as canonical JSON: the same
    values give the same key in any process, on any machine."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:length]


def file_key(path: str | Path, length: int = 12) -> str:
    """Hex digest of a file's bytes (local or s3:// / gs://)."""
    return hashlib.sha256(read_file_bytes(str(path))).hexdigest()[:length]


@dataclass(frozen=True)
class KeyedFile:
    """A JSON file `{"key": ..., "value": ...}` at `path` (local path or URI).

    `value` may be the result itself (metrics) or nothing, when the file only vouches for an
    artifact written next to it (the self-replay pairs, a prepared data folder): write it after
    the artifact, so that an interrupted run leaves a stale key, never a current one."""

    path: str | Path

    def _stored(self) -> dict[str, Any] | None:
        where = str(self.path)
        if not storage.exists(where):
            return None
        try:
            stored = json.loads(read_file_bytes(where))
        except (OSError, ValueError):
            return None  # unreadable or cut short: stale
        return stored if isinstance(stored, dict) and "key" in stored else None

    def holds(self, key: str) -> bool:
        """Whether the file was written for `key`."""
        stored = self._stored()
        return stored is not None and stored["key"] == key

    def get(self, key: str) -> Any | None:
        """The stored value if it was computed for `key`, else None."""
        stored = self._stored()
        return stored.get("value") if stored is not None and stored["key"] == key else None

    def put(self, key: str, value: Any = None) -> None:
        """Store `value` for `key` (a local file is replaced atomically)."""
        text = json.dumps({"key": key, "value": value}, indent=2, ensure_ascii=False)
        where = str(self.path)
        if storage.is_uri(where):
            fs, obj = storage.filesystem(where)
            with fs.open_output_stream(obj) as fh:
                fh.write(text.encode())
            return
        path = Path(where)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text)
        tmp.replace(path)

    def get_or_compute(self, key: str, compute: Callable[[], T]) -> T:
        """The stored value for `key`, or `compute()` stored under it."""
        stored = self._stored()
        if stored is not None and stored["key"] == key:
            return stored["value"]
        value = compute()
        self.put(key, value)
        return value
