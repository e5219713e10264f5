"""The chat UI in a real browser against the real served app: Ray Serve with the tiny model on
CPU, a real PEFT adapter promoted in the registry, the SQLite feedback store, the API key on,
the Gradio UI started by `pipelines.cli.start_ui` with a login, headless Chromium via Playwright.

    .venv/bin/python -m pytest -q tests/e2e/test_ui_browser.py
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cluster.runtime import free_port, free_ports
from pipelines.core.feedback import FeedbackStore
from tests.integration.helpers import environ, served_recipe
from ui.screenshot import CHROMIUM, answers, ask, correct, open_browser, open_ui, pick_model, rate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} missing: `make browser` installs it"),
]

KEY_ENV = "DOMAINFORGE_TEST_UI_KEY"
KEY = "ui-test-key-93a1"
PASSWORD_ENV = "DOMAINFORGE_TEST_UI_PASSWORD"
LOGIN = ("rater", "pw-for-the-ui-test")
# Counts every distinct text the first answer bubble shows, to see the answer arrive in pieces.
WATCH_ANSWER = """() => {
  window.__answerTexts = new Set();
  new MutationObserver(() => {
    const bot = document.querySelector("#chat [data-testid='bot']");
    if (bot) window.__answerTexts.add(bot.innerText);
  }).observe(document.querySelector("#chat"), {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture(scope="module")
def served_ui(ray_session, make_tiny_adapter, tmp_path_factory):
    import gradio as gr
    from ray import serve

    from pipelines.cli import start_ui
    from serving.launch import start

    api_port, ui_port = free_ports(2)  # distinct: two picked one at a time can be equal
    _, recipe = served_recipe(tmp_path_factory.mktemp("ui"), make_tiny_adapter(1), {
        "port": api_port, "ui_port": ui_port, "api_key_env": KEY_ENV, "max_new_tokens": 24,
        "ui_auth": {"user": LOGIN[0], "password_env": PASSWORD_ENV}}, "<ui test>")
    with environ({KEY_ENV: KEY, PASSWORD_ENV: LOGIN[1]}):
        urls = start(recipe)
        urls.update(start_ui(recipe, urls["api"]))
    yield {"urls": urls, "recipe": recipe}
    gr.close_all()
    serve.shutdown()


@pytest.fixture(scope="module")
def browser(served_ui):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = open_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser, served_ui):
    page = open_ui(browser, served_ui["urls"]["ui"], login=LOGIN)
    yield page
    page.close()


def _rows(recipe) -> list[dict]:
    store = FeedbackStore(recipe.feedback.url)
    try:
        return store.ratings_after(0)
    finally:
        store.dispose()


def _completions_for(recipe, question: str) -> list[tuple[str, list[dict]]]:
    """(id, prompt messages) of every served completion whose prompt ends with `question`."""
    from sqlalchemy import select

    from pipelines.core.feedback import completions

    store = FeedbackStore(recipe.feedback.url)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(select(completions.c.id, completions.c.messages)).all()
    finally:
        store.dispose()
    return [(r.id, r.messages) for r in rows if r.messages[-1] == {"role": "user", "content": question}]


def test_ui_streams_an_answer_and_stores_a_thumbs_down_with_correction(page, served_ui):
    # The promoted adapter is preselected and marked in the picker.
    assert "sft-v1 ★ promoted" in page.locator("#model input").input_value()
    page.evaluate(WATCH_ANSWER)
    question = "Which band does the Orbix router use?"
    shown = ask(page, question)
    assert "version: sft-v1" in shown
    partial = [t for t in page.evaluate("() => [...window.__answerTexts]") if not t.startswith("…")]
    assert len(partial) >= 3, f"expected the answer to grow in several steps, saw {partial}"

    rate(page, 0, good=False)
    assert "answer 1 (sft-v1)" in page.locator("#correction-target").inner_text()
    correct(page, "The Orbix router uses band 7.")

    [(completion_id, prompt)] = _completions_for(served_ui["recipe"], question)  # exactly one answer served
    assert prompt == [{"role": "user", "content": question}]
    [row] = _rows(served_ui["recipe"])
    assert row["completion_id"] == completion_id
    assert (row["model"], row["rating"], row["correction"]) == ("sft-v1", "bad", "The Orbix router uses band 7.")
    assert row["answer"].strip()
    assert "better answer sent" in answers(page).nth(0).inner_text()


def test_ui_thumbs_up_on_another_answer_from_another_version(page, served_ui):
    pick_model(page, "base")
    question = "How do I reset the Orbix router?"
    shown = ask(page, question)
    assert "version: base" in shown
    rate(page, 1, good=True)

    [(completion_id, prompt)] = _completions_for(served_ui["recipe"], question)
    assert [m["role"] for m in prompt] == ["user", "assistant", "user"]  # the conversation so far, no footers
    assert "version:" not in prompt[1]["content"]
    rows = {r["completion_id"]: r for r in _rows(served_ui["recipe"])}
    assert len(rows) == 2
    assert (rows[completion_id]["model"], rows[completion_id]["rating"]) == ("base", "good")
    assert rows[completion_id]["correction"] is None
    # The first answer keeps its 👎 and correction.
    [first] = [r for cid, r in rows.items() if cid != completion_id]
    assert (first["rating"], first["correction"]) == ("bad", "The Orbix router uses band 7.")
    assert len(answers(page).all()) == 2
    # Clicking an answer picks it as the target of the next better answer.
    answers(page).nth(0).click()
    page.locator("#correction-target").get_by_text("answer 1 (sft-v1)").wait_for()


def test_ui_shows_why_the_api_refused(browser, served_ui):
    """A UI started with the wrong API key gets 401 and says so instead of failing silently."""
    from ui.chat import launch

    url = launch(served_ui["urls"]["api"], api_key="not-the-key", port=free_port())
    page = open_ui(browser, url)
    status = page.locator("#status").inner_text()
    assert "HTTP 401" in status and "API key" in status
    page.close()
