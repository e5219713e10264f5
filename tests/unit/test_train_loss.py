"""Training losses: the chunked next-token loss (same value and gradient as transformers' own) and
distilled replay (KL to the base model on replay rows, plain loss on the rest)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformers.loss.loss_utils import ForCausalLMLoss

from pipelines.train import loss as chunked
from pipelines.train.loss import chunked_causal_lm_loss, use_chunked_loss


def _case(dtype: torch.dtype, vocab: int = 300):
    torch.manual_seed(0)
    logits = torch.randn(3, 70, vocab, dtype=dtype, requires_grad=True)
    labels = torch.randint(0, vocab, (3, 70))
    labels[0, :25] = -100  # a prompt masked out of the loss
    labels[2, 50:] = -100  # right padding
    return logits, labels


def _loss_and_grad(fn, logits, labels, **kwargs):
    logits.grad = None
    value = fn(logits, labels, logits.shape[-1], **kwargs)
    (value * 3.0).backward()  # a non-unit upstream gradient must scale the precomputed one
    return value.detach(), logits.grad.clone()


@pytest.mark.parametrize("num_items", [None, 123])
def test_matches_the_stock_loss_in_float32(monkeypatch, num_items):
    monkeypatch.setattr(chunked, "CHUNK_ROWS", 16)  # several chunks, the last one partial
    logits, labels = _case(torch.float32)
    kwargs = {"num_items_in_batch": torch.tensor(num_items)} if num_items else {}
    want, want_grad = _loss_and_grad(ForCausalLMLoss, logits, labels, **kwargs)
    got, got_grad = _loss_and_grad(chunked_causal_lm_loss, logits, labels, **kwargs)
    assert torch.allclose(got, want, rtol=1e-6)
    assert torch.allclose(got_grad, want_grad, atol=1e-9)
    assert got_grad[0, :24].abs().max() == 0  # masked positions get no gradient


def test_bf16_logits_match_to_bf16_rounding():
    # Two bf16 roundings (the stored gradient, then its scaling) against one: within 2 ulps.
    logits, labels = _case(torch.bfloat16)
    want, want_grad = _loss_and_grad(ForCausalLMLoss, logits, labels)
    got, got_grad = _loss_and_grad(chunked_causal_lm_loss, logits, labels)
    assert got.dtype == torch.float32 and abs(float(got) - float(want)) < 1e-4
    assert got_grad.dtype == torch.bfloat16
    assert (got_grad.float() - want_grad.float()).abs().max() <= 2 ** -7 * want_grad.float().abs().max()


def test_shift_labels_and_all_masked():
    logits, labels = _case(torch.float32)
    before = logits.detach().clone()
    shifted = torch.nn.functional.pad(labels, (0, 1), value=-100)[..., 1:]
    assert torch.allclose(chunked_causal_lm_loss(logits, None, 300, shift_labels=shifted),
                          ForCausalLMLoss(logits, labels, 300))
    nothing = torch.full_like(labels, -100)
    assert float(chunked_causal_lm_loss(logits, nothing, 300)) == 0.0
    assert torch.equal(logits.detach(), before)  # the logits are read, never edited


def test_the_model_trains_with_it(tiny_model_dir):
    """Plugged into a PEFT model, a forward with labels gives the stock loss and the same LoRA gradients."""
    from peft import LoraConfig, get_peft_model

    from pipelines.core.models import load_model

    def grads(chunk: bool):
        torch.manual_seed(0)
        model = get_peft_model(load_model(tiny_model_dir), LoraConfig(r=4, target_modules="all-linear",
                                                                      init_lora_weights=False))
        if chunk:
            use_chunked_loss(model)
        ids = torch.randint(0, 1000, (2, 24))
        out = model(input_ids=ids, labels=ids)
        out.loss.backward()
        return out.loss.detach(), {n: p.grad for n, p in model.named_parameters() if p.requires_grad}

    want_loss, want = grads(False)
    got_loss, got = grads(True)
    assert torch.allclose(got_loss, want_loss, rtol=1e-6)
    assert want.keys() == got.keys() and all(torch.allclose(got[k], want[k], atol=1e-7) for k in want)


def _distillation_sum(student: torch.Tensor, teacher: torch.Tensor) -> torch.Tensor:
    """Σ KL(teacher ‖ student) over the rows of two [rows, vocab] logit tensors, through the
    chunked loss: every position distilled, none learned from text, summed (one "item")."""
    labels = torch.full((1, student.shape[0]), -100)
    rows = torch.arange(student.shape[0])
    return chunked_causal_lm_loss(student.unsqueeze(0), labels, num_items_in_batch=1, distill=(teacher, rows))


def test_distillation_is_the_kl_to_the_teacher(monkeypatch):
    monkeypatch.setattr(chunked, "CHUNK_ROWS", 7)
    torch.manual_seed(1)
    student = torch.randn(20, 50, requires_grad=True)
    teacher = torch.randn(20, 50)
    want = torch.nn.functional.kl_div(torch.log_softmax(student, -1), torch.log_softmax(teacher, -1),
                                      log_target=True, reduction="sum")
    (want * 2).backward()
    want_grad, student.grad = student.grad.clone(), None
    got = _distillation_sum(student, teacher)
    (got * 2).backward()
    assert torch.allclose(got, want, rtol=1e-5) and torch.allclose(student.grad, want_grad, atol=1e-6)
    assert float(_distillation_sum(teacher.clone(), teacher)) == pytest.approx(0.0, abs=1e-4)


def test_distilled_rows_learn_the_teacher_and_the_rest_their_text(tiny_model_dir):
    from peft import LoraConfig, get_peft_model

    from pipelines.core.models import load_model
    from pipelines.train.loss import lm_loss_distilling_rows
    from pipelines.train.teacher import ReplayTeacher

    torch.manual_seed(0)
    model = get_peft_model(load_model(tiny_model_dir), LoraConfig(r=4, target_modules="all-linear",
                                                                  init_lora_weights=False))
    ids = torch.randint(0, 1000, (4, 16))
    mask = torch.ones_like(ids)
    mask[3, 12:] = 0
    labels = ids.masked_fill(mask == 0, -100)
    inputs = {"input_ids": ids, "attention_mask": mask, "labels": labels}
    rows = torch.tensor([False, True, False, True])
    teacher = ReplayTeacher(model)
    got = lm_loss_distilling_rows(model, teacher, inputs, rows, num_items_in_batch=torch.tensor(55))

    logits = model(input_ids=ids, attention_mask=mask).logits
    with torch.no_grad(), model.disable_adapter():
        base = model(input_ids=ids, attention_mask=mask).logits
    targets = torch.nn.functional.pad(labels, (0, 1), value=-100)[..., 1:]
    text = torch.nn.functional.cross_entropy(logits[~rows].flatten(0, 1), targets[~rows].flatten(), reduction="sum")
    kl = sum(torch.nn.functional.kl_div(torch.log_softmax(logits[r, :n], -1), torch.log_softmax(base[r, :n], -1),
                                        log_target=True, reduction="sum")
             for r, n in ((1, 15), (3, 11)))  # positions with a next token to predict
    assert torch.allclose(got, (text + kl) / 55, rtol=1e-5)
    # Without an adapter effect the teacher is the model itself: distilled rows add nothing.
    with model.disable_adapter():
        same = lm_loss_distilling_rows(model, teacher, inputs, torch.ones(4, dtype=torch.bool))
    assert float(same) == pytest.approx(0.0, abs=1e-5)


def test_trainer_distils_replay_rows_only_while_training(tiny_model_dir, tmp_path):
    from peft import LoraConfig, get_peft_model
    from transformers import Trainer, TrainingArguments

    from pipelines.core.models import load_model
    from pipelines.train.loop import pad_collate, ray_trainer_class
    from pipelines.train.loss import lm_loss_distilling_rows
    from pipelines.train.teacher import ReplayTeacher

    torch.manual_seed(0)
    model = get_peft_model(load_model(tiny_model_dir), LoraConfig(r=4, target_modules="all-linear",
                                                                  init_lora_weights=False))
    ids = np.empty(4, dtype=object)
    ids[:] = [np.arange(n) % 900 + 5 for n in (12, 16, 9, 16)]
    batch = pad_collate({"input_ids": ids, "labels": ids.copy(), "replay": np.array([0, 1, 0, 1], bool)}, 0)
    assert batch["replay"].tolist() == [False, True, False, True]
    args = TrainingArguments(output_dir=str(tmp_path), use_cpu=True, report_to=[])
    plain = {k: v for k, v in batch.items() if k != "replay"}
    stock = float(model(**plain).loss)
    trainer = ray_trainer_class(Trainer, distill_replay=True)(model=model, args=args)
    model.train()
    want = lm_loss_distilling_rows(model, ReplayTeacher(model), plain, batch["replay"])
    assert float(trainer.compute_loss(model, dict(batch))) == pytest.approx(float(want), rel=1e-5)
    assert float(want) != pytest.approx(stock, rel=1e-3)
    model.eval()  # evaluation: the plain loss on every row's text
    assert float(trainer.compute_loss(model, dict(batch))) == pytest.approx(stock, rel=1e-5)
    model.train()
    off = ray_trainer_class(Trainer, distill_replay=False)(model=model, args=args)
    assert float(off.compute_loss(model, dict(batch))) == pytest.approx(stock, rel=1e-5)
