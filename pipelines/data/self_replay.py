"""Self-replay: the base model's own answers to general requests, replayed as chat pairs.

Replaying general *text* keeps general perplexity, but not the way the model answers: DAPT and
SFT on a narrow domain teach it short domain answers, and instruction following drops. We have
no general instruction set to replay, and need none: the base model answers the recipe's
`replay.chat_prompts` once (greedy) before training, and those pairs join the SFT pairs. The
answers are the model's own, so replaying them preserves what it could do and adds nothing.

Written to `<run shared dir>/self_replay.jsonl` (every node's tokenizer actors read it), with
its key in `self_replay.key`: reused while the model, prompts and answer length are unchanged.

Practice answers (`replay.instruct_prompts`): requests with a rule check (the evaluation's
format, other prompts). The base model answers each, greedy and then sampled, and the first answer
that passes its check becomes a pair (`instruct_practice.jsonl`); requests it never passes are
left out. These pairs are learned from their text: preserving the base model's distribution would
preserve its failures too, while its own passing answers move it towards following the
instruction in its own words (rejection-sampled self-training).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from cluster import storage
from pipelines.core.cache import KeyedFile, content_key
from pipelines.core.config import Recipe
from pipelines.core.sources import DataError, expand_inputs, read_file_bytes, read_jsonl_records

log = logging.getLogger(__name__)
FILE, KEY_FILE = "self_replay.jsonl", "self_replay.key"
PRACTICE_FILE, PRACTICE_KEY_FILE = "instruct_practice.jsonl", "instruct_practice.key"
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


def repeats_itself(answer: str, min_words: int = 4) -> bool:
    """Whether a sentence (or line) of at least `min_words` words occurs twice: small models loop,
    and a looping answer can still pass a rule such as `include_keyword`."""
    seen: set[str] = set()
    start = 0
    for end in [m.end() for m in _SENTENCE_END.finditer(answer)] + [len(answer)]:
        sentence = " ".join(answer[start:end].lower().split())
        start = end
        if len(sentence.split()) < min_words:
            continue
        if sentence in seen:
            return True
        seen.add(sentence)
    return False


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
    if _current(path, key_path, key):
        return path
    log.info("self-replay: the base model answers %d general prompts (once per model and prompt set)", len(prompts))
    pairs = _on_ray(generate_pairs, recipe, model_dir, prompts, recipe.replay.chat_max_new_tokens,
                    recipe.eval.generate_batch_size, recipe.eval.precision)
    _write_pairs(recipe, path, key_path, key, pairs)
    log.info("self-replay: %d pairs written to %s", len(pairs), path)
    return path


def _current(path: str, key_path: str, key: str) -> bool:
    """Whether the generated file at `path` is there and was made for `key`."""
    return storage.exists(path) and KeyedFile(key_path).holds(key)


def _write_pairs(recipe: Recipe, path: str, key_path: str, key: str, pairs: list[dict[str, Any]]) -> None:
    storage.make_dirs(recipe.shared_dir())
    _write_text(path, "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs))
    KeyedFile(key_path).put(key)  # last: a run cut short before it regenerates next time


def load_practice(patterns: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """(prompt, check) of every practice request; a bad line is an error naming file and line
    (a request silently dropped would change what the model practises)."""
    from pipelines.eval.sets import item_problems

    requests, problems = [], []
    for path in expand_inputs(patterns):
        items, found = item_problems(path, "instruct")
        requests += [(item["prompt"], item["check"]) for item in items]
        problems += found
    if problems:
        raise DataError("replay.instruct_prompts: " + "; ".join(f"{where}: {what}" for where, what in problems))
    if not requests:
        raise DataError(f"replay.instruct_prompts: no requests in {', '.join(patterns)}")
    return requests


def practice_file(recipe: Recipe, model_dir: str) -> str | None:
    """Path of the verified practice pairs (generated now if needed), or None when the recipe has
    no `replay.instruct_prompts`."""
    if not recipe.replay.instruct_prompts:
        return None
    from pipelines.core.precision import resolved_precision

    requests = load_practice(recipe.replay.instruct_prompts)
    r = recipe.replay
    path, key_path = storage.join(recipe.shared_dir(), PRACTICE_FILE), storage.join(recipe.shared_dir(), PRACTICE_KEY_FILE)
    key = content_key(model_dir, requests, r.chat_max_new_tokens, r.instruct_tries, r.instruct_temperature,
                      recipe.run.seed, resolved_precision(recipe.eval.precision), length=16)
    if _current(path, key_path, key):
        return path
    log.info("practice: the base model answers %d rule-checked requests, up to %d tries each",
             len(requests), r.instruct_tries)
    pairs = _on_ray(practice_pairs, recipe, model_dir, requests, r.chat_max_new_tokens,
                    recipe.eval.generate_batch_size, recipe.eval.precision, r.instruct_tries,
                    r.instruct_temperature, recipe.run.seed)
    if not pairs:
        raise DataError(f"replay.instruct_prompts: the base model passed none of the {len(requests)} checks "
                        f"in {r.instruct_tries} tries each; raise `replay.instruct_tries` or drop the setting")
    _write_pairs(recipe, path, key_path, key, pairs)
    log.info("practice: %d of %d requests answered within their check, written to %s", len(pairs), len(requests), path)
    return path


def practice_summary(recipe: Recipe, path: str) -> dict[str, Any]:
    """For data_report.json: requests answered within their check, of all, per check type."""
    from collections import Counter

    asked = Counter(check["type"] for _, check in load_practice(recipe.replay.instruct_prompts))
    pairs = [json.loads(line) for line in read_file_bytes(path).decode().splitlines()]
    kept = Counter(pair["check"]["type"] for pair in pairs)
    return {"requests": sum(asked.values()), "kept": sum(kept.values()),
            "kept_by_check": {kind: f"{kept.get(kind, 0)}/{n}" for kind, n in sorted(asked.items())},
            "kept_at_try": dict(sorted(Counter(pair.get("try", 0) for pair in pairs).items()))}


def _write_text(path: str, text: str) -> None:
    fs, where = storage.filesystem(path)
    with fs.open_output_stream(where) as fh:
        fh.write(text.encode())


def _on_ray(fn, recipe: Recipe, *args: Any) -> list[dict[str, Any]]:
    """`fn(*args)` as one Ray task with the training worker's CPUs (a GPU when the cluster has one)."""
    import ray

    gpus = 1 if ray.cluster_resources().get("GPU", 0) > 0 else 0
    return ray.get(ray.remote(num_cpus=recipe.scaling.cpus_per_worker, num_gpus=gpus)(fn).remote(*args))


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


def practice_pairs(model_dir: str, requests: list[tuple[str, dict[str, Any]]], max_new_tokens: int,
                   batch_size: int, precision: str, tries: int, temperature: float,
                   seed: int) -> list[dict[str, Any]]:
    """{"instruction", "output", "check", "try"} pairs: each request with the model's first answer
    that passes its check (try 1 greedy, then sampled at `temperature`); requests never passed are
    left out."""
    import os

    import torch

    from pipelines.core.generate import generate_answers, load_for_eval
    from pipelines.core.precision import autocast
    from pipelines.eval.instruct import check_instruction

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    torch.manual_seed(seed)
    model, tokenizer = load_for_eval(model_dir, None)
    passed: dict[int, tuple[str, int]] = {}  # request -> (answer, the try that gave it)
    for attempt in range(tries):
        todo = [i for i in range(len(requests)) if i not in passed]
        if not todo:
            break
        with autocast(precision):
            answers = generate_answers(model, tokenizer, [requests[i][0] for i in todo], max_new_tokens, batch_size,
                                       temperature=temperature if attempt else None)
        for i, answer in zip(todo, answers, strict=True):
            finished = len(tokenizer(answer, add_special_tokens=False)["input_ids"]) < max_new_tokens - 1
            # A cut-off answer, or one that loops, is no example to learn from, whatever the rule says.
            if finished and not repeats_itself(answer) and check_instruction(answer, requests[i][1]):
                passed[i] = (answer, attempt + 1)
    return [{"instruction": requests[i][0], "output": passed[i][0], "check": requests[i][1], "try": passed[i][1]}
            for i in sorted(passed)]
