"""Pure pieces of the Serve app: replica/autoscaling options from the recipe, API key digest.

    .venv/bin/python -m pytest -q tests/unit/test_serve_options.py
"""

from __future__ import annotations

from pipelines.core.config import ServeConfig
from serving.app import ChatRequest, api_key_digest, deployment_options, key_digest


def test_serve_fixed_replicas_on_cpu():
    options = deployment_options(ServeConfig(replicas=2, max_replicas=2), use_gpu=False)
    assert options["num_replicas"] == 2 and "autoscaling_config" not in options
    assert options["ray_actor_options"] == {"num_cpus": 1, "num_gpus": 0}
    assert options["max_ongoing_requests"] >= ServeConfig().max_batch_size


def test_serve_autoscaling_on_gpu():
    options = deployment_options(ServeConfig(replicas=1, max_replicas=4, max_batch_size=16), use_gpu=True)
    assert "num_replicas" not in options
    assert options["autoscaling_config"] == {"min_replicas": 1, "max_replicas": 4, "initial_replicas": 1,
                                             "target_ongoing_requests": 16}
    assert options["ray_actor_options"]["num_gpus"] == 1


def test_serve_api_key_only_as_digest(monkeypatch):
    cfg = ServeConfig(api_key_env="DOMAINFORGE_TEST_KEY_X")
    monkeypatch.delenv("DOMAINFORGE_TEST_KEY_X", raising=False)
    assert api_key_digest(cfg) is None
    monkeypatch.setenv("DOMAINFORGE_TEST_KEY_X", "s3cret")
    digest = api_key_digest(cfg)
    assert digest == key_digest("s3cret") and "s3cret" not in digest


def test_serve_chat_request_accepts_openai_shapes():
    body = ChatRequest.model_validate({
        "model": "domain", "stop": "END", "presence_penalty": 0.5,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}],
    })
    assert body.stop == ["END"] and body.messages[0].plain() == {"role": "user", "content": "ab"}


def test_serve_paths_made_absolute(tiny_recipe, tmp_path, monkeypatch):
    from serving.app import local_paths_absolute

    monkeypatch.chdir(tmp_path)
    recipe = tiny_recipe(registry={"path": "runs/registry"}, feedback={"url": "sqlite:///runs/feedback.db"})
    fixed = local_paths_absolute(recipe)
    assert fixed.registry.path == str(tmp_path / "runs" / "registry")
    assert fixed.feedback.url == f"sqlite:///{tmp_path / 'runs' / 'feedback.db'}"
    assert fixed.model.name == "tiny"
    pg = tiny_recipe(feedback={"url": "postgresql+psycopg://u:p@db/x"})
    assert local_paths_absolute(pg).feedback.url == "postgresql+psycopg://u:p@db/x"
