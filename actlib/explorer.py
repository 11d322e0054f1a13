r"""The explorer: choose an activation, move its parameter, watch f and f′ change.

One table, :data:`SLIDERS`, says which activations the explorer offers, which
parameter of each one it moves, and over what range. :func:`explorer` builds
the controls from it for a running notebook: a drop-down, and a slider for
the chosen activation's parameter only. Each change redraws the figure in
the explorer's own image, with axes that keep every curve in view over the
whole range of the slider::

    >>> from actlib import explorer
    >>> explorer.SLIDERS["leaky_relu"]
    Slider(param='alpha', low=0.0, high=1.0, step=0.05, value=0.1)
"""

import io
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np

from actlib import activations
from actlib.plotting import plot_activation


@dataclass(frozen=True)
class Slider:
    """The range of one parameter in the explorer: from ``low`` to ``high``
    in steps of ``step``, starting at ``value``."""

    param: str
    low: float
    high: float
    step: float
    value: float


#: The activations the explorer offers, each with the slider of its
#: parameter, or None for one without a parameter.
SLIDERS = {
    "relu": None,
    "leaky_relu": Slider("alpha", 0.0, 1.0, 0.05, 0.1),
    "elu": Slider("alpha", 0.1, 3.0, 0.05, 1.0),
    "swish": Slider("beta", 0.1, 10.0, 0.1, 1.0),
    "softplus": Slider("beta", 0.1, 10.0, 0.1, 1.0),
    "gelu": None,
    "sigmoid": None,
    "tanh": None,
}

#: The x-axis of every drawing, with x = 0 among its points.
X = np.linspace(-4, 4, 801)


def activation(name, value=None):
    """The activation ``name`` with its explorer parameter set to ``value``.

    Examples
    --------
    >>> activation("elu", 2.0)
    ELU(alpha=2.0)
    >>> activation("relu")
    ReLU
    """
    slider = _slider(name)
    if slider is None:
        if value is not None:
            raise ValueError(f"explorer: {name} has no parameter to set")
        return activations.get(name)
    value = slider.value if value is None else value
    if not slider.low <= value <= slider.high:
        raise ValueError(
            f"explorer: {slider.param} of {name} goes from {slider.low} to "
            f"{slider.high}, got {value}"
        )
    return activations.get(name, **{slider.param: value})


def y_limits(name):
    """The y-range that holds :math:`f` and :math:`f'` on :data:`X` at every setting.

    Measured at 21 settings evenly spread over the slider's range, with a
    margin of 5%, so that the axes stay put while the curves move.

    Examples
    --------
    >>> low, high = y_limits("softplus")  # beta = 0.1 lifts f(0) to 10 ln 2
    >>> bool(low < 0 and high > 10 * np.log(2))
    True
    """
    slider = _slider(name)
    settings = [None] if slider is None else np.linspace(slider.low, slider.high, 21)
    curves = []
    for value in settings:
        act = activation(name, None if value is None else float(value))
        curves += [act(X), act.grad(X)]
    low, high = min(map(np.min, curves)), max(map(np.max, curves))
    margin = 0.05 * (high - low)
    return low - margin, high + margin


def draw(name, value=None, ax=None):
    """Draw :math:`f` and :math:`f'` of one setting, on the axes of :func:`y_limits`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = plot_activation(activation(name, value), ax=ax, x=X)
    ax.set_ylim(*y_limits(name))
    return ax


def explorer():
    """The explorer for a running notebook: a drop-down, a slider, a figure.

    Only the chosen activation's slider is shown, and it keeps its setting
    when another activation is chosen and this one again. Every change
    redraws the figure as a PNG in the explorer's own image widget, with a
    one-line caption under it. No matplotlib backend is involved, so it
    redraws the same way in JupyterLab, Notebook and VS Code.

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as widgets  # only the notebook explorer needs it

    choice = widgets.Dropdown(
        options=list(SLIDERS), value="leaky_relu", description="activation"
    )
    # One slider per activation, each with its own fixed range: changing a
    # slider's range while it is shown races with the browser, which clamps
    # the old value to the new range and sends it back.
    sliders = {
        name: widgets.FloatSlider(
            value=s.value, min=s.low, max=s.high, step=s.step, description=s.param
        )
        for name, s in SLIDERS.items()
        if s is not None
    }
    figure, caption = widgets.Image(format="png"), widgets.Label()
    figure.add_class("explorer-figure")
    caption.add_class("explorer-caption")

    def show_slider(_=None):
        for name, control in sliders.items():
            control.layout.display = None if name == choice.value else "none"

    def redraw(_=None):
        control = sliders.get(choice.value)
        # A slider counts steps from its low end: 0.1 + 9 × 0.1 = 1.0000000000000002.
        value = None if control is None else round(control.value, 6)
        ax = draw(choice.value, value)
        png = io.BytesIO()
        ax.figure.savefig(png, format="png")
        plt.close(ax.figure)
        figure.value = png.getvalue()
        caption.value = f"{ax.get_title()}: f solid, f′ dashed"

    choice.observe(show_slider, names="value")
    choice.observe(redraw, names="value")
    for control in sliders.values():
        control.observe(redraw, names="value")
    show_slider()
    redraw()
    return widgets.VBox([choice, *sliders.values(), figure, caption])


def _slider(name):
    if name not in SLIDERS:
        raise ValueError(
            f"explorer: no activation {name!r}; choose one of: {', '.join(SLIDERS)}"
        )
    return SLIDERS[name]
