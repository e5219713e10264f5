"""The recipe: its sections (`pipelines.core.sections`, one docstring per field) put together,
checked across sections, and loaded from YAML.

YAML is the source of truth. `load_recipe(path, overrides)` reads a recipe, applies dotted
`key=value` overrides and validates it; unknown keys and wrong types raise `RecipeError`
naming the key and the file. The validated `Recipe` itself crosses the Ray boundary (inside
`pipelines.train.job.WorkerJob`); Ray tasks that take a plain dict validate it again.

    .venv/bin/domainforge validate pipelines/recipes/quickstart.yaml
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pipelines.core.sections import (  # noqa: F401  (re-exported: the recipe schema in one import)
    DOMAIN_SETS,
    SAMPLE_DIR,
    SAMPLE_EVAL,
    CftConfig,
    DataConfig,
    EvalConfig,
    FeedbackConfig,
    GateConfig,
    LoraConfig,
    ModelConfig,
    RegistryConfig,
    ReplayConfig,
    RunConfig,
    ScalingConfig,
    SearchSpace,
    Section,
    ServeConfig,
    StageTrain,
    TrainConfig,
    TuneConfig,
    UiAuthConfig,
    resolved_path,
)

STAGES = ("prepare", "dapt", "dapt_only", "sft", "sft_only", "eval", "cft")


class RecipeError(ValueError):
    """A recipe that cannot be used; the message names the file and the key."""


class Recipe(Section):
    run: RunConfig = Field(default_factory=RunConfig)
    """Run name, output root, seed."""
    stages: list[Literal["prepare", "dapt", "dapt_only", "sft", "sft_only", "eval", "cft"]] = Field(
        default_factory=lambda: ["prepare", "dapt", "sft", "eval"]
    )
    """Stages `domainforge run` executes, in order (for the ablation: `sft_only`, SFT from the base;
    `dapt_only`, DAPT on raw text and general replay without the SFT pairs)."""
    model: ModelConfig = Field(default_factory=ModelConfig)
    """Base model."""
    data: DataConfig = Field(default_factory=DataConfig)
    """Inputs and preparation."""
    replay: ReplayConfig = Field(default_factory=ReplayConfig)
    """Replay of general text against forgetting."""
    lora: LoraConfig = Field(default_factory=LoraConfig)
    """LoRA adapter."""
    train: TrainConfig = Field(default_factory=TrainConfig)
    """Shared training loop settings."""
    dapt: StageTrain = Field(default_factory=StageTrain)
    """DAPT overrides of `train`."""
    sft: StageTrain = Field(default_factory=StageTrain)
    """SFT overrides of `train`."""
    cft: CftConfig = Field(default_factory=CftConfig)
    """Continual fine-tuning from feedback."""
    eval: EvalConfig = Field(default_factory=EvalConfig)
    """Evaluation sets and budgets."""
    gate: GateConfig = Field(default_factory=GateConfig)
    """Promotion gate tolerances."""
    serve: ServeConfig = Field(default_factory=ServeConfig)
    """HTTP API and chat UI."""
    feedback: FeedbackConfig = Field(default_factory=FeedbackConfig)
    """Feedback store."""
    registry: RegistryConfig = Field(default_factory=RegistryConfig)
    """Adapter registry."""
    scaling: ScalingConfig = Field(default_factory=ScalingConfig)
    """Workers and hardware."""
    tune: TuneConfig | None = None
    """Sweep definition (only for `domainforge tune`)."""

    @model_validator(mode="after")
    def _distill_without_zero3(self) -> Recipe:
        # The base-model forward of distilled replay runs only on ranks whose batch has replay
        # rows; under ZeRO-3 every forward gathers parameters from all ranks, so they would hang.
        for name, on in (("replay.distill", self.replay.distill), ("cft.distill_replay", self.cft.distill_replay)):
            if on and self.scaling.deepspeed == "zero3":
                raise ValueError(f"{name} does not work with scaling.deepspeed: zero3 (use zero2)")
        # Said here too (not only when training starts): ZeRO-3 partitions every parameter, and a
        # 4-bit bitsandbytes weight cannot be partitioned.
        if self.lora.qlora and self.scaling.deepspeed == "zero3":
            raise ValueError("lora.qlora does not work with scaling.deepspeed: zero3 (a 4-bit base cannot be "
                             "sharded; use zero2 or none)")
        return self

    @model_validator(mode="after")
    def _sample_eval_for_sample_corpus(self) -> Recipe:
        # The bundled corpus (or a part of it) with no domain sets named: its own sets, as before
        # they were optional, so the quickstart and every recipe on the sample scores as it did.
        sample = SAMPLE_DIR / "corpus"
        paths = [resolved_path(p) for p in self.data.corpus]
        if self.eval.derived() and paths and all(p is not None and p.is_relative_to(sample) for p in paths):
            self.eval = self.eval.model_copy(update=SAMPLE_EVAL)
        return self

    @field_validator("tune")
    @classmethod
    def _check_tune_space(cls, tune: TuneConfig | None, info: ValidationInfo) -> TuneConfig | None:
        """Every swept key is a recipe field, and every value it can take is valid there."""
        if tune is None or not tune.space or any(f not in info.data for f in cls.model_fields if f != "tune"):
            return tune  # other sections failed: their errors are reported instead
        recipe = cls.model_construct(**info.data)
        for key, dim in tune.space.items():
            node: Any = recipe
            for part in key.split("."):
                if not isinstance(node, BaseModel) or part not in type(node).model_fields:
                    raise ValueError(f"space: {key!r} is not a recipe key")
                node = getattr(node, part)
            for value in dim.candidates():
                try:
                    apply_overrides(recipe, {key: value})
                except RecipeError as err:
                    raise ValueError(f"space.{key}: {value!r} is invalid ({err})") from None
        return tune

    def stage_train(self, stage: str, objective: str = "lm") -> TrainConfig:
        """The `train` section with the stage's overrides applied (for CFT's KTO phase, `cft.train`
        and then `cft.kto_train`)."""
        overrides = {"dapt": [self.dapt], "dapt_only": [self.dapt], "sft": [self.sft], "sft_only": [self.sft],
                     "cft": [self.cft.train, *([self.cft.kto_train] if objective == "kto" else [])]}.get(stage, [])
        changes = {k: v for section in overrides for k, v in section.model_dump().items() if v is not None}
        return self.train.model_copy(update=changes)

    def run_dir(self) -> Path:
        return Path(self.run.root) / self.run.name

    def shared_dir(self) -> str:
        """Where this run's files that other nodes need live: `<storage>/<name>` (a URI or a
        shared folder) or, without `run.storage`, the run directory itself (absolute)."""
        from cluster.storage import absolute, join

        if self.run.storage:
            return join(absolute(self.run.storage), self.run.name)
        return absolute(self.run_dir())

    def data_dir(self) -> str:
        """Prepared Parquet parts (`<shared_dir>/data/<part>`), written and read by Ray Data tasks on any node."""
        from cluster.storage import join

        return join(self.shared_dir(), "data")

    def fingerprint(self) -> str:
        """Short hash of the resolved recipe (recorded with every adapter version)."""
        from pipelines.core.cache import content_key

        return content_key(self.model_dump(mode="json"))


def _set_dotted(tree: dict[str, Any], dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    node = tree
    for part in parts[:-1]:
        child = node.get(part)
        if child is None:
            child = node[part] = {}
        if not isinstance(child, dict):
            raise RecipeError(f"override {dotted!r}: {part!r} is not a section")
        node = child
    node[parts[-1]] = value


def apply_overrides(recipe: Recipe, overrides: dict[str, Any]) -> Recipe:
    """A copy of `recipe` with dotted-key values applied and no `tune` section (one sweep trial)."""
    data = recipe.model_dump(mode="json")
    data["tune"] = None
    for key, value in overrides.items():
        _set_dotted(data, key, value)
    return recipe_from_dict(data, "<trial overrides>")


def parse_overrides(items: list[str]) -> list[tuple[str, Any]]:
    """`["train.max_steps=5", "run.name=x"]` -> [("train.max_steps", 5), ...] (values parsed as YAML)."""
    pairs = []
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key:
            raise RecipeError(f"override {item!r} is not key=value")
        pairs.append((key.strip(), yaml.safe_load(raw) if raw else ""))
    return pairs


def format_validation_error(err: ValidationError, source: str) -> str:
    lines = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "<root>"
        if e["type"] == "extra_forbidden":
            lines.append(f"{source}: unknown key '{key}'")
        else:
            lines.append(f"{source}: '{key}': {e['msg']} (got {e.get('input')!r})")
    return "\n".join(lines)


def recipe_from_dict(data: dict[str, Any], source: str = "<recipe>") -> Recipe:
    try:
        return Recipe.model_validate(data)
    except ValidationError as err:
        raise RecipeError(format_validation_error(err, source)) from None


def read_yaml(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise RecipeError(f"{path}: recipe file not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise RecipeError(f"{path}: invalid YAML: {err}") from None
    if not isinstance(data, dict):
        raise RecipeError(f"{path}: a recipe must be a mapping of sections")
    return data


def load_recipe(path: str | Path, overrides: list[str] | None = None) -> Recipe:
    """Read, override and validate a recipe; errors name the file and key."""
    data = read_yaml(path)
    for key, value in parse_overrides(overrides or []):
        _set_dotted(data, key, value)
    return recipe_from_dict(data, str(path))


def save_recipe(recipe: Recipe, path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(yaml.safe_dump(recipe.model_dump(mode="json"), sort_keys=False))
