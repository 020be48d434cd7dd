"""JupyterLab in a real browser: lessons run, widgets render and respond, nbgrader's extension loads.

Drives Debian's Chromium with Playwright against a JupyterLab server on 127.0.0.1 that serves a
temporary copy of notebooks/ (running cells never writes into the repository). A screenshot of each
page is saved under tests/e2e/screenshots/ (git-ignored), also when a test fails.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest

from aipmlab.grading.notebook import NOTEBOOKS_DIR, list_lessons, release_path
from e2e.labserver import free_port, new_token, running_server

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI") == "true"
SCREENSHOTS = Path(__file__).parent / "screenshots"
LAUNCH_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
ERROR_RE = re.compile(r"Traceback|\b[A-Z]\w*(Error|Exception)\b")

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def widget_count(lesson: str) -> int:
    """How many widget panels a lesson's learner copy shows before any exercise is done."""
    nb = nbformat.read(str(release_path(lesson)), as_version=4)
    return sum(c.source.count("explore(") for c in nb.cells
               if c.cell_type == "code" and "raises-exception" not in c.metadata.get("tags", []))


def lessons_to_drive() -> list[str]:
    """Lesson 00, and the most widget-heavy other lesson that has landed."""
    others = sorted((lesson for lesson in list_lessons(NOTEBOOKS_DIR) if lesson != "00-orientation"),
                    key=lambda x: (-widget_count(x), x))
    heaviest = [others[0]] if others and widget_count(others[0]) > 0 else []
    return ["00-orientation"] + heaviest


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = ("Debian's Chromium is not installed, so the browser tests cannot run. "
               "Install it with: sudo apt-get update && sudo apt-get install chromium")
    if IN_CI:
        pytest.fail(message + " (.ci/run installs it; in CI these tests never skip).")
    pytest.skip(message)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    require_chromium()
    root = tmp_path_factory.mktemp("lab-root")
    shutil.copytree(NOTEBOOKS_DIR, root / "notebooks")
    port, token = free_port(), new_token()
    base = f"http://127.0.0.1:{port}"
    jupyter = Path(sys.executable).parent / "jupyter"
    cmd = [str(jupyter), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    with running_server(cmd, base, token, root / "lab.log", cwd=root):
        yield {"base": base, "token": token, "root": root}


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=LAUNCH_FLAGS, viewport={"width": 1400, "height": 1000})
        try:
            yield context
        finally:
            context.close()


def accept_kernel_dialog(page) -> None:
    """JupyterLab sometimes asks which kernel to start while it is still loading kernel specs; a learner
    would click Select, with Python 3 (ipykernel) already chosen."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(state="visible", timeout=4_000)
    except PlaywrightTimeout:
        return
    dialog.get_by_role("button", name="Select").click()
    dialog.wait_for(state="hidden", timeout=10_000)


def dismiss_news_toast(page) -> None:
    button = page.locator(".jp-toast-button", has_text="No")
    if button.count():
        button.first.click()


def run_all_cells(page, n_code_cells: int, timeout_s: float = 180) -> None:
    """Run → Run All Cells, then wait until every code cell has an execution number."""
    numbered = ".jp-CodeCell .jp-InputPrompt"
    js_done = f"""() => {{
        const prompts = [...document.querySelectorAll('{numbered}')].map(p => p.textContent);
        const done = prompts.filter(t => /\\[\\d+\\]/.test(t)).length;
        return done >= {n_code_cells} && !prompts.some(t => t.includes('*'));
    }}"""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(2):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:  # a kernel that was not quite ready ignores the first request
            page.wait_for_function(f"() => [...document.querySelectorAll('{numbered}')]"
                                   ".some(p => /\\[(\\d+|\\*)\\]/.test(p.textContent))", timeout=20_000)
            break
        except PlaywrightTimeout:
            if attempt:
                raise AssertionError("Run All Cells never started executing the lesson.") from None
    page.wait_for_function(js_done, timeout=timeout_s * 1000)


def code_cell_errors(page) -> list[str]:
    """For each code cell on the page, the text of its error output ('' when it has none)."""
    texts = []
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    for i in range(cells.count()):
        outputs = cells.nth(i).locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        text = "\n".join(outputs.nth(j).inner_text() for j in range(outputs.count()))
        texts.append(text if ERROR_RE.search(text) else "")
    return texts


@pytest.mark.parametrize("lesson", lessons_to_drive())
def test_lesson_runs_in_jupyterlab(lesson, lab, browser):
    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page()
    # A workspace of its own (and ?reset) so JupyterLab does not reopen the previous lesson's tab.
    url = (f"{lab['base']}/lab/workspaces/{lesson}/tree/notebooks/{lesson}/{lesson}.ipynb"
           f"?token={lab['token']}&reset")
    try:
        page.goto(url)
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
        accept_kernel_dialog(page)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true",
                               timeout=60_000)
        dismiss_news_toast(page)

        toolbar = page.locator(".jp-NotebookPanel-toolbar")
        assert toolbar.get_by_text("Validate", exact=True).count() >= 1, (
            "nbgrader's Validate button is missing from the notebook toolbar: the nbgrader lab extension did not "
            "load (check the jupyterlab / nbgrader pins)."
        )

        nb = nbformat.read(str(lab["root"] / "notebooks" / lesson / f"{lesson}.ipynb"), as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        run_all_cells(page, len(code))
        errors = code_cell_errors(page)
        assert len(errors) == len(code), f"The page shows {len(errors)} code cells; the notebook has {len(code)}."
        unexpected = [i for i, (cell, err) in enumerate(zip(code, errors))
                      if err and "raises-exception" not in cell.metadata.get("tags", [])]
        assert not unexpected, (
            f"{lesson}: code cells {unexpected} show an error in JupyterLab, but only exercise stubs and their tests "
            f"may fail before the learner answers. First error:\n{errors[unexpected[0]][:800] if unexpected else ''}"
        )
        stubs = [err for cell, err in zip(code, errors) if cell.metadata.get("nbgrader", {}).get("solution") and err]
        assert all("NotImplementedError" in err for err in stubs), (
            f"{lesson}: an exercise stub failed with something other than NotImplementedError."
        )

        panels = page.locator(".widget-interact").filter(has=page.locator(".widget-slider"))
        assert panels.count() >= 1, f"{lesson}: no slider widget rendered; ipywidgets did not load in JupyterLab."
        panel = panels.first
        panel.scroll_into_view_if_needed()
        output = panel.locator(".widget-output")
        page.wait_for_function("el => el.querySelector('img') !== null", arg=output.element_handle(), timeout=30_000)
        before = output.inner_html()
        handle = panel.locator(".widget-slider .noUi-handle").first
        handle.focus()
        for _ in range(3):
            handle.press("ArrowRight")
        deadline = time.monotonic() + 30
        while output.inner_html() == before and time.monotonic() < deadline:
            time.sleep(0.3)
        assert output.inner_html() != before, f"{lesson}: moving the slider did not change the widget's output."
    finally:
        page.screenshot(path=str(SCREENSHOTS / f"{lesson}.png"), full_page=False)
        page.close()
