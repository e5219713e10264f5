"""pipelines/eval/stats.py: how sure an accuracy is (Wilson interval) and whether two versions
differ on the same items (exact McNemar)."""

import pytest

from pipelines.eval.stats import confidence, format_confidence, mcnemar_exact, paired, wilson


def test_wilson_interval_matches_known_values():
    half = wilson(5, 10)
    assert (round(half.low, 3), round(half.high, 3)) == (0.237, 0.763)
    none = wilson(0, 10)
    assert none.low == 0.0 and round(none.high, 3) == 0.278  # never a zero-width interval at 0
    assert wilson(68, 68).high == 1.0 and wilson(68, 68).low > 0.9
    assert wilson(30, 100).high - wilson(30, 100).low < wilson(3, 10).high - wilson(3, 10).low  # more items, narrower


def test_mcnemar_counts_only_the_items_that_changed():
    assert mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(10, 0) == pytest.approx(2 / 1024)
    assert mcnemar_exact(3, 2) == 1.0  # one more right answer out of five changes: noise
    result = paired([True, True, False, True], [True, False, False, False])
    assert (result.gained, result.lost, result.n) == (2, 0, 4) and result.delta == 0.5
    with pytest.raises(ValueError, match="same items"):
        paired([True], [True, False])


def test_confidence_in_the_report_table():
    outcomes = {"base": {"domain_mc_acc": [0] * 30 + [1] * 10, "instruct_pass": [1, 0] * 25},
                "sft": {"domain_mc_acc": [1] * 30 + [1] * 10, "instruct_pass": [1, 0] * 24 + [0, 1]},
                "old": {}}  # evaluated before per-item outcomes were kept: left out
    conf = confidence(outcomes)
    assert set(conf) == {"base", "sft"}
    mc = conf["sft"]["domain_mc_acc"]
    assert mc["interval"]["n"] == 40 and mc["vs_base"]["gained"] == 30 and mc["vs_base"]["p_value"] < 0.001
    same = conf["sft"]["instruct_pass"]["vs_base"]
    assert (same["gained"], same["lost"], same["p_value"]) == (1, 1, 1.0)  # 0.50 -> 0.50 through two swaps
    table = format_confidence(conf)
    assert "n=40" in table and "+30/−0, p=<0.001" in table and "domain_qa_em" not in table
