"""Rule-checked instructions in the spirit of IFEval: each check is a pure function of the answer."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

_BULLET = re.compile(r"^\s*[-*]\s+\S")


def _words(text: str) -> int:
    return len(text.split())


def _json_object(text: str, keys: list[str]) -> bool:
    """True if the answer holds a JSON object (possibly inside a code fence) with all keys."""
    start = text.find("{")
    while start != -1:
        depth = 0
        for end in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                try:
                    obj = json.loads(text[start : end + 1])
                except json.JSONDecodeError:
                    break
                if isinstance(obj, dict) and all(k in obj for k in keys):
                    return True
                break
        start = text.find("{", start + 1)
    return False


CHECKS: dict[str, Callable[[str, dict[str, Any]], bool]] = {
    "max_words": lambda a, c: 0 < _words(a) <= int(c["value"]),
    "min_words": lambda a, c: _words(a) >= int(c["value"]),
    "bullet_count": lambda a, c: sum(bool(_BULLET.match(line)) for line in a.splitlines()) == int(c["value"]),
    "json_object": lambda a, c: _json_object(a, list(c.get("keys", []))),
    "lowercase": lambda a, c: bool(a.strip()) and a == a.lower(),
    "include_keyword": lambda a, c: str(c["value"]).lower() in a.lower(),
    "end_with": lambda a, c: a.strip().rstrip("\"'").lower().endswith(str(c["value"]).lower().rstrip("\"'")),
    "no_commas": lambda a, c: bool(a.strip()) and "," not in a and "、" not in a,
}


def check_instruction(answer: str, check: dict[str, Any]) -> bool:
    """Whether `answer` satisfies one rule; unknown rule types are an error."""
    kind = check.get("type")
    if kind not in CHECKS:
        raise ValueError(f"unknown instruction check type {kind!r} (known: {', '.join(CHECKS)})")
    return CHECKS[kind](answer, check)
