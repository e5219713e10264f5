"""Report plots (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from pipelines.eval.runner import METRICS  # noqa: E402

TITLES = {
    "domain_ppl": "domain perplexity (held-out docs) ↓",
    "general_ppl": "general perplexity (forgetting) ↓",
    "domain_mc_acc": "domain multiple choice ↑",
    "domain_qa_em": "domain short answer ↑",
    "instruct_pass": "instruction following ↑",
}


def plot_metrics(stages: dict[str, dict[str, Any]], path: Path) -> None:
    """One bar chart per metric, stages side by side."""
    names = list(stages)
    fig, axes = plt.subplots(1, len(METRICS), figsize=(3.2 * len(METRICS), 3.2))
    for ax, metric in zip(axes, METRICS, strict=True):
        values = [float(stages[n].get(metric) or 0.0) for n in names]
        bars = ax.bar(names, values, color=["#999999"] + ["#3b7dd8"] * (len(names) - 1))
        if metric.endswith("_ppl"):
            ax.set_yscale("log")
        ax.set_title(TITLES[metric], fontsize=9)
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        for bar, value in zip(bars, values, strict=True):
            ax.annotate(f"{value:.3g}", (bar.get_x() + bar.get_width() / 2, value), ha="center", va="bottom", fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_losses(histories: dict[str, list[dict[str, Any]]], path: Path) -> None:
    """Training and eval loss per stage against optimizer steps."""
    fig, axes = plt.subplots(1, max(1, len(histories)), figsize=(4.5 * max(1, len(histories)), 3.2), squeeze=False)
    for ax, (stage, history) in zip(axes[0], histories.items(), strict=False):
        train = [(h["step"], h["loss"]) for h in history if "loss" in h and "step" in h]
        evals = [(h["step"], h["eval_loss"]) for h in history if "eval_loss" in h and "step" in h]
        if train:
            ax.plot(*zip(*train, strict=True), label="train loss")
        if evals:
            ax.plot(*zip(*evals, strict=True), marker="o", label="eval loss")
        ax.set_title(stage)
        ax.set_xlabel("step")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
