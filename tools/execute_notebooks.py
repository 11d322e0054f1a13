"""Execute notebooks in place, top to bottom, and normalise their metadata.

Used by ``make notebooks``. Each notebook runs in a fresh kernel of this
environment, from its own folder, so that the outputs stored in the notebook
are exactly what nbval will see when it reruns it. The notebook's metadata
records the machine's numerical fingerprint (``actlib.machine``): on another
fingerprint, nbval does not compare the outputs of cells tagged
``machine-dependent`` (see chapters/conftest.py).

A widget's view is not stored: its state is not saved with the notebook, so a
reader who opens the notebook would see "Error displaying widget: model not
found" in its place.

Usage: python tools/execute_notebooks.py chapters/*.ipynb
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from actlib import machine

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {
    "name": "python3",
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
}


def execute(path):
    """Run one notebook in place and return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    seconds = time.perf_counter() - start
    notebook.metadata = {
        "kernelspec": KERNELSPEC,
        "language_info": {"name": "python"},
        "fingerprint": machine.fingerprint(),
    }
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = [
                out for out in cell.outputs if WIDGET_VIEW not in out.get("data", {})
            ]
    nbformat.write(notebook, path)
    return seconds


def main(paths):
    for name in paths:
        seconds = execute(Path(name))
        print(f"{name}: executed in {seconds:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
