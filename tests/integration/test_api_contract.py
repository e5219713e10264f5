"""The API as a contract: schemathesis generates requests from the served `/openapi.json` (valid
and invalid ones, every operation, all of its checks) and sends them to the real Ray Serve app
on the tiny model with a real adapter, API key on, `max_tokens` capped so a case costs
milliseconds. Any 5xx, any response that its schema does not describe, any valid request
refused or invalid one accepted, fails the test.

    .venv/bin/python -m pytest -q tests/integration/test_api_contract.py

The seed and the number of cases are printed at the end (`-s` not needed).
"""

from __future__ import annotations

import os
import socket
import time

import pytest
import schemathesis
from hypothesis import settings
from schemathesis.config import SchemathesisConfig

from pipelines.config import recipe_from_dict
from pipelines.registry import Registry

KEY = "contract-key-29"
KEY_ENV = "DOMAINFORGE_TEST_CONTRACT_KEY"
SEED = 29
MAX_EXAMPLES = 60
"""Per operation and phase; with the coverage phase's cases a run is a few hundred requests."""
MAX_BODY_BYTES = 4096
STATS = {"cases": 0, "by_status": {}, "started": None}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def contract_server(ray_session, make_tiny_adapter, tmp_path_factory):
    from ray import serve

    from serving.launch import start

    root = tmp_path_factory.mktemp("contract")
    registry = Registry(root / "registry")
    registry.promote(registry.register("sft", make_tiny_adapter(1), parent=None, run="t", recipe_hash="r",
                                       data_hash="d"))
    recipe = recipe_from_dict({
        "model": {"name": "tiny"},
        "registry": {"path": str(root / "registry")},
        "feedback": {"url": f"sqlite:///{root / 'feedback.db'}"},
        # The prompt limit above what the body limit lets through: a generated valid request is
        # never refused for its length (a limit JSON Schema cannot state).
        "serve": {"port": _free_port(), "api_key_env": KEY_ENV, "max_new_tokens": 4,
                  "max_body_bytes": MAX_BODY_BYTES, "max_prompt_tokens": MAX_BODY_BYTES, "max_batch_size": 8},
    }, "<contract test>")
    os.environ[KEY_ENV] = KEY
    try:
        urls = start(recipe)
    finally:
        del os.environ[KEY_ENV]
    yield urls["api"].removesuffix("/v1")
    serve.shutdown()


@pytest.fixture(scope="module")
def api_schema(contract_server, request):
    # 413 is the one answer a schema cannot promise against: the body limit is in bytes.
    with_413 = {"expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "413", "429"]}
    config = SchemathesisConfig.from_dict({
        "seed": SEED,
        "headers": {"Authorization": f"Bearer {KEY}"},
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES},
        "checks": {
            "positive_data_acceptance": with_413,
            "negative_data_rejection": {"expected-statuses": ["400", "401", "404", "405", "413", "415", "422"]},
        },
    })
    STATS["started"] = time.monotonic()
    request.addfinalizer(lambda: _report(request.config))
    return schemathesis.openapi.from_url(f"{contract_server}/openapi.json", config=config)


def _report(config: pytest.Config) -> None:
    elapsed = time.monotonic() - (STATS["started"] or time.monotonic())
    line = (f"schemathesis: seed {SEED}, {STATS['cases']} cases in {elapsed:.0f} s, "
            f"statuses {dict(sorted(STATS['by_status'].items()))}")
    reporter = config.pluginmanager.getplugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line)
    else:
        print(line)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(database=None, deadline=None)
def test_api_contract(case):
    response = case.call_and_validate(timeout=60)
    STATS["cases"] += 1
    STATS["by_status"][response.status_code] = STATS["by_status"].get(response.status_code, 0) + 1
    assert response.status_code < 500
