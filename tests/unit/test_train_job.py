"""pipelines/train/job.py: what a Ray Train worker receives is one typed, checked object."""

import pickle

import pytest

from pipelines.core.config import Recipe
from pipelines.train.job import KtoData, WorkerJob


def _job(**changes):
    fields = dict(recipe=Recipe(), stage="sft", objective="lm", model_dir="/m", init_adapter=None, max_steps=3,
                  use_gpu=False, deepspeed=None, torch_threads=2, has_eval=True)
    return WorkerJob(**{**fields, **changes})


def test_job_carries_the_validated_recipe_and_the_stage_settings():
    recipe = Recipe.model_validate({"sft": {"lr": 2e-5, "epochs": 0.2}, "replay": {"ratio": 0.3}})
    job = pickle.loads(pickle.dumps(_job(recipe=recipe)))  # as Ray ships it to the worker
    assert isinstance(job.recipe, Recipe) and job.recipe.replay.ratio == 0.3
    assert (job.train.lr, job.train.epochs) == (2e-5, 0.2)


def test_kto_rows_go_with_the_kto_objective_only():
    kto = KtoData(rows=[{"prompt": "p", "completion": "c", "label": True}], beta=0.1, desirable_weight=1.0,
                  undesirable_weight=1.0, max_length=64)
    assert _job(objective="kto", kto=kto, stage="cft").kto.config_args()["beta"] == 0.1
    with pytest.raises(ValueError, match="KTO"):
        _job(objective="lm", kto=kto)
    with pytest.raises(ValueError, match="KTO"):
        _job(objective="kto")
    with pytest.raises(ValueError, match="max_steps"):
        _job(max_steps=0)


def test_a_worker_resolves_paths_for_its_node_without_touching_the_rest():
    job = _job(init_adapter="s3://bucket/registry/sft-v1")
    here = job.on_this_node("/local/model", "/cache/sft-v1")
    assert (here.model_dir, here.init_adapter) == ("/local/model", "/cache/sft-v1")
    assert here.recipe is job.recipe and here.max_steps == job.max_steps


@pytest.mark.parametrize(("replay_distill", "cft_distill", "stage", "objective", "parent", "want"), [
    (False, False, "dapt", "lm", None, None),
    (True, False, "dapt", "lm", None, "base"),
    (True, False, "cft", "lm", "/r/sft-v1", "base"),  # replay.distill alone: general rows, base teacher
    (False, True, "cft", "lm", "/r/sft-v1", "parent"),
    (True, True, "cft", "lm", "/r/sft-v1", "parent"),
    (False, True, "cft", "lm", None, "base"),  # the parent is the base model
    (False, True, "cft", "kto", "/r/sft-v1", None),  # KTO has its own reference
    (False, True, "sft", "lm", "/r/dapt-v1", None),  # cft.distill_replay is CFT's only
])
def test_who_teaches_the_replay_rows(replay_distill, cft_distill, stage, objective, parent, want):
    from pipelines.train.launch import replay_teacher

    recipe = Recipe.model_validate({"replay": {"distill": replay_distill}, "cft": {"distill_replay": cft_distill}})
    assert replay_teacher(recipe, stage, objective, parent) == want


def test_the_parent_teaches_only_where_there_is_one():
    assert _job(stage="cft", init_adapter="/r/sft-v1", teacher="parent").teacher == "parent"
    with pytest.raises(ValueError, match="parent"):
        _job(stage="cft", teacher="parent")
