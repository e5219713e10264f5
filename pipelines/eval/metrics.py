"""Evaluation metrics (DESIGN.md, evaluation protocol). Batched and deterministic.

The model only needs the Hugging Face causal-LM surface: `model(input_ids, attention_mask)
-> .logits` and `model.generate(...)`, so the tests can use toy models with known answers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import torch

from pipelines.core.chat import IGNORE, encode_chat
from pipelines.core.generate import chunks, generate_answers


def _right_pad(rows: list[list[int]], pad: int, fill_labels: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), IGNORE if fill_labels else pad, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r, dtype=torch.long)
        mask[i, : len(r)] = 1
    return ids, mask


@torch.no_grad()
def sequence_logprobs(model, pad_id: int, input_ids: list[list[int]], labels: list[list[int]],
                      batch_size: int) -> list[tuple[float, int]]:
    """(sum of log p(label tokens), number of label tokens) per sequence; -100 labels are skipped.

    Logits are computed only from the first position that predicts a label onwards (the
    vocabulary projection dominates memory on CPU), and scored with a fused cross-entropy.
    """
    out: list[tuple[float, int]] = []
    for idx in chunks(list(range(len(input_ids))), batch_size):
        ids, mask = _right_pad([input_ids[i] for i in idx], pad_id)
        lab, _ = _right_pad([labels[i] for i in idx], pad_id, fill_labels=True)
        target = lab[:, 1:]
        valid = target != IGNORE
        first = int(valid.any(0).nonzero()[0]) if valid.any() else target.shape[1] - 1
        keep = target.shape[1] - first  # logits for positions first .. T-2 predict tokens first+1 .. T-1
        logits = model(input_ids=ids, attention_mask=mask, logits_to_keep=keep + 1).logits[:, :-1]
        target, valid = target[:, first:], valid[:, first:]
        nll = torch.nn.functional.cross_entropy(logits.float().transpose(1, 2), target, ignore_index=IGNORE,
                                                reduction="none")
        out += [(float(-s), int(n)) for s, n in zip((nll * valid).sum(-1), valid.sum(-1), strict=True)]
    return out


def perplexity(model, tokenizer, texts: Iterable[str], max_len: int, batch_size: int) -> float:
    """Token-level perplexity of plain texts, each cut into windows of `max_len` tokens."""
    windows: list[list[int]] = []
    for text in texts:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        windows += [ids[i : i + max_len] for i in range(0, len(ids), max_len) if len(ids[i : i + max_len]) > 1]
    if not windows:
        raise ValueError("no text to compute perplexity on")
    scored = sequence_logprobs(model, tokenizer.pad_token_id, windows, windows, batch_size)
    total = sum(s for s, _ in scored)
    count = sum(n for _, n in scored)
    return math.exp(-total / count)


def _answer_encoding(tokenizer, question: str, answer: str, max_len: int) -> dict[str, list[int]]:
    return encode_chat(tokenizer, [{"role": "user", "content": question}, {"role": "assistant", "content": answer}],
                       max_len)


def mc_accuracy(model, tokenizer, items: list[dict[str, Any]], max_len: int, batch_size: int,
                bare: bool = False) -> float:
    """Share of multiple-choice items answered right (`mc_outcomes`)."""
    outcomes = mc_outcomes(model, tokenizer, items, max_len, batch_size, bare)
    return sum(outcomes) / len(outcomes) if outcomes else 0.0


def mc_outcomes(model, tokenizer, items: list[dict[str, Any]], max_len: int, batch_size: int,
                bare: bool = False) -> list[bool]:
    """Per item, whether multiple choice picked the right option (`mc_picks`)."""
    picks = mc_picks(model, tokenizer, items, max_len, batch_size, bare)
    return [pick == item["answer"] for pick, item in zip(picks, items, strict=True)]


def mc_picks(model, tokenizer, items: list[dict[str, Any]], max_len: int, batch_size: int,
             bare: bool = False) -> list[int]:
    """Per item, the index of the option multiple choice picks, ranked by the log-likelihood
    of the whole answer statement with each option filled in (cloze style, DESIGN.md). An item
    without a `statement`, or `bare=True` (diagnostic), scores the option text alone as the
    answer to the question (chat format)."""
    if not items:
        return []
    ids, labels, owner = [], [], []
    for n, item in enumerate(items):
        for option in item["options"]:
            statement = None if bare else item.get("statement")
            answer = statement.replace("{option}", option) if statement else option
            enc = _answer_encoding(tokenizer, item["question"], answer, max_len)
            ids.append(enc["input_ids"])
            labels.append(enc["labels"])
            owner.append(n)
    scores = sequence_logprobs(model, tokenizer.pad_token_id, ids, labels, batch_size)
    best: dict[int, tuple[float, int]] = {}
    position: dict[int, int] = {}
    for (score, _), n in zip(scores, owner, strict=True):
        k = position.get(n, 0)
        position[n] = k + 1
        if n not in best or score > best[n][0]:
            best[n] = (score, k)
    return [best[n][1] for n in range(len(items))]


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def contains_answer(answer: str, gold: str) -> bool:
    return _norm(gold) in _norm(answer)


def qa_contains(model, tokenizer, items: list[dict[str, Any]], max_new_tokens: int, batch_size: int) -> tuple[float, list[str]]:
    """Share of short-answer questions whose generated answer contains the gold answer, and the answers."""
    answers = qa_answers(model, tokenizer, items, max_new_tokens, batch_size)
    hits = [contains_answer(a, i["answer"]) for a, i in zip(answers, items, strict=True)]
    return (sum(hits) / len(items) if items else 0.0), answers


def qa_answers(model, tokenizer, items: list[dict[str, Any]], max_new_tokens: int, batch_size: int) -> list[str]:
    """The generated answers to short-answer questions (greedy)."""
    if not items:
        return []
    return generate_answers(model, tokenizer, [i["question"] for i in items], max_new_tokens, batch_size)
