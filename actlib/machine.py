"""The machine a number was computed on.

Two computers can give different last digits for the same NumPy code. An
elementwise ``np.exp`` or ``np.tanh`` runs a different vectorised (SIMD) kernel
on a CPU with AVX-512 than on one without, and a matrix product runs the BLAS
kernel that OpenBLAS picked for the CPU (its "core type"). Each is accurate,
but they round differently, and a training run amplifies the difference.
A timing depends on the same things.

So a measurement of speed says where it was made (:func:`describe`), and a
stored result that depends on rounding is compared only on a machine with the
same :func:`fingerprint`.

    >>> sorted(fingerprint())
    ['blas', 'frameworks', 'numpy', 'scipy', 'simd']
"""

import importlib.metadata
import platform
from pathlib import Path

import numpy as np
import scipy
import threadpoolctl

#: The optional frameworks whose results a chapter may print.
FRAMEWORKS = ("torch", "jax", "keras")


def simd_level():
    """The most advanced SIMD kernel family NumPy dispatches to on this CPU.

    NumPy builds several versions of its vectorised loops (for example
    ``X86_V3`` for AVX2, ``AVX512_ICL`` for Ice Lake's AVX-512) and picks the
    best one the CPU supports when it is imported. The environment variable
    ``NPY_DISABLE_CPU_FEATURES`` switches families off, which is how to try
    the book as on a CPU without AVX-512.

    Returns
    -------
    str
        The name of the dispatch target in use, or ``"baseline"`` when none
        beyond NumPy's compiled-in baseline is available.
    """
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    found = [target for target in __cpu_dispatch__ if __cpu_features__.get(target)]
    return found[-1] if found else "baseline"


def blas_core():
    """The CPU kernel family of the BLAS behind ``@`` (OpenBLAS's core type).

    ``OPENBLAS_CORETYPE=Haswell`` makes OpenBLAS use its Haswell kernels on a
    newer CPU, as a reader's laptop might.

    Returns
    -------
    str
        For example ``"openblas SkylakeX"``; ``"unknown"`` if no BLAS library
        reports one.
    """
    cores = sorted(
        {
            f"{info['internal_api']} {info.get('architecture', '?')}"
            for info in threadpoolctl.threadpool_info()
            if info["user_api"] == "blas"
        }
    )
    return ", ".join(cores) or "unknown"


def framework_versions():
    """The installed versions of PyTorch, JAX and Keras, by package name.

    Returns
    -------
    dict
        ``{"torch": "2.13.0+cpu", ...}``, with only the installed ones.
    """
    versions = {}
    for name in FRAMEWORKS:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


def fingerprint():
    """What decides the rounding of this machine's results.

    Two machines with the same fingerprint give the same numbers, bit for bit,
    for the same code and seed: the same SIMD kernels, the same BLAS kernels,
    the same NumPy and SciPy, and the same frameworks.

    Returns
    -------
    dict
        Keys ``simd``, ``blas``, ``numpy``, ``scipy`` and ``frameworks``
        (itself a dict of versions).
    """
    return {
        "simd": simd_level(),
        "blas": blas_core(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "frameworks": framework_versions(),
    }


def summary(fp=None):
    """A fingerprint as one short line.

    Parameters
    ----------
    fp : dict, optional
        A fingerprint as returned by :func:`fingerprint`; this machine's by
        default.

    Returns
    -------
    str
        For example ``"SIMD AVX512_ICL, openblas SkylakeX, numpy 2.4.6,
        scipy 1.17.1, no frameworks"``.
    """
    f = fingerprint() if fp is None else fp
    frameworks = ", ".join(f"{k} {v}" for k, v in sorted(f["frameworks"].items()))
    return (
        f"SIMD {f['simd']}, {f['blas']}, numpy {f['numpy']}, "
        f"scipy {f['scipy']}, {frameworks or 'no frameworks'}"
    )


def cpu_name():
    """The processor's model name, as the operating system reports it."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def describe():
    """Where a timing was measured: the CPU and NumPy's SIMD level.

    Returns
    -------
    str
        For example ``"AMD EPYC (x86_64), NumPy 2.4.6 with AVX512_ICL"``.
    """
    return (
        f"{cpu_name()} ({platform.machine()}), "
        f"NumPy {np.__version__} with {simd_level()}"
    )
