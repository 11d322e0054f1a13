"""The download bundle, relu-book.zip: what it holds, and that its README works.

The book build writes the zip at the root of the site (_ext/bundle.py); these
tests take it from the session's build, ``book_html`` (tests/conftest.py). They
check that the intro and every chapter page link to it, and what it holds: every
chapter as stored, actlib as a wheel, the pins a reader needs (a subset of
requirements.txt) and a README.

``test_the_readme_runs_the_chapters_in_a_new_virtual_environment`` then does
what a reader does: it unzips the bundle into an empty folder, runs the
README's commands for Linux and macOS (a new virtual environment, one pip
install from the package registry, with pip's cache), and runs two chapters
in that environment's kernel with nbclient, in place of ``jupyter lab``. It is
the slow one: about 1 min 30 s with a warm pip cache on a quiet 2-core machine
(a minute more to fill the cache), on top of the book build. It skips, saying
so, only when the package registry cannot be reached.
"""

import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from sphinx.errors import ExtensionError

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((REPO / "chapters").glob("*.ipynb"))
#: The two chapters run in the reader's environment: quick ones.
RUN = ("01_what_is_relu.ipynb", "03_mathematical_definitions.ipynb")


def _load_extension():
    spec = importlib.util.spec_from_file_location("bundle", REPO / "_ext/bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle = _load_extension()


@pytest.fixture(scope="module")
def zip_path(book_html):
    path = book_html / bundle.ZIP_NAME
    if not path.is_file():
        pytest.fail(f"the book build wrote no {bundle.ZIP_NAME} at its root")
    return path


@pytest.fixture(scope="module")
def members(zip_path):
    """``{name inside relu-book/: bytes}``."""
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        assert all(name.startswith(f"{bundle.FOLDER}/") for name in names), names
        return {
            name.removeprefix(f"{bundle.FOLDER}/"): archive.read(name) for name in names
        }


def _wheel_name(members):
    wheels = [
        name for name in members if re.fullmatch(r"chapters/actlib-.*\.whl", name)
    ]
    assert len(wheels) == 1, f"the bundle should hold one actlib wheel: {wheels}"
    return wheels[0].removeprefix("chapters/")


# --- The links ---------------------------------------------------------------


def _bundle_links(page):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return soup, soup.select("a.bundle-link[href]")


def test_the_intro_and_every_chapter_page_link_to_the_zip(book_html, zip_path):
    pages = [book_html / "intro.html"]
    pages += [book_html / "chapters" / f"{nb.stem}.html" for nb in CHAPTERS]
    size = f"(zip, {bundle.megabytes(zip_path)})"
    for page in pages:
        soup, links = _bundle_links(page)
        assert links, f"{page.name} has no link to {bundle.ZIP_NAME}"
        for link in links:
            target = (page.parent / link["href"]).resolve()
            assert target == zip_path.resolve(), f"{page.name}: {link['href']}"
            text = " ".join(link.get_text().split())
            assert text.endswith(size) and len(text) > 30, text  # says what it is
        if page.parent.name == "chapters":
            note = soup.select_one("div.admonition.bundle-note")
            assert note is not None, f"{page.name} has no note that links the zip"
            assert note.select_one("a.bundle-link") is not None
            assert note.find_previous("h1") is not None  # under the title


# --- What the zip holds ------------------------------------------------------


def test_the_zip_holds_every_chapter_as_stored(members):
    stored = {f"chapters/{nb.name}": nb.read_bytes() for nb in CHAPTERS}
    held = {name: data for name, data in members.items() if name.endswith(".ipynb")}
    assert sorted(held) == sorted(stored)
    changed = [name for name in stored if held[name] != stored[name]]
    assert not changed, f"not as stored in chapters/: {changed}"
    scripts = {f"benchmarks/{p.name}" for p in (REPO / "benchmarks").glob("*.py")}
    assert scripts <= set(members)
    assert "benchmarks/accuracy.py" in scripts  # the numerics appendix imports it


def test_the_zip_holds_actlib_as_a_wheel(members, tmp_path):
    name = _wheel_name(members)
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert name == f"actlib-{project['project']['version']}-py3-none-any.whl"
    (tmp_path / name).write_bytes(members[f"chapters/{name}"])
    with zipfile.ZipFile(tmp_path / name) as wheel:
        modules = {n for n in wheel.namelist() if n.endswith(".py")}
    source = {
        path.relative_to(REPO).as_posix() for path in (REPO / "actlib").rglob("*.py")
    }
    assert modules == source


def test_the_zip_pins_what_a_reader_needs_and_no_more(members):
    pinned = bundle.pins(REPO / "requirements.txt")
    lines = members["requirements.txt"].decode().splitlines()
    requirements = [Requirement(line) for line in lines if not line.startswith("#")]
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert f"{requirement.name}{requirement.specifier}" == pinned[name], (
            f"{requirement} is not requirements.txt's pin {pinned.get(name)}"
        )
    names = {canonicalize_name(r.name) for r in requirements}
    needed = {"numpy", "scipy", "matplotlib", "threadpoolctl", "mpmath"}
    needed |= {"ipykernel", "ipywidgets", "jupyterlab", "nbclient"}
    assert needed <= names, f"missing: {needed - names}"
    tools = {"jupyter-book", "sphinx", "pytest", "nbval", "hypothesis", "playwright"}
    assert not tools & names, f"not for readers: {tools & names}"
    markers = {r.name: str(r.marker) for r in requirements if r.marker}
    assert markers.get("pexpect") == 'sys_platform != "win32"'


def test_the_readme_gives_the_commands_for_each_system(members):
    readme = members["README.md"].decode()
    wheel = _wheel_name(members)
    unix, windows = _commands(readme, "Linux and macOS"), _commands(readme, "Windows")
    assert unix == [
        "python3 -m venv .venv",
        f".venv/bin/python -m pip install -r requirements.txt chapters/{wheel}",
        ".venv/bin/jupyter lab",
    ]
    assert windows == [
        "py -m venv .venv",
        rf".venv\Scripts\python -m pip install -r requirements.txt chapters\{wheel}",
        r".venv\Scripts\jupyter lab",
    ]
    assert "$" not in readme.replace("$ ", "")  # every placeholder filled in


def _commands(readme, system):
    """The commands of the first console block after the heading ``system``."""
    section = readme.split(f"## {system}", 1)[1]
    block = re.search(r"```console\n(.*?)```", section, re.DOTALL).group(1)
    return block.strip().splitlines()


# --- The extension's own checks ----------------------------------------------


def test_a_missing_pin_stops_the_build(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())
    pins = (REPO / "requirements.txt").read_text(encoding="utf-8")
    (tmp_path / "requirements.txt").write_text(
        re.sub(r"(?m)^jupyterlab==.*\n", "", pins), encoding="utf-8"
    )
    with pytest.raises(ExtensionError, match="pins no version of jupyterlab"):
        bundle.reader_requirements(tmp_path)


def test_a_wheel_that_cannot_be_built_stops_the_build(tmp_path):
    repo = tmp_path / "repo"
    (repo / "actlib").mkdir(parents=True)
    (repo / "actlib" / "__init__.py").write_text("")
    (repo / "README.md").write_text("actlib\n")
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "actlib"\nversion = "not a version"\n'
    )
    with pytest.raises(ExtensionError, match="pip could not build actlib's wheel"):
        bundle.build_wheel(repo, tmp_path / "out")
    assert not (repo / "build").exists()  # built from a copy, not in the tree


def test_markers_say_which_systems_need_a_package():
    every = {(p, v) for p in bundle.PLATFORMS for v in bundle.PYTHONS}
    assert bundle._marker(every) == ""
    posix = {(p, v) for p, v in every if p != "win32"}
    assert bundle._marker(posix) == 'sys_platform != "win32"'
    old = {(p, v) for p, v in every if v == "3.11"}
    assert bundle._marker(old) == 'python_version < "3.12"'
    mac = {(p, v) for p, v in every if p == "darwin" and v >= "3.13"}
    assert bundle._marker(mac) == (
        'sys_platform == "darwin" and python_version >= "3.13"'
    )


# --- A reader follows the README ---------------------------------------------

NOTEBOOK_RUNNER = """
import json, sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

found = {}
for name in sys.argv[1:]:
    path = Path(name).resolve()
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import sys, actlib\\nprint(sys.executable)\\nprint(actlib.__file__)"))
    NotebookClient(notebook, kernel_name="python3", timeout=600, allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors, stderr = [], []
    for i, cell in enumerate(notebook.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                errors.append(f"cell {i}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                stderr.append(f"cell {i}: {out.text}")
    last = notebook.cells[-1].outputs
    where = last[0].text.split() if last and "text" in last[0] else []
    found[path.name] = {"errors": errors, "stderr": stderr, "where": where}
print(json.dumps(found))
"""

#: What may appear on stderr in a new environment: matplotlib's one-time note.
HARMLESS_STDERR = re.compile(r"Matplotlib is building the font cache")


def _reader_environment(tmp_path):
    """This process's environment, without what would show the reader's virtual
    environment this checkout's packages, kernels or settings."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "JUPYTER", "IPYTHON")) and key != "VIRTUAL_ENV"
    }
    environment["JUPYTER_DATA_DIR"] = str(tmp_path / "jupyter-data")
    environment["JUPYTER_CONFIG_DIR"] = str(tmp_path / "jupyter-config")
    environment["JUPYTER_PREFER_ENV_PATH"] = "1"
    environment["IPYTHONDIR"] = str(tmp_path / "ipython")
    return environment


def _run(command, folder, environment, timeout=1200):
    return subprocess.run(
        command,
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_readme_runs_the_chapters_in_a_new_virtual_environment(zip_path, tmp_path):
    """Slow: about 1 min 30 s (see the module's docstring)."""
    start = time.perf_counter()
    folder = tmp_path / "reader"
    folder.mkdir()
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(folder)
    folder = folder / bundle.FOLDER
    readme = (folder / "README.md").read_text(encoding="utf-8")
    *install, last = _commands(readme, "Linux and macOS")
    assert last == ".venv/bin/jupyter lab"  # replaced by nbclient, below
    environment = _reader_environment(tmp_path)

    for line in install:
        command = shlex.split(line)
        if command[0] == "python3":  # the Python that runs this book's tests
            command[0] = sys._base_executable
        if "install" in command:  # first: can pip reach the registry?
            six = next(
                line
                for line in (folder / "requirements.txt").read_text().splitlines()
                if line.startswith("six==")
            )
            probe = [".venv/bin/python", "-m", "pip", "download", "--no-deps"]
            probe += ["--dest", str(tmp_path / "probe"), six]
            reached = _run(probe, folder, environment, timeout=300)
            if reached.returncode != 0:
                pytest.skip(
                    "the package registry cannot be reached, so the README's "
                    f"pip install cannot run:\n{reached.stderr[-1500:]}"
                )
        done = _run(command, folder, environment)
        assert done.returncode == 0, (
            f"the README's command failed: {line}\n{done.stdout[-3000:]}"
            f"{done.stderr[-3000:]}"
        )
    installed = time.perf_counter() - start

    runner = tmp_path / "run_notebooks.py"
    runner.write_text(NOTEBOOK_RUNNER, encoding="utf-8")
    chapters = [f"chapters/{name}" for name in RUN]
    done = _run([".venv/bin/python", str(runner), *chapters], folder, environment)
    assert done.returncode == 0, done.stderr[-4000:]
    found = json.loads(done.stdout.splitlines()[-1])

    venv = folder / ".venv"
    for name in RUN:
        result = found[name]
        assert result["errors"] == [], f"{name}: {result['errors']}"
        noise = [s for s in result["stderr"] if not HARMLESS_STDERR.search(s)]
        assert noise == [], f"{name} wrote to stderr: {noise}"
        executable, actlib_file = map(Path, result["where"])
        assert executable.is_relative_to(venv), f"{name} ran in {executable}"
        assert actlib_file.is_relative_to(venv), f"actlib from {actlib_file}"
    print(
        f"README install: {installed:.0f} s; chapters {', '.join(RUN)}: "
        f"{time.perf_counter() - start - installed:.0f} s"
    )


def test_requirements_pin_what_building_the_wheel_needs():
    # The book build makes actlib's wheel with this environment's build tools
    # (no build isolation: it must work offline), so requirements.txt must pin
    # versions that pyproject.toml's [build-system] accepts. A new venv comes
    # with setuptools 65, and pyproject.toml needs >= 77: without the pin,
    # `make book` failed on a fresh clone while `make test` (after `make
    # frameworks`, which pulls in a newer setuptools) passed.
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pins = {}
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "-")):  # not "-e ."
            requirement = Requirement(line)
            pins[canonicalize_name(requirement.name)] = requirement
    for needed in map(Requirement, pyproject["build-system"]["requires"]):
        pinned = pins.get(canonicalize_name(needed.name))
        assert pinned is not None, f"requirements.txt pins no {needed.name}"
        (version,) = [spec.version for spec in pinned.specifier]
        assert needed.specifier.contains(version), (str(needed), str(pinned))
