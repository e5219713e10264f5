"""Loading a version for inference and greedy generation: shared by evaluation and by
self-replay (the base model's own answers to general prompts), which must answer the way the
evaluation measures.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import torch


def load_for_eval(model_dir: str, adapter_dir: str | None):
    """Base model (+ adapter merged in for speed) in eval mode, and its tokenizer."""
    from pipelines.core.models import load_model, load_tokenizer

    device = "cuda" if torch.cuda.is_available() else None
    model = load_model(model_dir, dtype=torch.bfloat16 if device else torch.float32, device=device)
    if adapter_dir:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter_dir).merge_and_unload()
    model.eval()
    return model, load_tokenizer(model_dir)


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    """`items` in consecutive lists of at most `size`."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


@torch.no_grad()
def generate_answers(model, tokenizer, prompts: list[str], max_new_tokens: int, batch_size: int,
                     temperature: float | None = None) -> list[str]:
    """Answers to single-turn user prompts (chat template, left padding): greedy, or sampled at
    `temperature` (seed torch's generator first for repeatable draws). In as few batches of at
    most `batch_size` as possible, of equal size: a decoding step costs about as much for a short
    remainder batch as for a full one."""
    sampling = {"do_sample": True, "temperature": temperature, "top_k": 0, "top_p": 1.0} if temperature else {
        "do_sample": False}
    answers: list[str] = []
    eos = tokenizer.eos_token_id
    batches = max(1, math.ceil(len(prompts) / batch_size))
    for batch in chunks(prompts, max(1, math.ceil(len(prompts) / batches))):
        encoded = [tokenizer.apply_chat_template([{"role": "user", "content": p}], add_generation_prompt=True,
                                                 tokenize=True, return_dict=True)["input_ids"] for p in batch]
        width = max(len(e) for e in encoded)
        ids = torch.full((len(encoded), width), tokenizer.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(encoded), width), dtype=torch.long)
        for i, e in enumerate(encoded):
            ids[i, width - len(e) :] = torch.tensor(e, dtype=torch.long)
            mask[i, width - len(e) :] = 1
        out = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new_tokens, **sampling,
                             pad_token_id=tokenizer.pad_token_id, eos_token_id=eos)
        for row in out[:, width:]:
            tokens = row.tolist()
            if eos in tokens:
                tokens = tokens[: tokens.index(eos)]
            answers.append(tokenizer.decode(tokens, skip_special_tokens=True).strip())
    return answers

