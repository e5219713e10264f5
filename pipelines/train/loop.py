"""The one training loop, run on every Ray Train worker for DAPT, SFT and CFT.

It is the Hugging Face `Trainer` loop (TRL's `KTOTrainer`, a subclass, for KTO), so all
stages share one well-tested implementation of mixed precision, gradient accumulation and
clipping, warmup + cosine schedule, eval loss, DeepSpeed ZeRO and checkpoint/resume; what
is ours is around it: model + LoRA setup, Ray Data shards as input, Ray checkpoints, and the
final adapter report. Stages differ only in their data and `objective` ("lm" or "kto").

Driver side: `pipelines.train.launch.train_stage`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, IterableDataset

from pipelines.core.chat import IGNORE
from pipelines.core.config import LoraConfig as LoraSection
from pipelines.core.config import Recipe, TrainConfig
from pipelines.data.mixture import REPLAY_FLAG
from pipelines.train.final import report_final
from pipelines.train.job import JOB_KEY, WorkerJob
from pipelines.train.loss import lm_loss_distilling_rows, use_chunked_loss
from pipelines.train.teacher import PARENT_ADAPTER, ReplayTeacher

log = logging.getLogger("domainforge.train")


# ---- data ------------------------------------------------------------------------------------


def pad_collate(batch: dict[str, np.ndarray], pad_id: int) -> dict[str, torch.Tensor]:
    """Right-pad variable-length rows; padding gets label -100 and attention 0. The replay flag,
    where the rows carry one, comes along as a bool tensor."""
    ids, labels = list(batch["input_ids"]), list(batch["labels"])
    width = max(len(x) for x in ids)
    input_ids = torch.full((len(ids), width), pad_id, dtype=torch.long)
    label_t = torch.full((len(ids), width), IGNORE, dtype=torch.long)
    attention = torch.zeros((len(ids), width), dtype=torch.long)
    for i, (x, y) in enumerate(zip(ids, labels, strict=True)):
        # np.array copies: rows straight from Ray Data are read-only arrays, which torch warns about.
        input_ids[i, : len(x)] = torch.from_numpy(np.array(x, dtype=np.int64))
        label_t[i, : len(y)] = torch.from_numpy(np.array(y, dtype=np.int64))
        attention[i, : len(x)] = 1
    out = {"input_ids": input_ids, "labels": label_t, "attention_mask": attention}
    if REPLAY_FLAG in batch:
        out[REPLAY_FLAG] = torch.as_tensor(np.asarray(batch[REPLAY_FLAG], dtype=bool))
    return out


def _pad_collate_class():
    from ray.data.collate_fn import NumpyBatchCollateFn

    class PadCollate(NumpyBatchCollateFn):
        """`pad_collate` in the form Ray Data's iterator expects."""

        def __init__(self, pad_id: int):
            self.pad_id = pad_id

        def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, torch.Tensor]:
            return pad_collate(batch, self.pad_id)

    return PadCollate


GROUP_BATCHES = 8  # batches in the local shuffle buffer; with group_by_length, sorted and cut together


def length_grouped(rows: dict[str, np.ndarray], batch_size: int, rng: np.random.Generator) -> list[dict[str, np.ndarray]]:
    """Cut `rows` into batches of similar length, in random order.

    SFT mixes short chat pairs with 256-token replay blocks; batched at random, most pairs are
    padded to a block's length and a step costs what a DAPT step does. Sorted within a
    window of a few batches, they are not (`train.group_by_length`).
    """
    order = np.argsort([len(x) for x in rows["input_ids"]], kind="stable")
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return [{key: column[idx] for key, column in rows.items()} for idx in batches]


class ShardBatches(IterableDataset):
    """A Ray Data shard as batches; each `iter()` is a new epoch (re-shuffled locally when
    `shuffle`, and then grouped by length when `group_by_length`)."""

    def __init__(self, shard, batch_size: int, pad_id: int, shuffle: bool, seed: int, group_by_length: bool = False):
        super().__init__()
        self.shard, self.batch_size, self.pad_id, self.shuffle, self.seed = shard, batch_size, pad_id, shuffle, seed
        self.group_by_length = group_by_length and shuffle
        self.epoch = 0

    def __iter__(self):
        self.epoch += 1
        window = GROUP_BATCHES * self.batch_size
        shuffle = {"local_shuffle_buffer_size": window, "local_shuffle_seed": self.seed + self.epoch} if self.shuffle else {}
        if not self.group_by_length:
            yield from self.shard.iter_torch_batches(batch_size=self.batch_size, drop_last=False,
                                                     collate_fn=_pad_collate_class()(self.pad_id), **shuffle)
            return
        rng = np.random.default_rng(self.seed + self.epoch)
        for rows in self.shard.iter_batches(batch_size=window, batch_format="numpy", drop_last=False, **shuffle):
            for batch in length_grouped(rows, self.batch_size, rng):
                yield pad_collate(batch, self.pad_id)


def loraplus_groups(model, lr: float, lr_ratio: float, weight_decay: float) -> list[dict[str, Any]]:
    """Optimizer parameter groups for LoRA+: `lora_B` weights at `lr × lr_ratio`, the rest at `lr`."""
    a_side, b_side = [], []
    for name, param in model.named_parameters():
        if param.requires_grad:
            (b_side if "lora_B" in name else a_side).append(param)
    return [{"params": a_side, "lr": lr, "weight_decay": weight_decay},
            {"params": b_side, "lr": lr * lr_ratio, "weight_decay": weight_decay}]


def _loraplus_trainer_class(base: type, lr_ratio: float) -> type:
    """`base` (the HF Trainer or TRL's KTOTrainer) with LoRA+ learning rates when `lr_ratio` > 1.
    The trainer's own optimizer class and settings are kept; its schedule scales both groups."""
    if lr_ratio == 1.0:
        return base

    class LoraPlusTrainer(base):
        def create_optimizer(self, model=None):
            if self.optimizer is None:
                opt_model = self.model if model is None else model
                cls, kwargs = self.get_optimizer_cls_and_kwargs(self.args, opt_model)
                groups = loraplus_groups(opt_model, self.args.learning_rate, lr_ratio, self.args.weight_decay)
                self.optimizer = cls(groups, **kwargs)
            return super().create_optimizer(model)

    return LoraPlusTrainer


def ray_trainer_class(base: type, distill_replay: bool = False, teacher_cache_mb: int = 0,
                      teacher_adapter: str | None = None) -> type:
    """The trainer reading pre-batched Ray Data shards: Ray already sharded them per worker,
    so the dataloader must not be re-sharded by accelerate. With `distill_replay`, training
    batches' replay rows are learned from a teacher: the base model (`replay.distill`), or the
    model with the frozen adapter `teacher_adapter` (the parent, `cft.distill_replay`); its hidden
    states kept in `teacher_cache_mb` between epochs. Evaluation keeps the plain loss on text, so
    eval loss means the same with or without it."""

    class RayDataTrainer(base):
        teacher: ReplayTeacher | None = None

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            replay = inputs.pop(REPLAY_FLAG, None)
            if not (distill_replay and model.training and replay is not None and bool(replay.any())):
                return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            if self.teacher is None:
                self.teacher = ReplayTeacher(self.accelerator.unwrap_model(model), bf16=self.args.bf16,
                                             cache_bytes=teacher_cache_mb << 20, adapter=teacher_adapter)
            loss = lm_loss_distilling_rows(model, self.teacher, inputs, replay, num_items_in_batch)
            if self.args.average_tokens_across_devices and num_items_in_batch is not None:
                loss = loss * self.accelerator.num_processes  # as the stock loss: tokens counted on all ranks
            return (loss, None) if return_outputs else loss

        def get_train_dataloader(self) -> DataLoader:
            return DataLoader(self.train_dataset, batch_size=None)

        def get_eval_dataloader(self, eval_dataset=None) -> DataLoader:
            return DataLoader(eval_dataset if eval_dataset is not None else self.eval_dataset, batch_size=None)

    return RayDataTrainer


def near_final_callback():
    """Drops a periodic evaluation or checkpoint within the last tenth of its interval before the
    end: the trainer evaluates and saves at the final step anyway, so one at step 200 of 201
    costs a full eval pass and a checkpoint for nothing (~20 s of a CPU DAPT stage)."""
    from transformers import TrainerCallback

    class SkipNearFinal(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            left = state.max_steps - state.global_step
            if 0 < left <= max(1, state.eval_steps // 10):
                control.should_evaluate = False
            if 0 < left <= max(1, state.save_steps // 10):
                control.should_save = False
            return control

    return SkipNearFinal()


# ---- model -------------------------------------------------------------------------------------


def peft_config(lora: LoraSection):
    from peft import LoraConfig

    return LoraConfig(r=lora.r, lora_alpha=lora.alpha, lora_dropout=lora.dropout, target_modules=lora.target_modules,
                      use_dora=lora.use_dora, bias="none", task_type="CAUSAL_LM")


def frozen_linear_weights_to(model, dtype: torch.dtype) -> None:
    """Store the frozen weights of the LoRA-wrapped linear layers in `dtype`.

    For CPU training under bf16 autocast: autocast re-casts every fp32 weight to bf16 in every
    forward (12% of a CPU bf16 step, BENCHMARKS.md), and casting them once gives the matmuls the
    very same bf16 values. Embeddings, norms and the adapter stay fp32: the residual stream and
    the trained weights keep their precision.
    """
    for module in model.modules():
        if hasattr(module, "lora_A") and isinstance(getattr(module, "base_layer", None), torch.nn.Linear):
            module.base_layer.to(dtype)


def build_model(recipe: Recipe, model_dir: str, init_adapter: str | None, use_gpu: bool, bf16: bool = False,
                deepspeed: bool = False):
    """Base model + LoRA: a fresh adapter, or the parent's adapter continued (stage chaining).
    `bf16`: training runs in bf16 (autocast, or DeepSpeed's bf16 mode); on a CPU without
    DeepSpeed the frozen weights are then stored in bf16 once (`frozen_linear_weights_to`; a GPU
    loads the whole base in bf16 anyway, DeepSpeed casts the model itself). With `lora.qlora` the
    base's linear layers are 4-bit NF4 (bitsandbytes, on CUDA or CPU) computing in bf16 where
    training does, else fp32.

    Continuing the parent keeps every version a standalone adapter on the same base, so the
    server holds the base once and any version is one `load_adapter` away. (For KTO, TRL
    copies the parent adapter into a frozen "ref" adapter: the reference is the parent.)
    """
    from peft import PeftModel, get_peft_model, prepare_model_for_kbit_training

    from pipelines.core.models import load_model

    qlora = recipe.lora.qlora
    dtype = torch.bfloat16 if use_gpu and not qlora else torch.float32
    device = f"cuda:{torch.cuda.current_device()}" if use_gpu else None
    model = load_model(model_dir, dtype=dtype, qlora=qlora, device=device,
                       compute_dtype=torch.bfloat16 if use_gpu or bf16 else torch.float32)
    if qlora:
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=False)
    if init_adapter:
        model = PeftModel.from_pretrained(model, init_adapter, is_trainable=True)
    else:
        torch.manual_seed(recipe.run.seed)
        model = get_peft_model(model, peft_config(recipe.lora))
    use_chunked_loss(model)  # same loss, a quarter less time per CPU step (pipelines/train/loss.py)
    # DoRA reads the weights outside the matmul; a 4-bit base is already stored small; DeepSpeed
    # flattens parameters of one dtype.
    if bf16 and not use_gpu and not (recipe.lora.use_dora or qlora or deepspeed):
        frozen_linear_weights_to(model, torch.bfloat16)
    return model


# ---- trainer -----------------------------------------------------------------------------------


def training_arguments(t: TrainConfig, *, output_dir: str, max_steps: int, use_gpu: bool, rank: int,
                       deepspeed: dict | None, seed: int, has_eval: bool = True, kto: dict | None = None):
    """TrainingArguments (or KTOConfig) from our train section."""
    from transformers import TrainingArguments

    from cluster.scaling import cpu_has_fast_bf16
    from pipelines.core.precision import resolve_bf16

    bf16 = resolve_bf16(t.precision, use_gpu, fast_cpu_bf16=not use_gpu and cpu_has_fast_bf16())
    kwargs: dict[str, Any] = dict(
        output_dir=output_dir, max_steps=max_steps, learning_rate=t.lr, lr_scheduler_type="cosine",
        warmup_steps=t.warmup_ratio, weight_decay=t.weight_decay, max_grad_norm=t.max_grad_norm,
        gradient_accumulation_steps=t.grad_accum, per_device_train_batch_size=t.batch_size,
        per_device_eval_batch_size=t.batch_size, bf16=bf16, use_cpu=not use_gpu,
        logging_steps=t.logging_steps, eval_strategy="steps" if has_eval else "no", eval_steps=t.eval_steps,
        save_strategy="steps", save_steps=t.save_steps, save_total_limit=2, report_to=[],
        ddp_find_unused_parameters=False,  # LoRA: every trainable param is used, skip the graph walk
        disable_tqdm=rank != 0, log_level="warning" if rank == 0 else "error", seed=seed,
        include_num_input_tokens_seen="non_padding", ignore_data_skip=True, remove_unused_columns=False,
        dataloader_num_workers=0, deepspeed=deepspeed,
    )
    if kto is None:
        return TrainingArguments(**kwargs)
    from trl import KTOConfig

    kwargs["eval_strategy"] = "no"  # KTO has no held-out LM split; the gate evaluates the result
    return KTOConfig(**kwargs, **kto)


def train_loop_per_worker(config: dict[str, WorkerJob]) -> None:
    """Ray Train entry point: `config` holds the stage's `WorkerJob` under `JOB_KEY`."""
    import ray.data
    import ray.train
    from ray.train.huggingface.transformers import RayTrainReportCallback
    from transformers import Trainer

    from cluster.storage import local_dir
    from pipelines.core.models import cache_root, load_tokenizer, model_dir_here
    from pipelines.train.hardware import deepspeed_accelerator

    job = config[JOB_KEY]
    recipe = job.recipe
    # Paths the driver resolved may not exist on this node: the model is resolved again from its
    # name, the parent adapter (registry path or URI) is fetched into this node's cache.
    job = job.on_this_node(
        model_dir_here(job.model_dir, recipe.model.name),
        str(local_dir(job.init_adapter, cache_root() / "adapters", what="parent adapter")) if job.init_adapter else None)
    ctx = ray.train.get_context()
    rank = ctx.get_world_rank()
    if rank != 0:
        logging.getLogger().setLevel(logging.ERROR)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    ray.data.DataContext.get_current().enable_progress_bars = False
    if not job.use_gpu:  # Ray pins OMP threads to the worker's CPUs; say so explicitly
        torch.set_num_threads(job.torch_threads)
    if job.deepspeed:
        # Before anything imports DeepSpeed (TrainingArguments below does): its accelerator,
        # and with it the collective backend (nccl on CUDA, gloo on CPU), follows this worker's device.
        os.environ["DS_ACCELERATOR"] = deepspeed_accelerator(job.use_gpu)
        import deepspeed

        # DeepSpeed's communicator over the process group Ray Train already set up. Needed before
        # the model loads: under ZeRO-3 `from_pretrained` partitions weights as they load
        # (zero.Init), and a communicator not yet set up there counts a world of one.
        deepspeed.init_distributed()
    t = job.train
    tokenizer = load_tokenizer(job.model_dir)
    output_dir = tempfile.mkdtemp(prefix=f"df-{job.stage}-r{rank}-")
    args = training_arguments(t, output_dir=output_dir, max_steps=job.max_steps, use_gpu=job.use_gpu,
                              rank=rank, deepspeed=job.deepspeed, seed=recipe.run.seed,
                              has_eval=job.has_eval, kto=job.kto.config_args() if job.kto else None)
    model = build_model(recipe, job.model_dir, job.init_adapter, job.use_gpu, bf16=args.bf16,
                        deepspeed=job.deepspeed is not None)
    if job.kto is not None:
        from datasets import Dataset
        from trl import KTOTrainer

        trainer = _loraplus_trainer_class(KTOTrainer, recipe.lora.lr_ratio)(
            model=model, args=args, train_dataset=Dataset.from_list(job.kto.rows), processing_class=tokenizer)
    else:
        teacher_adapter = None
        if job.teacher == "parent":  # a frozen second copy of the parent: the trained one moves away from it
            model.load_adapter(job.init_adapter, adapter_name=PARENT_ADAPTER, is_trainable=False)
            teacher_adapter = PARENT_ADAPTER
        trainer_class = ray_trainer_class(_loraplus_trainer_class(Trainer, recipe.lora.lr_ratio), job.teacher is not None,
                                           recipe.replay.teacher_cache_mb, teacher_adapter)
        trainer = trainer_class(
            model=model, args=args, processing_class=tokenizer,
            train_dataset=ShardBatches(ray.train.get_dataset_shard("train"), t.batch_size, tokenizer.pad_token_id,
                                       shuffle=True, seed=recipe.run.seed + rank, group_by_length=t.group_by_length),
            eval_dataset=ShardBatches(ray.train.get_dataset_shard("eval"), t.batch_size,
                                      tokenizer.pad_token_id, shuffle=False, seed=0) if job.has_eval else None,
        )
    trainer.add_callback(near_final_callback())  # after the default flow callback: it overrides it
    trainer.add_callback(RayTrainReportCallback())

    # A restarted worker group continues from the last reported checkpoint.
    checkpoint = ray.train.get_checkpoint()
    with checkpoint.as_directory() if checkpoint else contextlib.nullcontext(None) as ckpt_dir:
        resume, resumed_from = resume_point(ckpt_dir)
        if resume:
            log.warning("resuming %s from checkpoint at step %d", job.stage, resumed_from)
        output = trainer.train(resume_from_checkpoint=resume)
    # The probe reads the first eval batch (every rank holds the whole eval set, in order).
    probe_batch = next(iter(trainer.get_eval_dataloader()), None) if job.has_eval and job.kto is None else None
    report_final(trainer, output, rank, job.use_gpu, resumed_from, probe_batch)


def resume_point(ckpt_dir: str | None) -> tuple[str | None, int]:
    """The HF checkpoint folder to resume from and its step, or (None, 0) to start over: no
    checkpoint, or one cut short while it was written (a sweep interrupted at that moment
    leaves the folder without trainer_state.json; resuming it would fail on every retry)."""
    if ckpt_dir is None:
        return None, 0
    state = Path(ckpt_dir) / "checkpoint" / "trainer_state.json"
    try:
        step = int(json.loads(state.read_text())["global_step"])
    except (OSError, ValueError, KeyError) as err:
        log.warning("checkpoint %s is incomplete (%s); training from the start", ckpt_dir, err)
        return None, 0
    return str(state.parent), step
