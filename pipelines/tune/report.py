"""What a sweep leaves behind: one row per trial (`collect`), scored and marked `pareto`/`chosen`
(`finish`), and what people read of them: the summary table, trials.csv, pareto.png, best.yaml
and sweep.md."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from pipelines.core.config import Recipe, apply_overrides
from pipelines.tune.space import SCORES, choose, num_trials, pareto_front
from pipelines.tune.trials import TRAIN_KEYS, plain


def collect(results, recipe: Recipe, interrupted: bool) -> list[dict[str, Any]]:
    """One row per trial: its values, status and metrics (in trial order). Status: `done` (scored),
    `stopped` (early, by ASHA), `error`, or `unfinished` (the sweep was interrupted first)."""
    assert recipe.tune is not None
    rows = []
    for result in results:
        m = result.metrics or {}
        if result.error is not None:
            status = "error"
        elif m.get("objective") is not None:
            status = "done"
        else:
            status = "unfinished" if interrupted else "stopped"
        row: dict[str, Any] = {"trial_id": m.get("trial_id") or Path(result.path).name, "status": status}
        row.update({k: plain(result.config.get(k)) for k in recipe.tune.space})
        row.update({k: m.get(k) for k in (*TRAIN_KEYS, *SCORES, "within_tolerance")})
        row["error"] = str(result.error).splitlines()[0][:200] if result.error is not None else ""
        rows.append(row)
    return sorted(rows, key=lambda r: r["trial_id"])


def finish(recipe: Recipe, results, base: dict[str, float]) -> dict[str, Any]:
    """Rows from Tune's results, marked `pareto` and `chosen` (nothing is chosen while trials are
    unfinished), written out as trials.csv, pareto.png, best.yaml and sweep.md, the table printed.
    Returns what `run_sweep` returns."""
    assert recipe.tune is not None
    run_dir = recipe.run_dir()
    keys = list(recipe.tune.space)
    tolerance = recipe.gate.general_ppl_max_increase
    interrupted = results.num_terminated + results.num_errors < max(len(results), num_trials(recipe))
    rows = collect(results, recipe, interrupted)
    front = set(pareto_front(rows))
    pick = None if interrupted else choose(rows, recipe.tune.objective, tolerance)
    for i, row in enumerate(rows):
        row["pareto"] = i in front
        row["chosen"] = i == pick
    write_trials_csv(rows, run_dir / "trials.csv")
    plot_pareto(rows, keys, tolerance, run_dir / "pareto.png")
    table = summary_table(rows, keys)
    chosen = rows[pick] if pick is not None else None
    if chosen:
        write_best(recipe, chosen, run_dir / "best.yaml")
    write_sweep_md(recipe, rows, base, chosen, table, run_dir / "sweep.md")
    print(table)
    if interrupted:
        print(f"sweep interrupted: {sum(r['status'] != 'unfinished' for r in rows)} of {num_trials(recipe)} "
              f"trials finished; run the same command again to finish the rest")
    elif chosen:
        print(f"chosen: {chosen['trial_id']} ({', '.join(f'{k}={chosen[k]}' for k in keys)}) -> "
              f"{run_dir / 'best.yaml'}")
    return {"dir": str(run_dir), "base": base, "trials": rows, "best": chosen, "interrupted": interrupted}


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
