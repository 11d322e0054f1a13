"""The first code cell of every chapter installs actlib where it is missing.

The cell is written by tools/install_cell.py from ``repository.url`` in
_config.yml. These tests check that every chapter carries the cell for the
address configured now (tagged, and collapsed in JupyterLab), that a chapter
which disagrees is caught, and they run the cell for real, each way it can go:
where actlib is installed (it does nothing); where it is missing, in a new
virtual environment, with a wheel beside the notebook (it installs the wheel,
offline); with no wheel and an address (it installs actlib from a repository,
here this clone, with pip); and with neither (a message that says what to do).
"""

import base64
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
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
CONFIGURED = tool.install_source(*tool.repository())


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


# --- Every chapter, and the tool that writes them ----------------------------


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_every_chapter_starts_with_the_install_cell_for_the_configured_repository(
    notebook,
):
    found = tool.problems(nbformat.read(notebook, as_version=4), CONFIGURED)
    assert not found, (
        f"{notebook.name}: {'; '.join(found)}; run "
        "'.venv/bin/python tools/install_cell.py chapters/*.ipynb' (make notebooks)"
    )


def test_a_chapter_that_disagrees_with_the_config_is_caught():
    chapter = next(nb for nb in NOTEBOOKS if code_cells(nbformat.read(nb, 4)))
    notebook = nbformat.read(chapter, as_version=4)
    elsewhere = tool.install_source("https://example.org/another-book", "main")
    tool.with_install_cell(notebook, elsewhere)
    assert tool.problems(notebook, elsewhere) == []
    assert tool.problems(notebook, CONFIGURED) == [
        "its install cell does not match repository: in _config.yml"
    ]
    first = code_cells(notebook)[0]
    first.metadata["jupyter"]["source_hidden"] = False
    first.metadata["tags"].remove("remove-cell")
    assert tool.problems(notebook, elsewhere) == [
        "its install cell lacks the tags ['remove-cell']",
        "its install cell is not collapsed (jupyter.source_hidden)",
    ]
    notebook.cells.remove(first)
    assert tool.problems(notebook, elsewhere) == [
        "the first code cell is not the install cell"
    ]


def _the_rest(notebook):
    """Every cell but the install cell, as the reader sees it."""
    return [
        (cell.cell_type, cell.source, cell.get("outputs"), cell.metadata)
        for cell in notebook.cells
        if not tool.is_install_cell(cell)
    ]


def test_the_tool_writes_the_configured_cell_into_copies_of_the_chapters(tmp_path):
    copies = [Path(shutil.copy(nb, tmp_path / nb.name)) for nb in NOTEBOOKS]
    tool.main([str(path) for path in copies])
    written = {path.name: path.read_bytes() for path in copies}
    for chapter, path in zip(NOTEBOOKS, copies, strict=True):
        before = nbformat.read(chapter, as_version=4)
        after = nbformat.read(path, as_version=4)
        assert tool.problems(after, CONFIGURED) == [], path.name
        nbformat.validate(after)
        assert _the_rest(after) == _the_rest(before), f"{path.name}: other cells"
    tool.main([str(path) for path in copies])  # a second run changes nothing
    assert {path.name: path.read_bytes() for path in copies} == written


def test_repository_is_read_from_the_config(tmp_path):
    config = tmp_path / "_config.yml"
    config.write_text("repository:\n  url: https://example.org/book\n  branch: dev\n")
    assert tool.repository(config) == ("https://example.org/book", "dev")
    config.write_text("title: no repository\n")
    assert tool.repository(config) == ("", "main")


def test_the_cell_is_written_once_before_the_first_code_cell_and_collapsed():
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
    assert notebook.cells[1].metadata == {
        "tags": ["install-actlib", "remove-cell"],
        "jupyter": {"source_hidden": True},
    }
    assert notebook.cells[1].id == "install-actlib"
    text_only = nbformat.v4.new_notebook()
    text_only.cells = [nbformat.v4.new_markdown_cell("References")]
    assert len(tool.with_install_cell(text_only, "first").cells) == 1


def test_the_cell_is_short():
    lines = tool.install_source("", "main").splitlines()
    assert len(lines) <= 15
    assert max(map(len, lines)) <= 88  # no line to scroll in a narrow window


# --- The cell, run for real, each way it can go ------------------------------


def test_the_cell_does_nothing_where_actlib_is_installed(monkeypatch):
    def no_install(*args, **kwargs):
        raise AssertionError(f"the cell ran {args}")

    monkeypatch.setattr(subprocess, "run", no_install)
    exec(tool.install_source("https://example.org/book", "main"), {})
    exec(CONFIGURED, {})


def test_without_actlib_a_wheel_or_an_address_the_cell_says_what_to_do(tmp_path):
    # -S: no site-packages, so actlib cannot be imported (the cell needs only
    # the standard library); tmp_path holds no wheel.
    run = subprocess.run(
        [sys.executable, "-S", "-c", tool.install_source("", "main")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    message = " ".join(run.stderr.split())
    assert "ModuleNotFoundError: actlib is not installed." in message
    assert "Download the book's zip" in message
    assert "follow its README" in message
    assert "pip install -e ." in message


def _environment():
    """This process's environment, without what would show the new virtual
    environment this checkout's packages."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTHON") and key != "VIRTUAL_ENV"
    }


def _fake_wheel(folder):
    """A wheel of an 'actlib' 0.0.0 that only says it is the fake."""
    files = {
        "actlib/__init__.py": "FAKE = 'the wheel beside the notebook'\n",
        "actlib-0.0.0.dist-info/METADATA": (
            "Metadata-Version: 2.1\nName: actlib\nVersion: 0.0.0\n"
        ),
        "actlib-0.0.0.dist-info/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
            "Tag: py3-none-any\n"
        ),
    }
    record = []
    for name, text in files.items():
        digest = hashlib.sha256(text.encode()).digest()
        encoded = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
        record.append(f"{name},sha256={encoded},{len(text.encode())}")
    record.append("actlib-0.0.0.dist-info/RECORD,,")
    files["actlib-0.0.0.dist-info/RECORD"] = "\n".join(record) + "\n"
    path = folder / "actlib-0.0.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
    return path


def test_without_actlib_the_cell_installs_the_wheel_beside_the_notebook(tmp_path):
    # A reader's new virtual environment without actlib, and a folder holding
    # the notebook and a wheel, as the download bundle does. The wheel comes
    # first even where an address is set, and pip needs no network for it.
    env_dir, folder = tmp_path / "reader", tmp_path / "chapters"
    venv.create(env_dir, with_pip=True)
    folder.mkdir()
    wheel = _fake_wheel(folder)
    python = str(env_dir / "bin" / "python")
    environment = {**_environment(), "PIP_NO_INDEX": "1"}
    source = tool.install_source("https://example.invalid/book", "main")

    run = subprocess.run(
        [python, "-c", source + "\nimport actlib; print(actlib.FAKE)"],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        f"Installing {wheel.name} ...",
        "the wheel beside the notebook",
    ]
    again = subprocess.run(  # now installed: the cell does nothing
        [python, "-c", source],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


def test_without_actlib_the_cell_installs_it_from_the_repository(tmp_path):
    # A hosted service, simulated: a new virtual environment without actlib,
    # whose pip is the version `make` installs, and no wheel in the folder.
    # The repository is this clone, at its current commit; pip takes actlib's
    # dependencies from the package index, held to the versions in
    # requirements.txt.
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
    environment = {**_environment(), "PIP_CONSTRAINT": str(constraints)}
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
