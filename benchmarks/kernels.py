"""How close are actlib's activations to the memory-bandwidth floor?

Run: ``.venv/bin/python benchmarks/kernels.py [--size N] [--repeats R]``

Every activation reads an array and writes one of the same size, so no
elementwise function can beat ``np.negative(x)``: one read and one write, the
memory-bandwidth floor. This script times, side by side in one run and on the
same 10**7 float32 numbers, each activation's forward pass and ``.grad``
against that floor and, when PyTorch is installed, against PyTorch's
functional API on one thread. It prints medians as ratios, so the figures mean
the same thing on a faster or a slower machine.

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
    "elu": actlib.elu,
    "swish": actlib.swish,
    "gelu": actlib.gelu,
    "gelu (tanh)": actlib.get("gelu", approximate="tanh"),
    "sigmoid": actlib.sigmoid,
    "tanh": actlib.tanh,
}


def torch_forward(name):
    """PyTorch's forward pass for one activation, on a tensor."""
    return {
        "relu": F.relu,
        "leaky_relu": lambda t: F.leaky_relu(t, 0.01),
        "elu": F.elu,
        "swish": F.silu,
        "gelu": F.gelu,
        "gelu (tanh)": lambda t: F.gelu(t, approximate="tanh"),
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
    }[name]


def candidates(x):
    """Name -> zero-argument function, for everything timed in this run."""
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


def measure(timed, repeats):
    """Median seconds of each candidate, interleaved so that drift hits all.

    Each round runs the candidates in a new random order. In a fixed order,
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
            run()
            samples[key].append(time.perf_counter() - start)
    return {key: statistics.median(values) for key, values in samples.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10**7)
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()

    if torch is not None:
        torch.set_num_threads(1)
    x = np.random.default_rng(0).standard_normal(args.size, dtype=np.float32)
    median = measure(candidates(x), args.repeats)
    floor = median["floor: np.negative(x)"]

    print(f"{args.size:,} float32 elements, median of {args.repeats} runs")
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


if __name__ == "__main__":
    main()
