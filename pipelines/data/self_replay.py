"""Self-replay: the base model's own answers to general requests, replayed as chat pairs.

Replaying general *text* keeps general perplexity, but not the way the model answers: DAPT and
SFT on a narrow domain teach it short domain answers, and instruction following drops. We have
no general instruction set to replay, and need none: the base model answers the recipe's
`replay.chat_prompts` once (greedy) before training, and those pairs join the SFT pairs. The
answers are the model's own, so replaying them preserves what it could do and adds nothing.

Written to `<run shared dir>/self_replay.jsonl` (every node's tokenizer actors read it), with
its key in `self_replay.key`: reused while the model, prompts and answer length are unchanged.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from cluster import storage
from pipelines.core.cache import KeyedFile, content_key
from pipelines.core.config import Recipe
from pipelines.core.sources import DataError, expand_inputs, read_jsonl_records

log = logging.getLogger(__name__)
FILE, KEY_FILE = "self_replay.jsonl", "self_replay.key"
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


def load_prompts(patterns: list[str]) -> list[str]:
    """The `prompt` strings of the given JSONL files; malformed lines are skipped (and logged)."""
    prompts: list[str] = []
    for path in expand_inputs(patterns):
        records, bad = read_jsonl_records(path)
        if bad:
            log.warning("%s: skipped malformed lines %s", path, bad)
        prompts += [r["prompt"] for r in records if isinstance(r.get("prompt"), str) and r["prompt"].strip()]
    if not prompts:
        raise DataError(f"replay.chat_prompts: no `prompt` records in {', '.join(patterns)}")
    return prompts


def trim_unfinished(answer: str, finished: bool) -> str:
    """An answer cut off by the token limit ends at its last full sentence (else it is dropped:
    replaying it would teach the model to stop mid-sentence)."""
    if finished:
        return answer
    ends = [m.end() for m in _SENTENCE_END.finditer(answer)]
    return answer[: ends[-1]].rstrip() if ends else ""


def self_replay_file(recipe: Recipe, model_dir: str) -> str | None:
    """Path of the self-replay pairs for this recipe (generated now if needed), or None when the
    recipe has no `replay.chat_prompts`."""
    if not recipe.replay.chat_prompts:
        return None
    from pipelines.core.precision import resolved_precision

    prompts = load_prompts(recipe.replay.chat_prompts)
    path, key_path = storage.join(recipe.shared_dir(), FILE), storage.join(recipe.shared_dir(), KEY_FILE)
    key = content_key(model_dir, prompts, recipe.replay.chat_max_new_tokens,
                      resolved_precision(recipe.eval.precision), length=16)
    marker = KeyedFile(key_path)
    if storage.exists(path) and marker.holds(key):
        return path
    log.info("self-replay: the base model answers %d general prompts (once per model and prompt set)", len(prompts))
    pairs = _generate_on_ray(model_dir, prompts, recipe)
    storage.make_dirs(recipe.shared_dir())
    _write_text(path, "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs))
    marker.put(key)  # last: a run cut short before it regenerates next time
    log.info("self-replay: %d pairs written to %s", len(pairs), path)
    return path


def _write_text(path: str, text: str) -> None:
    fs, where = storage.filesystem(path)
    with fs.open_output_stream(where) as fh:
        fh.write(text.encode())


def _generate_on_ray(model_dir: str, prompts: list[str], recipe: Recipe) -> list[dict[str, Any]]:
    import ray

    gpus = 1 if ray.cluster_resources().get("GPU", 0) > 0 else 0
    task = ray.remote(num_cpus=recipe.scaling.cpus_per_worker, num_gpus=gpus)(generate_pairs)
    return ray.get(task.remote(model_dir, prompts, recipe.replay.chat_max_new_tokens, recipe.eval.generate_batch_size,
                               recipe.eval.precision))


def generate_pairs(model_dir: str, prompts: list[str], max_new_tokens: int, batch_size: int,
                   precision: str) -> list[dict[str, Any]]:
    """{"instruction", "output"} pairs: each prompt with the model's greedy answer."""
    import os

    import torch

    from pipelines.core.generate import generate_answers, load_for_eval
    from pipelines.core.precision import autocast

    torch.set_num_threads(max(1, os.cpu_count() or 1))  # the only work running at this point
    model, tokenizer = load_for_eval(model_dir, None)
    with autocast(precision):
        answers = generate_answers(model, tokenizer, prompts, max_new_tokens, batch_size)
    pairs = []
    for prompt, answer in zip(prompts, answers, strict=True):
        finished = len(tokenizer(answer, add_special_tokens=False)["input_ids"]) < max_new_tokens - 1
        answer = trim_unfinished(answer, finished)
        if answer:
            pairs.append({"instruction": prompt, "output": answer})
    return pairs
