"""actlib.explorer: the table, the settings, the axes and the controls.

That the figure redraws inside the explorer's output when a reader moves a
control is tested in JupyterLab itself (test_jupyterlab.py).
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest

import actlib
from actlib import explorer

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MOVABLE = [name for name, slider in explorer.SLIDERS.items() if slider is not None]


@pytest.mark.parametrize("name", list(explorer.SLIDERS))
def test_the_table_names_real_activations_and_their_parameters(name):
    act = actlib.get(name)
    slider = explorer.SLIDERS[name]
    if slider is None:
        return
    assert slider.param in act.defaults
    assert slider.low <= slider.value <= slider.high
    steps = (slider.high - slider.low) / slider.step
    assert math.isclose(steps, round(steps)), "the range is not a whole number of steps"


def test_activation_sets_the_parameter_and_refuses_what_the_slider_cannot_reach():
    assert explorer.activation("leaky_relu", 0.3).params == {"alpha": 0.3}
    assert explorer.activation("swish").params == {"beta": 1.0}
    with pytest.raises(ValueError, match=r"alpha of leaky_relu goes from 0.0 to 1.0"):
        explorer.activation("leaky_relu", 1.5)
    with pytest.raises(ValueError, match="relu has no parameter"):
        explorer.activation("relu", 0.5)
    with pytest.raises(ValueError, match="no activation 'mish'; choose one of: relu"):
        explorer.activation("mish")


@pytest.mark.parametrize("name", MOVABLE)
def test_the_axes_hold_every_curve_at_any_setting(name):
    low, high = explorer.y_limits(name)
    slider = explorer.SLIDERS[name]
    rng = np.random.default_rng(0)
    for value in [slider.low, slider.high, *rng.uniform(slider.low, slider.high, 5)]:
        act = explorer.activation(name, float(value))
        for curve in (act(explorer.X), act.grad(explorer.X)):
            assert low < curve.min() and curve.max() < high, value


def test_the_axes_are_not_wider_than_the_curves_need():
    """A 5% margin, not a fixed box: ReLU's f and f' span [0, 4]."""
    assert explorer.y_limits("relu") == pytest.approx((-0.2, 4.2))


def test_only_the_chosen_activation_shows_its_slider():
    box = explorer.explorer()
    choice, *sliders, _figure, _caption = box.children
    shown = {
        control.description for control in sliders if control.layout.display != "none"
    }
    assert choice.value == "leaky_relu" and shown == {"alpha"}
    for name in explorer.SLIDERS:
        choice.value = name
        shown = [control for control in sliders if control.layout.display != "none"]
        slider = explorer.SLIDERS[name]
        if slider is None:
            assert shown == []
        else:
            (control,) = shown
            assert (control.description, control.min, control.max) == (
                slider.param,
                slider.low,
                slider.high,
            )


@pytest.mark.parametrize("path", sorted(CHAPTERS.glob("*.ipynb")), ids=lambda p: p.name)
def test_no_chapter_stores_a_widget_view(path):
    """Its state is not stored with it, so a reader would see a broken widget."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        for output in cell.get("outputs", []):
            assert WIDGET_VIEW not in output.get("data", {}), cell["source"]


def test_every_setting_redraws_the_figure_and_its_caption():
    box = explorer.explorer()
    choice, alpha, *_, figure, caption = box.children
    before = bytes(figure.value)
    assert before.startswith(b"\x89PNG") and caption.value.startswith(
        "Leaky ReLU(alpha=0.1)"
    )
    alpha.value = 0.5
    assert bytes(figure.value) != before and caption.value.startswith(
        "Leaky ReLU(alpha=0.5)"
    )
    choice.value = "gelu"
    assert caption.value.startswith("GELU(approximate='none')")


# --- The web book's explorer: the settings and the curves it ships -----------


@pytest.mark.parametrize("name", MOVABLE)
def test_the_web_settings_span_the_slider_on_its_steps(name):
    slider = explorer.SLIDERS[name]
    values = explorer.settings(name)
    assert values == sorted(set(values))
    assert values[0] == slider.low and values[-1] == slider.high
    assert slider.value in values
    steps = (np.array(values) - slider.low) / slider.step
    assert np.allclose(steps, np.round(steps)), "a setting off the slider's steps"
    assert 15 <= len(values) <= 31


def test_beta_is_spread_on_a_log_scale():
    """Where beta is small, the bend is wide and changes fast: an even spread
    of 25 settings over 0.1 to 10 would put 3 of them below beta = 1."""
    for name in ["swish", "softplus"]:
        values = explorer.settings(name)
        assert sum(value < 1 for value in values) >= 8, values


@pytest.mark.parametrize("name", list(explorer.SLIDERS))
def test_the_web_curves_are_actlibs_rounded(name):
    """Each curve the web book ships is actlib's, rounded to the fifth digit
    of the y-range's span, inside that range; f' is None at a kink only."""
    data = json.loads(json.dumps(explorer.web_data()))  # plain JSON, unchanged
    (entry,) = [e for e in data["activations"] if e["name"] == name]
    x = np.linspace(*data["x"][:2], data["x"][2])
    assert np.array_equal(x, explorer.WEB_X)
    low, high = entry["ylim"]
    quantum = 10.0 ** (int(np.floor(np.log10(high - low))) - 4)
    assert entry["settings"] == explorer.settings(name)
    assert len(entry["curves"]) == len(entry["settings"])
    for value, curve in zip(entry["settings"], entry["curves"], strict=True):
        act = explorer.activation(name, value)
        f = np.array(curve["f"], dtype=float)
        df = np.array([np.nan if v is None else v for v in curve["df"]])
        assert np.abs(f - act(x)).max() <= quantum / 2 + 1e-12
        breaks = np.isnan(df)
        if act.kink is None:
            assert curve["kink"] is None and not breaks.any()
        else:
            assert np.array_equal(x[breaks], [act.kink])
            assert curve["kink"]["df"] == pytest.approx(act.grad(act.kink), abs=quantum)
        assert np.abs(df[~breaks] - act.grad(x[~breaks])).max() <= quantum / 2 + 1e-12
        for values in (f, df[~breaks]):
            assert low < values.min() and values.max() < high, value
