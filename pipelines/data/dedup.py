"""Exact and near-duplicate removal spread over the cluster: no process holds the corpus.

Three steps on Ray Data, between the pass that parses and cleans the input and the pass that
tokenizes what is kept (`prepare.py`):

1. **Signatures**, in the parallel parse tasks: every cleaned document becomes one row (its
   id, exact key, LSH band keys, a 128-byte MinHash sketch, its source and its text), written
   to Parquet in a scratch folder beside the prepared data; the real pass reads the text back.
2. **Buckets**: each document's exact key and band keys become rows (key, id, kind), hash-
   shuffled on the key (Ray Data's hash shuffle: one block per partition; its aggregator actors
   hold their partitions' rows until the last input arrives) and sorted inside each partition; documents sharing a key give candidate edges (the
   bucket's smallest id to every member, and each member to the next).
3. **Resolve**, on the driver: the unique edges; near-duplicate edges confirmed on the sketches
   of their two ends (read back, in Arrow, for those documents only); connected components by
   min-label hooking and pointer jumping in NumPy; in each component the smallest id is kept.
   What the driver holds grows with the number of duplicate *candidates* (17 bytes an edge,
   ~200 bytes a candidate document), not the corpus; but on templated text most documents are
   candidates (65% of the benchmark corpus), so it grows with the corpus there (BENCHMARKS.md).

Ids are (file's position in the sorted input list, record's position in its file), so the kept
set is the same for the same corpus whatever the number of workers, partitions or nodes: the
first copy in input order survives, as it did with the old single dedup actor.
"""

from __future__ import annotations

import functools
import logging
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import ray

from cluster import storage
from pipelines.data.clean import MinHasher, exact_key_int, sketch_similarity
from pipelines.data.tally import MAX_EXAMPLES  # the report keeps no more; make no more

log = logging.getLogger(__name__)
EXACT, BAND = 0, 1  # kinds of bucket key: an exact-content key, or one LSH band of the signature


def doc_id(file_ordinal: int, record: int) -> int:
    """A document's stable id: its file's index in the sorted input list, then its record."""
    return (file_ordinal << 32) | record


@functools.lru_cache(maxsize=8)
def hasher(threshold: float, shingle_chars: int) -> MinHasher:
    """One MinHasher per process and setting (its permutations are drawn once)."""
    return MinHasher(threshold, shingle_chars)


def _lists(matrix: np.ndarray) -> pa.ListArray:
    """The rows of a 2-D array (n x width, width may be 0) as an Arrow list column."""
    n, width = matrix.shape
    return pa.ListArray.from_arrays(pa.array(np.arange(n + 1, dtype=np.int32) * width), pa.array(matrix.ravel()))


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
    """Step 2's input: one (key, id, kind) row per exact key and per band key of each document."""
    ids = table["id"].to_numpy()
    bands = table["bands"].combine_chunks()
    per_doc = pc.list_value_length(bands).to_numpy(zero_copy_only=False).astype(np.int64)
    band_keys = pc.list_flatten(bands).to_numpy(zero_copy_only=False).astype(np.int64)
    return {
        "key": np.concatenate([table["exact"].to_numpy(), band_keys]),
        "id": np.concatenate([ids, np.repeat(ids, per_doc)]),
        "kind": np.concatenate([np.full(len(ids), EXACT, np.int8), np.full(len(band_keys), BAND, np.int8)]),
    }


def bucket_edges(block: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Step 2 inside one hash partition (all rows of a key are in it): for every bucket of
    two or more documents, an edge from its smallest id to each member and from each member to
    the next (so a chain of near copies stays connected even where the first is less similar)."""
    key, ids, kind = (np.asarray(block[c]) for c in ("key", "id", "kind"))
    empty = {"a": np.empty(0, np.int64), "b": np.empty(0, np.int64), "exact": np.empty(0, bool)}
    if len(key) < 2:
        return empty
    order = np.lexsort((ids, key, kind))
    key, ids, kind = key[order], ids[order], kind[order]
    new = np.ones(len(key), dtype=bool)
    new[1:] = (key[1:] != key[:-1]) | (kind[1:] != kind[:-1])
    first = np.maximum.accumulate(np.where(new, np.arange(len(key)), 0))  # bucket start of each row
    member = ~new & (ids != ids[first])  # not the bucket's first, and not a second row of it
    to_first_a, to_first_b = ids[first][member], ids[member]
    chained = member & (np.roll(ids, 1) != ids[first])  # the previous row is not the first
    chain_a, chain_b = np.roll(ids, 1)[chained], ids[chained]
    exact = kind == EXACT
    return {
        "a": np.concatenate([to_first_a, chain_a]),
        "b": np.concatenate([to_first_b, chain_b]),
        "exact": np.concatenate([exact[member], exact[chained]]),
    }


def in_sorted(values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Which of `values` are in `ids` (sorted int64): a binary search, no set built per call."""
    values = np.asarray(values, dtype=np.int64)
    if not len(ids):
        return np.zeros(len(values), dtype=bool)
    return ids[np.minimum(np.searchsorted(ids, values), len(ids) - 1)] == values


def _select(table: pa.Table, *, ids: np.ndarray) -> pa.Table:
    """The rows of `table` whose id is in `ids` (sorted)."""
    return table.filter(pa.array(in_sorted(table["id"].to_numpy(), ids)))


def candidate_docs(table: pa.Table) -> dict[str, np.ndarray]:
    """Step 3's view of the candidate documents (id, sketch, source as Arrow): ids sorted, the
    sketches as one uint8 matrix (a row each), the sources as strings."""
    table = table.sort_by("id")
    n = table.num_rows
    sketch = pc.list_flatten(table["sketch"]).to_numpy(zero_copy_only=False).astype(np.uint8)
    return {"id": table["id"].to_numpy().astype(np.int64),
            "sketch": sketch.reshape(n, len(sketch) // n if n else 0),
            "source": np.asarray(table["source"].to_pylist(), dtype=object)}


@dataclass
class DedupResult:
    """What step 3 decided for one part: the ids to drop, counts per reason, a few examples."""

    drop: np.ndarray  # sorted int64 ids
    counts: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each of n nodes' component root, the smallest index in its component (indices into the
    sorted ids, so the root is the smallest id), by min-label hooking and pointer jumping over
    the edge arrays: NumPy all the way, no Python object per edge."""
    label = np.arange(n)
    while True:
        low = np.minimum(label[a], label[b])
        hooked = label.copy()
        np.minimum.at(hooked, a, low)
        np.minimum.at(hooked, b, low)
        hooked = hooked[hooked]  # a label is a node of the same component: jump to its label
        if np.array_equal(hooked, label):
            return label
        label = hooked


def _similar(sketch: np.ndarray, a: np.ndarray, b: np.ndarray, threshold: float, chunk: int = 1 << 16) -> np.ndarray:
    """Whether each candidate pair's sketches agree at `threshold`, a chunk of pairs at a time:
    the two gathered sketch matrices of a million pairs would be 128 MB each."""
    out = np.zeros(len(a), dtype=bool)
    for lo in range(0, len(a), chunk):
        out[lo:lo + chunk] = sketch_similarity(sketch[a[lo:lo + chunk]], sketch[b[lo:lo + chunk]]) >= threshold
    return out


def resolve(edges: dict[str, np.ndarray], docs: dict[str, np.ndarray], threshold: float) -> DedupResult:
    """Step 3: confirm near edges on the sketches, join components, keep each one's smallest id.
    `docs` (`candidate_docs`) holds id (sorted), sketch and source of every document an edge touches."""
    ids = docs["id"]
    a, b = np.searchsorted(ids, edges["a"]), np.searchsorted(ids, edges["b"])
    exact = edges["exact"].astype(bool)
    keep = exact.copy()
    near = ~exact
    if near.any():
        keep[near] = _similar(docs["sketch"], a[near], b[near], threshold)
    roots = _components(len(ids), a[keep], b[keep])
    dropped = np.flatnonzero(roots != np.arange(len(ids)))
    exact_twin = np.zeros(len(ids), dtype=bool)  # has an identical document with a smaller id
    exact_twin[b[exact]] = True
    result = DedupResult(drop=ids[dropped])
    for i in dropped.tolist():
        reason = "exact_duplicate" if exact_twin[i] else "near_duplicate"
        result.counts[f"duplicates:{reason}"] += 1
        if len(result.examples[reason]) < MAX_EXAMPLES:
            r = int(roots[i])
            detail = ""
            if reason == "near_duplicate":
                sim = sketch_similarity(docs["sketch"][i], docs["sketch"][r])
                detail = f", similarity {float(sim):.2f}"
            result.examples[reason].append(f"{docs['source'][i]} (duplicate of {docs['source'][r]}{detail})")
    return result


def _read_files(batch: dict[str, np.ndarray], *, columns: list[str]) -> pa.Table:
    tables = []
    for path in batch["path"]:
        fs, inner = storage.filesystem(str(path))
        tables.append(pq.read_table(inner, filesystem=fs, columns=columns))
    return pa.concat_tables(tables)


def read_scratch(signatures: str, columns: list[str], **ray_args) -> ray.data.Dataset:
    """Columns of the scratch Parquet, a block per file (one parse group's documents), read
    in a task that fuses with the stage after it. (`ray.data.read_parquet` packs many files
    into one block of up to 128 MB, whatever `override_num_blocks` says: an actor pool hands a
    whole block to one actor, so the other cores idle, and the block sits in memory whole.)"""
    files = [storage.join(signatures, n) for n in storage.list_files(signatures) if n.endswith(".parquet")]
    return ray.data.from_items([{"path": f} for f in files], override_num_blocks=max(1, len(files))).map_batches(
        _read_files, batch_size=None, batch_format="numpy", fn_kwargs={"columns": columns}, **ray_args)


def _gather(ds: ray.data.Dataset, columns: tuple[str, ...]) -> dict[str, np.ndarray]:
    out: dict[str, list] = {c: [] for c in columns}
    for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
        for c in columns:
            out[c].append(np.asarray(batch[c]))
    return {c: (np.concatenate(v) if v else np.empty(0)) for c, v in out.items()}


def _unique_edges(a: np.ndarray, b: np.ndarray, exact: np.ndarray) -> dict[str, np.ndarray]:
    """Each (a, b, exact) edge once (a pair meets in several bands): a sort, not a set."""
    order = np.lexsort((exact, b, a))
    a, b, exact = a[order], b[order], exact[order]
    new = np.ones(len(a), dtype=bool)
    new[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1]) | (exact[1:] != exact[:-1])
    return {"a": a[new], "b": b[new], "exact": exact[new]}


def find_duplicates(signatures: str, threshold: float, partitions: int) -> DedupResult:
    """Steps 2 and 3 over the signature Parquet that step 1 wrote to `signatures`."""
    if not storage.exists(signatures) or not storage.list_files(signatures):
        return DedupResult(drop=np.empty(0, np.int64))  # no document survived cleaning
    ctx = ray.data.DataContext.get_current()
    strategy = ctx.shuffle_strategy
    # A hash shuffle puts every row of a key into one partition, and each partition stays one
    # block (Ray Data does not split a shuffle's output blocks), which bucket_edges relies on.
    ctx.shuffle_strategy = ray.data.context.ShuffleStrategy.HASH_SHUFFLE
    try:
        keys = read_scratch(signatures, ["id", "exact", "bands"]).map_batches(
            key_rows, batch_format="pyarrow", batch_size=None)
        t0 = time.time()
        edges = _gather(
            keys.repartition(partitions, keys=["key"]).map_batches(bucket_edges, batch_format="numpy", batch_size=None),
            ("a", "b", "exact"),
        )
    finally:
        ctx.shuffle_strategy = strategy
    t1 = time.time()
    if len(edges["a"]) == 0:
        return DedupResult(drop=np.empty(0, np.int64))
    edges = _unique_edges(edges["a"].astype(np.int64), edges["b"].astype(np.int64), edges["exact"].astype(bool))
    touched = np.unique(np.concatenate([edges["a"], edges["b"]]))
    # In Arrow all the way: a sketch is 128 bytes, not a NumPy object per document.
    selected = read_scratch(signatures, ["id", "sketch", "source"]).map_batches(
        _select, batch_format="pyarrow", batch_size=None, fn_kwargs={"ids": touched})
    docs = candidate_docs(pa.concat_tables(list(selected.iter_batches(batch_size=None, batch_format="pyarrow"))))
    t2 = time.time()
    result = resolve(edges, docs, threshold)
    log.info("dedup: buckets %.1f s (%d edges), candidates read %.1f s (%d documents), resolve %.1f s",
             t1 - t0, len(edges["a"]), t2 - t1, len(docs["id"]), time.time() - t2)
    return result


def scratch_dir(out_root: str, part: str) -> str:
    """Where step 1 writes a part's signatures: beside the prepared parts, removed afterwards."""
    return storage.join(out_root, "_dedup", f"{part}-{uuid.uuid4().hex[:8]}")


def shuffle_partitions() -> int:
    """Two hash partitions per CPU of the cluster: enough to spread the buckets' work, few
    enough that each partition task has real work to do."""
    return max(2, 2 * int(ray.cluster_resources().get("CPU", 1)))
