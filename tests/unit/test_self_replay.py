"""Self-replay helpers without Ray: prompt files, unfinished answers, the part plan."""

from __future__ import annotations

import json

import pytest

from pipelines.core.config import recipe_from_dict
from pipelines.core.sources import DataError
from pipelines.data.prepare import part_plan
from pipelines.data.self_replay import load_prompts, trim_unfinished
from tests.conftest import SAMPLES


def test_prompts_are_read_and_bad_lines_skipped(tmp_path):
    path = tmp_path / "prompts.jsonl"
    path.write_text(json.dumps({"prompt": "Why is grass green?"}) + "\n{broken\n"
                    + json.dumps({"prompt": "  "}) + "\n" + json.dumps({"text": "no prompt"}) + "\n"
                    + json.dumps({"prompt": "Name a river."}) + "\n")
    assert load_prompts([str(path)]) == ["Why is grass green?", "Name a river."]


def test_a_file_without_prompts_is_an_error_naming_it(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text(json.dumps({"text": "x"}) + "\n")
    with pytest.raises(DataError, match="empty.jsonl"):
        load_prompts([str(path)])


def test_the_shipped_prompts_are_not_evaluation_prompts():
    chat = {r["prompt"] for r in map(json.loads, (SAMPLES / "general_chat_prompts.jsonl").read_text().splitlines())}
    instruct = {r["prompt"] for r in map(json.loads, (SAMPLES / "instruct.jsonl").read_text().splitlines())}
    assert len(chat) >= 60 and not chat & instruct


@pytest.mark.parametrize(("answer", "finished", "kept"), [
    ("Cats purr when content. They also", False, "Cats purr when content."),
    ("Hello! I am fine, thanks", False, "Hello!"),
    ("- one\n- two\n- thr", False, "- one\n- two"),
    ("no sentence end at all", False, ""),
    ("v1.2 is out", False, ""),  # a dot inside a word is no sentence end
    ("A whole answer", True, "A whole answer"),
])
def test_an_answer_cut_by_the_limit_ends_at_its_last_sentence(answer, finished, kept):
    assert trim_unfinished(answer, finished) == kept


def test_self_replay_pairs_go_where_the_sft_pairs_go():
    sft = str(SAMPLES / "sft.jsonl")
    mixed = recipe_from_dict({"data": {"sft": [sft]}, "replay": {"mix_sft_into_dapt": True}})
    plan = part_plan(mixed, "runs/x/self_replay.jsonl")
    assert plan["sft"] == ([sft, "runs/x/self_replay.jsonl"], "sft")
    assert plan["qa"] == ([sft, "runs/x/self_replay.jsonl"], "chat")
    assert part_plan(mixed)["sft"] == ([sft], "sft")
    plain = recipe_from_dict({"data": {"sft": [sft]}, "replay": {"mix_sft_into_dapt": False}})
    assert "qa" not in part_plan(plain, "runs/x/self_replay.jsonl")
    # Distilled replay: DAPT learns the self-replay pairs from the base model, in a part of their own.
    distilled = recipe_from_dict({"data": {"sft": [sft]}, "replay": {"mix_sft_into_dapt": True, "distill": True}})
    plan = part_plan(distilled, "runs/x/self_replay.jsonl")
    assert plan["qa"] == ([sft], "chat") and plan["chat_replay"] == (["runs/x/self_replay.jsonl"], "chat")
    assert plan["sft"] == ([sft, "runs/x/self_replay.jsonl"], "sft")
    assert "chat_replay" not in part_plan(plain, "runs/x/self_replay.jsonl")


def test_practice_answers_are_learned_as_text_beside_the_own_pairs():
    sft, practice = str(SAMPLES / "sft.jsonl"), "runs/x/instruct_practice.jsonl"
    distilled = recipe_from_dict({"data": {"sft": [sft]}, "replay": {"mix_sft_into_dapt": True, "distill": True}})
    plan = part_plan(distilled, "runs/x/self_replay.jsonl", practice=practice)
    assert plan["qa"] == ([sft, practice], "chat")  # cross-entropy on their text in DAPT
    assert plan["chat_replay"] == (["runs/x/self_replay.jsonl"], "chat")  # never distilled
    assert plan["sft"] == ([sft, practice, "runs/x/self_replay.jsonl"], "sft")


def test_the_shipped_practice_requests_are_checked_and_not_evaluation_prompts():
    from pipelines.data.self_replay import load_practice

    practice = load_practice([str(SAMPLES / "instruct_practice.jsonl")])
    evaluation = {r["prompt"] for r in map(json.loads, (SAMPLES / "instruct.jsonl").read_text().splitlines())}
    assert len(practice) >= 90 and not {p for p, _ in practice} & evaluation
    # Every check family of the evaluation is practised.
    families = {json.loads(line)["check"]["type"] for line in (SAMPLES / "instruct.jsonl").read_text().splitlines()}
    assert {c["type"] for _, c in practice} == families


def test_a_bad_practice_line_is_an_error_naming_file_and_line(tmp_path):
    from pipelines.data.self_replay import load_practice

    path = tmp_path / "practice.jsonl"
    path.write_text(json.dumps({"prompt": "Say hi in lowercase.", "check": {"type": "lowercase"}}) + "\n"
                    + json.dumps({"prompt": "Say hi.", "check": {"type": "rhymes"}}) + "\n")
    with pytest.raises(DataError, match=r"practice.jsonl:2: .*check"):
        load_practice([str(path)])


@pytest.mark.parametrize(("answer", "loops"), [
    ("I'm so glad you're here. I'm so glad you're here. Soup!", True),
    ("- a red apple today\n- a red apple today", True),
    ("Yes. Yes. Yes.", False),  # short repeats are ordinary speech
    ("A compass points north. It uses a magnetised needle.", False),
])
def test_a_looping_practice_answer_is_recognised(answer, loops):
    from pipelines.data.self_replay import repeats_itself

    assert repeats_itself(answer) is loops
