"""Adapter registry: every trained adapter is a version with lineage, hashes and metrics.

Layout (local path or s3:// / gs:// URI, through pyarrow filesystems):

    <registry>/registry.json     {"versions": [...], "promoted": "sft-v1", "history": ["dapt-v1"]}
    <registry>/<version>/        PEFT adapter (adapter_config.json + adapter_model.safetensors)

Versions are named `<stage>-v<n>`. `promote` records the previous promoted version so
`rollback` can return to it. The server watches `registry.json` to hot-load new versions.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.fs as pafs

from cluster import storage

VERSION_RE = re.compile(r"^[a-z][a-z0-9]{0,15}-v[0-9]{1,6}$")


class RegistryError(ValueError):
    """Unknown version, bad name, or nothing to roll back to."""


def validate_version_name(name: str) -> str:
    """Adapter names are `<stage>-v<n>`: no path separators, dots or traversal."""
    if not isinstance(name, str) or not VERSION_RE.match(name):
        raise RegistryError(f"invalid adapter version name {name!r} (expected e.g. 'sft-v2')")
    return name


class Registry:
    def __init__(self, root: str | Path):
        self.root = str(root)
        self.fs, self.base = storage.filesystem(self.root)
        self.fs.create_dir(self.base, recursive=True)

    # ---- storage ---------------------------------------------------------------------------
    @property
    def index_path(self) -> str:
        return f"{self.base}/registry.json"

    def _read(self) -> dict[str, Any]:
        info = self.fs.get_file_info(self.index_path)
        if info.type == pafs.FileType.NotFound:
            return {"versions": [], "promoted": None, "history": []}
        with self.fs.open_input_stream(self.index_path) as fh:
            return json.loads(fh.read().decode())

    def _write(self, data: dict[str, Any]) -> None:
        tmp = self.index_path + ".tmp"
        with self.fs.open_output_stream(tmp) as fh:
            fh.write(json.dumps(data, indent=2).encode())
        self.fs.move(tmp, self.index_path)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        """Read-modify-write under a file lock (local registries; object stores have no locks)."""
        lock = Path(self.base) / ".lock" if isinstance(self.fs, pafs.LocalFileSystem) else None
        fh = open(lock, "w") if lock else None  # noqa: SIM115
        try:
            if fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
            data = self._read()
            yield data
            self._write(data)
        finally:
            if fh:
                fcntl.flock(fh, fcntl.LOCK_UN)
                fh.close()

    def adapter_path(self, version: str) -> str:
        """Where a version's PEFT files are (a local path or a URI)."""
        validate_version_name(version)
        return f"{self.base}/{version}" if "://" not in self.root else f"{self.root.rstrip('/')}/{version}"

    def local_adapter_dir(self, version: str, cache: str | Path | None = None) -> Path:
        """A local directory with the version's files (copied down from object storage if needed)."""
        if isinstance(self.fs, pafs.LocalFileSystem):
            return Path(self.base) / validate_version_name(version)
        # Keyed by the full URI: two registries with a `sft-v1` each never share a cached copy.
        cache_root = Path(cache or Path.home() / ".cache" / "domainforge" / "adapters")
        return storage.local_dir(self.adapter_path(validate_version_name(version)), cache_root, what=f"adapter {version}")

    # ---- queries ---------------------------------------------------------------------------
    def list(self) -> list[dict[str, Any]]:
        return self._read()["versions"]

    def get(self, version: str) -> dict[str, Any]:
        for row in self.list():
            if row["version"] == version:
                return row
        raise RegistryError(f"no adapter version {version!r} in {self.root}")

    def promoted(self) -> str | None:
        return self._read()["promoted"]

    def latest(self, stage: str | None = None, run: str | None = None) -> str | None:
        rows = [r for r in self.list() if (stage is None or r["stage"] == stage) and (run is None or r.get("run") == run)]
        return rows[-1]["version"] if rows else None

    def lineage(self, version: str) -> list[str]:
        """The version and its ancestors, newest first."""
        chain, current = [], version
        while current:
            chain.append(current)
            current = self.get(current).get("parent")
        return chain

    # ---- changes ---------------------------------------------------------------------------
    def register(self, stage: str, adapter_dir: str | Path, *, parent: str | None, run: str, recipe_hash: str,
                 data_hash: str, metrics: dict[str, Any] | None = None) -> str:
        """Copy an adapter into the registry as the next `<stage>-v<n>`; returns the version."""
        with self._locked() as data:
            n = 1 + sum(1 for r in data["versions"] if r["stage"] == stage)
            version = validate_version_name(f"{stage}-v{n}")
            dest = f"{self.base}/{version}"
            self.fs.create_dir(dest, recursive=True)
            pafs.copy_files(str(Path(adapter_dir).resolve()), dest, source_filesystem=pafs.LocalFileSystem(),
                            destination_filesystem=self.fs)
            data["versions"].append({
                "version": version, "stage": stage, "parent": parent, "run": run,
                "recipe_hash": recipe_hash, "data_hash": data_hash, "metrics": metrics or {},
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
            })
        return version

    def update_metrics(self, version: str, metrics: dict[str, Any]) -> None:
        with self._locked() as data:
            for row in data["versions"]:
                if row["version"] == version:
                    row.setdefault("metrics", {}).update(metrics)
                    return
            raise RegistryError(f"no adapter version {version!r}")

    def promote(self, version: str) -> None:
        validate_version_name(version)
        with self._locked() as data:
            if not any(r["version"] == version for r in data["versions"]):
                raise RegistryError(f"no adapter version {version!r} in {self.root}")
            if data["promoted"] and data["promoted"] != version:
                data["history"].append(data["promoted"])
            data["promoted"] = version

    def rollback(self) -> str | None:
        """Return to the previously promoted version (None = the base model)."""
        with self._locked() as data:
            if not data["promoted"]:
                raise RegistryError("nothing is promoted; nothing to roll back")
            data["promoted"] = data["history"].pop() if data["history"] else None
            return data["promoted"]
