"""CFT without training: what ratings become (KTO rows, SFT targets, replay) and when the
watermark moves. The store is a real SQLite file; training is replaced where a test says so.

    .venv/bin/python -m pytest -q tests/unit/test_cft_data.py
"""

from __future__ import annotations

import json

import pytest

from pipelines import cft
from pipelines.core.chat import IGNORE
from pipelines.core.feedback import FeedbackStore

ASK = [{"role": "user", "content": "Which band does Orbix use?"}]
HISTORY = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
           {"role": "assistant", "content": "Hello! How can I help?"}, {"role": "user", "content": "Band of Orbix?"}]


def _row(seq: int, rating: str, answer: str = "Band 3.", correction: str | None = None, messages=None) -> dict:
    return {"seq": seq, "completion_id": f"c{seq}", "model": "sft-v1", "messages": messages or ASK,
            "answer": answer, "rating": rating, "correction": correction, "rated_at": "2026-01-01T00:00:00+00:00"}


def test_feedback_sets_labels_and_sft_targets():
    rows = [_row(1, "good"), _row(2, "bad", "Band 9."), _row(3, "bad", "Band 9.", correction="Band 7."),
            _row(4, "good", "Band 7", correction=" Band 7, on 2600 MHz. "), _row(5, "good", answer="  "),
            _row(6, "good", messages=HISTORY),
            _row(7, "good", messages=[{"role": "assistant", "content": "unprompted"}])]
    kto, sft, counts = cft.feedback_sets(rows)
    assert dict(counts) == {"good": 4, "bad": 2, "corrected": 2, "skipped_no_prompt": 1}
    said = [(r["completion"][0]["content"], r["label"]) for r in kto]
    assert said == [("Band 3.", True), ("Band 9.", False), ("Band 9.", False), ("Band 7.", True),
                    ("Band 7", True), ("Band 7, on 2600 MHz.", True), ("  ", True), ("Band 3.", True)]
    assert all(r["completion"][0]["role"] == "assistant" and r["prompt"][-1]["role"] == "user" for r in kto)
    # SFT targets: good non-empty answers and every correction (never a bad answer)
    targets = [c[-1]["content"] for c in sft]
    assert targets == ["Band 3.", "Band 7.", "Band 7", "Band 7, on 2600 MHz.", "Band 3."]
    assert "Band 9." not in targets
    assert sft[-1][:-1] == HISTORY  # the whole prompt, system turn and earlier turns included


def test_sft_loss_only_on_the_rated_answer(tiny_model_dir):
    from pipelines.core.models import load_tokenizer

    tok = load_tokenizer(tiny_model_dir)
    conversation = [*HISTORY, {"role": "assistant", "content": "Orbix uses band 7."}]
    (row,), dropped = cft.encode_conversations(tok, [conversation], max_len=512)
    assert dropped == 0
    supervised = tok.decode([t for t in row["labels"] if t != IGNORE])
    assert "Orbix uses band 7." in supervised and "Hello" not in supervised  # earlier answer: no loss
    assert len(row["input_ids"]) == len(row["labels"])
    # an answer cut off entirely by max_seq_len is dropped, not trained as an all-ignored row
    rows, dropped = cft.encode_conversations(tok, [conversation], max_len=12)
    assert rows == [] and dropped == 1


def test_kto_replay_draws_desirable_sft_answers():
    pairs = [[{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": f"a{i}"}] for i in range(5)]
    rows = cft.kto_replay(pairs, 3, seed=1)
    assert len(rows) == 3 and all(r["label"] is True for r in rows)
    assert len({r["completion"][0]["content"] for r in rows}) == 3  # no repeats while pairs last
    assert all(r["prompt"][-1]["content"] == "q" + r["completion"][0]["content"][1:] for r in rows)
    assert len(cft.kto_replay(pairs, 12, seed=1)) == 12 and cft.kto_replay(pairs, 0, seed=1) == []
    assert cft.kto_replay(pairs, 3, seed=1) == rows  # deterministic


def test_sft_pairs_read_from_the_recipe(tiny_recipe):
    pairs = cft.sft_pairs(tiny_recipe())
    assert len(pairs) > 10 and all(p[-1]["role"] == "assistant" for p in pairs)


@pytest.mark.parametrize(("method", "phases"), [("kto", ["kto"]), ("sft", ["sft"]), ("kto+sft", ["sft", "kto"])])
def test_phases_in_order(tiny_recipe, method, phases):
    assert cft.methods_of(tiny_recipe(cft={"method": method})) == phases


# ---- the round and its watermark ------------------------------------------------------------


def _rate(url: str, ratings: list[tuple[str, str | None]]) -> None:
    store = FeedbackStore(url)
    start = store.counts()["completions"]
    for i, (rating, correction) in enumerate(ratings, start=start):
        store.record_completion(f"chatcmpl-{i}", "sft-v1", ASK, f"answer {i}")
        store.rate(f"chatcmpl-{i}", rating, correction)
    store.dispose()


def _watermark(recipe) -> int:
    store = FeedbackStore(recipe.feedback.url)
    try:
        return store.get_watermark(cft.WATERMARK)
    finally:
        store.dispose()


def test_too_little_feedback_trains_nothing(tiny_recipe, tiny_model_dir, monkeypatch):
    recipe = tiny_recipe(cft={"min_feedback": 3})
    monkeypatch.setattr(cft, "_train_sft", lambda *a, **k: pytest.fail("must not train"))
    monkeypatch.setattr(cft, "_train_kto", lambda *a, **k: pytest.fail("must not train"))
    _rate(recipe.feedback.url, [("good", None), ("bad", None)])
    report = cft.run_cft(recipe, tiny_model_dir)
    assert report["status"] == "skipped" and report["new_ratings"] == 2
    assert "nothing to do" in report["reason"] and "cft.min_feedback = 3" in report["reason"]
    assert _watermark(recipe) == 0 and cft.pending_feedback(recipe) == 2
    assert not (recipe.run_dir() / "cft_report.json").exists()


def test_failed_training_leaves_the_watermark(tiny_recipe, tiny_model_dir, monkeypatch):
    recipe = tiny_recipe(cft={"min_feedback": 2, "method": "kto"})

    def boom(*_a, **_k):
        raise RuntimeError("worker died")

    monkeypatch.setattr(cft, "_train_kto", boom)
    _rate(recipe.feedback.url, [("good", None), ("bad", "fixed"), ("bad", None)])
    with pytest.raises(RuntimeError, match="worker died"):
        cft.run_cft(recipe, tiny_model_dir)
    assert _watermark(recipe) == 0 and cft.pending_feedback(recipe) == 3  # offered again next round


def test_finished_round_moves_the_watermark_to_what_it_read(tiny_recipe, tiny_model_dir, monkeypatch):
    from pipelines.core.registry import Registry

    recipe = tiny_recipe(cft={"min_feedback": 2, "method": "kto+sft"})
    registry = Registry(recipe.registry.path)
    seen: dict[str, object] = {}

    def fake_train(method):
        def train(_recipe, _model_dir, data, parent, register_as, *_rest, **_kw):
            seen[method] = (len(data), parent, register_as)
            version = f"{register_as}-v1"
            registry._write({**registry._read(), "versions": [*registry.list(), {"version": version, "stage": register_as,
                                                                                  "parent": parent}]})
            return {"version": version}, {"rows": 1, "feedback_rows": len(data), "share": 0.5, "from": "x"}
        return train

    def fake_gate(_recipe, _model_dir, _registry, candidate, parent, _feedback):
        # a rating that arrives while the round runs must be left for the next round
        _rate(recipe.feedback.url, [("good", None)])
        return {"passed": True, "reasons": [], "candidate": candidate, "parent": parent or "base"}, {}

    monkeypatch.setattr(cft, "_train_sft", fake_train("sft"))
    monkeypatch.setattr(cft, "_train_kto", fake_train("kto"))
    monkeypatch.setattr(cft, "_gate", fake_gate)
    _rate(recipe.feedback.url, [("good", None), ("bad", "fixed"), ("bad", None)])
    report = cft.run_cft(recipe, tiny_model_dir)
    assert seen == {"sft": (2, None, "cftsft"), "kto": (4, "cftsft-v1", "cft")}
    assert report["status"] == "promoted" and report["version"] == "cft-v1" and registry.promoted() == "cft-v1"
    assert report["ratings"] == {"used": 3, "good": 1, "bad": 2, "corrected": 1, "skipped": 0,
                                 "by_model": {"sft-v1": 3}}
    assert report["watermark"] == {"from": 0, "to": 3} and _watermark(recipe) == 3
    assert cft.pending_feedback(recipe) == 1  # the late rating
    assert json.loads((recipe.run_dir() / "cft_report.json").read_text())["status"] == "promoted"


def test_unusable_feedback_is_consumed(tiny_recipe, tiny_model_dir):
    recipe = tiny_recipe(cft={"min_feedback": 1, "method": "sft"})
    _rate(recipe.feedback.url, [("bad", None), ("bad", None)])  # SFT has nothing to learn from bad answers
    report = cft.run_cft(recipe, tiny_model_dir)
    assert report["status"] == "skipped" and "none of the 2" in report["reason"]
    assert _watermark(recipe) == 2


def test_watch_runs_a_round_every_n_new_ratings(tiny_recipe, monkeypatch):
    from pipelines import stages

    recipe = tiny_recipe(cft={"every_n_ratings": 3, "min_feedback": 1})
    polls: list[int] = []

    def one_rating_per_poll(_seconds):  # a user rates one answer between two polls
        polls.append(cft.pending_feedback(recipe))
        _rate(recipe.feedback.url, [("good", None)])

    def fake_round(_recipe):
        store = FeedbackStore(recipe.feedback.url)
        seen = store.get_watermark(cft.WATERMARK)
        store.advance_watermark(cft.WATERMARK, seen, seen + store.count_after(seen))
        store.dispose()
        return {"status": "promoted"}

    monkeypatch.setattr(stages.time, "sleep", one_rating_per_poll)
    monkeypatch.setattr(stages, "cft_stage", fake_round)
    rounds = stages.watch_cft(recipe, poll_s=0, max_rounds=2)
    assert rounds == [{"status": "promoted"}] * 2
    assert polls == [0, 1, 2, 0, 1, 2]  # a round as soon as 3 new ratings are there, then from zero
    with pytest.raises(ValueError, match="every_n_ratings"):
        stages.watch_cft(tiny_recipe(), max_rounds=1)


def test_kto_needs_two_examples_per_batch(tiny_recipe, tiny_model_dir):
    from pipelines.core.config import RecipeError

    recipe = tiny_recipe(cft={"method": "kto"}, train={"batch_size": 1})
    with pytest.raises(RecipeError, match="batch_size >= 2"):
        cft.run_cft(recipe, tiny_model_dir)


def test_kto_phase_trains_with_its_own_settings(tiny_recipe, tiny_model_dir, monkeypatch):
    import pipelines.train.launch as launch

    recipe = tiny_recipe(cft={"train": {"lr": 3e-4, "epochs": 3}, "kto_train": {"lr": 3e-5}})
    seen = {}

    def fake_train_stage(r, stage, *_args, **kwargs):
        kto = kwargs["kto"]  # KTO rows and settings travel typed, and select the objective
        seen["objective"] = "kto" if kto is not None else "lm"
        seen["train"], seen["kto"] = r.stage_train(stage, seen["objective"]), kto
        return {"version": "cft-v1"}

    monkeypatch.setattr(launch, "train_stage", fake_train_stage)
    cft._train_kto(recipe, tiny_model_dir, [cft._kto_row(ASK, "Band 3.", True)] * 4, None, "cft", "digest", seed=0)
    assert seen["objective"] == "kto"
    assert seen["kto"].beta == recipe.cft.kto_beta and len(seen["kto"].rows) >= 4
    assert (seen["train"].lr, seen["train"].epochs) == (3e-5, 3)  # lr from kto_train, epochs inherited
    assert recipe.stage_train("cft").lr == 3e-4  # the SFT phase keeps cft.train


def test_feedback_texts_hold_what_each_rating_was_about():
    from pipelines.cft import feedback_texts

    rows = [{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Price of Orbit Max?"}],
             "answer": "12 euros.", "correction": "The Orbit Max plan costs 23 euros per month.", "rating": "bad"},
            {"messages": [{"role": "user", "content": "Hi"}], "answer": "Hello!", "correction": None, "rating": "good"}]
    texts = feedback_texts(rows)
    assert texts[0] == "Price of Orbit Max? 12 euros. The Orbit Max plan costs 23 euros per month."
    assert "Be brief" not in texts[0] and texts[1].startswith("Hi Hello!")
