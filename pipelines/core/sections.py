"""The recipe's sections: nested typed models, one docstring per field (the reference a user
reads: `domainforge validate` names the key of any error, the README links here).

`pipelines.core.config.Recipe` puts them together and loads them from YAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)


class Section(BaseModel):
    """Base of every section: unknown keys are errors, defaults are validated."""

    model_config = ConfigDict(extra="forbid", validate_default=True, use_attribute_docstrings=True)


class RunConfig(Section):
    name: str = "quickstart"
    """Run name; outputs go to `<root>/<name>/`."""
    root: str = "runs"
    """Local folder that holds every run directory (resolved recipe, reports, plots, logs); shared files go to `storage`."""
    storage: str | None = None
    """Shared storage for what every node reads or writes: prepared data (`<storage>/<name>/data`), Ray Train checkpoints (`<storage>/<name>/checkpoints`) and a copy of the run directory's files. s3:// / gs:// URI or a folder mounted on every node; unset = the run directory (one machine)."""
    seed: int = 0
    """Seed for data shuffling, LoRA init and sampling."""

    @model_validator(mode="after")
    def _root_is_local(self) -> RunConfig:
        if "://" in self.root:
            raise ValueError(f"run.root is a local folder; put {self.root!r} in run.storage instead")
        return self


class ModelConfig(Section):
    name: str = "smollm2-135m"
    """`smollm2-135m` (bundled GGUF, converted once and cached), `tiny` (random 2-layer model with the real tokenizer, for tests), a local HF directory, or a hub id already in the local cache."""
    max_seq_len: int = Field(512, ge=16)
    """Longest sequence the model is trained or evaluated on (SFT examples are truncated to it)."""


class QualityConfig(Section):
    """Quality filters for raw text (the domain corpus and replay text; never SFT pairs), run after
    normalisation and the length filter. Each rule is off at its loosest value (1.0, or no
    scripts); a dropped document is counted under its rule's name in data_report.json's
    `dropped`, with examples. Shares count characters and lines, never space-separated words,
    so Japanese is judged like English (`pipelines/data/quality.py`)."""

    max_repeated_lines: float = Field(0.3, ge=0.0, le=1.0)
    """Most share of a document's characters that may sit in lines occurring more than once in
    it: boilerplate repeated on every page, log spam, a paragraph pasted again (its lines
    repeat). 1.0: off."""
    max_symbol_share: float = Field(0.2, ge=0.0, le=1.0)
    """Most share of a document's visible characters that may be symbols such as # | * < > { } _
    = ~ and box-drawing characters (markup debris, ASCII art, keyword spam). 1.0: off."""
    max_digit_share: float = Field(0.4, ge=0.0, le=1.0)
    """Most share of visible characters that may be digits (number dumps, raw tables). 1.0: off."""
    short_line_chars: int = Field(10, ge=1)
    """A line with fewer characters than this is short (10 characters hold a Japanese phrase or
    two English words)."""
    max_short_lines: float = Field(0.67, ge=0.0, le=1.0)
    """Most share of a document's lines (of 4 or more) that may be short: menus, navigation,
    lists of fragments. 1.0: off."""
    scripts: list[Literal["latin", "japanese", "chinese", "korean", "cyrillic", "greek", "arabic", "devanagari",
                          "thai"]] = Field(default_factory=list)
    """Scripts the corpus should be written in, e.g. [japanese, latin]: a document whose letters
    are mostly in other scripts is dropped as `other_script`. Empty: off. A script check, not a
    language model (it cannot tell English from French; see quality.py for why)."""
    min_script_share: float = Field(0.5, ge=0.0, le=1.0)
    """Least share of a document's letters that must be in `scripts`."""


class DataConfig(Section):
    corpus: list[str] = Field(default_factory=lambda: ["pipelines/samples/telecom/corpus"])
    """Domain documents: files, folders or globs of .txt/.md/.jsonl (`text` field)/.parquet, local or s3:// / gs://."""
    sft: list[str] = Field(default_factory=lambda: ["pipelines/samples/telecom/sft.jsonl"])
    """SFT pairs: JSONL with {"instruction", "output"} or {"messages": [...]}."""
    text_field: str = "text"
    """Field that holds the document text in .jsonl and .parquet inputs."""
    block_size: int = Field(256, ge=8)
    """Tokens per packed DAPT block (documents joined with EOS, then cut into blocks)."""
    min_chars: int = Field(20, ge=0)
    """Documents shorter than this (after cleaning) are dropped as `too_short`."""
    max_chars: int = Field(200_000, ge=1)
    """Documents longer than this are dropped as `too_long`."""
    min_tokens: int = Field(4, ge=0)
    """Documents with fewer tokens are dropped as `too_few_tokens`."""
    max_tokens: int = Field(100_000, ge=1)
    """Documents with more tokens are dropped as `too_many_tokens`."""
    dedup: bool = True
    """Drop exact and near duplicates (after normalisation; the first copy in input order is
    kept). Spread over the cluster: the pass that parses and cleans computes every document's
    MinHash signature in parallel and writes text and signature to a scratch folder, Ray Data's
    hash shuffle groups documents by band keys, the clusters are resolved, and the second pass
    tokenizes the text kept (`pipelines/data/dedup.py`). Off, nothing goes through scratch."""
    near_dup_threshold: float = Field(0.85, ge=0.0, le=1.0)
    """Estimated Jaccard similarity of character shingles above which a document is a near duplicate; 1.0 disables."""
    shingle_chars: int = Field(5, ge=1)
    """Characters per shingle for near-duplicate detection (characters, so it works for scripts without spaces)."""
    quality: QualityConfig = Field(default_factory=QualityConfig)
    """Quality filters for raw text (see QualityConfig)."""
    mask_pii: bool = False
    """Replace e-mail addresses and phone numbers (incl. Japanese forms) with <EMAIL> / <PHONE>."""
    eval_fraction: float = Field(0.05, ge=0.0, lt=0.5)
    """Share of prepared documents (or blocks, see `split_by`) and SFT examples held out for eval
    loss during training (and, without eval sets, for domain_ppl)."""
    split_by: Literal["document", "block"] = "document"
    """What the held-out split draws, by a hash of its tokens: whole `document`s (a document's
    split never moves when other files are added or removed, and held-out text was never trained
    on), or packed `block`s (the split the quickstart's published scores were measured with)."""
    read_group_mb: float = Field(2.0, gt=0)
    """Megabytes of input files one preparation task reads and parses (a bigger file is read
    alone): enough work to amortise Ray's per-task cost, small enough to bound memory per task
    and to keep the last tasks short, while the other workers may have nothing left to do."""
    tokenizer_actors: int = Field(2, ge=1)
    """Tokenizer actors (each holds one tokenizer) per part in preparation, at most: a part gets
    one per `read_group_mb` of input, since an actor costs seconds to start."""
    buffer_fraction: float = Field(0.1, gt=0.0, le=1.0)
    """Share of the object store Ray Data may fill with blocks in flight before it holds the
    readers back. It bounds preparation's memory whatever the corpus size: at Ray's default (0.5)
    peak memory grew ~1.45x each time the corpus doubled past 0.25 GB (BENCHMARKS.md)."""

    @model_validator(mode="before")
    @classmethod
    def _retired_keys(cls, values: Any) -> Any:
        # `batch_docs` sized the batches of the single dedup actor, which is gone; every saved
        # run's recipe.yaml names it, and those runs must still load (CFT and bench read them).
        if isinstance(values, dict) and "batch_docs" in values:
            values = {k: v for k, v in values.items() if k != "batch_docs"}
        return values


class ReplayConfig(Section):
    ratio: float = Field(0.25, ge=0.0, lt=1.0)
    """Share of DAPT training tokens taken from general replay text (against forgetting)."""
    sources: list[str] = Field(default_factory=lambda: ["pipelines/samples/telecom/general_replay.jsonl"])
    """General text used for replay (same formats as the corpus)."""
    distill: bool = False
    """Learn the general replay rows from the base model's own next-token distributions (KL to
    the base model with the adapter switched off, computed in the same step) instead of from their
    text. A small replay set seen every epoch is otherwise memorised, and that pulls held-out
    general text *down*: the quickstart's replay text fell to perplexity 5 while held-out general
    text rose 1.3x; distilled, the same training stays within 1.06x (BENCHMARKS.md). Costs one
    forward pass of a replay row the first time it is seen (see `teacher_cache_mb`)."""
    teacher_cache_mb: int = Field(1024, ge=0)
    """Memory per training worker (on its device) for the teacher's last hidden states of
    distilled rows, so a replay row seen again in a later epoch costs only the vocabulary
    projection instead of a forward pass (135M model: ~0.6 MB per 256-token row). 0 = recompute."""
    mix_sft_into_dapt: bool = True
    """Also pack the SFT pairs (as chat text) into the DAPT stream (the mixed DAPT+QA variant)."""
    sft_replay_ratio: float = Field(0.5, ge=0.0, lt=1.0)
    """Share of SFT/CFT training examples replayed from the DAPT mix, so a narrow SFT set does not overwrite."""
    chat_prompts: list[str] = Field(default_factory=list)
    """JSONL files of general requests (`prompt` field) for self-replay: the base model answers each
    once (greedy) at `prepare`, and those pairs join the SFT pairs (and the DAPT stream with
    `mix_sft_into_dapt`), so domain training keeps the model's own general way of answering."""
    chat_max_new_tokens: int = Field(160, ge=1)
    """Longest self-replay answer generated, in tokens."""
    instruct_prompts: list[str] = Field(default_factory=list)
    """JSONL files of rule-checked practice requests (`prompt` and `check`, the format of
    `eval.instruct`; never the evaluation's own prompts). At `prepare` the base model answers
    each, greedy first and then sampled, until an answer passes its check; the passing answers
    join the SFT pairs (and the DAPT stream with `mix_sft_into_dapt`) as ordinary pairs, learned
    from their text. Self-replay keeps the model's way of answering; these move it towards the
    answers of its own that follow the instruction, so domain training has margin against losing
    instruction following (BENCHMARKS.md, quickstart)."""
    instruct_tries: int = Field(4, ge=1)
    """Answers drawn per practice request at most (the first greedy, the rest sampled)."""
    instruct_temperature: float = Field(0.8, gt=0.0)
    """Sampling temperature of the practice answers after the first."""


class LoraConfig(Section):
    r: int = Field(32, ge=1)
    """LoRA rank."""
    alpha: int = Field(64, ge=1)
    """LoRA alpha (scale = alpha / r)."""
    dropout: float = Field(0.0, ge=0.0, lt=1.0)
    """Dropout on the LoRA branch. Off by default: it regularises against memorising, which
    DAPT wants, and on a CPU drawing its masks costs about a quarter of a LoRA step."""
    target_modules: str | list[str] = "all-linear"
    """`all-linear` or a list of module names (e.g. [q_proj, v_proj])."""
    use_dora: bool = False
    """Weight-decomposed LoRA (DoRA)."""
    qlora: bool = False
    """Load the base in 4-bit (bitsandbytes NF4), on GPU or CPU; the adapter computes in bf16 where the
    training does (GPU, CPUs with native bf16), else fp32, and loads on the full-precision base."""
    lr_ratio: float = Field(1.0, ge=1.0)
    """LoRA+ (Hayou et al., 2024): the B matrices learn at `lr × lr_ratio`, the A matrices at `lr`.
    B starts at zero, so with one learning rate for both the update is slow to grow; 4 makes the
    quickstart's DAPT learn far more facts in the same steps (BENCHMARKS.md). 1 = plain LoRA."""


class TrainConfig(Section):
    lr: float = Field(3e-4, gt=0)
    """Peak learning rate (after warmup, then cosine decay)."""
    epochs: float = Field(1.0, gt=0)
    """Passes over the training data (ignored when max_steps > 0)."""
    max_steps: int = -1
    """Optimizer steps; > 0 overrides epochs."""
    batch_size: int = Field(4, ge=1)
    """Sequences per worker per micro-batch."""
    grad_accum: int = Field(1, ge=1)
    """Micro-batches per optimizer step."""
    warmup_ratio: float = Field(0.05, ge=0.0, lt=1.0)
    """Share of steps with linear warmup."""
    weight_decay: float = Field(0.0, ge=0.0)
    """AdamW weight decay."""
    max_grad_norm: float = Field(1.0, gt=0)
    """Gradient clipping norm."""
    logging_steps: int = Field(5, ge=1)
    """Report training metrics every N steps."""
    eval_steps: int = Field(50, ge=1)
    """Eval loss on the held-out split every N steps (and at the end)."""
    save_steps: int = Field(50, ge=1)
    """Checkpoint every N steps (a multiple of eval_steps keeps metrics fresh)."""
    max_eval_rows: int = Field(64, ge=1)
    """Rows of the held-out split used for eval loss (kept small: it runs every eval_steps)."""
    group_by_length: bool = False
    """Batch rows of similar length together (sorted within windows of 8 shuffled batches), so short
    SFT pairs are not padded to the length of the replay blocks beside them: fewer FLOPs per step,
    less randomness in what shares a batch (BENCHMARKS.md, Quickstart)."""
    precision: Literal["auto", "bf16", "fp32"] = "auto"
    """`auto`: bf16 on GPU, bf16 autocast on CPUs with native bf16 (AVX512-BF16/AMX), else fp32; `bf16` forces it."""


class StageTrain(Section):
    """Per-stage overrides of the shared `train` section (unset fields inherit)."""

    lr: float | None = None
    """Learning rate for this stage."""
    epochs: float | None = None
    """Epochs for this stage."""
    max_steps: int | None = None
    """Optimizer steps for this stage."""


class CftConfig(Section):
    method: Literal["kto", "sft", "kto+sft"] = "kto+sft"
    """KTO on binary ratings, SFT on good/corrected answers, or both in sequence (SFT first, then KTO from it)."""
    min_feedback: int = Field(8, ge=1)
    """Fewer new ratings than this: nothing is trained."""
    every_n_ratings: int = Field(0, ge=0)
    """Schedule: with `domainforge cft --watch`, run whenever this many new ratings arrived (0 = off)."""
    kto_beta: float = Field(0.1, gt=0)
    """KTO beta (strength of the KL anchor to the parent)."""
    desirable_weight: float = Field(1.0, gt=0)
    """KTO weight of good answers."""
    undesirable_weight: float = Field(1.0, gt=0)
    """KTO weight of bad answers."""
    train: StageTrain = Field(default_factory=lambda: StageTrain(lr=1e-4, epochs=3))
    """Training overrides for CFT."""
    sft_replay_from: Literal["sft", "dapt"] = "sft"
    """What the SFT phase replays (`replay.sft_replay_ratio` of its rows): the earlier SFT pairs, or the
    DAPT mixture (domain text, general text and SFT pairs), which also guards general text and the
    domain facts nobody rated."""
    distill_replay: bool = False
    """Learn the SFT phase's replay rows (all of them, domain text included) from the parent
    version's own next-token distributions (KL to the parent, as `replay.distill` does with the
    base model) instead of from their text. Replayed as text, the DAPT mixture re-teaches the
    corpus while the corrections push their values into the shared answer templates, and facts
    nobody rated drift (BENCHMARKS.md, CFT); distilled, the round is asked to stay the parent
    everywhere except on the feedback. Costs a parent forward per replay row the first time it is
    seen (kept like `replay.teacher_cache_mb`)."""
    anchors: int = Field(0, ge=0)
    """Per rated answer, this many sentences of the prepared domain corpus that share its wording
    but not its subject (the same attribute of other products, say), learned from the parent's
    distributions beside the feedback (`pipelines/data/anchors.py`). A correction's value spreads
    to every subject stated in the same wording; these rows tell the round that the others keep
    the parent's values. Needs `distill_replay` (the parent is their teacher); 0 = none."""
    kto_train: StageTrain = Field(default_factory=StageTrain)
    """Overrides of `cft.train` for the KTO phase only (unset fields inherit): a preference step moves
    a model further than an SFT step at the same learning rate, so KTO usually wants a lower one."""

    @model_validator(mode="after")
    def _anchors_need_a_teacher(self) -> CftConfig:
        if self.anchors and not self.distill_replay:
            raise ValueError("cft.anchors needs cft.distill_replay: true (anchors are learned from the parent)")
        return self


SAMPLE_DIR = Path(__file__).resolve().parents[1] / "samples" / "telecom"
# The bundled sample domain's own evaluation sets: the default for a recipe that trains on the
# bundled corpus and names no domain sets (the quickstart), so its scores stay what they were.
SAMPLE_EVAL = {"domain_heldout": "pipelines/samples/telecom/heldout_domain.jsonl",
               "mc": "pipelines/samples/telecom/eval_mc.jsonl", "qa": "pipelines/samples/telecom/eval_qa.jsonl"}
DOMAIN_SETS = tuple(SAMPLE_EVAL)


class EvalConfig(Section):
    domain_heldout: str | None = None
    """Held-out domain documents for domain_ppl: a `.txt`/`.md`/`.jsonl` (`text` field)/`.parquet`
    file, folder or glob. Unset together with `mc` and `qa`: the bundled sample's sets when the corpus
    is (part of) the bundled sample's, otherwise the corpus documents `prepare` holds out
    (`data.eval_fraction`)."""
    general_heldout: str = "pipelines/samples/telecom/general_heldout.jsonl"
    """Held-out general text for general_ppl (forgetting); same formats as `domain_heldout`."""
    mc: str | None = None
    """Multiple-choice JSONL: `question`, `options` (or `choices`), `answer` (index, letter or option
    text), optional `statement` with `{option}`. With a statement each filled statement is scored by
    log-likelihood, without one the option as the answer to the question; unset = no domain_mc_acc."""
    qa: str | None = None
    """Short-answer JSONL (`question`, `answer`): the generated answer must contain the gold answer.
    Unset with `mc` and `domain_heldout` too: derived from held-out SFT pairs (`auto_qa_fraction`)."""
    auto_qa_fraction: float = Field(0.2, ge=0.0, lt=1.0)
    """With no domain eval sets: share of the SFT pairs whose answer the corpus supports that
    `prepare` holds out as the short-answer set (they leave the SFT and DAPT data)."""
    instruct: str = "pipelines/samples/telecom/instruct.jsonl"
    """Rule-checked instructions for instruct_pass."""
    max_new_tokens: int = Field(32, ge=1)
    """Generation budget for short answers (one sentence is ~15 tokens)."""
    instruct_max_new_tokens: int = Field(96, ge=1)
    """Generation budget for instruction checks."""
    diagnostics: bool = False
    """Also score multiple choice as the bare option (`domain_mc_acc_bare`; doubles MC cost)."""
    batch_size: int = Field(32, ge=1)
    """Sequences per forward pass of the likelihood metrics (perplexity, multiple choice)."""
    generate_batch_size: int = Field(128, ge=1)
    """Most prompts answered at once by greedy generation (domain_qa_em, instruct_pass, the
    self-replay answers), split into as few equal batches as that allows. A decoding step on a
    CPU costs nearly as much for 4 rows as for 60 (it reads every weight either way), so few wide
    batches pay: the quickstart's 68 short-answer and 50 instruction prompts take 41 s in one
    batch each against 55 s in batches of 32, with the same answers (BENCHMARKS.md)."""
    limit: int = Field(0, ge=0)
    """Use only the first N items of each set (0 = all); for quick runs."""
    precision: Literal["auto", "bf16", "fp32"] = "fp32"
    """CPU generation for domain_qa_em and instruct_pass (and self-replay answers) in fp32, or with
    bf16 autocast (`bf16`; `auto`: where the CPU has native bf16, AVX512-BF16/AMX). Greedy answers
    change at near-ties in bf16: the quickstart's instruct_pass moved by 2-3 checks of 50 and its
    gate flipped, and generation is not faster there anyway, so fp32 is the default
    (BENCHMARKS.md). A GPU evaluates in bf16 weights."""
    score_precision: Literal["auto", "bf16", "fp32"] = "auto"
    """CPU precision of the likelihood metrics (domain_ppl, general_ppl, domain_mc_acc), as
    `precision`. They sum log-probabilities over many tokens, so bf16 autocast moves perplexity by
    under 1% and multiple choice only at near-ties, and it runs them 1.6-2.3x faster on a CPU with
    native bf16 (`auto` uses it there and fp32 elsewhere)."""


    def derived(self) -> bool:
        """No domain set is named: `prepare` derives them from the recipe's own data."""
        return all(getattr(self, key) is None for key in DOMAIN_SETS)


def resolved_path(path: str) -> Path | None:
    """A local path made absolute (None for a URI), to compare with the bundled sample's."""
    return None if "://" in path else Path(path).resolve()


class GateConfig(Section):
    general_ppl_max_increase: float = Field(0.10, ge=0.0)
    """Block when general_ppl rises more than this fraction over the parent."""
    instruct_pass_max_drop: float = Field(0.05, ge=0.0)
    """Block when instruct_pass falls more than this (absolute, 0.05 = 5 points) below the parent."""
    domain_mc_acc_max_drop: float = Field(0.10, ge=0.0)
    """Block when domain_mc_acc falls more than this below the parent."""
    untouched_mc_acc_max_drop: float = Field(0.10, ge=0.0)
    """CFT: block when multiple-choice accuracy on the evaluation facts that no feedback of the
    round touched falls more than this below the parent's on the same facts. The whole set's
    average mixes those facts with the corrected ones, whose gain hides damage elsewhere."""
    touched_threshold: float = Field(0.55, gt=0.0, le=1.0)
    """CFT: an evaluation item counts as touched by the round's feedback when one rating's text
    (question, answer, correction) holds this share of the item's rarity-weighted character
    trigrams (`pipelines/eval/touched.py`; measured on the sample: untouched ≤ 0.50, rated ≥ 0.60)."""


class UiAuthConfig(Section):
    user: str = Field(min_length=1)
    """Login name for the chat UI."""
    password_env: str = "DOMAINFORGE_UI_PASSWORD"
    """Environment variable holding the UI password (never the password itself in a recipe); `serve` fails if it is unset."""


class ServeConfig(Section):
    host: str = "127.0.0.1"
    """Address the HTTP API listens on."""
    port: int = Field(8000, ge=1, le=65535)
    """Port of the HTTP API."""
    ui_port: int = Field(7860, ge=0, le=65535)
    """Port of the Gradio chat UI (0 = no UI)."""
    api_key_env: str = "DOMAINFORGE_API_KEY"
    """Environment variable holding the API key; when set, requests need `Authorization: Bearer <key>`."""
    max_prompt_tokens: int = Field(1024, ge=1)
    """Prompts longer than this are rejected with 400."""
    max_new_tokens: int = Field(256, ge=1)
    """Upper bound for `max_tokens` in a request."""
    max_body_bytes: int = Field(1_000_000, ge=1024)
    """Request bodies larger than this are rejected with 413."""
    max_batch_size: int = Field(8, ge=1)
    """Requests of one adapter decoded together by a replica; more wait for a free row."""
    batch_wait_s: float = Field(0.0, ge=0.0)
    """Ignored, kept so older recipes load: requests join the running decode at the next step
    (continuous batching), there is no batching window to wait for."""
    replicas: int = Field(1, ge=1)
    """Model replicas (min replicas when autoscaling)."""
    max_replicas: int = Field(1, ge=1)
    """Autoscaling upper bound (equal to replicas = no autoscaling)."""
    ui_auth: UiAuthConfig | None = None
    """Optional login for the chat UI (`{user: ..., password_env: ...}`); unset = no login, so keep `host` local then."""
    ui_api_url: str | None = None
    """Base URL (ending in /v1) the chat UI sends its requests to; unset = the API started with it."""
    ui_max_tokens: int | None = Field(None, ge=1)
    """`max_tokens` the chat UI asks for per answer; unset = the server's `max_new_tokens`."""


class FeedbackConfig(Section):
    url: str = "sqlite:///runs/feedback.db"
    """SQLAlchemy URL of the feedback store (SQLite file by default, postgresql+psycopg://... for multi-node)."""


class RegistryConfig(Section):
    path: str = "runs/registry"
    """Folder of the adapter registry (registry.json + one folder per version)."""


class ScalingConfig(Section):
    num_workers: int = Field(1, ge=1)
    """Ray Train workers (data-parallel)."""
    use_gpu: bool | Literal["auto"] = "auto"
    """Train on GPUs: `auto` uses them when the cluster has any."""
    cpus_per_worker: float = Field(1, gt=0)
    """CPUs reserved per worker."""
    gpus_per_worker: float = Field(1, ge=0)
    """GPUs per worker when on GPU."""
    deepspeed: Literal["auto", "none", "zero2", "zero3"] = "auto"
    """DeepSpeed ZeRO stage. `auto`: zero2 for several GPUs, none for one GPU and on CPU (DDP is faster
    there). `zero2`/`zero3` are honoured on CPU workers too (DeepSpeed's CPU accelerator over gloo)."""
    resources_per_worker: dict[str, float] = Field(default_factory=dict)
    """Extra Ray resources each worker needs besides CPU/GPU, e.g. a custom resource of a node type in cluster.yaml ({trainer_node: 1}) to pin workers to those nodes."""
    max_failures: int = Field(2, ge=0)
    """Worker failures tolerated; the run restarts from the last checkpoint."""
    address: str | None = None
    """Ray address (`auto`, `ray://host:10001`); unset starts a local Ray."""

    @model_validator(mode="after")
    def _extra_resources(self) -> ScalingConfig:
        for key in ("CPU", "GPU"):
            if key in self.resources_per_worker:
                raise ValueError(f"set {key} with scaling.{key.lower()}s_per_worker, not in resources_per_worker")
        return self


class SearchSpace(Section):
    """A sweep dimension: `grid` values, `choice` values, or a `uniform`/`loguniform` range."""

    type: Literal["grid", "choice", "uniform", "loguniform"] = "grid"
    """How values are drawn."""
    values: list[Any] | None = None
    """Values for grid/choice."""
    low: float | None = None
    """Lower bound for uniform/loguniform."""
    high: float | None = None
    """Upper bound for uniform/loguniform."""

    @model_validator(mode="after")
    def _check(self) -> SearchSpace:
        if self.type in ("grid", "choice") and not self.values:
            raise ValueError(f"{self.type} needs `values`")
        if self.type in ("uniform", "loguniform"):
            if self.low is None or self.high is None:
                raise ValueError(f"{self.type} needs `low` and `high`")
            if self.low >= self.high or (self.type == "loguniform" and self.low <= 0):
                raise ValueError(f"{self.type} needs 0 < low < high (log) or low < high")
        return self

    def candidates(self) -> list[Any]:
        """Values that stand for the dimension when checking it: every listed value, or both bounds."""
        return list(self.values) if self.type in ("grid", "choice") else [self.low, self.high]


class TuneConfig(Section):
    space: dict[str, SearchSpace] = Field(default_factory=dict)
    """Dotted recipe keys (replay.ratio, lora.r, lora.alpha, train.lr, ...) to search."""
    searcher: Literal["grid", "random", "optuna"] = "grid"
    """Grid/random search, or Optuna's TPE (model-based)."""
    num_samples: int = Field(1, ge=1)
    """Samples (grid: repeats of the grid)."""
    objective: Literal["penalized", "pareto"] = "penalized"
    """`penalized`: domain_ppl × (1 + penalty × excess general_ppl increase over tolerance); `pareto`: pick from the front."""
    penalty: float = Field(10.0, ge=0.0)
    """Penalty weight for forgetting beyond the gate's tolerance."""
    asha: bool = True
    """Stop weak trials early on the intermediate eval loss (ASHA)."""
    grace_steps: int = Field(2, ge=1)
    """ASHA: reports before a trial can be stopped."""
    max_concurrent_trials: int = Field(0, ge=0)
    """0 = derived from the cluster's CPUs/GPUs and the trial's workers."""
