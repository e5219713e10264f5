"""Quality filters for raw documents: repeated lines (and so repeated paragraphs), symbol and
digit shares, short lines, and the script a document is written in.

Every measure counts characters or lines, never whitespace-separated words, so Japanese (and any
script without spaces) is measured the way English is. The ideas follow the Gopher and C4 rules
that datatrove ships (repetition, symbol ratios, short lines); datatrove itself is not used: its
filters count words through a tokenizer per language (NLTK for English, SudachiPy and a
dictionary for Japanese), dependencies this project does not carry for a few ratios.

Language identification is by Unicode script (`data.quality.scripts`): it tells Japanese from
English or Russian from Arabic without a model, not English from French. A fastText language-ID
model would tell those apart, but it is a new dependency and a model file, and this project
never downloads weights at run time.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipelines.core.sections import QualityConfig

# Letters of each script a recipe can ask for (`data.quality.scripts`).
SCRIPTS = {
    "latin": "A-Za-z\u00c0-\u024f\u1e00-\u1eff",
    "japanese": "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f",  # kana + kanji
    "chinese": "\u3400-\u4dbf\u4e00-\u9fff",
    "korean": "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f",
    "cyrillic": "\u0400-\u04ff",
    "greek": "\u0370-\u03ff",
    "arabic": "\u0600-\u06ff\u0750-\u077f",
    "devanagari": "\u0900-\u097f",
    "thai": "\u0e00-\u0e7f",
}
_LETTER = re.compile(r"[^\W\d_]")  # any script's letters (and ideographs)
_DIGIT = re.compile(r"\d")
# Symbols that pile up in markup debris, logs and spam; ordinary punctuation is not counted.
_SYMBOL = re.compile(r"[#$%&*+<=>@\\^_`{|}~\u2022\u2026\u25a0-\u25ff\u2190-\u21ff\u2500-\u257f]")


def _repeated_share(units: list[str]) -> float:
    """Share of the characters of `units` (lines) in units that occur more than once."""
    units = [u for u in units if u]
    total = sum(len(u) for u in units)
    if not total:
        return 0.0
    counts = Counter(units)
    return sum(len(u) for u in units if counts[u] > 1) / total


@dataclass(frozen=True)
class QualityRules:
    """The recipe's quality thresholds, checked on a normalised document (`reason`)."""

    max_repeated_lines: float
    max_symbol_share: float
    max_digit_share: float
    short_line_chars: int
    max_short_lines: float
    scripts: tuple[str, ...]
    min_script_share: float

    @classmethod
    def from_config(cls, q: QualityConfig) -> QualityRules | None:
        """The rules of `data.quality`, or None when it turns every filter off."""
        rules = cls(q.max_repeated_lines, q.max_symbol_share, q.max_digit_share,
                    q.short_line_chars, q.max_short_lines, tuple(q.scripts), q.min_script_share)
        return rules if rules.active() else None

    def active(self) -> bool:
        return (min(self.max_repeated_lines, self.max_symbol_share,
                    self.max_digit_share, self.max_short_lines) < 1.0 or bool(self.scripts))

    def reason(self, text: str) -> str | None:
        """The first rule `text` breaks (the name counted in data_report.json), or None."""
        lines = [line.strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if self.max_repeated_lines < 1.0 and _repeated_share(lines) > self.max_repeated_lines:
            return "repeated_lines"
        visible = sum(len(line) - line.count(" ") for line in lines) or 1
        if self.max_symbol_share < 1.0 and len(_SYMBOL.findall(text)) / visible > self.max_symbol_share:
            return "symbols"
        if self.max_digit_share < 1.0 and len(_DIGIT.findall(text)) / visible > self.max_digit_share:
            return "digits"
        # A few lines are too few to judge by their lengths (a title and one sentence).
        if self.max_short_lines < 1.0 and len(lines) >= 4:
            short = sum(len(line) < self.short_line_chars for line in lines)
            if short / len(lines) > self.max_short_lines:
                return "short_lines"
        if self.scripts:
            letters = len(_LETTER.findall(text))
            allowed = len(re.findall(f"[{''.join(SCRIPTS[s] for s in self.scripts)}]", text))
            if letters and allowed / letters < self.min_script_share:
                return "other_script"
        return None
