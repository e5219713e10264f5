"""Benchmark: data preparation on Ray Data against a single-process loop doing the same work.

    .venv/bin/python bench/prepare.py --scale 100

Generates the sample corpus at `--scale` and at twice that (tens of MB), then for each size
runs read → parse → normalise → length filter → tokenize → pack into 256-token blocks → write
Parquet (a) in one process with a plain loop and (b) with our Ray Data pipeline (2 tokenizer
actors). Reports tokens/s and peak memory (PSS of every process involved) of each, the speed
ratio, and how peak memory changes when the corpus doubles. Deduplication is off in both (it
is a single-actor stage in our pipeline and would be the same work in both).

The loop and the Ray path run alternately `--repeats` times per size and the speed ratio is
the median of each pair's: this machine's speed drifts by a third within minutes, and a pair
run back to back shares the drift. Peak memory comes from one more run of each with the
sampler on (sampling Ray's processes costs CPU that would slow the timed runs).
"""

from __future__ import annotations

import argparse
import json
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
    from pipelines.data.prepare import Tally, part_pipeline

    recipe = recipe_from_dict({"data": {"corpus": [corpus], "block_size": BLOCK, "dedup": False,
                                        "tokenizer_actors": actors, "eval_fraction": 0.0}})
    tally = Tally.remote()
    part_pipeline(recipe, "domain", expand_inputs([corpus]), "pack", model_dir, tally).write_parquet(dest)
    counts = ray.get(tally.snapshot.remote())["domain"]["counts"]
    return {"tokens": counts.get("tokens", 0), "blocks": counts.get("blocks:train", 0) + counts.get("blocks:eval", 0)}


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
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus"), parser.add_argument("--model-dir"), parser.add_argument("--dest")
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
