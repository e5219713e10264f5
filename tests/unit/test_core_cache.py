"""pipelines/core/cache.py: the one content-hash cache every cached result goes through."""

import json

from pipelines.core.cache import KeyedFile, content_key, file_key


def test_content_key_is_stable_and_sensitive():
    assert content_key({"b": 1, "a": [1, 2]}, "x") == content_key({"a": [1, 2], "b": 1}, "x")  # dict order
    assert content_key({"a": 1}) != content_key({"a": 2})
    assert content_key("日本語") != content_key("日本")
    assert len(content_key("x")) == 12 and len(content_key("x", length=16)) == 16


def test_file_key_follows_the_bytes(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text('{"q": 1}\n')
    first = file_key(path)
    path.write_text('{"q": 2}\n')
    assert file_key(path) != first


def test_keyed_file_computes_once_per_key(tmp_path):
    cache, calls = KeyedFile(tmp_path / "eval" / "base.json"), []

    def compute():
        calls.append(1)
        return {"general_ppl": 31.4}

    assert cache.get_or_compute("k1", compute) == {"general_ppl": 31.4}
    assert cache.get_or_compute("k1", compute) == {"general_ppl": 31.4} and len(calls) == 1
    assert cache.get("k2") is None and not cache.holds("k2")
    cache.get_or_compute("k2", compute)  # another key: computed again, stored over the first
    assert len(calls) == 2 and cache.holds("k2") and not cache.holds("k1")


def test_keyed_file_treats_a_broken_file_as_stale(tmp_path):
    path = tmp_path / "marker.json"
    path.write_text('{"key": "k1", "val')  # cut short while written
    cache = KeyedFile(path)
    assert not cache.holds("k1") and cache.get("k1") is None
    cache.put("k1")  # a marker: no value, only the key it vouches for
    assert cache.holds("k1") and json.loads(path.read_text()) == {"key": "k1", "value": None}
    assert not list(tmp_path.glob(".*.tmp"))  # the atomic write left nothing behind
