"""Write the cell that installs actlib, where it is missing, into every chapter.

A chapter opened on its own, outside a clone of the repository (from the
book's download bundle, or in a hosted service such as Google Colab), cannot
``import actlib`` until actlib is installed. The first code cell of every
chapter therefore installs it when it is missing, from the first of:

1. the wheel beside the notebook (``actlib-*.whl`` in the kernel's working
   folder, which JupyterLab sets to the notebook's folder): the download
   bundle, relu-book.zip, puts it there (see _ext/bundle.py);
2. the book's repository, ``repository.url`` and ``repository.branch`` in
   ``_config.yml``, when that address is set;

and otherwise stops with a message that says how to get actlib. Where actlib
is importable (on your machine, under ``make``, under nbval, in the bundle's
virtual environment) it does nothing.

The cell is tagged ``remove-cell``, so the HTML book leaves it out, and its
source is hidden in JupyterLab (``"jupyter": {"source_hidden": true}``), where
it shows as one collapsed line.

The repository's address is set in one place, ``_config.yml``. This script
writes it into the chapters; ``make notebooks`` runs it before executing them,
and ``tests/test_install_cell.py`` fails when a chapter and ``_config.yml``
disagree.

Usage: python tools/install_cell.py chapters/*.ipynb
"""

import json
import sys
from pathlib import Path

import nbformat
import yaml

CONFIG = Path(__file__).resolve().parent.parent / "_config.yml"
#: The tag that marks the cell, so that it is replaced rather than repeated;
#: "remove-cell" keeps it out of the HTML book, where it means nothing.
TAGS = ["install-actlib", "remove-cell"]
#: Collapsed in JupyterLab (and in Jupyter Notebook 7): the source is hidden.
JUPYTER = {"source_hidden": True}

TEMPLATE = """\
# Installs actlib, which this chapter imports, where it is missing.
import importlib.util, pathlib, subprocess, sys

REPOSITORY, BRANCH = {url}, {branch}  # repository: in the book's _config.yml
if importlib.util.find_spec("actlib") is None:
    wheels = sorted(pathlib.Path().glob("actlib-*.whl"))  # beside this notebook
    url = REPOSITORY and f"actlib @ git+{{REPOSITORY}}@{{BRANCH}}"
    package = str(wheels[-1]) if wheels else url
    if not package:
        raise ModuleNotFoundError("actlib is not installed. Download the book's zip "
            "(linked from every chapter page), unzip it and follow its README; or, "
            "in a clone of the book's repository, run 'pip install -e .'.")
    print(f"Installing {{package}} ...")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", package], check=True)
    importlib.invalidate_caches()"""


def repository(config=CONFIG):
    """The book's repository address and branch, as set in ``_config.yml``."""
    settings = yaml.safe_load(Path(config).read_text()).get("repository") or {}
    return settings.get("url") or "", settings.get("branch") or "main"


def install_source(url, branch):
    """The source of the install cell for a repository ``url`` and ``branch``."""
    return TEMPLATE.format(url=json.dumps(url), branch=json.dumps(branch))


def is_install_cell(cell):
    return cell.cell_type == "code" and TAGS[0] in cell.metadata.get("tags", [])


def _mark(cell):
    """Give the install cell its tags and hide its source in JupyterLab."""
    tags = cell.metadata.setdefault("tags", [])
    tags.extend(tag for tag in TAGS if tag not in tags)
    cell.metadata.setdefault("jupyter", {}).update(JUPYTER)


def with_install_cell(notebook, source):
    """Put the install cell with ``source`` just before the first code cell.

    An existing install cell is updated in place, keeping its outputs if its
    source does not change. A notebook without code is left as it is.
    """
    for cell in notebook.cells:
        if is_install_cell(cell):
            if cell.source != source:
                cell.source, cell.outputs, cell.execution_count = source, [], None
            _mark(cell)
            return notebook
    code = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    if code:
        cell = nbformat.v4.new_code_cell(source)
        cell.id = TAGS[0]  # a fixed id, so that rewriting a chapter changes nothing
        _mark(cell)
        notebook.cells.insert(code[0], cell)
    return notebook


def problems(notebook, source):
    """What is wrong with a notebook's install cell, given the cell's ``source``.

    An empty list when the first code cell is the one install cell, with that
    source, its tags, and its source hidden; a notebook without code has none.
    """
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if not code:
        return []
    found = []
    if not is_install_cell(code[0]):
        return ["the first code cell is not the install cell"]
    first = code[0]
    if first.source != source:
        found.append("its install cell does not match repository: in _config.yml")
    missing = [tag for tag in TAGS if tag not in first.metadata.get("tags", [])]
    if missing:
        found.append(f"its install cell lacks the tags {missing}")
    if first.metadata.get("jupyter", {}).get("source_hidden") is not True:
        found.append("its install cell is not collapsed (jupyter.source_hidden)")
    if sum(map(is_install_cell, code)) != 1:
        found.append("it has more than one install cell")
    return found


def main(paths):
    source = install_source(*repository())
    for name in paths:
        notebook = nbformat.read(name, as_version=4)
        before = nbformat.writes(notebook)
        with_install_cell(notebook, source)
        if nbformat.writes(notebook) != before:
            nbformat.write(notebook, name)
            print(f"{name}: install cell written")


if __name__ == "__main__":
    main(sys.argv[1:])
