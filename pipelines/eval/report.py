"""The run report: base → DAPT → SFT metrics, deltas, plots, and the promotion gate.

    .venv/bin/domainforge eval pipelines/recipes/quickstart.yaml

Writes `runs/<run>/report.json` (schema in DESIGN.md), `report.md`, `metrics.png`,
`loss_curves.png`, and prints the table. Each version's metrics are cached in
`runs/<run>/eval/<version>.json` keyed by the eval settings, so re-running is cheap.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from pipelines.core.cache import KeyedFile, content_key, file_key
from pipelines.core.config import Recipe
from pipelines.core.registry import Registry
from pipelines.eval.gate import check_gate
from pipelines.eval.runner import METRICS, evaluate_on_ray
from pipelines.eval.stats import confidence, format_confidence

log = logging.getLogger(__name__)
LOWER_IS_BETTER = {"domain_ppl", "general_ppl"}
# Which of a run's versions the gate considers for promotion (ablation arms never are).
CANDIDATE_STAGES = ("cft", "sft", "dapt")
TRAIN_KEYS = ("train_tokens", "tokens_per_s", "wall_s", "steps", "train_loss", "eval_loss")


def _eval_key(recipe: Recipe, model_dir: str, version: str | None) -> str:
    # A version name is reused when a registry is deleted and the run trained again: the time
    # the version was registered tells the new adapter from the old one's cached metrics.
    created = Registry(recipe.registry.path).get(version)["created"] if version else None
    return content_key(recipe.eval.model_dump(), recipe.model.max_seq_len, model_dir, version, created,
                       *_derived_digest(recipe))


def _derived_digest(recipe: Recipe) -> list[str]:
    """Hash of the derived eval sets (a new `prepare` derives new ones); nothing for named sets,
    so the cache keys of recipes with their own sets stay what they were."""
    from pipelines.eval.derive import resolved_eval

    if not recipe.eval.derived():
        return []
    cfg = resolved_eval(recipe)
    return [file_key(p) for p in (cfg.domain_heldout, cfg.qa) if p]


def cached_metrics(recipe: Recipe, model_dir: str, version: str | None) -> dict[str, Any]:
    """Metrics of `version` (None = base), computed once per eval configuration."""
    def evaluate() -> dict[str, Any]:
        adapter = str(Registry(recipe.registry.path).local_adapter_dir(version)) if version else None
        log.info("evaluating %s", version or "base")
        return evaluate_on_ray(model_dir, adapter, recipe, num_cpus=recipe.scaling.cpus_per_worker)

    cache = KeyedFile(recipe.run_dir() / "eval" / f"{version or 'base'}.json")
    return cache.get_or_compute(_eval_key(recipe, model_dir, version), evaluate)


def run_versions(recipe: Recipe) -> dict[str, str]:
    """The newest version of each stage trained in this run: {"dapt": "dapt-v3", ...}, in order."""
    latest: dict[str, str] = {}
    for row in Registry(recipe.registry.path).list():
        if row.get("run") == recipe.run.name:
            latest.pop(row["stage"], None)
            latest[row["stage"]] = row["version"]
    return latest


def _train_summary(recipe: Recipe, stage: str, version: str) -> dict[str, Any]:
    row = Registry(recipe.registry.path).get(version)
    return {k: row.get("metrics", {}).get(k) for k in TRAIN_KEYS if k in row.get("metrics", {})}


def evaluate_run(recipe: Recipe, model_dir: str, promote: bool = True) -> dict[str, Any]:
    """Evaluate base and this run's versions, gate the newest against the promoted one, report."""
    import ray

    registry = Registry(recipe.registry.path)
    base = cached_metrics(recipe, model_dir, None)
    stages: dict[str, dict[str, Any]] = {"base": metrics_only(base)}
    samples = {"base": base.get("samples", [])}
    outcomes = {"base": base.get("outcomes", {})}
    versions = run_versions(recipe)
    for stage, version in versions.items():
        metrics = cached_metrics(recipe, model_dir, version)
        samples[stage] = metrics.get("samples", [])
        outcomes[stage] = metrics.get("outcomes", {})
        stages[stage] = {**metrics_only(metrics), **_train_summary(recipe, stage, version), "version": version}
        registry.update_metrics(version, metrics_only(metrics))
    gate = _gate(recipe, model_dir, registry, versions, stages)
    if gate.get("candidate"):  # kept with the version: `adapters promote` refuses a failed one
        registry.record_gate(gate["candidate"], gate)
    if gate["passed"] and promote and gate.get("candidate"):
        registry.promote(gate["candidate"])
        gate["promoted"] = True
    report = {
        "run": recipe.run.name, "model": recipe.model.name,
        "hardware": {"device": "cuda" if ray.cluster_resources().get("GPU", 0) > 0 else "cpu",
                     "workers": recipe.scaling.num_workers,
                     "eval_precision": base.get("eval_precision", "fp32"),
                     "score_precision": base.get("score_precision", "fp32")},
        "stages": stages, "gate": gate,
        "evaluation": evaluation_summary(recipe, base),
        # How sure each accuracy is: items, 95% interval, and each version against base on the same items.
        "confidence": confidence(outcomes),
    }
    write_report(recipe, report, samples)
    print(format_table(stages))
    print(f"gate: {'PASSED' if gate['passed'] else 'FAILED'} {'; '.join(gate['reasons'])}")
    return report


def evaluation_summary(recipe: Recipe, base: dict[str, Any]) -> dict[str, Any]:
    """Which sets were scored and how: named in the recipe or derived by `prepare` from the
    run's own data, and how multiple choice was scored (`pipelines.eval.runner.mc_scoring`)."""
    from pipelines.eval.derive import resolved_eval

    cfg = resolved_eval(recipe)
    return {"sets": "derived" if recipe.eval.derived() else "recipe",
            "domain_heldout": cfg.domain_heldout, "mc": cfg.mc, "qa": cfg.qa,
            "domain_mc_scoring": base.get("domain_mc_scoring", "statement")}


def metrics_only(metrics: dict[str, Any]) -> dict[str, Any]:
    """The metrics of an evaluation that the report, the registry and the gate compare
    (METRICS, bare MC accuracy, eval wall time), without the ones it did not score."""
    # A set the recipe does not have gives None: left out, so the table shows "-" and the gate
    # skips the metric instead of comparing with nothing.
    return {k: v for k, v in metrics.items()
            if k in (*METRICS, "domain_mc_acc_bare", "eval_wall_s") and v is not None}


def _gate(recipe: Recipe, model_dir: str, registry: Registry, versions: dict[str, str],
          stages: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Gate the run's newest version against what is promoted now (the base if nothing is)."""
    ranked = [s for s in CANDIDATE_STAGES if s in versions]
    if not ranked:
        return {"passed": True, "reasons": [], "candidate": "", "parent": "base"}
    candidate_stage = ranked[0]
    candidate = versions[candidate_stage]
    parent = registry.promoted()
    if parent == candidate:
        parent = None
    parent_metrics = metrics_only(cached_metrics(recipe, model_dir, parent)) if parent else stages["base"]
    result = check_gate(stages[candidate_stage], parent_metrics, recipe.gate, candidate, parent or "base")
    return result.as_dict()


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 100 else f"{value:.1f}"
    return "-" if value is None else str(value)


def format_table(stages: dict[str, dict[str, Any]]) -> str:
    """Metrics per stage with the change against base, as a Markdown table."""
    names = list(stages)
    lines = ["| metric | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    base = stages["base"]
    for metric in METRICS:
        cells = []
        for name in names:
            value = stages[name].get(metric)
            cell = _fmt(value)
            if name != "base" and isinstance(value, float) and isinstance(base.get(metric), float):
                delta = value / base[metric] if metric in LOWER_IS_BETTER else value - base[metric]
                cell += f" ({delta:.2f}x)" if metric in LOWER_IS_BETTER else f" ({delta:+.3f})"
            cells.append(cell)
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    for key in ("tokens_per_s", "train_tokens", "wall_s"):
        if any(key in stages[n] for n in names):
            lines.append(f"| {key} | " + " | ".join(_fmt(stages[n].get(key)) for n in names) + " |")
    return "\n".join(lines)


def write_report(recipe: Recipe, report: dict[str, Any], samples: dict[str, list]) -> None:
    from pipelines.eval.plots import plot_losses, plot_metrics

    run_dir = recipe.run_dir()
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "report.json").write_text(json.dumps(report, indent=2))
    plot_metrics(report["stages"], run_dir / "metrics.png")
    plot_losses(_loss_histories(run_dir), run_dir / "loss_curves.png")
    gate = report["gate"]
    md = [f"# Run `{report['run']}` — {report['model']} on {report['hardware']['device']}", "",
          format_table(report["stages"]), "",
          "Deltas: perplexities as a ratio to base (lower is better), scores as points over base.", "",
          _evaluation_line(report.get("evaluation", {})), "",
          *_confidence_lines(report.get("confidence", {})),
          f"**Gate** ({gate.get('candidate') or 'no candidate'} vs {gate.get('parent')}): "
          f"{'passed' if gate['passed'] else 'FAILED'}"
          + ("".join(f"\n- {r}" for r in gate["reasons"])) + (" — promoted" if gate.get("promoted") else ""),
          "", "![metrics](metrics.png)", "", "![losses](loss_curves.png)", "", "## Sample answers (held-out facts)"]
    for stage, rows in samples.items():
        md.append(f"\n**{stage}**")
        md += [f"- Q: {r['question']} — gold: *{r['gold']}* — answer: {r['answer']!r}" for r in rows[:3]]
    (run_dir / "report.md").write_text("\n".join(md) + "\n")


def _confidence_lines(conf: dict[str, Any]) -> list[str]:
    table = format_confidence(conf)
    if not table:
        return []
    return ["## How sure: items, 95% intervals, paired tests", "",
            "Each accuracy over its n items with a 95% Wilson interval; against base, the items only this "
            "version got right (+) and only base got right (−), with the exact McNemar p-value: a difference "
            "whose p is above 0.05 may be noise.", "", table, ""]


def _evaluation_line(ev: dict[str, Any]) -> str:
    sets = ("derived from this run's data (held-out corpus documents and SFT pairs)"
            if ev.get("sets") == "derived" else "named in the recipe")
    scoring = {"statement": "each option filled into the item's statement",
               "question+option": "the option as the answer to the question (no `statement` in the file)",
               "mixed": "the statement where an item has one, else the option as the answer",
               "none": "no multiple-choice set"}.get(ev.get("domain_mc_scoring", "statement"), "")
    return f"Evaluation sets: {sets}. Multiple choice scored by {scoring}."


def _loss_histories(run_dir: Path) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for path in sorted(run_dir.glob("train_*.json")):
        out[path.stem.removeprefix("train_")] = json.loads(path.read_text()).get("log_history", [])
    return out
