"""Data components without Ray: parsing bad input, cleaning (incl. Japanese), dedup, packing, chat labels."""

from __future__ import annotations

import io
import json
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.core.chat import IGNORE, encode_chat, messages_of
from pipelines.core.sources import (
    DataError,
    expand_inputs,
    file_groups,
    input_bytes,
    parse_file,
    split_long_text,
)
from pipelines.data.clean import Deduplicator, length_reason, mask_pii, normalize
from pipelines.data.mixture import replay_rows_for
from pipelines.data.tokenize import Packer, TextEncoder


def test_normalize_nfkc_spaces_and_control_chars():
    assert normalize("ＡＢＣ　１２３\r\nline\u0007two  \t x") == "ABC 123\nlinetwo x"
    assert normalize("東京\n\n\n\n大阪") == "東京\n\n大阪"


def test_normalize_removes_exactly_the_unicode_control_characters():
    # Every code point Unicode calls a control (Cc), except tab and newline, and nothing else.
    import unicodedata

    for cp in range(0x110000):
        ch = chr(cp)
        if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r":
            assert normalize(f"a{ch}b") == "ab", hex(cp)
    assert normalize("a\u200bb\u00adc") == unicodedata.normalize("NFKC", "a\u200bb\u00adc")  # Cf: kept


@pytest.mark.parametrize("text", [
    "mail me at jane.doe+tag@example.co.jp today",
    "call +81 90-1234-5678 now",
    "携帯は090-1234-5678です",
    "電話：０３－１２３４－５６７８まで",  # full-width, becomes ASCII through NFKC first
    "フリーダイヤル0120-123-456へ",
    "US office (555) 123-4567.",
    "固定電話 0312345678",
])
def test_pii_is_masked(text):
    masked = mask_pii(normalize(text))
    assert "<EMAIL>" in masked or "<PHONE>" in masked
    assert "@" not in masked and not re.search(r"\d{3}", masked)


@pytest.mark.parametrize("text", ["version 2.3.4 released 2024-05-06", "error code VT-417", "port 8080 open"])
def test_pii_leaves_other_numbers(text):
    assert mask_pii(text) == text


def test_length_reasons():
    assert length_reason("abc", 5, 10) == "too_short"
    assert length_reason("a" * 11, 5, 10) == "too_long"
    assert length_reason("abcdef", 5, 10) is None


def test_dedup_exact_and_near_on_japanese_characters():
    dedup = Deduplicator(near_threshold=0.8, shingle_chars=5)
    base = "ヴェルトラーノ・モバイルのオービット・マックスプランは月額四十五ユーロで、毎月二十ギガバイトのデータが使えます。" * 4
    assert dedup.check(base) is None
    assert dedup.check(base.replace("。", "。 ")) == "exact_duplicate"  # spacing-insensitive
    assert dedup.check(base.replace("四十五", "四十六", 1)) == "near_duplicate"  # one word changed
    assert dedup.check("まったく別の話題です。今日は庭でトマトを育てる方法について説明します。" * 4) is None


def test_dedup_keeps_distinct_documents():
    dedup = Deduplicator(near_threshold=0.85)
    docs = [f"Document {i} talks about topic {i * 7} with its own words {i * i}." * 3 for i in range(50)]
    assert all(dedup.check(d) is None for d in docs)


def _reasons(records):
    return sorted(r["reason"] for r in records if r["reason"])


def test_jsonl_bad_lines_are_counted_not_fatal():
    data = b"\n".join([
        json.dumps({"text": "good one"}).encode(),
        b"{not json",
        json.dumps({"body": "no text field"}).encode(),
        json.dumps({"text": 42}).encode(),
        b"\xff\xfe\x00bad bytes",
        json.dumps(["not", "an", "object"]).encode(),
        json.dumps({"text": "good two"}).encode(),
    ])
    records = parse_file(data, "posts.jsonl")
    assert [r["text"] for r in records if not r["reason"]] == ["good one", "good two"]
    assert _reasons(records) == ["invalid_json", "missing_field:text", "not_an_object", "not_utf8", "wrong_type:text"]
    assert {r["source"] for r in records if r["reason"] == "invalid_json"} == {"posts.jsonl:2"}


def test_plain_text_empty_and_non_utf8_files():
    assert _reasons(parse_file(b"", "a.txt")) == ["empty_file"]
    assert _reasons(parse_file(b"  \n ", "a.md")) == ["empty_file"]
    bad = parse_file(b"line one\ncaf\xe9\n", "b.txt")
    assert _reasons(bad) == ["not_utf8"] and bad[0]["source"] == "b.txt:2"
    assert parse_file("日本語のテキスト".encode(), "c.md")[0]["text"] == "日本語のテキスト"


def test_parquet_missing_column_and_nulls():
    def parquet(table: pa.Table) -> bytes:
        buf = io.BytesIO()
        pq.write_table(table, buf)
        return buf.getvalue()

    ok = parse_file(parquet(pa.table({"text": ["a doc", None, "another"]})), "d.parquet")
    assert [r["text"] for r in ok if not r["reason"]] == ["a doc", "another"]
    assert _reasons(ok) == ["missing_field:text"]
    assert _reasons(parse_file(parquet(pa.table({"body": ["x"]})), "e.parquet")) == ["missing_field:text"]
    assert _reasons(parse_file(b"not parquet at all", "f.parquet")) == ["invalid_parquet"]


def test_long_text_is_split_at_paragraphs():
    text = "\n\n".join(f"paragraph {i} " + "x" * 40 for i in range(10))
    pieces = split_long_text(text, 120)
    assert all(len(p) <= 120 for p in pieces) and "".join(pieces).count("paragraph") == 10


def test_expand_inputs_folders_globs_and_missing(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.md").write_text("x")
    (tmp_path / "a" / "y.jsonl").write_text("{}")
    (tmp_path / "a" / "skip.bin").write_text("z")
    (tmp_path / "b.txt").write_text("b")
    files = expand_inputs([str(tmp_path / "a"), str(tmp_path / "*.txt")])
    assert [f.rsplit("/", 1)[1] for f in files] == ["x.md", "y.jsonl", "b.txt"]
    with pytest.raises(DataError, match="nothing_here"):
        expand_inputs([str(tmp_path / "nothing_here")])


def test_expand_inputs_walks_nested_folders_once_and_in_order(tmp_path):
    for rel in ["c/2/z.txt", "c/1/y.txt", "c/x.txt", "c/1/deep/w.md"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    (tmp_path / "c" / "link.txt").symlink_to(tmp_path / "c" / "x.txt")  # a linked file counts
    (tmp_path / "c" / "loop").symlink_to(tmp_path / "c", target_is_directory=True)  # not followed
    files = expand_inputs([str(tmp_path / "c"), str(tmp_path / "c" / "x.txt")])
    names = [f[len(str(tmp_path / "c")) + 1:] for f in files]
    assert names == ["1/deep/w.md", "1/y.txt", "2/z.txt", "link.txt", "x.txt"]


def test_file_groups_bound_files_and_bytes(tmp_path):
    sizes = {"a": 10, "b": 10, "c": 50, "d": 5, "e": 5, "f": 5}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    files = [str(tmp_path / n) for n in sizes]
    groups = file_groups(files, max_files=2, max_bytes=25)
    assert [[p.rsplit("/", 1)[1] for p in g] for g in groups] == [["a", "b"], ["c"], ["d", "e"], ["f"]]
    assert sum(groups, []) == files  # every file once, in order
    assert file_groups([], 2, 25) == []


def test_tokenizer_actors_follow_the_input_size(tmp_path):
    from pipelines.data.prepare import tokenizer_actor_count

    (tmp_path / "a").write_bytes(b"x" * 3000)
    (tmp_path / "b").write_bytes(b"x" * 1000)
    assert input_bytes([str(tmp_path / "a"), str(tmp_path / "b")]) == 4000
    assert input_bytes([str(tmp_path / "a"), "s3://bucket/b.txt"]) is None
    mb = 2**20
    assert tokenizer_actor_count(2, 300_000, group_mb=2.0) == 1  # the quickstart's parts: one actor each
    assert tokenizer_actor_count(2, 2 * mb + 1, group_mb=2.0) == 2  # more than one group's worth
    assert tokenizer_actor_count(4, 100 * mb, group_mb=2.0) == 4  # never more than configured
    assert tokenizer_actor_count(3, 0, group_mb=2.0) == 1  # empty input still gets its one actor
    assert tokenizer_actor_count(3, None, group_mb=2.0) == 3  # remote input: size unknown


def test_packer_carries_tail_and_separates_with_eos():
    packer = Packer(block_size=4, eos_id=0)
    assert packer.add([[1, 2, 3]]) == [[1, 2, 3, 0]]
    assert packer.add([[4, 5], [6]]) == [[4, 5, 0, 6]]
    assert packer.buffer == [0]  # the tail waits for the next batch
    blocks = packer.add([[7, 8, 9]])
    assert blocks == [[0, 7, 8, 9]] and packer.buffer == [0]


@pytest.fixture(scope="module")
def tokenizer(tiny_model_dir):
    from pipelines.core.models import load_tokenizer

    return load_tokenizer(tiny_model_dir)


def test_text_encoder_matches_the_transformers_tokenizer(tokenizer, tiny_model_dir, tmp_path):
    """Packing encodes with the `tokenizers` library alone: same ids and EOS as transformers,
    special-token strings in the text included; a directory without tokenizer.json falls back."""
    texts = ["Orbix error E-1042 — restart the modem.\n\n  Twice.", "Ünïcödé ｆｕｌｌｗｉｄｔｈ 日本語 🙂",
             "ends with a special token <|im_end|> and <|im_start|>user", "", " leading space", "a\tb\r\nc" * 50]
    encoder = TextEncoder.load(tiny_model_dir)
    assert type(encoder) is TextEncoder
    assert encoder.encode(texts) == tokenizer(texts, add_special_tokens=False)["input_ids"]
    assert encoder.eos_token_id == tokenizer.eos_token_id
    bare = tmp_path / "no-json"
    tokenizer.save_pretrained(bare)
    (bare / "tokenizer.json").unlink()
    if any(bare.glob("*.txt")) or any(bare.glob("vocab.json")):  # a slow tokenizer can still be built
        fallback = TextEncoder.load(bare)
        assert type(fallback) is not TextEncoder
        assert fallback.encode(texts[:2]) == tokenizer(texts[:2], add_special_tokens=False)["input_ids"]


def test_chat_labels_cover_only_the_answer(tokenizer):
    enc = encode_chat(tokenizer, messages_of({"instruction": "How much is the Orbit Max plan?",
                                              "output": "The Orbit Max plan costs 23 euros per month."}), 512)
    answer = [t for t in enc["labels"] if t != IGNORE]
    assert tokenizer.decode(answer).strip() == "The Orbit Max plan costs 23 euros per month.<|im_end|>"
    first = next(i for i, t in enumerate(enc["labels"]) if t != IGNORE)
    assert "Orbit Max plan?" in tokenizer.decode(enc["input_ids"][:first])  # the prompt carries no loss


def test_multi_turn_masks_every_user_turn(tokenizer):
    msgs = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"},
            {"role": "user", "content": "Bye"}, {"role": "assistant", "content": "Goodbye!"}]
    enc = encode_chat(tokenizer, msgs, 512)
    text = tokenizer.decode([t for t in enc["labels"] if t != IGNORE])
    assert "Hello!" in text and "Goodbye!" in text and "Hi" not in text and "Bye<" not in text


@pytest.mark.parametrize("record", [
    {"instruction": "q"}, {"output": "a"}, {"instruction": "q", "output": ""},
    {"messages": [{"role": "user", "content": "only a question"}]},
    {"messages": [{"role": "robot", "content": "x"}, {"role": "assistant", "content": "y"}]},
])
def test_malformed_sft_records_are_rejected(record):
    assert messages_of(record) is None


def test_replay_rows_hit_the_ratio():
    assert replay_rows_for(300, 0.25) == 100  # 100 / 400 = 25 %
    assert replay_rows_for(300, 0.0) == 0
    assert replay_rows_for(100, 0.5) == 100
