"""Ray Tune sweeps over the DAPT stage: replay ratio and LoRA hyperparameters, scored by the
domain gain they buy against the general ability they cost (forgetting).

    .venv/bin/domainforge tune pipelines/recipes/sweep.yaml            # resumes an interrupted sweep
    .venv/bin/domainforge tune pipelines/recipes/sweep.yaml --fresh    # starts over

The recipe's `tune.space` maps dotted recipe keys (`replay.ratio`, `lora.r`, `train.lr`, ...) to
grid/choice/uniform/loguniform dimensions. The data is prepared once for the whole sweep (the
replay ratio is applied when a trial reads it); the base model's held-out perplexities are
computed once and cached. Each trial is a driver function that applies its values to the recipe,
builds the DAPT datasets, fits one Ray Train `TorchTrainer` (the stage's own trainer, with Tune's
report callback), then scores the adapter on held-out domain and general text:

    domain_gain = base domain_ppl / trial domain_ppl          (higher is better)
    forgetting  = trial general_ppl / base general_ppl - 1    (gate tolerance: gate.general_ppl_max_increase)
    objective   = domain_ppl * (1 + penalty * max(0, forgetting - tolerance))   (`penalized`, minimised)

`tune.objective: pareto` picks the best domain gain on the Pareto front within the tolerance.
Outputs in `runs/<run.name>/`: trials.csv, pareto.png, best.yaml (the chosen trial as a complete
recipe for `domainforge run`), sweep.md; the Tune experiment in `tune/`, one folder per trial
(adapter, metrics) in `trials/`.

The package, by job: `space` (the search space, trial counts, checks, scoring and the choice),
`trials` (one trial: train, then score on Ray), `tuner` (searcher, ASHA, the Tuner), `report`
(rows and the files above), `sweep` (`run_sweep`, start to end).
"""

from pipelines.tune.sweep import run_sweep

# Tune pickles these by reference in an experiment's state (tuner.pkl, the searcher's state),
# under the path they had before the package was split (`pipelines.tune.<name>`): kept here so a
# sweep interrupted before the split still resumes.
from pipelines.tune.trials import run_trial
from pipelines.tune.tuner import FinalMetricOptuna, trial_dirname

__all__ = ["FinalMetricOptuna", "run_sweep", "run_trial", "trial_dirname"]
