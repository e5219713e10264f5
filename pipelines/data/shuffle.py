"""A shuffle through storage: rows written to numbered partition folders, then a task per
partition reads its folder back. What a task holds is one input or one partition, whatever
the size of the whole; the rest waits on disk (or `s3://`, `gs://`: any `run.storage`).

Ray Data's own hash shuffle keeps each partition's rows in aggregator actors' memory until
the last input block arrives, so its memory grows with the data shuffled; the dedup steps
(`pipelines.data.dedup`) shuffle tens of rows per document and use this instead.

Layout: `<folder>/pNNNNN/<name>.parquet`, a file per writing task and partition, named after
the task's input, so a retried task overwrites its own files rather than adding rows twice.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import ray

from cluster import storage


def write_partitioned(table: pa.Table, part: np.ndarray, parts: int, folder: str, name: str) -> None:
    """The rows of `table` into `folder/pNNNNN/name`, row i to partition part[i] (none where empty)."""
    if not table.num_rows:
        return
    fs, inner = storage.filesystem(folder)
    if (np.diff(part) < 0).any():  # callers with wide rows sort them first, in NumPy
        order = np.argsort(part, kind="stable")
        table, part = table.take(pa.array(order)), part[order]
    bounds = np.searchsorted(part, np.arange(parts + 1))
    for p in np.flatnonzero(np.diff(bounds)).tolist():
        where = f"{inner}/p{p:05d}"
        if storage.scheme(folder) in ("", "file"):  # object stores have no folders to make
            fs.create_dir(where, recursive=True)
        pq.write_table(table.slice(bounds[p], bounds[p + 1] - bounds[p]), f"{where}/{name}", filesystem=fs)


def read_partition(folder: str, p: int) -> pa.Table | None:
    """Everything written to partition p of `folder`, or None."""
    where = storage.join(folder, f"p{p:05d}")
    fs, inner = storage.filesystem(where)
    tables = [pq.read_table(f"{inner}/{n}", filesystem=fs) for n in storage.list_files(where)]
    return pa.concat_tables(tables) if tables else None


def over_partitions(count: int, fn: Callable, **fn_kwargs) -> ray.data.Dataset:
    """A task per partition number, 0 to count - 1 (`fn` gets a batch with its `p`); Ray Data
    runs as many at once as there are CPUs."""
    return ray.data.from_items([{"p": p} for p in range(count)], override_num_blocks=count).map_batches(
        fn, batch_size=None, batch_format="numpy", fn_kwargs=fn_kwargs)


def per_file(files: list[str], fn: Callable, *, files_per_task: int = 1, **ray_args) -> ray.data.Dataset:
    """A task per file, or per `files_per_task` files (`fn` gets a batch with their `path`s),
    fusing with the stage after it."""
    tasks = max(1, -(-len(files) // files_per_task))
    return ray.data.from_items([{"path": f} for f in files], override_num_blocks=tasks).map_batches(
        fn, batch_size=None, batch_format="numpy", **ray_args)
