"""Check every input a recipe names before anything runs: `domainforge validate`, and the start
of every `run` (before Ray starts or a model loads).

Paths must exist and match input files; every line of every JSONL is read, and each problem is
reported as `file:line: what` naming the field. Problems are of two kinds:

- errors: the run cannot do what the recipe asks (a path that matches nothing, an input with no
  usable record, an evaluation file with a bad line: a skipped eval item would change a score
  without anyone noticing);
- warnings: training records `prepare` will count and skip (invalid JSON, a missing field, a
  document over `data.max_chars`), as it always has, so a corpus with a few broken files still
  trains on everything else.

Local files are read in full; s3:// / gs:// inputs are listed, not downloaded (prepare reads
them on the cluster). Light imports only (no torch, no Ray): validating the quickstart takes
about a second.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pipelines.core.config import Recipe
from pipelines.core.sources import (
    REMOTE,
    DataError,
    expand_inputs,
    parse_file,
    read_file_bytes,
    strip_bom,
)
from pipelines.eval.sets import reason_text

TRAINING_STAGES = ("prepare",)
EVAL_STAGES = ("eval", "cft")


class InputError(DataError):
    """Inputs that stop a run; the message lists each problem as `file:line: what`."""


@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def report(self) -> str:
        return "\n".join([*(f"error: {e}" for e in self.errors), *(f"warning: {w}" for w in self.warnings)])


class _Grouped:
    """Per-line problems of one input list, grouped by file and kind so a broken file of 10k lines
    is one line of output (its first location and a count), not 10k."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], str] = {}
        self.count: dict[tuple[str, str], int] = defaultdict(int)

    def add(self, path: str, where: str, what: str) -> None:
        self.first.setdefault((path, what), where)
        self.count[(path, what)] += 1

    def lines(self, consequence: str) -> list[str]:
        out = []
        for key, where in self.first.items():
            more = self.count[key] - 1
            out.append(f"{where}: {key[1]}" + (f" (and {more} more line(s) like it)" if more else "") + consequence)
        return out


def sft_line_problem(obj: Any) -> str | None:
    """What is wrong with one SFT record, naming the field; None when it is a usable pair."""
    if not isinstance(obj, dict):
        return "not a JSON object"
    if "messages" in obj:
        msgs = obj["messages"]
        if not isinstance(msgs, list) or not msgs:
            return "field 'messages' must be a non-empty list"
        for n, m in enumerate(msgs):
            if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant"):
                return f"field 'messages[{n}].role' must be system, user or assistant"
            if not isinstance(m.get("content"), str):
                return f"field 'messages[{n}].content' must be a string"
        return None if any(m["role"] == "assistant" for m in msgs) else "field 'messages' has no assistant turn"
    for key in ("instruction", "output"):
        if key not in obj:
            return f"missing field {key!r} (or use 'messages')"
        if not isinstance(obj[key], str) or (key == "output" and not obj[key].strip()):
            return f"field {key!r} must be a non-empty string"
    return None


def _sft_file(path: str, grouped: _Grouped) -> int:
    """Usable pairs in one SFT file; problems go to `grouped`."""
    if not path.lower().endswith((".jsonl", ".json")):
        grouped.add(path, path, "SFT pairs must be a .jsonl file")
        return 0
    good = 0
    for number, raw in enumerate(strip_bom(read_file_bytes(path)).split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            grouped.add(path, f"{path}:{number}", "not UTF-8")
            continue
        except json.JSONDecodeError as err:
            grouped.add(path, f"{path}:{number}", f"invalid JSON ({err.msg})")
            continue
        problem = sft_line_problem(obj)
        if problem:
            grouped.add(path, f"{path}:{number}", problem)
        else:
            good += 1
    return good


def _documents_file(path: str, field_name: str, max_chars: int, grouped: _Grouped) -> int:
    """Usable documents in one corpus-like file; problems (and over-long records) to `grouped`."""
    good = 0
    for rec in parse_file(read_file_bytes(path), path, field=field_name, max_chars=max_chars):
        if rec["reason"]:
            grouped.add(path, rec["source"], reason_text(rec["reason"]))
        elif len(rec["text"]) > max_chars:  # a plain file is cut at paragraphs; a record is not
            grouped.add(path, rec["source"], f"{len(rec['text'])} characters, over data.max_chars ({max_chars})")
        else:
            good += 1
    return good


def check_training_input(key: str, patterns: list[str], kind: str, recipe: Recipe, found: Findings,
                         field_name: str = "text") -> None:
    """One input list of `prepare` (`kind`: documents or sft): paths, every record, and at least one usable."""
    files: list[str] = []
    for pattern in patterns:
        try:
            files += expand_inputs([pattern])
        except DataError as err:
            found.errors.append(f"{key}: {err}")
        except OSError as err:  # an s3:// / gs:// path without credentials, say
            found.errors.append(f"{key}: {pattern!r} cannot be listed ({err})")
    if not files:
        return
    grouped, good = _Grouped(), 0
    for path in dict.fromkeys(files):
        if path.startswith(REMOTE):  # listed, not downloaded: prepare reads it where the data lives
            good += 1
            continue
        try:
            good += (_sft_file(path, grouped) if kind == "sft"
                     else _documents_file(path, field_name, recipe.data.max_chars, grouped))
        except OSError as err:
            grouped.add(path, path, f"cannot be read ({err.strerror or err})")
    found.warnings += grouped.lines(": counted and skipped by prepare")
    if good == 0:
        found.errors.append(f"{key}: no usable record in {', '.join(files[:5])}{' ...' if len(files) > 5 else ''}")


def check_eval_sets(recipe: Recipe, preparing: bool, found: Findings) -> None:
    """Every evaluation file, every line; derived sets must exist unless this run prepares them."""
    from pipelines.eval.derive import resolved_eval
    from pipelines.eval.sets import document_problems, item_problems

    cfg = recipe.eval
    if cfg.derived():
        if not preparing:
            try:
                cfg = resolved_eval(recipe)
            except DataError as err:
                found.errors.append(f"eval: {err}")
                return
        elif recipe.data.split_by != "document":
            found.warnings.append("eval: no eval sets and data.split_by is block: no held-out documents for "
                                  "domain_ppl (use data.split_by: document, or name eval.domain_heldout)")
        elif not recipe.data.sft:
            found.warnings.append("eval: no eval sets and no data.sft: only domain_ppl (held-out corpus documents) "
                                  "is derived; add QA pairs or eval.mc / eval.qa for question scores")
    for key in ("domain_heldout", "general_heldout", "mc", "qa", "instruct"):
        path = getattr(cfg, key)
        if not path:
            continue
        problems = document_problems(path)[1] if key.endswith("heldout") else item_problems(path, key)[1]
        grouped = _Grouped()  # one line per file and kind of problem, not one per line
        for where, what in problems:
            grouped.add(where.rsplit(":", 1)[0], where, what)
        found.errors += [f"eval.{key}: {line}" for line in grouped.lines("")]


def check_inputs(recipe: Recipe, stages: list[str] | None = None) -> Findings:
    """All problems with the inputs the given stages (default: the recipe's) read."""
    stages = list(stages or recipe.stages)
    found = Findings()
    if any(s in TRAINING_STAGES for s in stages):
        check_training_input("data.corpus", recipe.data.corpus, "documents", recipe, found, recipe.data.text_field)
        if recipe.data.sft:
            check_training_input("data.sft", recipe.data.sft, "sft", recipe, found)
        if recipe.replay.sources and (recipe.replay.ratio > 0 or recipe.tune is not None):
            check_training_input("replay.sources", recipe.replay.sources, "documents", recipe, found,
                                 recipe.data.text_field)
        if recipe.replay.chat_prompts:
            check_training_input("replay.chat_prompts", recipe.replay.chat_prompts, "documents", recipe, found,
                                 "prompt")
    if any(s in EVAL_STAGES for s in stages):
        check_eval_sets(recipe, "prepare" in stages, found)
    return found


def require_valid_inputs(recipe: Recipe, stages: list[str] | None = None) -> Findings:
    """`check_inputs`, raising `InputError` with every error listed when there is any."""
    found = check_inputs(recipe, stages)
    if found.errors:
        raise InputError("the recipe's inputs cannot be used:\n  " + "\n  ".join(found.errors))
    return found
