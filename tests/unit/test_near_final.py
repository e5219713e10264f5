"""Periodic evaluation and checkpoints right before the final step are dropped (the trainer
evaluates and saves at the final step anyway)."""

from __future__ import annotations

from transformers import TrainerControl, TrainerState

from pipelines.train.loop import near_final_callback


def _flow(max_steps: int, eval_steps: int, save_steps: int) -> tuple[list[int], list[int]]:
    """The steps at which evaluation and saving stay on, with the default flow's requests
    (every interval and the final step) passed through the callback."""
    cb, state = near_final_callback(), TrainerState(max_steps=max_steps, eval_steps=eval_steps, save_steps=save_steps)
    evals, saves = [], []
    for step in range(1, max_steps + 1):
        state.global_step = step
        final = step == max_steps
        control = TrainerControl(should_evaluate=final or step % eval_steps == 0,
                                 should_save=final or step % save_steps == 0)
        cb.on_step_end(None, state, control)
        evals += [step] * control.should_evaluate
        saves += [step] * control.should_save
    return evals, saves


def test_an_interval_a_step_before_the_end_is_dropped():
    assert _flow(201, 100, 100) == ([100, 201], [100, 201])
    # Step 200 is 9 steps before the end: within a tenth of the eval interval (10), not of the
    # save interval (5), so the evaluation is dropped and the checkpoint kept.
    assert _flow(209, 100, 50) == ([100, 209], [50, 100, 150, 200, 209])


def test_short_runs_and_exact_multiples_are_unchanged():
    assert _flow(8, 4, 4) == ([4, 8], [4, 8])
    assert _flow(300, 100, 100) == ([100, 200, 300], [100, 200, 300])
    assert _flow(45, 100, 100) == ([45], [45])
