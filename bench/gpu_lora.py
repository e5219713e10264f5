"""GPU LoRA throughput and MFU with the plain HF Trainer + PEFT in bf16, on random-init models of
the SmolLM2 family (135M as shipped, and a 1.7B-like configuration). Needs only torch,
transformers and peft, so it runs on a bare GPU machine; weights are not needed for speed.

    python bench/gpu_lora.py [CONFIG_JSON]    # default: the converted 135M model's config.json

Results are printed as JSON lines and written to $OUT/gpu_results.json (or /tmp).
"""

import json
import os
import sys
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import LlamaConfig, LlamaForCausalLM, Trainer, TrainingArguments

OUT = os.environ.get("OUT", "/tmp")
CONFIG = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
    "~/.cache/domainforge/models/smollm2-135m/config.json")


def peak_bf16(n=8192, reps=10):
    a = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(n, n, device="cuda", dtype=torch.bfloat16)
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    t = time.time()
    for _ in range(reps):
        a @ b
    torch.cuda.synchronize()
    return 2 * n**3 * reps / (time.time() - t)


class Rand(torch.utils.data.Dataset):
    def __init__(self, n, seq, vocab):
        g = torch.Generator().manual_seed(0)
        self.x = torch.randint(0, vocab, (n, seq), generator=g)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def run(name, cfg, seq, batch, steps, peak, grad_ckpt=False):
    torch.cuda.reset_peak_memory_stats()
    model = LlamaForCausalLM(cfg).to(dtype=torch.bfloat16, device="cuda")
    n = sum(p.numel() for p in model.parameters())
    model = get_peft_model(model, LoraConfig(r=32, lora_alpha=64, target_modules="all-linear", task_type="CAUSAL_LM"))
    args = TrainingArguments(output_dir=f"/tmp/o_{name}", per_device_train_batch_size=batch, max_steps=steps,
                             learning_rate=2e-4, bf16=True, logging_steps=steps, save_strategy="no", report_to=[],
                             gradient_checkpointing=grad_ckpt, dataloader_num_workers=2, warmup_steps=0)
    tr = Trainer(model=model, args=args, train_dataset=Rand(batch * steps, seq, cfg.vocab_size))
    # warm-up steps are inside; time the whole train() and subtract nothing (steps >> warm-up)
    t = time.time()
    out = tr.train()
    wall = time.time() - t
    tokens = batch * seq * steps
    tps = tokens / wall
    flops = 4 * n * tps  # frozen base: forward 2N + activation grads 2N per token (attention extra, not counted)
    flops_attn = flops + 3 * 4 * cfg.num_hidden_layers * seq * cfg.hidden_size * tps  # + QK^T and AV, fwd+bwd
    r = {"name": name, "params_M": round(n / 1e6, 1), "seq": seq, "batch": batch, "steps": steps,
         "tokens_per_s": round(tps), "mfu_vs_measured": round(flops / peak, 3),
         "mfu_with_attention": round(flops_attn / peak, 3), "mfu_vs_989_spec": round(flops / 989e12, 3),
         "peak_mem_GiB": round(torch.cuda.max_memory_allocated() / 2**30, 2), "loss": round(out.training_loss, 3)}
    print(json.dumps(r), flush=True)
    del tr, model
    torch.cuda.empty_cache()
    return r


def main():
    info = {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__}
    for mod in ("transformers", "peft", "bitsandbytes", "deepspeed", "ray", "trl"):
        try:
            info[mod] = __import__(mod).__version__
        except Exception as e:  # noqa: BLE001
            info[mod] = f"missing ({type(e).__name__})"
    peak = peak_bf16()
    info["measured_bf16_peak_TFLOPs"] = round(peak / 1e12, 1)
    print(json.dumps(info), flush=True)
    base = LlamaConfig(**{k: v for k, v in json.load(open(CONFIG)).items()
                          if not k.startswith("_") and k not in ("architectures", "transformers_version", "dtype")})
    base._attn_implementation = "sdpa"
    results = [info]
    results.append(run("smollm2-135m", base, 2048, 16, 30, peak))
    big = LlamaConfig(**{**base.to_dict(), "hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 24,
                          "num_attention_heads": 32, "num_key_value_heads": 32, "head_dim": 64})
    big._attn_implementation = "sdpa"
    results.append(run("smollm2-1.7b-like", big, 2048, 8, 20, peak))
    json.dump(results, open(os.path.join(OUT, "gpu_results.json"), "w"), indent=1)


if __name__ == "__main__":
    sys.exit(main())
