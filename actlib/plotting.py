r"""Figures of activation functions, in the house style of the book.

Three functions draw every activation figure in the book:

- :func:`plot_activation` draws one activation :math:`f` and its derivative
  :math:`f'`, and marks the kink, where :math:`f'` jumps;
- :func:`plot_comparison` draws a grid of small multiples, one panel per
  activation, on shared axes;
- :func:`plot_family` draws one activation for several values of one of its
  parameters, such as Leaky ReLU for several slopes :math:`\alpha`.

Four more draw the experiments, whose results vary from seed to seed:

- :func:`plot_history` draws a measurement of training, such as the loss or
  the fraction of dead units, against the epoch: its mean over several seeds,
  in a band that shows their spread;
- :func:`plot_layers` draws one number per layer, as bars, or as a heatmap of
  layers against epochs;
- :func:`plot_decision_boundary` draws the regions a classifier assigns to
  each class, with the data on top;
- :func:`plot_variance_through_depth` draws the variance of the
  pre-activations layer by layer, on a log scale.

Each takes ``ax=None`` (or ``axes=None``): leave it out and the function makes
a new figure; pass axes and it draws on them. Each returns what it drew, so
that you can adjust the figure further.

The house style
---------------
The colours are the Okabe-Ito palette, which people with any common form of
colour blindness can tell apart. Figures are opaque white with dark text, so
that a PNG reads the same on the light and on the dark theme of the book.
The functions below always draw in the house style; to give your own figures
the same look, create them inside ``with house_style():``.

Examples
--------
>>> import actlib
>>> from actlib.plotting import plot_activation
>>> ax = plot_activation(actlib.relu)
>>> ax.get_title()
'ReLU'
"""

import contextlib

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.mathtext import MathTextParser
from matplotlib.ticker import MaxNLocator

from actlib import _validation
from actlib.activations import Activation, get
from actlib.nn import History

#: The Okabe-Ito colours, in the order the figures use them. Its yellow
#: (#F0E442) is left out: on a white background a yellow line is too faint.
PALETTE = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
]

INK = "#222222"  # text and axes
GUIDE = "#777777"  # the dotted line at a kink
GRID = "#DDDDDD"
BACKGROUND = "#FFFFFF"

#: The house style, as matplotlib rc parameters. A figure is about 600 pixels
#: wide, with an opaque white background: a transparent PNG would put dark
#: text on the dark page of the book's dark theme.
STYLE = {
    "figure.figsize": (6.0, 3.5),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": BACKGROUND,
    "axes.facecolor": BACKGROUND,
    "savefig.facecolor": BACKGROUND,
    "savefig.transparent": False,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "axes.prop_cycle": cycler(color=PALETTE),
    "lines.linewidth": 2.5,
    "lines.markersize": 7,
    "legend.framealpha": 0.9,
    "legend.edgecolor": GRID,
}

#: A legend entry wider than this (in points) is replaced by a short one.
MAX_LEGEND_WIDTH = 150

#: Parameters named after a Greek letter, written as that letter in legends.
GREEK = ("alpha", "beta", "gamma", "lambda")

#: The measurements of a :class:`~actlib.nn.History` that :func:`plot_history`
#: draws, with the name each goes by on the axes.
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


@contextlib.contextmanager
def house_style():
    """Apply the house style inside a ``with`` block.

    On leaving the block, the parameters of :data:`STYLE` get their old values
    back, and only those. (``matplotlib.rc_context`` would restore every
    parameter, including the interactive mode that Jupyter's inline backend
    switches on when the first figure of a notebook is made inside the block;
    every later figure of the notebook would then stay hidden.)

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with house_style():
    ...     fig, ax = plt.subplots()
    >>> fig.get_size_inches().tolist()
    [6.0, 3.5]
    >>> plt.close(fig)
    """
    saved = {key: mpl.rcParams[key] for key in STYLE}
    mpl.rcParams.update(STYLE)
    try:
        yield
    finally:
        mpl.rcParams.update(saved)


def plot_activation(act, derivative=True, ax=None, x=None, label=None, *, legend=True):
    r"""Plot an activation :math:`f`, and its derivative :math:`f'`.

    :math:`f` is drawn solid and :math:`f'` dashed, in another colour. Where
    :math:`f` has a kink, a dotted vertical line marks it, a dot marks
    :math:`f` there and, on :math:`f'`, a filled dot marks the value the
    activation uses at the kink and an open dot the one-sided limit it does not.

    Parameters
    ----------
    act : Activation or str
        The activation, or its registry name (``"relu"``).
    derivative : bool, default True
        Whether to draw :math:`f'` as well.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. By default, a new figure.
    x : array_like, optional
        The points to evaluate at, a 1-D array. By default 801 points
        from -4 to 4, x = 0 among them.
    label : str, optional
        The legend entry for :math:`f`. By default its formula,
        :math:`f(x) = \max(0, x)`, or just :math:`f(x)` when the formula is too
        wide for a legend or is more LaTeX than matplotlib can typeset.
    legend : bool, default True
        Whether to draw a legend.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. The lines drawn are told apart by their ``gid``:
        ``"f"`` for :math:`f`, ``"f'"`` for :math:`f'` and ``"kink"`` for the
        marks at the kink.

    Notes
    -----
    :math:`f'` jumps at a kink, so its line is broken there (the points include
    a NaN): a line joining the two sides would draw a vertical stroke that is
    not part of the graph.

    Examples
    --------
    >>> import actlib
    >>> ax = plot_activation(actlib.leaky_relu)
    >>> [line.get_gid() for line in ax.get_lines()]
    ['f', "f'", 'kink', 'kink', 'kink', 'kink']
    """
    act = _as_activation(act)
    x = _points(x)
    with house_style():
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        if label is None:
            label = _legend_label("f(x)", act.formula)
        ax.plot(x, act(x), color=PALETTE[0], label=label, gid="f")
        if derivative:
            x_broken = _break_at(x, act.kink)
            ax.plot(
                x_broken,
                act.grad(x_broken),
                color=PALETTE[1],
                linestyle="--",
                label=_legend_label("f'(x)", act.derivative_formula),
                gid="f'",
            )
        if act.kink is not None and x.min() <= act.kink <= x.max():
            _mark_kink(ax, act, derivative)
        ax.set_title(repr(act))
        ax.set_xlabel("$x$")
        ax.set_ylabel("$f(x)$, $f'(x)$" if derivative else "$f(x)$")
        if legend:
            ax.legend(loc="upper left")
    return ax


def plot_comparison(acts, derivative=False, axes=None, ncols=3, x=None):
    """Plot several activations side by side, one panel each, on shared axes.

    Parameters
    ----------
    acts : sequence of Activation or str
        The activations, or their registry names, in reading order.
    derivative : bool, default False
        Whether to draw each derivative as well.
    axes : array of matplotlib.axes.Axes, optional
        The axes to draw on, as ``plt.subplots`` returns them, with at least
        one per activation; give them shared x and y axes if you want them.
        By default, a new figure with shared axes.
    ncols : int, default 3
        The number of panels in a row of a new figure (fewer if there are
        fewer activations).
    x : array_like, optional
        The points to evaluate at, as in :func:`plot_activation`.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure the panels are in.
    axes : numpy.ndarray of matplotlib.axes.Axes
        All the axes, in rows; ``axes.flat[i]`` shows ``acts[i]``. Axes left
        over after the last activation are hidden.

    Raises
    ------
    TypeError
        If ``acts`` is a single activation rather than a sequence of them.
    ValueError
        If ``acts`` is empty or names an unknown activation, if ``ncols`` is
        less than 1, or if there are fewer axes than activations.

    Examples
    --------
    >>> fig, axes = plot_comparison(["relu", "leaky_relu", "elu", "gelu"])
    >>> axes.shape
    (2, 3)
    >>> [ax.get_visible() for ax in axes.flat]
    [True, True, True, True, False, False]
    """
    if isinstance(acts, str | Activation):
        raise TypeError(
            "plot_comparison() expects a list of activations, got one; "
            "use plot_activation() to plot a single activation"
        )
    acts = [_as_activation(act) for act in acts]
    if not acts:
        raise ValueError("plot_comparison() needs at least one activation")
    with house_style():
        if axes is None:
            if ncols < 1:
                raise ValueError(f"ncols must be at least 1, got {ncols}")
            ncols = min(ncols, len(acts))
            nrows = -(-len(acts) // ncols)  # rounded up
            fig, axes = plt.subplots(
                nrows,
                ncols,
                sharex=True,
                sharey=True,
                squeeze=False,
                figsize=(2.4 * ncols, 0.4 + 2.0 * nrows),
                layout="constrained",
            )
        else:
            axes = np.asarray(axes)
            if axes.ndim < 2:
                axes = axes.reshape(1, -1)  # a single row
            if axes.size < len(acts):
                raise ValueError(
                    f"plot_comparison() got {axes.size} axes "
                    f"for {len(acts)} activations"
                )
            fig = axes.flat[0].figure
        ncols = axes.shape[1]

        for act, ax in zip(acts, axes.flat, strict=False):
            plot_activation(act, derivative=derivative, ax=ax, x=x, legend=False)
            ax.title.set_fontsize(10)  # small panels, small titles
        for ax in axes.flat[len(acts) :]:
            ax.set_visible(False)

        # Label only the outer panels: x on the last panel of each column, y on
        # the first panel of each row.
        for i, ax in enumerate(axes.flat[: len(acts)]):
            at_bottom = i + ncols >= len(acts)
            at_left = i % ncols == 0
            ax.tick_params(labelbottom=at_bottom, labelleft=at_left)
            if not at_bottom:
                ax.set_xlabel("")
            if not at_left:
                ax.set_ylabel("")

        if derivative:
            fig.legend(
                handles=[
                    Line2D([], [], color=PALETTE[0], label="$f(x)$"),
                    Line2D([], [], color=PALETTE[1], linestyle="--", label="$f'(x)$"),
                ],
                loc="outside upper center",
                ncols=2,
            )
    return fig, axes


def plot_family(act, param, values, derivative=False, ax=None, x=None):
    r"""Plot an activation for several values of one of its parameters.

    Each value gets its own colour; :math:`f` is drawn solid and, if asked
    for, :math:`f'` dashed in the same colour. A dotted vertical line marks
    the kink, if the activation has one.

    Parameters
    ----------
    act : Activation or str
        The activation, or its registry name (``"leaky_relu"``).
    param : str
        The name of the parameter to vary, one of ``act.defaults``.
    values : sequence
        The values to give it, at most one per colour of :data:`PALETTE`.
    derivative : bool, default False
        Whether to draw the derivatives as well.
    ax : matplotlib.axes.Axes, optional
        The axes to draw on. By default, a new figure.
    x : array_like, optional
        The points to evaluate at, as in :func:`plot_activation`.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. The lines for :math:`f` have ``gid`` ``"f"``, those
        for :math:`f'` ``"f'"`` and the kink line ``"kink"``; each is in the
        order of ``values``.

    Raises
    ------
    TypeError
        If the activation has no parameter called ``param``.
    ValueError
        If ``values`` is empty, or has more values than there are colours.
        The activation itself refuses a value it cannot take, such as NaN.

    Examples
    --------
    >>> ax = plot_family("leaky_relu", "alpha", [0.0, 0.1, 0.3])
    >>> ax.get_legend_handles_labels()[1]
    ['$\\alpha = 0.0$', '$\\alpha = 0.1$', '$\\alpha = 0.3$']
    """
    act = _as_activation(act)
    if param not in act.defaults:
        takes = ", ".join(act.defaults) or "no parameters"
        raise TypeError(
            f"plot_family(): {act.name} has no parameter {param!r} (it takes: {takes})"
        )
    values = list(values)
    if not values:
        raise ValueError(f"plot_family() needs at least one value for {param!r}")
    if len(values) > len(PALETTE):
        raise ValueError(
            f"plot_family() can draw at most {len(PALETTE)} values, one per colour, "
            f"got {len(values)}"
        )
    x = _points(x)
    members = [act.with_params(**{param: value}) for value in values]
    with house_style():
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        handles = []
        for member, value, color in zip(members, values, PALETTE, strict=False):
            (line,) = ax.plot(
                x, member(x), color=color, label=_param_label(param, value), gid="f"
            )
            handles.append(line)
            if derivative:
                x_broken = _break_at(x, member.kink)
                ax.plot(
                    x_broken,
                    member.grad(x_broken),
                    color=color,
                    linestyle="--",
                    gid="f'",
                )
        for kink in {member.kink for member in members} - {None}:
            ax.axvline(kink, color=GUIDE, linestyle=":", linewidth=1.5, gid="kink")
        if derivative:
            handles += [
                Line2D([], [], color=INK, label="$f(x)$"),
                Line2D([], [], color=INK, linestyle="--", label="$f'(x)$"),
            ]
        ax.legend(handles=handles, loc="upper left")
        ax.set_title(act.label)
        ax.set_xlabel("$x$")
        ax.set_ylabel("$f(x)$, $f'(x)$" if derivative else "$f(x)$")
    return ax


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
    histories : sequence of actlib.nn.History
        One history per seed, all of the same length (the same number of
        epochs), as :func:`actlib.nn.train` returns them.
    metric : str, default "loss"
        The measurement to draw, a key of :data:`METRICS`: ``"loss"``,
        ``"accuracy"``, ``"val_loss"``, ``"val_accuracy"``, or one of the
        per-layer measurements ``"dead_fraction"``, ``"grad_norm"``,
        ``"activation_mean"``, ``"activation_std"`` and ``"sparsity"``.
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
        per-layer measurement, and refused for any other.

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
        If ``histories`` is empty, if they differ in length or in the number
        of layers, if ``metric`` is unknown or was not measured (the
        validation loss of a run without a validation set), if ``layer`` is
        missing, out of range or given for a measurement that has no layers,
        or if ``band`` is unknown.

    Notes
    -----
    One rule decides which runs count: at each epoch, the mean and the band
    are taken over the runs whose value there is finite. A run that diverged
    (see :class:`actlib.nn.History`) has NaN rows after its divergence, so
    from then on the line is the mean of the runs that survived, rather than
    NaN for all of them. The survivors are the better-behaved runs, so the
    line can jump where a run drops out: the dotted lines mark those epochs,
    and the legend entry says how many runs diverged.

    There is no mean over layers: the gradient norms of layers of different
    sizes do not average into anything meaningful. Draw each layer you want,
    or all of them at once with :func:`plot_layers`.

    The standard deviation is numpy's default, with divisor the number of
    runs. On a log scale, mean - std can come close to 0 or below it, and
    the band then reaches far down; ``band="range"`` suits a log scale better.

    Examples
    --------
    >>> from actlib import data, nn
    >>> X, y = data.moons(100, seed=0)
    >>> def run(activation, seed):
    ...     model = nn.MLP([2, 8, 2], activation=activation, seed=seed)
    ...     return nn.train(model, X, y, epochs=5, lr=0.1, seed=seed)
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
    arrays of :class:`actlib.nn.History`, so that
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
        default, no legend.
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
        If ``kind`` is unknown, ``values`` is empty or has the wrong number of
        dimensions, ``labels`` has the wrong length or is given for a
        heatmap, or there are more configurations than colours.

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
    draw = _layer_bars if kind == "bar" else _layer_heatmap
    return draw(np.asarray(values, dtype=np.float64), ax, labels, log, quantity)


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
        The number of grid points along each axis, at least 2.
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
    TypeError
        If ``resolution`` is not an integer.
    ValueError
        If ``X`` is not of shape (n_samples, 2) with at least one point, ``y``
        does not hold one class label per point, ``model.predict`` does not
        return one class label per grid point, or ``resolution`` is less than
        2.

    Examples
    --------
    >>> from actlib import data, nn
    >>> X, y = data.moons(100, seed=0)
    >>> model = nn.MLP([2, 16, 2], seed=0)
    >>> history = nn.train(model, X, y, epochs=10, lr=0.1)
    >>> ax = plot_decision_boundary(model, X, y, resolution=50)
    >>> ax.get_legend_handles_labels()[1]
    ['class 0', 'class 1']
    """
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(
            f"plot_decision_boundary(): X must have shape (n_samples, 2), got {X.shape}"
        )
    if y.shape != (len(X),):
        raise ValueError(
            "plot_decision_boundary(): y must hold one class per row of X, shape "
            f"({len(X)},), got {y.shape}"
        )
    _check_classes(y, "y")
    resolution = _validation.count_parameter(
        resolution, "resolution", "plot_decision_boundary", minimum=2
    )
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    x1, x2 = np.meshgrid(
        np.linspace(low[0], high[0], resolution),
        np.linspace(low[1], high[1], resolution),
    )
    predicted = np.asarray(model.predict(np.column_stack([x1.ravel(), x2.ravel()])))
    if predicted.shape != (x1.size,):
        raise ValueError(
            "plot_decision_boundary(): model.predict() must return one class per "
            f"point, shape ({x1.size},), got {predicted.shape}"
        )
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
        If ``variances`` is empty, an entry is empty or has more than two
        dimensions, ``labels`` has the wrong length, or there are more
        configurations than colours.

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
    if not configurations:
        raise ValueError(
            "plot_variance_through_depth() needs at least one configuration"
        )
    for runs in configurations:
        if runs.ndim not in (1, 2) or runs.size == 0:
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


# Helpers.


def _as_activation(act):
    """Return ``act``, looking it up in the registry if it is a name."""
    return get(act) if isinstance(act, str) else act


def _points(x):
    """Return the points to evaluate at: ``x`` as floats, or the default."""
    if x is None:
        # [-4, 4] in steps of 0.01, which takes in x = 0, where the kinks are.
        return np.linspace(-4.0, 4.0, 801)
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 2:
        raise ValueError(f"x must be 1-D with at least 2 points, got shape {x.shape}")
    return x


def _break_at(x, kink):
    """Return ``x`` with a NaN in place of the kink, so that a line breaks there."""
    if kink is None:
        return x
    return np.concatenate([x[x < kink], [np.nan], x[x > kink]])


def _legend_label(lhs, formula):
    """Return the legend entry ``$lhs = formula$``, or just ``$lhs$``.

    matplotlib typesets only a subset of LaTeX (no ``\\begin{cases}``, for
    one), and a long formula would cover the curves; either way the legend
    gets the short entry.
    """
    label = f"${lhs} = {formula}$"
    try:
        typeset = MathTextParser("path").parse(
            label, prop=FontProperties(size=STYLE["legend.fontsize"])
        )
    except ValueError:  # LaTeX that matplotlib cannot typeset
        return f"${lhs}$"
    return label if typeset.width <= MAX_LEGEND_WIDTH else f"${lhs}$"


def _param_label(param, value):
    """Return the legend entry for one value of a parameter: ``$\\alpha = 0.1$``."""
    if param in GREEK:
        return f"$\\{param} = {value}$"
    return f"{param} = {value}"


def _mark_kink(ax, act, derivative):
    """Mark the kink of ``act`` on ``ax``: a dotted line, and dots on the curves.

    :math:`f` is continuous at the kink: one filled dot. :math:`f'` jumps
    there: a filled dot at the value the activation uses, and an open dot at
    each one-sided limit that differs from it, the limits being taken at the
    floating-point numbers right next to the kink.
    """
    kink = act.kink
    ax.axvline(kink, color=GUIDE, linestyle=":", linewidth=1.5, gid="kink")
    ax.plot(kink, act(kink), "o", color=PALETTE[0], zorder=3, gid="kink")
    if derivative:
        value = act.grad(kink)
        limits = act.grad([np.nextafter(kink, -np.inf), np.nextafter(kink, np.inf)])
        missed = limits[~np.isclose(limits, value)]
        ax.plot(
            np.full_like(missed, kink),
            missed,
            "o",
            color=PALETTE[1],
            markerfacecolor=BACKGROUND,
            markeredgewidth=2,
            zorder=3,
            gid="kink",
        )
        ax.plot(kink, value, "o", color=PALETTE[1], zorder=3, gid="kink")


# Helpers of the experiment figures.


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
    if not histories:
        raise ValueError("plot_history() needs at least one history")
    _validation.choice_parameter(metric, "metric", "plot_history", METRICS)
    arrays = [getattr(history, metric) for history in histories]
    if any(array is None for array in arrays):
        raise ValueError(
            f"plot_history(): {metric!r} was not measured in every history "
            "(validation needs X_val and y_val, accuracy a classification loss)"
        )
    shapes = sorted({array.shape for array in arrays})
    if len(shapes) > 1:
        raise ValueError(
            f"plot_history(): the histories do not match, {metric!r} has shapes "
            f"{', '.join(map(str, shapes))}; give runs of one configuration, "
            "trained for the same number of epochs"
        )
    runs, name = np.stack(arrays), METRICS[metric]
    if runs.ndim == 2:  # one number per epoch
        if layer is not None:
            raise ValueError(
                f"plot_history(): {metric!r} has no layers; "
                "give layer= only for a per-layer measurement"
            )
        return runs, name
    n_layers = runs.shape[2]
    if layer is None or layer not in range(-n_layers, n_layers):
        raise ValueError(
            f"plot_history(): {metric!r} has one value per layer; choose one with "
            f"layer= from 0 to {n_layers - 1} (or -1 for the last), got {layer}"
        )
    return runs[:, :, layer], f"{name}, layer {layer % n_layers}"


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
    if values.ndim not in (1, 2) or values.size == 0:
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


def _layer_heatmap(values, ax, labels, log, quantity):
    """Draw :func:`plot_layers` with ``kind="heatmap"``."""
    if values.ndim != 2 or values.size == 0:
        raise ValueError(
            "plot_layers(): values for a heatmap must have shape "
            f"(n_epochs, n_layers), got {values.shape}"
        )
    if labels is not None:
        raise ValueError(
            "plot_layers(): labels name the configurations of a bar chart; "
            "a heatmap shows only one"
        )
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
