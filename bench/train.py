"""Benchmark: LoRA training throughput of our Ray Train path against plain HF Trainer + PEFT.

    .venv/bin/python bench/train.py --steps 30
    .venv/bin/python bench/train.py --steps 10 --dropout-vs 0.05   # LoRA dropout's cost only
    .venv/bin/python bench/train.py --steps 10 --loss-vs-stock     # the chunked loss against transformers'
    .venv/bin/python bench/train.py --steps 10 --teacher-cache     # distilled replay: kept teacher states or not
    .venv/bin/python bench/train.py --steps 10 --deepspeed zero2   # ZeRO-2 (or zero3) against DDP, 2 workers
    .venv/bin/python bench/train.py --steps 10 --qlora             # QLoRA (NF4 base) against LoRA, 1 worker

Same model (SmolLM2-135M), same LoRA (all-linear, r=32), same packed blocks (batch 8 × 256
tokens), same number of optimizer steps, the same precision (`train.precision: auto`: bf16
autocast only on CPUs with native bf16, else fp32). Reports tokens/s of each (optimizer steps
only, and end to end including Ray start-up), the ratio, and model FLOPs utilisation against
the matmul peak of that precision measured on this machine in the same run
(LoRA training ≈ 4·N FLOPs per token: forward 2N, backward through frozen weights 2N).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine  # noqa: E402


def matmul_peak(dtype: torch.dtype, n: int = 2048, repeats: int = 10) -> float:
    """Best FLOP/s of an n×n matmul in `dtype` on this CPU (all threads)."""
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    torch.matmul(a, b)
    best = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        torch.matmul(a, b)
        best = max(best, 2 * n**3 / (time.perf_counter() - start))
    return best


def prepared_recipe(work: Path, steps: int):
    from pipelines.core.config import recipe_from_dict

    return recipe_from_dict({
        "run": {"name": "bench", "root": str(work / "runs")},
        "model": {"name": "smollm2-135m", "max_seq_len": 256},
        "data": {"block_size": 256},
        "replay": {"ratio": 0.25, "mix_sft_into_dapt": False},
        "lora": {"r": 32, "alpha": 64, "dropout": 0.0},
        "train": {"max_steps": steps, "batch_size": 8, "lr": 3e-4, "eval_steps": 10_000, "save_steps": 10_000,
                  "logging_steps": 5, "warmup_ratio": 0.0},
        "scaling": {"num_workers": 1, "cpus_per_worker": os.cpu_count()},
        "registry": {"path": str(work / "registry")},
    })


def blocks_from_prepared(recipe, parts: tuple[str, ...] = ("domain", "replay")) -> list[list[int]]:
    import pyarrow.parquet as pq

    rows = []
    for part in parts:
        table = pq.read_table(recipe.run_dir() / "data" / part, columns=["input_ids"])
        rows += table.column("input_ids").to_pylist()
    return rows


def _bf16(recipe) -> bool:
    """The precision our path picks on this machine, so both sides do the same arithmetic."""
    from cluster.scaling import cpu_has_fast_bf16
    from pipelines.core.precision import resolve_bf16

    return resolve_bf16(recipe.train.precision, False, cpu_has_fast_bf16())


def baseline(recipe, model_dir: str, blocks: list[list[int]], chunked_loss: bool = False) -> dict:
    """Plain single-process HF Trainer + PEFT on an in-memory dataset of the same blocks (with
    transformers' own loss unless `chunked_loss`, which our training loop uses)."""
    from datasets import Dataset
    from peft import get_peft_model
    from transformers import Trainer, TrainingArguments, default_data_collator

    from pipelines.core.models import load_model
    from pipelines.train.loop import peft_config

    torch.manual_seed(0)
    model = get_peft_model(load_model(model_dir), peft_config(recipe.lora))
    if chunked_loss:
        from pipelines.train.loss import use_chunked_loss

        use_chunked_loss(model)
    ds = Dataset.from_dict({"input_ids": blocks, "labels": blocks})
    t = recipe.train
    args = TrainingArguments(output_dir=tempfile.mkdtemp(), max_steps=t.max_steps, per_device_train_batch_size=t.batch_size,
                             learning_rate=t.lr, bf16=_bf16(recipe), use_cpu=True, logging_steps=t.logging_steps,
                             save_strategy="no", report_to=[], disable_tqdm=True, dataloader_num_workers=0,
                             include_num_input_tokens_seen="non_padding")
    trainer = Trainer(model=model, args=args, train_dataset=ds, data_collator=default_data_collator)
    out = trainer.train()
    return {"tokens": trainer.state.num_input_tokens_seen, "train_runtime": out.metrics["train_runtime"]}


def paired(recipe, title: str, variants: dict[str, Callable[[], dict]], rounds: int = 2) -> None:
    """Run each variant of the baseline trainer in turn, `rounds` times, and print tokens/s of each
    round and the first variant's speed over the second's, round by round (this machine's speed
    drifts within the hour, so only ratios of neighbouring runs are compared)."""
    runs: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            r = run()
            runs[name].append(r["tokens"] / r["train_runtime"])
    print(f"machine: {machine()}; torch threads {torch.get_num_threads()}")
    print(f"{recipe.train.max_steps} steps of {recipe.train.batch_size} x 256 tokens, LoRA r={recipe.lora.r} "
          f"all-linear, {'bf16 autocast' if _bf16(recipe) else 'fp32'}; tokens/s per round:")
    for name, tps in runs.items():
        print(f"  {name}: " + ", ".join(f"{t:.0f}" for t in tps))
    first, second = runs.values()
    print(f"{title}: " + ", ".join(f"{a / b:.2f}x" for a, b in zip(first, second, strict=True)) + " (per round)")


def dropout_cost(recipe, model_dir: str, blocks: list[list[int]], dropout: float) -> None:
    """LoRA dropout 0 against `dropout`: PEFT draws a fresh mask over the input of every adapted
    layer each step, which on a CPU is a large share of a LoRA step (bernoulli_ + mul in a profile)."""
    def with_dropout(p: float) -> Callable[[], dict]:
        lora = recipe.lora.model_copy(update={"dropout": p})
        return lambda: baseline(recipe.model_copy(update={"lora": lora}), model_dir, blocks)

    paired(recipe, f"dropout 0 vs {dropout}", {"lora dropout 0.0": with_dropout(0.0),
                                                f"lora dropout {dropout}": with_dropout(dropout)})


def loss_cost(recipe, model_dir: str, blocks: list[list[int]]) -> None:
    """The chunked next-token loss (pipelines/train/loss.py) against transformers' own."""
    paired(recipe, "chunked vs stock loss", {
        "chunked loss": lambda: baseline(recipe, model_dir, blocks, chunked_loss=True),
        "transformers' loss": lambda: baseline(recipe, model_dir, blocks)})


def distilled_steps(recipe, model_dir: str, domain: list[list[int]], replay: list[list[int]], cache_mb: int) -> dict:
    """`steps` fwd+bwd steps of the pipeline's own model and trainer (`build_model`,
    `ray_trainer_class` with distillation) on batches of 4 blocks, one of them a distilled replay
    row. The 4 replay rows come back every 4 steps, as every replay row does in a DAPT epoch after
    the first; the first 4 steps (which fill the teacher's cache) are not timed."""
    import numpy as np
    from transformers import Trainer, TrainingArguments

    from pipelines.train.loop import build_model, pad_collate, ray_trainer_class

    bf16 = _bf16(recipe)
    model = build_model(recipe, model_dir, None, use_gpu=False, bf16=bf16)
    args = TrainingArguments(output_dir=tempfile.mkdtemp(), bf16=bf16, use_cpu=True, report_to=[], disable_tqdm=True)
    trainer = ray_trainer_class(Trainer, distill_replay=True, teacher_cache_mb=cache_mb)(model=model, args=args)

    def batch(step: int) -> dict:
        rows = [*domain[3 * step : 3 * step + 3], replay[step % 4]]
        ids = np.empty(4, dtype=object)
        ids[:] = [np.asarray(r) for r in rows]
        return pad_collate({"input_ids": ids, "labels": ids.copy(), "replay": np.array([0, 0, 0, 1], bool)}, 0)

    def step(n: int) -> None:  # the Trainer's forward and backward, without the optimizer
        with trainer.autocast_smart_context_manager():
            loss = trainer.compute_loss(model, batch(n))
        loss.backward()

    model.train()
    steps = recipe.train.max_steps
    for n in range(4):
        step(n)
    start = time.perf_counter()
    for n in range(4, 4 + steps):
        step(n)
    return {"tokens": 4 * 256 * steps, "train_runtime": time.perf_counter() - start}


def teacher_cost(recipe, model_dir: str) -> None:
    """Distilled replay with the teacher's hidden states kept (`replay.teacher_cache_mb`) against
    recomputed every step (0): the same steps, alternating."""
    domain, replay = blocks_from_prepared(recipe, ("domain",)), blocks_from_prepared(recipe, ("replay",))[:4]
    recipe = recipe.model_copy(update={"train": recipe.train.model_copy(update={"batch_size": 4})})
    paired(recipe, "teacher states kept vs recomputed", {
        "kept (1024 MB)": lambda: distilled_steps(recipe, model_dir, domain, replay, 1024),
        "recomputed (0)": lambda: distilled_steps(recipe, model_dir, domain, replay, 0)})


def ray_path(recipe, model_dir: str) -> dict:
    from pipelines.stages import dapt_stage

    start = time.time()
    result = dapt_stage(recipe)
    return {"tokens": result["train_tokens"], "train_runtime": result["train_runtime"], "wall_s": time.time() - start}


def scale_cost(recipe, choice: str) -> None:
    """Our Ray path with one switch flipped, the same steps: DeepSpeed ZeRO-2/3 against DDP on 2
    workers (`--deepspeed`), or QLoRA's 4-bit base against LoRA on one worker (`--qlora`).
    Reports tokens/s, each worker's peak resident memory, and the parameter and optimizer-state
    elements each rank held (pipelines/train/final.py)."""
    from pipelines.stages import dapt_stage

    def variant(**changes) -> object:
        out = recipe
        for section, values in changes.items():
            out = out.model_copy(update={section: getattr(out, section).model_copy(update=values)})
        return out

    if choice == "qlora":
        variants = {"LoRA, 1 worker": variant(lora={"qlora": False}), "QLoRA (NF4 base), 1 worker": variant(lora={"qlora": True})}
    else:
        two = {"num_workers": 2, "cpus_per_worker": max(1, (os.cpu_count() or 2) // 2)}
        variants = {"DDP, 2 workers": variant(scaling={**two, "deepspeed": "none"}),
                    f"DeepSpeed {choice.upper()}, 2 workers": variant(scaling={**two, "deepspeed": choice})}
    rows = []
    for name, r in variants.items():
        result = dapt_stage(r)
        workers = json.loads((r.run_dir() / "train_dapt.json").read_text())["workers"]
        rows.append((name, result["train_tokens"] / result["train_runtime"], workers))
    precision = "bf16" if _bf16(recipe) else "fp32"
    print(f"machine: {machine()}; {recipe.train.max_steps} steps of {recipe.train.batch_size} x 256 tokens per worker, "
          f"LoRA r={recipe.lora.r} all-linear, {precision}")
    print("| path | tokens/s | ratio | peak RSS per worker (MiB) | parameters held per rank | optimizer elements per rank |")
    print("|---|---|---|---|---|---|")
    for name, tps, workers in rows:
        rss = ", ".join(f"{w['peak_rss_mb']:.0f}" for w in workers)
        params = ", ".join(f"{w['params_local'] / 1e6:.1f}M of {w['params_total'] / 1e6:.1f}M" for w in workers)
        optim = ", ".join(f"{w['optimizer_local'] / 1e6:.2f}M of {w['trainable_total'] / 1e6:.2f}M" for w in workers)
        print(f"| {name} | {tps:.0f} | {tps / rows[0][1]:.2f}x | {rss} | {params} | {optim} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--dropout-vs", type=float, default=None,
                        help="only compare LoRA dropout 0 against this value (baseline trainer, alternating)")
    parser.add_argument("--loss-vs-stock", action="store_true",
                        help="only compare the chunked loss against transformers' (baseline trainer, alternating)")
    parser.add_argument("--teacher-cache", action="store_true",
                        help="only compare distilled replay with the teacher's states kept against recomputed")
    parser.add_argument("--deepspeed", choices=["zero2", "zero3"], default=None,
                        help="only compare our path under this DeepSpeed ZeRO stage against DDP (2 workers)")
    parser.add_argument("--qlora", action="store_true", help="only compare QLoRA's 4-bit base against LoRA (1 worker)")
    args = parser.parse_args()

    from pipelines.core.models import resolve_model_dir
    from pipelines.stages import prepare_stage

    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    work = Path(tempfile.mkdtemp(prefix="df-bench-train-"))
    recipe = prepared_recipe(work, args.steps)
    model_dir = str(resolve_model_dir(recipe.model.name))
    prepare_stage(recipe)
    blocks = blocks_from_prepared(recipe)
    if args.dropout_vs is not None:
        dropout_cost(recipe, model_dir, blocks, args.dropout_vs)
        return
    if args.loss_vs_stock:
        loss_cost(recipe, model_dir, blocks)
        return
    if args.teacher_cache:
        teacher_cost(recipe, model_dir)
        return
    if args.deepspeed or args.qlora:
        scale_cost(recipe, args.deepspeed or "qlora")
        return

    peak_bf16 = matmul_peak(torch.bfloat16)
    peak_fp32 = matmul_peak(torch.float32)
    base = baseline(recipe, model_dir, blocks)
    ours = ray_path(recipe, model_dir)

    from transformers import AutoConfig

    from pipelines.core.models import load_model

    n_params = sum(p.numel() for p in load_model(model_dir).parameters())
    flops_per_token = 4 * n_params
    bf16 = _bf16(recipe)
    peak = peak_bf16 if bf16 else peak_fp32  # MFU against the peak of the arithmetic actually used
    rows = []
    for name, r in (("HF Trainer + PEFT, 1 process", base), ("domainforge on Ray Train, 1 worker", ours)):
        tps = r["tokens"] / r["train_runtime"]
        rows.append((name, r, tps, tps * flops_per_token / peak))
    print(f"machine: {machine()}; torch threads {torch.get_num_threads()}")
    print(f"model: {AutoConfig.from_pretrained(model_dir).model_type}, {n_params / 1e6:.1f}M parameters; "
          f"{args.steps} steps of 8 x 256 tokens, LoRA r=32 all-linear, {'bf16 autocast' if bf16 else 'fp32'}")
    print(f"measured matmul peak: bf16 {peak_bf16 / 1e9:.1f} GFLOP/s, fp32 {peak_fp32 / 1e9:.1f} GFLOP/s")
    print(f"| path | tokens | train s | tokens/s | MFU vs {'bf16' if bf16 else 'fp32'} peak | ratio |")
    print("|---|---|---|---|---|---|")
    ref = rows[0][2]
    for name, r, tps, mfu in rows:
        print(f"| {name} | {r['tokens']:,.0f} | {r['train_runtime']:.1f} | {tps:.0f} | {mfu:.0%} | {tps / ref:.2f}x |")
    print(f"Ray path end to end (Ray start, data materialisation, worker start, training, registration): "
          f"{ours['wall_s']:.0f} s")
    print(json.dumps({"baseline": base, "ray": ours, "peak_bf16": peak_bf16, "peak_fp32": peak_fp32}))


if __name__ == "__main__":
    main()
