"""Instruction following on more items than the evaluation's 50: the evaluation's requests plus
the 96 practice requests (`instruct_practice.jsonl`, the same eight rule checks on other topics),
answered greedily as the evaluation does and checked by the same rules.

The practice requests are held out only for versions trained without `replay.instruct_prompts`;
a version trained on them is printed all the same, and its "practice" numbers are not held out.

    .venv/bin/python bench/instruct_heldout.py base runs/registry/sft-v1 [more adapter folders]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PRACTICE = ROOT / "pipelines" / "samples" / "telecom" / "instruct_practice.jsonl"


def pass_rates(model_dir: str, adapter: str | None, requests: list[tuple[str, dict]], cfg) -> list[bool]:
    """Per request, whether the version's greedy answer passes its check, as the evaluation
    scores it (`cfg`: the EvalConfig whose generation settings and precision it uses)."""
    from pipelines.core.generate import load_for_eval
    from pipelines.core.precision import autocast
    from pipelines.eval.runner import instruct_outcomes

    model, tokenizer = load_for_eval(model_dir, adapter)
    with autocast(cfg.precision):
        return instruct_outcomes(model, tokenizer, requests, cfg)


def main() -> None:
    from pipelines.core.config import EvalConfig
    from pipelines.core.models import resolve_model_dir
    from pipelines.data.self_replay import load_practice
    from pipelines.eval.sets import load_items
    from pipelines.eval.stats import paired, wilson

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="+", help="`base` or an adapter folder")
    parser.add_argument("--model", default="smollm2-135m")
    args = parser.parse_args()
    cfg = EvalConfig()
    evaluation = [(i["prompt"], i["check"]) for i in load_items(cfg.instruct, "instruct", 0)]
    practice = load_practice([str(PRACTICE)])
    model_dir = str(resolve_model_dir(args.model))
    outcomes = {v: pass_rates(model_dir, None if v == "base" else v, evaluation + practice, cfg) for v in args.versions}
    reference = outcomes[args.versions[0]]
    for version, right in outcomes.items():
        row = {"version": version}
        for name, part in (("evaluation", slice(0, len(evaluation))), ("practice", slice(len(evaluation), None)),
                           ("all", slice(None))):
            row[name] = {"interval": wilson(sum(right[part]), len(right[part])).as_dict(),
                         "vs_" + args.versions[0]: paired(right[part], reference[part]).as_dict()}
        print(json.dumps(row))


if __name__ == "__main__":
    main()
