"""The cluster recipes validate, ask for the hardware they are named after, and the recipe's
shared-storage settings resolve to the locations every node uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.core.config import RecipeError, load_recipe, recipe_from_dict

RECIPES = Path(__file__).resolve().parents[2] / "pipelines" / "recipes"


@pytest.mark.parametrize("name", ["dapt_multigpu.yaml", "qlora_1gpu.yaml"])
def test_domainforge_validate(name, capsys):
    assert main(["validate", str(RECIPES / name)]) == 0
    assert ": ok" in capsys.readouterr().out


def test_dapt_multigpu_is_zero3_bf16_on_several_gpus():
    from pipelines.train.hardware import resolve_deepspeed

    r = load_recipe(RECIPES / "dapt_multigpu.yaml")
    s = r.scaling
    assert s.num_workers >= 2 and s.use_gpu is True and s.gpus_per_worker == 1
    assert s.deepspeed == "zero3" and r.train.precision == "bf16" and not r.lora.qlora
    assert resolve_deepspeed(s.deepspeed, True, s.num_workers, r.lora.qlora) == 3


def test_qlora_1gpu_is_4bit_on_one_gpu():
    from pipelines.train.hardware import resolve_deepspeed

    r = load_recipe(RECIPES / "qlora_1gpu.yaml")
    s = r.scaling
    assert r.lora.qlora and s.num_workers == 1 and s.use_gpu is True and s.deepspeed == "none"
    assert resolve_deepspeed(s.deepspeed, True, s.num_workers, qlora=True) is None


def test_cluster_overrides_on_the_command_line():
    r = load_recipe(RECIPES / "dapt_multigpu.yaml", ["run.storage=s3://bucket/df", "registry.path=s3://bucket/df/registry",
                                                     "scaling.address=auto"])
    assert r.shared_dir() == "s3://bucket/df/dapt-multigpu"
    assert r.data_dir() == "s3://bucket/df/dapt-multigpu/data"
    from pipelines.train.launch import storage_path

    assert storage_path(r) == "s3://bucket/df/dapt-multigpu/checkpoints"


def test_default_storage_is_the_run_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = recipe_from_dict({"run": {"name": "x"}})
    assert r.shared_dir() == str(tmp_path / "runs" / "x")
    assert r.data_dir() == str(tmp_path / "runs" / "x" / "data")
    from pipelines.train.launch import storage_path

    assert storage_path(r) == str(tmp_path / "runs" / "x" / "checkpoints")


def test_uri_as_run_root_points_to_run_storage():
    with pytest.raises(RecipeError, match="run.storage"):
        recipe_from_dict({"run": {"root": "s3://bucket/runs"}})


def test_cpu_and_gpu_are_not_extra_resources():
    with pytest.raises(RecipeError, match="cpus_per_worker"):
        recipe_from_dict({"scaling": {"resources_per_worker": {"CPU": 2}}})
    r = recipe_from_dict({"scaling": {"resources_per_worker": {"trainer_slot": 1}}})
    assert r.scaling.resources_per_worker == {"trainer_slot": 1.0}


def test_resume_point_skips_a_checkpoint_cut_short(tmp_path):
    """A sweep interrupted while a checkpoint was written leaves it without trainer_state.json:
    the worker starts over instead of failing on every retry."""
    from pipelines.train.loop import resume_point

    assert resume_point(None) == (None, 0)
    (tmp_path / "checkpoint").mkdir()
    assert resume_point(str(tmp_path)) == (None, 0)
    (tmp_path / "checkpoint" / "trainer_state.json").write_text('{"global_step": 7}')
    assert resume_point(str(tmp_path)) == (str(tmp_path / "checkpoint"), 7)
