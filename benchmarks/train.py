"""How long actlib.training.train takes for the experiment the chapters repeat.

The workload: a [2, 64, 64, 2] MLP trained on 1,000 points of the two moons
for 100 epochs, mini-batches of 32, plain SGD. A chapter repeats it over 5 to
10 seeds, so it has a budget of 2 s. We print the median over a few runs,
the time per epoch, and the ratio to the budget (below 1 is within it); and,
if PyTorch is installed, the ratio to the same training loop written in
PyTorch on one CPU thread.

OpenBLAS's threads do not pay for matrices this small, and on a busy 2-core
machine they make training several times slower; run with
``OPENBLAS_NUM_THREADS=1`` for the figures the chapters get under ``make``.

Run it from the repository root::

    python benchmarks/train.py

Timings depend on the machine and its load; the ratios are what to compare.
"""

import itertools
import os
import statistics
import time

import numpy as np

from actlib import data, nn, training

LAYER_SIZES = [2, 64, 64, 2]
N_POINTS = 1_000
EPOCHS = 100
BATCH_SIZE = 32
LR = 0.1
REPEATS = 5
BUDGET_SECONDS = 2.0
ACTIVATIONS = ("relu", "leaky_relu", "prelu", "elu", "gelu")


def time_actlib(activation, X, y, seed):
    """Wall-clock seconds of one full training run."""
    model = nn.MLP(LAYER_SIZES, activation=activation, seed=seed)
    optimizer = training.SGD(lr=LR)
    start = time.perf_counter()
    training.train(
        model,
        (X, y),
        optimizer=optimizer,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        seed=seed,
    )
    return time.perf_counter() - start


def time_torch(torch, X, y, seed):
    """Wall-clock seconds of the same training loop in PyTorch (ReLU)."""
    torch.manual_seed(seed)
    layers = []
    for fan_in, fan_out in itertools.pairwise(LAYER_SIZES):
        layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    generator = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    for _ in range(EPOCHS):
        order = torch.randperm(len(X), generator=generator)
        for batch in order.split(BATCH_SIZE):
            loss = torch.nn.functional.cross_entropy(model(X[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return time.perf_counter() - start


def import_torch():
    """PyTorch on one thread in float64, or None if it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)  # matrices this small gain nothing from threads
    return torch


def main():
    X, y = data.moons(N_POINTS, seed=0)
    torch = import_torch()
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(
        f"{LAYER_SIZES} MLP, {N_POINTS} points, {EPOCHS} epochs, batch {BATCH_SIZE}, "
        f"SGD; median of {REPEATS} runs (OPENBLAS_NUM_THREADS={threads})"
    )
    # The runs take turns, seed by seed, so that a change in the machine's
    # load falls on every column alike and the ratios stay comparable.
    times = {activation: [] for activation in ACTIVATIONS}
    torch_times = []
    for seed in range(REPEATS):
        for activation in ACTIVATIONS:
            times[activation].append(time_actlib(activation, X, y, seed))
        if torch is not None:
            X_t, y_t = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
            torch_times.append(time_torch(torch, X_t, y_t, seed))
    print(f"{'activation':<12}{'seconds':>9}{'ms/epoch':>10}{'/ budget':>10}")
    seconds = {name: statistics.median(runs) for name, runs in times.items()}
    for activation, median in seconds.items():
        print(
            f"{activation:<12}{median:>9.3f}{1000 * median / EPOCHS:>10.2f}"
            f"{median / BUDGET_SECONDS:>10.2f}"
        )
    if torch is None:
        print("PyTorch is not installed: no comparison")
    else:
        torch_seconds = statistics.median(torch_times)
        print(
            f"PyTorch (1 thread, float64, ReLU, no per-epoch measurements): "
            f"{torch_seconds:.3f} s; actlib / PyTorch = "
            f"{seconds['relu'] / torch_seconds:.2f}"
        )


if __name__ == "__main__":
    main()
