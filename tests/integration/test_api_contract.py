"""The API as a contract: schemathesis generates requests from the served `/openapi.json` (valid
and invalid ones, every operation, all of its checks) and sends them to the real Ray Serve app
on the tiny model with a real adapter, API key on, `max_tokens` capped so a case costs
milliseconds. Any 5xx, any response that its schema does not describe, any valid request
refused or invalid one accepted, fails the test.

    .venv/bin/python -m pytest -q tests/integration/test_api_contract.py

The seed, the number of cases and the time are printed (`-s` not needed).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cluster.runtime import free_port
from tests.integration.helpers import environ, served_recipe

KEY = "contract-key-29"
KEY_ENV = "DOMAINFORGE_TEST_CONTRACT_KEY"
SEED = 29
MAX_EXAMPLES = 60
"""Per operation and phase; with the coverage phase's cases a run is a few hundred requests."""
MAX_BODY_BYTES = 4096


@pytest.fixture(scope="module")
def contract_server(ray_session, make_tiny_adapter, tmp_path_factory):
    from ray import serve

    from serving.launch import start

    # The prompt limit above what the body limit lets through: a generated valid request is
    # never refused for its length (a limit JSON Schema cannot state).
    _, recipe = served_recipe(tmp_path_factory.mktemp("contract"), make_tiny_adapter(1), {
        "port": free_port(), "api_key_env": KEY_ENV, "max_new_tokens": 4,
        "max_body_bytes": MAX_BODY_BYTES, "max_prompt_tokens": MAX_BODY_BYTES, "max_batch_size": 8},
        "<contract test>")
    with environ({KEY_ENV: KEY}):
        urls = start(recipe)
    yield urls["api"].removesuffix("/v1")
    serve.shutdown()


SCHEMATHESIS_CONFIG = f"""
seed = {SEED}
headers = {{ Authorization = "Bearer {KEY}" }}

[generation]
mode = "all"
max-examples = {MAX_EXAMPLES}

[checks]
# 413 is the one answer a schema cannot promise against: the body limit is in bytes.
positive_data_acceptance.expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "413", "429"]
negative_data_rejection.expected-statuses = ["400", "401", "404", "405", "413", "415", "422"]
"""


def test_api_contract(contract_server, tmp_path, request):
    """`schemathesis run` (every phase: examples, coverage, fuzzing, stateful; every check) on the
    served schema. (Its pytest plugin's lazy loading does not run under pytest 9, so the CLI.)"""
    config = tmp_path / "schemathesis.toml"
    config.write_text(SCHEMATHESIS_CONFIG)
    command = [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config), "run",
               f"{contract_server}/openapi.json", "--checks", "all", "--request-timeout", "60",
               "--report", "junit", "--report-junit-path", str(tmp_path / "junit.xml")]
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path,
                            env={**os.environ, "NO_COLOR": "1"})
    elapsed = time.monotonic() - start
    summary = _summary(result.stdout)
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    line = f"schemathesis: seed {SEED}, {summary} in {elapsed:.0f} s"
    (reporter.write_line if reporter is not None else print)(line)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert KEY not in result.stdout  # the key is sanitized out of what it prints


def _summary(output: str) -> str:
    """The CLI's own count of test cases (the line after "Test cases:" in its summary)."""
    lines = [line.strip() for line in output.splitlines()]
    return next((f"test cases: {lines[i + 1]}" for i, line in enumerate(lines[:-1]) if line == "Test cases:"),
                "test cases: ?")
