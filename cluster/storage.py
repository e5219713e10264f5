"""Storage locations: local paths or URIs (`s3://`, `gs://`, `file://`) through pyarrow filesystems.

Knows nothing about ML. On one machine everything can stay in local folders; on a cluster,
whatever one node writes and another reads must be on storage every node sees: an object
store (`s3://bucket/prefix`, `gs://bucket/prefix`) or a shared mount (NFS, EFS, Filestore,
a FUSE-mounted bucket). `is_shared` tells which is which so the pipeline can warn early.

    .venv/bin/python -c "from cluster.storage import describe; print(describe('/tmp'))"
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import shutil
from pathlib import Path

import pyarrow.fs as pafs

# Mount types every node of a cluster can see (the same path on each node shows the same files).
SHARED_FS_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "lustre", "gpfs", "ceph", "cephfs", "glusterfs",
    "beegfs", "wekafs", "9p", "virtiofs", "panfs", "orangefs", "juicefs", "alluxio",
})
# FUSE mounts that are desktop plumbing, not shared storage (s3fs, gcsfuse, ... count as shared).
LOCAL_FUSE_TYPES = frozenset({"fuse.portal", "fuse.gvfsd-fuse", "fuse.lxcfs", "fuse.snapfuse"})


def is_uri(path: str | os.PathLike) -> bool:
    """`scheme://...` (s3, gs, file, hdfs, ...), as opposed to a plain local path."""
    return "://" in str(path)


def scheme(path: str | os.PathLike) -> str:
    """`s3`, `gs`, `file`, ... or `""` for a plain local path."""
    text = str(path)
    return text.split("://", 1)[0].lower() if is_uri(text) else ""


def absolute(path: str | os.PathLike) -> str:
    """A URI unchanged, or a local path made absolute (workers do not share the driver's cwd)."""
    text = str(path)
    return text if is_uri(text) else str(Path(text).expanduser().resolve())


def join(base: str | os.PathLike, *parts: str) -> str:
    """Join path parts with `/` for URIs and the OS separator for local paths."""
    text = str(base)
    if is_uri(text):
        return posixpath.join(text.rstrip("/"), *[p.strip("/") for p in parts])
    return str(Path(text, *parts))


def filesystem(path: str | os.PathLike) -> tuple[pafs.FileSystem, str]:
    """(pyarrow filesystem, path inside it) for a local path or a URI."""
    text = str(path)
    if is_uri(text):
        return pafs.FileSystem.from_uri(text)
    return pafs.LocalFileSystem(), absolute(text)


def _info(path: str) -> pafs.FileInfo:
    fs, inner = filesystem(path)
    return fs.get_file_info(inner)


def exists(path: str | os.PathLike) -> bool:
    return _info(str(path)).type != pafs.FileType.NotFound


def is_dir(path: str | os.PathLike) -> bool:
    """A folder (object stores: a prefix with objects under it)."""
    return _info(str(path)).type == pafs.FileType.Directory


def make_dirs(path: str | os.PathLike) -> None:
    fs, inner = filesystem(path)
    fs.create_dir(inner, recursive=True)


def remove_tree(path: str | os.PathLike) -> None:
    """Delete a folder and everything under it; nothing happens if it is missing."""
    fs, inner = filesystem(path)
    if fs.get_file_info(inner).type == pafs.FileType.Directory:
        fs.delete_dir(inner)


def list_files(path: str | os.PathLike) -> list[str]:
    """Names of the plain files directly inside a folder (not recursive); [] if it is missing."""
    fs, inner = filesystem(path)
    if fs.get_file_info(inner).type != pafs.FileType.Directory:
        return []
    infos = fs.get_file_info(pafs.FileSelector(inner, recursive=False))
    return sorted(posixpath.basename(i.path) for i in infos if i.type == pafs.FileType.File)


def copy_files(src_dir: str | os.PathLike, dest_dir: str | os.PathLike, names: list[str] | None = None,
               overwrite: bool = True) -> list[str]:
    """Copy the top-level files of `src_dir` (or only `names`) into `dest_dir`, across
    filesystems; with `overwrite=False` files already at the destination are kept. Returns
    the names copied."""
    src_fs, src = filesystem(src_dir)
    dest_fs, dest = filesystem(dest_dir)
    wanted = list_files(src_dir) if names is None else [n for n in names if n in set(list_files(src_dir))]
    existing = set(list_files(dest_dir)) if not overwrite else set()
    todo = [n for n in wanted if n not in existing]
    if not todo:
        return []
    dest_fs.create_dir(dest, recursive=True)
    for name in todo:
        with src_fs.open_input_stream(f"{src}/{name}") as fin, dest_fs.open_output_stream(f"{dest}/{name}") as fout:
            fout.write(fin.read())
    return todo


def local_dir(path: str | os.PathLike, cache_root: str | os.PathLike, what: str = "folder") -> Path:
    """A local folder with the contents of `path`: a local path as it is, a URI copied down
    once into `cache_root` (keyed by the URI). Raises FileNotFoundError naming `what`."""
    text = str(path)
    if not is_uri(text) or scheme(text) == "file":
        local = Path(filesystem(text)[1])
        if not local.is_dir():
            raise FileNotFoundError(
                f"{what} {text} is not on this node ({os.uname().nodename}); on a multi-node cluster it must "
                "live on shared storage (s3:// / gs:// or a mount every node has)"
            )
        return local
    dest = Path(cache_root) / hashlib.sha256(text.encode()).hexdigest()[:16]
    if (dest / ".complete").is_file():
        return dest
    if not is_dir(text):
        raise FileNotFoundError(f"{what} {text} not found")
    tmp = dest.with_name(f"{dest.name}.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)  # pyarrow's copy_files does not create the destination folder
    fs, inner = filesystem(text)
    pafs.copy_files(inner, str(tmp), source_filesystem=fs, destination_filesystem=pafs.LocalFileSystem())
    (tmp / ".complete").write_text(text)
    try:
        tmp.rename(dest)
    except OSError:  # another process on this node finished first
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


# ---- is it shared between nodes? ---------------------------------------------------------------


def mount_type(path: str | os.PathLike, mounts_file: str = "/proc/mounts") -> str | None:
    """Filesystem type of the mount that holds a local path (longest matching mount point),
    or None where the mount table cannot be read."""
    target = absolute(path)
    best, best_type = "", None
    try:
        lines = Path(mounts_file).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type


def is_shared(path: str | os.PathLike, mounts_file: str = "/proc/mounts") -> bool:
    """True for object-store URIs and for local paths on a network/cluster filesystem
    (NFS, Lustre, a FUSE bucket mount, ...); False for a node's own disk and `file://`."""
    text = str(path)
    if is_uri(text):
        return scheme(text) != "file"
    kind = mount_type(text, mounts_file)
    if kind is None:
        return False
    return kind in SHARED_FS_TYPES or (kind.startswith("fuse.") and kind not in LOCAL_FUSE_TYPES)


def unshared(locations: dict[str, str], mounts_file: str = "/proc/mounts") -> list[str]:
    """Messages for the locations (setting name -> path) that other nodes cannot see."""
    return [
        f"{key}={value!r} is on this node's own disk ({describe(value, mounts_file)}); other nodes of the "
        "cluster cannot see it: use s3:// / gs:// or a shared mount"
        for key, value in locations.items()
        if not is_shared(value, mounts_file)
    ]


def describe(path: str | os.PathLike, mounts_file: str = "/proc/mounts") -> str:
    text = str(path)
    if is_uri(text):
        return f"{scheme(text)} storage"
    return f"local {mount_type(text, mounts_file) or 'unknown'} filesystem"
