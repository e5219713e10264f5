"""Exact and near-duplicate removal spread over the cluster: no process holds the corpus.

Four steps on Ray Data, between the pass that parses and cleans the input and the pass that
tokenizes what is kept (`prepare.py`), with a shuffle through storage between them:

1. **Signatures**, in the parallel parse tasks: every cleaned document becomes one row (its
   id, exact key, LSH band keys, a 128-byte MinHash sketch, its source and its text), written
   to Parquet in a scratch folder beside the prepared data; the real pass reads the text back.
2. **Scatter**, a task per group of scratch files (~`DOCS_PER_SCATTER` documents): each
   document's exact key and band keys become rows (key, id, kind) written to the key's
   partition, and its sketch to its id's partition (`<scratch>/shuffle/keys/pNNNNN/`,
   `<scratch>/shuffle/sketches/pNNNNN/`; `pipelines.data.shuffle`).
3. **Buckets**, a task per key partition (all rows of a key are in it): documents sharing a key
   give candidate edges (the bucket's smallest id to every member, and each member to the
   next; `pipelines.data.edges`). Exact-key edges are duplicates already and go to the
   driver; near edges go to the partition of their first document's id.
4. **Confirm**, two joins on the id partitions: each near edge picks up its first document's
   sketch, moves to its second document's partition and is kept when the two sketches agree
   at the threshold.

The driver gets the confirmed edges only (~2 per duplicate), joins them into connected
components and keeps each component's smallest id; it reads the few documents the report's
examples name back from the scratch files whose footers say they hold them. Partitions hold
about `DOCS_PER_PARTITION` documents' rows each (and there are at least two per CPU), so what a
task holds does not grow with the corpus; storage holds the rest, and the shuffle's files are
removed as soon as the duplicates are known. What still grows in one task: a bucket key shared
by very many documents (one template in thousands of files), whose rows and edges sit in one
partition. (Ray Data's hash shuffle was used here before: its aggregator actors hold every row
of their partitions until the last input arrives, and the driver held every candidate's
sketch; peak memory grew 1.5x when the corpus doubled: BENCHMARKS.md.)

Ids are (file's position in the sorted input list, record's position in its file), so the kept
set is the same for the same corpus whatever the number of workers, partitions or nodes: the
first copy in input order survives, as it did with the old single dedup actor. The files a
task writes are named after its input, so a retried task overwrites what it wrote before.
"""

from __future__ import annotations

import functools
import logging
import math
import posixpath
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import ray

from cluster import storage
from pipelines.data.clean import MinHasher, exact_key_int, sketch_similarity
from pipelines.data.edges import (
    BAND,
    EXACT,
    Clusters,
    bucket_edges,
    id_partition,
    in_sorted,
    key_partition,
    similar,
    unique_edges,
)
from pipelines.data.shuffle import over_partitions, per_file, read_partition, write_partitioned
from pipelines.data.tally import MAX_EXAMPLES  # the report keeps no more; make no more

log = logging.getLogger(__name__)
# Documents whose rows one partition holds: ~1.7 M key rows (29 MB) at 16 bands, and a bucket
# task's sort of them peaks near 150 MB; the sketches and near edges of a partition are smaller.
DOCS_PER_PARTITION = 100_000
# Documents a scatter task reads: it writes one file per partition for all of them, so fewer,
# larger tasks leave fewer files for a partition's reader to open (~7 MB of key rows a task).
DOCS_PER_SCATTER = 25_000


def doc_id(file_ordinal: int, record: int) -> int:
    """A document's stable id: its file's index in the sorted input list, then its record."""
    return (file_ordinal << 32) | record


@functools.lru_cache(maxsize=8)
def hasher(threshold: float, shingle_chars: int) -> MinHasher:
    """One MinHasher per process and setting (its permutations are drawn once)."""
    return MinHasher(threshold, shingle_chars)


def _lists(matrix: np.ndarray) -> pa.LargeListArray:
    """The rows of a 2-D array (n x width, width may be 0) as an Arrow list column (64-bit
    offsets: a partition's 128-byte sketches pass 2 GB at 16.7 M rows)."""
    n, width = matrix.shape
    return pa.LargeListArray.from_arrays(pa.array(np.arange(n + 1, dtype=np.int64) * width), pa.array(matrix.ravel()))


def _matrix(column: pa.ChunkedArray | pa.Array, n: int) -> np.ndarray:
    """An Arrow column of equal-length uint8 lists as an n x width matrix."""
    flat = pc.list_flatten(column).to_numpy(zero_copy_only=False).astype(np.uint8)
    return flat.reshape(n, len(flat) // n if n else 0)


def signature_batch(batch: dict[str, np.ndarray], *, threshold: float, shingle_chars: int) -> pa.Table:
    """Step 1 for a batch of cleaned documents, vectorised over the batch. With `threshold` 1.0
    only exact keys are made (SFT pairs: two different questions with one answer are not
    duplicates); `bands` and `sketch` are then empty lists. The row carries the text too, for
    the pass that tokenizes the documents kept (the other steps read only their columns)."""
    texts = [str(t) for t in batch["text"]]
    exact = np.fromiter((exact_key_int(t) for t in texts), dtype=np.int64, count=len(texts))
    if threshold < 1.0 and texts:
        near = hasher(threshold, shingle_chars)
        sigs = near.signatures(texts)
        bands, sketch = near.band_keys(sigs), near.sketch(sigs)
    else:
        bands, sketch = np.empty((len(texts), 0), np.int64), np.empty((len(texts), 0), np.uint8)
    return pa.table({
        "id": pa.array(np.asarray(batch["id"], dtype=np.int64)),
        "exact": pa.array(exact),
        "bands": _lists(bands),
        "sketch": _lists(sketch),
        "source": pa.array([str(x) for x in batch["source"]], pa.string()),
        "text": pa.array(texts, pa.string()),
    })


def key_rows(table: pa.Table) -> dict[str, np.ndarray]:
    """Step 2's rows: one (key, id, kind) row per exact key and per band key of each document."""
    ids = table["id"].to_numpy()
    bands = table["bands"].combine_chunks()
    per_doc = pc.list_value_length(bands).to_numpy(zero_copy_only=False).astype(np.int64)
    band_keys = pc.list_flatten(bands).to_numpy(zero_copy_only=False).astype(np.int64)
    return {
        "key": np.concatenate([table["exact"].to_numpy(), band_keys]),
        "id": np.concatenate([ids, np.repeat(ids, per_doc)]),
        "kind": np.concatenate([np.full(len(ids), EXACT, np.int8), np.full(len(band_keys), BAND, np.int8)]),
    }


@dataclass
class DedupResult:
    """What the steps decided for one part: the ids to drop, counts per reason, a few examples."""

    drop: np.ndarray  # sorted int64 ids
    counts: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


# --- steps 2 to 4 ------------------------------------------------------------


def _scatter(batch: dict[str, np.ndarray], *, root: str, parts: int, near: bool) -> dict[str, np.ndarray]:
    """Step 2 for a group of scratch files: key rows to the keys' partitions, sketches to the
    ids'; one file per partition for the group, named after its first file (the groups are
    fixed slices of the sorted file list, so a retry writes the same names)."""
    paths = [str(p) for p in batch["path"]]
    table = _read_files(batch, columns=["id", "exact", "bands", "sketch"] if near else ["id", "exact", "bands"])
    name = posixpath.basename(storage.filesystem(paths[0])[1])
    keys = key_rows(table)
    write_partitioned(pa.table(keys), key_partition(keys["key"], parts), parts, storage.join(root, "keys"), name)
    if near:
        ids = table["id"].to_numpy()
        write_partitioned(table.select(["id", "sketch"]), id_partition(ids, parts), parts,
                          storage.join(root, "sketches"), name)
    return {"files": np.array([len(paths)])}


def _edges_table(edges: dict[str, np.ndarray]) -> pa.Table:
    return pa.table({"a": pa.array(edges["a"], pa.int64()), "b": pa.array(edges["b"], pa.int64()),
                     "exact": pa.array(edges["exact"], pa.bool_())})


def _all_edges(tables: list[pa.Table]) -> pa.Table:
    """The edge tables as one (an empty one with the edge schema when there are none)."""
    return pa.concat_tables(tables) if tables else _edges_table({"a": [], "b": [], "exact": []})


def _buckets(batch: dict[str, np.ndarray], *, root: str, parts: int) -> pa.Table:
    """Step 3 for some key partitions: the exact edges come back; near edges go on to the
    partition of their first document."""
    out = []
    for p in batch["p"].tolist():
        keys = read_partition(storage.join(root, "keys"), p)
        if keys is None:
            continue
        found = bucket_edges({c: keys[c].to_numpy() for c in ("key", "id", "kind")})
        edges = unique_edges(found["a"], found["b"], found["exact"])
        exact = edges["exact"]
        out.append(_edges_table({c: v[exact] for c, v in edges.items()}))
        near = pa.table({"a": edges["a"][~exact], "b": edges["b"][~exact]})
        write_partitioned(near, id_partition(near["a"].to_numpy(), parts), parts, storage.join(root, "near_a"),
                           f"from-p{p:05d}.parquet")
    return _all_edges(out)


def _sketches_of(root: str, p: int, ids: np.ndarray) -> np.ndarray:
    """The sketches (a row each) of `ids`, all in id partition p. (Sorting the ids, not the
    table: Arrow's sort of a list column of many chunks peaks at several times its size.)"""
    table = read_partition(storage.join(root, "sketches"), p)
    known = np.empty(0, np.int64) if table is None else table["id"].to_numpy()
    order = np.argsort(known)
    at = order[np.minimum(np.searchsorted(known[order], ids), max(0, len(known) - 1))] if len(known) else None
    if at is None or (known[at] != ids).any():
        raise RuntimeError(f"dedup: sketches missing from shuffle partition {p} of {root}: was the scratch folder "
                           "changed while the duplicates were being found?")
    return _matrix(table["sketch"], table.num_rows)[at]


def _attach_first(batch: dict[str, np.ndarray], *, root: str, parts: int) -> dict[str, np.ndarray]:
    """Step 4's first join, for some id partitions: each near edge whose first document is
    here picks up that document's sketch and moves to its second document's partition."""
    for p in batch["p"].tolist():
        edges = read_partition(storage.join(root, "near_a"), p)
        if edges is None:
            continue
        # A near pair shares most of its 16 bands, each of which may sit in another key
        # partition: the copies of an edge meet here (same first document) and go on once.
        once = unique_edges(edges["a"].to_numpy(), edges["b"].to_numpy(), np.zeros(edges.num_rows, bool))
        part = id_partition(once["b"], parts)
        order = np.argsort(part, kind="stable")  # in partition order before the sketches join
        a, b = once["a"][order], once["b"][order]
        moved = pa.table({"a": a, "b": b, "sketch_a": _lists(_sketches_of(root, p, a))})
        write_partitioned(moved, part[order], parts, storage.join(root, "near_b"), f"from-p{p:05d}.parquet")
    return {"partitions": np.array([len(batch["p"])])}


def _confirm(batch: dict[str, np.ndarray], *, root: str, threshold: float) -> pa.Table:
    """Step 4's second join, for some id partitions: the near edges whose second document is
    here, kept where the two sketches agree at `threshold`."""
    out = []
    for p in batch["p"].tolist():
        edges = read_partition(storage.join(root, "near_b"), p)
        if edges is None:
            continue
        b = edges["b"].to_numpy()
        keep = similar(_matrix(edges["sketch_a"], edges.num_rows), _sketches_of(root, p, b), threshold)
        out.append(_edges_table({"a": edges["a"].to_numpy()[keep], "b": b[keep], "exact": np.zeros(keep.sum(), bool)}))
    return _all_edges(out)


def _gather(ds: ray.data.Dataset) -> dict[str, np.ndarray]:
    table = _all_edges(list(ds.iter_batches(batch_size=None, batch_format="pyarrow")))
    return {"a": table["a"].to_numpy().astype(np.int64), "b": table["b"].to_numpy().astype(np.int64),
            "exact": table["exact"].to_numpy(zero_copy_only=False).astype(bool)}


# --- reading the scratch Parquet ---------------------------------------------------------

def _select(table: pa.Table, *, ids: np.ndarray) -> pa.Table:
    """The rows of `table` whose id is in `ids` (sorted)."""
    return table.filter(pa.array(in_sorted(table["id"].to_numpy(), ids)))


def _read_files(batch: dict[str, np.ndarray], *, columns: list[str]) -> pa.Table:
    tables = []
    for path in batch["path"]:
        fs, inner = storage.filesystem(str(path))
        tables.append(pq.read_table(inner, filesystem=fs, columns=columns))
    return pa.concat_tables(tables)


def scratch_files(signatures: str) -> list[str]:
    """The scratch Parquet files step 1 wrote (one per parse group)."""
    return [storage.join(signatures, n) for n in storage.list_files(signatures) if n.endswith(".parquet")]


def read_scratch(signatures: str, columns: list[str], **ray_args) -> ray.data.Dataset:
    """Columns of the scratch Parquet, a block per file (one parse group's documents), read
    in a task that fuses with the stage after it. (`ray.data.read_parquet` packs many files
    into one block of up to 128 MB, whatever `override_num_blocks` says: an actor pool hands a
    whole block to one actor, so the other cores idle, and the block sits in memory whole.)"""
    return per_file(scratch_files(signatures), _read_files, fn_kwargs={"columns": columns}, **ray_args)


@dataclass
class Footer:
    """What a scratch file's footer says: its documents, and the range of their ids."""

    path: str
    rows: int
    low: int
    high: int


def _footer(path: str) -> Footer:
    fs, inner = storage.filesystem(path)
    with fs.open_input_file(inner) as f:
        meta = pq.ParquetFile(f).metadata
    low, high = [], []
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        stats = next(group.column(c).statistics for c in range(group.num_columns)
                     if group.column(c).path_in_schema == "id")
        if group.num_rows and stats is not None and stats.has_min_max:
            low.append(stats.min)
            high.append(stats.max)
    return Footer(path, meta.num_rows, min(low, default=0), max(high, default=-1))


def footers(files: list[str]) -> list[Footer]:
    """The footers of the scratch files (no data read): how many documents, which ids. Read
    16 at a time: on an object store each is a request or two."""
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(_footer, files))


def partitions_for(documents: int, cpus: int) -> int:
    """Partitions of the shuffle: about `DOCS_PER_PARTITION` documents' rows each (so a task's
    memory does not grow with the corpus), and at least two per CPU of the cluster."""
    return max(2 * cpus, math.ceil(documents / DOCS_PER_PARTITION))


# --- the driver --------------------------------------------------------------------------

def _read_ids(found: list[Footer], ids: np.ndarray, columns: list[str]) -> pa.Table:
    """Columns of the documents `ids` (sorted), read on the driver from the scratch files whose
    id range holds one of them (the rest are not opened)."""
    tables = []
    for f in found:
        lo, hi = np.searchsorted(ids, [f.low, f.high + 1])
        if hi > lo:
            fs, inner = storage.filesystem(f.path)
            tables.append(_select(pq.read_table(inner, filesystem=fs, columns=columns), ids=ids[lo:hi]))
    return pa.concat_tables(tables).sort_by("id")


def _report(clusters: Clusters, found: list[Footer]) -> DedupResult:
    """Counts per reason, and a few examples each with the sources (read back for them only)."""
    dropped = clusters.dropped()
    result = DedupResult(drop=clusters.ids[dropped])
    reasons = np.where(clusters.exact_twin[dropped], "exact_duplicate", "near_duplicate")
    for reason, n in zip(*np.unique(reasons, return_counts=True), strict=True):
        result.counts[f"duplicates:{reason}"] = int(n)
    shown = np.concatenate([dropped[reasons == r][:MAX_EXAMPLES] for r in ("exact_duplicate", "near_duplicate")])
    if not len(shown):
        return result
    pairs = [(int(clusters.ids[i]), int(clusters.ids[clusters.roots[i]])) for i in shown.tolist()]
    docs = _read_ids(found, np.unique(np.array(pairs, dtype=np.int64).ravel()), ["id", "sketch", "source"])
    ids, sources = docs["id"].to_numpy(), docs["source"].to_pylist()
    sketch = _matrix(docs["sketch"], docs.num_rows)
    for i, (dup, root) in zip(shown.tolist(), pairs, strict=True):
        d, r = np.searchsorted(ids, dup), np.searchsorted(ids, root)
        reason = "exact_duplicate" if clusters.exact_twin[i] else "near_duplicate"
        detail = f", similarity {float(sketch_similarity(sketch[d], sketch[r])):.2f}" if reason == "near_duplicate" else ""
        result.examples[reason].append(f"{sources[d]} (duplicate of {sources[r]}{detail})")
    return result


def find_duplicates(signatures: str, threshold: float) -> DedupResult:
    """Steps 2 to 4 over the signature Parquet that step 1 wrote to `signatures`, then the
    components and the report on the driver. The shuffle's files are removed at the end."""
    files = scratch_files(signatures)
    if not files:
        return DedupResult(drop=np.empty(0, np.int64))  # no document survived cleaning
    near = threshold < 1.0
    found = footers(files)
    documents = sum(f.rows for f in found)
    parts = partitions_for(documents, int(ray.cluster_resources().get("CPU", 1)))
    per_task = max(1, DOCS_PER_SCATTER * len(files) // max(1, documents))
    root = storage.join(signatures, "shuffle")
    try:
        t0 = time.time()
        per_file(files, _scatter, files_per_task=per_task,
                 fn_kwargs={"root": root, "parts": parts, "near": near}).materialize()
        t1 = time.time()
        edges = _gather(over_partitions(parts, _buckets, root=root, parts=parts))
        exact = len(edges["a"])
        t2 = time.time()
        if near and storage.exists(storage.join(root, "near_a")):
            over_partitions(parts, _attach_first, root=root, parts=parts).materialize()
            confirmed = _gather(over_partitions(parts, _confirm, root=root, threshold=threshold))
            edges = {c: np.concatenate([edges[c], confirmed[c]]) for c in edges}
    finally:
        storage.remove_tree(root)
    t3 = time.time()
    if not len(edges["a"]):
        return DedupResult(drop=np.empty(0, np.int64))
    result = _report(Clusters.of(edges), found)
    log.info("dedup: %d partitions; scatter %.1f s, buckets %.1f s (%d exact edges), confirm %.1f s (%d near "
             "edges), resolve and report %.1f s", parts, t1 - t0, t2 - t1, exact, t3 - t2, len(edges["a"]) - exact,
             time.time() - t3)
    return result


def scratch_dir(out_root: str, part: str) -> str:
    """Where step 1 writes a part's signatures: beside the prepared parts, removed afterwards."""
    return storage.join(out_root, "_dedup", f"{part}-{uuid.uuid4().hex[:8]}")
