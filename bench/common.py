"""Helpers shared by the benchmarks: memory sampling of a process tree, machine description."""

from __future__ import annotations

import os
import platform
import threading
import time
from pathlib import Path

import psutil


class PeakMemory:
    """Samples the proportional set size (PSS: shared pages split between processes, so Ray's
    shared object store is not counted once per worker) of this process, its children, and
    every Ray worker on the machine; keeps the peak of the sum."""

    def __init__(self, interval: float = 0.25, include_ray: bool = True, pid: int | None = None):
        self.interval, self.include_ray = interval, include_ray
        self.root = psutil.Process(pid or os.getpid())
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _processes(self) -> list[psutil.Process]:
        procs = {self.root.pid: self.root}
        try:
            procs.update({p.pid: p for p in self.root.children(recursive=True)})
        except psutil.Error:
            pass
        if self.include_ray:
            for p in psutil.process_iter(["cmdline"]):
                cmd = " ".join(p.info.get("cmdline") or [])
                if "ray::" in cmd or "raylet" in cmd or "gcs_server" in cmd or "plasma" in cmd:
                    procs[p.pid] = p
        return list(procs.values())

    def _sample(self) -> int:
        total = 0
        for p in self._processes():
            try:
                total += p.memory_full_info().pss
            except psutil.Error:
                continue
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            time.sleep(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            return next(line.split(":", 1)[1].strip() for line in fh if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def machine() -> str:
    freq = psutil.cpu_freq()
    from cluster.scaling import cpu_has_fast_bf16  # what `precision: auto` decides on

    bf16 = cpu_has_fast_bf16()
    return (f"{_cpu_name()} ({'native bf16' if bf16 else 'no native bf16'}), {psutil.cpu_count(logical=True)} logical CPUs"
            f"{f' @ {freq.max:.0f} MHz' if freq and freq.max else ''}, "
            f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, Python {platform.python_version()}")


def mib(n: float) -> str:
    return f"{n / 2**20:.0f} MiB"


def write_section(path: Path, heading: str, section: str) -> None:
    """Replace the section that starts with `heading` in BENCHMARKS.md (or append it), leaving
    the other sections alone."""
    text = path.read_text() if path.exists() else "# Benchmarks\n\nEach section names the command that produced it.\n"
    start = text.find(heading)
    if start < 0:
        text = text.rstrip() + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section.rstrip() + "\n" + ("\n" + text[end + 1:] if end >= 0 else "")
    path.write_text(text)
