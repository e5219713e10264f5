"""cluster/storage.py: local paths and URIs through one API, and what counts as shared."""

from __future__ import annotations

import pytest

from cluster import storage


def test_uri_and_local_paths(tmp_path, monkeypatch):
    assert storage.is_uri("s3://b/p") and storage.is_uri("file:///tmp/x") and not storage.is_uri("/tmp/x")
    assert storage.scheme("GS://b") == "gs" and storage.scheme("runs") == ""
    assert storage.join("s3://bucket/root/", "run", "data") == "s3://bucket/root/run/data"
    assert storage.join("/a/b", "c") == "/a/b/c"
    monkeypatch.chdir(tmp_path)
    assert storage.absolute("runs") == str(tmp_path / "runs")
    assert storage.absolute("gs://b/x") == "gs://b/x"


@pytest.mark.parametrize("as_uri", [False, True])
def test_files_round_trip(tmp_path, as_uri):
    base = f"file://{tmp_path}" if as_uri else str(tmp_path)
    src, dest = storage.join(base, "src"), storage.join(base, "dest")
    assert not storage.exists(src) and storage.list_files(src) == []
    storage.make_dirs(storage.join(src, "sub"))
    (tmp_path / "src" / "a.json").write_text("1")
    (tmp_path / "src" / "b.md").write_text("2")
    (tmp_path / "src" / "sub" / "deep.txt").write_text("3")
    assert storage.is_dir(src) and storage.list_files(src) == ["a.json", "b.md"]
    assert storage.copy_files(src, dest) == ["a.json", "b.md"]  # top-level files only
    assert not (tmp_path / "dest" / "sub").exists()
    (tmp_path / "dest" / "a.json").write_text("kept")
    assert storage.copy_files(src, dest, overwrite=False) == []
    assert (tmp_path / "dest" / "a.json").read_text() == "kept"
    storage.remove_tree(src)
    storage.remove_tree(src)  # missing: nothing happens
    assert not storage.exists(src)


def test_local_dir_passes_local_paths_and_copies_uris_once(tmp_path):
    adapter = tmp_path / "registry" / "dapt-v1"
    adapter.mkdir(parents=True)
    (adapter / "adapter_config.json").write_text("{}")
    assert storage.local_dir(str(adapter), tmp_path / "cache") == adapter
    # file:// is this machine's disk: used in place, like a plain path
    assert storage.local_dir(f"file://{adapter}", tmp_path / "cache") == adapter
    with pytest.raises(FileNotFoundError, match="shared storage"):
        storage.local_dir(str(tmp_path / "missing"), tmp_path / "cache", what="parent adapter")


def test_local_dir_downloads_from_a_remote_filesystem(tmp_path, monkeypatch):
    """A non-local URI is copied into the cache (a local filesystem plays the object store)."""
    import pyarrow.fs as pafs

    remote = tmp_path / "bucket" / "registry" / "sft-v2"
    remote.mkdir(parents=True)
    (remote / "adapter_model.safetensors").write_bytes(b"weights")
    (remote / "extra").mkdir()
    (remote / "extra" / "tokenizer.json").write_text("{}")
    real = storage.filesystem

    def fake(path):
        text = str(path)
        if text.startswith("s3://"):
            return pafs.LocalFileSystem(), str(tmp_path / "bucket" / text.removeprefix("s3://"))
        return real(path)

    monkeypatch.setattr(storage, "filesystem", fake)
    got = storage.local_dir("s3://registry/sft-v2", tmp_path / "cache")
    assert got.parent == tmp_path / "cache" and (got / "adapter_model.safetensors").read_bytes() == b"weights"
    assert (got / "extra" / "tokenizer.json").is_file()
    (remote / "adapter_model.safetensors").write_bytes(b"changed")
    assert storage.local_dir("s3://registry/sft-v2", tmp_path / "cache") == got  # cached, not fetched again
    with pytest.raises(FileNotFoundError):
        storage.local_dir("s3://registry/none", tmp_path / "cache")


MOUNTS = """\
overlay / overlay rw 0 0
tmpfs /tmp tmpfs rw 0 0
fs-1.efs.aws:/ /mnt/efs nfs4 rw 0 0
s3fs /mnt/bucket fuse.s3fs rw 0 0
/dev/nvme1n1 /mnt/efs/local ext4 rw 0 0
"""


def test_is_shared_by_mount_type(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(MOUNTS)
    m = str(mounts)
    assert storage.mount_type("/mnt/efs/runs", m) == "nfs4"
    assert storage.mount_type("/mnt/efs/local/x", m) == "ext4"  # the longest mount point wins
    assert storage.mount_type("/home/u", m) == "overlay"
    assert storage.is_shared("/mnt/efs/domainforge", m)
    assert storage.is_shared("/mnt/bucket/x", m)
    assert not storage.is_shared("/tmp/x", m) and not storage.is_shared("/mnt/efs/local/x", m)
    assert storage.is_shared("s3://b/x", m) and storage.is_shared("gs://b/x", m)
    assert not storage.is_shared("file:///mnt/efs/x", m)  # file:// names this node's view, be strict
    assert not storage.is_shared("/x", str(tmp_path / "no-such-mounts-file"))
    problems = storage.unshared({"run.storage": "/tmp/shared", "registry.path": "s3://b/registry"}, m)
    assert len(problems) == 1 and problems[0].startswith("run.storage='/tmp/shared'") and "tmpfs" in problems[0]
