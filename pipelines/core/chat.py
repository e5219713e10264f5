"""Chat formatting shared by training data, evaluation, CFT and self-replay: what an SFT record's
messages are, and a conversation's token ids with labels only on the answers.

`IGNORE` is the label of a token no loss is taken on (prompts, padding), the value the Hugging
Face losses skip.
"""

from __future__ import annotations

from typing import Any

IGNORE = -100



def messages_of(record: dict[str, Any]) -> list[dict[str, str]] | None:
    """Chat messages of an SFT record ({instruction, output} or {messages}); None if malformed."""
    if isinstance(record.get("messages"), list):
        msgs = record["messages"]
        ok = all(isinstance(m, dict) and isinstance(m.get("content"), str)
                 and m.get("role") in ("system", "user", "assistant") for m in msgs)
        return msgs if ok and any(m["role"] == "assistant" for m in msgs) else None
    instruction, output = record.get("instruction"), record.get("output")
    if not isinstance(instruction, str) or not isinstance(output, str) or not output.strip():
        return None
    prompt = instruction if not record.get("input") else f"{instruction}\n\n{record['input']}"
    return [{"role": "user", "content": prompt}, {"role": "assistant", "content": output}]


def _render(tokenizer, messages: list[dict[str, str]], generation_prompt: bool) -> list[int]:
    out = tokenizer.apply_chat_template(messages, add_generation_prompt=generation_prompt, tokenize=True,
                                        return_dict=True)
    return list(out["input_ids"])


def encode_chat(tokenizer, messages: list[dict[str, str]], max_len: int,
                last_only: bool = False) -> dict[str, list[int]]:
    """Token ids of a conversation with labels only on assistant answers (`last_only`: only
    on the final answer, e.g. a rated one whose earlier turns were never judged).

    Each assistant turn's span is found by rendering the conversation up to the turn's
    generation prompt and up to the end of the turn; the template must extend prefixes
    (ChatML-style templates do), which is checked.
    """
    full = _render(tokenizer, messages, generation_prompt=False)
    labels = [IGNORE] * len(full)
    for i, msg in enumerate(messages):
        if msg["role"] != "assistant" or (last_only and i != len(messages) - 1):
            continue
        prompt = _render(tokenizer, messages[:i], generation_prompt=True)
        end = len(_render(tokenizer, messages[: i + 1], generation_prompt=False))
        if full[: len(prompt)] != prompt:
            raise ValueError("chat template does not extend prefixes; cannot mask prompts")
        labels[len(prompt) : end] = full[len(prompt) : end]
    return {"input_ids": full[:max_len], "labels": labels[:max_len]}


def chat_text(tokenizer, messages: list[dict[str, str]]) -> str:
    """A conversation rendered as plain text (for mixing SFT pairs into the DAPT stream)."""
    return tokenizer.apply_chat_template(messages, tokenize=False)

