"""The first code cell of every chapter installs actlib in a hosted service.

The cell is written by tools/install_cell.py from ``repository.url`` in
_config.yml. These tests check that every chapter carries the cell for the
address configured now, and run the stored cell for real: where actlib is
installed (it does nothing), where it is missing and no address is set (a clear
error), and where it is missing in a new virtual environment (it installs
actlib from a repository, here this clone, with pip).
"""

import importlib.util
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "chapters").glob("*.ipynb"))


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        "install_cell", REPO / "tools" / "install_cell.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def code_cells(path):
    cells = nbformat.read(path, as_version=4).cells
    return [cell for cell in cells if cell.cell_type == "code"]


def stored_install_source():
    """The install cell as stored in the first chapter."""
    return code_cells(NOTEBOOKS[0])[0].source


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_chapter_starts_with_the_install_cell_for_the_configured_repository(
    notebook,
):
    cells = code_cells(notebook)
    if not cells:
        pytest.skip(f"{notebook.name} has no code")
    expected = tool.install_source(*tool.repository())
    assert tool.is_install_cell(cells[0]), (
        f"{notebook.name}: the first code cell is not the install cell; "
        "run 'make notebooks'"
    )
    assert cells[0].source == expected, (
        f"{notebook.name}: its install cell does not match repository: in "
        "_config.yml; run 'make notebooks'"
    )
    assert sum(map(tool.is_install_cell, cells)) == 1
    assert "remove-cell" in cells[0].metadata["tags"]  # not shown in the HTML book


def test_repository_is_read_from_the_config(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://example.org/book\n  branch: dev\n")
    assert tool.repository(config) == ("https://example.org/book", "dev")
    config.write_text("title: no repository\n")
    assert tool.repository(config) == ("", "main")


def test_the_cell_is_written_once_before_the_first_code_cell():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_code_cell("import actlib"),
    ]
    tool.with_install_cell(notebook, "first")
    tool.with_install_cell(notebook, "second")  # replaces, does not repeat
    assert [cell.source for cell in notebook.cells] == [
        "# Title",
        "second",
        "import actlib",
    ]
    text_only = nbformat.v4.new_notebook()
    text_only.cells = [nbformat.v4.new_markdown_cell("References")]
    assert len(tool.with_install_cell(text_only, "first").cells) == 1


def test_the_cell_does_nothing_where_actlib_is_installed(monkeypatch):
    def no_install(*args, **kwargs):
        raise AssertionError(f"the cell ran {args}")

    monkeypatch.setattr(subprocess, "run", no_install)
    exec(tool.install_source("https://example.org/book", "main"), {})
    exec(stored_install_source(), {})


def test_without_actlib_or_an_address_the_cell_says_what_to_do(tmp_path):
    # -S: no site-packages, so actlib cannot be imported (the cell needs only
    # the standard library).
    run = subprocess.run(
        [sys.executable, "-S", "-c", tool.install_source("", "main")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "ModuleNotFoundError: actlib is not installed" in run.stderr
    assert "repository.url in _config.yml" in run.stderr
    assert "pip install -e ." in run.stderr


def test_without_actlib_the_cell_installs_it_from_the_repository(tmp_path):
    # A hosted service, simulated: a new virtual environment without actlib,
    # whose pip is the version `make` installs. The repository is this clone,
    # at its current commit; pip takes actlib's dependencies from the package
    # index, held to the versions in requirements.txt.
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    if head.returncode != 0:
        pytest.skip("not a git clone: there is no repository to install from")
    env_dir = tmp_path / "hosted"
    venv.create(env_dir, with_pip=True)
    python = str(env_dir / "bin" / "python")
    pins = [
        line
        for line in (REPO / "requirements.txt").read_text().splitlines()
        if "==" in line
    ]
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n")
    pip_pin = re.search(r"pip==[\d.]+", (REPO / "Makefile").read_text()).group()
    # This process's environment, but nothing that would let the new one see
    # this checkout's Python packages.
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTHON") and key != "VIRTUAL_ENV"
    }
    environment["PIP_CONSTRAINT"] = str(constraints)
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", pip_pin],
        check=True,
        env=environment,
    )
    source = tool.install_source(f"file://{REPO}", head.stdout.strip())

    run = subprocess.run(
        [python, "-c", source],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert run.returncode == 0, run.stderr
    assert f"Installing actlib @ git+file://{REPO}@" in run.stdout
    check = subprocess.run(
        [python, "-c", "import actlib; print(actlib.__file__, actlib.relu(-1.0))"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    where, value = check.stdout.split()
    assert Path(where).is_relative_to(env_dir)  # installed, not this checkout
    assert value == "0.0"
