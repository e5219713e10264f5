"""LoRA+ learning rates: B matrices at lr × lr_ratio through the trainer's own optimizer and schedule."""

from __future__ import annotations

import pytest
import torch


def _peft_model(tiny_model_dir):
    from peft import LoraConfig, get_peft_model

    from pipelines.core.models import load_model

    return get_peft_model(load_model(tiny_model_dir), LoraConfig(r=4, target_modules="all-linear"))


def test_groups_split_a_and_b(tiny_model_dir):
    from pipelines.train.loop import loraplus_groups

    model = _peft_model(tiny_model_dir)
    a_side, b_side = loraplus_groups(model, 1e-3, 4.0, 0.0)
    names = {id(p): n for n, p in model.named_parameters()}
    assert b_side["lr"] == pytest.approx(4e-3) and a_side["lr"] == pytest.approx(1e-3)
    assert b_side["params"] and all("lora_B" in names[id(p)] for p in b_side["params"])
    assert a_side["params"] and all("lora_A" in names[id(p)] for p in a_side["params"])
    trainable = sum(p.requires_grad for p in model.parameters())
    assert len(a_side["params"]) + len(b_side["params"]) == trainable  # every trainable weight once


@pytest.mark.parametrize("ratio", [1.0, 4.0])
def test_trainer_keeps_the_ratio_through_its_schedule(tiny_model_dir, tmp_path, ratio):
    from transformers import Trainer, TrainingArguments

    from pipelines.train.loop import _loraplus_trainer_class

    trainer_class = _loraplus_trainer_class(Trainer, ratio)
    assert (trainer_class is Trainer) == (ratio == 1.0)  # plain LoRA: the stock trainer, untouched
    args = TrainingArguments(output_dir=str(tmp_path), learning_rate=1e-3, max_steps=10, warmup_steps=2,
                             lr_scheduler_type="cosine", use_cpu=True, report_to=[])
    trainer = trainer_class(model=_peft_model(tiny_model_dir), args=args)
    trainer.create_optimizer_and_scheduler(num_training_steps=10)
    assert isinstance(trainer.optimizer, torch.optim.AdamW)
    for _ in range(4):  # into the cosine part: both groups decay together
        trainer.optimizer.step()
        trainer.lr_scheduler.step()
    lrs = [group["lr"] for group in trainer.optimizer.param_groups if group["params"]]
    assert lrs[0] > 0 and max(lrs) / min(lrs) == pytest.approx(ratio)
