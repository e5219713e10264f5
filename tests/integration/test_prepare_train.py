"""Preparation on Ray Data and training on Ray Train (2 CPU workers, tiny model).

One prepared run directory serves every test in the module; each test trains what it checks.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import torch

from tests.conftest import SAMPLES
from tests.integration.helpers import dapt_with_a_worker_killed, tiny_dir, train_loss

pytestmark = pytest.mark.usefixtures("ray_session")

JAPANESE = [
    "ヴェルトラーノ・モバイルの新しいルーター「ケストレルX2」は、四つのLANポートを備えています。"
    "問い合わせ先：support@veltrano.example.jp、電話０３－１２３４－５６７８。" * 2,
    "東京のショップは午前十時に開店し、毎週火曜日が定休日です。予約は090-1234-5678まで。" * 3,
]


def _salted_corpus(root: Path) -> Path:
    """Sample documents plus every kind of bad input, Japanese text, duplicates and PII."""
    corpus = root / "corpus"
    shutil.copytree(SAMPLES / "corpus" / "manual", corpus / "manual")
    with open(corpus / "posts.jsonl", "w", encoding="utf-8") as fh:
        for text in JAPANESE:
            fh.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        fh.write(json.dumps({"text": JAPANESE[0]}, ensure_ascii=False) + "\n")  # exact duplicate
        fh.write(json.dumps({"text": JAPANESE[1].replace("十時", "十一時")}, ensure_ascii=False) + "\n")  # near
        fh.write("{this is not json\n")
        fh.write(json.dumps({"body": "no text field"}) + "\n")
        fh.write(json.dumps({"text": "tiny"}) + "\n")  # too short
    (corpus / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    (corpus / "empty.md").write_text("")
    return corpus


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    from pipelines.core.config import recipe_from_dict
    from pipelines.stages import prepare_stage

    root = tmp_path_factory.mktemp("train")
    recipe = recipe_from_dict({
        "run": {"name": "it", "root": str(root / "runs")},
        "model": {"name": "tiny", "max_seq_len": 128},
        "data": {"corpus": [str(_salted_corpus(root))], "sft": [str(SAMPLES / "sft.jsonl")], "block_size": 64,
                 "mask_pii": True, "near_dup_threshold": 0.7},
        "replay": {"sources": [str(SAMPLES / "general_replay.jsonl")], "ratio": 0.25},
        "train": {"max_steps": 8, "batch_size": 4, "lr": 5e-3, "eval_steps": 4, "save_steps": 4,
                  "logging_steps": 1, "warmup_ratio": 0.0, "max_eval_rows": 8},
        "scaling": {"num_workers": 2, "cpus_per_worker": 1},
        "registry": {"path": str(root / "registry")},
    })
    report = prepare_stage(recipe)
    return recipe, report


def test_data_report_counts_bad_input_per_reason(prepared):
    recipe, report = prepared
    domain = report["parts"]["domain"]
    assert domain["bad_records"] == {"invalid_json": 1, "missing_field:text": 1, "not_utf8": 1, "empty_file": 1}
    assert domain["dropped"] == {"too_short": 1}
    assert domain["duplicates"] == {"exact_duplicate": 1, "near_duplicate": 1}
    # Masking runs before deduplication (so near-duplicates compare masked text), in the one
    # pass that cleans: all four Japanese documents are counted, the two duplicates among them.
    assert domain["pii_masked_documents"] == 4
    assert domain["bad_examples"]["invalid_json"][0].endswith("posts.jsonl:5")
    assert domain["rows"]["train"] > 0 and domain["tokens"] > 0
    on_disk = json.loads((recipe.run_dir() / "data_report.json").read_text())
    assert on_disk["parts"]["domain"]["bad_records"] == domain["bad_records"]
    mix = report["mix"]["dapt"]
    assert abs(mix["replay_share"] - 0.25) < 0.01


def test_without_dedup_the_same_documents_are_counted_and_packed(prepared, tmp_path):
    """Without deduplication nothing goes through the scratch folder: the counts are those of
    the deduplicated preparation, plus the two duplicates it removed."""
    from pipelines.core.config import recipe_from_dict
    from pipelines.data.prepare import prepare

    recipe, report = prepared
    staged = report["parts"]["domain"]
    fused_recipe = recipe_from_dict({
        "run": {"name": "fused", "root": str(tmp_path / "runs")},
        "model": {"name": "tiny", "max_seq_len": 128},
        "data": {"corpus": recipe.data.corpus, "sft": [], "block_size": 64, "mask_pii": True, "dedup": False},
        "replay": {"ratio": 0.0},
    })
    fused = prepare(fused_recipe, str(tiny_dir()))["parts"]["domain"]
    for key in ("files", "records_in", "bad_records", "dropped", "pii_masked_documents"):
        assert fused[key] == staged[key], key
    assert fused["duplicates"] == {}
    assert fused["documents_out"] == staged["documents_out"] + 2
    table = pq.read_table(fused_recipe.run_dir() / "data" / "domain")
    assert table.num_rows == fused["rows"]["train"] + fused["rows"]["eval"] > staged["rows"]["train"]
    assert {len(x) for x in table.column("input_ids").to_pylist()} == {64}


def test_packed_blocks_and_masked_pii_on_disk(prepared):
    from pipelines.core.models import load_tokenizer

    recipe, _ = prepared
    tok = load_tokenizer(tiny_dir())
    table = pq.read_table(recipe.run_dir() / "data" / "domain")
    assert {len(x) for x in table.column("input_ids").to_pylist()} == {64}
    text = "".join(tok.decode(x) for x in table.column("input_ids").to_pylist())
    assert "<PHONE>" in text and "<EMAIL>" in text and "support@veltrano" not in text
    assert "ケストレル" in text  # Japanese survives normalisation and tokenization


def test_sft_rows_carry_loss_on_answers_only(prepared):
    from pipelines.core.models import load_tokenizer
    from pipelines.train.loop import pad_collate

    recipe, _ = prepared
    tok = load_tokenizer(tiny_dir())
    rows = pq.read_table(recipe.run_dir() / "data" / "sft").slice(0, 4).to_pydict()
    batch = pad_collate({"input_ids": rows["input_ids"], "labels": rows["labels"]}, tok.pad_token_id)
    answers = {json.loads(line)["output"] for line in (SAMPLES / "sft.jsonl").read_text().splitlines()}
    for ids, labels, mask in zip(batch["input_ids"], batch["labels"], batch["attention_mask"], strict=True):
        supervised = tok.decode(labels[labels != -100]).strip()
        assert supervised.removesuffix("<|im_end|>") in answers
        assert (labels[mask == 0] == -100).all()  # padding carries no loss
        assert len(ids[labels != -100]) < int(mask.sum())  # the prompt is masked


def test_sft_mixture_batches_grouped_by_length(prepared):
    """The SFT mixture (chat pairs + 64-token replay blocks) read from its Ray dataset with
    `train.group_by_length`: every row once per epoch, less padding than batching at random,
    and a different batch order the next epoch."""
    from pipelines.data.mixture import sft_datasets
    from pipelines.train.loop import ShardBatches

    recipe, report = prepared
    ds, plan = sft_datasets(recipe, report["parts"], "train")
    ds = ds.materialize()  # the same rows every epoch (the replay sample is drawn per execution)
    assert plan.replay_rows > 0

    def epoch(batches) -> list[torch.Tensor]:
        return [b["input_ids"] for b in batches]

    pad = -1  # never a token id
    grouped = ShardBatches(ds, 4, pad, shuffle=True, seed=1, group_by_length=True)
    at_random = ShardBatches(ds, 4, pad, shuffle=True, seed=1)
    first, second, plain = epoch(grouped), epoch(grouped), epoch(at_random)
    rows = lambda batches: sorted(tuple(x[x != pad].tolist()) for b in batches for x in b)  # noqa: E731
    assert len(rows(first)) == plan.total_rows and rows(first) == rows(second) == rows(plain)
    padding = lambda batches: sum(int((b == pad).sum()) for b in batches)  # noqa: E731
    assert padding(first) < 0.5 * padding(plain)
    assert [b.shape for b in first] != [b.shape for b in second]


def test_replay_is_spread_through_the_dapt_mixture(prepared):
    """A run shorter than an epoch still sees the replay share: the first quarter of the mixture
    holds replay rows near the configured ratio, not the domain blocks only."""
    from pipelines.data.mixture import dapt_datasets

    recipe, report = prepared
    replay = {tuple(x) for x in pq.read_table(recipe.run_dir() / "data" / "replay").column("input_ids").to_pylist()}
    ds, plan = dapt_datasets(recipe, report["parts"], "train")
    taken = ds.take_all()
    rows = [tuple(r["input_ids"]) for r in taken]
    assert len(rows) == plan.total_rows and plan.replay_rows > 0
    head = rows[: len(rows) // 4]
    share = sum(r in replay for r in head) / len(head)
    assert 0.5 * plan.replay_share <= share <= 2 * plan.replay_share, (share, plan.replay_share)
    # Every row says whether it is general replay (what `replay.distill` learns from the base model).
    assert [r["replay"] for r in taken] == [r in replay for r in rows]


def test_cft_replay_rows_are_all_flagged_for_the_parent_when_distilled(prepared):
    """`cft.distill_replay`: every row replayed from the DAPT mix goes to the teacher, domain
    blocks and pairs too; the feedback rows learn their text. Without it only general replay does."""
    import ray

    from pipelines.data.mixture import sft_datasets

    recipe, report = prepared
    feedback = [{"input_ids": [5, 6, 7, 8], "labels": [-100, -100, 7, 8]}] * 6
    for distill_all in (False, True):
        ds, plan = sft_datasets(recipe, report["parts"], "train", extra=ray.data.from_items(feedback),
                                extra_rows=len(feedback), replay_from="dapt", distill_all=distill_all)
        taken = ds.take_all()
        mine = [r["replay"] for r in taken if list(r["input_ids"]) == [5, 6, 7, 8]]
        others = [r["replay"] for r in taken if list(r["input_ids"]) != [5, 6, 7, 8]]
        assert mine == [False] * 6 and len(others) == plan.replay_rows > 0
        assert all(others) if distill_all else not all(others)


def test_nothing_usable_fails_naming_the_files(tmp_path):
    from pipelines.core.config import recipe_from_dict
    from pipelines.core.sources import DataError
    from pipelines.stages import prepare_stage

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "only.jsonl").write_text("{broken\n")
    recipe = recipe_from_dict({"run": {"name": "x", "root": str(tmp_path)}, "model": {"name": "tiny"},
                               "data": {"corpus": [str(bad)], "sft": []}, "replay": {"ratio": 0.0}})
    with pytest.raises(DataError, match=r"only\.jsonl.*invalid_json"):
        prepare_stage(recipe)


def test_self_replay_is_generated_once_per_model_and_prompts(tiny_recipe, tiny_model_dir, tmp_path):
    from pipelines.data.self_replay import KEY_FILE, self_replay_file

    prompts = tmp_path / "prompts.jsonl"
    prompts.write_text("".join(json.dumps({"prompt": p}) + "\n" for p in ("Say hi.", "Name a colour.", "Why?")))
    recipe = tiny_recipe(replay={"chat_prompts": [str(prompts)], "chat_max_new_tokens": 6})
    path = Path(self_replay_file(recipe, tiny_model_dir))
    assert path.parent == recipe.run_dir().resolve() and (path.parent / KEY_FILE).is_file()
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    # The tiny model's answers are random tokens; what is kept is a prompt with a non-empty answer.
    assert all(r["instruction"] in ("Say hi.", "Name a colour.", "Why?") and r["output"] for r in rows)
    stamp = path.stat().st_mtime_ns
    assert Path(self_replay_file(recipe, tiny_model_dir)) == path and path.stat().st_mtime_ns == stamp
    longer = tiny_recipe(replay={"chat_prompts": [str(prompts)], "chat_max_new_tokens": 7})
    self_replay_file(longer, tiny_model_dir)
    assert path.stat().st_mtime_ns != stamp  # another answer length: generated again
    assert self_replay_file(tiny_recipe(), tiny_model_dir) is None


def test_dapt_then_sft_two_workers(prepared):
    from peft import PeftModel

    from pipelines.core.models import load_model
    from pipelines.core.registry import Registry
    from pipelines.stages import dapt_stage, sft_stage

    recipe, _ = prepared
    dapt = dapt_stage(recipe)
    sft = sft_stage(recipe)
    registry = Registry(recipe.registry.path)
    assert registry.get(sft["version"])["parent"] == dapt["version"]
    assert registry.lineage(sft["version"]) == [sft["version"], dapt["version"]]
    assert dapt["steps"] == sft["steps"] == 8
    for stage in ("dapt", "sft"):
        history = json.loads((recipe.run_dir() / f"train_{stage}.json").read_text())["log_history"]
        assert sum("loss" in h for h in history) == 8 and any("eval_loss" in h for h in history)
    # Each stage lowered the loss on the rows it trained on, measured on the same fixed rows
    # before and after (the logged per-step losses are single batches: too noisy to compare).
    base = None
    for stage, part, version in (("dapt", "domain", dapt["version"]), ("sft", "sft", sft["version"])):
        adapter = str(registry.local_adapter_dir(version))
        before, after = train_loss(recipe, part, base), train_loss(recipe, part, adapter)
        assert after < before - 0.01, f"{stage}: loss on its training rows {before:.4f} -> {after:.4f}"
        base = adapter
    # Plain PEFT loads what we registered.
    model = PeftModel.from_pretrained(load_model(tiny_dir()), str(registry.local_adapter_dir(sft["version"])))
    assert any("lora_A" in name for name, _ in model.named_parameters())


def test_sft_starts_from_the_dapt_weights(prepared):
    from safetensors.torch import load_file

    from pipelines.core.registry import Registry
    from pipelines.train.loop import build_model

    recipe, _ = prepared
    registry = Registry(recipe.registry.path)
    dapt = registry.latest(stage="dapt")
    assert dapt, "run test_dapt_then_sft_two_workers first (same module)"
    adapter = registry.local_adapter_dir(dapt)
    saved = load_file(str(adapter / "adapter_model.safetensors"))
    model = build_model(recipe, tiny_dir(), str(adapter), use_gpu=False)
    params = {n: p for n, p in model.named_parameters() if "lora_" in n}
    assert params and all(p.requires_grad for p in params.values())
    nonzero = 0
    for key, tensor in saved.items():
        name = next(n for n in params if n.replace(".default", "").endswith(key.removeprefix("base_model.model.")))
        assert torch.equal(params[name].detach(), tensor)
        nonzero += int(tensor.abs().sum() > 0 and "lora_B" in key)
    assert nonzero > 0  # DAPT moved B away from its zero init, and SFT starts there


def test_dapt_only_arm_trains_without_the_pairs_and_is_no_sft_parent(prepared, caplog):
    import logging

    from pipelines.core.registry import Registry
    from pipelines.data.mixture import replay_rows_for
    from pipelines.stages import dapt_only_stage

    recipe, report = prepared
    parts = report["parts"]
    short = recipe.model_copy(update={"train": recipe.train.model_copy(update={"max_steps": 2})})
    with caplog.at_level(logging.INFO, logger="pipelines.train.launch"):
        only = dapt_only_stage(short)
    # Its stream is the domain blocks plus replay at the recipe's share; the "qa" part (the SFT
    # pairs as text, which the mixed DAPT of this recipe trains on) is left out.
    domain = parts["domain"]["rows"]["train"]
    assert parts["qa"]["rows"]["train"] > 0
    rows = domain + replay_rows_for(domain, recipe.replay.ratio)
    assert f"dapt_only: {rows} rows -> 2 steps" in caplog.text
    registry = Registry(recipe.registry.path)
    row = registry.get(only["version"])
    assert only["version"].startswith("daptonly-v") and row["stage"] == "daptonly" and row["parent"] is None
    # SFT continues the newest "dapt" version: never the ablation arm.
    latest = registry.latest(stage="dapt", run=recipe.run.name)
    assert latest is None or latest.startswith("dapt-v")


def test_killed_worker_resumes_from_checkpoint(prepared):
    recipe, _ = prepared
    recipe = recipe.model_copy(update={"train": recipe.train.model_copy(update={"max_steps": 30, "save_steps": 5,
                                                                                 "eval_steps": 5})})
    result = dapt_with_a_worker_killed(recipe)
    assert result["steps"] == 30
    assert result["resumed_from_step"] >= 5
    log = (recipe.run_dir() / "run.log").read_text()
    assert "resumed from the checkpoint at step" in log


def _kl_to_base(recipe, adapter: str, rows: int = 16) -> float:
    """Mean KL(base ‖ base + adapter) of the next-token distributions on the first replay rows."""
    from pipelines.core.generate import load_for_eval

    table = [r for r in pq.read_table(recipe.run_dir() / "data" / "replay").to_pylist() if r["split"] == "train"]
    ids = torch.tensor([r["input_ids"] for r in table[:rows]])  # packed blocks: all the same length
    with torch.no_grad():
        base = torch.log_softmax(load_for_eval(tiny_dir(), None)[0](input_ids=ids).logits, -1)
        tuned = torch.log_softmax(load_for_eval(tiny_dir(), adapter)[0](input_ids=ids).logits, -1)
    return float(torch.nn.functional.kl_div(tuned, base, log_target=True, reduction="sum")) / ids[:, :-1].numel()


def test_distilled_replay_stays_with_the_base_model(prepared):
    """The same short DAPT (2 workers) with replay learned as text, then from the base model
    (`replay.distill`): distilled, the tuned model stays closer to the base model on replay rows."""
    from pipelines.core.registry import Registry
    from pipelines.stages import dapt_stage

    recipe, _ = prepared
    registry = Registry(recipe.registry.path)
    kl = {}
    for distill in (False, True):
        variant = recipe.model_copy(update={
            "replay": recipe.replay.model_copy(update={"distill": distill, "ratio": 0.5}),
            "train": recipe.train.model_copy(update={"max_steps": 6})})
        name = "replaydistil" if distill else "replaytext"
        version = dapt_stage(variant, register_as=name)["version"]
        kl[distill] = _kl_to_base(recipe, str(registry.local_adapter_dir(version)))
    assert kl[True] < 0.75 * kl[False], kl  # measured: 0.010 against 0.018
