"""pipelines/train/final.py without Ray: what a rank holds, and the probe's log-probabilities."""

from __future__ import annotations

import torch
from peft import LoraConfig, get_peft_model

from pipelines.core.models import load_model
from pipelines.train.final import held_by_this_rank, token_logprobs


def _lora(model):
    return get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules="all-linear"))


def test_without_deepspeed_a_rank_holds_everything(tiny_model_dir):
    model = _lora(load_model(tiny_model_dir))
    held = held_by_this_rank(model)
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert (held.params_local, held.params_total) == (total, total)
    assert held.optimizer_local == held.trainable_total == trainable > 0


def test_qlora_base_is_4bit_on_cpu(tiny_model_dir):
    import bitsandbytes as bnb

    full, quantized = load_model(tiny_model_dir), load_model(tiny_model_dir, qlora=True)
    layers = [m for m in quantized.modules() if isinstance(m, bnb.nn.Linear4bit)]
    assert len(layers) == 2 * 7  # q, k, v, o, gate, up, down in each of the 2 layers
    assert all(m.weight.device.type == "cpu" and m.weight.dtype == torch.uint8 for m in layers)
    assert quantized.get_memory_footprint() < full.get_memory_footprint()


def test_token_logprobs_are_the_labels_log_probabilities(tiny_model_dir):
    model = load_model(tiny_model_dir).eval()
    ids = torch.tensor([[5, 6, 7, 8], [9, 10, 11, 0]])
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]])
    labels = torch.tensor([[-100, 6, 7, 8], [-100, -100, 11, -100]])
    rows = token_logprobs(model, ids, mask, labels)
    assert [len(r) for r in rows] == [3, 1]
    with torch.no_grad():
        logp = torch.log_softmax(model(input_ids=ids, attention_mask=mask).logits.float(), -1)
    assert abs(rows[1][0] - float(logp[1, 1, 11])) < 1e-5 and abs(rows[0][2] - float(logp[0, 2, 8])) < 1e-5
