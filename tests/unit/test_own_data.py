"""Bring your own domain: input checks before anything runs, eval sets in common formats,
encoding edges, derived evaluation sets, epoch numbers. Real files, the tiny model's tokenizer,
no Ray."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.core.config import SAMPLE_EVAL, TrainConfig, recipe_from_dict
from pipelines.core.sources import parse_file
from pipelines.data.clean import normalize
from pipelines.eval.derive import derive_before_prepare, gold_span, resolved_eval, spans, words
from pipelines.eval.runner import mc_scoring
from pipelines.eval.sets import EvalSetError, load_documents, load_items, mc_item
from pipelines.inputs import check_inputs
from pipelines.train.launch import epochs_done
from tests.conftest import ROOT, SAMPLES

PAGES = {
    "keep.md": "# Emberhold Keep\n\nEmberhold Keep guards the northern pass of Varrow. Its warden is Captain Ysolde Marr.",
    "sword.md": "# Glasswing Sword\n\nThe Glasswing Sword deals frost damage and is forged by the smith Oren Tully.",
    "lake.txt": "Lake Sorrow lies east of Emberhold Keep. Its water glows violet during the Ashen Moon festival.",
    "guild.md": "# Lantern Guild\n\nThe Lantern Guild trades moonstone and meets every ninth day in the city of Quell.",
}
PAIRS = [
    ("Who is the warden of Emberhold Keep?", "Captain Ysolde Marr is the warden of Emberhold Keep."),
    ("Who forges the Glasswing Sword?", "The smith Oren Tully forges the Glasswing Sword."),
    ("What colour does Lake Sorrow glow?", "Lake Sorrow glows violet during the Ashen Moon festival."),
    ("What does the Lantern Guild trade?", "The Lantern Guild trades moonstone."),
    ("Where does the Lantern Guild meet?", "The Lantern Guild meets in the city of Quell."),
    ("What is the capital of the moon?", "Nobody has written that down anywhere."),  # not in the corpus
]


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture
def wiki(tmp_path) -> Path:
    """A small game wiki: Markdown/text pages, a JSONL of pages, QA pairs."""
    pages = tmp_path / "wiki"
    pages.mkdir()
    for name, text in PAGES.items():
        (pages / name).write_text(text)
    _write_jsonl(pages / "more.jsonl", [{"text": "The Ashen Moon festival lasts three nights in Quell."}])
    _write_jsonl(tmp_path / "qa.jsonl", [{"instruction": q, "output": a} for q, a in PAIRS])
    return tmp_path


def _recipe(root: Path, **sections):
    data = {"run": {"name": "wiki", "root": str(root / "runs")}, "model": {"name": "tiny"},
            "data": {"corpus": [str(root / "wiki")], "sft": [str(root / "qa.jsonl")]},
            "replay": {"sources": [str(SAMPLES / "general_replay.jsonl")]}}
    for key, value in sections.items():
        data.setdefault(key, {}).update(value)
    return recipe_from_dict(data, "<wiki recipe>")


# ---- checks before anything runs -----------------------------------------------------------


def test_validate_fails_fast_on_a_bad_path_and_a_bad_mc_file(wiki):
    """The CLI, as a user runs it: a missing corpus path and an MC item without `answer` are
    errors naming the key / file:line and field, in well under 10 seconds, with no traceback."""
    mc = _write_jsonl(wiki / "mc.jsonl", [
        {"question": "Who forges the Glasswing Sword?", "choices": ["Oren Tully", "Ysolde Marr"], "answer": 0},
        {"question": "Where does the Lantern Guild meet?", "choices": ["Quell", "Varrow"]},
    ])
    recipe = wiki / "recipe.yaml"
    recipe.write_text(json.dumps({
        "run": {"name": "wiki", "root": str(wiki / "runs")}, "model": {"name": "tiny"},
        "data": {"corpus": [str(wiki / "wiki"), str(wiki / "no-such-folder")], "sft": [str(wiki / "qa.jsonl")]},
        "eval": {"mc": str(mc), "qa": str(wiki / "qa.jsonl"), "domain_heldout": str(wiki / "wiki" / "lake.txt")},
    }))
    start = time.time()
    proc = subprocess.run([sys.executable, "-m", "pipelines.cli", "validate", str(recipe)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert time.time() - start < 10
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "data.corpus: no input files" in proc.stderr and "no-such-folder" in proc.stderr
    assert f"{mc}:2: field 'answer'" in proc.stderr
    # The QA file is SFT pairs, not {question, answer}: every line is named with the field.
    assert f"{wiki / 'qa.jsonl'}:1: missing field 'question'" in proc.stderr


def test_validate_warns_about_skipped_training_records_with_their_location(wiki):
    broken = wiki / "wiki" / "broken"
    broken.mkdir()
    _write_jsonl(broken / "pages.jsonl", [{"text": "ok page about Quell and its nine bridges."}, {"body": "x"}])
    (broken / "pages.jsonl").open("a").write("{not json\n")
    _write_jsonl(broken / "huge.jsonl", [{"text": "y" * 300_000}])
    (broken / "empty.md").write_text("")
    found = check_inputs(_recipe(wiki), ["prepare"])
    assert not found.errors
    text = "\n".join(found.warnings)
    assert f"{broken / 'pages.jsonl'}:2: missing field 'text'" in text
    assert f"{broken / 'pages.jsonl'}:3: invalid JSON" in text
    assert f"{broken / 'huge.jsonl'}:1: 300000 characters, over data.max_chars (200000)" in text
    assert f"{broken / 'empty.md'}: empty file" in text


def test_sft_problems_name_the_field_and_nothing_usable_is_an_error(wiki):
    bad = _write_jsonl(wiki / "bad_sft.jsonl", [{"question": "q", "answer": "a"}, {"instruction": "q", "output": ""}])
    found = check_inputs(_recipe(wiki, data={"sft": [str(bad)]}), ["prepare"])
    assert f"{bad}:1: missing field 'instruction' (or use 'messages')" in "\n".join(found.warnings)
    assert f"{bad}:2: field 'output' must be a non-empty string" in "\n".join(found.warnings)
    assert any(e.startswith("data.sft: no usable record") for e in found.errors)


def test_quickstart_validates_clean():
    from pipelines.core.config import load_recipe

    found = check_inputs(load_recipe(ROOT / "pipelines/recipes/quickstart.yaml"))
    assert found.errors == [] and found.warnings == []


# ---- evaluation formats -------------------------------------------------------------------


def test_mc_items_in_common_formats():
    base = {"question": "Who forges the Glasswing Sword?"}
    assert mc_item({**base, "options": ["a", "b", "c"], "answer": 2})["answer"] == 2
    assert mc_item({**base, "choices": ["a", "b", "c"], "answer": "B"})["answer"] == 1
    assert mc_item({**base, "choices": ["Oren Tully", "b"], "answer": "Oren Tully"})["answer"] == 0
    assert mc_item({**base, "choices": ["a", "b"], "answer": 0})["statement"] is None
    for bad, field in [({"choices": ["a"], "answer": 0}, "'choices'"),
                       ({"options": ["a", "b"], "answer": 5}, "'answer'"),
                       ({"options": ["a", "b"], "answer": 0, "statement": "no slot"}, "'statement'"),
                       ({"answer": 0}, "'options'")]:
        with pytest.raises(ValueError, match=field):
            mc_item({**base, **bad})


def test_mc_without_statement_is_scored_as_the_option_answering_the_question(tokenizer):
    """A toy model that knows `question -> correct option` in the chat format gets every item
    right with the fallback scoring, and the report says which scoring was used."""
    from pipelines.core.chat import encode_chat
    from pipelines.eval.metrics import mc_accuracy
    from tests.unit.test_eval_metrics import NgramLM

    items = [mc_item({"question": q, "choices": [a, "Nobody knows."], "answer": 0}) for q, a in PAIRS[:4]]
    known = [encode_chat(tokenizer, [{"role": "user", "content": i["question"]},
                                     {"role": "assistant", "content": i["options"][0]}], 256)["input_ids"]
             for i in items]
    model = NgramLM(known, vocab=len(tokenizer))
    assert mc_accuracy(model, tokenizer, items, 256, 8) == 1.0
    assert mc_scoring(items) == "question+option"
    assert mc_scoring([{**items[0], "statement": "It is {option}."}, items[1]]) == "mixed"


@pytest.fixture(scope="module")
def tokenizer(tiny_model_dir):
    from pipelines.core.models import load_tokenizer

    return load_tokenizer(tiny_model_dir)


def test_heldout_documents_as_txt_md_and_jsonl(wiki):
    assert load_documents(str(wiki / "wiki" / "lake.txt")) == [PAGES["lake.txt"]]
    assert len(load_documents(str(wiki / "wiki"))) == 5  # four pages and one JSONL record
    bad = _write_jsonl(wiki / "held.jsonl", [{"text": "fine"}, {"body": "wrong field"}])
    with pytest.raises(EvalSetError, match=rf"{bad}:2: missing field"):
        load_documents(str(bad))


def test_eval_file_errors_name_file_line_and_field(tmp_path):
    qa = _write_jsonl(tmp_path / "qa.jsonl", [{"question": "q", "answer": "a"}, {"question": "q2"}])
    with pytest.raises(EvalSetError, match=rf"{qa}:2: missing field 'answer'"):
        load_items(str(qa), "qa")
    with pytest.raises(EvalSetError, match="a mc set is a .jsonl file"):
        load_items(str(tmp_path / "mc.txt"), "mc")


# ---- encoding edges ------------------------------------------------------------------------


def test_byte_order_marks_are_stripped_everywhere(tmp_path):
    bom = b"\xef\xbb\xbf"
    (md,) = parse_file(bom + b"# Title\n\nBody text.", "page.md")
    assert md["text"] == "# Title\n\nBody text." and not md["reason"]
    first, second = parse_file(bom + b'{"text": "one"}\n{"text": "two"}\n', "pages.jsonl")
    assert (first["text"], second["text"]) == ("one", "two")
    assert normalize("a\ufeffb") == "ab"
    tmp = tmp_path / "qa.jsonl"  # the eval readers strip it too
    tmp.write_bytes(bom + b'{"question": "q", "answer": "a"}\n')
    assert load_items(str(tmp), "qa")[0]["answer"] == "a"


# ---- derived evaluation -------------------------------------------------------------------


def test_sample_corpus_keeps_its_sample_eval_sets(tiny_recipe):
    """The quickstart and every test recipe on the bundled corpus evaluate as before."""
    r = tiny_recipe()
    assert not r.eval.derived() and {k: getattr(r.eval, k) for k in SAMPLE_EVAL} == SAMPLE_EVAL
    part = tiny_recipe(data={"corpus": [str(SAMPLES / "corpus" / "manual"), str(SAMPLES / "corpus" / "faq")]})
    assert {k: getattr(part.eval, k) for k in SAMPLE_EVAL} == SAMPLE_EVAL
    mixed = tiny_recipe(data={"corpus": [str(SAMPLES / "corpus" / "manual"), str(ROOT / "docs" / "own_data" / "wiki")]})
    assert mixed.eval.derived()  # a corpus of the user's own (in part): its own evaluation


def test_gold_answer_is_the_span_the_corpus_states_and_the_question_does_not():
    corpus = ["Its warden is Captain Ysolde Marr.", "Orbit Max is priced at 28 euros per month, error VT-417 aside."]
    present = set().union(*(spans(words(t)) for t in corpus))
    assert gold_span("Who is the warden of Emberhold Keep?", "Captain Ysolde Marr is the warden of Emberhold Keep.",
                     present) == "captain ysolde marr"
    assert gold_span("Which monthly price applies to the Orbit Max plan?",
                     "The Orbit Max plan costs 28 euros per month.", present) == "28 euros per month"
    assert gold_span("What does error VT-417 mean?", "Error VT-417 means the SIM is locked.", present) is None
    assert gold_span("Who guards Lake Sorrow?", "Nobody is known.", present) is None  # "is" proves nothing


def test_derived_qa_is_held_out_of_the_sft_data(wiki):
    recipe = _recipe(wiki, eval={"auto_qa_fraction": 0.99})  # every supported pair
    assert recipe.eval.derived()
    sft_inputs = derive_before_prepare(recipe)
    cfg = resolved_eval(recipe)
    held = load_items(cfg.qa, "qa")
    kept = [json.loads(line) for line in Path(sft_inputs[0]).read_text().splitlines()]
    assert held and kept and len(held) + len(kept) == len(PAIRS)
    assert not {i["question"] for i in held} & {k["instruction"] for k in kept}  # no SFT leak
    assert not {i["reference"] for i in held} & {k["output"] for k in kept}  # not even in other words
    assert "What is the capital of the moon?" not in {i["question"] for i in held}  # unsupported: stays in SFT
    for item in held:  # the gold answer is the span the corpus states, the full answer the reference
        assert item["answer"] in " ".join(words(item["reference"])) and item["answer"] != item["reference"]
    assert all(i["source"].startswith(f"{wiki / 'qa.jsonl'}:") for i in held)
    derive_before_prepare(recipe)  # stable: the same pairs on every run
    assert load_items(resolved_eval(recipe).qa, "qa") == held


def test_eval_without_prepare_needs_the_derived_sets(wiki):
    found = check_inputs(_recipe(wiki), ["eval"])
    assert any("run it first" in e for e in found.errors)


# ---- training summaries -------------------------------------------------------------------


def test_epochs_done_counts_passes_over_the_rows():
    t = TrainConfig(batch_size=4, grad_accum=1)
    assert epochs_done(300, 400, t, 1) == 3.0  # 3 epochs of 400 rows at 4 rows a step
    assert epochs_done(26, 520, t, 1) == 0.2
    assert epochs_done(10, 80, t, 2) == 1.0


@pytest.mark.parametrize("name", ["recipe.yaml", "recipe_with_eval.yaml"])
def test_the_readme_examples_validate(name, monkeypatch):
    """docs/own_data: one example file per format, as the README shows them."""
    from pipelines.core.config import load_recipe

    monkeypatch.chdir(ROOT)
    recipe = load_recipe(ROOT / "docs" / "own_data" / name)
    assert recipe.eval.derived() == (name == "recipe.yaml")
    found = check_inputs(recipe)
    assert found.errors == [] and found.warnings == []
    if not recipe.eval.derived():
        assert [i["answer"] for i in load_items(recipe.eval.mc, "mc")] == [1, 0]


def test_derived_pairs_leave_the_dapt_stream_too(wiki):
    from pipelines.data.prepare import part_plan

    recipe = _recipe(wiki, replay={"mix_sft_into_dapt": True}, eval={"auto_qa_fraction": 0.5})
    kept = derive_before_prepare(recipe)
    plan = part_plan(recipe, None, kept)
    assert plan["sft"][0] == kept and plan["qa"][0] == kept
    assert part_plan(recipe, None)["sft"][0] == recipe.data.sft  # nothing derived: the recipe's own


def test_runner_scores_a_recipe_whose_mc_file_has_no_statement(tiny_model_dir, monkeypatch):
    """The runner on docs/own_data's sets with the tiny model: the MC file has one item without a
    statement, so the scoring is reported as mixed; held-out .txt gives domain_ppl."""
    from pipelines.core.config import load_recipe
    from pipelines.core.generate import load_for_eval
    from pipelines.eval.runner import compute_metrics

    monkeypatch.chdir(ROOT)
    recipe = load_recipe(ROOT / "docs" / "own_data" / "recipe_with_eval.yaml", ["eval.limit=2"])
    model, tokenizer = load_for_eval(tiny_model_dir, None)
    metrics = compute_metrics(model, tokenizer, resolved_eval(recipe).model_copy(update={"instruct_max_new_tokens": 4,
                                                                                          "max_new_tokens": 4}), 128)
    assert metrics["domain_mc_scoring"] == "mixed"
    assert 0.0 <= metrics["domain_mc_acc"] <= 1.0 and metrics["domain_ppl"] > 1.0
    assert metrics["domain_qa_em"] is not None


def test_a_data_error_from_a_ray_task_reaches_the_user_as_its_message(monkeypatch, capsys):
    """An eval file that broke inside the evaluation task: the message, not the task's traceback."""
    from ray.exceptions import RayTaskError

    from pipelines import cli

    wrapped = RayTaskError("_evaluate_task", "Traceback (most recent call last): ...",
                           EvalSetError("mc set m.jsonl cannot be used:\n  m.jsonl:3: missing field 'answer'"))

    def fails(_args):
        raise wrapped.as_instanceof_cause()

    monkeypatch.setattr(cli, "cmd_run", fails)
    assert cli.main(["run", "pipelines/recipes/quickstart.yaml"]) == 2
    err = capsys.readouterr().err
    assert "m.jsonl:3: missing field 'answer'" in err and "Traceback" not in err


def test_a_run_stops_at_a_bad_input_before_ray_or_a_model(wiki):
    """`run` checks the inputs first: a corpus path that matches nothing fails at once, before
    self-replay answers are generated or Ray starts, naming the key and the path."""
    import ray

    from pipelines.inputs import InputError
    from pipelines.stages import run_recipe

    recipe = _recipe(wiki, data={"corpus": [str(wiki / "wikki")]},
                     replay={"chat_prompts": [str(SAMPLES / "general_chat_prompts.jsonl")]})
    from pipelines.data.self_replay import FILE, KEY_FILE

    already = ray.is_initialized()  # in the full suite the integration tests' session Ray may run
    with pytest.raises(InputError, match=r"data.corpus: no input files .* match '.*wikki'"):
        run_recipe(recipe)
    assert ray.is_initialized() == already
    assert not (recipe.run_dir() / FILE).exists() and not (recipe.run_dir() / KEY_FILE).exists()
