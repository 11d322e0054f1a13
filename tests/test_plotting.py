"""Tests of actlib.plotting: each function draws what it says and returns it."""

import io
import re
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import actlib
from actlib.plotting import (
    PALETTE,
    STYLE,
    house_style,
    plot_activation,
    plot_comparison,
    plot_family,
)

plt.switch_backend("Agg")

ALL = actlib.names()
OKABE_ITO = {
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
}

#: Lists of Leaky ReLU slopes, as many as there are colours.
slopes = st.lists(st.floats(0, 1), min_size=1, max_size=len(PALETTE))


@pytest.fixture(autouse=True)
def close_figures():
    """Close every figure a test opens, and check that one was not left open."""
    assert not plt.get_fignums(), "a figure was open before the test"
    yield
    plt.close("all")


def drawn(ax, gid):
    """The lines on ``ax`` with this gid: "f", "f'" or "kink"."""
    return [line for line in ax.get_lines() if line.get_gid() == gid]


def render(fig):
    """Draw ``fig`` as the notebook would, turning any warning into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()


def assert_plots(line, function):
    """Check that ``line`` is the graph of ``function`` (a NaN is a break)."""
    x, y = line.get_xdata(), line.get_ydata()
    np.testing.assert_array_equal(y, function(x))


class TestHouseStyle:
    def test_palette_is_okabe_ito_without_yellow(self):
        assert all(re.fullmatch(r"#[0-9A-F]{6}", color) for color in PALETTE)
        assert len(set(PALETTE)) == len(PALETTE) == 7
        assert set(PALETTE) == OKABE_ITO - {"#F0E442"}

    def test_applies_the_style_and_then_restores_the_old_one(self):
        before = mpl.rcParams["lines.linewidth"]
        with house_style():
            assert mpl.rcParams["lines.linewidth"] == STYLE["lines.linewidth"]
            assert mpl.rcParams["figure.facecolor"] == STYLE["figure.facecolor"]
        assert mpl.rcParams["lines.linewidth"] == before

    def test_figure_is_an_opaque_white_png_of_modest_size(self):
        ax = plot_activation(actlib.relu)
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format="png")
        buffer.seek(0)
        image = plt.imread(buffer)
        assert image.shape == (350, 600, 4)
        np.testing.assert_array_equal(image[0, 0], [1.0, 1.0, 1.0, 1.0])
        assert (image[..., 3] == 1).all()  # opaque everywhere: reads on dark pages

    def test_outlasts_the_with_block_when_drawn_later(self):
        # A notebook draws the figure after the cell, outside house_style().
        with mpl.rc_context({"xtick.labelsize": 20, "grid.color": "red"}):
            ax = plot_activation(actlib.relu)
            render(ax.figure)
        tick = ax.xaxis.get_major_ticks()[1]
        assert tick.label1.get_fontsize() == STYLE["xtick.labelsize"]
        assert tick.gridline.get_color() == STYLE["grid.color"]

    def test_curves_are_thick(self):
        ax = plot_family(actlib.leaky_relu, "alpha", [0.1, 0.2], derivative=True)
        assert all(line.get_linewidth() >= 2 for line in drawn(ax, "f"))
        assert all(line.get_linewidth() >= 2 for line in drawn(ax, "f'"))


class TestPlotActivation:
    def test_returns_the_axes_of_a_new_figure(self):
        ax = plot_activation(actlib.relu)
        assert isinstance(ax, mpl.axes.Axes)
        assert plt.get_fignums() == [ax.figure.number]

    def test_draws_on_the_axes_given(self):
        fig, given_ax = plt.subplots()
        assert plot_activation(actlib.relu, ax=given_ax) is given_ax
        assert plt.get_fignums() == [fig.number]

    @pytest.mark.parametrize("name", ALL)
    def test_draws_f_solid_and_f_prime_dashed(self, name):
        act = actlib.get(name)
        ax = plot_activation(act)
        [f], [grad] = drawn(ax, "f"), drawn(ax, "f'")
        assert_plots(f, act)
        assert_plots(grad, act.grad)
        assert f.get_linestyle() == "-"
        assert grad.get_linestyle() == "--"
        assert f.get_color() != grad.get_color()
        assert ax.get_title() == repr(act)
        render(ax.figure)

    def test_default_x_spans_minus_4_to_4_through_0(self):
        [f] = drawn(plot_activation(actlib.tanh), "f")
        x = f.get_xdata()
        assert (x[0], x[-1]) == (-4.0, 4.0)
        assert 0.0 in x
        assert len(x) > 500

    def test_uses_the_x_given(self):
        x = [-1.0, 0.5, 2.0]
        [f] = drawn(plot_activation(actlib.tanh, x=x), "f")
        np.testing.assert_array_equal(f.get_xdata(), x)

    def test_without_derivative_draws_only_f(self):
        ax = plot_activation(actlib.tanh, derivative=False)
        assert len(drawn(ax, "f")) == 1
        assert drawn(ax, "f'") == []
        assert ax.get_ylabel() == "$f(x)$"

    def test_marks_the_kink_of_relu(self):
        ax = plot_activation(actlib.relu)
        marks = drawn(ax, "kink")
        points = {
            (float(x), float(y))
            for line in marks
            for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)
            if line.get_marker() == "o"
        }
        # f(0) = 0; f'(0) = 0 is taken, the right-hand limit 1 is not.
        assert points == {(0.0, 0.0), (0.0, 1.0)}
        [guide] = [line for line in marks if line.get_linestyle() == ":"]
        assert list(guide.get_xdata()) == [0, 0]

    def test_open_dot_marks_the_limit_not_taken(self):
        ax = plot_activation(actlib.get("leaky_relu", alpha=0.2))
        [open_dot] = [
            line
            for line in drawn(ax, "kink")
            if line.get_markerfacecolor() == "#FFFFFF"
        ]
        np.testing.assert_array_equal(open_dot.get_ydata(), [1.0])

    @pytest.mark.parametrize("name", ["sigmoid", "tanh", "swish", "gelu", "elu"])
    def test_smooth_activations_have_no_kink_mark(self, name):
        ax = plot_activation(name)
        assert drawn(ax, "kink") == []
        [grad] = drawn(ax, "f'")
        assert not np.isnan(grad.get_ydata()).any()

    def test_kink_outside_x_is_not_marked(self):
        ax = plot_activation(actlib.relu, x=np.linspace(1, 2, 11))
        assert drawn(ax, "kink") == []

    def test_derivative_line_breaks_at_the_kink(self):
        [grad] = drawn(plot_activation(actlib.relu), "f'")
        x = grad.get_xdata()
        assert np.isnan(x).sum() == 1
        assert 0.0 not in x

    def test_legend_shows_a_formula_that_fits(self):
        ax = plot_activation(actlib.relu)
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        # relu' is written with \begin{cases}, which matplotlib cannot typeset.
        assert labels == [r"$f(x) = \max(0, x)$", "$f'(x)$"]

    def test_legend_falls_back_to_f_for_a_formula_in_cases(self):
        ax = plot_activation(actlib.elu)
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels == ["$f(x)$", "$f'(x)$"]

    def test_label_replaces_the_legend_entry_for_f(self):
        ax = plot_activation(actlib.relu, label="ReLU")
        assert ax.get_legend().get_texts()[0].get_text() == "ReLU"

    def test_legend_can_be_left_out(self):
        assert plot_activation(actlib.relu, legend=False).get_legend() is None

    @pytest.mark.parametrize(
        "act",
        [
            actlib.get("elu", alpha=0.5),
            actlib.get("gelu", approximate="tanh"),
            actlib.get("softplus", beta=3.0),
        ],
        ids=repr,
    )
    def test_renders_with_parameters(self, act):
        ax = plot_activation(act)
        assert_plots(drawn(ax, "f")[0], act)
        render(ax.figure)

    def test_takes_a_name(self):
        ax = plot_activation("leaky_relu")
        assert ax.get_title() == repr(actlib.leaky_relu)

    def test_unknown_name_is_refused(self):
        with pytest.raises(ValueError, match="unknown activation 'nope'"):
            plot_activation("nope")
        assert not plt.get_fignums()

    @pytest.mark.parametrize("x", [[[0.0, 1.0]], [1.0], 3.0])
    def test_x_must_be_1d_with_two_points(self, x):
        with pytest.raises(ValueError, match="x must be 1-D with at least 2 points"):
            plot_activation(actlib.relu, x=x)


class TestPlotComparison:
    def test_one_visible_panel_per_activation_and_spares_hidden(self):
        fig, axes = plot_comparison(ALL)
        assert axes.shape == (4, 3)
        visible = [ax for ax in axes.flat if ax.get_visible()]
        assert [ax.get_title() for ax in visible] == [
            repr(actlib.get(name)) for name in ALL
        ]
        assert not any(ax.get_visible() for ax in axes.flat[len(ALL) :])
        assert fig is axes[0, 0].figure

    def test_each_panel_plots_its_activation(self):
        _, axes = plot_comparison(ALL, derivative=True)
        for name, ax in zip(ALL, axes.flat, strict=False):
            act = actlib.get(name)
            assert_plots(drawn(ax, "f")[0], act)
            assert_plots(drawn(ax, "f'")[0], act.grad)

    def test_panels_share_their_limits(self):
        _, axes = plot_comparison(["relu", "sigmoid", "tanh", "selu"], ncols=2)
        assert len({ax.get_xlim() for ax in axes.flat}) == 1
        assert len({ax.get_ylim() for ax in axes.flat}) == 1

    def test_all_ten_render_without_warnings(self):
        fig, _ = plot_comparison(ALL, derivative=True)
        render(fig)

    def test_x_tick_labels_under_the_last_panel_of_each_column(self):
        fig, axes = plot_comparison(ALL)
        render(fig)

        def labelled(ax):
            return any(tick.label1.get_visible() for tick in ax.xaxis.get_major_ticks())

        # Ten panels in rows of three: the fourth row holds the tenth alone.
        assert [labelled(ax) for ax in axes.flat[:10]] == [False] * 7 + [True] * 3

    def test_accepts_names_and_activations_alike(self):
        leaky = actlib.get("leaky_relu", alpha=0.2)
        _, axes = plot_comparison(["relu", leaky])
        assert axes.shape == (1, 2)  # no more columns than activations
        assert [ax.get_title() for ax in axes.flat] == ["ReLU", repr(leaky)]

    def test_derivative_adds_one_legend_for_the_figure(self):
        fig, axes = plot_comparison(["relu", "tanh"], derivative=True)
        [legend] = fig.legends
        assert [text.get_text() for text in legend.get_texts()] == [
            "$f(x)$",
            "$f'(x)$",
        ]
        assert all(ax.get_legend() is None for ax in axes.flat)

    def test_draws_on_the_axes_given(self):
        fig, given = plt.subplots(2, 2, sharex=True, sharey=True)
        fig_out, axes = plot_comparison(["relu", "elu", "gelu"], axes=given)
        assert fig_out is fig
        assert (axes == given).all()
        assert [ax.get_visible() for ax in axes.flat] == [True, True, True, False]
        assert plt.get_fignums() == [fig.number]

    def test_single_activation_is_refused(self):
        with pytest.raises(TypeError, match="expects a list of activations"):
            plot_comparison("relu")

    def test_empty_list_is_refused(self):
        with pytest.raises(ValueError, match="needs at least one activation"):
            plot_comparison([])

    def test_unknown_name_is_refused(self):
        with pytest.raises(ValueError, match="unknown activation 'nope'"):
            plot_comparison(["relu", "nope"])
        assert not plt.get_fignums()

    def test_ncols_must_be_positive(self):
        with pytest.raises(ValueError, match="ncols must be at least 1, got 0"):
            plot_comparison(["relu"], ncols=0)

    def test_too_few_axes_are_refused(self):
        _, given = plt.subplots(1, 2)
        with pytest.raises(ValueError, match="got 2 axes for 3 activations"):
            plot_comparison(["relu", "elu", "gelu"], axes=given)


class TestPlotFamily:
    def test_one_curve_per_value_in_palette_order(self):
        values = [0.0, 0.01, 0.1, 0.3]
        ax = plot_family(actlib.leaky_relu, "alpha", values)
        lines = drawn(ax, "f")
        assert [line.get_color() for line in lines] == PALETTE[:4]
        for line, alpha in zip(lines, values, strict=True):
            assert_plots(line, actlib.get("leaky_relu", alpha=alpha))
        assert drawn(ax, "f'") == []
        assert ax.get_title() == "Leaky ReLU"

    def test_legend_names_the_value_with_a_greek_letter(self):
        ax = plot_family("leaky_relu", "alpha", [0.0, 0.1])
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels == [r"$\alpha = 0.0$", r"$\alpha = 0.1$"]
        render(ax.figure)

    def test_derivative_dashed_in_the_colour_of_its_curve(self):
        values = [0.0, 0.1, 0.3]
        ax = plot_family(actlib.leaky_relu, "alpha", values, derivative=True)
        for f, grad, alpha in zip(drawn(ax, "f"), drawn(ax, "f'"), values, strict=True):
            assert_plots(grad, actlib.get("leaky_relu", alpha=alpha).grad)
            assert grad.get_color() == f.get_color()
            assert grad.get_linestyle() == "--"
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels[-2:] == ["$f(x)$", "$f'(x)$"]
        render(ax.figure)

    def test_kink_is_marked_once(self):
        ax = plot_family(actlib.leaky_relu, "alpha", [0.1, 0.2])
        [guide] = drawn(ax, "kink")
        assert list(guide.get_xdata()) == [0, 0]

    def test_smooth_family_has_no_kink(self):
        ax = plot_family(actlib.swish, "beta", [0.5, 1.0, 2.0], derivative=True)
        assert drawn(ax, "kink") == []
        render(ax.figure)

    def test_parameter_without_a_greek_name_is_spelled_out(self):
        ax = plot_family(actlib.gelu, "approximate", ["none", "tanh"])
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels == ["approximate = none", "approximate = tanh"]

    def test_draws_on_the_axes_given(self):
        _, given_ax = plt.subplots()
        assert plot_family(actlib.elu, "alpha", [0.5, 1.0], ax=given_ax) is given_ax

    @settings(max_examples=15, deadline=None)
    @given(values=slopes)
    def test_every_curve_is_its_activation(self, values):
        ax = plot_family(actlib.leaky_relu, "alpha", values, derivative=True)
        for line, alpha in zip(drawn(ax, "f"), values, strict=True):
            assert_plots(line, actlib.get("leaky_relu", alpha=alpha))
        plt.close(ax.figure)

    def test_parameter_the_activation_does_not_take_is_refused(self):
        with pytest.raises(TypeError, match=r"leaky_relu has no parameter 'beta' "):
            plot_family(actlib.leaky_relu, "beta", [1.0])
        with pytest.raises(TypeError, match=r"\(it takes: no parameters\)"):
            plot_family(actlib.relu, "alpha", [0.1])
        assert not plt.get_fignums()

    def test_empty_values_are_refused(self):
        with pytest.raises(ValueError, match="needs at least one value for 'alpha'"):
            plot_family(actlib.leaky_relu, "alpha", [])

    def test_more_values_than_colours_are_refused(self):
        with pytest.raises(ValueError, match="at most 7 values, one per colour"):
            plot_family(actlib.leaky_relu, "alpha", np.linspace(0, 1, 8))

    def test_bad_value_is_refused_by_the_activation(self):
        with pytest.raises(ValueError, match="parameter 'alpha' must be finite"):
            plot_family(actlib.leaky_relu, "alpha", [0.1, np.nan])
        assert not plt.get_fignums()
