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
    from pipelines.train.teacher import ReplayTeacher

    model = _model(tiny_model_dir)
    ids, mask, positions = _rows()
    want = _base_logits(model, ids, mask, positions)
    teacher = ReplayTeacher(model, cache_bytes=1 << 20)
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
    from pipelines.train.teacher import ReplayTeacher

    model = _model(tiny_model_dir)
    ids, mask, positions = _rows()
    row_bytes = int(positions[0].sum()) * model.config.hidden_size * 4  # fp32 hidden states of row 0
    teacher = ReplayTeacher(model, cache_bytes=row_bytes)
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
    off = ReplayTeacher(model, cache_bytes=0)
    off(ids, mask, positions)
    off(ids, mask, positions)
    assert off.forward_rows == 6 and off.cached_bytes == 0


def test_the_parent_teaches_from_a_frozen_copy_and_the_trained_adapter_keeps_its_gradients(tiny_model_dir, tmp_path):
    """`cft.distill_replay`: the parent adapter loaded a second time, frozen, is the teacher; the
    adapter being trained starts equal to it, moves away, and stays the one that trains."""
    from pipelines.train.teacher import PARENT_ADAPTER, ReplayTeacher

    parent = _model(tiny_model_dir)
    parent.save_pretrained(str(tmp_path / "parent"))
    ids, mask, positions = _rows()
    with torch.no_grad():
        want = parent(input_ids=ids, attention_mask=mask).logits[positions]
    model = _model(tiny_model_dir)  # the same seed: the same adapter as the saved parent
    model.load_adapter(str(tmp_path / "parent"), adapter_name=PARENT_ADAPTER, is_trainable=False)
    trained = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trained and not any(PARENT_ADAPTER in n for n in trained)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if "lora_B.default" in name:
                param.add_(0.5)
    teacher = ReplayTeacher(model, adapter=PARENT_ADAPTER)
    got = teacher(ids, mask, positions)
    assert torch.allclose(got, want, atol=1e-5)
    assert not torch.allclose(got, _base_logits(model, ids, mask, positions), atol=1e-3)
    assert model.active_adapter == "default"
    assert {n for n, p in model.named_parameters() if p.requires_grad} == trained
    assert not torch.allclose(model(input_ids=ids, attention_mask=mask).logits[positions], want, atol=1e-3)
