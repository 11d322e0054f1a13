"""Write the cell that installs actlib in a hosted service into every chapter.

A hosted service such as Google Colab opens a chapter on its own, without the
rest of the repository, so ``import actlib`` fails there. The first code cell
of every chapter therefore installs actlib from the book's repository when it
is missing, and does nothing where it is installed (on your machine, under
``make``, and under nbval).

The repository's address is set in one place, ``repository.url`` (and
``repository.branch``) in ``_config.yml``. This script writes it into the
chapters; ``make notebooks`` runs it before executing them, and
``tests/test_install_cell.py`` fails when a chapter and ``_config.yml``
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

TEMPLATE = """\
# actlib, the package this chapter imports, comes with the book's repository.
# A hosted service such as Colab opens the chapter without it: this cell
# installs it there. Where actlib is installed already, it does nothing.
import importlib
import importlib.util
import subprocess
import sys

REPOSITORY = {url}  # repository.url in the book's _config.yml
BRANCH = {branch}
if importlib.util.find_spec("actlib") is None:
    if not REPOSITORY:
        raise ModuleNotFoundError(
            "actlib is not installed, and this copy of the book names no "
            "repository to install it from (repository.url in _config.yml is "
            "empty). In a clone of the book, run 'make test' or 'pip install -e .'."
        )
    package = f"actlib @ git+{{REPOSITORY}}@{{BRANCH}}"
    print(f"Installing {{package}} ...")
    pip = [sys.executable, "-m", "pip", "install", "--quiet", package]
    subprocess.run(pip, check=True)
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


def with_install_cell(notebook, source):
    """Put the install cell with ``source`` just before the first code cell.

    An existing install cell is updated in place, keeping its outputs if its
    source does not change. A notebook without code is left as it is.
    """
    for cell in notebook.cells:
        if is_install_cell(cell):
            if cell.source != source:
                cell.source, cell.outputs, cell.execution_count = source, [], None
            return notebook
    code = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    if code:
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(TAGS)})
        cell.id = TAGS[0]  # a fixed id, so that rewriting a chapter changes nothing
        notebook.cells.insert(code[0], cell)
    return notebook


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
