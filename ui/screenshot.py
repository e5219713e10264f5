"""Drive the chat UI in headless Chromium (Playwright) and save a screenshot for the README.

The page steps (log in, ask, rate, correct) live here so the end-to-end test and the
screenshot use the same selectors. Against an API that is already running:

    .venv/bin/domainforge serve pipelines/recipes/quickstart.yaml &
    .venv/bin/python -m ui.screenshot --ui http://127.0.0.1:7860 --out docs/ui.png

Without `--ui` it starts its own UI on `--port` against `--api`.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # playwright is a test/dev dependency, imported only where a browser runs
    from playwright.sync_api import Browser, Locator, Page

CHROMIUM = "/usr/bin/chromium"
ANSWER_TIMEOUT_MS = 60_000


def open_browser(playwright, executable: str = CHROMIUM) -> Browser:  # noqa: ANN001 (Playwright object)
    return playwright.chromium.launch(executable_path=executable, headless=True)


def open_ui(browser: Browser, url: str, login: tuple[str, str] | None = None) -> Page:
    """A page on the UI, logged in when the UI asks for it, with the model list loaded."""
    page = browser.new_page(viewport={"width": 1100, "height": 1000})
    page.goto(url)
    if login:
        page.get_by_label("username").fill(login[0])
        page.get_by_label("password").fill(login[1])
        page.get_by_role("button", name="Login").click()
    page.locator("#status").get_by_text("models.").or_(page.locator("#status").get_by_text("⚠️")).wait_for()
    return page


def answers(page: Page) -> Locator:
    return page.locator("#chat [data-testid='bot']")


def pick_model(page: Page, label: str) -> None:
    """Choose a Dropdown entry by (part of) its label."""
    page.locator("#model input").click()
    page.get_by_role("option", name=label).first.click()


def ask(page: Page, question: str, timeout_ms: int = ANSWER_TIMEOUT_MS) -> str:
    """Send a question and wait until its answer is complete; returns the answer's text."""
    before = answers(page).count()
    page.locator("#question textarea").fill(question)
    page.locator("#send").click()
    answer = answers(page).nth(before)
    answer.get_by_text("version:").wait_for(timeout=timeout_ms)
    page.locator("#status").get_by_text("Answer from").wait_for(timeout=timeout_ms)
    return answer.inner_text()


def rate(page: Page, index: int, good: bool) -> None:
    """Click thumbs up or down under the answer number `index` (0-based) and wait for the server's receipt."""
    # One Like and one Dislike button per answer; once pressed their labels read Liked/Disliked.
    page.locator(f"#chat button[aria-label^='{'Like' if good else 'Dislike'}']").nth(index).click()
    page.locator("#status").get_by_text(f"Saved rating {'good' if good else 'bad'} for answer {index + 1}").wait_for()


def correct(page: Page, text: str) -> None:
    page.locator("#better textarea").fill(text)
    page.locator("#submit-better").click()
    page.locator("#status").get_by_text("Saved a better answer").wait_for()


def take(page: Page, out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Toasts cover the top of the page and fade on their own; the status line says the same.
    page.evaluate("() => document.querySelectorAll('.toast-wrap').forEach(e => e.remove())")
    time.sleep(0.5)  # let scrolling settle
    page.screenshot(path=str(out), full_page=True)
    return out


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    from ui.chat import launch

    parser = argparse.ArgumentParser(description="screenshot of the domainforge chat UI")
    parser.add_argument("--ui", help="URL of a running chat UI (else one is started against --api)")
    parser.add_argument("--api", default="http://127.0.0.1:8000/v1")
    parser.add_argument("--key-env", default="DOMAINFORGE_API_KEY")
    parser.add_argument("--port", type=int, default=7861)
    parser.add_argument("--max-tokens", type=int, default=48, help="answer length when starting a UI")
    parser.add_argument("--out", default="docs/ui.png")
    parser.add_argument("--question", action="append",
                        help="question to ask (repeatable); the first answer is rated bad and corrected")
    parser.add_argument("--correction", default="The Lumo Start plan costs 64 euros per month.")
    args = parser.parse_args(argv)
    questions = args.question or ["How much does the Lumo Start plan cost per month?",
                                  "What is the monthly price of the Quill Family plan?"]

    url = args.ui or launch(args.api, os.environ.get(args.key_env) or None, port=args.port,
                            max_tokens=args.max_tokens)
    with sync_playwright() as playwright:
        browser = open_browser(playwright)
        page = open_ui(browser, url)
        for question in questions:
            ask(page, question, timeout_ms=300_000)
        rate(page, 0, good=False)
        correct(page, args.correction)
        if len(questions) > 1:
            rate(page, 1, good=True)
        print(f"saved {take(page, args.out)}")
        browser.close()


if __name__ == "__main__":
    main()
