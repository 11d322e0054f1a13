r"""Figures for the book, in its house style.

The package holds three modules:

- :mod:`~actlib.plotting.style`: the house style, :func:`house_style`, and its
  colours, :data:`PALETTE` first;
- :mod:`~actlib.plotting.curves`: figures of activation functions,
  :func:`plot_activation`, :func:`plot_comparison` and :func:`plot_family`;
- :mod:`~actlib.plotting.figures`: figures of the experiments, whose results
  vary from seed to seed, :func:`plot_history`, :func:`plot_layers`,
  :func:`plot_decision_boundary`, :func:`plot_variance_through_depth` and
  :func:`plot_sweep`.

Everything is imported here, so ``from actlib.plotting import plot_activation``
is all a chapter needs.

Each figure function takes ``ax=None`` (or ``axes=None``): leave it out and
the function makes a new figure; pass axes and it draws on them. Each returns
what it drew, so that you can adjust the figure further. Each draws in the
house style.

Examples
--------
>>> import actlib
>>> from actlib.plotting import plot_activation
>>> ax = plot_activation(actlib.relu)
>>> ax.get_title()
'ReLU'
"""

from actlib.plotting.curves import (
    GREEK,
    MAX_LEGEND_WIDTH,
    plot_activation,
    plot_comparison,
    plot_family,
)
from actlib.plotting.figures import (
    BANDS,
    MARKERS,
    METRICS,
    SHADE,
    plot_decision_boundary,
    plot_history,
    plot_layers,
    plot_sweep,
    plot_variance_through_depth,
)
from actlib.plotting.style import (
    BACKGROUND,
    GRID,
    GUIDE,
    INK,
    PALETTE,
    STYLE,
    house_style,
)

__all__ = [
    "BACKGROUND",
    "BANDS",
    "GREEK",
    "GRID",
    "GUIDE",
    "INK",
    "MARKERS",
    "MAX_LEGEND_WIDTH",
    "METRICS",
    "PALETTE",
    "SHADE",
    "STYLE",
    "house_style",
    "plot_activation",
    "plot_comparison",
    "plot_decision_boundary",
    "plot_family",
    "plot_history",
    "plot_layers",
    "plot_sweep",
    "plot_variance_through_depth",
]
