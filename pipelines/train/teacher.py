"""The teacher of distilled replay: the model being trained with its adapter switched off (the
base model, `replay.distill`), or with the parent version's adapter in its place (the parent,
`cft.distill_replay`: loaded a second time, frozen, as `PARENT_ADAPTER`).

A distilled row's teacher distribution depends only on the row's tokens, and replay rows come
back every epoch (the quickstart's DAPT sees each of them three times). So the decoder's final
hidden states at the distilled positions are kept per row, and a row seen again costs only the
vocabulary projection — about a fifth of the forward pass it cost before, which on a 2-core CPU
was 18% of an fp32 DAPT step (BENCHMARKS.md). The logits are the same to float rounding.
"""

from __future__ import annotations

import hashlib

import torch

# TRL's name for a frozen copy of the parent adapter (KTO's reference): the final save drops it
# under this name whichever trainer loaded it.
PARENT_ADAPTER = "ref"


def _plain_head(config) -> bool:
    """Logits = output embedding (decoder output), with no scaling or soft-capping on top
    (Llama, Qwen, Mistral, SmolLM...). Other models are scored by their own full forward."""
    return getattr(config, "final_logit_softcapping", None) is None and getattr(config, "logit_scale", None) is None


class ReplayTeacher:
    """`teacher(input_ids, attention_mask, positions)` → the base model's logits [n, vocab] at the
    True `positions` ([rows, T] bool), in row-major order. Right-padded rows, no gradient.
    `adapter`: the name of a frozen adapter loaded beside the trained one (the parent version,
    `PARENT_ADAPTER`) whose model is the teacher instead of the bare base model.

    `bf16`: autocast as the training forward does (the Trainer leaves autocast to accelerate's
    wrapper, which this unwrapped call bypasses; in fp32 it cost a third more per CPU step).
    `cache_bytes`: memory for kept hidden states (on the model's device); rows past it are
    recomputed every time they come back, 0 keeps nothing.
    """

    def __init__(self, peft_model, bf16: bool = False, cache_bytes: int = 0, adapter: str | None = None) -> None:
        self.model = peft_model
        self.adapter = adapter
        self.bf16 = bf16
        self.base = peft_model.get_base_model()
        self.plain = _plain_head(self.base.config) and hasattr(self.base, "get_decoder")
        self.cache_bytes = cache_bytes if self.plain else 0
        self.cached_bytes = 0
        self.states: dict[bytes, torch.Tensor] = {}
        self.forward_rows = 0  # rows that needed a decoder pass (a cache miss): for tests and logs

    @staticmethod
    def _key(ids: torch.Tensor, mask: torch.Tensor, positions: torch.Tensor) -> bytes:
        digest = hashlib.blake2b(ids[mask.bool()].cpu().numpy().tobytes(), digest_size=20)
        digest.update(positions.cpu().numpy().tobytes())
        return digest.digest()

    def __call__(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        autocast = torch.autocast(input_ids.device.type, dtype=torch.bfloat16, enabled=self.bf16)
        # TRL's switch: `adapter` active inside (None: the adapter off), the trained one again after.
        from trl.trainer.utils import use_adapter

        with torch.no_grad(), use_adapter(self.model, self.adapter), autocast:
            if not self.plain:
                self.forward_rows += len(input_ids)
                return self.model(input_ids=input_ids, attention_mask=attention_mask).logits[positions]
            return self.base.get_output_embeddings()(self._hidden(input_ids, attention_mask, positions))

    def _hidden(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        """Decoder outputs at `positions`, row after row: kept ones reused, the others computed
        in one pass (and kept while the budget lasts)."""
        keys = [self._key(i, m, p) for i, m, p in zip(input_ids, attention_mask, positions, strict=True)]
        rows: list[torch.Tensor | None] = [self.states.get(k) for k in keys]
        missing = [n for n, row in enumerate(rows) if row is None]
        if missing:
            index = torch.tensor(missing, device=input_ids.device)
            hidden = self.base.get_decoder()(input_ids=input_ids[index], attention_mask=attention_mask[index],
                                             use_cache=False).last_hidden_state
            self.forward_rows += len(missing)
            for h, n in zip(hidden, missing, strict=True):
                rows[n] = h[positions[n]]
                if self.cached_bytes + rows[n].nbytes <= self.cache_bytes:
                    self.states[keys[n]] = rows[n]
                    self.cached_bytes += rows[n].nbytes
        return torch.cat(rows)
