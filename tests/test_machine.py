"""The machine fingerprint, and how nbval uses it (chapters/conftest.py).

A chapter's stored outputs are compared digit for digit only on a machine with
the fingerprint that stored them; elsewhere, cells tagged machine-dependent
run and assert but are not compared. These tests run nbval for real on a tiny
notebook, on both sides of that rule.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from actlib import machine

REPO = Path(__file__).resolve().parent.parent
NO_AVX512 = "X86_V4 AVX512_ICL AVX512_SPR"


def _in_subprocess(code, **env):
    """What ``code`` prints in a fresh Python with extra environment variables."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


class TestFingerprint:
    def test_keys_and_types(self):
        f = machine.fingerprint()
        assert set(f) == {"simd", "blas", "numpy", "scipy", "frameworks"}
        assert f["numpy"] == np.__version__
        assert set(f["frameworks"]) <= set(machine.FRAMEWORKS)
        assert json.loads(json.dumps(f)) == f  # stored in notebook metadata

    def test_summary_names_every_part(self):
        f = {
            "simd": "X86_V3",
            "blas": "openblas Haswell",
            "numpy": "2.4.6",
            "scipy": "1.17.1",
            "frameworks": {"torch": "2.13.0"},
        }
        assert machine.summary(f) == (
            "SIMD X86_V3, openblas Haswell, numpy 2.4.6, scipy 1.17.1, torch 2.13.0"
        )
        assert machine.summary({**f, "frameworks": {}}).endswith(", no frameworks")

    def test_describe_names_cpu_and_simd(self):
        text = machine.describe()
        assert machine.simd_level() in text and np.__version__ in text
        assert machine.cpu_name() in text

    @pytest.mark.skipif(
        not machine.simd_level().startswith(("X86_V4", "AVX512")),
        reason="this CPU has no AVX-512 to switch off",
    )
    def test_disabling_avx512_changes_the_simd_level(self):
        code = "from actlib import machine; print(machine.simd_level())"
        level = _in_subprocess(code, NPY_DISABLE_CPU_FEATURES=NO_AVX512)
        assert level != machine.simd_level()
        assert not level.startswith(("X86_V4", "AVX512"))

    @pytest.mark.skipif(
        "openblas" not in machine.blas_core(), reason="NumPy's BLAS is not OpenBLAS"
    )
    def test_openblas_coretype_changes_the_blas_core(self):
        code = "from actlib import machine; print(machine.blas_core())"
        assert "Haswell" in _in_subprocess(code, OPENBLAS_CORETYPE="Haswell")


# --- nbval with chapters/conftest.py, on a tiny notebook ---------------------


def _notebook(folder, fingerprint, tags):
    """A two-cell notebook whose stored outputs differ from a fresh run.

    Cell 0 computes something exact; cell 1 prints a stored number that a
    fresh run does not reproduce. ``tags`` go on cell 1.
    """
    nb = nbformat.v4.new_notebook()
    exact = nbformat.v4.new_code_cell("print(2 + 2)", execution_count=1)
    exact.outputs = [nbformat.v4.new_output("stream", name="stdout", text="4\n")]
    drift = nbformat.v4.new_code_cell("print(0.1 + 0.2)", execution_count=2)
    drift.outputs = [nbformat.v4.new_output("stream", name="stdout", text="0.3\n")]
    drift.metadata["tags"] = tags
    nb.cells = [exact, drift]
    nb.metadata["fingerprint"] = fingerprint
    shutil.copy(REPO / "chapters" / "conftest.py", folder / "conftest.py")
    nbformat.write(nb, folder / "tiny.ipynb")


def _nbval(folder):
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env"),
            *("-p", "no:cacheprovider", "--rootdir", str(folder), "tiny.ipynb"),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout


OTHER = {
    "simd": "X86_V3",
    "blas": "openblas Haswell",
    "numpy": "0.0",
    "scipy": "0.0",
    "frameworks": {},
}


class TestNbvalOnAnotherMachine:
    def test_same_machine_compares_tagged_cells(self, tmp_path):
        _notebook(tmp_path, machine.fingerprint(), ["machine-dependent"])
        code, out = _nbval(tmp_path)
        assert code == 1 and "1 failed, 1 passed" in out
        assert "not compared" not in out

    def test_other_machine_skips_comparing_tagged_cells(self, tmp_path):
        _notebook(tmp_path, OTHER, ["machine-dependent"])
        code, out = _nbval(tmp_path)
        assert code == 0 and "2 passed" in out
        notice = [line for line in out.splitlines() if "not compared" in line]
        assert len(notice) == 1  # one line, naming both fingerprints
        assert machine.summary(OTHER) in notice[0]
        assert machine.summary() in notice[0]

    def test_other_machine_still_compares_untagged_cells(self, tmp_path):
        _notebook(tmp_path, OTHER, [])
        code, out = _nbval(tmp_path)
        assert code == 1 and "1 failed, 1 passed" in out

    def test_chapters_record_a_fingerprint(self):
        keys = set(machine.fingerprint())
        for path in sorted((REPO / "chapters").glob("*.ipynb")):
            stored = json.loads(path.read_text(encoding="utf-8"))["metadata"]
            message = f"{path.name}: run make notebooks to record the fingerprint"
            assert set(stored.get("fingerprint", {})) == keys, message
