"""The chapters in JupyterLab, run as a student runs them.

A JupyterLab server from this environment serves a copy of chapters/ on
127.0.0.1 (no token; the copy, because a test saves a notebook), and
Playwright drives it in headless Debian chromium (the ``browser`` fixture of
conftest.py; without chromium or playwright these tests skip, saying why).

- The explorer (chapter 12): run all cells; move the alpha slider, switch
  the drop-down, move the beta slider. Each time, the explorer's figure must
  be redrawn (a new image, loaded), and its caption must name the new
  setting. Then save, reopen: no widget error. The notebook as stored shows
  no widget output at all, even once it is saved (and so trusted).
- Two chapters run from top to bottom with no error output.

On every page: no error output, no "Error displaying widget", and no error
in the browser's console.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 90
RUN_MS = 300_000  # running a whole chapter
STEP_MS = 60_000  # one redraw, one page load
WIDGET_ERROR = "Error displaying widget"
ERROR_OUTPUT = (
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"],'
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
)


@dataclass
class Lab:
    url: str
    root: Path
    log: Path


@dataclass
class Notebook:
    """One notebook open in JupyterLab, and what the browser reported."""

    page: object
    console_errors: list = field(default_factory=list)

    def check_clean(self):
        """No error output, no widget error, nothing in the console."""
        errors, text = self.page.evaluate(
            """(selector) => {
                const node = window.jupyterapp.shell.currentWidget.node;
                const errors = [...node.querySelectorAll(selector)];
                return [errors.map(e => e.innerText.slice(0, 2000)), node.innerText];
            }""",
            ERROR_OUTPUT,
        )
        assert errors == []
        assert WIDGET_ERROR not in text
        assert self.console_errors == []


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser):
    """A JupyterLab server on a copy of chapters/, private settings and all."""
    home = tmp_path_factory.mktemp("lab")
    root = home / "chapters"
    shutil.copytree(REPO / "chapters", root)
    # Render every cell, not only those in view, so that the checks see them all.
    tracker = home / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port = _free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        # window.jupyterapp: the test runs commands as the menus do.
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = home / "jupyterlab.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(url, server, log)
        yield Lab(url, root, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _wait_for_server(url, server, log):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited ({server.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/api/status", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not start in {STARTUP_SECONDS} s:\n{log.read_text()}")


def open_notebook(browser, lab, name):
    """Open ``name`` in a new page and wait until its kernel is idle."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(STEP_MS)
    notebook = Notebook(page)

    def console(message):
        if message.type == "error":
            notebook.console_errors.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda error: notebook.console_errors.append(str(error)))
    page.goto(f"{lab.url}/lab/tree/{name}?reset")  # only this notebook open
    page.wait_for_function(
        """() => {
            const panel = window.jupyterapp?.shell.currentWidget;
            const kernel = panel?.sessionContext?.session?.kernel;
            return panel?.context?.isReady && kernel?.status === "idle";
        }"""
    )
    return notebook


def run_all(notebook):
    """Run every cell, as Run > Run All Cells does, and wait for the last."""
    page = notebook.page
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        """() => {
            const panel = window.jupyterapp.shell.currentWidget;
            const prompts = [...panel.node.querySelectorAll(
                ".jp-CodeCell .jp-InputArea-prompt")].map(p => p.textContent);
            return panel.sessionContext.session.kernel.status === "idle"
                && prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p));
        }""",
        timeout=RUN_MS,
    )


@pytest.fixture(scope="module")
def explorer(browser, lab):
    """Chapter 12 open in JupyterLab, every cell run."""
    notebook = open_notebook(browser, lab, "12_explorer.ipynb")
    notebook.check_clean()  # the stored notebook shows no broken widget
    run_all(notebook)
    yield notebook
    notebook.page.close()


def save(notebook):
    """Save, as File > Save Notebook does, and wait until it is written."""
    notebook.page.evaluate(
        "() => window.jupyterapp.commands.execute('docmanager:save')"
    )
    notebook.page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.context.model.dirty"
    )


class TestExplorer:
    """Chapter 12's explorer redraws inside its own output, control by control."""

    @staticmethod
    def figure(notebook):
        """The explorer's drawing: its caption and the image it shows."""
        image = notebook.page.locator(".explorer-figure")
        image.wait_for()
        caption = notebook.page.locator(".explorer-caption").inner_text()
        return caption.strip(), image.get_attribute("src")

    def wait_for_redraw(self, notebook, caption, before):
        """Wait until a new image shows under ``caption``; its src."""
        try:
            notebook.page.wait_for_function(
                """([caption, before]) => {
                    const image = document.querySelector(".explorer-figure");
                    const text = document.querySelector(".explorer-caption");
                    return text?.innerText.includes(caption)
                        && image?.complete && image.naturalWidth > 0
                        && image.getAttribute("src") !== before;
                }""",
                arg=[caption, before],
            )
        except (
            Exception
        ) as error:  # playwright's TimeoutError; playwright may be absent
            if type(error).__name__ != "TimeoutError":
                raise
            text, src = self.figure(notebook)
            choice = notebook.page.locator(".widget-dropdown select").input_value()
            pytest.fail(
                f"no redraw to {caption!r} (activation {choice!r}): the caption "
                f"says {text!r}, and the image "
                f"{'did not change' if src == before else 'changed'}"
            )
        return self.figure(notebook)[1]

    @staticmethod
    def shown_sliders(notebook):
        """The labels of the sliders on show."""
        return notebook.page.locator(
            ".widget-slider:visible .widget-label"
        ).all_inner_texts()

    @staticmethod
    def move(notebook, key):
        """Press ``key`` on the slider on show, as a keyboard user does."""
        notebook.page.locator(".widget-slider:visible .noUi-handle").press(key)

    @staticmethod
    def choose(notebook, name):
        notebook.page.locator(".widget-dropdown select").select_option(name)

    def test_every_control_redraws_the_figure(self, explorer):
        caption, src = self.figure(explorer)
        assert caption.startswith("Leaky ReLU(alpha=0.1)")
        assert self.shown_sliders(explorer) == ["alpha"]

        self.move(explorer, "ArrowRight")
        src = self.wait_for_redraw(explorer, "Leaky ReLU(alpha=0.15)", src)

        self.choose(explorer, "swish")
        src = self.wait_for_redraw(explorer, "Swish(beta=1.0)", src)
        assert self.shown_sliders(explorer) == ["beta"]

        self.move(explorer, "ArrowLeft")
        src = self.wait_for_redraw(explorer, "Swish(beta=0.9)", src)

        self.choose(explorer, "relu")
        src = self.wait_for_redraw(explorer, "ReLU:", src)
        assert self.shown_sliders(explorer) == []

        self.choose(explorer, "leaky_relu")  # where the reader left it
        self.wait_for_redraw(explorer, "Leaky ReLU(alpha=0.15)", src)
        explorer.check_clean()

    def test_saved_and_reopened_shows_no_widget_error(self, explorer, browser, lab):
        save(explorer)
        reopened = open_notebook(browser, lab, "12_explorer.ipynb")
        try:
            reopened.check_clean()
        finally:
            reopened.page.close()


def test_the_stored_explorer_shows_no_stale_widget(browser, lab):
    """As a reader first opens the book's notebook: not run, saved, reopened.

    Saving makes the notebook trusted, so on reopening JupyterLab renders
    every stored output. A stored widget view, whose state is not stored,
    would show as "Error displaying widget: model not found" or as the
    widget's text form; the explorer's cell must show nothing until it runs.
    """
    shutil.copy(REPO / "chapters" / "12_explorer.ipynb", lab.root / "stored.ipynb")
    notebook = open_notebook(browser, lab, "stored.ipynb")
    save(notebook)
    notebook.page.close()
    reopened = open_notebook(browser, lab, "stored.ipynb")
    try:
        reopened.check_clean()
        explorer_outputs = reopened.page.evaluate(
            """() => {
                const node = window.jupyterapp.shell.currentWidget.node;
                const cells = node.querySelectorAll(".jp-CodeCell");
                const last = cells[cells.length - 1];
                return [...last.querySelectorAll(".jp-OutputArea-output")]
                    .map(output => output.innerText);
            }"""
        )
        assert explorer_outputs == []
    finally:
        reopened.page.close()


@pytest.mark.parametrize(
    "name", ["01_what_is_relu.ipynb", "03_mathematical_definitions.ipynb"]
)
def test_a_chapter_runs_in_jupyterlab_without_error(browser, lab, name):
    notebook = open_notebook(browser, lab, name)
    try:
        run_all(notebook)
        notebook.check_clean()
    finally:
        notebook.page.close()
