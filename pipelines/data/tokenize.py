"""Tokenization: packing documents into fixed blocks, and chat-formatting SFT pairs.

Every prepared example has the same two columns, so one training loop reads them all:
`input_ids` and `labels` (-100 where no loss is taken: SFT prompts and padding).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


class TextEncoder:
    """Plain text to token ids, which is all packing needs, with the `tokenizers` library alone.

    A tokenizer actor that never imports transformers (and through it torch) starts in a
    fraction of the time (BENCHMARKS.md, Preparation). The ids are those of the transformers
    fast tokenizer, which wraps the same `tokenizer.json`.
    """

    def __init__(self, tokenizer: Any, eos_token_id: int):
        self.tokenizer = tokenizer
        self.eos_token_id = eos_token_id

    @classmethod
    def load(cls, model_dir: str | Path) -> TextEncoder | Any:
        """The light encoder when the directory has a `tokenizer.json` and names its EOS token,
        else the transformers tokenizer (anything `AutoTokenizer` can load works)."""
        from tokenizers import Tokenizer

        root = Path(model_dir)
        eos = _eos_token(root)
        if (root / "tokenizer.json").is_file() and eos is not None:
            tokenizer = Tokenizer.from_file(str(root / "tokenizer.json"))
            eos_id = tokenizer.token_to_id(eos)
            if eos_id is not None:
                # transformers switches both off for plain calls; a saved file may have them on.
                tokenizer.no_truncation()
                tokenizer.no_padding()
                return cls(tokenizer, eos_id)
        from pipelines.core.models import load_tokenizer

        return _Wrapped(load_tokenizer(root))

    def encode(self, texts: list[str]) -> list[list[int]]:
        return [e.ids for e in self.tokenizer.encode_batch(texts, add_special_tokens=False)]


class _Wrapped:
    """A transformers tokenizer behind TextEncoder's two members."""

    def __init__(self, tokenizer: Any):
        self.tokenizer = tokenizer
        self.eos_token_id = tokenizer.eos_token_id

    def encode(self, texts: list[str]) -> list[list[int]]:
        return self.tokenizer(texts, add_special_tokens=False)["input_ids"]


def _eos_token(root: Path) -> str | None:
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        try:
            eos = json.loads((root / name).read_text()).get("eos_token")
        except (OSError, ValueError):
            continue
        eos = eos.get("content") if isinstance(eos, dict) else eos
        if isinstance(eos, str) and eos:
            return eos
    return None


class Packer:
    """Joins token streams with EOS and cuts them into blocks of `block_size`.

    The unfinished tail is carried to the next call, so block boundaries do not depend on
    how documents were batched; what is left at the very end (< one block) is dropped.
    """

    def __init__(self, block_size: int, eos_id: int):
        self.block_size = block_size
        self.eos_id = eos_id
        self.buffer: list[int] = []

    def add(self, docs: list[list[int]]) -> list[list[int]]:
        for ids in docs:
            self.buffer.extend(ids)
            self.buffer.append(self.eos_id)
        n = len(self.buffer) // self.block_size
        blocks = [self.buffer[i * self.block_size : (i + 1) * self.block_size] for i in range(n)]
        self.buffer = self.buffer[n * self.block_size :]
        return blocks


