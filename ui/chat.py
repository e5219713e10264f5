"""Gradio chat UI: ask the served model, rate every answer 👍/👎, send a better answer.

It only talks HTTP to the OpenAI-compatible API (`/v1/models`, streamed `/v1/chat/completions`,
`/v1/feedback`); ratings reach the feedback store through the API, never directly. Each answer
shows the adapter version that produced it, because a rating trains that version's successor.

`domainforge serve RECIPE.yaml` starts it next to the API (port `serve.ui_port`). On its own,
against an API that is already running:

    DOMAINFORGE_API_KEY=secret .venv/bin/python -m ui.chat --api http://127.0.0.1:8000/v1 --port 7860
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterator
from typing import Any, TypedDict

import gradio as gr

from ui.api import DEFAULT_MODEL, ApiClient, ApiError, Rating, model_choices

TITLE = "domainforge chat"
TIP = "Rate answers with the thumbs under them; after a thumbs-down, type a better answer below and submit it."


class Turn(TypedDict):
    """One message of the conversation as the UI keeps it (the Chatbot only shows a rendering)."""

    role: str  # "user" | "assistant"
    text: str
    id: str | None  # completion id (assistant turns)
    model: str | None  # adapter version that answered
    rating: Rating | None
    correction: str | None


def user_turn(text: str) -> Turn:
    return Turn(role="user", text=text, id=None, model=None, rating=None, correction=None)


def assistant_turn() -> Turn:
    return Turn(role="assistant", text="", id=None, model=None, rating=None, correction=None)


# ---- rendering (pure) -----------------------------------------------------------------------
def footer(turn: Turn) -> str:
    """The line under an answer: served version, then what the user did with it."""
    if not turn["model"]:
        return "<sub>…</sub>"
    parts = [f"version: {turn['model']}"]
    if turn["rating"]:
        parts.append(f"rated {turn['rating']}")
    if turn["correction"]:
        parts.append("better answer sent")
    return "<sub>" + " · ".join(parts) + "</sub>"


def render(history: list[Turn]) -> list[dict[str, str]]:
    """Chatbot messages, one per turn, so a like/select index is a history index. The stored
    rating is written in the footer: updating the Chatbot's `feedback_value` from Python
    makes Gradio 6.31 drop the like buttons, so the thumbs themselves are left to the browser."""
    messages: list[dict[str, str]] = []
    for turn in history:
        if turn["role"] == "user":
            messages.append({"role": "user", "content": turn["text"]})
        else:
            messages.append({"role": "assistant", "content": f"{turn['text'] or '…'}\n\n{footer(turn)}"})
    return messages


def api_messages(history: list[Turn]) -> list[dict[str, str]]:
    """What the model sees: plain turns, without footers or unfinished answers."""
    return [{"role": t["role"], "content": t["text"]} for t in history if t["text"]]


def describe(history: list[Turn], index: int | None) -> str:
    """Which answer a correction will be attached to."""
    if index is None:
        return "Better answer for: *rate or click an answer first (else the latest one)*"
    turn = history[index]
    preview = turn["text"].replace("\n", " ")
    preview = preview if len(preview) <= 60 else preview[:57] + "…"
    return f"Better answer for answer {answer_number(history, index)} ({turn['model']}): “{preview}”"


def answer_number(history: list[Turn], index: int) -> int:
    return sum(1 for t in history[: index + 1] if t["role"] == "assistant")


def like_index(index: int | tuple[int, ...] | list[int]) -> int:
    """LikeData/SelectData index: an int for message lists, a pair in older tuple formats."""
    return int(index[0]) if isinstance(index, (list, tuple)) else int(index)


def rating_of(liked: bool | str) -> Rating | None:
    """LikeData.liked: True for 👍, False for 👎, "" when a thumb is clicked off (nothing to store)."""
    if liked is True:
        return "good"
    if liked is False:
        return "bad"
    return None


def correction_target(history: list[Turn], selected: int | None) -> int | None:
    """The rated or clicked answer, else the latest answered one."""
    if selected is not None and selected < len(history) and history[selected]["id"]:
        return selected
    answered = [i for i, t in enumerate(history) if t["role"] == "assistant" and t["id"]]
    return answered[-1] if answered else None


# ---- the app --------------------------------------------------------------------------------
def build_ui(client: ApiClient, max_tokens: int | None = None) -> gr.Blocks:
    """The Blocks app; every handler is a closure over one API client."""

    def load_models(current: str | None) -> tuple[Any, str]:
        try:
            choices, default = model_choices(client.models())
        except ApiError as err:
            gr.Warning(f"Could not list models: {err}")
            return gr.Dropdown(), f"⚠️ Could not list models: {err}"
        values = [value for _, value in choices]
        value = current if current in values else default
        return gr.Dropdown(choices=choices, value=value), f"Connected to {client.base_url} · {len(values)} models. {TIP}"

    def ask(question: str, history: list[Turn]) -> tuple[str, list[Turn], list[dict[str, str]]]:
        if question.strip():
            history = [*history, user_turn(question.strip())]
        return "", history, render(history)

    def answer(history: list[Turn], model: str | None, question: str) -> Iterator[tuple[Any, ...]]:
        if not history or history[-1]["role"] != "user":
            yield history, render(history), gr.skip(), question
            return
        turn = assistant_turn()
        history = [*history, turn]
        started = time.monotonic()
        completion_id = None
        try:
            for delta in client.stream_chat(model or DEFAULT_MODEL, api_messages(history), max_tokens):
                completion_id, turn["model"] = delta.completion_id, delta.model
                turn["text"] += delta.text
                yield history, render(history), f"Answering with {delta.model}…", question
        except ApiError as err:
            # Drop the failed exchange and give the question back, so retrying is one click.
            gr.Warning(str(err))
            asked = history[-2]["text"]
            history = history[:-2]
            yield history, render(history), f"⚠️ {err}", asked
            return
        if completion_id is None:  # a stream that ended before its first chunk
            history = history[:-1]
            yield history, render(history), "⚠️ The server closed the stream without an answer.", question
            return
        # Only now can it be rated: the server stores the answer just before ending the stream.
        turn["id"] = completion_id
        took = time.monotonic() - started
        yield history, render(history), f"Answer from {turn['model']} in {took:.1f} s. {TIP}", question

    def rate(history: list[Turn], like: gr.LikeData) -> tuple[list[Turn], int | None, str, str, list[dict[str, str]]]:
        index = like_index(like.index)
        rating = rating_of(like.liked)
        turn = history[index] if index < len(history) else None
        if turn is None or turn["role"] != "assistant" or not turn["id"]:
            return history, None, "Only finished answers can be rated.", describe(history, None), render(history)
        if rating is None:
            status = f"Answer {answer_number(history, index)} keeps its last rating: ratings can be changed, not removed."
            return history, index, status, describe(history, index), render(history)
        try:
            client.feedback(turn["id"], rating, turn["correction"])
        except ApiError as err:
            gr.Warning(f"Rating not saved: {err}")
            return history, index, f"⚠️ Rating not saved: {err}", describe(history, index), render(history)
        turn["rating"] = rating
        status = f"Saved rating {rating} for answer {answer_number(history, index)} ({turn['model']})."
        if rating == "bad":
            status += " You can send a better answer below."
        return history, index, status, describe(history, index), render(history)

    def pick(history: list[Turn], selected: int | None, event: gr.SelectData) -> tuple[int | None, str]:
        index = like_index(event.index)
        if index < len(history) and history[index]["role"] == "assistant" and history[index]["id"]:
            selected = index
        return selected, describe(history, selected)

    def correct(history: list[Turn], selected: int | None, better: str) -> tuple[Any, ...]:
        index = correction_target(history, selected)
        if not better.strip():
            return history, render(history), better, "Type a better answer first.", describe(history, index)
        if index is None:
            return history, render(history), better, "There is no answer to correct yet.", describe(history, None)
        turn = history[index]
        rating: Rating = turn["rating"] or "bad"  # a correction without a thumb means the answer was not good
        try:
            client.feedback(turn["id"], rating, better)
        except ApiError as err:
            gr.Warning(f"Better answer not saved: {err}")
            return history, render(history), better, f"⚠️ Better answer not saved: {err}", describe(history, index)
        turn["rating"], turn["correction"] = rating, better.strip()
        gr.Info("Thanks — the better answer was saved.")
        status = f"Saved a better answer for answer {answer_number(history, index)} ({turn['model']})."
        return history, render(history), "", status, describe(history, index)

    def clear() -> tuple[list[Turn], list[dict[str, str]], None, str, str]:
        return [], render([]), None, TIP, describe([], None)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        history = gr.State([])
        selected = gr.State(None)
        gr.Markdown(f"## {TITLE}\nAnswers come from the served model; your ratings train its next version.")
        with gr.Row():
            model = gr.Dropdown(label="Model / adapter version", choices=[], scale=4, elem_id="model",
                                allow_custom_value=True)
            refresh = gr.Button("↻ Refresh models", scale=1, elem_id="refresh")
        chatbot = gr.Chatbot(label="Chat", height=None, min_height=320, max_height=640, elem_id="chat", feedback_options=("Like", "Dislike"),
                             buttons=["copy"])
        with gr.Row():
            question = gr.Textbox(placeholder="Ask a question…", show_label=False, scale=6, elem_id="question")
            send = gr.Button("Send", variant="primary", scale=1, elem_id="send")
        status = gr.Markdown(TIP, elem_id="status")
        with gr.Accordion("Better answer", open=True):
            target = gr.Markdown(describe([], None), elem_id="correction-target")
            better = gr.Textbox(label="Your better answer", lines=3, elem_id="better",
                                placeholder="What the model should have said")
            with gr.Row():
                submit_better = gr.Button("Submit better answer", elem_id="submit-better")
                clear_chat = gr.Button("Clear chat", elem_id="clear")

        demo.load(load_models, [model], [model, status])
        refresh.click(load_models, [model], [model, status])
        gr.on([question.submit, send.click], ask, [question, history], [question, history, chatbot]).then(
            answer, [history, model, question], [history, chatbot, status, question])
        chatbot.like(rate, [history], [history, selected, status, target, chatbot])
        chatbot.select(pick, [history, selected], [selected, target])
        submit_better.click(correct, [history, selected, better], [history, chatbot, better, status, target])
        clear_chat.click(clear, None, [history, chatbot, selected, status, target])
        chatbot.clear(clear, None, [history, chatbot, selected, status, target])  # the Chatbot's own trash icon
    return demo


def launch(api_url: str, api_key: str | None = None, host: str = "127.0.0.1", port: int = 7860,
           auth: tuple[str, str] | None = None, max_tokens: int | None = None) -> str:
    """Start the UI in a background thread; returns its URL (the caller keeps the process alive)."""
    demo = build_ui(ApiClient(api_url, api_key), max_tokens)
    demo.queue(default_concurrency_limit=8)  # streams from several users at once; the API batches them
    demo.launch(server_name=host, server_port=port, auth=auth, prevent_thread_lock=True, share=False,
                quiet=True, show_error=True, ssr_mode=False,
                auth_message="domainforge chat: log in with the user set in serve.ui_auth")
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '::', '') else host}:{demo.server_port}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="domainforge chat UI against a running API")
    parser.add_argument("--api", default="http://127.0.0.1:8000/v1", help="OpenAI-compatible base URL")
    parser.add_argument("--key-env", default="DOMAINFORGE_API_KEY", help="environment variable with the API key")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    args = parser.parse_args(argv)
    url = launch(args.api, os.environ.get(args.key_env) or None, args.host, args.port)
    print(f"chat UI: {url}  (API: {args.api}); Ctrl-C to stop")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
