r"""The explorer: choose an activation, move its parameter, watch f and f′ change.

One table, :data:`SLIDERS`, says which activations the explorer offers, which
parameter of each one it moves, and over what range. :func:`explorer` builds
the controls from it for a running notebook: a drop-down, and a slider for
the chosen activation's parameter only. Each change redraws the figure in
the explorer's own image, with axes that keep every curve in view over the
whole range of the slider::

    >>> from actlib import explorer
    >>> explorer.SLIDERS["leaky_relu"]
    Slider(param='alpha', low=0.0, high=1.0, step=0.05, value=0.1, log=False)

The web book has no Python to call, so :func:`web_data` computes the curves
ahead of time, when the book is built, at the settings of :func:`settings`;
a small script of the book's own draws them (``_ext/web_explorer.py``).
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
    in steps of ``step``, starting at ``value``.

    ``log`` says how :func:`settings` spreads the web book's settings over
    the range: evenly on a log scale for a parameter that scales x, such as
    β (doubling β halves the width of the bend), evenly otherwise.
    """

    param: str
    low: float
    high: float
    step: float
    value: float
    log: bool = False


#: The activations the explorer offers, each with the slider of its
#: parameter, or None for one without a parameter.
SLIDERS = {
    "relu": None,
    "leaky_relu": Slider("alpha", 0.0, 1.0, 0.05, 0.1),
    "elu": Slider("alpha", 0.1, 3.0, 0.05, 1.0),
    "swish": Slider("beta", 0.1, 10.0, 0.1, 1.0, log=True),
    "softplus": Slider("beta", 0.1, 10.0, 0.1, 1.0, log=True),
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


#: The x-axis of the web book's explorer: 201 points, x = 0 among them. A
#: step of 0.04 is under 4 pixels on the widest plot the page draws.
WEB_X = np.linspace(-4, 4, 201)


def settings(name, most=30):
    """The settings of ``name``'s parameter that the web book draws.

    About ``most`` of them, from the low end of the slider to the high end,
    each on the slider's step, with its starting value among them: spread
    evenly, or evenly on a log scale where the slider says ``log``. An
    activation without a parameter has one setting, None.

    Examples
    --------
    >>> settings("leaky_relu")[:4]
    [0.0, 0.05, 0.1, 0.15]
    >>> settings("elu")[:4], len(settings("elu"))
    ([0.1, 0.2, 0.3, 0.4], 30)
    >>> settings("swish")[8:14]
    [0.9, 1.0, 1.1, 1.3, 1.5, 1.7]
    >>> settings("relu")
    [None]
    """
    slider = _slider(name)
    if slider is None:
        return [None]
    steps = round((slider.high - slider.low) / slider.step)
    if slider.log:
        points = np.geomspace(slider.low, slider.high, most)
        chosen = np.round((points - slider.low) / slider.step)
    else:
        stride = -(-steps // (most - 1))  # rounded up
        chosen = np.arange(0, steps + 1, stride)
    start = round((slider.value - slider.low) / slider.step)
    chosen = {int(k) for k in chosen} | {0, steps, start}
    return [round(slider.low + k * slider.step, 6) for k in sorted(chosen)]


def web_data(most=30):
    r"""Everything the web book's explorer draws, computed by actlib, as plain data.

    For each activation of :data:`SLIDERS`, in its order: its name, label
    and formulas (LaTeX); its slider (or None) and the settings of
    :func:`settings`; the y-range of :func:`y_limits`; and, at each setting,
    :math:`f` and :math:`f'` at the points of :data:`WEB_X`.

    Each curve is rounded to the fifth significant digit of the y-range's
    span (to 0.001 on a span of 10 to 99.9, to 0.0001 on a span of 1 to 9.99):
    finer than a tenth of a pixel on a plot 1000 pixels high, and short
    enough to keep the page light. As in :func:`~actlib.plotting.plot_activation`,
    :math:`f'` breaks at a kink (ELU has one unless α = 1): it is None
    there, and the setting's ``kink`` holds where it is, :math:`f` and
    :math:`f'` there, and the one-sided limits of :math:`f'` that differ
    from the value used.

    Returns
    -------
    dict
        Lists, strings, floats and None only, ready for ``json.dumps``.

    Examples
    --------
    >>> data = web_data()
    >>> leaky = data["activations"][1]
    >>> leaky["name"], leaky["param"]["name"], leaky["settings"][2]
    ('leaky_relu', 'alpha', 0.1)
    >>> curve = leaky["curves"][2]
    >>> curve["f"][0], curve["df"][0], curve["kink"]
    (-0.4, 0.1, {'x': 0.0, 'f': 0.0, 'df': 0.1, 'missed': [1.0]})
    """
    x = WEB_X
    entries = []
    for name, slider in SLIDERS.items():
        low, high = y_limits(name)
        decimals = 4 - int(np.floor(np.log10(high - low)))
        curves = []
        for value in settings(name, most):
            act = activation(name, value)
            df = act.grad(x)
            curve = {"f": _rounded(act(x), decimals), "kink": None}
            if act.kink is not None:
                df[x == act.kink] = np.nan
                used = act.grad(act.kink)
                limits = act.grad(np.nextafter(act.kink, [-np.inf, np.inf]))
                curve["kink"] = {
                    "x": float(act.kink),
                    "f": _rounded(act(act.kink), decimals),
                    "df": _rounded(used, decimals),
                    "missed": _rounded(limits[~np.isclose(limits, used)], decimals),
                }
            curve["df"] = _rounded(df, decimals)
            curves.append(curve)
        act = activation(name)
        entries.append(
            {
                "name": name,
                "label": act.label,
                "formula": act.formula,
                "derivative_formula": act.derivative_formula,
                "param": None if slider is None else _param(slider),
                "settings": settings(name, most),
                "ylim": [round(float(low), 6), round(float(high), 6)],
                "curves": curves,
            }
        )
    return {"x": [float(x[0]), float(x[-1]), len(x)], "activations": entries}


def _param(slider):
    """A :class:`Slider` as plain data, its parameter under ``name``."""
    fields = vars(slider).copy()
    return {"name": fields.pop("param"), **fields}


def _rounded(values, decimals):
    """``values`` rounded, as a float or a list of floats, NaN as None, no -0."""
    rounded = np.round(np.asarray(values, dtype=float), decimals) + 0.0
    if rounded.ndim == 0:
        return float(rounded)
    return [None if np.isnan(v) else v for v in rounded.tolist()]


def _slider(name):
    if name not in SLIDERS:
        raise ValueError(
            f"explorer: no activation {name!r}; choose one of: {', '.join(SLIDERS)}"
        )
    return SLIDERS[name]
