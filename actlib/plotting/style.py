"""The house style of the book's figures: its colours, and ``house_style()``.

The colours are the Okabe-Ito palette, which people with any common form of
colour blindness can tell apart. Figures are opaque white with dark text, so
that a PNG reads the same on the light and on the dark theme of the book.
Every function of :mod:`actlib.plotting` draws in this style; to give your own
figures the same look, create them inside ``with house_style():``.
"""

import contextlib

import matplotlib as mpl
from cycler import cycler

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
GUIDE = "#777777"  # a dotted guide line, such as the one at a kink
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
