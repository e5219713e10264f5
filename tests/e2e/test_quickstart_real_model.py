"""The quickstart recipe end to end on the real bundled 135M model (few steps, small eval)."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from pipelines.cli import main
from pipelines.core.precision import resolved_precision
from pipelines.core.registry import Registry
from pipelines.eval.instruct import check_instruction

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("ray_session")]

RECIPE = "pipelines/recipes/quickstart.yaml"


def test_quickstart_prepares_trains_and_reports_on_the_real_model(tmp_path, capsys):
    overrides = [f"run.root={tmp_path}", "run.name=e2e", f"registry.path={tmp_path / 'registry'}",
                 "train.max_steps=2", "train.eval_steps=2", "train.save_steps=2", "train.max_eval_rows=8",
                 "eval.limit=3", "eval.max_new_tokens=8", "eval.instruct_max_new_tokens=16",
                 "replay.chat_max_new_tokens=24", "replay.instruct_tries=2",
                 # practice answers, whether or not the shipped quickstart turns them on
                 "replay.instruct_prompts=[pipelines/samples/telecom/instruct_practice.jsonl]"]
    for stage in ("prepare", "dapt", "sft", "eval"):
        assert main([stage, RECIPE, *overrides]) == 0, stage

    run = tmp_path / "e2e"
    report = json.loads((run / "report.json").read_text())
    assert report["model"] == "smollm2-135m" and report["hardware"]["device"] == "cpu"
    assert report["hardware"]["eval_precision"] == "fp32"  # generation: greedy answers flip at near-ties in bf16
    # Likelihood metrics: bf16 autocast where this CPU has native bf16 (`eval.score_precision: auto`).
    assert report["hardware"]["score_precision"] == resolved_precision("auto")
    assert list(report["stages"]) == ["base", "dapt", "sft"]
    for stage in report["stages"].values():
        assert {"domain_ppl", "general_ppl", "domain_mc_acc", "domain_qa_em", "instruct_pass"} <= set(stage)
        assert stage["domain_ppl"] > 1 and 0 <= stage["domain_mc_acc"] <= 1
    assert report["stages"]["sft"]["train_tokens"] > 0 and report["stages"]["sft"]["tokens_per_s"] > 0
    assert set(report["gate"]) >= {"passed", "reasons"}
    for png in ("metrics.png", "loss_curves.png"):
        assert Image.open(run / png).size[0] > 200
    assert "| domain_mc_acc |" in (run / "report.md").read_text()
    assert "| domain_mc_acc |" in capsys.readouterr().out  # the table is printed at the end

    registry = Registry(tmp_path / "registry")
    sft = report["stages"]["sft"]["version"]
    assert registry.lineage(sft) == [sft, report["stages"]["dapt"]["version"]]
    data = json.loads((run / "data_report.json").read_text())
    assert data["parts"]["domain"]["documents_out"] > 100 and data["parts"]["domain"]["bad_records"] == {}
    # Self-replay: the real model's own answers (cut at 24 tokens, so kept up to their last full
    # sentence) joined the 204 SFT pairs, and every one is an answer to one of the shipped prompts.
    pairs = [json.loads(line) for line in (run / "self_replay.jsonl").read_text().splitlines()]
    prompts = {json.loads(line)["prompt"] for line in open("pipelines/samples/telecom/general_chat_prompts.jsonl")}
    assert 10 <= len(pairs) <= len(prompts) and all(p["instruction"] in prompts and p["output"] for p in pairs)
    # Practice: the real model's own answers to the practice requests, each passing its rule check.
    practice = [json.loads(line) for line in (run / "instruct_practice.jsonl").read_text().splitlines()]
    assert practice and all(check_instruction(p["output"], p["check"]) for p in practice)
    assert data["practice"]["requests"] == 96 and data["practice"]["kept"] == len(practice)
    own = 204 + len(practice)
    assert data["parts"]["sft"]["records_in"] == own + len(pairs) and data["parts"]["sft"]["bad_records"] == {}
    # With replay.distill, DAPT learns self-replay from the base model as a part of its own, not as
    # text; the practice answers are learned from their text, beside the SFT pairs.
    assert data["parts"]["qa"]["records_in"] == own and data["parts"]["chat_replay"]["records_in"] == len(pairs)
    assert "chat_replay" in data["mix"]["dapt"]["base_parts"]
    # Evaluation says how sure each accuracy is: items, interval, and each version against base.
    conf = report["confidence"]
    assert conf["base"]["domain_mc_acc"]["interval"]["n"] == 3  # eval.limit=3
    assert {"n", "gained", "lost", "p_value"} <= set(conf["sft"]["instruct_pass"]["vs_base"])
    assert "95% interval" in (run / "report.md").read_text()

    # A recipe change that flips the gate shows in the printed table and the report, and promotes
    # nothing: SFT again at a destructive learning rate, then the evaluation stage.
    promoted = registry.promoted()
    assert main(["sft", RECIPE, *overrides, "sft.lr=1e30"]) == 0
    capsys.readouterr()
    assert main(["eval", RECIPE, *overrides]) == 0
    printed = capsys.readouterr().out
    broken = json.loads((run / "report.json").read_text())
    assert broken["stages"]["sft"]["version"] != sft and not broken["gate"]["passed"], broken["gate"]
    assert "| general_ppl |" in printed and "gate: FAILED" in printed
    assert any("diverged" in reason for reason in broken["gate"]["reasons"]), broken["gate"]
    assert "FAILED" in (run / "report.md").read_text()
    assert Registry(tmp_path / "registry").promoted() == promoted  # the broken version is not served
