"""Tests of actlib.plotting: each function draws what it says and returns it."""

import dataclasses
import io
import json
import re
import warnings
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import actlib
from actlib import data, diagnostics, nn, plotting
from actlib.plotting import (
    MARKERS,
    MAX_LEGEND_WIDTH,
    METRICS,
    PALETTE,
    STYLE,
    house_style,
    plot_activation,
    plot_comparison,
    plot_decision_boundary,
    plot_family,
    plot_history,
    plot_layers,
    plot_sweep,
    plot_variance_through_depth,
)
from actlib.plotting.curves import _legend_label
from actlib.training import SGD, History, train

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


def by_gid(ax, gid):
    """The collections on ``ax`` with this gid: "band", "region", "boundary"..."""
    return [artist for artist in ax.collections if artist.get_gid() == gid]


def band_edges(band, x):
    """The lower and upper edges of a fill_between band at each x (NaN: no band)."""
    vertices = np.concatenate([path.vertices for path in band.get_paths()])
    at_x = [vertices[vertices[:, 0] == value, 1] for value in x]
    lower = [ys.min() if ys.size else np.nan for ys in at_x]
    upper = [ys.max() if ys.size else np.nan for ys in at_x]
    return np.array(lower), np.array(upper)


def render(fig):
    """Draw ``fig`` as the notebook would, turning any warning into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()


def assert_plots(line, function):
    """Check that ``line`` is the graph of ``function`` (a NaN is a break)."""
    x, y = line.get_xdata(), line.get_ydata()
    np.testing.assert_array_equal(y, function(x))


CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"


class TestPackage:
    def test_each_module_holds_its_part(self):
        assert plotting.house_style.__module__ == "actlib.plotting.style"
        assert plotting.plot_family.__module__ == "actlib.plotting.curves"
        assert plotting.plot_history.__module__ == "actlib.plotting.figures"

    def test_every_name_a_chapter_imports_is_exported(self):
        imported = set()
        for notebook in CHAPTERS.glob("*.ipynb"):
            for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
                source = "".join(cell["source"])
                # A parenthesised list, or the rest of the line.
                pattern = r"from actlib\.plotting import (?:\(([^)]*)\)|([^\n(]*))"
                for group in re.findall(pattern, source):
                    names = ",".join(group).split(",")
                    imported |= {name.strip() for name in names} - {""}
        assert "plot_activation" in imported
        assert imported <= set(plotting.__all__)
        assert all(hasattr(plotting, name) for name in plotting.__all__)


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

    @pytest.mark.parametrize("name", ALL)
    def test_legend_spells_out_every_formula_but_cases(self, name):
        act = actlib.get(name)
        ax = plot_activation(act)
        entries = {"f(x)": act.formula, "f'(x)": act.derivative_formula}
        expected = [
            f"${lhs}$" if r"\begin{cases}" in formula else f"${lhs} = {formula}$"
            for lhs, formula in entries.items()
        ]
        assert [text.get_text() for text in ax.get_legend().get_texts()] == expected
        render(ax.figure)  # matplotlib typesets every entry

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

    def test_parameter_the_activation_does_not_take_is_refused_by_it(self):
        with pytest.raises(TypeError, match=r"unexpected parameter 'beta' "):
            plot_family(actlib.leaky_relu, "beta", [1.0])
        with pytest.raises(TypeError, match=r"\(it takes: no parameters\)"):
            plot_family(actlib.relu, "alpha", [0.1])
        assert not plt.get_fignums()

    def test_more_values_than_colours_are_refused(self):
        with pytest.raises(ValueError, match="at most 7 values, one per colour"):
            plot_family(actlib.leaky_relu, "alpha", np.linspace(0, 1, 8))

    def test_bad_value_is_refused_by_the_activation(self):
        with pytest.raises(ValueError, match="parameter 'alpha' must be finite"):
            plot_family(actlib.leaky_relu, "alpha", [0.1, np.nan])
        assert not plt.get_fignums()


# The property of plot_family: a module-level function, as every @given test is
# (Hypothesis's differing_executors health check refuses a method that pytest
# runs on several instances of its class).


@settings(max_examples=15, deadline=None)
@given(values=slopes)
def test_plot_family_draws_every_curve_as_its_activation(values):
    ax = plot_family(actlib.leaky_relu, "alpha", values, derivative=True)
    for line, alpha in zip(drawn(ax, "f"), values, strict=True):
        assert_plots(line, actlib.get("leaky_relu", alpha=alpha))
    plt.close(ax.figure)


class TestLegendLabel:
    def test_a_short_formula_is_spelled_out(self):
        assert _legend_label("f(x)", r"\tanh(x)") == r"$f(x) = \tanh(x)$"

    def test_a_formula_up_to_the_limit_is_spelled_out_and_no_longer(self):
        fits, too_long = "x" * MAX_LEGEND_WIDTH, "x" * (MAX_LEGEND_WIDTH + 1)
        assert _legend_label("f(x)", fits) == f"$f(x) = {fits}$"
        assert _legend_label("f(x)", too_long) == "$f(x)$"

    def test_a_formula_in_cases_is_left_out(self):
        cases = r"\begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}"
        assert len(cases) < MAX_LEGEND_WIDTH
        assert _legend_label("f'(x)", cases) == "$f'(x)$"


# The experiment figures.

#: A few points of the moons, and some more to validate on.
X_MOONS, Y_MOONS = data.moons(40, seed=0)
X_VAL, Y_VAL = data.moons(20, seed=1)


def tiny_runs(seeds=3, epochs=4, activation="relu", **train_args):
    """Histories of a tiny network on 40 moons, one per seed, in milliseconds."""
    return [
        train(
            nn.MLP([2, 6, 5, 2], activation=activation, seed=seed),
            (X_MOONS, Y_MOONS),
            optimizer=SGD(lr=0.1),
            epochs=epochs,
            seed=seed,
            **train_args,
        )
        for seed in range(seeds)
    ]


@pytest.fixture(scope="module")
def runs():
    """Three seeds of one configuration, measured on a validation set as well."""
    return tiny_runs(val=(X_VAL, Y_VAL))


def diverge(history, epoch):
    """A copy of ``history`` that diverged in ``epoch``, as train() records it."""
    loss = history.loss.copy()
    loss[epoch] = np.inf
    loss[epoch + 1 :] = np.nan
    return dataclasses.replace(history, loss=loss, diverged_epoch=epoch)


def finite_stats(runs):
    """Mean, std, min and max of each column over its finite entries, one by one."""
    columns = [[v for v in column if np.isfinite(v)] for column in np.transpose(runs)]
    return [
        np.array([f(c) if c else np.nan for c in columns])
        for f in (np.mean, np.std, np.min, np.max)
    ]


class TestPlotHistory:
    def test_returns_the_axes_of_a_new_figure(self, runs):
        ax = plot_history(runs)
        assert isinstance(ax, mpl.axes.Axes)
        assert plt.get_fignums() == [ax.figure.number]

    def test_draws_on_the_axes_given(self, runs):
        fig, given_ax = plt.subplots()
        assert plot_history(runs, ax=given_ax) is given_ax
        assert plt.get_fignums() == [fig.number]

    def test_mean_in_a_band_of_one_std(self, runs):
        ax = plot_history(runs)
        [mean] = drawn(ax, "mean")
        [band] = by_gid(ax, "band")
        loss = np.array([history.loss for history in runs])
        epoch = np.arange(5)
        np.testing.assert_array_equal(mean.get_xdata(), epoch)
        np.testing.assert_allclose(mean.get_ydata(), loss.mean(axis=0), rtol=1e-12)
        lower, upper = band_edges(band, epoch)
        std = loss.std(axis=0)
        np.testing.assert_allclose(lower, loss.mean(axis=0) - std, rtol=1e-12)
        np.testing.assert_allclose(upper, loss.mean(axis=0) + std, rtol=1e-12)
        assert ax.get_title() == "Training loss: mean ± std over seeds"
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "training loss")
        render(ax.figure)

    def test_range_band_runs_from_the_least_to_the_greatest(self, runs):
        ax = plot_history(runs, "val_accuracy", band="range")
        accuracy = np.array([history.val_accuracy for history in runs])
        lower, upper = band_edges(by_gid(ax, "band")[0], np.arange(5))
        np.testing.assert_array_equal(lower, accuracy.min(axis=0))
        np.testing.assert_array_equal(upper, accuracy.max(axis=0))
        assert ax.get_title() == "Validation accuracy: mean and range over seeds"

    def test_no_band(self, runs):
        ax = plot_history(runs, band=None)
        assert by_gid(ax, "band") == []
        assert ax.get_title() == "Training loss: mean over seeds"

    @pytest.mark.parametrize(
        ("metric", "layer", "column", "name"),
        [
            ("dead_fraction", 1, 1, "dead fraction, layer 1"),
            ("grad_norm", -1, 2, "gradient norm, layer 2"),
            ("activation_std", 0, 0, "activation std, layer 0"),
        ],
    )
    def test_per_layer_metric_draws_the_layer_asked_for(
        self, runs, metric, layer, column, name
    ):
        ax = plot_history(runs, metric, layer=layer)
        values = np.array([getattr(history, metric)[:, column] for history in runs])
        [mean] = drawn(ax, "mean")
        np.testing.assert_allclose(mean.get_ydata(), values.mean(axis=0), rtol=1e-12)
        assert ax.get_ylabel() == name

    def test_learned_parameter_is_averaged_over_the_units_of_its_layer(self):
        prelu = tiny_runs(activation="prelu")
        ax = plot_history(prelu, "alpha", layer=1, band="range")
        per_seed = np.array([h.learned["alpha"][1].mean(axis=1) for h in prelu])
        [mean] = drawn(ax, "mean")
        np.testing.assert_allclose(mean.get_ydata(), per_seed.mean(axis=0), rtol=1e-12)
        lower, upper = band_edges(by_gid(ax, "band")[0], np.arange(5))
        np.testing.assert_array_equal(lower, per_seed.min(axis=0))
        np.testing.assert_array_equal(upper, per_seed.max(axis=0))
        assert per_seed[:, 0].tolist() == [0.25] * 3  # PReLU's starting slope
        assert ax.get_ylabel() == "alpha (mean over units), layer 1"
        render(ax.figure)

    def test_learned_parameter_needs_a_layer(self):
        with pytest.raises(ValueError, match="choose one with layer= from 0 to 1"):
            plot_history(tiny_runs(seeds=1, activation="prelu"), "alpha")

    def test_learned_parameter_of_another_activation_is_refused(self, runs):
        with pytest.raises(ValueError, match="got 'alpha'"):
            plot_history(runs, "alpha", layer=0)

    def test_calls_on_one_axes_compare_configurations(self, runs):
        leaky = tiny_runs(seeds=2, activation="leaky_relu")
        ax = plot_history(runs, label="ReLU")
        plot_history(leaky, ax=ax, label="Leaky ReLU")
        means, bands = drawn(ax, "mean"), by_gid(ax, "band")
        assert [line.get_color() for line in means] == PALETTE[:2]
        assert [mpl.colors.to_hex(band.get_facecolor()[0]) for band in bands] == [
            color.lower() for color in PALETTE[:2]
        ]
        assert [text.get_text() for text in ax.get_legend().get_texts()] == [
            "ReLU",
            "Leaky ReLU",
        ]
        render(ax.figure)

    def test_colour_given_is_used(self, runs):
        [mean] = drawn(plot_history(runs, color=PALETTE[4]), "mean")
        assert mean.get_color() == PALETTE[4]

    def test_log_scale(self, runs):
        ax = plot_history(runs, "grad_norm", layer=0, log=True)
        assert ax.get_yscale() == "log"
        render(ax.figure)

    def test_mean_is_over_the_seeds_that_did_not_diverge(self, runs):
        histories = [runs[0], diverge(runs[1], 2), runs[2]]
        ax = plot_history(histories, label="ReLU")
        [mean] = drawn(ax, "mean")
        mean_of_finite, std, _, _ = finite_stats([h.loss for h in histories])
        assert not np.isnan(mean.get_ydata()).any()
        np.testing.assert_allclose(mean.get_ydata(), mean_of_finite, rtol=1e-12)
        lower, upper = band_edges(by_gid(ax, "band")[0], np.arange(5))
        np.testing.assert_allclose(upper - lower, 2 * std, atol=1e-12)
        [guide] = drawn(ax, "diverged")
        assert list(guide.get_xdata()) == [2, 2]
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels == ["ReLU (1 of 3 seeds diverged)"]
        render(ax.figure)

    def test_line_breaks_where_every_seed_diverged(self, runs):
        histories = [diverge(runs[0], 2), diverge(runs[1], 3)]
        ax = plot_history(histories, band="range")
        [mean] = drawn(ax, "mean")
        assert np.isnan(mean.get_ydata()[3:]).all()
        assert not np.isnan(mean.get_ydata()[:3]).any()
        assert ax.get_legend_handles_labels()[1] == ["2 of 2 seeds diverged"]
        render(ax.figure)

    def test_metrics_are_the_measurements_of_a_history(self):
        fields = {field.name for field in dataclasses.fields(History)}
        assert set(METRICS) == fields - {"epoch", "diverged_epoch", "learned"}

    def test_one_history_is_refused(self, runs):
        with pytest.raises(
            TypeError, match=r"expects a list of histories.*\[history\]"
        ):
            plot_history(runs[0])

    def test_unknown_metric_is_refused_with_the_known_ones(self, runs):
        known = " or ".join(repr(name) for name in METRICS)
        with pytest.raises(ValueError, match=re.escape(f"must be {known}, got 'lost'")):
            plot_history(runs, "lost")

    def test_metric_not_measured_is_refused(self):
        with pytest.raises(ValueError, match="'val_loss' was not measured"):
            plot_history(tiny_runs(seeds=1), "val_loss")

    def test_per_layer_metric_needs_a_layer(self, runs):
        with pytest.raises(ValueError, match="choose one with layer= from 0 to 1"):
            plot_history(runs, "dead_fraction")

    def test_unknown_band_is_refused(self, runs):
        with pytest.raises(
            ValueError, match="'band' must be 'std' or 'range', got 'iqr'"
        ):
            plot_history(runs, band="iqr")
        assert not plt.get_fignums()


class TestPlotLayers:
    def test_one_bar_per_layer(self):
        values = [0.5, 1.5, 1.75]
        ax = plot_layers(values, quantity="gradient norm")
        [bars] = ax.containers
        assert [bar.get_height() for bar in bars] == values
        centres = [bar.get_x() + bar.get_width() / 2 for bar in bars]
        np.testing.assert_allclose(centres, [0, 1, 2])
        assert ax.get_title() == "Gradient norm per layer"
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("layer", "gradient norm")
        assert ax.get_legend() is None
        render(ax.figure)

    def test_configurations_side_by_side_in_palette_order(self):
        values = np.array([[1.0, 0.5, 0.1], [1.0, 0.9, 0.8], [0.2, 0.3, 0.4]])
        ax = plot_layers(values, labels=["ReLU", "Leaky ReLU", "ELU"])
        assert len(ax.containers) == 3
        for bars, row, color in zip(ax.containers, values, PALETTE, strict=False):
            assert [bar.get_height() for bar in bars] == list(row)
            assert {mpl.colors.to_hex(bar.get_facecolor()) for bar in bars} == {
                color.lower()
            }
        # Within a layer's group the bars sit side by side, centred on the layer.
        for layer in range(3):
            group = [bars[layer] for bars in ax.containers]
            lefts = [bar.get_x() for bar in group]
            assert lefts == sorted(lefts)
            middle = (group[0].get_x() + group[-1].get_x() + group[-1].get_width()) / 2
            assert middle == pytest.approx(layer)
        labels = [text.get_text() for text in ax.get_legend().get_texts()]
        assert labels == ["ReLU", "Leaky ReLU", "ELU"]
        render(ax.figure)

    def test_log_scale_starts_the_bars_a_power_of_ten_below(self):
        ax = plot_layers([[0.04, 2.0], [0.0, 30.0]], log=True)
        assert ax.get_yscale() == "log"
        assert ax.get_ylim()[0] == pytest.approx(0.01)
        render(ax.figure)

    def test_heatmap_of_layers_against_epochs(self, runs):
        dead = runs[0].dead_fraction
        ax = plot_layers(dead, kind="heatmap", quantity="dead fraction")
        [image] = ax.images
        np.testing.assert_array_equal(image.get_array(), dead.T)
        assert image.colorbar.ax.get_ylabel() == "dead fraction"
        assert ax.get_title() == "Dead fraction through training"
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("epoch", "layer")
        render(ax.figure)

    def test_heatmap_on_a_log_scale_with_a_diverged_run(self):
        grad_norm = np.array([[1.0, 0.1], [2.0, 0.01], [np.nan, np.nan]])
        ax = plot_layers(grad_norm, kind="heatmap", log=True)
        assert isinstance(ax.images[0].norm, mpl.colors.LogNorm)
        render(ax.figure)

    def test_draws_on_the_axes_given(self):
        fig, given_ax = plt.subplots()
        assert plot_layers([[1.0, 2.0]], ax=given_ax, kind="heatmap") is given_ax
        assert len(fig.axes) == 2  # the axes, and the colour bar's

    def test_unknown_kind_is_refused(self):
        with pytest.raises(ValueError, match="'kind' must be 'bar' or 'heatmap'"):
            plot_layers([1.0], kind="pie")

    def test_bars_of_more_than_two_dimensions_are_refused(self):
        with pytest.raises(ValueError, match=r"shape \(n_layers,\) or \(n_config"):
            plot_layers(np.ones((2, 2, 2)))
        assert not plt.get_fignums()

    def test_wrong_number_of_labels_is_refused(self):
        with pytest.raises(ValueError, match="got 1 labels for 2 configurations"):
            plot_layers([[1.0], [2.0]], labels=["ReLU"])

    def test_more_configurations_than_colours_are_refused(self):
        with pytest.raises(ValueError, match="at most 7 configurations"):
            plot_layers(np.ones((8, 3)))
        assert not plt.get_fignums()


class Halves:
    """A classifier that says class 1 right of x1 = 0.25 and class 0 left of it."""

    def __init__(self):
        self.points = None

    def predict(self, points):
        self.points = points
        return (points[:, 0] > 0.25).astype(np.int64)


class TestPlotDecisionBoundary:
    def test_regions_split_where_the_model_does(self):
        ax = plot_decision_boundary(Halves(), X_MOONS, Y_MOONS, resolution=101)
        left, right = by_gid(ax, "region")
        step = (ax.get_xlim()[1] - ax.get_xlim()[0]) / 100
        assert left.get_paths()[0].vertices[:, 0].max() <= 0.25 + step
        assert right.get_paths()[0].vertices[:, 0].min() >= 0.25 - step
        assert [mpl.colors.to_hex(r.get_facecolor()[0]) for r in (left, right)] == [
            color.lower() for color in PALETTE[:2]
        ]
        assert len(by_gid(ax, "boundary")) == 2
        render(ax.figure)

    def test_grid_covers_the_data_and_the_padding(self):
        model = Halves()
        ax = plot_decision_boundary(model, X_MOONS, Y_MOONS, resolution=30, padding=1)
        assert model.points.shape == (30 * 30, 2)
        low, high = X_MOONS.min(axis=0) - 1, X_MOONS.max(axis=0) + 1
        np.testing.assert_allclose(model.points.min(axis=0), low)
        np.testing.assert_allclose(model.points.max(axis=0), high)
        np.testing.assert_allclose(ax.get_xlim(), [low[0], high[0]])
        np.testing.assert_allclose(ax.get_ylim(), [low[1], high[1]])

    def test_points_of_each_class_in_its_colour_and_shape(self):
        ax = plot_decision_boundary(Halves(), X_MOONS, Y_MOONS, resolution=20)
        points = by_gid(ax, "data")
        assert len(points) == 2
        for k, collection in enumerate(points):
            np.testing.assert_array_equal(
                collection.get_offsets(), X_MOONS[Y_MOONS == k]
            )
            assert (
                mpl.colors.to_hex(collection.get_facecolor()[0]) == PALETTE[k].lower()
            )
        shapes = [collection.get_paths()[0].vertices for collection in points]
        assert shapes[0].shape != shapes[1].shape or (shapes[0] != shapes[1]).any()
        assert ax.get_legend_handles_labels()[1] == ["class 0", "class 1"]
        assert ax.get_title() == "Decision boundary"
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x_1$", "$x_2$")

    def test_three_classes_from_a_trained_network(self):
        X = np.concatenate([X_MOONS, X_MOONS + 3.0])
        y = np.concatenate([Y_MOONS, np.full(len(X_MOONS), 2)])
        model = nn.MLP([2, 8, 3], seed=0)
        train(model, (X, y), optimizer=SGD(lr=0.1), epochs=5, seed=0)
        ax = plot_decision_boundary(model, X, y, resolution=40)
        assert ax.get_legend_handles_labels()[1] == ["class 0", "class 1", "class 2"]
        assert len(MARKERS) == len(PALETTE) == len(set(MARKERS))
        render(ax.figure)

    def test_a_model_that_predicts_one_class_draws_one_region(self):
        class Constant:
            def predict(self, points):
                return np.zeros(len(points), dtype=np.int64)

        ax = plot_decision_boundary(Constant(), X_MOONS, Y_MOONS, resolution=10)
        assert len(by_gid(ax, "region")) == 1
        render(ax.figure)

    def test_draws_on_the_axes_given(self):
        _, given_ax = plt.subplots()
        ax = plot_decision_boundary(Halves(), X_MOONS, Y_MOONS, ax=given_ax)
        assert ax is given_ax

    @pytest.mark.parametrize("X", [np.ones((40, 3)), np.ones(40)])
    def test_points_not_in_the_plane_are_refused(self, X):
        with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
            plot_decision_boundary(Halves(), X, Y_MOONS)

    @pytest.mark.parametrize(
        "y", [Y_MOONS.astype(float), Y_MOONS - 1, Y_MOONS * 7], ids=["float", "-1", "7"]
    )
    def test_classes_without_a_colour_are_refused(self, y):
        with pytest.raises(ValueError, match="y must be classes 0 to 6"):
            plot_decision_boundary(Halves(), X_MOONS, y)

    def test_probabilities_for_predictions_are_refused(self):
        class Probabilities:
            def predict(self, points):
                return np.full((len(points), 2), 0.5)

        with pytest.raises(
            ValueError, match=r"model.predict\(\) must be classes 0 to 6"
        ):
            plot_decision_boundary(Probabilities(), X_MOONS, Y_MOONS, resolution=5)
        assert not plt.get_fignums()


class TestPlotVarianceThroughDepth:
    def test_one_line_per_configuration_on_a_log_scale(self):
        he = diagnostics.variance_through_depth(6, 16, init="he", n_samples=200)
        lecun = diagnostics.variance_through_depth(6, 16, init="lecun", n_samples=200)
        ax = plot_variance_through_depth([he, lecun], labels=["He", "LeCun"])
        lines = drawn(ax, "mean")
        for line, variances, color in zip(lines, [he, lecun], PALETTE, strict=False):
            np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 7))
            np.testing.assert_array_equal(line.get_ydata(), variances)
            assert line.get_color() == color
        assert by_gid(ax, "band") == []
        assert ax.get_yscale() == "log"
        assert ax.get_title() == "Variance through depth"
        assert ax.get_legend_handles_labels()[1] == ["He", "LeCun"]
        render(ax.figure)

    def test_seeds_give_their_mean_in_a_band_of_their_range(self):
        seeds = np.array([[1.0, 0.5, 0.2], [2.0, 0.5, 0.1], [3.0, 2.0, 0.3]])
        ax = plot_variance_through_depth([seeds, [1.0, 1.0, 1.0]])
        first, second = drawn(ax, "mean")
        np.testing.assert_allclose(first.get_ydata(), seeds.mean(axis=0))
        np.testing.assert_array_equal(second.get_ydata(), [1.0, 1.0, 1.0])
        [band] = by_gid(ax, "band")
        lower, upper = band_edges(band, [1, 2, 3])
        np.testing.assert_array_equal(lower, seeds.min(axis=0))
        np.testing.assert_array_equal(upper, seeds.max(axis=0))
        assert ax.get_legend() is None
        render(ax.figure)

    def test_draws_on_the_axes_given(self):
        _, given_ax = plt.subplots()
        assert plot_variance_through_depth([[1.0, 2.0]], ax=given_ax) is given_ax

    def test_an_array_is_refused_as_ambiguous(self):
        with pytest.raises(TypeError, match=r"got an array; .* pass \[variances\]"):
            plot_variance_through_depth(np.ones((3, 4)))

    @pytest.mark.parametrize("entry", [1.0, np.ones((2, 2, 2))])
    def test_configuration_of_the_wrong_shape_is_refused(self, entry):
        with pytest.raises(
            ValueError, match=r"shape \(depth,\), or \(n_seeds, depth\)"
        ):
            plot_variance_through_depth([[1.0, 2.0], entry])

    def test_wrong_number_of_labels_is_refused(self):
        with pytest.raises(ValueError, match="got 2 labels for 1 configurations"):
            plot_variance_through_depth([[1.0]], labels=["He", "LeCun"])

    def test_more_configurations_than_colours_are_refused(self):
        with pytest.raises(ValueError, match="at most 7 configurations"):
            plot_variance_through_depth([[1.0]] * 8)
        assert not plt.get_fignums()


class TestPlotSweep:
    RATES = [0.01, 0.03, 0.1]
    # One row per rate, one column per seed.
    RELU = np.array([[0.55, 0.95, 0.79], [0.87, 0.97, 0.95], [0.70, 0.85, 0.73]])
    SWISH = np.array([[0.98, 0.99, 0.98], [0.98, 0.99, 0.99], [0.86, 0.97, 0.95]])

    def test_one_line_per_configuration_mean_over_seeds_in_a_band(self):
        ax = plot_sweep(self.RATES, [self.RELU, self.SWISH], labels=["ReLU", "Swish"])
        lines, bands = drawn(ax, "mean"), by_gid(ax, "band")
        for line, band, runs, color in zip(
            lines, bands, [self.RELU, self.SWISH], PALETTE[:2], strict=True
        ):
            np.testing.assert_array_equal(line.get_xdata(), self.RATES)
            np.testing.assert_allclose(line.get_ydata(), runs.mean(axis=1))
            assert line.get_color() == color and line.get_marker() == "o"
            lower, upper = band_edges(band, self.RATES)
            np.testing.assert_allclose(lower, runs.mean(axis=1) - runs.std(axis=1))
            np.testing.assert_allclose(upper, runs.mean(axis=1) + runs.std(axis=1))
        assert ax.get_xscale() == "log"
        assert [t.get_text() for t in ax.get_xticklabels()] == ["0.01", "0.03", "0.1"]
        assert ax.get_title() == (
            "Validation accuracy against learning rate: mean ± std over seeds"
        )
        assert ax.get_xlabel() == "learning rate"
        assert ax.get_legend_handles_labels()[1] == ["ReLU", "Swish"]
        assert by_gid(ax, "best") == [] and drawn(ax, "best") == []
        render(ax.figure)

    @pytest.mark.parametrize(("best", "index"), [("max", 1), ("min", 2)])
    def test_best_value_is_ringed(self, best, index):
        ax = plot_sweep(self.RATES, [self.RELU], best=best)
        [ring] = drawn(ax, "best")
        assert ring.get_xdata().tolist() == [self.RATES[index]]
        np.testing.assert_allclose(ring.get_ydata(), self.RELU[index].mean())
        assert ring.get_markeredgecolor() == PALETTE[0]

    def test_diverged_runs_are_left_out(self):
        runs = self.RELU.copy()
        runs[2, 0] = np.nan
        ax = plot_sweep(self.RATES, [runs], band="range", log=False)
        [line] = drawn(ax, "mean")
        assert line.get_ydata()[2] == pytest.approx(0.79)
        lower, upper = band_edges(by_gid(ax, "band")[0], self.RATES)
        assert (lower[2], upper[2]) == (0.73, 0.85)
        assert ax.get_xscale() == "linear"
        assert ax.get_title().endswith("mean and range over seeds")

    def test_one_seed_and_no_band(self):
        ax = plot_sweep(
            [1.0, 2.0],
            [[0.5, 0.6]],
            band=None,
            quantity="loss",
            param="alpha",
            log=False,
        )
        [line] = drawn(ax, "mean")
        np.testing.assert_array_equal(line.get_ydata(), [0.5, 0.6])
        assert by_gid(ax, "band") == []
        assert ax.get_title() == "Loss against alpha: mean over seeds"
        assert ax.get_legend() is None

    def test_draws_on_the_axes_given(self):
        _, given_ax = plt.subplots()
        assert plot_sweep([0.1], [[1.0]], ax=given_ax) is given_ax

    def test_an_array_is_refused_as_ambiguous(self):
        with pytest.raises(TypeError, match=r"got an array; .* pass \[results\]"):
            plot_sweep(self.RATES, self.RELU)

    @pytest.mark.parametrize(
        "values", [[0.1, 0.01], [[0.1]], [], [0.0, 0.1], [0.1, np.inf]]
    )
    def test_a_bad_grid_is_refused(self, values):
        with pytest.raises(ValueError, match="values must be a 1-D grid"):
            plot_sweep(values, [np.ones(np.size(values))])

    def test_a_negative_grid_is_fine_on_a_linear_scale(self):
        ax = plot_sweep([-1.0, 0.0], [[0.5, 0.6]], log=False)
        assert ax.get_xscale() == "linear"

    def test_results_need_one_row_per_value(self):
        with pytest.raises(ValueError, match=r"shape \(3,\) or \(3, n_seeds\)"):
            plot_sweep(self.RATES, [self.RELU[:2]])

    def test_wrong_labels_and_too_many_configurations_are_refused(self):
        with pytest.raises(ValueError, match="got 2 labels for 1 configurations"):
            plot_sweep(self.RATES, [self.RELU], labels=["ReLU", "Swish"])
        with pytest.raises(ValueError, match="at most 7 configurations"):
            plot_sweep(self.RATES, [self.RELU] * 8)

    @pytest.mark.parametrize(("option", "value"), [("band", "iqr"), ("best", "top")])
    def test_unknown_band_or_best_is_refused(self, option, value):
        with pytest.raises(ValueError, match=f"'{option}' must be"):
            plot_sweep(self.RATES, [self.RELU], **{option: value})
        assert not plt.get_fignums()


class TestInNotebook:
    """The figures show in a real Jupyter kernel, the way the chapters run."""

    def test_every_figure_shows_after_house_style(self):
        nbformat = pytest.importorskip("nbformat")
        nbclient = pytest.importorskip("nbclient")
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [
            nbformat.v4.new_code_cell(
                "import actlib\n"
                "from actlib.plotting import plot_activation\n"
                "ax = plot_activation(actlib.relu)"
            ),
            nbformat.v4.new_code_cell("ax = plot_activation(actlib.leaky_relu)"),
        ]
        nbclient.NotebookClient(notebook, kernel_name="python3", timeout=60).execute()
        for cell in notebook.cells:
            kinds = [set(output.get("data", {})) for output in cell.outputs]
            assert any("image/png" in kind for kind in kinds), cell.source
