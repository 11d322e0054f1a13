r"""Figures of activation functions: one curve, a grid of them, or a family.

- :func:`plot_activation` draws one activation :math:`f` and its derivative
  :math:`f'`, and marks the kink, where :math:`f'` jumps;
- :func:`plot_comparison` draws a grid of small multiples, one panel per
  activation, on shared axes;
- :func:`plot_family` draws one activation for several values of one of its
  parameters, such as Leaky ReLU for several slopes :math:`\alpha`.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from actlib.activations import Activation, get
from actlib.plotting.style import BACKGROUND, GUIDE, INK, PALETTE, house_style

#: The longest formula, in characters of LaTeX source, that a legend entry
#: spells out; a longer one would cover the curves.
MAX_LEGEND_WIDTH = 60

#: Parameters named after a Greek letter, written as that letter in legends.
GREEK = ("alpha", "beta", "gamma", "lambda")


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
        :math:`f(x) = \max(0, x)`, or just :math:`f(x)` when the formula is
        longer than :data:`MAX_LEGEND_WIDTH` characters or is written with
        ``\begin{cases}``, which matplotlib cannot typeset.
    legend : bool, default True
        Whether to draw a legend.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. The lines drawn are told apart by their ``gid``:
        ``"f"`` for :math:`f`, ``"f'"`` for :math:`f'` and ``"kink"`` for the
        marks at the kink.

    Raises
    ------
    ValueError
        If ``x`` is not 1-D with at least 2 points.

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
        If ``acts`` is empty, or if there are fewer axes than activations.

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
    ValueError
        If ``values`` has more values than there are colours. The activation
        itself refuses a parameter it does not take, or a value it cannot
        take, such as NaN.

    Examples
    --------
    >>> ax = plot_family("leaky_relu", "alpha", [0.0, 0.1, 0.3])
    >>> ax.get_legend_handles_labels()[1]
    ['$\\alpha = 0.0$', '$\\alpha = 0.1$', '$\\alpha = 0.3$']
    """
    act = _as_activation(act)
    values = list(values)
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
    r"""Return the legend entry ``$lhs = formula$``, or just ``$lhs$``.

    The short entry is for a formula longer than :data:`MAX_LEGEND_WIDTH`
    characters, which would cover the curves, and for one written with
    ``\begin{cases}``, which matplotlib cannot typeset.

    Examples
    --------
    >>> _legend_label("f(x)", r"\max(0, x)")
    '$f(x) = \\max(0, x)$'
    >>> _legend_label("f(x)", r"\begin{cases} x & x > 0 \\ 0 & x \le 0 \end{cases}")
    '$f(x)$'
    """
    if len(formula) > MAX_LEGEND_WIDTH or r"\begin" in formula:
        return f"${lhs}$"
    return f"${lhs} = {formula}$"


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
