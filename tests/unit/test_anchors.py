"""Anchor sentences for CFT (`cft.anchors`): same wording as a rated answer, another subject."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pipelines.core.config import Recipe
from pipelines.data.anchors import encode_anchors, pick_anchors, split_sentences

PLANS = {"Orbit Max": 23, "Tarn Unlimited": 52, "Lumo Start": 64, "Nimbus Pro": 17, "Fennel Lite": 12}
TERMS = {"Orbit Max": 24, "Tarn Unlimited": 18, "Lumo Start": 48, "Nimbus Pro": 6, "Fennel Lite": 12}


def corpus() -> list[str]:
    out = []
    for plan, price in PLANS.items():
        out += [f"The {plan} plan has a monthly fee of {price} euros.",
                f"Contracts for the {plan} plan last {TERMS[plan]} months.",
                f"Data on the {plan} plan: {price * 10} GB every month."]
    return out


def test_anchors_share_the_wording_not_the_subject():
    anchors = pick_anchors(["The Orbit Max plan costs 23 euros per month."], corpus(), per_answer=3)
    assert len(anchors) == 3
    # Other plans' prices in the answer's wording; nothing more about Orbit Max.
    assert all("monthly fee" in a and "Orbit Max" not in a for a in anchors), anchors


def test_a_sentence_about_any_rated_fact_is_no_anchor():
    rated = ["The Orbit Max plan costs 23 euros per month.", "The Lumo Start plan costs 64 euros per month."]
    anchors = pick_anchors(rated, corpus(), per_answer=4)
    assert anchors and not any("Lumo Start plan has a monthly fee" in a or "Orbit Max" in a for a in anchors)
    assert len(anchors) == len(set(anchors))  # none picked twice


def test_japanese_sentences_split_and_anchor():
    text = "オービットマックスの月額は23ユーロです。タルンの月額は52ユーロです。ルモの契約期間は48か月です。"
    pool = split_sentences(text)
    assert pool == ["オービットマックスの月額は23ユーロです。", "タルンの月額は52ユーロです。", "ルモの契約期間は48か月です。"]
    assert pick_anchors(["オービットマックスの月額は25ユーロです。"], pool, per_answer=1) == ["タルンの月額は52ユーロです。"]


def test_fragments_and_nothing_to_pick():
    assert split_sentences("## Plans\nOK.\nThe Orbit Max plan costs 23 euros.") == ["The Orbit Max plan costs 23 euros."]
    assert pick_anchors(["The Orbit Max plan costs 23 euros per month."], corpus(), per_answer=0) == []
    assert pick_anchors(["anything"], [], per_answer=3) == []


def test_anchor_rows_learn_every_token(tiny_model_dir):
    from pipelines.core.models import load_tokenizer

    rows = encode_anchors(load_tokenizer(tiny_model_dir), ["The Tarn Unlimited plan has a monthly fee of 52 euros."], max_len=8)
    assert len(rows) == 1 and len(rows[0]["input_ids"]) == 8 and rows[0]["labels"] == rows[0]["input_ids"]


def test_anchors_need_the_parent_as_teacher():
    with pytest.raises(ValidationError, match="cft.anchors needs cft.distill_replay"):
        Recipe.model_validate({"cft": {"anchors": 2}})
    assert Recipe.model_validate({"cft": {"anchors": 2, "distill_replay": True}}).cft.anchors == 2
