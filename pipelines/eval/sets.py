"""Evaluation sets in the formats users have, read with `file:line` for every problem.

- held-out documents (`domain_ppl`, `general_ppl`): `.txt`, `.md`, `.jsonl` (`text` field) or
  `.parquet` files, folders or globs, like the corpus;
- multiple choice: `{"question", "options" | "choices", "answer", "statement"?}`, `answer` the
  0-based index, a letter (`"B"`) or the option's text; `statement` (with `{option}`) optional;
- short answer: `{"question", "answer"}`;
- instructions: `{"prompt", "check": {"type", ...}}`.

The same functions check a file in `domainforge validate` and read it for evaluation, so a file
that validates is read the same way, and one that does not fails before any model is loaded.
Light imports only (no torch): `validate` must answer in seconds.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from pipelines.core.sources import (
    DataError,
    expand_inputs,
    jsonl_objects,
    parse_file,
    read_file_bytes,
    strip_bom,
)

MAX_LISTED = 10  # problems listed per file in an error message


class EvalSetError(DataError):
    """An evaluation file that cannot be used as it is; the message names file, line and field."""


def _text(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        raise ValueError(f"missing field {key!r}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # a numeric short answer ("42") is still an answer
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"field {key!r} must be a non-empty string (got {value!r})")
    return value


def _answer_index(answer: Any, options: list[str]) -> int:
    """The correct option's index from an index, a letter or the option's text."""
    if isinstance(answer, int) and not isinstance(answer, bool):
        if 0 <= answer < len(options):
            return answer
        raise ValueError(f"field 'answer': index {answer} is outside 0..{len(options) - 1}")
    if isinstance(answer, str):
        if answer in options:
            return options.index(answer)
        letter = answer.strip().upper()
        if len(letter) == 1 and letter in string.ascii_uppercase[: len(options)]:
            return string.ascii_uppercase.index(letter)
    raise ValueError(f"field 'answer' must be an option index (0-based), a letter A-"
                     f"{string.ascii_uppercase[len(options) - 1]} or one option's text (got {answer!r})")


def mc_item(obj: dict[str, Any]) -> dict[str, Any]:
    """A multiple-choice item as the metrics use it: `question`, `options`, `answer` (index),
    `statement` (a template with `{option}`, or None: then the option itself is scored as the
    answer to the question, in the chat format)."""
    question = _text(obj, "question")
    key = "options" if "options" in obj else "choices"
    options = obj.get(key)
    if options is None:
        raise ValueError("missing field 'options' (or 'choices')")
    if not isinstance(options, list) or len(options) < 2 or not all(isinstance(o, str) and o.strip() for o in options):
        raise ValueError(f"field {key!r} must be a list of at least two non-empty strings")
    statement = obj.get("statement")
    if statement is not None and (not isinstance(statement, str) or "{option}" not in statement):
        raise ValueError("field 'statement' must be a string containing {option} (or be left out)")
    return {**obj, "question": question, "options": options, "answer": _answer_index(obj.get("answer"), options),
            "statement": statement}


def qa_item(obj: dict[str, Any]) -> dict[str, Any]:
    """A short-answer item: `question` and the gold `answer` the generated answer must contain."""
    return {**obj, "question": _text(obj, "question"), "answer": _text(obj, "answer")}


def instruct_item(obj: dict[str, Any]) -> dict[str, Any]:
    """A rule-checked instruction: `prompt` and a `check` whose `type` is a known rule."""
    from pipelines.eval.instruct import CHECKS

    check = obj.get("check")
    if not isinstance(check, dict) or check.get("type") not in CHECKS:
        raise ValueError(f"field 'check' must be an object with 'type' one of {', '.join(CHECKS)} (got {check!r})")
    return {**obj, "prompt": _text(obj, "prompt"), "check": check}


ITEM_READERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "mc": mc_item, "qa": qa_item, "instruct": instruct_item,
}


Problem = tuple[str, str]  # (where: `file` or `file:line`, what is wrong)


def item_problems(path: str, kind: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Items of a JSONL eval file of `kind` (mc, qa, instruct) and the problems found, each as
    (`file:line`, what). Every line is checked; a bad line is never skipped silently."""
    if not path.lower().endswith((".jsonl", ".json")):
        return [], [(path, f"a {kind} set is a .jsonl file (one JSON object per line)")]
    try:
        data = strip_bom(read_file_bytes(path))
    except FileNotFoundError:
        return [], [(path, "file not found")]
    except OSError as err:
        return [], [(path, f"cannot be read ({err.strerror or err})")]
    read = ITEM_READERS[kind]
    items, problems = [], []
    for number, obj, _, message in jsonl_objects(data):
        if obj is None:
            problems.append((f"{path}:{number}", message))
            continue
        try:
            items.append({**read(obj), "_line": number})
        except ValueError as err:
            problems.append((f"{path}:{number}", str(err)))
    if not items and not problems:
        problems.append((path, "empty file"))
    return items, problems


def document_problems(pattern: str, field: str = "text") -> tuple[list[str], list[Problem]]:
    """Texts of held-out documents (a file, folder or glob of .txt/.md/.jsonl/.parquet) and the
    problems found, as (`file:line`, reason)."""
    try:
        files = expand_inputs([pattern])
    except DataError as err:
        return [], [(pattern, str(err))]
    texts, problems = [], []
    for path in files:
        try:
            data = read_file_bytes(path)
        except OSError as err:
            problems.append((path, f"cannot be read ({err.strerror or err})"))
            continue
        for rec in parse_file(data, path, field=field, max_chars=10**12):
            if rec["reason"]:
                problems.append((rec["source"], reason_text(rec["reason"])))
            else:
                texts.append(rec["text"])
    return texts, problems


def reason_text(reason: str) -> str:
    """A record's `reason` (`missing_field:text`) in words, naming the field."""
    kind, _, name = reason.partition(":")
    return {"missing_field": f"missing field {name!r}", "wrong_type": f"field {name!r} is not a string",
            "invalid_json": "invalid JSON", "not_utf8": "not UTF-8", "empty_file": "empty file",
            "not_an_object": "not a JSON object", "invalid_parquet": "not a readable Parquet file",
            "invalid_sft_record": "not an SFT pair"}.get(kind, reason.replace("_", " "))


def _raise(problems: list[Problem], what: str) -> None:
    more = f"\n  ... and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
    raise EvalSetError(f"{what}:\n  " + "\n  ".join(f"{w}: {p}" for w, p in problems[:MAX_LISTED]) + more)


def load_items(path: str, kind: str, limit: int = 0) -> list[dict[str, Any]]:
    """Items of an eval file (the first `limit` when > 0); any bad line is an `EvalSetError`."""
    items, problems = item_problems(path, kind)
    if problems:
        _raise(problems, f"{kind} set {path} cannot be used")
    return items[:limit] if limit else items


def load_documents(pattern: str, limit: int = 0) -> list[str]:
    """Texts of held-out documents (the first `limit` when > 0); problems are an `EvalSetError`."""
    texts, problems = document_problems(pattern)
    if problems:
        _raise(problems, f"held-out documents {pattern} cannot be used")
    if not texts:
        _raise([(pattern, "no text")], "held-out documents")
    return texts[:limit] if limit else texts
