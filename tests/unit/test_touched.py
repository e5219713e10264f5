"""Which evaluation facts a round of feedback touched (pipelines/eval/touched.py), and the gate
on the untouched ones."""

from __future__ import annotations

import json
import random

import pytest

from pipelines.core.config import GateConfig, recipe_from_dict
from pipelines.eval.gate import check_gate
from pipelines.eval.sets import load_items
from pipelines.eval.touched import item_text, split_metrics, split_share, touched, touched_marks
from pipelines.samples.world import ATTRIBUTE_BY_NAME, render
from tests.conftest import SAMPLES


def _sample():
    """The sample's multiple-choice items and, per item, what a user rating that fact would
    write: the question in a feedback wording (not the evaluation's) and the corrected sentence."""
    facts = {f["fact_id"]: f for f in json.loads((SAMPLES / "facts.json").read_text())["facts"]}
    items = load_items(str(SAMPLES / "eval_mc.jsonl"), "mc")
    feedback = []
    for item in items:
        f = facts[item["fact_id"]]
        attr = ATTRIBUTE_BY_NAME[f["attribute"]]
        feedback.append(render(attr.questions[0], f["entity"], f["value"]) + " "
                        + render(attr.answer, f["entity"], f["value"]))
    return items, feedback


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rated_facts_are_touched_and_the_others_not(seed):
    items, feedback = _sample()
    rated = set(random.Random(seed).sample(range(len(items)), round(0.75 * len(items))))
    marks = touched([item_text("mc", i) for i in items], [feedback[i] for i in sorted(rated)], 0.55)
    assert {i for i, m in enumerate(marks) if m} == rated


def test_japanese_facts_are_told_apart_without_spaces():
    items = ["東京本社の営業時間は何時からですか？ 9時から", "大阪支店の営業時間は何時からですか？ 10時から",
             "東京本社の電話番号は？ 03-1234-5678"]
    marks = touched(items, ["東京本社は何時に開きますか 東京本社の営業時間は9時からです"], 0.55)
    assert marks == [True, False, False]


def test_split_share_and_a_changed_set_is_an_error():
    assert split_share([1, 0, 1, 1], [True, True, False, False]) == {
        "touched": 0.5, "n_touched": 2, "untouched": 1.0, "n_untouched": 2}
    assert split_share([1], [True])["untouched"] is None
    with pytest.raises(ValueError, match="evaluation sets changed"):
        split_share([1, 0], [True])


def test_split_metrics_reads_the_recipes_sets():
    items, feedback = _sample()
    recipe = recipe_from_dict({"eval": {"mc": str(SAMPLES / "eval_mc.jsonl"), "qa": str(SAMPLES / "eval_qa.jsonl")}})
    outcomes = {"domain_mc_acc": [1] * len(items), "domain_qa_em": [0] * len(items)}
    out = split_metrics({"outcomes": outcomes}, touched_marks(recipe, feedback[:10]))
    assert out["n_domain_mc_acc_touched"] == 10 and out["n_domain_mc_acc_untouched"] == len(items) - 10
    assert out["domain_mc_acc_untouched"] == 1.0 and out["domain_qa_em_touched"] == 0.0


def test_the_gate_blocks_damage_to_untouched_facts_that_the_average_hides():
    parent = {"general_ppl": 20.0, "instruct_pass": 0.4, "domain_mc_acc": 0.60,
              "domain_mc_acc_untouched": 0.60, "n_domain_mc_acc_untouched": 17}
    # The corrected facts went up, the others down: the average holds, the untouched ones do not.
    hurt = {**parent, "domain_mc_acc": 0.66, "domain_mc_acc_untouched": 0.41}
    result = check_gate(hurt, parent, GateConfig())
    assert not result.passed and "collateral damage" in result.reasons[0] and "17 facts" in result.reasons[0]
    assert check_gate({**parent, "domain_mc_acc_untouched": 0.53}, parent, GateConfig()).passed
    # Evaluations without the split (a DAPT/SFT run's gate) are judged as before.
    assert check_gate({k: v for k, v in hurt.items() if "untouched" not in k}, parent, GateConfig()).passed
