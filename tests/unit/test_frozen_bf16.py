"""Frozen base weights stored in bf16 for CPU bf16 training: the same numbers as autocast casting
them every forward, and what stays fp32 stays fp32."""

from __future__ import annotations

import torch


def _model(tiny_model_dir, recipe_factory, cast: bool):
    from pipelines.train.loop import build_model

    recipe = recipe_factory(lora={"r": 4, "alpha": 8, "dropout": 0.0})
    torch.manual_seed(0)
    model = build_model(recipe, tiny_model_dir, None, use_gpu=False, bf16=cast)
    for i, (name, param) in enumerate(model.named_parameters()):  # a non-zero B, so the adapter's path counts
        if "lora_B" in name:
            torch.nn.init.normal_(param, std=0.02, generator=torch.Generator().manual_seed(i))
    return model


def _step(model) -> tuple[torch.Tensor, dict[str, torch.Tensor], torch.Tensor]:
    from pipelines.train.teacher import ReplayTeacher

    ids = torch.randint(5, 200, (2, 24), generator=torch.Generator().manual_seed(1))
    mask = torch.ones_like(ids)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss = model(input_ids=ids, attention_mask=mask, labels=ids).loss
    loss.backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}
    teacher = ReplayTeacher(model, bf16=True)(ids, mask, mask.bool())
    return loss.detach(), grads, teacher


def test_casting_once_gives_the_same_step_as_autocast_casting_each_forward(tiny_model_dir, tiny_recipe):
    plain, cast = _model(tiny_model_dir, tiny_recipe, False), _model(tiny_model_dir, tiny_recipe, True)
    loss_a, grads_a, teacher_a = _step(plain)
    loss_b, grads_b, teacher_b = _step(cast)
    assert torch.equal(loss_a, loss_b)
    assert grads_a.keys() == grads_b.keys() and grads_a
    for name in grads_a:
        assert torch.equal(grads_a[name], grads_b[name]), name
    assert torch.equal(teacher_a, teacher_b)


def test_only_the_frozen_linear_weights_change_dtype(tiny_model_dir, tiny_recipe):
    model = _model(tiny_model_dir, tiny_recipe, True)
    dtypes = {name: p.dtype for name, p in model.named_parameters()}
    frozen_linear = [n for n in dtypes if n.endswith("base_layer.weight")]
    assert frozen_linear and all(dtypes[n] == torch.bfloat16 for n in frozen_linear)
    # The adapter trains in fp32; embeddings (tied to the output head) and norms keep the
    # residual stream in fp32.
    rest = [n for n in dtypes if n not in frozen_linear]
    assert any("lora_A" in n for n in rest) and any("embed_tokens" in n for n in rest) and any("norm" in n for n in rest)
    assert all(dtypes[n] == torch.float32 for n in rest)


def test_fp32_training_keeps_fp32_weights(tiny_model_dir, tiny_recipe):
    model = _model(tiny_model_dir, tiny_recipe, False)
    assert {p.dtype for p in model.parameters()} == {torch.float32}
