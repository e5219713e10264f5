"""What the driver hands each Ray Train worker: one typed, validated object.

The driver resolves everything that depends on the cluster (GPU or not, the ZeRO stage, the
step count, where the parent adapter is) once; the worker only re-resolves paths for its own
node. The recipe travels as the validated `Recipe` itself (pickled by Ray), not as a dict that
the worker would validate again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pipelines.core.config import Recipe, TrainConfig

Objective = Literal["lm", "kto"]
Teacher = Literal["base", "parent"]


@dataclass(frozen=True)
class KtoData:
    """KTO's rows ({prompt, completion, label}), small enough to travel with the job, and the
    KTOConfig arguments from the `cft` section."""

    rows: list[dict[str, Any]]
    beta: float
    desirable_weight: float
    undesirable_weight: float
    max_length: int

    def config_args(self) -> dict[str, Any]:
        return {"beta": self.beta, "desirable_weight": self.desirable_weight,
                "undesirable_weight": self.undesirable_weight, "max_length": self.max_length}


@dataclass(frozen=True)
class WorkerJob:
    """One stage's training, as every worker of the Ray Train run receives it."""

    recipe: Recipe
    stage: str
    """dapt, dapt_only, sft, sft_only or cft: picks the stage's train settings."""
    objective: Objective
    model_dir: str
    """The base model's folder on the driver; each worker resolves it again on its node."""
    init_adapter: str | None
    """The parent adapter (registry path or URI) to continue, or None for a fresh adapter."""
    max_steps: int
    use_gpu: bool
    deepspeed: dict[str, Any] | None
    """The DeepSpeed config for the HF trainer, or None without ZeRO."""
    torch_threads: int
    has_eval: bool
    """Whether an `eval` dataset shard is there to report eval loss on."""
    kto: KtoData | None = field(default=None)
    teacher: Teacher | None = None
    """Whose next-token distributions the rows flagged as replay learn: the base model's
    (`replay.distill`), the parent version's (`cft.distill_replay`), or None: their text."""

    def __post_init__(self) -> None:
        if (self.objective == "kto") != (self.kto is not None):
            raise ValueError(f"{self.stage}: KTO rows go with objective 'kto' and only with it")
        if self.teacher == "parent" and self.init_adapter is None:
            raise ValueError(f"{self.stage}: the parent teaches replay only where there is a parent adapter")
        if self.max_steps < 1:
            raise ValueError(f"{self.stage}: max_steps must be at least 1, got {self.max_steps}")

    @property
    def train(self) -> TrainConfig:
        """The stage's train settings (the `train` section with the stage's overrides)."""
        return self.recipe.stage_train(self.stage, self.objective)

    def on_this_node(self, model_dir: str, init_adapter: str | None) -> WorkerJob:
        """The same job with paths the worker resolved for its own node."""
        from dataclasses import replace

        return replace(self, model_dir=model_dir, init_adapter=init_adapter)


JOB_KEY = "job"
"""The one key of Ray Train's `train_loop_config` (a dict by Ray's API): the `WorkerJob`."""
