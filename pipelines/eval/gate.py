"""The promotion gate: a new version must not forget what its parent could do."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pipelines.core.config import GateConfig

GATED = ("general_ppl", "instruct_pass", "domain_mc_acc")


@dataclass
class GateResult:
    passed: bool
    reasons: list[str] = field(default_factory=list)
    candidate: str = ""
    parent: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "reasons": self.reasons, "candidate": self.candidate, "parent": self.parent}


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def check_gate(candidate: dict[str, float], parent: dict[str, float], cfg: GateConfig,
               candidate_name: str = "candidate", parent_name: str = "parent") -> GateResult:
    """Compare a candidate's metrics with its parent's; every violated tolerance is a reason.
    A metric the candidate has as NaN or infinity (a diverged run) is a reason by itself:
    comparisons with NaN are all false and would otherwise let it through."""
    reasons: list[str] = [f"{name} is {candidate[name]} (diverged)" for name in GATED
                          if name in candidate and not _finite(candidate[name])]
    if reasons:
        return GateResult(False, reasons, candidate_name, parent_name)
    if "general_ppl" in candidate and "general_ppl" in parent:
        limit = parent["general_ppl"] * (1.0 + cfg.general_ppl_max_increase)
        if candidate["general_ppl"] > limit:
            reasons.append(f"general_ppl {candidate['general_ppl']:.2f} > {limit:.2f} "
                           f"(parent {parent['general_ppl']:.2f} +{cfg.general_ppl_max_increase:.0%}): forgetting")
    if "instruct_pass" in candidate and "instruct_pass" in parent:
        floor = parent["instruct_pass"] - cfg.instruct_pass_max_drop
        if candidate["instruct_pass"] < floor - 1e-9:
            reasons.append(f"instruct_pass {candidate['instruct_pass']:.3f} < {floor:.3f} "
                           f"(parent {parent['instruct_pass']:.3f} -{cfg.instruct_pass_max_drop:.2f})")
    if "domain_mc_acc" in candidate and "domain_mc_acc" in parent:
        floor = parent["domain_mc_acc"] - cfg.domain_mc_acc_max_drop
        if candidate["domain_mc_acc"] < floor - 1e-9:
            reasons.append(f"domain_mc_acc {candidate['domain_mc_acc']:.3f} < {floor:.3f} "
                           f"(parent {parent['domain_mc_acc']:.3f} -{cfg.domain_mc_acc_max_drop:.2f})")
    key = "domain_mc_acc_untouched"
    if _finite(candidate.get(key)) and _finite(parent.get(key)):
        floor = parent[key] - cfg.untouched_mc_acc_max_drop
        if candidate[key] < floor - 1e-9:
            reasons.append(f"{key} {candidate[key]:.3f} < {floor:.3f} (parent {parent[key]:.3f} "
                           f"-{cfg.untouched_mc_acc_max_drop:.2f}, {candidate.get('n_' + key, '?')} facts no "
                           "feedback touched): collateral damage")
    return GateResult(not reasons, reasons, candidate_name, parent_name)
