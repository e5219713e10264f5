"""CFT benchmark on the real 135M model: does one round of user feedback fix the facts that the
SFT model gets wrong, without forgetting?

Starts from a finished quickstart (its prepared data and its registry, copied into a scratch
folder so the real ones are untouched) and the SFT version promoted there. Then:

1. asks the SFT model about every evaluation fact (facts no SFT pair covers) in one wording
   (the first SFT-style question of the fact's attribute), greedy, as the server would;
2. scripts the ratings a user would give, into a fresh feedback store through the same
   `FeedbackStore` the server writes to: for a seeded share of the facts (`--rated-share`) a
   wrong answer is rated bad with the correct sentence as the correction, a right one good;
   the other facts are not rated (the control);
3. runs one CFT round with `pipelines/recipes/cft.yaml` (SFT then KTO, replay, gate, promotion);
4. asks parent and new version every fact in *new wordings* (the two other SFT-style questions
   and the evaluation short-answer wording, none of them used in the feedback), and scores the
   answer as right when it contains the gold value; also multiple choice by answer likelihood.

    .venv/bin/python bench/cft.py                 # prints the results as JSON
    .venv/bin/python bench/cft.py --write         # also writes the "Continual fine-tuning" section

Needs `make demo` (or `domainforge run pipelines/recipes/quickstart.yaml`) first.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import shutil
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, write_section  # noqa: E402
from pipelines.eval.metrics import contains_answer  # noqa: E402

SAMPLES = ROOT / "pipelines" / "samples" / "telecom"
COMMAND = ".venv/bin/python bench/cft.py --write"
log = logging.getLogger("bench.cft")


# ---- facts and wordings ------------------------------------------------------------------------


def eval_facts() -> list[dict[str, Any]]:
    """The evaluation facts with the wordings the benchmark asks them in."""
    from pipelines.eval.runner import load_set
    from pipelines.samples.world import ATTRIBUTE_BY_NAME, render

    mc = {r["fact_id"]: r for r in load_set(str(SAMPLES / "eval_mc.jsonl"))}
    facts = json.loads((SAMPLES / "facts.json").read_text())["facts"]
    out = []
    for f in facts:
        if f["split"] != "eval":
            continue
        attr = ATTRIBUTE_BY_NAME[f["attribute"]]
        ask = lambda template: render(template, f["entity"], f["value"])  # noqa: E731, B023
        out.append({"fact_id": f["fact_id"], "value": f["value"], "feedback_question": ask(attr.questions[0]),
                    "answer": ask(attr.answer),
                    "new_wordings": [ask(q) for q in attr.questions[1:]] + [ask(attr.qa_question)],
                    "mc": mc[f["fact_id"]]})
    return out


# ---- the models --------------------------------------------------------------------------------


def score(model, tokenizer, facts: list[dict[str, Any]], max_len: int, max_new_tokens: int) -> dict[str, Any]:
    """Per fact: right answers out of its new wordings, and whether multiple choice picks the gold."""
    from pipelines.core.generate import generate_answers
    from pipelines.eval.metrics import mc_picks

    questions = [q for f in facts for q in f["new_wordings"]]
    answers = iter(generate_answers(model, tokenizer, questions, max_new_tokens, batch_size=8))
    per_fact = {}
    for f in facts:
        got = [next(answers) for _ in f["new_wordings"]]
        pick = mc_picks(model, tokenizer, [f["mc"]], max_len, batch_size=4)[0]
        per_fact[f["fact_id"]] = {"right": sum(contains_answer(a, f["value"]) for a in got), "asked": len(got),
                                  "mc": float(pick == f["mc"]["answer"]), "pick": f["mc"]["options"][pick],
                                  "sample": got[0]}
    return per_fact


def spread(before: dict[str, dict], after: dict[str, dict], facts: list[dict[str, Any]], control: list[str],
           rated: set[str]) -> dict[str, int]:
    """Control facts whose multiple-choice pick changed, and how many of them moved to a value
    of a rated fact (the round's values spreading to entities nobody rated)."""
    rated_values = {f["value"] for f in facts if f["fact_id"] in rated}
    moved = [i for i in control if after[i]["pick"] != before[i]["pick"]]
    return {"changed": len(moved), "to_a_rated_value": sum(after[i]["pick"] in rated_values for i in moved)}


def accuracy(per_fact: dict[str, dict], ids: list[str]) -> dict[str, float]:
    rows = [per_fact[i] for i in ids]
    if not rows:
        return {"qa": 0.0, "mc": 0.0, "facts": 0}
    return {"qa": sum(r["right"] for r in rows) / sum(r["asked"] for r in rows),
            "mc": sum(r["mc"] for r in rows) / len(rows), "facts": len(rows)}


# ---- the round ---------------------------------------------------------------------------------


def scratch(source_run: Path, source_registry: Path, work: Path, version: str) -> tuple[Path, Path]:
    """Copies of the quickstart's prepared data and registry, with `version` promoted."""
    from pipelines.core.registry import Registry

    if work.exists():
        shutil.rmtree(work)
    run_dir = work / "runs" / "cft_bench"
    run_dir.mkdir(parents=True)
    shutil.copytree(source_run / "data", run_dir / "data")
    shutil.copy(source_run / "data_report.json", run_dir / "data_report.json")
    shutil.copytree(source_registry, work / "registry", ignore=shutil.ignore_patterns(".lock", "cft*"))
    registry = Registry(work / "registry")
    index = json.loads((work / "registry" / "registry.json").read_text())
    index["versions"] = [v for v in index["versions"] if not v["version"].startswith("cft")]
    (work / "registry" / "registry.json").write_text(json.dumps(index, indent=2))
    # The version users rated is served whatever its own gate said (a user may have forced it);
    # the round's gate compares the candidate with it.
    registry.promote(version, force=True)
    return run_dir, work / "registry"


def rate(url: str, model: str, facts: list[dict], answers: list[str], rated: set[str]) -> dict[str, int]:
    """The scripted user: wrong answers rated bad with the right sentence, right ones good."""
    from pipelines.core.feedback import FeedbackStore

    store = FeedbackStore(url)
    counts = {"good": 0, "bad_corrected": 0}
    try:
        for f, answer in zip(facts, answers, strict=True):
            if f["fact_id"] not in rated:
                continue
            cid = f"chatcmpl-{uuid.uuid4().hex}"
            store.record_completion(cid, model, [{"role": "user", "content": f["feedback_question"]}], answer)
            if contains_answer(answer, f["value"]):
                store.rate(cid, "good")
                counts["good"] += 1
            else:
                store.rate(cid, "bad", correction=f["answer"])
                counts["bad_corrected"] += 1
    finally:
        store.dispose()
    return counts


def run(args: argparse.Namespace) -> dict[str, Any]:
    from cluster.runtime import init_ray
    from pipelines.cft import run_cft
    from pipelines.core.config import load_recipe
    from pipelines.core.generate import generate_answers, load_for_eval
    from pipelines.core.models import resolve_model_dir
    from pipelines.core.registry import Registry

    work = Path(args.work).resolve()
    run_dir, registry_dir = scratch(Path(args.run), Path(args.registry), work, args.version)
    recipe = load_recipe(ROOT / "pipelines" / "recipes" / "cft.yaml", [
        f"run.root={run_dir.parent}", "run.name=cft_bench", f"registry.path={registry_dir}",
        f"feedback.url=sqlite:///{work / 'feedback.db'}", *args.override])
    model_dir = str(resolve_model_dir(recipe.model.name))
    max_new, max_len = recipe.eval.max_new_tokens, recipe.model.max_seq_len
    parent = load_for_eval(model_dir, str(Registry(registry_dir).local_adapter_dir(args.version)))

    facts = eval_facts()
    ids = [f["fact_id"] for f in facts]
    rated = set(random.Random(args.seed).sample(ids, round(args.rated_share * len(ids))))
    t0 = time.time()
    first = generate_answers(*parent, [f["feedback_question"] for f in facts], max_new, batch_size=8)
    ratings = rate(recipe.feedback.url, args.version, facts, first, rated)
    wrong_rated = [f["fact_id"] for f, a in zip(facts, first, strict=True)
                   if f["fact_id"] in rated and not contains_answer(a, f["value"])]
    log.info("scripted %s ratings on %d of %d facts (%.0f s)", ratings, len(rated), len(ids), time.time() - t0)

    init_ray(recipe.scaling.address, project_root=ROOT)
    t0 = time.time()
    report = run_cft(recipe, model_dir)
    cft_wall = time.time() - t0
    candidate = load_for_eval(model_dir, str(Registry(registry_dir).local_adapter_dir(report["version"])))

    before = score(*parent, facts, max_len, max_new)
    after = score(*candidate, facts, max_len, max_new)
    control = [i for i in ids if i not in rated]
    groups = {"rated_wrong": wrong_rated, "rated": sorted(rated), "control": control}
    cand, par = report["metrics"]["candidate"], report["metrics"]["parent"]
    return {
        "version": report["version"], "parent": report["parent"], "status": report["status"],
        "gate": report["gate"], "ratings": report["ratings"], "replay": report["replay"],
        "replay_share": report["replay_share"], "scripted": ratings, "cft_wall_s": round(cft_wall),
        "accuracy": {g: {"before": accuracy(before, v), "after": accuracy(after, v)} for g, v in groups.items()},
        "control_picks": spread(before, after, facts, control, rated),
        "metrics": {"parent": par, "candidate": cand},
        "general_ppl_ratio": cand["general_ppl"] / par["general_ppl"],
        "samples": [{"question": f["new_wordings"][0], "gold": f["value"], "before": before[f["fact_id"]]["sample"],
                     "after": after[f["fact_id"]]["sample"]} for f in facts if f["fact_id"] in wrong_rated][:4],
        "recipe": "pipelines/recipes/cft.yaml", "overrides": args.override, "rated_share": args.rated_share,
        "seed": args.seed, "parent_run": args.run, "command": " ".join([".venv/bin/python", *sys.argv]),
        "machine": machine(),
    }


# ---- output ------------------------------------------------------------------------------------


def _items(metrics: dict[str, Any], name: str) -> str:
    n = metrics.get(f"n_{name}")
    return f" ({n} items)" if n is not None else ""


def markdown(r: dict[str, Any]) -> str:
    acc = r["accuracy"]
    groups = [("rated_wrong", "rated bad + corrected"), ("control", "not rated (control)")]
    if acc["rated"] != acc["rated_wrong"]:  # some rated answers were right (rated good)
        groups.insert(1, ("rated", "all rated"))
    rows = "\n".join(
        f"| {label} ({acc[g]['before']['facts']} facts) | {acc[g]['before']['qa']:.1%} → {acc[g]['after']['qa']:.1%} "
        f"| {acc[g]['before']['mc']:.1%} → {acc[g]['after']['mc']:.1%} |" for g, label in groups)
    replay = ", ".join(f"{phase.upper()} from {'the DAPT mix' if r['from'] == 'dapt' else 'earlier SFT pairs'}"
                       for phase, r in r["replay"].items())
    p, c = r["metrics"]["parent"], r["metrics"]["candidate"]
    names = ["domain_ppl", "general_ppl", "domain_mc_acc", "domain_qa_em", "instruct_pass"]
    names += [f"{m}_{side}" for m in ("domain_mc_acc", "domain_qa_em") for side in ("touched", "untouched")
              if p.get(f"{m}_{side}") is not None]
    metric_rows = "\n".join(f"| {m}{_items(p, m)} | {p[m]:.3f} | {c[m]:.3f} |" for m in names)
    samples = "\n".join(f"- Q: {s['question']} — gold *{s['gold']}*; before: {s['before']!r}; after: {s['after']!r}"
                        for s in r["samples"])
    picks = r.get("control_picks")
    spread_line = (f"\nControl facts whose multiple-choice pick changed: {picks['changed']}, "
                   f"{picks['to_a_rated_value']} of them to the value of a rated fact.\n") if picks else ""
    overrides = " ".join(r["overrides"])
    gate = "passed, promoted" if r["gate"]["passed"] else "failed: " + "; ".join(r["gate"]["reasons"])
    return f"""## Continual fine-tuning (`bench/cft.py`): feedback fixes wrong facts

`{r.get('command') or COMMAND + (' -- ' + overrides if overrides else '')}` on {r['machine']}, from the
finished quickstart run `{r.get('parent_run', 'runs/quickstart')}` (feedback seed {r.get('seed', 0)}).
The quickstart's SFT version `{r['parent']}` answered every evaluation fact (facts no SFT pair
covers) in one wording; a scripted user rated the answers on {r['rated_share']:.0%} of the facts
(seeded): wrong ones **bad with the right sentence as correction**, right ones good
({r['scripted']['bad_corrected']} bad + corrected, {r['scripted']['good']} good), through the feedback store the
server writes to. One CFT round with `{r['recipe']}` (SFT on good + corrected answers, then KTO on
every rating, with replay: {replay}; share {r['replay_share']:.2f}) trained `{r['version']}`
in {r['cft_wall_s']} s including the gate's two evaluations; gate: {gate}.

Accuracy on the same facts asked in **new wordings** (two other question wordings and the
evaluation wording; none was in the feedback): answer contains the gold value; multiple choice
ranked by answer likelihood.

| facts | short answer, {r['parent']} → {r['version']} | multiple choice |
|---|---|---|
{rows}
{spread_line}
The gate's metrics (full evaluation sets; the rated facts are among the evaluation facts, so
`domain_mc_acc`/`domain_qa_em` are not held out for this candidate; `_touched` / `_untouched`:
the items the round's feedback was about, as the gate finds them, and the others, on which the
gate blocks a drop of more than `gate.untouched_mc_acc_max_drop`):

| metric | {r['parent']} | {r['version']} |
|---|---|---|
{metric_rows}

general_ppl ratio candidate/parent: **{r['general_ppl_ratio']:.3f}** (gate tolerance: at most 1.10).

{samples}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default=str(ROOT / "runs" / "quickstart"), help="a finished quickstart run")
    parser.add_argument("--registry", default=str(ROOT / "runs" / "registry"))
    parser.add_argument("--version", default="sft-v1", help="the SFT version users rated")
    parser.add_argument("--work", default=str(ROOT / "runs" / "bench_cft"), help="scratch folder (replaced)")
    parser.add_argument("--rated-share", type=float, default=0.75)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="write the section of BENCHMARKS.md")
    parser.add_argument("--rewrite", action="store_true", help="only rewrite the section from --work's result.json")
    parser.add_argument("override", nargs="*", help="recipe overrides for cft.yaml (key=value)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.rewrite:
        result = json.loads(Path(args.work, "result.json").read_text())
    else:
        result = run(args)
        Path(args.work, "result.json").write_text(json.dumps(result, indent=2))
        print(json.dumps(result, indent=2))
    if args.write or args.rewrite:
        write_section(ROOT / "BENCHMARKS.md", "## Continual fine-tuning", markdown(result))
        print("wrote BENCHMARKS.md")


if __name__ == "__main__":
    main()
