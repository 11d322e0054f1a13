"""How close are actlib's activations to the memory-bandwidth floor and to bare NumPy?

Run: ``.venv/bin/python benchmarks/kernels.py [--size N] [--repeats R]``
or ``.venv/bin/python benchmarks/kernels.py --small [--repeats R]``

Every activation reads an array and writes one of the same size, so no
elementwise function can beat ``np.negative(x)``: one read and one write, the
memory-bandwidth floor. By default this script times, side by side in one run
and on the same 10**7 float32 numbers, each activation's forward pass and
``.grad`` against that floor and, when PyTorch is installed, against PyTorch's
functional API on one thread. It prints medians as ratios, so the figures mean
the same thing on a faster or a slower machine.

``--small`` times the book's sizes instead: a 32x64 float64 batch and 10**4
float64 numbers, where the cost of a call is mostly its fixed overhead. It
prints each call's median time in microseconds, for actlib and for the bare
NumPy expression a student would write (each activation's ``reference`` and
``reference_grad``, the textbook one-liners), and their ratio.

This is a measurement, not a test: nothing here asserts.
"""

import argparse
import random
import statistics
import time

import numpy as np

import actlib

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # PyTorch is optional
    torch = None

# Row label -> the activation timed. GELU appears twice: its exact form, which
# needs the normal CDF (NumPy has no vectorised erf), and the tanh form.
ACTIVATIONS = {
    "relu": actlib.relu,
    "leaky_relu": actlib.leaky_relu,
    "prelu": actlib.prelu,
    "elu": actlib.elu,
    "selu": actlib.selu,
    "swish": actlib.swish,
    "gelu": actlib.gelu,
    "gelu (tanh)": actlib.get("gelu", approximate="tanh"),
    "sigmoid": actlib.sigmoid,
    "tanh": actlib.tanh,
    "softplus": actlib.softplus,
}

#: The book's sizes, for --small: a batch of 32 rows of 64 units, and 10**4.
SMALL_SHAPES = ((32, 64), (10**4,))


def torch_forward(name):
    """PyTorch's forward pass for one activation, on a tensor."""
    return {
        "relu": F.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, 0.01),
        "prelu": lambda t: F.prelu(t, torch.tensor([0.25], dtype=t.dtype)),
        "elu": F.elu,
        "selu": F.selu,
        "swish": F.silu,
        "gelu": F.gelu,
        "gelu (tanh)": lambda t: F.gelu(t, approximate="tanh"),
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "softplus": F.softplus,
    }[name]


def candidates(x):
    """Name -> zero-argument function, for everything timed in a 10**7 run."""
    timed = {
        "floor: np.negative(x)": lambda: np.negative(x),
        "naive leaky_relu: np.where(x > 0, x, 0.01 * x)": lambda: np.where(
            x > 0, x, 0.01 * x
        ),
    }
    for name, act in ACTIVATIONS.items():
        timed[f"{name}"] = lambda act=act: act(x)
        timed[f"{name}.grad"] = lambda act=act: act.grad(x)
    if torch is not None:
        tensor = torch.from_numpy(x)
        for name in ACTIVATIONS:
            forward = torch_forward(name)
            timed[f"torch {name}"] = lambda forward=forward: forward(tensor)
    return timed


def small_candidates(x):
    """(name, "f" or "f'", "actlib" or "numpy") -> function, for a --small run.

    The NumPy side is the activation's textbook formula, ``reference`` or
    ``reference_grad``, with the same parameters.
    """
    timed = {}
    for name, act in ACTIVATIONS.items():
        timed[name, "f", "actlib"] = lambda act=act: act(x)
        timed[name, "f", "numpy"] = lambda act=act: act.reference(x, **act.params)
        timed[name, "f'", "actlib"] = lambda act=act: act.grad(x)
        timed[name, "f'", "numpy"] = lambda act=act: act.reference_grad(x, **act.params)
    return timed


def measure(timed, repeats, calls=1):
    """Median seconds per call of each candidate, interleaved so that drift hits all.

    Each round runs the candidates in a new random order, each ``calls`` times
    in a row (many, for a call that takes microseconds). In a fixed order,
    whatever runs right after PyTorch's kernels is slowed down: here that was
    the floor, by about 20%, which made every ratio to it look better than it
    is.
    """
    samples = {key: [] for key in timed}
    order = list(timed)
    shuffle = random.Random(0).shuffle
    for _ in range(repeats):
        shuffle(order)
        for key in order:
            run = timed[key]
            start = time.perf_counter()
            for _ in range(calls):
                run()
            samples[key].append((time.perf_counter() - start) / calls)
    return {key: statistics.median(values) for key, values in samples.items()}


def print_large(size, repeats):
    """The 10**7 table: each activation as a multiple of the floor (and PyTorch)."""
    if torch is not None:
        torch.set_num_threads(1)
    x = np.random.default_rng(0).standard_normal(size, dtype=np.float32)
    median = measure(candidates(x), repeats)
    floor = median["floor: np.negative(x)"]

    print(f"{size:,} float32 elements, median of {repeats} runs")
    print(f"floor np.negative(x): {floor * 1e3:.2f} ms")
    print(f"naive leaky_relu (np.where): {median[list(median)[1]] / floor:.1f}x floor")
    header = f"{'activation':<14}{'forward/floor':>15}{'grad/floor':>12}"
    if torch is not None:
        header += f"{'forward/torch(1 thread)':>26}"
    print(header)
    for name in ACTIVATIONS:
        row = (
            f"{name:<14}{median[name] / floor:>15.2f}"
            f"{median[name + '.grad'] / floor:>12.2f}"
        )
        if torch is not None:
            row += f"{median[name] / median['torch ' + name]:>26.2f}"
        print(row)
    if torch is None:
        print("(PyTorch is not installed: pip install torch==2.13.0 adds its column)")


def print_small(repeats):
    """The book's sizes: microseconds per call, actlib against bare NumPy."""
    for shape in SMALL_SHAPES:
        x = np.random.default_rng(0).standard_normal(shape)
        calls = max(1, 20_000 // x.size)  # about the same time per sample
        median = measure(small_candidates(x), repeats, calls)
        size = "x".join(map(str, shape))
        print(
            f"{size} float64 ({x.size:,} elements): microseconds per call, "
            f"median of {repeats} rounds of {calls} calls"
        )
        print(
            f"{'activation':<14}{'f actlib':>10}{'numpy':>8}{'ratio':>7}"
            f"{'grad actlib':>13}{'numpy':>8}{'ratio':>7}"
        )
        for name in ACTIVATIONS:
            row = f"{name:<14}"
            for part, width in (("f", 10), ("f'", 13)):
                ours, bare = median[name, part, "actlib"], median[name, part, "numpy"]
                row += f"{ours * 1e6:>{width}.1f}{bare * 1e6:>8.1f}{ours / bare:>7.2f}"
            print(row)
        print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**7)
    parser.add_argument("--repeats", type=int, default=None, help="default 21 (201)")
    parser.add_argument(
        "--small", action="store_true", help="the book's sizes, against bare NumPy"
    )
    args = parser.parse_args()
    if args.small:
        print_small(args.repeats or 201)
    else:
        print_large(args.size, args.repeats or 21)


if __name__ == "__main__":
    main()
