"""Recipes (every shipped one loads; errors name key and file) and the adapter registry."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipelines.cli import main
from pipelines.core.config import RecipeError, load_recipe
from pipelines.core.registry import Registry, RegistryError, validate_version_name

RECIPES = sorted((Path(__file__).resolve().parents[2] / "pipelines" / "recipes").glob("*.yaml"))


def test_there_are_shipped_recipes():
    assert {p.stem for p in RECIPES} >= {"quickstart", "ablation"}


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_every_shipped_recipe_validates(path, capsys):
    assert main(["validate", str(path)]) == 0
    assert "ok" in capsys.readouterr().out


def _write(tmp_path, data) -> Path:
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_unknown_key_is_named_with_the_file(tmp_path, capsys):
    path = _write(tmp_path, {"train": {"lr": 1e-4, "learning_rate": 3}})
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'train.learning_rate'" in err and str(path) in err


def test_wrong_type_and_unknown_section(tmp_path):
    with pytest.raises(RecipeError, match=r"'lora\.r'"):
        load_recipe(_write(tmp_path, {"lora": {"r": "big"}}))
    with pytest.raises(RecipeError, match="unknown key 'trainer'"):
        load_recipe(_write(tmp_path, {"trainer": {}}))
    with pytest.raises(RecipeError, match="replay.distill does not work with scaling.deepspeed: zero3"):
        load_recipe(_write(tmp_path, {"replay": {"distill": True}, "scaling": {"deepspeed": "zero3"}}))
    with pytest.raises(RecipeError, match="lora.qlora does not work with scaling.deepspeed: zero3"):
        load_recipe(_write(tmp_path, {"lora": {"qlora": True}, "scaling": {"deepspeed": "zero3"}}))


def test_dotted_overrides_apply_and_are_validated(tmp_path):
    path = _write(tmp_path, {"train": {"lr": 1e-4}})
    recipe = load_recipe(path, ["train.max_steps=5", "replay.ratio=0.5", "run.name=x", "lora.target_modules=[q_proj]"])
    assert recipe.train.max_steps == 5 and recipe.replay.ratio == 0.5 and recipe.lora.target_modules == ["q_proj"]
    with pytest.raises(RecipeError, match="unknown key 'train.nope'"):
        load_recipe(path, ["train.nope=1"])
    with pytest.raises(RecipeError, match="not key=value"):
        load_recipe(path, ["train.lr"])


def test_stage_overrides_inherit_train(tmp_path):
    recipe = load_recipe(_write(tmp_path, {"train": {"lr": 1e-3, "batch_size": 2}, "sft": {"lr": 1e-5}}))
    assert recipe.stage_train("sft").lr == 1e-5 and recipe.stage_train("sft").batch_size == 2
    assert recipe.stage_train("dapt").lr == 1e-3


def _adapter(tmp_path: Path, name: str) -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / "adapter_config.json").write_text("{}")
    (d / "adapter_model.safetensors").write_bytes(b"weights")
    return d


def test_registry_versions_lineage_promote_rollback(tmp_path):
    reg = Registry(tmp_path / "registry")
    dapt = reg.register("dapt", _adapter(tmp_path, "a"), parent=None, run="r", recipe_hash="h", data_hash="d")
    sft = reg.register("sft", _adapter(tmp_path, "b"), parent=dapt, run="r", recipe_hash="h", data_hash="d",
                       metrics={"train_loss": 1.0})
    sft2 = reg.register("sft", _adapter(tmp_path, "c"), parent=sft, run="r", recipe_hash="h", data_hash="d")
    assert (dapt, sft, sft2) == ("dapt-v1", "sft-v1", "sft-v2")
    assert reg.lineage(sft2) == ["sft-v2", "sft-v1", "dapt-v1"]
    assert (reg.local_adapter_dir(sft) / "adapter_model.safetensors").read_bytes() == b"weights"
    reg.promote(sft)
    reg.promote(sft2)
    assert reg.promoted() == "sft-v2"
    assert reg.rollback() == "sft-v1" and reg.promoted() == "sft-v1"
    assert reg.rollback() is None
    with pytest.raises(RegistryError):
        reg.rollback()
    with pytest.raises(RegistryError, match="no adapter version"):
        reg.promote("sft-v9")


@pytest.mark.parametrize("name", ["../etc", "sft-v1/../../x", "SFT-v1", "sft", "sft-v1.json", "", "a" * 30 + "-v1"])
def test_version_names_reject_traversal_and_junk(name):
    with pytest.raises(RegistryError):
        validate_version_name(name)


def test_adapters_cli_lists_and_promotes(tmp_path, capsys, make_tiny_adapter):
    reg = Registry(tmp_path / "reg")
    reg.register("dapt", make_tiny_adapter(1), parent=None, run="r", recipe_hash="h", data_hash="d")
    assert main(["adapters", "promote", "dapt-v1", "--registry", str(tmp_path / "reg")]) == 0
    assert main(["adapters", "list", "--registry", str(tmp_path / "reg")]) == 0
    assert "*dapt-v1" in capsys.readouterr().out
    assert reg.get("dapt-v1")["checked"]  # its files were loaded onto the base model first


def test_promote_refuses_a_failed_gate_unless_forced(tmp_path, capsys, make_tiny_adapter):
    reg = Registry(tmp_path / "reg")
    version = reg.register("sft", make_tiny_adapter(1), parent=None, run="r", recipe_hash="h", data_hash="d")
    reg.record_gate(version, {"passed": False, "reasons": ["general_ppl 9.00 > 5.00: forgetting"], "parent": "base"})
    args = ["adapters", "promote", version, "--registry", str(tmp_path / "reg")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "failed its promotion gate" in err and "general_ppl 9.00" in err and "--force" in err
    assert reg.promoted() is None
    with pytest.raises(RegistryError, match="gate"):
        reg.promote(version)
    assert main([*args, "--force"]) == 0
    assert "general_ppl 9.00" in capsys.readouterr().err and reg.promoted() == version


@pytest.mark.parametrize("config", ["{not json", '{"peft_type": "LORA"}', None])
def test_promote_refuses_a_version_whose_files_do_not_load(tmp_path, capsys, make_tiny_adapter, config):
    reg = Registry(tmp_path / "reg")
    good = reg.register("sft", make_tiny_adapter(1), parent=None, run="r", recipe_hash="h", data_hash="d")
    broken = tmp_path / "broken"
    broken.mkdir()
    if config is not None:
        (broken / "adapter_config.json").write_text(config)
    bad = reg.register("cft", broken, parent=good, run="r", recipe_hash="h", data_hash="d")
    assert main(["adapters", "promote", good, "--registry", str(tmp_path / "reg")]) == 0
    assert main(["adapters", "promote", bad, "--registry", str(tmp_path / "reg"), "--model", "tiny"]) == 2
    assert "does not load as a PEFT adapter" in capsys.readouterr().err
    assert main(["adapters", "promote", bad, "--registry", str(tmp_path / "reg")]) == 2  # no base model known
    assert "cft-v1" in capsys.readouterr().err and reg.promoted() == good


def test_a_version_marked_bad_is_not_served_until_checked_again(tmp_path, capsys, make_tiny_adapter):
    """What a server does when it cannot load a promoted version, and what `adapters list` shows."""
    reg = Registry(tmp_path / "reg")
    first = reg.register("sft", make_tiny_adapter(1), parent=None, run="r", recipe_hash="h", data_hash="d")
    second = reg.register("sft", make_tiny_adapter(2), parent=first, run="r", recipe_hash="h", data_hash="d")
    reg.promote(first)
    reg.promote(second)
    reg.mark_bad(second, "OSError: gone")
    assert (reg.promoted(), reg.served()) == (second, first)
    assert main(["adapters", "list", "--registry", str(tmp_path / "reg")]) == 0
    out = capsys.readouterr().out
    assert f"*{first}" in out and f"!{second}" in out and "OSError: gone" in out
    with pytest.raises(RegistryError, match="marked bad"):
        reg.promote(second)
    assert main(["adapters", "promote", second, "--registry", str(tmp_path / "reg")]) == 0  # loads: mark cleared
    assert reg.served() == second and "bad" not in reg.get(second)


def test_a_later_partial_run_keeps_the_run_recipe(tmp_path):
    """`recipe.yaml` is the recipe the data was prepared with; `domainforge eval ... key=value`
    afterwards saves its own copy beside it instead of overwriting it."""
    from pipelines.stages import recipe_filename

    assert recipe_filename(tmp_path, ["eval"]) == "recipe.yaml"  # nothing there yet
    (tmp_path / "recipe.yaml").write_text("run: {name: r}\n")
    assert recipe_filename(tmp_path, ["eval"]) == "recipe_eval.yaml"
    assert recipe_filename(tmp_path, ["dapt", "sft"]) == "recipe_dapt_sft.yaml"
    assert recipe_filename(tmp_path, ["prepare", "dapt"]) == "recipe.yaml"  # a new preparation: the run's recipe


def test_remote_registries_with_the_same_version_names_do_not_share_a_cache(tmp_path, monkeypatch):
    """Two object-store registries both hold `sft-v1`: each local copy has its own registry's weights
    (a local folder plays the bucket)."""
    import pyarrow.fs as pafs

    from cluster import storage

    (tmp_path / "bucket").mkdir()
    bucket = pafs.SubTreeFileSystem(str(tmp_path / "bucket"), pafs.LocalFileSystem())

    def fake(uri):
        return bucket, str(uri).removeprefix("s3://")

    monkeypatch.setattr(storage, "filesystem", fake)  # the registry and the cache both go through it
    copies = []
    for name in ("team-a", "team-b"):
        adapter = _adapter(tmp_path, name)
        (adapter / "adapter_model.safetensors").write_bytes(name.encode())
        reg = Registry(f"s3://{name}/registry")
        assert reg.register("sft", adapter, parent=None, run="r", recipe_hash="h", data_hash="d") == "sft-v1"
        copies.append(reg.local_adapter_dir("sft-v1", cache=tmp_path / "cache"))
    assert copies[0] != copies[1]
    assert [(c / "adapter_model.safetensors").read_bytes() for c in copies] == [b"team-a", b"team-b"]


def test_cached_evaluation_is_not_reused_for_a_new_adapter_under_an_old_name(tmp_path):
    """A registry deleted and trained again reuses `sft-v1`: its cached metrics must not carry over."""
    import shutil
    import time

    from pipelines.core.config import recipe_from_dict
    from pipelines.eval.report import _eval_key

    recipe = recipe_from_dict({"run": {"root": str(tmp_path / "runs")}, "registry": {"path": str(tmp_path / "reg")}})
    reg = Registry(recipe.registry.path)
    assert reg.register("sft", _adapter(tmp_path, "a"), parent=None, run="r", recipe_hash="h", data_hash="d") == "sft-v1"
    first = _eval_key(recipe, "model", "sft-v1")
    assert _eval_key(recipe, "model", "sft-v1") == first and _eval_key(recipe, "model", None) != first
    shutil.rmtree(tmp_path / "reg")
    time.sleep(1.1)  # registration times have one-second resolution
    assert Registry(recipe.registry.path).register("sft", _adapter(tmp_path, "b"), parent=None, run="r", recipe_hash="h", data_hash="d") == "sft-v1"
    assert _eval_key(recipe, "model", "sft-v1") != first
