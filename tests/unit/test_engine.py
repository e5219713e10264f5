"""The serving engine in-process (no Ray): multi-adapter batching, streaming, registry sync.

    .venv/bin/python -m pytest -q tests/unit/test_engine.py
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from pipelines.core.registry import Registry
from serving.engine import (
    BASE,
    Engine,
    GenRequest,
    InvalidModelName,
    ModelNotFound,
    SamplingParams,
    _held_back,
)

CHAT = [{"role": "user", "content": "What does the Orbix router do?"}]
OTHER = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]


def _register(registry: Registry, adapter_dir: str, parent: str | None = None) -> str:
    return registry.register("sft", adapter_dir, parent=parent, run="test", recipe_hash="r", data_hash="d")


@pytest.fixture(scope="module")
def registry(make_tiny_adapter, tmp_path_factory) -> Registry:
    registry = Registry(tmp_path_factory.mktemp("engine") / "registry")
    _register(registry, make_tiny_adapter(1))
    return registry


@pytest.fixture(scope="module")
def engine(registry) -> Engine:
    # fp32 without autocast: exact comparisons between batched and single decoding.
    return Engine("tiny", registry.root, autocast=False, sync_interval_s=0)


def _stream(engine: Engine, request: GenRequest) -> list:
    async def collect():
        return [d async for d in engine.astream(request)]

    return asyncio.run(collect())


def _text(engine: Engine, messages, model: str, **params) -> str:
    return engine.generate([engine.request(messages, model, **params)])[0].text


def test_engine_lists_base_versions_and_alias(engine):
    models = {m["id"]: m for m in engine.models()}
    assert list(models) == ["base", "sft-v1", "domain"]
    assert models["sft-v1"]["parent"] == "base"
    assert models["base"]["promoted"] and not models["sft-v1"]["promoted"]
    assert models["domain"]["alias_of"] == "base"
    assert engine.resolve("domain") == ("base", None)


def test_engine_adapter_changes_answers(engine):
    base = _text(engine, CHAT, "base", max_tokens=8)
    tuned = _text(engine, CHAT, "sft-v1", max_tokens=8)
    assert base != tuned


def test_engine_batch_groups_per_adapter_in_request_order(engine):
    mixed = [(CHAT, "sft-v1"), (OTHER, "base"), (OTHER, "sft-v1"), (CHAT, "base")]
    single = [_text(engine, msgs, model, max_tokens=6) for msgs, model in mixed]
    batch = engine.generate([engine.request(msgs, model, max_tokens=6) for msgs, model in mixed])
    assert [c.text for c in batch] == single
    assert all(c.completion_tokens == 6 and c.finish_reason == "length" for c in batch)
    assert batch[0].prompt_tokens == engine.count_prompt_tokens(CHAT)


def test_engine_rows_with_different_budgets(engine):
    short, long = engine.generate([engine.request(CHAT, "sft-v1", max_tokens=2),
                                   engine.request(CHAT, "sft-v1", max_tokens=7)])
    assert (short.completion_tokens, long.completion_tokens) == (2, 7)
    assert long.text.startswith(short.text)


def test_engine_stream_matches_generate(engine):
    request = engine.request(CHAT, "sft-v1", max_tokens=10)
    deltas = _stream(engine, request)
    assert "".join(d.text for d in deltas) == engine.generate([request])[0].text
    assert deltas[-1].finish_reason == "length" and deltas[-1].completion.completion_tokens == 10
    assert all(d.finish_reason is None for d in deltas[:-1])


def test_engine_stop_string_ends_answer(engine):
    full = _text(engine, CHAT, "sft-v1", max_tokens=10)
    stop = full[4:7]
    cut = engine.generate([engine.request(CHAT, "sft-v1", max_tokens=10, stop=(stop,))])[0]
    assert cut.finish_reason == "stop" and cut.text == full[: full.find(stop)]
    streamed = _stream(engine, engine.request(CHAT, "sft-v1", max_tokens=10, stop=(stop,)))
    assert "".join(d.text for d in streamed) == cut.text


def test_engine_tiny_top_p_sampling_is_greedy(engine):
    greedy = _text(engine, CHAT, "sft-v1", max_tokens=6)
    assert _text(engine, CHAT, "sft-v1", max_tokens=6, temperature=1.0, top_p=1e-6) == greedy


def test_engine_rejects_bad_and_unknown_names(engine):
    for name in ("../../etc/passwd", "sft-v1/../x", "/tmp/x", "SFT-V1", ""):
        with pytest.raises(InvalidModelName):
            engine.resolve(name)
    with pytest.raises(ModelNotFound) as err:
        engine.resolve("sft-v9")
    assert err.value.available == ["base", "sft-v1", "domain"]


def _submit(engine: Engine, request: GenRequest, listener=None):
    return engine.scheduler.submit([request], listener=listener)[0]


def test_request_joins_a_running_decode_and_leaves_when_done(engine):
    """Continuous batching: a request arriving mid-decode joins the running batch of its adapter
    (cache left-padded to the longer history), finishes first, and every answer is the same as
    decoded alone; a request for another adapter decodes alongside, taking turns step by step."""
    long_req = engine.request(CHAT, "sft-v1", max_tokens=24)
    joiner = engine.request(OTHER, "sft-v1", max_tokens=4)
    other = engine.request(OTHER, "base", max_tokens=6)
    alone = [engine.generate([r])[0] for r in (long_req, joiner, other)]
    stats = dict(engine.scheduler.stats)
    release, steps, seen = threading.Event(), [], {"joiner": None, "done_first": False}

    def hold() -> None:  # on the decoding thread, after each step of the long answer
        steps.append(1)
        if len(steps) == 5:
            release.wait(10)
        seen["done_first"] |= seen["joiner"] is not None and seen["joiner"].future.done()

    long_job = _submit(engine, long_req, hold)
    deadline = time.time() + 30
    while len(steps) < 5 and time.time() < deadline:
        time.sleep(0.001)
    assert len(steps) >= 5, "the long request did not start decoding"
    seen["joiner"] = _submit(engine, joiner)
    other_job = _submit(engine, other)
    release.set()
    results = [job.future.result(30) for job in (long_job, seen["joiner"], other_job)]
    assert results == alone
    assert seen["done_first"], "the joining request should finish while the long one is still decoding"
    assert engine.scheduler.stats["joined"] == stats["joined"] + 1  # only the same-adapter request joined


def test_closing_a_stream_frees_its_row(engine):
    steps = engine.scheduler.stats["steps"]
    async def first_piece_then_close() -> None:
        stream = engine.astream(engine.request(CHAT, "sft-v1", max_tokens=200))
        await anext(stream)
        await stream.aclose()

    asyncio.run(first_piece_then_close())
    deadline = time.time() + 10
    while engine.scheduler._batches and time.time() < deadline:
        time.sleep(0.005)
    assert not engine.scheduler._batches
    assert engine.scheduler.stats["steps"] - steps < 100  # stopped well before its 200 tokens


def test_a_cancelled_request_leaves_the_batch(engine):
    """A caller that cancels its future (the API does when a client disconnects) frees the row."""
    steps = engine.scheduler.stats["steps"]
    future = engine.submit(engine.request(CHAT, "sft-v1", max_tokens=200))
    deadline = time.time() + 30
    while engine.scheduler.stats["steps"] == steps and time.time() < deadline:
        time.sleep(0.001)
    assert future.cancel()
    deadline = time.time() + 10
    while engine.scheduler._batches and time.time() < deadline:
        time.sleep(0.005)
    assert not engine.scheduler._batches
    assert engine.scheduler.stats["steps"] - steps < 100


def test_a_failing_batch_fails_its_requests_and_decoding_goes_on(engine):
    from serving.scheduler import Scheduler

    def forward(adapter, **inputs):
        if adapter == "broken":
            raise RuntimeError("adapter weights are gone")
        return engine._forward(adapter, **inputs)

    scheduler = Scheduler(forward, engine._advance, engine.tokenizer.pad_token_id, engine.device)
    ids = engine.encode(CHAT)
    bad, good = scheduler.submit([GenRequest(ids, "broken", SamplingParams(max_tokens=3)),
                                  GenRequest(ids, None, SamplingParams(max_tokens=3))])
    with pytest.raises(RuntimeError, match="weights are gone"):
        bad.future.result(30)
    assert good.future.result(30).completion_tokens == 3
    (again,) = scheduler.submit([GenRequest(ids, None, SamplingParams(max_tokens=2))])
    assert again.future.result(30).completion_tokens == 2


def test_engine_follows_registry_without_restart(make_tiny_adapter, tmp_path):
    registry = Registry(tmp_path / "registry")
    engine = Engine("tiny", registry.root, autocast=False, sync_interval_s=0)
    assert engine.versions() == [] and engine.resolve("domain") == (BASE, None)
    assert _text(engine, CHAT, "base", max_tokens=4)  # a plain model before any adapter exists

    first = _register(registry, make_tiny_adapter(1))
    registry.promote(first)
    assert engine.sync()
    assert engine.resolve("domain") == ("sft-v1", "sft-v1")
    second = _register(registry, make_tiny_adapter(2), parent=first)
    registry.promote(second)
    assert engine.sync()
    assert engine.resolve("domain") == ("sft-v2", "sft-v2")
    assert {m["id"]: m["parent"] for m in engine.models()}["sft-v2"] == "sft-v1"
    assert not engine.sync()  # nothing changed since


def test_engine_skips_broken_adapter(make_tiny_adapter, tmp_path):
    registry = Registry(tmp_path / "registry")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "adapter_config.json").write_text("{not json")
    _register(registry, str(broken))
    _register(registry, make_tiny_adapter(1))
    engine = Engine("tiny", registry.root, autocast=False)
    assert engine.versions() == ["sft-v2"]
    assert _text(engine, CHAT, "sft-v2", max_tokens=3)


def test_held_back_keeps_partial_stop_and_utf8():
    assert _held_back("hello wor", ("world",)) == 3
    assert _held_back("hello", ("xyz",)) == 0
    assert _held_back("caf\ufffd", ()) == 1


def test_generate_request_defaults():
    request = GenRequest([1, 2, 3], None)
    assert request.params == SamplingParams()


def test_tiny_temperatures_decode_greedily(engine):
    """Temperatures that pass `>= 0` but overflow float32 logits (1e-38) gave NaN probabilities."""
    greedy = _text(engine, CHAT, "sft-v1", max_tokens=6)
    for temperature in (1e-38, 5e-324, 1e-5):
        assert _text(engine, CHAT, "sft-v1", max_tokens=6, temperature=temperature) == greedy


def test_a_cut_at_max_tokens_never_ends_inside_a_character(engine):
    """Byte-level tokens: the first byte of 'é' alone decodes as U+FFFD; a cut there drops it."""
    from serving.scheduler import Row

    byte_token = {v: k for k, v in engine.tokenizer.get_vocab().items()}
    first_byte = engine.tokenizer.convert_tokens_to_ids("Ã")  # GPT-2's byte alphabet: 0xC3
    assert byte_token[first_byte] == "Ã" and engine._decode([first_byte]) == "\ufffd"
    a = engine.tokenizer.convert_tokens_to_ids("a")
    row = Row([1], SamplingParams(max_tokens=2))
    engine._advance(row, a)
    engine._advance(row, first_byte)
    assert row.finish == "length" and row.text == "a" and row.tokens == [a, first_byte]


def test_chat_template_refusal_is_invalid_messages(engine, monkeypatch):
    from serving.engine import InvalidMessages

    strict = "{% if messages[0]['role'] == 'assistant' %}{{ raise_exception('no assistant first') }}{% endif %}x"
    monkeypatch.setattr(engine.tokenizer, "chat_template", strict)
    with pytest.raises(InvalidMessages, match="no assistant first"):
        engine.encode([{"role": "assistant", "content": "hi"}])


def test_a_broken_promoted_version_is_marked_bad_once_and_not_served(make_tiny_adapter, tmp_path, caplog):
    """Files broken after promotion: the engine reports it once, marks it bad in the registry
    and keeps `domain` where `adapters list` says it is (the last good promoted version)."""
    registry = Registry(tmp_path / "registry")
    good = _register(registry, make_tiny_adapter(1))
    registry.promote(good)
    engine = Engine("tiny", registry.root, autocast=False, sync_interval_s=0)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "adapter_config.json").write_text('{"peft_type": "LORA"}')  # no weights, nothing to load onto
    bad = _register(registry, str(broken), parent=good)
    registry.promote(bad)
    with caplog.at_level("ERROR", logger="serving.engine"):
        engine.sync()
        for _ in range(3):  # the registry changes (the mark) and is read again: no retry
            engine.sync(force=True)
    assert sum("cannot load adapter" in r.getMessage() for r in caplog.records) == 1
    assert registry.get(bad)["bad"]["reason"]
    assert engine.resolve("domain") == (good, good)
    assert registry.promoted() == bad and registry.served() == good
    assert {m["id"]: m for m in engine.models()}["domain"]["alias_of"] == registry.served()
    assert _text(engine, CHAT, "domain", max_tokens=2)
