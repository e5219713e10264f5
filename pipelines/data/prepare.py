"""Data preparation on Ray Data: read → clean → deduplicate → tokenize (+pack) → write Parquet.

    .venv/bin/domainforge prepare pipelines/recipes/quickstart.yaml

Each *part* streams through its own pipeline and lands in `runs/<run>/data/<part>/`:
`domain` (the corpus, packed blocks), `qa` (SFT pairs as chat text, packed; the mixed
DAPT+QA variant), `replay` (general text, packed) and `sft` (chat-formatted pairs with
answer-only labels). Every row has `input_ids`, `labels` and `split` (train/eval, chosen by
a hash so it is stable and needs no global shuffle). Mixing parts at the configured ratios
happens when a stage reads them (`pipelines.data.mixture`), so a replay sweep reuses one
preparation. Counts of every kind go to `runs/<run>/data_report.json`.

With `data.dedup` (the default) a part goes through two passes: the first parses and cleans
the input, computes every document's signature and writes both to a scratch folder; the
duplicates are then found over the whole cluster (`pipelines.data.dedup`), and the second pass
reads the cleaned documents back, leaves the duplicates out and tokenizes. Input is parsed once.
"""

from __future__ import annotations

import json
import logging
import math
import sys
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import ray

from cluster import storage
from pipelines.core.chat import IGNORE, chat_text, encode_chat
from pipelines.core.config import Recipe
from pipelines.core.sources import (
    DataError,
    expand_inputs,
    file_groups,
    input_bytes,
    parse_file,
    read_file_bytes,
)
from pipelines.data.clean import length_reason, mask_pii, normalize
from pipelines.data.dedup import (
    doc_id,
    find_duplicates,
    read_scratch,
    scratch_dir,
    signature_batch,
)
from pipelines.data.edges import in_sorted
from pipelines.data.mixture import CHAT_REPLAY
from pipelines.data.quality import QualityRules
from pipelines.data.tally import Progress, Tally, report_counts, summarise
from pipelines.data.tokenize import Packer, TextEncoder

log = logging.getLogger(__name__)
MAX_GROUP_FILES = 4096  # files one parse task reads at most (also bounded by data.read_group_mb)
TOKENIZER_CPUS = 0.5  # logical CPUs per tokenizer actor


def _parse_batch(
    batch: dict[str, np.ndarray], *, part: str, field: str, max_chars: int, sft: bool, tally,
) -> dict[str, list]:
    """Read and parse a group of files. Each record gets its stable id (`dedup.doc_id`)."""
    texts, sources, ids, counts, examples = [], [], [], Counter(), defaultdict(list)
    files = ((str(p), int(o)) for paths, ords in zip(batch["paths"], batch["ordinals"], strict=True)
             for p, o in zip(paths, ords, strict=True))
    for path, ordinal in files:
        counts["files"] += 1
        try:
            data = read_file_bytes(path)
        except OSError as err:  # vanished or unreadable since it was listed: counted, not fatal
            counts["bad:unreadable"] += 1
            examples["unreadable"].append(f"{path} ({err.strerror or err})")
            continue
        for record, rec in enumerate(parse_file(data, path, field=field, max_chars=max_chars, sft=sft)):
            counts["records_in"] += 1
            if rec["reason"]:
                counts[f"bad:{rec['reason']}"] += 1
                examples[rec["reason"]].append(rec["source"])
            else:
                texts.append(rec["text"])
                sources.append(rec["source"])
                ids.append(doc_id(ordinal, record))
    report_counts(tally, part, counts, examples)
    return {"text": texts, "source": sources, "id": ids}


def _clean_batch(
    batch: dict[str, np.ndarray], *, part: str, min_chars: int, max_chars: int, pii: bool, tally,
    quality: QualityRules | None = None,
) -> dict[str, list]:
    texts, sources, ids, counts, examples = [], [], [], Counter(), defaultdict(list)
    for text, source, i in zip(batch["text"], batch["source"], batch["id"], strict=True):
        text = normalize(str(text))
        if pii:
            masked = mask_pii(text)
            counts["pii_masked_documents"] += masked != text
            text = masked
        reason = length_reason(text, min_chars, max_chars) or (quality.reason(text) if quality else None)
        if reason:
            counts[f"dropped:{reason}"] += 1
            examples[reason].append(f"{source} ({len(text)} chars)")
            continue
        texts.append(text)
        sources.append(source)
        ids.append(i)
    report_counts(tally, part, counts, examples)
    return {"text": texts, "source": sources, "id": ids}


def _split_of(ids: list[int], eval_fraction: float) -> str:
    """Stable train/eval assignment from the content (no global shuffle needed)."""
    h = zlib.crc32(np.asarray(ids, dtype=np.int32).tobytes()) % 100_000
    return "eval" if h < eval_fraction * 100_000 else "train"


class TokenizeStage:
    """Tokenizer actor: `pack` documents into blocks, or `sft`-encode chats with answer-only labels.

    `chat` texts (SFT pairs mixed into DAPT) are rendered with the chat template, then packed.
    """

    def __init__(
        self,
        model_dir: str,
        mode: str,
        part: str,
        block_size: int,
        max_seq_len: int,
        min_tokens: int,
        max_tokens: int,
        eval_fraction: float,
        tally,
        model_name: str | None = None,
        split_by: str = "block",
        collect_heldout: bool = False,
    ) -> None:
        from pipelines.core.models import load_tokenizer, model_dir_here

        # The driver's model directory may not exist on this node (each node has its own cache).
        here = model_dir_here(model_dir, model_name) if model_name else model_dir
        # Plain documents need only ids (the `tokenizers` library); chats need the chat template.
        self.encoder = TextEncoder.load(here) if mode == "pack" else None
        self.tokenizer = None if mode == "pack" else load_tokenizer(here)
        self.mode, self.part, self.tally = mode, part, tally
        self.min_tokens, self.max_tokens, self.max_seq_len = min_tokens, max_tokens, max_seq_len
        self.eval_fraction = eval_fraction
        self.packer = Packer(block_size, (self.encoder or self.tokenizer).eos_token_id)
        self.packers = {split: Packer(block_size, self.packer.eos_id) for split in ("train", "eval")}
        self.split_by, self.collect_heldout = split_by, collect_heldout

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, list]:
        texts = [str(t) for t in batch["text"]]
        if self.mode == "sft":
            return self._sft(texts)
        if self.mode == "chat":
            texts = [chat_text(self.tokenizer, json.loads(t)) for t in texts]
        return self._pack(texts)

    def _pack(self, texts: list[str]) -> dict[str, list]:
        counts = Counter()
        docs: dict[str, list[list[int]]] = {"train": [], "eval": []}
        heldout: list[str] = []
        ids_of = self.encoder.encode(texts) if self.encoder else self.tokenizer(texts, add_special_tokens=False)["input_ids"]
        for text, ids in zip(texts, ids_of, strict=True):
            if len(ids) < self.min_tokens or len(ids) > self.max_tokens:
                counts[
                    "dropped:too_few_tokens" if len(ids) < self.min_tokens else "dropped:too_many_tokens"
                ] += 1
                continue
            counts["documents_out"] += 1
            counts["tokens"] += len(ids) + 1  # + EOS separator
            # By document, a document's split depends on its own text only: adding or removing
            # other files cannot move it (by block, every block after a change is drawn anew).
            split = "train"  # by block: drawn per block below
            if self.split_by == "document":
                split = _split_of(ids, self.eval_fraction)
                counts[f"documents:{split}"] += 1
            docs[split].append(ids)
            if split == "eval" and self.collect_heldout:
                heldout.append(text)
        if self.split_by == "document":
            # One packer per split, so no block mixes a held-out document with a trained one.
            blocks_of = {split: self.packers[split].add(d) for split, d in docs.items()}
            blocks = blocks_of["train"] + blocks_of["eval"]
            splits = ["train"] * len(blocks_of["train"]) + ["eval"] * len(blocks_of["eval"])
        else:
            blocks = self.packer.add(docs["train"])
            splits = [_split_of(b, self.eval_fraction) for b in blocks]
        for s in splits:
            counts[f"blocks:{s}"] += 1
        report_counts(self.tally, self.part, counts)
        if heldout:
            ray.get(self.tally.add_heldout.remote(self.part, heldout))
        return {"input_ids": blocks, "labels": blocks, "split": splits}

    def _sft(self, texts: list[str]) -> dict[str, list]:
        counts = Counter()
        ids_out, labels_out, splits = [], [], []
        for text in texts:
            enc = encode_chat(self.tokenizer, json.loads(text), self.max_seq_len)
            if all(t == IGNORE for t in enc["labels"]):
                counts["dropped:answer_truncated"] += 1
                continue
            split = _split_of(enc["input_ids"], self.eval_fraction)
            counts["documents_out"] += 1
            counts["tokens"] += len(enc["input_ids"])
            counts["answer_tokens"] += sum(t != IGNORE for t in enc["labels"])
            counts[f"blocks:{split}"] += 1
            ids_out.append(enc["input_ids"])
            labels_out.append(enc["labels"])
            splits.append(split)
        report_counts(self.tally, self.part, counts)
        return {"input_ids": ids_out, "labels": labels_out, "split": splits}


def tokenizer_actor_count(configured: int, nbytes: int | None, group_mb: float) -> int:
    """Tokenizer actors for a part: `configured`, but no more than one per file group's worth of
    input. Starting an actor costs a few CPU-seconds (a process importing the tokenizer); a part
    of a few hundred KB is done by one actor in less, so a second one only slows a 2-core machine
    (the quickstart's five small parts: 43 s -> 33 s with one actor each, BENCHMARKS.md)."""
    if nbytes is None:  # remote input of unknown size
        return configured
    return max(1, min(configured, math.ceil(nbytes / (group_mb * 2**20))))


def _workers(recipe: Recipe, files: list[str]) -> int:
    return tokenizer_actor_count(recipe.data.tokenizer_actors, input_bytes(files), recipe.data.read_group_mb)


def _parsed(recipe: Recipe, part: str, files: list[str], sft_input: bool, tally, cpus: float) -> ray.data.Dataset:
    """Files -> cleaned documents (text, source, id), one task per group of files: read and parse,
    then (for text) normalise, mask and filter. Lazy; fused into the actor stage that follows
    when `cpus` matches its."""
    d = recipe.data
    # Files are read inside the parse tasks, a group of files per task: Ray Data's
    # read_binary_files costs ~0.4 ms per file in its own machinery (10 s for 15k small files,
    # against 0.1 s of actual reading), which dominated preparing a corpus of many small files.
    ordinal = {path: i for i, path in enumerate(files)}
    groups = file_groups(files, MAX_GROUP_FILES, int(d.read_group_mb * 2**20))
    ds = ray.data.from_items([{"paths": g, "ordinals": [ordinal[p] for p in g]} for g in groups],
                             override_num_blocks=len(groups))
    ds = ds.map_batches(
        _parse_batch,
        batch_size=None,  # a block is one group of files: one task and one count report per group
        num_cpus=cpus,
        fn_kwargs={"part": part, "field": d.text_field, "max_chars": d.max_chars, "sft": sft_input,
                   "tally": tally},
    )
    if not sft_input:
        ds = ds.map_batches(
            _clean_batch,
            batch_size=None,  # fused with parsing: the same group
            num_cpus=cpus,
            fn_kwargs={"part": part, "min_chars": d.min_chars, "max_chars": d.max_chars, "pii": d.mask_pii,
                       "tally": tally, "quality": QualityRules.from_config(d.quality)},
        )
    return ds


class SignatureStage:
    """Step 1 of the distributed dedup as an actor (`dedup.signature_batch`): a cleaned
    document's signature row, with its text for the second pass."""

    def __init__(self, threshold: float, shingle_chars: int) -> None:
        self.threshold, self.shingle_chars = threshold, shingle_chars

    def __call__(self, batch: dict[str, np.ndarray]):
        return signature_batch(batch, threshold=self.threshold, shingle_chars=self.shingle_chars)


def _without(batch: dict[str, np.ndarray], *, drop: np.ndarray) -> dict[str, np.ndarray]:
    """The documents of a batch whose ids are not in `drop` (sorted ids of duplicates)."""
    keep = ~in_sorted(batch["id"], drop)
    return {c: np.asarray(batch[c])[keep] for c in ("text", "source", "id")}


@dataclass
class Deduplicated:
    """What the first pass hands the second: the cleaned documents that are not duplicates
    (lazy, read back from the scratch folder) and the sorted ids of those that are."""

    kept: ray.data.Dataset
    drop: np.ndarray


@contextmanager
def deduplicated(recipe: Recipe, part: str, files: list[str], sft_input: bool, tally) -> Iterator[Deduplicated]:
    """With `data.dedup`: the first pass parses and cleans every document (counts to `tally`),
    computes its signature in as many actors as the second pass gets tokenizer actors (so the
    passes share the cores alike; an actor keeps its MinHash permutations) and writes text and
    signature to a scratch folder; the distributed bucket/resolve steps (`pipelines.data.dedup`)
    then find the duplicates (counts and examples per reason to `tally`). The scratch folder is
    removed when the block ends."""
    d = recipe.data
    threshold = d.near_dup_threshold if not sft_input else 1.0
    scratch = scratch_dir(recipe.data_dir(), part)
    try:
        start = time.time()
        _parsed(recipe, part, files, sft_input, tally, TOKENIZER_CPUS).map_batches(
            SignatureStage, batch_size=None, num_cpus=TOKENIZER_CPUS,
            compute=ray.data.ActorPoolStrategy(size=_workers(recipe, files)),
            fn_constructor_kwargs={"threshold": threshold, "shingle_chars": d.shingle_chars},
        ).write_parquet(scratch)
        signed = time.time()
        found = find_duplicates(scratch, threshold)
        log.info("dedup %s: parse, clean and sign %.1f s, find duplicates %.1f s: %d duplicates", part,
                 signed - start, time.time() - signed, len(found.drop))
        report_counts(tally, part, found.counts, dict(found.examples))
        if storage.exists(scratch) and storage.list_files(scratch):
            # One parse group's documents a block, read by tasks that ask for the actors' CPUs, so
            # Ray Data fuses reading, the filter and tokenizing into the actors, as it fuses
            # parsing in the pass without dedup.
            kept = read_scratch(scratch, ["id", "text", "source"], num_cpus=TOKENIZER_CPUS).map_batches(
                _without, batch_size=None, batch_format="numpy", num_cpus=TOKENIZER_CPUS,
                fn_kwargs={"drop": found.drop})
        else:  # no document survived cleaning
            kept = ray.data.from_items([{"id": 0, "text": "", "source": ""}]).limit(0)
        yield Deduplicated(kept=kept, drop=found.drop)
    finally:
        storage.remove_tree(scratch)


def duplicates(recipe: Recipe, part: str, files: list[str], sft_input: bool, tally) -> np.ndarray:
    """The sorted ids of the duplicates `deduplicated` finds in `files` (tests compare them)."""
    with deduplicated(recipe, part, files, sft_input, tally) as found:
        return found.drop


@contextmanager
def part_pipeline(
    recipe: Recipe, part: str, files: list[str], mode: str, model_dir: str, tally
) -> Iterator[ray.data.Dataset]:
    """The Ray Data pipeline that prepares one part from its input files: parse (and clean, for
    text), leave out duplicates when the recipe asks, tokenize into blocks; counts go to
    `tally`. With `data.dedup` the first pass (`deduplicated`) runs now and its scratch folder
    lives until the block ends; the yielded pipeline is lazy: the caller writes it inside the
    block (`prepare` to the part's folder)."""
    d = recipe.data
    sft_input = mode in ("sft", "chat")
    with ExitStack() as stack:
        if d.dedup:
            ds = stack.enter_context(deduplicated(recipe, part, files, sft_input, tally)).kept
        else:
            # Parsing and cleaning run inside the tokenizer actors: Ray Data fuses a task stage
            # into the actor stage after it when both ask for the same resources, and each call
            # then takes a whole group of files. Text never crosses the object store and both
            # cores do the whole job (BENCHMARKS.md, Preparation).
            ds = _parsed(recipe, part, files, sft_input, tally, TOKENIZER_CPUS)
        # Packing carries a tail between batches, so each actor keeps its own stream; more
        # actors only cost one partial block each.
        yield ds.map_batches(
            TokenizeStage,
            batch_size=None,  # fused: a batch size would bundle that many groups (rows upstream) into one call
            compute=ray.data.ActorPoolStrategy(size=_workers(recipe, files)),
            num_cpus=TOKENIZER_CPUS,
            fn_constructor_kwargs={
                "model_dir": model_dir,
                "model_name": recipe.model.name,
                "mode": mode,
                "part": part,
                "block_size": d.block_size,
                "max_seq_len": recipe.model.max_seq_len,
                "min_tokens": d.min_tokens,
                "max_tokens": d.max_tokens,
                "eval_fraction": d.eval_fraction,
                "tally": tally,
                "split_by": d.split_by,
                # Without eval sets in the recipe, the held-out corpus documents become domain_ppl's.
                "collect_heldout": part == "domain" and recipe.eval.derived(),
            },
        )


def data_context(recipe: Recipe) -> None:
    """Ray Data's settings for preparation, on this driver: the in-flight budget
    (`data.buffer_fraction`) and progress bars only on a terminal (in logs our one-line
    progress is easier to read)."""
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = sys.stderr.isatty()
    ctx.override_object_store_memory_limit_fraction = recipe.data.buffer_fraction


def part_plan(recipe: Recipe, self_replay: str | None = None, sft: list[str] | None = None,
              practice: str | None = None) -> dict[str, tuple[list[str], str]]:
    """Which parts this recipe prepares: name -> (input patterns, tokenizer mode). The
    self-replay pairs (`pipelines.data.self_replay`) go wherever the SFT pairs go; with
    `replay.distill`, DAPT gets them as a part of their own (`chat_replay`), learned from the
    base model like the general replay text, rather than as text beside the SFT pairs. `sft`
    replaces `data.sft` (the pairs that remain when some were held out as the derived eval set).
    The verified practice answers (`replay.instruct_prompts`) are learned from their text, so
    they go with the recipe's own pairs, never into the distilled part."""
    plan = {"domain": (recipe.data.corpus, "pack")}
    own = list(recipe.data.sft if sft is None else sft)  # `sft`: the pairs left after deriving eval sets
    own += [practice] if practice else []
    pairs = [*own, *([self_replay] if self_replay else [])]
    if pairs:
        plan["sft"] = (pairs, "sft")
    if pairs and recipe.replay.mix_sft_into_dapt:
        distilled = bool(self_replay) and recipe.replay.distill
        qa = own if distilled else pairs
        if qa:
            plan["qa"] = (qa, "chat")
        if distilled:
            plan[CHAT_REPLAY] = ([self_replay], "chat")
    if recipe.replay.sources and (recipe.replay.ratio > 0 or recipe.tune is not None):
        plan["replay"] = (recipe.replay.sources, "pack")
    return plan


def prepare(recipe: Recipe, model_dir: str) -> dict[str, Any]:
    """Run every part's pipeline, write Parquet and `data_report.json`; returns the report."""
    from pipelines.data.mixture import mixture_summary
    from pipelines.data.self_replay import practice_file, practice_summary, self_replay_file
    from pipelines.eval.derive import derive_before_prepare, write_heldout_documents

    start = time.time()
    sft_inputs = derive_before_prepare(recipe)  # None when the recipe names its eval sets
    out_root = recipe.data_dir()  # shared storage on a cluster: write tasks run on any node
    data_context(recipe)
    tally = Tally.remote()
    report: dict[str, Any] = {"parts": {}}
    practice = practice_file(recipe, model_dir)
    plan = part_plan(recipe, self_replay_file(recipe, model_dir), sft_inputs, practice)
    for part, (patterns, mode) in plan.items():
        files = expand_inputs(patterns)
        dest = storage.join(out_root, part)
        storage.remove_tree(dest)
        log.info("prepare %s: %d files -> %s", part, len(files), dest)
        with Progress(tally, part), part_pipeline(recipe, part, files, mode, model_dir, tally) as ds:
            ds.write_parquet(dest)
        summary = summarise(part, ray.get(tally.snapshot.remote()).get(part, {}), files)
        if summary["documents_out"] == 0:
            raise DataError(
                f"nothing usable in {part} input ({', '.join(files[:5])}{' ...' if len(files) > 5 else ''}): "
                f"bad={summary['bad_records']} dropped={summary['dropped']} duplicates={summary['duplicates']}"
            )
        report["parts"][part] = summary
    if sft_inputs is not None:
        write_heldout_documents(recipe, ray.get(tally.heldout_texts.remote("domain")))
        report["derived_eval"] = json.loads((recipe.run_dir() / "auto_eval" / "sets.json").read_text())
    if practice:
        report["practice"] = practice_summary(recipe, practice)
    report["mix"] = mixture_summary(recipe, report["parts"])
    report["wall_s"] = round(time.time() - start, 2)
    (recipe.run_dir()).mkdir(parents=True, exist_ok=True)
    (recipe.run_dir() / "data_report.json").write_text(json.dumps(report, indent=2))
    ray.kill(tally)
    return report


