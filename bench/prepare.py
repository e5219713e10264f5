"""Benchmark: data preparation on Ray Data against a single-process loop doing the same work.

    .venv/bin/python bench/prepare.py --scale 100

Generates the sample corpus at `--scale` and at twice that (tens of MB), then for each size
runs read → parse → normalise → length filter → tokenize → pack into 256-token blocks → write
Parquet (a) in one process with a plain loop and (b) with our Ray Data pipeline (2 tokenizer
actors). Reports tokens/s and peak memory (PSS of every process involved) of each, the speed
ratio, and how peak memory changes when the corpus doubles. Deduplication is off in both.

    .venv/bin/python bench/prepare.py --dedup --sizes 0.25,0.5,1

Deduplication's cost: one corpus generated at the largest size, with planted exact and near
copies of 5% of the documents each in every copy folder, prepared at each size (a prefix of the
copy folders) with dedup off, with the single dedup actor the pipeline had before, and with the
distributed dedup; MB/s per core of the whole preparation and peak memory (PSS of every process,
sampled in every run, so each pays the sampler's ~13% of a core alike).

The loop and the Ray path run alternately `--repeats` times per size and the speed ratio is
the median of each pair's: this machine's speed drifts by a third within minutes, and a pair
run back to back shares the drift. Peak memory comes from one more run of each with the
sampler on (sampling Ray's processes costs CPU that would slow the timed runs).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import PeakMemory, machine, mib  # noqa: E402

BLOCK = 256
MB_PER_SCALE = 0.15  # the sample generator's corpus grows ~15 MB per 100 of --scale


def generate(out: Path, scale: int) -> tuple[Path, int]:
    subprocess.run([sys.executable, "-m", "pipelines.samples.generate", "--out", str(out), "--seed", "7",
                    "--scale", str(scale)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    corpus = out / "corpus"
    size = sum(f.stat().st_size for f in corpus.rglob("*") if f.is_file())
    return corpus, size


def baseline(corpus: str, model_dir: str, dest: str) -> dict:
    """The same work in one process, batch by batch, streaming to one Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipelines.core.models import load_tokenizer
    from pipelines.core.sources import expand_inputs, parse_file
    from pipelines.data.clean import length_reason, normalize
    from pipelines.data.tokenize import Packer

    tok = load_tokenizer(model_dir)
    packer = Packer(BLOCK, tok.eos_token_id)
    tokens = blocks = 0
    writer = None
    pending: list[str] = []

    def flush() -> None:
        nonlocal tokens, blocks, writer
        ids = tok(pending, add_special_tokens=False)["input_ids"]
        tokens += sum(len(x) + 1 for x in ids)
        out = packer.add(ids)
        blocks += len(out)
        if out:
            table = pa.table({"input_ids": out, "labels": out})
            writer = writer or pq.ParquetWriter(dest, table.schema)
            writer.write_table(table)
        pending.clear()

    for path in expand_inputs([corpus]):
        for rec in parse_file(Path(path).read_bytes(), path):
            if rec["reason"]:
                continue
            text = normalize(rec["text"])
            if length_reason(text, 20, 200_000) is None:
                pending.append(text)
            if len(pending) >= 256:
                flush()
    if pending:
        flush()
    if writer:
        writer.close()
    return {"tokens": tokens, "blocks": blocks}


def ray_path(corpus: str, model_dir: str, dest: str, actors: int) -> dict:
    import ray

    from pipelines.core.config import recipe_from_dict
    from pipelines.core.sources import expand_inputs
    from pipelines.data.prepare import data_context, part_pipeline
    from pipelines.data.tally import Tally

    recipe = recipe_from_dict({"data": {"corpus": [corpus], "block_size": BLOCK, "dedup": False,
                                        "tokenizer_actors": actors, "eval_fraction": 0.0}})
    data_context(recipe)
    tally = Tally.remote()
    with part_pipeline(recipe, "domain", expand_inputs([corpus]), "pack", model_dir, tally) as ds:
        ds.write_parquet(dest)
    counts = ray.get(tally.snapshot.remote())["domain"]["counts"]
    return {"tokens": counts.get("tokens", 0), "blocks": counts.get("blocks:train", 0) + counts.get("blocks:eval", 0)}


# ---- --dedup: the whole preparation with deduplication off, single-actor, distributed -------------

DEDUP_MODES = ("off", "distributed", "single actor (before)", "single actor (new MinHash)")


class SingleActorDedup:
    """The dedup stage before the distributed one (main at 921c038): one actor sees every
    document and keeps every exact key and MinHash signature in memory. `before`: with the
    MinHash of then (shingles hashed one by one in Python, bench/dedup_before.py); otherwise
    with today's vectorised one (pipelines.data.clean.Deduplicator)."""

    def __init__(self, threshold: float, shingle_chars: int, before: bool) -> None:
        if before:
            from bench.dedup_before import Deduplicator
        else:
            from pipelines.data.clean import Deduplicator

        self.dedup = Deduplicator(threshold, shingle_chars)

    def __call__(self, batch: dict) -> dict:
        keep = [self.dedup.check(str(t)) is None for t in batch["text"]]
        return {c: [v for v, k in zip(batch[c], keep, strict=True) if k] for c in ("text", "source", "id")}


def single_actor_pipeline(recipe, files: list[str], model_dir: str, tally, before: bool):
    """Parse tasks -> one dedup actor -> tokenizer actors, as the pipeline was built before."""
    import ray

    from pipelines.data import prepare as p

    d = recipe.data
    ds = p._parsed(recipe, "domain", files, False, tally, 0.25)
    ds = ds.map_batches(SingleActorDedup, batch_size=256, compute=ray.data.ActorPoolStrategy(size=1), num_cpus=0.25,
                        fn_constructor_kwargs={"threshold": d.near_dup_threshold, "shingle_chars": d.shingle_chars,
                                               "before": before})
    return ds.map_batches(
        p.TokenizeStage, batch_size=256, compute=ray.data.ActorPoolStrategy(size=p._workers(recipe, files)),
        num_cpus=p.TOKENIZER_CPUS,
        fn_constructor_kwargs={"model_dir": model_dir, "model_name": recipe.model.name, "mode": "pack",
                               "part": "domain", "block_size": d.block_size, "max_seq_len": recipe.model.max_seq_len,
                               "min_tokens": d.min_tokens, "max_tokens": d.max_tokens, "eval_fraction": 0.0,
                               "tally": tally, "split_by": d.split_by})


def dedup_run(folders: list[str], model_dir: str, dest: Path, mode: str) -> dict:
    """One preparation of `folders` in `mode`; wall time, peak PSS, counts."""
    import ray

    from pipelines.core.config import recipe_from_dict
    from pipelines.core.sources import expand_inputs
    from pipelines.data.prepare import data_context, part_pipeline
    from pipelines.data.tally import Tally

    shutil.rmtree(dest, ignore_errors=True)
    recipe = recipe_from_dict({"run": {"name": "bench", "root": str(dest / "runs")},
                               "data": {"corpus": folders, "block_size": BLOCK, "dedup": mode != "off",
                                        "eval_fraction": 0.0}})
    data_context(recipe)
    tally = Tally.remote()
    with PeakMemory(include_ray=True) as mem:
        start = time.time()
        files = expand_inputs(folders)
        if mode.startswith("single actor"):
            single_actor_pipeline(recipe, files, model_dir, tally, before=mode.endswith("(before)")).write_parquet(
                str(dest / "out"))
        else:
            with part_pipeline(recipe, "domain", files, "pack", model_dir, tally) as ds:
                ds.write_parquet(str(dest / "out"))
        wall = time.time() - start
    counts = ray.get(tally.snapshot.remote())["domain"]["counts"]
    ray.kill(tally)
    return {"wall_s": wall, "peak_bytes": mem.peak, "documents_out": counts.get("documents_out", 0),
            "tokens": counts.get("tokens", 0),
            "duplicates": {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith("duplicates:")}}


def plant_in_copies(corpus: Path, share: float, seed: int = 7) -> int:
    """In every copy folder, exact copies (case/spacing changed) of `share` of its .md/.txt files
    and near copies (1-4 words edited) of another `share`, in a `zdup/` folder inside it, so any
    set of copy folders carries its own duplicates. Returns how many were written."""
    import random

    from pipelines.samples.planted import exact_copy, near_copy

    rng, n = random.Random(seed), 0
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir() and p.name.startswith("copy-")):
        docs = sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".txt"))
        picked = rng.sample(docs, int(len(docs) * 2 * share))
        (folder / "zdup").mkdir(exist_ok=True)
        for j, path in enumerate(picked):
            text = path.read_text(encoding="utf-8")
            copy = exact_copy(rng, text) if j % 2 == 0 else near_copy(rng, text, rng.randint(1, 4))
            (folder / "zdup" / f"{j:04d}{path.suffix}").write_text(copy, encoding="utf-8")
            n += 1
    return n


def dedup_main(args: argparse.Namespace, model_dir: str, work: Path) -> None:
    import ray

    sizes = [float(x) for x in args.sizes.split(",")]
    single_sizes = [float(x) for x in (args.single_sizes or args.sizes).split(",")]
    scale = math.ceil(max(sizes) * 1024 / MB_PER_SCALE) + 1
    t = time.time()
    if args.corpus and (Path(args.corpus) / "corpus").is_dir():  # a corpus generated (and planted) before
        corpus, planted = Path(args.corpus) / "corpus", 0
    else:
        corpus, _ = generate(Path(args.corpus or work / "big"), scale)
        planted = plant_in_copies(corpus, args.dup_share)
    copies = sorted(str(p) for p in corpus.iterdir() if p.is_dir() and p.name.startswith("copy-"))
    print(f"generated scale {scale} + {planted:,} planted duplicates in {time.time() - t:.0f} s", flush=True)
    rows = []
    for size in sizes:
        # Copy folders in order until the corpus reaches `size` GB.
        folders, total = [], 0
        for folder in copies:
            if total >= size * 2**30:
                break
            folders.append(folder)
            total += sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())
        for mode in args.modes.split(","):
            if mode.startswith("single actor") and args.single_sizes and size not in single_sizes:
                continue
            r = dedup_run(folders, model_dir, work / "out", mode)
            r.update(size=total, mode=mode)
            rows.append(r)
            print(json.dumps(r), flush=True)
    ray.shutdown()
    cores = os.cpu_count() or 1
    print(f"\nmachine: {machine()}")
    print("| corpus | dedup | documents out | duplicates removed | wall s | MB/s per core | speed vs single actor (before) | "
          "vs off (cost) | peak memory |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        same = {x["mode"]: x for x in rows if x["size"] == r["size"]}
        single = same.get("single actor (before)")
        vs_single = f"{single['wall_s'] / r['wall_s']:.2f}x" if single else "-"
        vs_off = f"{r['wall_s'] / same['off']['wall_s']:.2f}x" if "off" in same else "-"
        dups = ", ".join(f"{k} {v:,}" for k, v in sorted(r["duplicates"].items())) or "-"
        print(f"| {r['size'] / 2**30:.3g} GB | {r['mode']} | {r['documents_out']:,} | {dups} | {r['wall_s']:.0f} | "
              f"{r['size'] / 2**20 / r['wall_s'] / cores:.2f} | {vs_single} | {vs_off} | {mib(r['peak_bytes'])} |")
    for mode in args.modes.split(","):
        mine = [r for r in rows if r["mode"] == mode]
        for a, b in zip(mine, mine[1:], strict=False):
            print(f"{mode}: peak memory {b['size'] / a['size']:.2f}x corpus -> {b['peak_bytes'] / a['peak_bytes']:.2f}x")


def _child(args: argparse.Namespace) -> None:
    """Run the baseline in a fresh process (so its memory is measured alone) and print JSON."""
    start = time.time()
    result = baseline(args.corpus, args.model_dir, args.dest)
    result["wall_s"] = time.time() - start
    print(json.dumps(result))


class _NoSampler:
    peak = None

    def __enter__(self) -> _NoSampler:
        return self

    def __exit__(self, *exc) -> None:
        pass


def _memory(on: bool, **kwargs) -> PeakMemory | _NoSampler:
    """The sampler costs ~35 ms of CPU per sample across Ray's ~23 processes (13% of a core at
    4 samples/s), so timed runs go without it and memory is measured in runs of its own."""
    return PeakMemory(**kwargs) if on else _NoSampler()


def measure_baseline(corpus: Path, model_dir: str, work: Path, threads: bool, memory: bool = False) -> dict:
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "true" if threads else "false"}
    proc = subprocess.Popen([sys.executable, __file__, "--child", "--corpus", str(corpus), "--model-dir", model_dir,
                             "--dest", str(work / "baseline.parquet")], stdout=subprocess.PIPE, env=env, cwd=ROOT)
    with _memory(memory, include_ray=False, pid=proc.pid) as mem:
        out, _ = proc.communicate()
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_bytes"] = mem.peak
    return result


def measure_ray(corpus: Path, model_dir: str, work: Path, actors: int, memory: bool = False) -> dict:
    dest = work / "ray"
    shutil.rmtree(dest, ignore_errors=True)
    with _memory(memory, include_ray=True) as mem:
        start = time.time()
        result = ray_path(str(corpus), model_dir, str(dest), actors)
        result["wall_s"] = time.time() - start
    result["peak_bytes"] = mem.peak
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100, help="corpus scale (100 ≈ 19 MB); also run at 2x")
    parser.add_argument("--actors", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2, help="loop/Ray pairs per corpus size")
    parser.add_argument("--dedup", action="store_true",
                        help="the whole preparation with dedup off / single-actor / distributed at --sizes")
    parser.add_argument("--sizes", default="0.25,0.5,1", help="--dedup: corpus sizes in GB")
    parser.add_argument("--modes", default=",".join(DEDUP_MODES), help="--dedup: comma-separated, of: " + ", ".join(DEDUP_MODES))
    parser.add_argument("--single-sizes", default=None,
                        help="--dedup: run the single-actor baselines only at these of --sizes (they are slow; default all)")
    parser.add_argument("--dup-share", type=float, default=0.05,
                        help="--dedup: share of documents given an exact copy, and another given a near copy")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help="--dedup: keep the generated corpus in this folder and reuse it next time")
    parser.add_argument("--model-dir"), parser.add_argument("--dest")
    args = parser.parse_args()
    if args.child:
        return _child(args)

    import ray

    from cluster.runtime import init_ray
    from pipelines.core.models import resolve_model_dir

    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    model_dir = str(resolve_model_dir("smollm2-135m"))
    work = Path(tempfile.mkdtemp(prefix="df-bench-prepare-"))
    init_ray()
    ray.data.DataContext.get_current().enable_progress_bars = False
    if args.dedup:
        return dedup_main(args, model_dir, work)
    rows = []
    for scale in (args.scale, 2 * args.scale):
        corpus, size = generate(work / f"s{scale}", scale)
        base_t = measure_baseline(corpus, model_dir, work, threads=True)
        pairs = []
        for _ in range(args.repeats):
            base1 = measure_baseline(corpus, model_dir, work, threads=False)
            ours = measure_ray(corpus, model_dir, work, args.actors)
            assert abs(ours["tokens"] - base1["tokens"]) <= 0.001 * base1["tokens"], (ours, base1)
            pairs.append((base1, ours))
        memory = (measure_baseline(corpus, model_dir, work, threads=False, memory=True)["peak_bytes"],
                  measure_ray(corpus, model_dir, work, args.actors, memory=True)["peak_bytes"])
        rows.append((scale, size, pairs, base_t, memory))
    ray.shutdown()

    print(f"machine: {machine()}")
    print("| corpus | path | tokens | wall s (each run) | tokens/s (median) | peak memory | speed vs 1-thread loop |")
    print("|---|---|---|---|---|---|---|")
    for _scale, size, pairs, base_t, (loop_mem, ray_mem) in rows:
        loops, rays = [p[0] for p in pairs], [p[1] for p in pairs]
        ratio = statistics.median(b["wall_s"] / r["wall_s"] for b, r in pairs)
        pair_ratios = ", ".join(f"{b['wall_s'] / r['wall_s']:.2f}" for b, r in pairs)
        thread_ratio = statistics.median(b["wall_s"] / base_t["wall_s"] for b in loops)
        for name, runs, mem, speed in (
            ("plain loop, 1 thread", loops, mib(loop_mem), "1.00x"),
            ("plain loop, Rust tokenizer threads", [base_t], "-", f"{thread_ratio:.2f}x"),
            (f"Ray Data, {args.actors} tokenizer actors", rays, mib(ray_mem),
             f"**{ratio:.2f}x** (pairs: {pair_ratios})"),
        ):
            walls = ", ".join(f"{r['wall_s']:.1f}" for r in runs)
            tps = statistics.median(r["tokens"] / r["wall_s"] for r in runs)
            print(f"| {size / 2**20:.0f} MB | {name} | {runs[0]['tokens']:,} | {walls} | {tps:,.0f} | {mem} | {speed} |")
    (s1, _, _, _, (_, m1)), (s2, _, _, _, (_, m2)) = rows
    print(f"\nRay Data peak memory at {s2}x vs {s1}x corpus: {m2 / m1:.2f}x ({mib(m1)} -> {mib(m2)})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
