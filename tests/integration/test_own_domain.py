"""A user's own domain with no eval section, next to a second domainforge process on the same
machine: real Ray, real files, the tiny model.

One run: `prepare` derives the evaluation sets (held-out SFT pairs, held-out documents), a
second `prepare` with broken files added holds out the same documents, DAPT trains while a
`domainforge serve` runs in another process (with its own local Ray), and `eval` scores the
derived sets.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from cluster.runtime import free_ports
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.usefixtures("ray_session")


@pytest.fixture
def serve_process(tmp_path):
    """`domainforge serve` on the tiny model in a process of its own (its own local Ray), as a
    user runs it while a `run` trains. Stopped with SIGTERM, as `kill` would."""
    # Distinct ports: two picked one after the other can be equal (CI once got the API's port
    # again for HAProxy's stats, and the server never started).
    api_port, stats_port, metrics_port = free_ports(3)
    recipe = tmp_path / "serve.yaml"
    recipe.write_text(json.dumps({
        "model": {"name": "tiny"}, "registry": {"path": str(tmp_path / "serve_registry")},
        "feedback": {"url": f"sqlite:///{tmp_path / 'feedback.db'}"},
        "serve": {"port": api_port, "ui_port": 0, "max_new_tokens": 8},
    }))
    # Serve's HAProxy stats/metrics ports are per machine: keep clear of any other Serve here.
    env = {**os.environ, "RAY_SERVE_HAPROXY_STATS_PORT": str(stats_port),
           "RAY_SERVE_HAPROXY_METRICS_PORT": str(metrics_port)}
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "serve", str(recipe)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        ready = None
        for line in proc.stdout:  # until the API is up (or the process ends)
            lines.append(line)
            if line.startswith("OpenAI-compatible API:"):
                ready = line
                break
        # Its output ended without the line: the server died (poll() may not know it yet).
        assert ready is not None, "".join(lines[-40:])
        health = ready.split("health: ")[1].rstrip(")\n")
        assert httpx.get(health, timeout=30).status_code == 200
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)


def _wiki(root: Path) -> Path:
    """A corpus of the user's own (a copy, so nothing of the bundled sample's is assumed)."""
    corpus = root / "wiki"
    shutil.copytree(SAMPLES / "corpus" / "manual", corpus / "manual")
    shutil.copytree(SAMPLES / "corpus" / "faq", corpus / "faq")
    return corpus


def _heldout(recipe) -> list[str]:
    path = recipe.run_dir() / "auto_eval" / "heldout_domain.jsonl"
    return sorted(json.loads(line)["text"] for line in path.read_text().splitlines())


def test_own_domain_without_eval_sets(tmp_path, serve_process, ray_session):
    from pipelines.core.config import recipe_from_dict
    from pipelines.stages import run_recipe
    from pipelines.train.launch import epochs_done

    corpus = _wiki(tmp_path)
    recipe = recipe_from_dict({
        "run": {"name": "wiki", "root": str(tmp_path / "runs")},
        "model": {"name": "tiny", "max_seq_len": 128},
        "data": {"corpus": [str(corpus)], "sft": [str(SAMPLES / "sft.jsonl")], "block_size": 64,
                 "eval_fraction": 0.2},
        # No replay and no pairs in the DAPT stream: fewer parts to prepare (the unit tests cover
        # that the derived pairs leave the DAPT stream too).
        "replay": {"sources": [], "ratio": 0.0, "mix_sft_into_dapt": False},
        "train": {"max_steps": 2, "batch_size": 4, "eval_steps": 2, "save_steps": 2, "max_eval_rows": 4},
        "registry": {"path": str(tmp_path / "registry")},
        "eval": {"limit": 4, "max_new_tokens": 8, "instruct_max_new_tokens": 8},
    })
    assert recipe.eval.derived()
    report = run_recipe(recipe, ["prepare"])["prepare"]
    derived = report["derived_eval"]
    assert derived["qa_items"] > 0 and derived["heldout_documents"] > 0
    # No SFT leak: the held-out questions are not among the pairs that were prepared.
    held = [json.loads(line) for line in Path(derived["qa"]).read_text().splitlines()]
    kept = [json.loads(line) for line in (recipe.run_dir() / "auto_eval" / "sft_train.jsonl").read_text().splitlines()]
    assert held and not {h["question"] for h in held} & {k["instruction"] for k in kept}
    assert not {h["reference"] for h in held} & {k["output"] for k in kept}  # no wording of it either
    assert report["parts"]["sft"]["records_in"] == len(kept) <= 204 - len(held)
    first = _heldout(recipe)

    # Broken files do not move the held-out split (it is drawn per document).
    broken = corpus / "broken"
    broken.mkdir()
    (broken / "bad.jsonl").write_text('{"text": "\\ufeffA page with a byte-order mark inside it, long enough."}\n'
                                      "{oops\n" + json.dumps({"text": "x" * 250_000}) + "\n")
    (broken / "empty.md").write_text("")
    report = run_recipe(recipe, ["prepare"])["prepare"]
    assert _heldout(recipe) == first
    domain = report["parts"]["domain"]
    assert domain["bad_examples"]["too_long"] == [f"{broken / 'bad.jsonl'}:3 (250000 chars)"]
    assert domain["bad_examples"]["invalid_json"] == [f"{broken / 'bad.jsonl'}:2"]

    # The server's local Ray is up: a worker's state API (what Ray Train's placement-group cleaner
    # calls, without an address) reaches this process's Ray instead of failing on two.
    @ray_session.remote(num_cpus=0)
    def nodes_seen_by_a_worker() -> int:
        from ray.util.state import list_nodes

        return len(list_nodes())

    assert ray_session.get(nodes_seen_by_a_worker.remote()) == 1
    # DAPT beside it: no "multiple active Ray instances" from any worker.
    results = run_recipe(recipe, ["dapt", "eval"])
    logs = Path(ray_session._private.worker.global_worker.node.get_logs_dir_path())
    complaints = [p.name for p in logs.glob("*") if p.is_file()
                  and "Found multiple active Ray instances" in p.read_text(errors="replace")]
    assert complaints == []
    summary = json.loads((recipe.run_dir() / "train_dapt.json").read_text())
    rows = report["mix"]["dapt"]["base_rows"] + report["mix"]["dapt"]["replay_rows"]
    assert summary["metrics"]["epoch"] == epochs_done(2, rows, recipe.train, 1) < 1  # 2 steps: a fraction

    ev = results["eval"]
    assert ev["evaluation"]["sets"] == "derived" and ev["evaluation"]["domain_mc_scoring"] == "none"
    for stage in ("base", "dapt"):
        assert ev["stages"][stage]["domain_ppl"] > 0 and "domain_qa_em" in ev["stages"][stage]
        assert "domain_mc_acc" not in ev["stages"][stage]
    assert "derived from this run's data" in (recipe.run_dir() / "report.md").read_text()
