"""Metrics on hand-made cases with known answers: toy models whose knowledge we control."""

from __future__ import annotations

import math
import random
from types import SimpleNamespace

import pytest
import torch

from pipelines.core.chat import encode_chat
from pipelines.core.config import GateConfig
from pipelines.eval.gate import check_gate
from pipelines.eval.instruct import check_instruction
from pipelines.eval.metrics import contains_answer, mc_accuracy, perplexity, qa_contains
from pipelines.eval.runner import load_set
from tests.conftest import SAMPLES


class NgramLM:
    """A 'model' that memorised some token sequences: after a known context (longest suffix
    of up to `k` tokens) it puts almost all probability on the memorised next token; elsewhere
    its distribution is uniform. Same call/generate surface as a HF causal LM."""

    def __init__(self, sequences: list[list[int]], vocab: int, k: int = 8):
        self.vocab, self.k = vocab, k
        self.table: dict[tuple[int, ...], int] = {}
        for seq in sequences:
            for t in range(1, len(seq)):
                for n in range(1, k + 1):
                    if t - n >= 0:
                        self.table[tuple(seq[t - n : t])] = seq[t]

    def _next(self, context: list[int]) -> int | None:
        for n in range(min(self.k, len(context)), 0, -1):
            hit = self.table.get(tuple(context[-n:]))
            if hit is not None:
                return hit
        return None

    def __call__(self, input_ids, attention_mask=None, logits_to_keep: int = 0):
        b, t = input_ids.shape
        start = t - logits_to_keep if logits_to_keep else 0
        logits = torch.zeros(b, t - start, self.vocab)
        for i in range(b):
            row = input_ids[i].tolist()
            for j in range(start, t):
                nxt = self._next(row[: j + 1])
                if nxt is not None:
                    logits[i, j - start, nxt] = 30.0
        return SimpleNamespace(logits=logits)

    def generate(self, input_ids, attention_mask, max_new_tokens, eos_token_id, pad_token_id, **_):
        rows = []
        for i in range(input_ids.shape[0]):
            row = input_ids[i].tolist()
            for _ in range(max_new_tokens):
                nxt = self._next(row)
                row.append(eos_token_id if nxt is None else nxt)
                if row[-1] == eos_token_id:
                    break
            rows.append(row + [pad_token_id] * (input_ids.shape[1] + max_new_tokens - len(row)))
        return torch.tensor(rows)


@pytest.fixture(scope="module")
def tokenizer(tiny_model_dir):
    from pipelines.core.models import load_tokenizer

    return load_tokenizer(tiny_model_dir)


@pytest.fixture(scope="module")
def mc_items():
    return load_set(str(SAMPLES / "eval_mc.jsonl"), limit=24)


@pytest.fixture(scope="module")
def qa_items():
    return load_set(str(SAMPLES / "eval_qa.jsonl"), limit=12)


def _chat(tokenizer, question: str, answer: str) -> list[int]:
    return encode_chat(tokenizer, [{"role": "user", "content": question}, {"role": "assistant", "content": answer}],
                       512)["input_ids"]


def _mc_model(tokenizer, items, pick) -> NgramLM:
    seqs = [_chat(tokenizer, it["question"], it["statement"].replace("{option}", it["options"][pick(it)])) for it in items]
    return NgramLM(seqs, len(tokenizer), k=48)


def test_mc_perfect_knowledge_scores_100(tokenizer, mc_items):
    model = _mc_model(tokenizer, mc_items, lambda it: it["answer"])
    assert mc_accuracy(model, tokenizer, mc_items, 256, batch_size=4) == 1.0


def test_mc_shuffled_knowledge_is_near_chance(tokenizer, mc_items):
    rng = random.Random(0)
    model = _mc_model(tokenizer, mc_items, lambda it: rng.randrange(len(it["options"])))
    acc = mc_accuracy(model, tokenizer, mc_items, 256, batch_size=4)
    assert 0.05 <= acc <= 0.5  # 4 options: chance is 0.25


def test_mc_wrong_knowledge_scores_zero(tokenizer, mc_items):
    model = _mc_model(tokenizer, mc_items, lambda it: (it["answer"] + 1) % len(it["options"]))
    assert mc_accuracy(model, tokenizer, mc_items, 256, batch_size=4) == 0.0


def test_qa_contains_gold_for_perfect_model_only(tokenizer, qa_items):
    perfect = NgramLM([_chat(tokenizer, it["question"], f"It is {it['answer']}.") for it in qa_items],
                      len(tokenizer), k=48)
    score, answers = qa_contains(perfect, tokenizer, qa_items, max_new_tokens=24, batch_size=4)
    assert score == 1.0 and all(it["answer"] in a for it, a in zip(qa_items, answers, strict=True))
    clueless = NgramLM([], len(tokenizer))
    assert qa_contains(clueless, tokenizer, qa_items, max_new_tokens=4, batch_size=4)[0] == 0.0


@pytest.mark.parametrize(("n", "batch_size", "sizes"), [(12, 5, [4, 4, 4]), (12, 128, [12]), (7, 7, [7]), (3, 1, [1, 1, 1])])
def test_generation_uses_as_few_equal_batches_as_the_limit_allows(tokenizer, qa_items, n, batch_size, sizes):
    from pipelines.core.generate import generate_answers

    class Recording(NgramLM):
        def generate(self, input_ids, *args, **kwargs):
            seen.append(input_ids.shape[0])
            return super().generate(input_ids, *args, **kwargs)

    items = qa_items[:n]
    model = Recording([_chat(tokenizer, it["question"], f"It is {it['answer']}.") for it in items], len(tokenizer), k=48)
    seen: list[int] = []
    answers = generate_answers(model, tokenizer, [it["question"] for it in items], 24, batch_size)
    assert seen == sizes
    assert answers == [f"It is {it['answer']}." for it in items]  # in order, whatever the batching


def test_perplexity_uniform_equals_vocab_and_memorised_is_near_one(tokenizer):
    text = "The Kestrel router has four ports and a blue status light. " * 3
    uniform = NgramLM([], len(tokenizer))
    assert perplexity(uniform, tokenizer, [text], max_len=64, batch_size=2) == pytest.approx(len(tokenizer), rel=1e-4)
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    memorised = NgramLM([ids], len(tokenizer), k=48)
    assert perplexity(memorised, tokenizer, [text], max_len=64, batch_size=2) < 2.0


def test_contains_answer_normalises_case_and_space():
    assert contains_answer("It costs  45 Euros per month.", "45 euros")
    assert not contains_answer("It costs 4 euros.", "45 euros")


@pytest.mark.parametrize(("answer", "check", "expected"), [
    ("short and sweet", {"type": "max_words", "value": 3}, True),
    ("one two three four", {"type": "max_words", "value": 3}, False),
    ("", {"type": "max_words", "value": 3}, False),
    ("a b c d e", {"type": "min_words", "value": 5}, True),
    ("- one\n- two\n* three", {"type": "bullet_count", "value": 3}, True),
    ("- one\n- two", {"type": "bullet_count", "value": 3}, False),
    ('Sure: ```json\n{"name": "x", "age": 3}\n```', {"type": "json_object", "keys": ["name", "age"]}, True),
    ('{"name": "x"}', {"type": "json_object", "keys": ["name", "age"]}, False),
    ("{not json}", {"type": "json_object", "keys": []}, False),
    ("all lower case here", {"type": "lowercase"}, True),
    ("Not lower", {"type": "lowercase"}, False),
    ("I love Gardening.", {"type": "include_keyword", "value": "gardening"}, True),
    ("That is all, folks.", {"type": "end_with", "value": "folks."}, True),
    ("no commas here", {"type": "no_commas"}, True),
    ("a, b", {"type": "no_commas"}, False),
])
def test_instruction_checks(answer, check, expected):
    assert check_instruction(answer, check) is expected


def test_every_shipped_instruction_check_is_known():
    for item in load_set(str(SAMPLES / "instruct.jsonl")):
        check_instruction("x", item["check"])  # raises on unknown types


def test_gate_blocks_forgetting_and_instruction_regression():
    parent = {"general_ppl": 20.0, "instruct_pass": 0.40, "domain_mc_acc": 0.5}
    ok = check_gate({"general_ppl": 21.5, "instruct_pass": 0.37, "domain_mc_acc": 0.6}, parent, GateConfig())
    assert ok.passed and ok.reasons == []
    bad = check_gate({"general_ppl": 30.0, "instruct_pass": 0.20, "domain_mc_acc": 0.6}, parent, GateConfig())
    assert not bad.passed
    assert any("general_ppl" in r for r in bad.reasons) and any("instruct_pass" in r for r in bad.reasons)
    assert math.isclose(GateConfig().general_ppl_max_increase, 0.10)


def test_gate_blocks_a_diverged_candidate():
    parent = {"general_ppl": 20.0, "instruct_pass": 0.40, "domain_mc_acc": 0.5}
    for broken in (float("nan"), float("inf")):
        result = check_gate({"general_ppl": broken, "instruct_pass": 0.5, "domain_mc_acc": 0.6}, parent, GateConfig())
        assert not result.passed and "diverged" in result.reasons[0]


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU evaluates in bf16 weights, without autocast")
def test_eval_precision_bf16_autocasts_the_matmuls_and_keeps_the_scores(tiny_model_dir, tokenizer):
    from pipelines.core.generate import load_for_eval
    from pipelines.core.precision import autocast, resolved_precision

    assert resolved_precision("fp32") == "fp32" and resolved_precision("bf16") == "bf16"
    model, _ = load_for_eval(tiny_model_dir, None)
    texts = ["The Orbit Max plan costs 23 euros per month.", "Reset the router, then wait two minutes."] * 4
    scores = {}
    for precision in ("fp32", "bf16"):
        with autocast(precision):
            assert torch.is_autocast_enabled("cpu") == (precision == "bf16")
            scores[precision] = perplexity(model, tokenizer, texts, 64, 4)
    assert scores["bf16"] == pytest.approx(scores["fp32"], rel=0.02)


class AutocastSpy(NgramLM):
    """Records whether bf16 autocast was on for each scoring forward and each generation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scored: list[bool] = []
        self.generated: list[bool] = []

    def __call__(self, *args, **kwargs):
        self.scored.append(torch.is_autocast_enabled("cpu"))
        return super().__call__(*args, **kwargs)

    def generate(self, *args, **kwargs):
        self.generated.append(torch.is_autocast_enabled("cpu"))
        return super().generate(*args, **kwargs)


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU evaluates in bf16 weights, without autocast")
@pytest.mark.parametrize("score, generate", [("bf16", "fp32"), ("fp32", "bf16")])
def test_likelihood_metrics_and_generation_each_run_in_their_own_precision(tokenizer, score, generate):
    from pipelines.core.config import EvalConfig
    from pipelines.eval.runner import compute_metrics

    model = AutocastSpy([], len(tokenizer))
    cfg = EvalConfig(limit=3, max_new_tokens=4, instruct_max_new_tokens=4, precision=generate, score_precision=score)
    metrics = compute_metrics(model, tokenizer, cfg, max_len=64)
    assert set(metrics) >= {"domain_ppl", "general_ppl", "domain_mc_acc", "domain_qa_em", "instruct_pass"}
    assert model.scored and set(model.scored) == {score == "bf16"}
    assert model.generated and set(model.generated) == {generate == "bf16"}
