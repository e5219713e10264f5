"""What a sweep writes for people: the summary table, trials.csv, pareto.png, best.yaml and
sweep.md (the rows come from `pipelines.tune.collect`, scored and marked `pareto`/`chosen`)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from pipelines.core.config import Recipe, apply_overrides


def _fmt(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def summary_table(rows: list[dict[str, Any]], keys: list[str]) -> str:
    cols = ["trial_id", "status", *keys, "steps", "eval_loss", "domain_ppl", "general_ppl", "domain_gain",
            "forgetting", "objective", "pareto", "chosen"]
    ranked = sorted(rows, key=lambda r: (r.get("objective") is None, r.get("objective") or 0.0))
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in ranked:
        cells = [("**" + _fmt(r.get(c)) + "**") if r.get("chosen") and c == "trial_id" else _fmt(r.get(c)) for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_trials_csv(rows: list[dict[str, Any]], path: Path) -> None:
    fields = list(rows[0]) if rows else ["trial_id", "status"]
    with open(path, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)


def plot_pareto(rows: list[dict[str, Any]], keys: list[str], tolerance: float, path: Path) -> None:
    """Domain gain against the general perplexity increase; the front joined, the tolerance drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    scored = [r for r in rows if r.get("domain_gain") is not None]
    label = lambda r: ", ".join(f"{k.split('.')[-1]}={_fmt(r[k])}" for k in keys)  # noqa: E731
    for r in scored:
        ax.scatter(100 * r["forgetting"], r["domain_gain"], color="#3b7dd8" if r["pareto"] else "#aaaaaa",
                   s=70 if r["chosen"] else 30, marker="*" if r["chosen"] else "o", zorder=3,
                   edgecolor="black" if r["chosen"] else "none")
        ax.annotate(label(r), (100 * r["forgetting"], r["domain_gain"]), fontsize=6, xytext=(4, 3),
                    textcoords="offset points")
    front = sorted((r for r in scored if r["pareto"]), key=lambda r: r["forgetting"])
    if front:
        ax.plot([100 * r["forgetting"] for r in front], [r["domain_gain"] for r in front], color="#3b7dd8",
                label="Pareto front", zorder=2)
    ax.axvline(100 * tolerance, color="#d84b3b", linestyle="--", label=f"gate tolerance (+{100 * tolerance:.0f}%)")
    ax.set_xlabel("general perplexity increase over base (%)  ← less forgetting")
    ax.set_ylabel("domain gain (base / trial domain perplexity) ↑")
    ax.set_title(f"{len(scored)} scored trials ({len(rows) - len(scored)} stopped or failed)", fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def best_recipe(recipe: Recipe, row: dict[str, Any]) -> Recipe:
    """The chosen trial as a complete recipe: its values applied, no `tune`, its own run name."""
    assert recipe.tune is not None
    best = apply_overrides(recipe, {k: row[k] for k in recipe.tune.space})
    return best.model_copy(update={"run": best.run.model_copy(update={"name": f"{recipe.run.name}-best"})})


def write_best(recipe: Recipe, row: dict[str, Any], path: Path) -> None:
    best = best_recipe(recipe, row)
    data = best.model_dump(mode="json", exclude={"tune"})
    header = (f"# Chosen by the sweep `{recipe.run.name}` ({recipe.tune.objective if recipe.tune else ''}): "
              f"trial {row['trial_id']}, domain gain {row['domain_gain']:.3g}x, "
              f"general ppl {100 * row['forgetting']:+.1f}%.\n"
              f"#   .venv/bin/domainforge run {path}\n")
    path.write_text(header + yaml.safe_dump(data, sort_keys=False))


def write_sweep_md(recipe: Recipe, rows: list[dict[str, Any]], base: dict[str, float], chosen: dict | None,
                   table: str, path: Path) -> None:
    assert recipe.tune is not None
    t = recipe.tune
    tol = recipe.gate.general_ppl_max_increase
    md = [f"# Sweep `{recipe.run.name}` — {recipe.model.name}", "",
          f"{len(rows)} trials, searcher `{t.searcher}`, objective `{t.objective}` (penalty {t.penalty}), "
          f"ASHA {'on' if t.asha else 'off'}; forgetting tolerance {100 * tol:.0f}% "
          f"(gate.general_ppl_max_increase).", "",
          f"Base model: domain_ppl {base['domain_ppl']:.4g}, general_ppl {base['general_ppl']:.4g}.", "",
          "domain_gain = base/trial domain_ppl; forgetting = trial/base general_ppl − 1; "
          "objective = domain_ppl × (1 + penalty × max(0, forgetting − tolerance)), lower is better.", "",
          table, "", "![pareto](pareto.png)", ""]
    if chosen:
        md += [f"**Chosen:** trial `{chosen['trial_id']}` — " + ", ".join(f"`{k}={chosen[k]}`" for k in t.space)
               + f". Run it: `domainforge run {path.parent / 'best.yaml'}`"]
    else:
        md += ["**No trial finished with a score**: nothing chosen."]
    path.write_text("\n".join(md) + "\n")
