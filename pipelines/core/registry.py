"""Adapter registry: every trained adapter is a version with lineage, hashes and metrics.

Layout (local path or s3:// / gs:// URI, through pyarrow filesystems):

    <registry>/registry.json     {"versions": [...], "promoted": "sft-v1", "history": ["dapt-v1"]}
    <registry>/<version>/        PEFT adapter (adapter_config.json + adapter_model.safetensors)

Versions are named `<stage>-v<n>`. `promote` records the previous promoted version so
`rollback` can return to it. The server watches `registry.json` to hot-load new versions.

A version row may also carry `gate` (the promotion gate's verdict, written by eval and CFT),
`bad` (set by a server that could not load it: it is never served) and `checked` (when
`domainforge adapters promote` last loaded it successfully). `domain` serves the promoted
version, or, while that one is marked bad, the most recent earlier promoted one that is not
(`served`), so the server and `adapters list` agree on what is served.
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


class PromotionRefused(RegistryError):
    """The version's gate failed, or it is marked bad, or its files do not load."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def gate_failure(row: dict[str, Any]) -> list[str] | None:
    """The reasons a version's recorded gate failed; None if it passed or none is recorded."""
    gate = row.get("gate")
    if not gate or gate.get("passed", True):
        return None
    return list(gate.get("reasons") or [])


def served_version(data: dict[str, Any], usable: set[str] | None = None) -> str | None:
    """What `domain` serves given a registry index: the promoted version, else (while it is marked
    bad, or not in `usable`) the most recent earlier promoted one that is fine; None = base."""
    bad = {r["version"] for r in data["versions"] if r.get("bad")}
    for version in [data["promoted"], *reversed(data["history"])]:
        if version and version not in bad and (usable is None or version in usable):
            return version
    return None


def check_loads(adapter_dir: str | Path, model: str) -> None:
    """Raise PromotionRefused unless the folder loads as a PEFT adapter onto `model` (a name
    `resolve_model_dir` knows, or a local model folder): what the server will do with it."""
    from peft import PeftConfig, PeftModel

    from pipelines.core.models import load_model, resolve_model_dir

    try:
        PeftConfig.from_pretrained(str(adapter_dir))
        PeftModel.from_pretrained(load_model(resolve_model_dir(model)), str(adapter_dir), is_trainable=False)
    except Exception as err:  # whatever fails here would fail in the server
        raise PromotionRefused(f"{adapter_dir} does not load as a PEFT adapter for {model}: "
                               f"{type(err).__name__}: {err}") from None


def adapter_base_model(adapter_dir: str | Path) -> str | None:
    """The base model recorded in a version's adapter_config.json (None if unreadable)."""
    try:
        config = json.loads((Path(adapter_dir) / "adapter_config.json").read_text())
    except (OSError, ValueError):
        return None
    base = config.get("base_model_name_or_path") if isinstance(config, dict) else None
    return base if isinstance(base, str) and base else None


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

    def snapshot(self) -> dict[str, Any]:
        """The whole index in one read: versions, promoted and history agree with each other."""
        return self._read()

    def served(self) -> str | None:
        """The version `domain` serves (None = the base model): see `served_version`."""
        return served_version(self._read())

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
                "created": _now(),
            })
        return version

    def update_metrics(self, version: str, metrics: dict[str, Any]) -> None:
        with self._locked() as data:
            for row in data["versions"]:
                if row["version"] == version:
                    row.setdefault("metrics", {}).update(metrics)
                    return
            raise RegistryError(f"no adapter version {version!r}")

    def _row(self, data: dict[str, Any], version: str) -> dict[str, Any]:
        for row in data["versions"]:
            if row["version"] == version:
                return row
        raise RegistryError(f"no adapter version {version!r} in {self.root}")

    def record_gate(self, version: str, gate: dict[str, Any]) -> None:
        """Keep the promotion gate's verdict with the version (passed, reasons, parent it was gated against)."""
        with self._locked() as data:
            self._row(data, version)["gate"] = {"passed": bool(gate.get("passed")),
                                                "reasons": list(gate.get("reasons") or []),
                                                "parent": gate.get("parent")}

    def mark_bad(self, version: str, reason: str) -> None:
        """A server could not load this version: it is not served until `promote(checked=True)`."""
        with self._locked() as data:
            self._row(data, version)["bad"] = {"reason": reason[:500], "at": _now()}

    def promote(self, version: str, *, force: bool = False, checked: bool = False) -> None:
        """Make `version` the one `domain` serves. Refused (PromotionRefused) when its gate failed,
        unless `force`; and when it is marked bad, unless `checked` (its files were just loaded
        successfully, see `check_loads`), which clears the mark."""
        validate_version_name(version)
        with self._locked() as data:
            row = self._row(data, version)
            if checked:
                row.pop("bad", None)
                row["checked"] = _now()
            elif row.get("bad"):
                raise PromotionRefused(f"{version} is marked bad ({row['bad']['reason']}); "
                                       f"`domainforge adapters promote {version}` checks it again")
            failed = gate_failure(row)
            if failed is not None and not force:
                raise PromotionRefused(f"{version} failed its promotion gate against "
                                       f"{row['gate'].get('parent') or 'base'}: {'; '.join(failed) or 'no reason recorded'}"
                                       " (promote it anyway with --force)")
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
