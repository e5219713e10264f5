"""The distillation teacher keeps each replay row's hidden states: a row seen again gives the base
model's logits without another decoder pass, whatever the adapter has learned meanwhile."""

from __future__ import annotations

import torch


def _model(tiny_model_dir):
    from peft import LoraConfig, get_peft_model

    from pipelines.core.models import load_model

    torch.manual_seed(0)
    return get_peft_model(load_model(tiny_model_dir), LoraConfig(r=4, target_modules="all-linear",
                                                                 init_lora_weights=False))


def _rows():
    ids = torch.randint(5, 900, (3, 20), generator=torch.Generator().manual_seed(1))
    mask = torch.ones_like(ids)
    mask[2, 14:] = 0  # right padding
    positions = mask.bool().clone()
    positions[:, -1] = False  # the last token predicts nothing
    positions[0, :5] = False  # a prompt that is not learned
    return ids, mask, positions


def _base_logits(model, ids, mask, positions):
    with torch.no_grad(), model.disable_adapter():
        return model(input_ids=ids, attention_mask=mask).logits[positions]


def test_a_row_seen_again_costs_no_decoder_pass_and_gives_the_same_logits(tiny_model_dir):
    from pipelines.train.teacher import BaseModelTeacher

    model = _model(tiny_model_dir)
    ids, mask, positions = _rows()
    want = _base_logits(model, ids, mask, positions)
    teacher = BaseModelTeacher(model, cache_bytes=1 << 20)
    first = teacher(ids, mask, positions)
    assert teacher.forward_rows == 3 and torch.allclose(first, want, atol=1e-5)
    with torch.no_grad():  # the adapter learns: the teacher must still be the base model
        for name, param in model.named_parameters():
            if "lora_B" in name:
                param.add_(0.5)
    assert not torch.allclose(model(input_ids=ids, attention_mask=mask).logits[positions], want, atol=1e-3)
    again = teacher(ids[[2, 0]], mask[[2, 0]], positions[[2, 0]])  # other batches, other order
    assert teacher.forward_rows == 3
    assert torch.allclose(again, _base_logits(model, ids[[2, 0]], mask[[2, 0]], positions[[2, 0]]), atol=1e-5)


def test_only_unseen_rows_run_and_the_budget_caps_what_is_kept(tiny_model_dir):
    from pipelines.train.teacher import BaseModelTeacher

    model = _model(tiny_model_dir)
    ids, mask, positions = _rows()
    row_bytes = int(positions[0].sum()) * model.config.hidden_size * 4  # fp32 hidden states of row 0
    teacher = BaseModelTeacher(model, cache_bytes=row_bytes)
    teacher(ids[:1], mask[:1], positions[:1])
    assert teacher.forward_rows == 1 and teacher.cached_bytes == row_bytes
    mixed = teacher(ids, mask, positions)  # row 0 kept, rows 1 and 2 new and over the budget
    assert teacher.forward_rows == 3 and torch.allclose(mixed, _base_logits(model, ids, mask, positions), atol=1e-5)
    teacher(ids, mask, positions)
    assert teacher.forward_rows == 5  # rows 1 and 2 again; row 0 still kept
    other = positions.clone()
    other[0, 5:8] = False  # the same tokens with other learned positions are another entry
    teacher(ids[:1], mask[:1], other[:1])
    assert teacher.forward_rows == 6
    off = BaseModelTeacher(model, cache_bytes=0)
    off(ids, mask, positions)
    off(ids, mask, positions)
    assert off.forward_rows == 6 and off.cached_bytes == 0
