"""Figures of the experiments, whose results vary from seed to seed.

- :func:`plot_history` draws a measurement of training, such as the loss or
  the fraction of dead units, against the epoch: its mean over several seeds,
  in a band that shows their spread;
- :func:`plot_layers` draws one number per layer, as bars, or as a heatmap of
  layers against epochs;
- :func:`plot_decision_boundary` draws the regions a classifier assigns to
  each class, with the data on top;
- :func:`plot_variance_through_depth` draws the variance of the
  pre-activations layer by layer, on a log scale;
- :func:`plot_sweep` draws a final result against the value of a swept
  setting, such as the learning rate: its mean over seeds, in a band.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator, NullLocator

from actlib import _validation
from actlib.plotting.style import BACKGROUND, INK, PALETTE, house_style
from actlib.training import History

#: The measurements of a :class:`~actlib.training.History` that
#: :func:`plot_history` draws, with the name each goes by on the axes.
METRICS = {
    "loss": "training loss",
    "accuracy": "training accuracy",
    "val_loss": "validation loss",
    "val_accuracy": "validation accuracy",
    "dead_fraction": "dead fraction",
    "grad_norm": "gradient norm",
    "activation_mean": "activation mean",
    "activation_std": "activation std",
    "sparsity": "sparsity",
}

#: The bands :func:`plot_history` draws around the mean over seeds, as its
#: title names them.
BANDS = {"std": "mean ± std", "range": "mean and range", None: "mean"}

#: The marker of each class in :func:`plot_decision_boundary`, one per colour,
#: so that the classes differ in shape as well as in colour.
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]

#: The opacity of a shaded band, or of a class region.
SHADE = 0.25


def plot_history(
    histories,
    metric="loss",
    ax=None,
    label=None,
    color=None,
    band="std",
    log=False,
    *,
    layer=None,
):
    """Plot a measurement of training against the epoch: mean over seeds, and spread.

    ``histories`` are runs of one configuration that differ only in their
    seeds. At each epoch the function takes the mean over the runs and draws
    it as a line, in a shaded band that shows how far the runs spread. Call it
    again on the same axes, with another ``label``, to compare configurations
    (ReLU against Leaky ReLU, say): each call takes the next colour.

    Parameters
    ----------
    histories : sequence of actlib.training.History
        One history per seed, all of the same length (the same number of
        epochs), as :func:`actlib.training.train` returns them.
    metric : str, default "loss"
        The measurement to draw, a key of :data:`METRICS`: ``"loss"``,
        ``"accuracy"``, ``"val_loss"``, ``"val_accuracy"``, or one of the
        per-layer measurements ``"dead_fraction"``, ``"grad_norm"``,
        ``"activation_mean"``, ``"activation_std"`` and ``"sparsity"``; or
        the name of a learned parameter of the activation, a key of
        ``History.learned`` (PReLU's ``"alpha"``), which is per layer too and
        is drawn as the mean over the layer's units.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. By default, a new figure.
    label : str, optional
        The legend entry of this configuration. By default, none.
    color : color, optional
        The colour of the line and the band. By default, the next colour of
        :data:`PALETTE` after the lines this function already drew on ``ax``.
    band : {"std", "range", None}, default "std"
        The band: from mean - std to mean + std, from the smallest to the
        largest run (``"range"``), or no band.
    log : bool, default False
        Whether to draw the y-axis on a log scale.
    layer : int, optional
        For a per-layer measurement, which layer to draw, numbered as in
        :mod:`actlib.nn`: 0 is the first hidden layer, and -1 the last column
        of the array (for ``"grad_norm"``, the output layer). Required for a
        per-layer measurement.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. The mean is the line with ``gid`` ``"mean"``, the
        band the collection with ``gid`` ``"band"``, and each dotted vertical
        line with ``gid`` ``"diverged"`` marks the epoch in which a run
        diverged.

    Raises
    ------
    TypeError
        If ``histories`` is a single history rather than a list of them.
    ValueError
        If ``metric`` is unknown or was not measured (the validation loss of
        a run without a validation set), if ``layer`` is missing for a
        per-layer measurement, or if ``band`` is unknown.

    Notes
    -----
    One rule decides which runs count: at each epoch, the mean and the band
    are taken over the runs whose value there is finite. A run that diverged
    (see :class:`actlib.training.History`) has NaN rows after its divergence,
    so from then on the line is the mean of the runs that survived, rather
    than NaN for all of them. The survivors are the better-behaved runs, so
    the line can jump where a run drops out: the dotted lines mark those
    epochs, and the legend entry says how many runs diverged.

    There is no mean over layers: the gradient norms of layers of different
    sizes do not average into anything meaningful. A learned parameter, with
    one value per unit, is averaged over the units of its layer first, then
    over the seeds. Draw each layer you want,
    or all of them at once with :func:`plot_layers`.

    The standard deviation is numpy's default, with divisor the number of
    runs. On a log scale, mean - std can come close to 0 or below it, and
    the band then reaches far down; ``band="range"`` suits a log scale better.

    Examples
    --------
    >>> from actlib import data, nn
    >>> from actlib.training import SGD, train
    >>> X, y = data.moons(100, seed=0)
    >>> def run(activation, seed):
    ...     model = nn.MLP([2, 8, 2], activation=activation, seed=seed)
    ...     return train(model, (X, y), optimizer=SGD(lr=0.1), epochs=5, seed=seed)
    >>> ax = plot_history([run("relu", seed) for seed in range(3)], label="ReLU")
    >>> ax = plot_history([run("leaky_relu", seed) for seed in range(3)],
    ...                   ax=ax, label="Leaky ReLU")
    >>> ax.get_title(), ax.get_legend_handles_labels()[1]
    ('Training loss: mean ± std over seeds', ['ReLU', 'Leaky ReLU'])
    """
    if isinstance(histories, History):
        raise TypeError(
            "plot_history() expects a list of histories, one per seed, got one "
            "History; for a single run, pass [history]"
        )
    histories = list(histories)
    runs, name = _history_runs(histories, metric, layer)
    if band is not None:
        _validation.choice_parameter(band, "band", "plot_history", ("std", "range"))
    diverged = [h.diverged_epoch for h in histories if h.diverged_epoch is not None]
    if diverged:
        note = f"{len(diverged)} of {len(histories)} seeds diverged"
        label = f"{label} ({note})" if label else note
    with house_style():
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        if color is None:
            means = [line for line in ax.get_lines() if line.get_gid() == "mean"]
            color = PALETTE[len(means) % len(PALETTE)]
        _plot_mean_and_band(
            ax, histories[0].epoch, runs, band, color=color, label=label
        )
        for epoch in diverged:
            ax.axvline(epoch, color=color, linestyle=":", linewidth=1.5, gid="diverged")
        if log:
            ax.set_yscale("log")
        _integer_ticks(ax.xaxis)
        ax.set_title(f"{_capitalised(name)}: {BANDS[band]} over seeds")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        _legend_if_labelled(ax)
    return ax


def plot_layers(
    values, ax=None, labels=None, log=False, kind="bar", *, quantity="value"
):
    """Plot one number per layer: as bars, or as a heatmap of layers against epochs.

    ``kind="bar"`` draws one bar per layer, and groups the bars of several
    configurations side by side, one colour each: the gradient norm of each
    layer for several activations, say. ``kind="heatmap"`` draws a
    measurement through training, one row of cells per layer and one column
    per epoch, with a colour bar: the dead fraction of each layer, say.

    Either way the last axis of ``values`` runs over the layers, as in the
    arrays of :class:`actlib.training.History`, so that
    ``plot_layers(history.dead_fraction, kind="heatmap")`` and
    ``plot_layers(history.grad_norm[-1])`` both work.

    Parameters
    ----------
    values : array_like
        For ``kind="bar"``: shape (n_layers,) for one configuration, or
        (n_configurations, n_layers) for several, at most one per colour of
        :data:`PALETTE`. For ``kind="heatmap"``: shape (n_epochs, n_layers),
        row :math:`e` being epoch :math:`e`.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. By default, a new figure.
    labels : sequence of str, optional
        For ``kind="bar"``, the legend entry of each configuration. By
        default, no legend. A heatmap shows one configuration, and has none.
    log : bool, default False
        Whether to use a log scale: for the bar heights, or for the colours
        of the heatmap.
    kind : {"bar", "heatmap"}, default "bar"
        What to draw.
    quantity : str, default "value"
        What the values measure, such as ``"gradient norm"``: the label of the
        y-axis (of the colour bar, for a heatmap) and the start of the title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. The bars of configuration :math:`i` are
        ``ax.containers[i]``; the heatmap is ``ax.images[0]``, and its colour
        bar ``ax.images[0].colorbar``.

    Raises
    ------
    ValueError
        If ``kind`` is unknown; for bars, if ``values`` has more than two
        dimensions, ``labels`` has the wrong length, or there are more
        configurations than colours.

    Notes
    -----
    The heatmap is drawn with viridis, whose colours run from dark to light
    and stay distinct for colour-blind readers and in greyscale. A cell whose
    value is NaN (after a run diverged) or, on a log scale, not positive, is
    left white.

    Examples
    --------
    >>> ax = plot_layers([[1.0, 0.5, 0.1], [1.0, 0.9, 0.8]],
    ...                  labels=["ReLU", "Leaky ReLU"], quantity="gradient norm")
    >>> [float(bar.get_height()) for bar in ax.containers[1]]
    [1.0, 0.9, 0.8]
    >>> ax = plot_layers([[0.0, 0.0], [0.1, 0.0], [0.2, 0.1]], kind="heatmap",
    ...                  quantity="dead fraction")
    >>> ax.images[0].get_array().shape  # layers x epochs
    (2, 3)
    """
    _validation.choice_parameter(kind, "kind", "plot_layers", ("bar", "heatmap"))
    values = np.asarray(values, dtype=np.float64)
    if kind == "bar":
        return _layer_bars(values, ax, labels, log, quantity)
    return _layer_heatmap(values, ax, log, quantity)


def plot_decision_boundary(model, X, y, ax=None, resolution=200, padding=0.5):
    """Plot the class a classifier predicts all over the plane, with the data on top.

    ``model.predict`` is evaluated on a grid that covers the data with a
    margin of ``padding`` on every side. Each class's region is filled with a
    light tint of its colour and outlined in dark grey. The data points go on
    top, each class in its colour and with a marker shape of its own, so that
    the figure reads in greyscale too.

    Parameters
    ----------
    model : object with a ``predict`` method
        ``model.predict(points)`` takes an array of shape (n, 2) and returns
        one class label per row, as :meth:`actlib.nn.MLP.predict` does.
    X : array_like, shape (n_samples, 2)
        The data points.
    y : array_like of int, shape (n_samples,)
        Their classes, from 0 to 6: one colour of :data:`PALETTE` and one
        marker of :data:`MARKERS` each.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. By default, a new figure.
    resolution : int, default 200
        The number of grid points along each axis.
    padding : float, default 0.5
        The margin around the data, in the units of ``X``.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. Told apart by their ``gid``: the filled region of
        each predicted class (``"region"``), the outline of each
        (``"boundary"``), and the points of each class in ``y`` (``"data"``),
        each in the order of the classes.

    Raises
    ------
    ValueError
        If ``X`` is not of shape (n_samples, 2), or if ``y`` or what
        ``model.predict`` returns are not classes 0 to 6 (probabilities, say).

    Examples
    --------
    >>> from actlib import data, nn
    >>> from actlib.training import SGD, train
    >>> X, y = data.moons(100, seed=0)
    >>> model = nn.MLP([2, 16, 2], seed=0)
    >>> history = train(model, (X, y), optimizer=SGD(lr=0.1), epochs=10, seed=0)
    >>> ax = plot_decision_boundary(model, X, y, resolution=50)
    >>> ax.get_legend_handles_labels()[1]
    ['class 0', 'class 1']
    """
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"plot_decision_boundary(): X must have shape (n_samples, 2), got {X.shape}"
        )
    _check_classes(y, "y")
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    x1, x2 = np.meshgrid(
        np.linspace(low[0], high[0], resolution),
        np.linspace(low[1], high[1], resolution),
    )
    predicted = np.asarray(model.predict(np.column_stack([x1.ravel(), x2.ravel()])))
    _check_classes(predicted, "model.predict()")
    predicted = predicted.reshape(x1.shape)
    with house_style():
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        # One class at a time, so that no sliver of a third class's colour
        # appears where two others meet. Each boundary is outlined from both
        # of its sides, on the same grid, so the two lines coincide.
        for k in np.unique(predicted):
            inside = (predicted == k).astype(np.float64)
            ax.contourf(
                x1, x2, inside, levels=[0.5, 1.5], colors=[PALETTE[k]], alpha=SHADE
            ).set_gid("region")
            ax.contour(
                x1, x2, inside, levels=[0.5], colors=[INK], linewidths=1
            ).set_gid("boundary")
        for k in np.unique(y):
            ax.scatter(
                *X[y == k].T,
                marker=MARKERS[k],
                color=PALETTE[k],
                edgecolors=BACKGROUND,
                linewidths=0.5,
                label=f"class {k}",
                gid="data",
            )
        ax.grid(False)  # the regions and the boundaries are the guides here
        ax.set_title("Decision boundary")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.legend()
    return ax


def plot_variance_through_depth(variances, ax=None, labels=None):
    r"""Plot the variance of the pre-activations layer by layer, on a log scale.

    One line per configuration (He against LeCun initialisation, say), each
    in its own colour. Given several seeds of a configuration, the line is
    their mean, in a band from the smallest to the largest.

    Parameters
    ----------
    variances : list of array_like
        One entry per configuration, at most one per colour of
        :data:`PALETTE`. Each entry is either the variance of each layer,
        shape (depth,), as :func:`actlib.diagnostics.variance_through_depth`
        returns it, or one such row per seed, shape (n_seeds, depth).
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. By default, a new figure.
    labels : sequence of str, optional
        The legend entry of each configuration. By default, no legend.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. Each configuration's line has ``gid`` ``"mean"``
        and, for several seeds, its band ``gid`` ``"band"``, in the order of
        ``variances``.

    Raises
    ------
    TypeError
        If ``variances`` is an array rather than a list of configurations.
    ValueError
        If an entry has neither one nor two dimensions, ``labels`` has the
        wrong length, or there are more configurations than colours.

    Notes
    -----
    Layer :math:`l` runs from 1 to the depth, so that the point at :math:`l`
    is :math:`\operatorname{Var}[z^{(l)}]`, as in
    :func:`actlib.diagnostics.variance_through_depth`.

    The band spans the range over the seeds rather than the mean :math:`\pm`
    one standard deviation, whose lower edge can be negative and cannot be
    drawn on a log scale.

    Examples
    --------
    >>> from actlib import diagnostics
    >>> he, lecun = (diagnostics.variance_through_depth(10, 32, init=init)
    ...              for init in ("he", "lecun"))
    >>> ax = plot_variance_through_depth([he, lecun], labels=["He", "LeCun"])
    >>> ax.get_yscale(), ax.get_legend_handles_labels()[1]
    ('log', ['He', 'LeCun'])
    """
    if isinstance(variances, np.ndarray):
        raise TypeError(
            "plot_variance_through_depth() expects a list with one entry per "
            "configuration, got an array; for one configuration, pass [variances]"
        )
    configurations = [np.asarray(v, dtype=np.float64) for v in variances]
    for runs in configurations:
        if runs.ndim not in (1, 2):
            raise ValueError(
                "plot_variance_through_depth(): each configuration must have shape "
                f"(depth,), or (n_seeds, depth) for several seeds, got {runs.shape}"
            )
    labels = _configurations(
        labels, len(configurations), "plot_variance_through_depth()"
    )
    with house_style():
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        for runs, label, color in zip(configurations, labels, PALETTE, strict=False):
            _plot_mean_and_band(
                ax,
                np.arange(1, runs.shape[-1] + 1),
                np.atleast_2d(runs),
                band="range" if runs.ndim == 2 else None,
                color=color,
                label=label,
                marker="o",
                markersize=4,
            )
        ax.set_yscale("log")
        _integer_ticks(ax.xaxis)
        ax.set_title("Variance through depth")
        ax.set_xlabel("layer $l$")
        ax.set_ylabel(r"$\mathrm{Var}[z^{(l)}]$")
        _legend_if_labelled(ax)
    return ax


def plot_sweep(
    values,
    results,
    ax=None,
    labels=None,
    *,
    param="learning rate",
    quantity="validation accuracy",
    band="std",
    log=True,
    best=None,
):
    """Plot a final result against a swept setting: mean over seeds, and spread.

    One line per configuration (one activation each, say), each in its own
    colour, with a marker at every value of the grid. At each value the line
    is the mean over the seeds, in a shaded band that shows how far they
    spread: the picture of a learning-rate sweep, in which a configuration
    that does well only at one rate shows as a narrow peak.

    Parameters
    ----------
    values : array_like of float, shape (n_values,)
        The grid, increasing: the learning rates, say, as in
        :attr:`actlib.experiments.Sweep.values`.
    results : list of array_like
        One entry per configuration, at most one per colour of
        :data:`PALETTE`. Each is of shape (n_values, n_seeds), one row per
        value and one column per seed, as in
        :attr:`actlib.experiments.Sweep.accuracy`; or of shape (n_values,)
        for a single seed. NaN, for a run that diverged, is left out of the
        mean and the band.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. By default, a new figure.
    labels : sequence of str, optional
        The legend entry of each configuration. By default, no legend.
    param : str, default "learning rate"
        What was swept: the label of the x-axis.
    quantity : str, default "validation accuracy"
        What the results measure: the label of the y-axis, and the start of
        the title.
    band : {"std", "range", None}, default "std"
        The band, as in :func:`plot_history`: mean - std to mean + std, the
        least to the greatest seed, or none.
    log : bool, default True
        Whether to draw the x-axis on a log scale, as suits learning rates.
        The ticks are at the values of the grid either way.
    best : {"max", "min", None}, default None
        Ring the value at which each configuration's mean is the highest
        (``"max"``, for an accuracy) or the lowest (``"min"``, for a loss).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. Each configuration's line has ``gid`` ``"mean"``,
        its band ``gid`` ``"band"`` and its ring ``gid`` ``"best"``, in the
        order of ``results``.

    Raises
    ------
    TypeError
        If ``results`` is an array rather than a list of configurations.
    ValueError
        If ``values`` is not an increasing 1-D grid of finite numbers
        (positive, on a log scale); if an entry of ``results`` does not have
        one row per value; if ``labels`` has the wrong length, or there are
        more configurations than colours; or if ``band`` or ``best`` is
        unknown.

    Examples
    --------
    >>> rates = [0.01, 0.03, 0.1]
    >>> relu = [[0.55, 0.95, 0.79], [0.87, 0.97, 0.95], [0.70, 0.85, 0.73]]
    >>> swish = [[0.98, 0.99, 0.98], [0.98, 0.99, 0.99], [0.86, 0.97, 0.95]]
    >>> ax = plot_sweep(rates, [relu, swish], labels=["ReLU", "Swish"],
    ...                 best="max")
    >>> ax.get_title()
    'Validation accuracy against learning rate: mean ± std over seeds'
    >>> [float(ring.get_xdata()[0]) for ring in ax.get_lines()
    ...  if ring.get_gid() == "best"]
    [0.03, 0.03]
    """
    if isinstance(results, np.ndarray):
        raise TypeError(
            "plot_sweep() expects a list with one entry per configuration, got "
            "an array; for one configuration, pass [results]"
        )
    values = np.asarray(values, dtype=np.float64)
    if (
        values.ndim != 1
        or values.size == 0
        or not np.all(np.isfinite(values))
        or np.any(np.diff(values) <= 0)
        or (log and np.any(values <= 0))
    ):
        raise ValueError(
            "plot_sweep(): values must be a 1-D grid of finite numbers in "
            f"increasing order{', all positive on a log scale' if log else ''}, "
            f"got {values}"
        )
    configurations = [np.asarray(r, dtype=np.float64) for r in results]
    for runs in configurations:
        if runs.ndim not in (1, 2) or runs.shape[0] != values.size:
            raise ValueError(
                f"plot_sweep(): each configuration must have shape ({values.size},) "
                f"or ({values.size}, n_seeds), one row per value, got {runs.shape}"
            )
    labels = _configurations(labels, len(configurations), "plot_sweep()")
    if band is not None:
        _validation.choice_parameter(band, "band", "plot_sweep", ("std", "range"))
    if best is not None:
        _validation.choice_parameter(best, "best", "plot_sweep", ("max", "min"))
    with house_style():
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        for runs, label, color in zip(configurations, labels, PALETTE, strict=False):
            seeds = runs.reshape(values.size, -1).T  # one seed per row
            _plot_mean_and_band(
                ax, values, seeds, band, color=color, label=label, marker="o"
            )
            if best is not None:
                _ring_best(ax, values, seeds, best, color)
        if log:
            ax.set_xscale("log")
            ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticks(values, [f"{value:g}" for value in values])
        ax.set_title(
            f"{_capitalised(quantity)} against {param}: {BANDS[band]} over seeds"
        )
        ax.set_xlabel(param)
        ax.set_ylabel(quantity)
        _legend_if_labelled(ax)
    return ax


def _ring_best(ax, values, seeds, best, color):
    """Ring the value where the mean of ``seeds`` (one seed per row) is best."""
    mean = np.ma.masked_invalid(seeds).mean(axis=0).filled(np.nan)
    if np.all(np.isnan(mean)):
        return
    i = np.nanargmax(mean) if best == "max" else np.nanargmin(mean)
    ax.plot(
        values[i],
        mean[i],
        linestyle="none",
        marker="o",
        markersize=14,
        markerfacecolor="none",
        markeredgecolor=color,
        markeredgewidth=2,
        gid="best",
    )


# Helpers.


def _capitalised(text):
    """``text`` with its first letter in upper case, for a title."""
    return text[:1].upper() + text[1:]


def _integer_ticks(axis):
    """Put the ticks of ``axis`` at round whole numbers: epochs, layers."""
    axis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))


def _legend_if_labelled(ax):
    """Draw the legend of ``ax``, if anything on it has a label."""
    if ax.get_legend_handles_labels()[1]:
        ax.legend()


def _configurations(labels, count, who):
    """The legend entries of ``count`` configurations, each drawn in one colour."""
    if count > len(PALETTE):
        raise ValueError(
            f"{who} can draw at most {len(PALETTE)} configurations, one per colour, "
            f"got {count}"
        )
    if labels is None:
        return [None] * count
    labels = list(labels)
    if len(labels) != count:
        raise ValueError(f"{who} got {len(labels)} labels for {count} configurations")
    return labels


def _history_runs(histories, metric, layer):
    """The values of ``metric`` in ``histories``, one run per row, and their name.

    For a per-layer measurement, the values of layer ``layer``.
    """
    learned = tuple(histories[0].learned) if histories else ()
    _validation.choice_parameter(
        metric, "metric", "plot_history", tuple(METRICS) + learned
    )
    if metric in learned and metric not in METRICS:
        return _learned_runs(histories, metric, layer)
    arrays = [getattr(history, metric) for history in histories]
    if any(array is None for array in arrays):
        raise ValueError(
            f"plot_history(): {metric!r} was not measured in every history "
            "(validation needs a validation set, accuracy a classification loss)"
        )
    runs, name = np.stack(arrays), METRICS[metric]
    if runs.ndim == 2:  # one number per epoch
        return runs, name
    n_layers = runs.shape[2]
    if layer is None:
        raise ValueError(
            f"plot_history(): {metric!r} has one value per layer; choose one with "
            f"layer= from 0 to {n_layers - 1} (or -1 for the last)"
        )
    return runs[:, :, layer], f"{name}, layer {layer % n_layers}"


def _learned_runs(histories, name, layer):
    """A learned parameter's values in layer ``layer``, averaged over its units.

    One run per row; ``History.learned[name]`` holds one array per hidden
    layer, of shape (epochs + 1, width), or (epochs + 1,) if shared.
    """
    if any(name not in history.learned for history in histories):
        raise ValueError(f"plot_history(): {name!r} was not learned in every history")
    n_layers = len(histories[0].learned[name])
    if layer is None:
        raise ValueError(
            f"plot_history(): {name!r} is learned per layer; choose one with "
            f"layer= from 0 to {n_layers - 1} (or -1 for the last)"
        )
    rows = [np.asarray(history.learned[name][layer]) for history in histories]
    runs = np.stack([row.reshape(len(row), -1).mean(axis=1) for row in rows])
    return runs, f"{name} (mean over units), layer {layer % n_layers}"


def _plot_mean_and_band(ax, x, runs, band, **line):
    """Plot the mean of ``runs`` (one run per row) against ``x``, in a band.

    At each point, the mean and the band are over the runs whose value there
    is finite; where no run has one, the line and the band break. ``band`` is
    a key of :data:`BANDS`. ``line`` goes to ``ax.plot``, and the band takes
    its colour.
    """
    runs = np.ma.masked_invalid(runs)
    mean = runs.mean(axis=0)
    ax.plot(x, mean.filled(np.nan), gid="mean", **line)
    if band is None:
        return
    if band == "std":
        spread = runs.std(axis=0)
        lower, upper = mean - spread, mean + spread
    else:  # "range"
        lower, upper = runs.min(axis=0), runs.max(axis=0)
    ax.fill_between(
        x,
        lower.filled(np.nan),
        upper.filled(np.nan),
        color=line["color"],
        alpha=SHADE,
        linewidth=0,
        gid="band",
    )


def _layer_bars(values, ax, labels, log, quantity):
    """Draw :func:`plot_layers` with ``kind="bar"``."""
    if values.ndim > 2:
        raise ValueError(
            "plot_layers(): values for bars must have shape (n_layers,) or "
            f"(n_configurations, n_layers), got {values.shape}"
        )
    rows = np.atleast_2d(values)
    labels = _configurations(labels, len(rows), "plot_layers()")
    layers = np.arange(rows.shape[1])
    width = 0.8 / len(rows)  # each group of bars fills 80% of its slot
    offsets = (np.arange(len(rows)) - (len(rows) - 1) / 2) * width  # centred
    with house_style():
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        for row, label, color, offset in zip(
            rows, labels, PALETTE, offsets, strict=False
        ):
            ax.bar(layers + offset, row, width, color=color, label=label)
        if log:
            ax.set_yscale("log")
            positive = rows[rows > 0]
            if positive.size:  # start the bars at the power of 10 below the least
                ax.set_ylim(bottom=10 ** np.floor(np.log10(positive.min())))
        ax.set_xticks(layers)
        ax.grid(axis="x", visible=False)
        ax.set_axisbelow(True)  # the horizontal grid lines behind the bars
        ax.set_title(f"{_capitalised(quantity)} per layer")
        ax.set_xlabel("layer")
        ax.set_ylabel(quantity)
        _legend_if_labelled(ax)
    return ax


def _layer_heatmap(values, ax, log, quantity):
    """Draw :func:`plot_layers` with ``kind="heatmap"``."""
    with house_style():
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        image = ax.imshow(
            values.T,  # layers up the y-axis, epochs along the x-axis
            origin="lower",
            aspect="auto",
            interpolation="nearest",
            cmap="viridis",
            norm="log" if log else "linear",
        )
        ax.figure.colorbar(image, ax=ax, label=quantity)
        ax.grid(False)
        _integer_ticks(ax.xaxis)
        ax.set_yticks(np.arange(values.shape[1]))
        ax.set_title(f"{_capitalised(quantity)} through training")
        ax.set_xlabel("epoch")
        ax.set_ylabel("layer")
    return ax


def _check_classes(labels, what):
    """Check that ``labels`` are classes with a colour each: integers 0 to 6."""
    if (
        labels.dtype.kind not in "iu"
        or labels.min() < 0
        or labels.max() >= len(PALETTE)
    ):
        raise ValueError(
            f"plot_decision_boundary(): {what} must be classes 0 to "
            f"{len(PALETTE) - 1} (one colour each), got {labels.dtype} values "
            f"{np.unique(labels)[:10]}"
        )
