"""The closed loop on CPU: serve → chat → rate → CFT → gate → hot promotion, with the tiny model.

Real Ray (Serve, Train, Data), a real SQLite feedback store, the HTTP API driven with the
official `openai` client and httpx; nothing is mocked. The steps depend on each other and
run in order inside one test:

1. precondition: prepared sample data and a promoted SFT adapter (a few steps);
2. chats and ratings (good, bad, corrections) through the API;
3. a CFT round (SFT then KTO, with replay) promotes a new version, which the running server
   lists as promoted and answers with, without a restart;
4. a second round with no new feedback: nothing to do, no new version;
5. new feedback and a forced regression (an absurd learning rate: NaN weights): rejected,
   the server keeps serving the parent; `adapters rollback` then returns to the SFT version.

    .venv/bin/python -m pytest -q tests/integration/test_cft_loop.py
"""

from __future__ import annotations

import json
import time

import httpx
import openai
import pytest

from cluster.runtime import free_port
from pipelines.core.config import recipe_from_dict
from pipelines.core.feedback import FeedbackStore
from pipelines.core.registry import Registry
from tests.conftest import SAMPLES

QUESTIONS = [
    "Which band does the Orbix router use?",
    "How do I reset my Kestrel X2?",
    "What does the Veltrano Plus plan include?",
    "When does the Tokyo shop open?",
    "How many LAN ports does the Kestrel X2 have?",
    "Can I keep my number when I switch plans?",
    "What is the roaming fee in Europe?",
    "How do I change the Wi-Fi password?",
]
CORRECTIONS = {1: "Hold the reset button for ten seconds.", 4: "It has four LAN ports."}


def _recipe(root, port: int, **changes):
    data = {
        "run": {"name": "loop", "root": str(root / "runs")},
        "model": {"name": "tiny", "max_seq_len": 128},
        "data": {"corpus": [str(SAMPLES / "corpus" / "manual")], "sft": [str(SAMPLES / "sft.jsonl")],
                 "block_size": 64},
        "replay": {"sources": [str(SAMPLES / "general_replay.jsonl")], "ratio": 0.25, "sft_replay_ratio": 0.25},
        "lora": {"r": 8, "alpha": 16},
        "train": {"max_steps": 3, "batch_size": 4, "lr": 5e-3, "eval_steps": 3, "save_steps": 3,
                  "logging_steps": 1, "warmup_ratio": 0.0, "max_eval_rows": 8},
        "cft": {"method": "kto+sft", "min_feedback": 6, "train": {"max_steps": 3, "lr": 1e-3}},
        # Tiny random model: the metrics are noise, so the happy path uses wide tolerances.
        "gate": {"general_ppl_max_increase": 1.0, "instruct_pass_max_drop": 1.0, "domain_mc_acc_max_drop": 1.0},
        "eval": {"limit": 3, "max_new_tokens": 4, "instruct_max_new_tokens": 8, "batch_size": 4},
        "registry": {"path": str(root / "registry")},
        "feedback": {"url": f"sqlite:///{root / 'feedback.db'}"},
        "serve": {"port": port, "max_new_tokens": 16, "ui_port": 0},
        "scaling": {"num_workers": 1, "cpus_per_worker": 1},
    }
    for key, value in changes.items():
        data[key] = {**data.get(key, {}), **value}
    return recipe_from_dict(data, "<cft loop test>")


@pytest.fixture(scope="module")
def loop(ray_session, tmp_path_factory):
    """Prepared data, a promoted SFT version, and the server running on that registry."""
    from ray import serve

    from pipelines.stages import prepare_stage, sft_stage
    from serving.launch import start

    root = tmp_path_factory.mktemp("cft")
    recipe = _recipe(root, free_port())
    prepare_stage(recipe)
    first = sft_stage(recipe)["version"]
    registry = Registry(recipe.registry.path)
    registry.promote(first)
    urls = start(recipe)
    yield {"recipe": recipe, "root": root, "urls": urls, "registry": registry, "sft": first}
    serve.shutdown()


def _chat_and_rate(urls: dict[str, str], questions: list[str], tag: str) -> list[str]:
    """One chat per question (model `domain`) and a rating for each: alternately good and bad,
    with a correction on some. Returns the completion ids."""
    client = openai.OpenAI(base_url=urls["api"], api_key="unused", max_retries=0, timeout=120)
    ids = []
    with httpx.Client(base_url=urls["api"], timeout=60) as http:
        for i, question in enumerate(questions):
            reply = client.chat.completions.create(model="domain", messages=[{"role": "user", "content": question}],
                                                   max_tokens=6, temperature=0)
            body = {"completion_id": reply.id, "rating": "good" if i % 2 == 0 else "bad"}
            if i in CORRECTIONS:
                body["correction"] = f"{CORRECTIONS[i]} ({tag})"
            response = http.post("/feedback", json=body)
            assert response.status_code == 200, response.text
            ids.append(reply.id)
    return ids


def _models(urls: dict[str, str]) -> dict[str, dict]:
    client = openai.OpenAI(base_url=urls["api"], api_key="unused", max_retries=0, timeout=60)
    return {m.id: m.model_dump() for m in client.models.list()}


def _wait_for_alias(urls: dict[str, str], version: str, timeout: float = 30) -> dict[str, dict]:
    """The replica looks at registry.json at most once a second: poll /v1/models until `domain` follows."""
    deadline = time.monotonic() + timeout
    while True:
        models = _models(urls)
        if models.get("domain", {}).get("alias_of") == version or time.monotonic() > deadline:
            return models
        time.sleep(0.5)


def _ask(urls: dict[str, str], model: str) -> str:
    client = openai.OpenAI(base_url=urls["api"], api_key="unused", max_retries=0, timeout=120)
    reply = client.chat.completions.create(model=model, messages=[{"role": "user", "content": QUESTIONS[0]}],
                                           max_tokens=4, temperature=0)
    assert reply.choices[0].message.content is not None
    return reply.model


def test_cft_closed_loop(loop):
    from pipelines.cli import main as cli
    from pipelines.stages import cft_stage

    recipe, urls, registry, sft = loop["recipe"], loop["urls"], loop["registry"], loop["sft"]
    assert _models(urls)["domain"]["alias_of"] == sft

    # -- feedback through the API, then a round that trains SFT then KTO on top of sft-v1
    _chat_and_rate(urls, QUESTIONS, "round 1")
    # Its SFT phase learns the replayed pairs from the parent's distributions (cft.distill_replay):
    # the parent's adapter loaded again, frozen, as the teacher; not part of the new version. Beside
    # them, anchor sentences from the prepared domain corpus (cft.anchors), learned the same way.
    first = cft_stage(recipe.model_copy(update={"cft": recipe.cft.model_copy(update={"distill_replay": True,
                                                                                       "anchors": 2})}))
    assert first["status"] == "promoted", first["gate"]
    new = first["version"]
    assert first["parent"] == sft and first["phases"] == ["sft", "kto"]
    assert first["ratings"] == {"used": 8, "good": 4, "bad": 4, "corrected": 2, "skipped": 0, "by_model": {sft: 8}}
    # SFT: good answers (the random model may answer nothing: those are not targets) + corrections;
    # KTO: every rating + every correction
    store = FeedbackStore(recipe.feedback.url)
    rated = store.ratings_after(0)
    store.dispose()
    good_answers = sum(1 for r in rated if r["rating"] == "good" and r["answer"].strip())
    assert first["examples"] == {"sft": good_answers + 2, "kto": 10}
    sft_rows = first["examples"]["sft"]
    anchors = first["replay"]["sft"]["anchors"]
    assert 1 <= anchors <= 2 * sft_rows
    # replay: 1/4 of each phase's mix, plus the anchors in SFT
    assert first["replay"]["sft"]["rows"] == round(sft_rows / 3) + anchors and first["replay"]["kto"]["rows"] == 3
    replayed = first["replay"]["sft"]["rows"] + 3
    assert first["replay_share"] == round(replayed / (replayed + sft_rows + 10), 3)
    assert first["replay"]["sft"]["learned_from"] == "the parent's distributions"
    assert first["watermark"] == {"from": 0, "to": 8}
    # The gate also judged the evaluation facts apart from what the feedback was about: these
    # chats ask about routers and plans in words no multiple-choice item uses, so all 3 are untouched.
    for side in ("candidate", "parent"):
        metrics = first["metrics"][side]
        assert metrics["n_domain_mc_acc_untouched"] == 3 and metrics["n_domain_mc_acc_touched"] == 0, metrics
        assert metrics["domain_mc_acc_untouched"] == metrics["domain_mc_acc"]
    assert json.loads((recipe.run_dir() / "cft_report.json").read_text())["version"] == new
    assert registry.promoted() == new
    lineage = registry.lineage(new)
    assert lineage[0] == new and lineage[1].startswith("cftsft-") and lineage[2] == sft
    assert not (registry.local_adapter_dir(lineage[1]) / "ref").exists()  # the frozen teacher is not saved

    models = _wait_for_alias(urls, new)
    assert models["domain"]["alias_of"] == new, "the server did not pick up the promoted version"
    assert models[new]["promoted"] is True and models[sft]["promoted"] is False
    assert _ask(urls, new) == new and _ask(urls, "domain") == new  # served without a restart

    # -- no new feedback: nothing to do, no new version
    versions = [r["version"] for r in registry.list()]
    again = cft_stage(recipe)
    assert again["status"] == "skipped" and "nothing to do" in again["reason"] and again["new_ratings"] == 0
    assert [r["version"] for r in registry.list()] == versions and registry.promoted() == new

    # -- new feedback, a forced regression: trained, rejected, not served. The tiny random model's
    # perplexity hardly moves whatever it learns (its logits stay near uniform), so the regression
    # is a divergence: an absurd learning rate turns the weights into NaN after one step.
    _chat_and_rate(urls, QUESTIONS[:6], "round 3")
    # This round replays the DAPT mix instead of the earlier SFT pairs (cft.sft_replay_from).
    bad_recipe = _recipe(loop["root"], recipe.serve.port,
                         cft={"method": "sft", "sft_replay_from": "dapt", "train": {"max_steps": 2, "lr": 1e30}},
                         gate={"general_ppl_max_increase": 0.0, "instruct_pass_max_drop": 0.0,
                               "domain_mc_acc_max_drop": 0.0})
    third = cft_stage(bad_recipe)
    assert third["status"] == "rejected" and not third["gate"]["promoted"], third
    assert any("diverged" in reason for reason in third["gate"]["reasons"]), third["gate"]
    assert third["parent"] == new and third["watermark"] == {"from": 8, "to": 14}
    assert third["replay"]["sft"]["from"] == "dapt" and third["replay"]["sft"]["rows"] > 0
    assert registry.promoted() == new
    models = _models(urls)
    assert third["version"] in models and models[third["version"]]["promoted"] is False
    assert models["domain"]["alias_of"] == new and _ask(urls, "domain") == new
    store = FeedbackStore(recipe.feedback.url)
    assert store.count_after(store.get_watermark("cft")) == 0  # this feedback is used, not offered again
    store.dispose()

    # -- the parent is kept: rollback serves sft-v1 again
    assert cli(["adapters", "rollback", "--registry", recipe.registry.path]) == 0
    assert registry.promoted() == sft
    assert _wait_for_alias(urls, sft)["domain"]["alias_of"] == sft and _ask(urls, "domain") == sft


def _parents_picks_as_gold(model_dir: str, adapter: str, items: list[dict], max_len: int,
                           precision: str) -> list[dict]:
    """`items` with `answer` set to the option the model (base + `adapter`) ranks first, so that
    model scores 1.0 on them: a tiny random model knows no facts, but it has picks to lose.
    Scored in the gate's `eval.score_precision`: a random model's options are near-ties, and bf16
    autocast (on a CPU with native bf16) ranks some of them differently from fp32."""
    from pipelines.core.generate import load_for_eval
    from pipelines.core.precision import autocast
    from pipelines.eval.metrics import mc_picks

    model, tokenizer = load_for_eval(model_dir, adapter)
    with autocast(precision):
        picks = mc_picks(model, tokenizer, items, max_len, batch_size=16)
    return [{**item, "answer": pick} for item, pick in zip(items, picks, strict=True)]


def test_a_round_that_moves_facts_nobody_rated_is_blocked(loop):
    """Collateral damage, forced: a learning rate high enough to rewrite the model (finite weights,
    so not the divergence check) on feedback about routers and shops. The evaluation's
    multiple-choice facts, about plan prices, are ones no rating touched; the parent's own picks
    are their gold answers, so whatever the candidate changes there is damage, and the gate
    blocks the round on it alone (every other tolerance is wide open here)."""
    from pipelines.core.models import resolve_model_dir
    from pipelines.stages import cft_stage

    recipe, urls, registry, sft = loop["recipe"], loop["urls"], loop["registry"], loop["sft"]
    registry.promote(sft)
    model_dir = str(resolve_model_dir(recipe.model.name))
    items = [json.loads(line) for line in (SAMPLES / "eval_mc.jsonl").read_text().splitlines()[:24]]
    gold = loop["root"] / "parent_picks_mc.jsonl"
    gold.write_text("".join(json.dumps(item) + "\n" for item in _parents_picks_as_gold(
        model_dir, str(registry.local_adapter_dir(sft)), items, recipe.model.max_seq_len, recipe.eval.score_precision)))
    _chat_and_rate(urls, QUESTIONS[:6], "round 4")
    damaging = _recipe(loop["root"], recipe.serve.port,
                       cft={"method": "sft", "train": {"max_steps": 4, "lr": 0.05}},
                       eval={"mc": str(gold), "limit": 0},
                       gate={"general_ppl_max_increase": 1e9, "instruct_pass_max_drop": 1.0,
                             "domain_mc_acc_max_drop": 1.0, "untouched_mc_acc_max_drop": 0.10})
    report = cft_stage(damaging)
    parent, candidate = report["metrics"]["parent"], report["metrics"]["candidate"]
    assert parent["domain_mc_acc_untouched"] == 1.0 and parent["n_domain_mc_acc_untouched"] >= 20, parent
    assert candidate["domain_mc_acc_untouched"] < 0.9, candidate
    assert report["status"] == "rejected" and not report["gate"]["promoted"]
    assert report["gate"]["reasons"] and all("collateral damage" in r for r in report["gate"]["reasons"]), report["gate"]
    assert registry.promoted() == sft and _wait_for_alias(urls, sft)["domain"]["alias_of"] == sft
