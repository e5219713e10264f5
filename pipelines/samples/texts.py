"""The hand-written sample texts, kept as data files in ``text/`` beside this module.

- ``general_replay.txt`` / ``general_heldout.txt``: general English prose written for this
  project. Replay paragraphs are mixed into domain training so general ability is not
  forgotten; held-out paragraphs (different subjects, never trained on) measure forgetting as
  perplexity. Replay covers cooking, gardening, weather, travel, history, science, sport,
  hobbies, household life, animals, learning, work, books, film, cities, money and farming;
  held-out covers the sea, rocks and caves, architecture, languages, tea and coffee, festivals,
  childhood games, insects, rivers and wetlands, numbers, the human body, the polar regions and
  a few crafts. No paragraph is shared between the two, and none of it mentions telecoms.
  Format: paragraphs separated by a blank line; a paragraph's wrapped lines are joined with
  single spaces (runs of whitespace collapse to one space).
- ``chat_prompts.txt``: general chat prompts for self-replay (``replay.chat_prompts``): the base
  model answers them once (greedy) and those answers are replayed beside the domain data, so
  training on a narrow domain keeps the model's general way of answering. They are everyday
  requests of many kinds; none is a prompt of the instruction-following evaluation, and the
  answers replayed are the base model's own, so replay preserves what the model could already
  do and teaches nothing new. Format: one prompt per line; blank lines and ``#`` lines
  (section headings) are skipped.
- ``instruct_checks.jsonl``: rule-checked instructions on general topics, in the spirit of
  IFEval, one ``{"prompt", "check"}`` per line; ``check["type"]`` is one of ``CHECK_TYPES``:

  - ``max_words`` / ``min_words`` ``{"value": N}``: word count of the answer,
  - ``bullet_count`` ``{"value": N}``: exactly N lines starting with "- " or "* ",
  - ``json_object`` ``{"keys": [...]}``: the answer contains a parseable JSON object with
    those keys,
  - ``lowercase`` ``{}``: no uppercase letters,
  - ``include_keyword`` ``{"value": "word"}``: the word appears (case-insensitive),
  - ``end_with`` ``{"value": "phrase"}``: the answer ends with the phrase,
  - ``no_commas`` ``{}``: no comma anywhere.

- ``instruct_practice.jsonl``: practice requests in the same format and check families, on other
  topics and with other phrasings (no prompt of ``instruct_checks.jsonl``), for
  ``replay.instruct_prompts``: the base model's own answers that pass their check are trained on.

- ``world.json`` (read by ``world.py``) and ``framing.json`` (read by ``framing.py``): the
  fictional domain's tables and the generic framing text of the corpus documents.

Files are read relative to this module, never the working directory, and are package data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TEXT_DIR = Path(__file__).parent / "text"

CHECK_TYPES = ("max_words", "min_words", "bullet_count", "json_object", "lowercase",
               "include_keyword", "end_with", "no_commas")


def read_text(name: str) -> str:
    return (TEXT_DIR / name).read_text(encoding="utf-8")


def read_json(name: str) -> Any:
    """A JSON table with every list turned into a tuple (the tables are immutable)."""
    return tuples(json.loads(read_text(name)))


def tuples(obj: Any) -> Any:
    if isinstance(obj, list):
        return tuple(tuples(x) for x in obj)
    if isinstance(obj, dict):
        return {k: tuples(v) for k, v in obj.items()}
    return obj


def paragraphs(text: str) -> tuple[str, ...]:
    """Split on blank lines and join each paragraph's wrapped lines."""
    return tuple(" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip())


def prompt_lines(text: str) -> tuple[str, ...]:
    """One prompt per line; blank lines and ``#`` headings are skipped."""
    return tuple(line for line in text.splitlines() if line.strip() and not line.startswith("#"))


def instruct_checks(text: str) -> tuple[tuple[str, dict[str, object]], ...]:
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    for row in rows:
        if row["check"]["type"] not in CHECK_TYPES:
            raise ValueError(f"unknown check type {row['check']['type']!r} for {row['prompt']!r}")
    return tuple((row["prompt"], row["check"]) for row in rows)


REPLAY_PARAGRAPHS: tuple[str, ...] = paragraphs(read_text("general_replay.txt"))
HELDOUT_PARAGRAPHS: tuple[str, ...] = paragraphs(read_text("general_heldout.txt"))
CHAT_PROMPTS: tuple[str, ...] = prompt_lines(read_text("chat_prompts.txt"))
INSTRUCT_CHECKS: tuple[tuple[str, dict[str, object]], ...] = instruct_checks(
    read_text("instruct_checks.jsonl"))
INSTRUCT_PRACTICE: tuple[tuple[str, dict[str, object]], ...] = instruct_checks(
    read_text("instruct_practice.jsonl"))
