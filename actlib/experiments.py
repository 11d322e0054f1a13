r"""Experiment runners: the loops the chapters repeat, written and tested once.

A chapter's experiment is nearly always the same few steps: build a network,
train it, measure it, and do it again for several seeds, and perhaps for
several learning rates or slopes; then report the mean and the spread, and
assert the claim. The runners here do the loops and return plain results
(arrays, dicts, small frozen dataclasses) that the chapter prints, plots and
asserts on.

Every runner checks all of its arguments before it trains anything, so a bad
value at the end of a grid fails at once, with a message that names it, and
never after minutes of training. Results are deterministic: a seed fixes a
network's initial weights (``MLP(seed=seed)``) and the order of its
mini-batches (``train(seed=seed)``), so the same call gives bitwise the same
numbers.

The runners:

- :func:`spread` (a :class:`Spread`): mean, standard deviation, minimum and
  maximum of a measurement over seeds;
- :func:`over_seeds`: any function of a seed, called for each seed, with the
  results stacked;
- :func:`train_runs` (a list of :class:`Run`): train one network per seed;
  :func:`final_values` collects their final loss, accuracy and dead fraction,
  :func:`collect` any measurement epoch by epoch, and :func:`epochs_to` finds
  when a run first reached a threshold;
- :func:`sweep` (a :class:`Sweep`): train over a grid of learning rates, or of
  any one numeric option of the network (such as Leaky ReLU's slope), and
  pick the best value;
- :func:`through_depth`: the signal and the gradient, layer by layer, in a
  deep random network at initialisation;
- :func:`gradient`, :func:`unit_grad_norms` and :func:`dead_masks`: a
  network's gradient on a whole data set, per unit, and its dead units;
- :func:`step_trace` (a :class:`StepTrace`): one training run followed step
  by step, the raw gradient's norm and the length of the step taken.

For example, five seeds of a small ReLU network on the moons::

    >>> from actlib import data, experiments
    >>> from actlib.training import SGD
    >>> X, y = data.moons(200, seed=0)
    >>> runs = experiments.train_runs(
    ...     "relu", (X, y), layer_sizes=[2, 16, 2], optimizer=SGD(lr=0.3),
    ...     epochs=10, seeds=range(5))
    >>> accuracy = experiments.final_values(runs)["accuracy"]
    >>> print(experiments.spread(accuracy))
    0.879 ± 0.018 over 5 seeds
"""

import copy
import math
import numbers
import re
from dataclasses import dataclass

import numpy as np

from actlib import _validation, diagnostics, nn
from actlib.training import SGD, History, Optimizer, train

#: The metrics :func:`epochs_to` and :func:`sweep` can aim at. An accuracy
#: reaches its threshold from below, a loss from above.
METRICS = {
    "accuracy": "at least",
    "val_accuracy": "at least",
    "loss": "at most",
    "val_loss": "at most",
}


# Spread over seeds.


@dataclass(frozen=True)
class Spread:
    """Mean, spread and range of one measurement over seeds (or runs).

    Attributes
    ----------
    mean, std, min, max : float
        Over the finite values; ``std`` is the standard deviation of the values
        themselves (``ddof=0``), the seed-to-seed spread. All NaN if no value
        was finite.
    n : int
        Number of finite values.
    n_nan : int
        Number of NaN values left out (for example runs that diverged).
    over : str
        What the values are of, for :func:`str`: ``"seeds"``, ``"runs"``...

    Notes
    -----
    For tables, a format spec applies to the mean and the standard deviation:
    ``f"{s:.3f}"`` gives ``"0.493 ± 0.005"`` (and ``f"{s:+.3f}"`` signs the
    mean only). A width in front, with an optional alignment, applies to the
    whole text: ``f"{s:<16.3f}"`` pads it to 16 characters. ``str(s)`` adds
    how many values they are over, ``"0.493 ± 0.005 over 5 seeds"``. With no
    finite value, the text is ``"-"`` (and ``str`` says why).

    Examples
    --------
    >>> s = spread([0.9, 0.95, 1.0])
    >>> print(s)
    0.95 ± 0.041 over 3 seeds
    >>> f"{s:.2f} (min {s.min:.2f})"
    '0.95 ± 0.04 (min 0.90)'
    >>> f"[{s:>14.2f}]"
    '[   0.95 ± 0.04]'
    """

    mean: float
    std: float
    min: float
    max: float
    n: int
    n_nan: int = 0
    over: str = "seeds"

    def __format__(self, spec):
        if not spec:
            return str(self)
        layout = re.fullmatch(r"(?P<align>[<>^]?)(?P<width>\d*)(?P<number>.*)", spec)
        number = layout["number"]
        if self.n == 0:
            text = "-"
        else:
            std_number = number.replace("+", "").replace(" ", "")
            text = f"{self.mean:{number}} ± {self.std:{std_number}}"
        return f"{text:{layout['align'] or '<'}{layout['width']}}"

    def __str__(self):
        left_out = f" ({self.n_nan} NaN left out)" if self.n_nan else ""
        if self.n == 0:
            return f"- (all {self.n_nan} NaN)"
        return f"{self.mean:.3g} ± {self.std:.2g} over {self.n} {self.over}{left_out}"


def spread(values, over="seeds"):
    """Summarise a measurement over seeds: mean, standard deviation and range.

    Parameters
    ----------
    values : array_like of float
        One value per seed (any shape; all entries count). NaN values, such as
        the final loss of a run that diverged, are left out and counted in
        :attr:`Spread.n_nan`.
    over : str, default "seeds"
        What the values are of, for printing.

    Returns
    -------
    Spread

    Raises
    ------
    ValueError
        If there are no values, or one is infinite.
    TypeError
        If the values are not real numbers.

    Examples
    --------
    >>> s = spread([0.5, float("nan"), 0.7])
    >>> s.n, s.n_nan, round(s.mean, 3)
    (2, 1, 0.6)
    >>> print(s)
    0.6 ± 0.1 over 2 seeds (1 NaN left out)
    """
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"spread(): values must be real numbers, got {values!r}")
    array = array.astype(np.float64).ravel()
    if array.size == 0:
        raise ValueError("spread(): values must hold at least one number, got none")
    if np.isinf(array).any():
        raise ValueError(
            f"spread(): values must be finite or NaN, got {np.isinf(array).sum()} "
            "infinite"
        )
    finite = array[~np.isnan(array)]
    n_nan = array.size - finite.size
    if finite.size == 0:
        return Spread(math.nan, math.nan, math.nan, math.nan, 0, n_nan, over)
    return Spread(
        mean=float(finite.mean()),
        std=float(finite.std()),
        min=float(finite.min()),
        max=float(finite.max()),
        n=int(finite.size),
        n_nan=int(n_nan),
        over=str(over),
    )


def over_seeds(run, seeds):
    """Call ``run(seed)`` for each seed and stack the results, seeds first.

    Parameters
    ----------
    run : callable
        A function of one integer seed. It returns a number, an array, or a
        tuple or dict of them, with the same shapes for every seed.
    seeds : iterable of int
        Distinct non-negative integers, such as ``range(5)``. All are checked
        before the first call.

    Returns
    -------
    numpy.ndarray, tuple or dict
        Like what ``run`` returns, with a new first axis of length
        ``len(seeds)``: an array of shape ``(n_seeds, ...)``, or a tuple or
        dict of such arrays.

    Examples
    --------
    >>> over_seeds(lambda seed: 10 * seed, range(3))
    array([ 0, 10, 20])
    >>> first, second = over_seeds(lambda s: (s, [s, -s]), [1, 2])
    >>> second
    array([[ 1, -1],
           [ 2, -2]])
    """
    if not callable(run):
        raise TypeError(f"over_seeds(): run must be a function of a seed, got {run!r}")
    seeds = _check_seeds(seeds, "over_seeds")
    return _stack([run(seed) for seed in seeds], "over_seeds")


# Training over seeds.


@dataclass(frozen=True, repr=False)
class Run:
    """One trained network, with everything needed to look at it again.

    Attributes
    ----------
    seed : int
        The seed of its weights and of its mini-batch order.
    initial : actlib.nn.MLP
        A copy of the network before training.
    model : actlib.nn.MLP
        The network after training (or where training stopped, if it
        diverged).
    history : actlib.training.History
        What training measured, epoch by epoch.
    """

    seed: int
    initial: nn.MLP
    model: nn.MLP
    history: History

    @property
    def diverged(self):
        """Whether the loss became NaN or infinite during training."""
        return self.history.diverged_epoch is not None

    def __repr__(self):
        h = self.history
        if self.diverged:
            ending = f"diverged in epoch {h.diverged_epoch}"
        else:
            ending = f"final loss {h.loss[-1]:.4g}"
        return f"Run(seed={self.seed}, epochs={len(h.epoch) - 1}, {ending})"


def train_runs(
    activation,
    data,
    *,
    layer_sizes,
    epochs,
    seeds,
    optimizer=None,
    batch_size=32,
    loss="cross_entropy",
    val=None,
    **model_options,
):
    """Train the same network once per seed.

    For each seed: ``model = MLP(layer_sizes, activation, seed=seed,
    **model_options)``, then ``train(model, data, optimizer=<a fresh copy of
    optimizer>, epochs=epochs, batch_size=batch_size, seed=seed, loss=loss,
    val=val)``.

    Parameters
    ----------
    activation : str or Activation
        The hidden layers' activation, as in :class:`actlib.nn.MLP`.
    data : tuple (X, y)
        The training set: inputs of shape ``(n, layer_sizes[0])``, and labels
        (or targets, for ``loss="mse"``) of length ``n``.
    layer_sizes : sequence of int
        Widths from input to output, as in :class:`actlib.nn.MLP`.
    epochs : int
        Passes over the training set, at least 0 (0 measures the networks at
        initialisation only).
    seeds : iterable of int
        Distinct non-negative integers, such as ``range(5)``.
    optimizer : optimizer, optional
        A fresh optimizer, such as ``SGD(lr=0.3)`` or ``Adam(lr=0.01)``. Each
        run trains with its own copy (optimizers keep state), so this one is
        never used itself. Default ``SGD(lr=0.1)``.
    batch_size : int, default 32
    loss : {"cross_entropy", "mse"}, default "cross_entropy"
    val : tuple (X_val, y_val), optional
        A validation set, measured after every epoch.
    **model_options
        Further arguments of :class:`actlib.nn.MLP`: ``init``,
        ``bias_init``, or the activation's parameters such as ``alpha=0.1``.

    Returns
    -------
    list of Run
        One per seed, in the order of ``seeds``.

    Raises
    ------
    TypeError, ValueError
        For any bad argument, before any network is trained.

    Examples
    --------
    >>> from actlib import data
    >>> from actlib.training import Adam
    >>> X, y = data.moons(100, seed=0)
    >>> runs = train_runs("leaky_relu", (X, y), layer_sizes=[2, 8, 2],
    ...                   optimizer=Adam(lr=0.01), epochs=3, seeds=[0, 1],
    ...                   alpha=0.1)
    >>> runs
    [Run(seed=0, epochs=3, final loss 0.4409), Run(seed=1, epochs=3, final loss 0.4266)]
    >>> runs[0].history.loss.shape
    (4,)
    """
    fn = "train_runs"
    seeds = _check_seeds(seeds, fn)
    settings = _check_settings(fn, epochs, batch_size, loss, optimizer)
    jobs = _build(
        fn, activation, layer_sizes, seeds, settings["optimizer"], model_options
    )
    _dry_run(fn, jobs[0], data, val, settings)
    return [_train(job, data, val, settings) for job in jobs]


def final_values(runs):
    """The final measurements of each run, as arrays over the runs.

    Parameters
    ----------
    runs : list of Run
        As :func:`train_runs` returns them.

    Returns
    -------
    dict of str to numpy.ndarray
        Each of shape ``(len(runs),)``:

        - ``"loss"``, and ``"accuracy"`` for a classifier: on the training
          set, after the last epoch;
        - ``"dead_fraction"``: the fraction of all hidden units that are dead
          (each layer weighted by its width); NaN for a network without
          hidden layers;
        - ``"val_loss"``, ``"val_accuracy"``: if the runs had a validation
          set;
        - ``"diverged"`` (bool): whether the run diverged. Every other entry
          of a diverged run is NaN, so that :func:`spread` leaves it out.

    Examples
    --------
    >>> from actlib import data
    >>> X, y = data.moons(100, seed=0)
    >>> runs = train_runs("relu", (X, y), layer_sizes=[2, 8, 2], epochs=2,
    ...                   seeds=range(3))
    >>> values = final_values(runs)
    >>> sorted(values)
    ['accuracy', 'dead_fraction', 'diverged', 'loss']
    >>> values["accuracy"]
    array([0.82, 0.88, 0.78])
    """
    runs = _check_runs(runs, "final_values")
    diverged = np.array([run.diverged for run in runs])
    values = {"loss": [], "dead_fraction": []}
    for name in ("accuracy", "val_loss", "val_accuracy"):
        if getattr(runs[0].history, name) is not None:
            values[name] = []
    for run in runs:
        h = run.history
        widths = np.array(run.model.layer_sizes[1:-1], dtype=np.float64)
        dead = h.dead_fraction[-1] @ widths / widths.sum() if widths.size else np.nan
        values["dead_fraction"].append(dead)
        for name in values.keys() - {"dead_fraction"}:
            values[name].append(getattr(h, name)[-1])
    result = {}
    for name, column in values.items():
        array = np.array(column, dtype=np.float64)
        array[diverged] = np.nan
        result[name] = array
    result["diverged"] = diverged
    return dict(sorted(result.items()))


def collect(runs, field):
    """One measurement of every run's History, stacked, runs first.

    Parameters
    ----------
    runs : list of Run
        As :func:`train_runs` returns them, all trained for the same number
        of epochs.
    field : str
        A field of :class:`actlib.training.History` that holds an array
        (``"loss"``, ``"accuracy"``, ``"dead_fraction"``, ``"grad_norm"``,
        ``"sparsity"``...), or the name of a learned parameter in
        ``History.learned`` (PReLU's ``"alpha"``).

    Returns
    -------
    numpy.ndarray, shape (len(runs), epochs + 1, ...)
        Row 0 of the second axis is at initialisation, row -1 after the last
        epoch; a diverged run's rows after its divergence are NaN. A learned
        parameter has the hidden layers on the third axis: shape
        ``(len(runs), epochs + 1, n_hidden, ...)``.

    Examples
    --------
    >>> from actlib import data
    >>> X, y = data.moons(100, seed=0)
    >>> runs = train_runs("relu", (X, y), layer_sizes=[2, 8, 8, 2], epochs=2,
    ...                   seeds=range(3))
    >>> collect(runs, "dead_fraction").shape  # (seeds, epochs + 1, layers)
    (3, 3, 2)
    >>> runs = train_runs("prelu", (X, y), layer_sizes=[2, 8, 8, 2], epochs=2,
    ...                   seeds=range(3))
    >>> collect(runs, "alpha").shape  # (seeds, epochs + 1, layers, units)
    (3, 3, 2, 8)
    """
    runs = _check_runs(runs, "collect")
    history = runs[0].history
    arrays = [
        name for name, value in vars(history).items() if isinstance(value, np.ndarray)
    ]
    if field not in arrays and field not in history.learned:
        choices = ", ".join(arrays + list(history.learned))
        raise ValueError(f"collect(): field must be one of {choices}, got {field!r}")
    lengths = sorted({len(run.history.epoch) for run in runs})
    if len(lengths) > 1:
        raise ValueError(
            f"collect(): the runs have histories of different lengths, {lengths}"
        )
    if field in arrays:
        return np.array([getattr(run.history, field) for run in runs])
    try:
        return np.array([np.stack(run.history.learned[field], axis=1) for run in runs])
    except ValueError as err:
        raise ValueError(
            f"collect(): {field!r} has a different shape in different hidden "
            "layers; take them one by one from History.learned"
        ) from err


def epochs_to(history, threshold, metric="accuracy"):
    """The first epoch after which a metric reached a threshold.

    Parameters
    ----------
    history : actlib.training.History
    threshold : float
    metric : {"accuracy", "val_accuracy", "loss", "val_loss"}, default "accuracy"
        An accuracy reaches the threshold when it is at least the threshold,
        a loss when it is at most the threshold.

    Returns
    -------
    int or None
        The epoch (0 means already at initialisation), or None if the metric
        never reached the threshold (for example because the run diverged
        first).

    Examples
    --------
    >>> from actlib import data
    >>> X, y = data.moons(100, seed=0)
    >>> [run] = train_runs("relu", (X, y), layer_sizes=[2, 16, 2], epochs=10,
    ...                    seeds=[0])
    >>> run.history.accuracy.round(2)
    array([0.71, 0.79, 0.8 , 0.8 , 0.84, 0.86, 0.87, 0.87, 0.87, 0.87, 0.86])
    >>> epochs_to(run.history, 0.85), epochs_to(run.history, 0.99)
    (5, None)
    """
    if not isinstance(history, History):
        raise TypeError(
            f"epochs_to(): history must be a History, as train() returns, got "
            f"{type(history).__name__}"
        )
    threshold = _validation.real_parameter(threshold, "threshold", "epochs_to")
    series = _metric_series(history, metric, "epochs_to")
    with np.errstate(invalid="ignore"):
        reached = (
            series >= threshold
            if METRICS[metric] == "at least"
            else (series <= threshold)
        )
    epochs = np.flatnonzero(reached)
    return int(epochs[0]) if epochs.size else None


# Sweeps.


@dataclass(frozen=True, repr=False)
class Sweep:
    """The result of :func:`sweep`: one row per value, one column per seed.

    Attributes
    ----------
    param : str
        What was swept: ``"lr"`` or an option of the network (``"alpha"``).
    values : tuple of float
        The grid, in increasing order.
    seeds : tuple of int
    runs : dict of float to list of Run
        The runs for each value, in the order of ``seeds``.
    loss, accuracy, dead_fraction : numpy.ndarray, shape (n_values, n_seeds)
        Final values, as in :func:`final_values`: NaN where a run diverged.
        ``accuracy`` is None for ``loss="mse"``.
    diverged : numpy.ndarray of int, shape (n_values,)
        How many of the seeds diverged at each value.
    target, metric : float or None, str
        The threshold that :attr:`epochs` counts to, and its metric.
    epochs : numpy.ndarray, shape (n_values, n_seeds), or None
        With a ``target``: the epoch at which each run first reached it
        (:func:`epochs_to`), NaN if it did not.
    score : numpy.ndarray, shape (n_values,)
        Lower is better. With a target: the mean of :attr:`epochs`, a run that
        missed it counting as ``epochs + 1`` (so the mean is a lower bound
        when some run missed). Without: the mean final loss, infinite if any
        run diverged.
    best : float
        The value with the lowest score; a tie goes to the higher mean final
        accuracy, then to the smaller value.
    best_inside : bool
        Whether ``best`` lies strictly inside the grid, not at either end. If
        it is at an end, a better value may lie beyond.
    """

    param: str
    values: tuple
    seeds: tuple
    runs: dict
    loss: np.ndarray
    accuracy: np.ndarray | None
    dead_fraction: np.ndarray
    diverged: np.ndarray
    target: float | None
    metric: str
    epochs: np.ndarray | None
    score: np.ndarray
    best: float
    best_inside: bool

    def __repr__(self):
        return (
            f"Sweep({self.param} over {list(self.values)}, {len(self.seeds)} seeds, "
            f"best {self.param} = {self.best:g})"
        )

    def __str__(self):
        """A table: one row per value, over the seeds whose runs finished.

        For the accuracy (the loss of a regression) and the dead fraction:
        mean ± standard deviation (minimum-maximum); with a target, the mean
        epochs to it, ``>=`` if some run missed it.
        """
        measured = "accuracy" if self.accuracy is not None else "loss"
        columns = {
            measured: getattr(self, measured),
            "dead fraction": self.dead_fraction,
        }
        header = f"{self.param:>8}   diverged   "
        header += "".join(f"{name + ' (min-max)':29}" for name in columns)
        if self.epochs is not None:
            header += f"epochs to {self.target:g}"
        lines = [header.rstrip()]
        for i, value in enumerate(self.values):
            row = f"{value:>8g}   {self.diverged[i]:>2} of {len(self.seeds):<3}   "
            for table in columns.values():
                s = spread(table[i])
                shown = f"{s:.3f} ({s.min:.2f}-{s.max:.2f})" if s.n else "-"
                row += f"{shown:29}"
            if self.epochs is not None:
                missed = np.isnan(self.epochs[i]).any()
                row += f"{'>=' if missed else '  '}{self.score[i]:.2f}"
            lines.append(row.rstrip())
        lines.append(f"best {self.param}: {self.best:g}")
        return "\n".join(lines)


def sweep(
    param,
    values,
    activation,
    data,
    *,
    layer_sizes,
    epochs,
    seeds,
    optimizer=None,
    target=None,
    metric="accuracy",
    batch_size=32,
    loss="cross_entropy",
    val=None,
    **model_options,
):
    """Train over a grid of values of one setting, once per seed and value.

    Parameters
    ----------
    param : str
        ``"lr"``, the optimizer's learning rate, or an option of
        :class:`actlib.nn.MLP` that takes a number: ``"alpha"`` (Leaky ReLU's
        slope), ``"bias_init"``, ``"init"`` (as a standard deviation).
    values : sequence of float
        The grid: finite numbers in increasing order (and greater than 0 for
        ``"lr"``).
    activation, data, layer_sizes, epochs, seeds, batch_size, loss, val
        As in :func:`train_runs`.
    optimizer : optimizer, optional
        As in :func:`train_runs`; for ``param="lr"``, each value replaces its
        learning rate. Default plain SGD.
    target : float, optional
        A threshold of ``metric`` to count the epochs to (:func:`epochs_to`);
        the best value is then the one that gets there fastest.
    metric : {"accuracy", "val_accuracy", "loss", "val_loss"}, default "accuracy"
    **model_options
        Fixed options of :class:`actlib.nn.MLP`, as in :func:`train_runs`.

    Returns
    -------
    Sweep

    Raises
    ------
    TypeError, ValueError
        For any bad argument or value in the grid, before any network is
        trained.

    Examples
    --------
    >>> from actlib import data
    >>> X, y = data.moons(100, seed=0)
    >>> s = sweep("lr", [0.01, 0.3, 10.0], "relu", (X, y),
    ...           layer_sizes=[2, 16, 2], epochs=5, seeds=range(2))
    >>> s.best, s.best_inside
    (0.3, True)
    >>> s.accuracy.shape
    (3, 2)
    """
    fn = "sweep"
    seeds = _check_seeds(seeds, fn)
    settings = _check_settings(fn, epochs, batch_size, loss, optimizer)
    if not isinstance(param, str):
        raise TypeError(f"sweep(): param must be a name such as 'lr', got {param!r}")
    if param in model_options:
        raise ValueError(
            f"sweep(): {param!r} is the swept param; do not also fix it as an option"
        )
    values = _check_grid(values, param)
    target = (
        None if target is None else _validation.real_parameter(target, "target", fn)
    )
    _validation.choice_parameter(metric, "metric", fn, tuple(METRICS))
    if metric.startswith("val_") and val is None:
        raise ValueError(f"sweep(): metric {metric!r} needs a validation set, val")
    if metric.endswith("accuracy") and loss == "mse" and target is not None:
        raise ValueError(f"sweep(): a regression (loss='mse') has no {metric}")
    jobs = {}
    for i, value in enumerate(values):
        optimizer = settings["optimizer"]
        options = dict(model_options)
        if param == "lr":
            optimizer = copy.deepcopy(optimizer)
            optimizer.lr = value
        else:
            options[param] = value
        context = f"values[{i}] = {value!r}: "
        jobs[value] = _build(
            fn, activation, layer_sizes, seeds, optimizer, options, context
        )
    _dry_run(fn, jobs[values[0]][0], data, val, settings)
    runs = {
        value: [_train(job, data, val, settings) for job in jobs[value]]
        for value in values
    }
    return _summarise(param, values, seeds, runs, target, metric, settings["epochs"])


def _summarise(param, values, seeds, runs, target, metric, epochs):
    """Fill a Sweep from its runs."""
    finals = [final_values(runs[value]) for value in values]
    table = {
        name: np.array([f[name] for f in finals]) if name in finals[0] else None
        for name in ("loss", "accuracy", "dead_fraction", "diverged")
    }
    diverged = table["diverged"].sum(axis=1)
    accuracy = table["accuracy"]
    if target is None:
        steps = None
        score = np.where(table["diverged"], np.inf, table["loss"]).mean(axis=1)
    else:

        def reached(run):
            epoch = epochs_to(run.history, target, metric)
            return np.nan if epoch is None else epoch

        steps = np.array([[reached(run) for run in runs[value]] for value in values])
        score = np.where(np.isnan(steps), epochs + 1, steps).mean(axis=1)
    if accuracy is None:
        tie = np.zeros(len(values))
    else:
        tie = np.nan_to_num(accuracy, nan=0.0).mean(axis=1)
    best = min(range(len(values)), key=lambda i: (score[i], -tie[i], i))
    return Sweep(
        param=param,
        values=values,
        seeds=seeds,
        runs=runs,
        loss=table["loss"],
        accuracy=accuracy,
        dead_fraction=table["dead_fraction"],
        diverged=diverged,
        target=target,
        metric=metric,
        epochs=steps,
        score=score,
        best=values[best],
        best_inside=0 < best < len(values) - 1,
    )


# Deep random networks at initialisation.


def through_depth(
    activation, depth, width, *, seeds, init="he", n_samples=200, inputs=None
):
    r"""The signal and the gradient, layer by layer, through a deep random network.

    For each seed, a generator ``rng = np.random.default_rng(seed)`` draws, in
    this order: the inputs, of shape ``(n_samples, width)``; the weights of a
    bias-free :class:`actlib.nn.MLP` of ``depth`` layers of ``width`` units
    (``MLP([width] * (depth + 1), activation, init=init, seed=rng)``, whose
    last layer is linear, like an output layer); and a random standard-normal
    :math:`\partial L / \partial\,\text{output}`, which one backward pass
    takes down through the layers.

    Parameters
    ----------
    activation : str or Activation
    depth : int
        Number of layers with weights, at least 1.
    width : int
        Units per layer, and the input dimension, at least 1.
    seeds : iterable of int
    init : {"he", "xavier", "lecun"} or float, default "he"
        As in :class:`actlib.nn.MLP`; a number is the weights' standard
        deviation.
    n_samples : int, default 200
    inputs : callable, optional
        ``inputs(rng, shape)`` draws the inputs with the generator it is
        given, for example ``lambda rng, shape: 1 + rng.standard_normal(shape)``.
        Standard normal by default.

    Returns
    -------
    dict of str to numpy.ndarray
        Each of shape ``(n_seeds, depth)``; column :math:`l - 1` is layer
        :math:`l`:

        - ``"z_std"``, ``"z_var"``: standard deviation and variance of the
          pre-activations :math:`z^{(l)}`, over samples and units;
        - ``"a_mean"``, ``"a_var"``: mean and variance of :math:`f(z^{(l)})`
          (for the last layer too, as if another layer followed);
        - ``"bias_grad_norm"``: the norm of :math:`\partial L / \partial
          b^{(l)}`, that is of :math:`\partial L / \partial z^{(l)}` summed
          over the samples.

    Notes
    -----
    To see how fast a quantity grows per layer, fit a line to its logarithm:
    ``np.polyfit(np.arange(1, depth + 1), np.log(z_std), 1)[0]`` for each
    seed.

    Examples
    --------
    He initialisation keeps a ReLU network's signal about the same size:

    >>> stats = through_depth("relu", 10, 64, seeds=range(3))
    >>> stats["z_std"].shape
    (3, 10)
    >>> bool(np.all(np.abs(np.log(stats["z_std"][:, -1] / stats["z_std"][:, 0])) < 1))
    True
    """
    fn = "through_depth"
    seeds = _check_seeds(seeds, fn)
    depth = _validation.count_parameter(depth, "depth", fn)
    width = _validation.count_parameter(width, "width", fn)
    n_samples = _validation.count_parameter(n_samples, "n_samples", fn)
    if inputs is not None and not callable(inputs):
        raise TypeError(
            f"through_depth(): inputs must be a function inputs(rng, shape), got "
            f"{inputs!r}"
        )
    try:  # builds one network now, so a bad activation or init fails at once
        nn.MLP([width] * (depth + 1), activation, init=init)
    except (TypeError, ValueError) as err:
        raise type(err)(f"through_depth(): {err}") from err

    def one(seed):
        rng = np.random.default_rng(seed)
        shape = (n_samples, width)
        X = rng.standard_normal(shape) if inputs is None else inputs(rng, shape)
        X = np.asarray(X, dtype=np.float64)
        if X.shape != shape:
            raise ValueError(
                f"through_depth(): inputs(rng, shape) must return shape {shape}, "
                f"got {X.shape}"
            )
        model = nn.MLP([width] * (depth + 1), activation, init=init, seed=rng)
        output = model.forward(X)
        grads = model.backward(rng.standard_normal(output.shape))
        Z = model.cache.Z
        A = [*model.cache.hidden_activations, model.activation(Z[-1])]
        return {
            "z_std": [z.std() for z in Z],
            "z_var": [z.var() for z in Z],
            "a_mean": [a.mean() for a in A],
            "a_var": [a.var() for a in A],
            "bias_grad_norm": [np.linalg.norm(g["b"]) for g in grads],
        }

    return over_seeds(one, seeds)


# Looking inside one network.


def gradient(model, data, loss="cross_entropy"):
    """The gradient of the loss on a whole data set, in one forward and backward pass.

    Parameters
    ----------
    model : actlib.nn.MLP
    data : tuple (X, y)
    loss : {"cross_entropy", "mse"}, default "cross_entropy"

    Returns
    -------
    list of dict of numpy.ndarray
        Laid out like ``model.params``, as :meth:`actlib.nn.MLP.backward`
        returns it. ``model.cache`` holds this forward pass afterwards.

    Examples
    --------
    >>> model = nn.MLP([2, 3, 2], seed=0)
    >>> grads = gradient(model, (np.ones((4, 2)), [0, 1, 1, 0]))
    >>> [sorted(layer) for layer in grads]
    [['W', 'b'], ['W', 'b']]
    """
    _validation.choice_parameter(loss, "loss", "gradient", tuple(nn.LOSSES))
    X, y = _pair(data, "data", "gradient")
    _, dout = nn.LOSSES[loss](model.forward(X), y)
    return model.backward(dout)


def unit_grad_norms(grads):
    r"""For each hidden unit, the norm of the gradient of its own parameters.

    Unit :math:`j` of hidden layer :math:`l` owns column :math:`j` of
    :math:`W_l`, its bias :math:`b_{l,j}` and, in a PReLU network with one
    slope per unit, its slope :math:`\alpha_{l,j}`:

    .. math::

        g_{l,j} = \Bigl(\sum_i \bigl(\partial L/\partial W_{l,ij}\bigr)^2
        + \bigl(\partial L/\partial b_{l,j}\bigr)^2
        + \bigl(\partial L/\partial \alpha_{l,j}\bigr)^2\Bigr)^{1/2}.

    Parameters
    ----------
    grads : list of dict of numpy.ndarray
        As :func:`gradient` returns it.

    Returns
    -------
    list of numpy.ndarray
        One per hidden layer (the output layer is left out), of shape
        ``(width,)``.

    Examples
    --------
    >>> grads = [{"W": np.array([[3.0, 0.0]]), "b": np.array([4.0, 0.0])},
    ...          {"W": np.ones((2, 1)), "b": np.ones(1)}]
    >>> unit_grad_norms(grads)
    [array([5., 0.])]
    """
    norms = []
    for layer in grads[:-1]:
        squares = np.sum(layer["W"] ** 2, axis=0) + layer["b"] ** 2
        if np.ndim(layer.get("alpha")) == 1:
            squares += layer["alpha"] ** 2
        norms.append(np.sqrt(squares))
    return norms


def dead_masks(model, X):
    """Which hidden units are dead on ``X`` (:func:`actlib.diagnostics.dead_units`).

    Parameters
    ----------
    model : actlib.nn.MLP
    X : array_like, shape (n_samples, layer_sizes[0])

    Returns
    -------
    list of numpy.ndarray of bool
        One per hidden layer, of shape ``(width,)``: True where the unit's
        pre-activation is at most 0 on every row of ``X``. ``model.cache``
        holds this forward pass afterwards.

    Examples
    --------
    >>> model = nn.MLP([1, 2, 1], init=1.0, bias_init=-5.0, seed=0)
    >>> dead_masks(model, [[0.0], [1.0]])
    [array([ True,  True])]
    """
    model.forward(X)
    return [diagnostics.dead_units(Z) for Z in model.cache.hidden_pre_activations]


# One run, step by step.


@dataclass(frozen=True)
class StepTrace:
    """One training run, step by step (see :func:`step_trace`).

    Attributes
    ----------
    grad_norms : numpy.ndarray
        The global norm of each step's gradient, before any clipping.
    step_lengths : numpy.ndarray
        The global norm of the change each step made to the parameters.
    history : History
        What :func:`~actlib.training.train` recorded, epoch by epoch.
    """

    grad_norms: np.ndarray
    step_lengths: np.ndarray
    history: History


def step_trace(model, data, *, optimizer, epochs, batch_size=32, seed=0, **options):
    r"""Train ``model`` as :func:`~actlib.training.train` does, and record every step.

    For step :math:`t`, with gradient :math:`g_t` and parameters
    :math:`\theta_t`: the gradient's global norm :math:`\lVert g_t \rVert`,
    before the optimizer clips it, and the step length
    :math:`\lVert \theta_{t+1} - \theta_t \rVert`. With plain SGD that is
    :math:`\eta \min(\lVert g_t \rVert, c)` for a clipping norm :math:`c`.

    Parameters
    ----------
    model, data, optimizer, epochs, batch_size, seed
        As for :func:`~actlib.training.train`, which does the training: the
        same mini-batches, and the same stop at the first non-finite loss.
    **options
        More arguments of :func:`~actlib.training.train` (``loss``, ``val``).

    Returns
    -------
    StepTrace
        Its arrays have one entry per step taken. ``optimizer`` is advanced
        as :func:`~actlib.training.train` would advance it.

    Examples
    --------
    >>> X = np.linspace(-1, 1, 8).reshape(-1, 1)
    >>> trace = step_trace(nn.MLP([1, 4, 1], seed=0), (X, X), loss="mse",
    ...                    optimizer=SGD(lr=0.1, clip_norm=0.5), epochs=2,
    ...                    batch_size=4)
    >>> len(trace.grad_norms), bool(np.all(trace.step_lengths <= 0.05 + 1e-12))
    (4, True)
    """
    recorder = _Recorder(optimizer)
    history = train(
        model,
        data,
        optimizer=recorder,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        **options,
    )
    optimizer.epochs = recorder.epochs
    return StepTrace(
        np.array(recorder.grad_norms), np.array(recorder.step_lengths), history
    )


class _Recorder(Optimizer):
    """Steps with another optimizer, and records each step's size (step_trace)."""

    def __init__(self, optimizer):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                "step_trace(): optimizer must be an Optimizer, such as "
                f"SGD(lr=0.1), got {optimizer!r}"
            )
        self.inner, self.epochs = optimizer, optimizer.epochs
        self.grad_norms, self.step_lengths = [], []

    def check_params(self, params):
        self.inner.check_params(params)

    def step(self, params, grads):
        self.grad_norms.append(np.linalg.norm(diagnostics.layer_grad_norms(grads)))
        before = [p.copy() for layer in params for p in layer.values()]
        self.inner.step(params, grads)
        after = [p for layer in params for p in layer.values()]
        squares = sum(np.sum((a - b) ** 2) for a, b in zip(after, before, strict=True))
        self.step_lengths.append(np.sqrt(squares))


# Argument checks, all made before anything is trained.


def _check_seeds(seeds, fn):
    """The seeds as a tuple of distinct non-negative ints."""
    if isinstance(seeds, numbers.Integral | np.random.Generator):
        raise TypeError(
            f"{fn}(): seeds must be several integers, such as range(5), got {seeds!r}"
        )
    try:
        seeds = tuple(seeds)
    except TypeError:
        raise TypeError(
            f"{fn}(): seeds must be several integers, such as range(5), got {seeds!r}"
        ) from None
    if not seeds:
        raise ValueError(f"{fn}(): seeds must hold at least one seed, got none")
    for i, seed in enumerate(seeds):
        if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral):
            raise TypeError(f"{fn}(): seeds[{i}] must be an integer, got {seed!r}")
        if seed < 0:
            raise ValueError(f"{fn}(): seeds[{i}] must be at least 0, got {seed}")
    seeds = tuple(int(seed) for seed in seeds)
    repeated = sorted({seed for seed in seeds if seeds.count(seed) > 1})
    if repeated:
        raise ValueError(f"{fn}(): seeds must be distinct; repeated: {repeated}")
    return seeds


def _check_settings(fn, epochs, batch_size, loss, optimizer):
    """The training settings shared by every run, checked."""
    if optimizer is None:
        optimizer = SGD(lr=0.1)
    elif not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"{fn}(): optimizer must be an optimizer such as SGD(lr=0.1), got "
            f"{optimizer!r}"
        )
    elif optimizer.steps or optimizer.epochs or optimizer.state is not None:
        raise ValueError(
            f"{fn}(): optimizer has taken steps already; pass a fresh one, such as "
            f"{type(optimizer).__name__}(lr={getattr(optimizer, 'lr', '...')})"
        )
    return {
        "epochs": _validation.count_parameter(epochs, "epochs", fn, minimum=0),
        "batch_size": _validation.count_parameter(batch_size, "batch_size", fn),
        "loss": _validation.choice_parameter(loss, "loss", fn, tuple(nn.LOSSES)),
        "optimizer": optimizer,
    }


def _check_grid(values, param):
    """The sweep's values as a tuple of increasing finite floats."""
    if isinstance(values, str | numbers.Number):
        raise TypeError(f"sweep(): values must be several numbers, got {values!r}")
    try:
        values = tuple(values)
    except TypeError:
        raise TypeError(
            f"sweep(): values must be several numbers, got {values!r}"
        ) from None
    if not values:
        raise ValueError("sweep(): values must hold at least one value, got none")
    check = (
        _validation.positive_parameter
        if param == "lr"
        else (_validation.real_parameter)
    )
    values = tuple(check(v, f"values[{i}]", "sweep") for i, v in enumerate(values))
    for i in range(1, len(values)):
        if values[i] <= values[i - 1]:
            raise ValueError(
                f"sweep(): values must increase; values[{i}] = {values[i]:g} "
                f"follows {values[i - 1]:g}"
            )
    return values


def _build(fn, activation, layer_sizes, seeds, optimizer, options, context=""):
    """One (seed, network, optimizer) per seed; a bad option fails here."""
    jobs = []
    for seed in seeds:
        try:
            model = nn.MLP(layer_sizes, activation, seed=seed, **options)
        except (TypeError, ValueError) as err:
            raise type(err)(f"{fn}(): {context}{err}") from err
        jobs.append((seed, model, copy.deepcopy(optimizer)))
    return jobs


def _pair(data, name, fn):
    """``data`` as two arrays (X, y)."""
    if not isinstance(data, tuple | list) or len(data) != 2:
        raise TypeError(
            f"{fn}(): {name} must be a pair (X, y), got {type(data).__name__}"
        )
    X, y = data
    return np.asarray(X, dtype=np.float64), np.asarray(y)


def _dry_run(fn, job, data, val, settings):
    """Check the data against the first network, by training a copy for 0 epochs.

    :func:`actlib.training.train` checks every argument before it changes
    anything; with ``epochs=0`` it only measures. Its message gets our name.
    """
    seed, model, optimizer = job
    try:
        train(
            copy.deepcopy(model),
            data,
            optimizer=copy.deepcopy(optimizer),
            epochs=0,
            batch_size=settings["batch_size"],
            seed=seed,
            loss=settings["loss"],
            val=val,
        )
    except (TypeError, ValueError) as err:
        raise type(err)(f"{fn}(): {str(err).removeprefix('train(): ')}") from err


def _check_runs(runs, fn):
    """``runs`` as a non-empty list of Run."""
    runs = [] if isinstance(runs, Run) else list(runs)
    if not runs or not all(isinstance(run, Run) for run in runs):
        raise TypeError(
            f"{fn}(): runs must be a non-empty list of Run, as train_runs returns"
        )
    return runs


def _metric_series(history, metric, fn):
    _validation.choice_parameter(metric, "metric", fn, tuple(METRICS))
    series = getattr(history, metric)
    if series is None:
        raise ValueError(
            f"{fn}(): this history has no {metric!r}: "
            + (
                "train with val=(X_val, y_val)"
                if metric.startswith("val_")
                else "a regression (loss='mse') has no accuracy"
            )
        )
    return series


def _train(job, data, val, settings):
    """Train one network of a job list; return its Run."""
    seed, model, optimizer = job
    initial = copy.deepcopy(model)
    history = train(
        model,
        data,
        optimizer=optimizer,
        epochs=settings["epochs"],
        batch_size=settings["batch_size"],
        seed=seed,
        loss=settings["loss"],
        val=val,
    )
    return Run(seed=seed, initial=initial, model=model, history=history)


def _stack(results, fn):
    """Stack a list of per-seed results along a new first axis."""
    first = results[0]
    if isinstance(first, tuple):
        return tuple(_stack(list(parts), fn) for parts in zip(*results, strict=True))
    if isinstance(first, dict):
        return {key: _stack([r[key] for r in results], fn) for key in first}
    try:
        return np.array([np.asarray(r) for r in results])
    except ValueError as err:
        shapes = sorted({np.shape(r) for r in results})
        raise ValueError(
            f"{fn}(): run returned different shapes for different seeds: {shapes}"
        ) from err
