"""Driver of the two-node test: a simulated Ray cluster on one machine runs prepare + DAPT.

Runs in its own process (tests/integration/test_multinode.py starts it), because a
`ray.cluster_utils.Cluster` cannot share a process with the session's local Ray, and with its
own RAY_TMPDIR so no other Ray on this machine can see or join it.

    RAY_TMPDIR=$(mktemp -d /tmp/dfray.XXXX) .venv/bin/python tests/integration/two_node_driver.py /tmp/df2n

Layout: a head node (driver, Ray Data preparation) and two worker nodes, each with one CPU and
one unit of the custom resource `trainer_slot`; the recipe asks for two training workers
needing a `trainer_slot` each, so they must land on different worker nodes. Shared storage
(run.storage, registry.path) is a `file://` folder standing in for s3:// / gs://; the run
directory (`run.root`) is a separate folder, as it would be on the submitting machine.
Writes `result.json` into the work folder.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SLOT = "trainer_slot"


def recipe_dict(work: Path, address: str) -> dict:
    shared = f"file://{work / 'shared'}"
    return {
        "run": {"name": "twonode", "root": str(work / "driver_runs"), "storage": shared},
        "stages": ["prepare", "dapt"],
        "model": {"name": "tiny", "max_seq_len": 128},
        # Relative paths, as in the shipped recipes: they resolve in the working_dir on every node.
        # Only the domain part (no SFT pairs, no replay): each prepared part costs a Ray Data
        # pipeline, and mixing is not what this test is about.
        "data": {"corpus": ["pipelines/samples/telecom/corpus"], "sft": [], "block_size": 64,
                 "tokenizer_actors": 1},
        "replay": {"ratio": 0.0},
        "train": {"max_steps": 4, "batch_size": 4, "lr": 5e-3, "eval_steps": 2, "save_steps": 2,
                  "logging_steps": 1, "warmup_ratio": 0.0, "max_eval_rows": 8},
        "registry": {"path": f"{shared}/registry"},
        "scaling": {"num_workers": 2, "cpus_per_worker": 1, "resources_per_worker": {SLOT: 1},
                    "use_gpu": False, "max_failures": 0, "address": address},
    }


def planted_duplicates(work: Path, address: str) -> list[int]:
    """Deduplicate the planted corpus of test_dedup.py on this cluster: two workers, a task per
    file, scratch signatures on the shared storage. Returns the dropped ids (test_multinode.py
    compares them with one local node's)."""
    from pipelines.core.config import recipe_from_dict
    from pipelines.data.prepare import duplicates
    from pipelines.data.tally import Tally
    from pipelines.samples.planted import plant_duplicates

    planted = plant_duplicates(work / "planted", originals=160, seed=3)
    d = recipe_dict(work, address)
    d["data"].update({"corpus": [str(work / "planted")], "tokenizer_actors": 2, "read_group_mb": 0.0005})
    return sorted(duplicates(recipe_from_dict(d), "planted", planted.files, False, Tally.remote()).tolist())


def main(work: Path) -> None:
    from ray.cluster_utils import Cluster

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    work.mkdir(parents=True, exist_ok=True)
    start = time.time()
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 2, "include_dashboard": False})
    try:
        nodes = {"head": cluster.head_node.node_id}
        for name in ("a", "b"):
            node = cluster.add_node(num_cpus=1, resources={SLOT: 1})
            nodes[name] = node.node_id
        cluster.wait_for_nodes()
        up_s = time.time() - start

        from cluster.runtime import alive_nodes
        from pipelines.core.config import recipe_from_dict
        from pipelines.core.registry import Registry
        from pipelines.stages import run_recipe

        recipe = recipe_from_dict(recipe_dict(work, cluster.address), "<two-node recipe>")
        results = run_recipe(recipe)  # joins the cluster by address, ships the project as working_dir
        run_dir = recipe.run_dir()
        dedup_drop = planted_duplicates(work, cluster.address)
        out = {
            "nodes": nodes,
            "alive": [n["NodeID"] for n in alive_nodes()],
            "results": results,
            "train": json.loads((run_dir / "train_dapt.json").read_text()),
            "registry": Registry(recipe.registry.path).list(),
            "shared_dir": recipe.shared_dir(),
            "dedup_drop": dedup_drop,
            "cluster_up_s": round(up_s, 1),
            "wall_s": round(time.time() - start, 1),
        }
        (work / "result.json").write_text(json.dumps(out, indent=2, default=str))
    finally:
        import ray

        ray.shutdown()
        cluster.shutdown()


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    main(Path(sys.argv[1]))
