"""Tests of actlib.experiments: each runner on a tiny case, in seconds.

Besides what each runner returns, two promises are tested for all of them:
the same call gives bitwise the same result, and a bad argument (even the last
value of a grid) fails with a message that names it before anything is
trained.
"""

import dataclasses
import math

import numpy as np
import pytest

from actlib import data, diagnostics, experiments, nn
from actlib.experiments import (
    Spread,
    dead_masks,
    epochs_to,
    final_values,
    gradient,
    over_seeds,
    spread,
    sweep,
    through_depth,
    train_runs,
    unit_grad_norms,
)
from actlib.training import SGD, Adam, train

#: A tiny classification problem: 40 moons points, and a network for it.
X, Y = data.moons(40, seed=0)
SIZES = [2, 4, 2]
TINY = {"layer_sizes": SIZES, "epochs": 2}


@pytest.fixture
def no_training(monkeypatch):
    """Make any training fail the test: the checks must come first.

    A call of train() with epochs=0 only checks and measures, and is allowed.
    """

    def refuse(*args, epochs, **kwargs):
        if epochs:
            raise AssertionError("training started before the arguments were checked")
        return train(*args, epochs=epochs, **kwargs)

    monkeypatch.setattr(experiments, "train", refuse)


def same_history(a, b):
    """Whether two Histories hold bitwise the same arrays."""
    for field in dataclasses.fields(a):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, np.ndarray):
            if not np.array_equal(x, y, equal_nan=True):
                return False
        elif isinstance(x, dict):
            if x.keys() != y.keys():
                return False
            for key in x:
                for u, v in zip(x[key], y[key], strict=True):
                    if not np.array_equal(u, v, equal_nan=True):
                        return False
        elif x != y:
            return False
    return True


def same_params(a, b):
    return all(
        np.array_equal(p[key], q[key])
        for p, q in zip(a.params, b.params, strict=True)
        for key in p
    )


class TestSpread:
    def test_mean_std_and_range(self):
        s = spread([1.0, 2.0, 3.0, 6.0])
        assert (s.mean, s.min, s.max, s.n, s.n_nan) == (3.0, 1.0, 6.0, 4, 0)
        assert s.std == pytest.approx(np.std([1.0, 2.0, 3.0, 6.0]))  # ddof=0

    def test_any_shape_counts_every_entry(self):
        assert spread(np.ones((2, 3))).n == 6

    def test_formats(self):
        s = spread([0.9, 0.95, 1.0])
        assert f"{s:.2f}" == "0.95 ± 0.04"
        assert str(s) == "0.95 ± 0.041 over 3 seeds"
        assert str(spread([1.0, 3.0], over="layers")) == "2 ± 1 over 2 layers"

    def test_width_and_sign(self):
        s = spread([-1.0, 1.0, 3.0])
        assert f"[{s:>14.2f}]" == "[   1.00 ± 1.63]"
        assert f"[{s:<14.1f}]" == "[1.0 ± 1.6     ]"
        assert f"{s:+.1f}" == "+1.0 ± 1.6"  # the sign is the mean's only
        assert f"[{spread([np.nan]):>4.1f}]" == "[   -]"

    def test_nan_is_left_out_and_counted(self):
        s = spread([1.0, np.nan, 3.0])
        assert (s.mean, s.n, s.n_nan) == (2.0, 2, 1)
        assert str(s).endswith("over 2 seeds (1 NaN left out)")

    def test_all_nan(self):
        s = spread([np.nan, np.nan])
        assert s.n == 0 and math.isnan(s.mean)
        assert f"{s:.3f}" == "-" and str(s) == "- (all 2 NaN)"

    def test_is_frozen(self):
        with pytest.raises(dataclasses.FrozenInstanceError):
            spread([1.0]).mean = 2.0

    @pytest.mark.parametrize(
        ("values", "error", "message"),
        [
            ([], ValueError, "at least one number"),
            ([1.0, np.inf], ValueError, "finite or NaN, got 1 infinite"),
            (["a", "b"], TypeError, "values must be real numbers"),
            (None, TypeError, "values must be real numbers"),
        ],
    )
    def test_refuses(self, values, error, message):
        with pytest.raises(error, match=message):
            spread(values)

    def test_is_a_spread(self):
        assert isinstance(spread([0]), Spread)


class TestOverSeeds:
    def test_stacks_numbers_arrays_tuples_and_dicts(self):
        assert np.array_equal(over_seeds(lambda s: s * 2, range(3)), [0, 2, 4])
        first, second = over_seeds(lambda s: (s, np.full(2, s)), [3, 5])
        assert np.array_equal(first, [3, 5])
        assert np.array_equal(second, [[3, 3], [5, 5]])
        out = over_seeds(lambda s: {"a": s, "b": [s, s]}, [1, 2])
        assert out["b"].shape == (2, 2)

    def test_same_seed_same_result(self):
        def draw(seed):
            return np.random.default_rng(seed).standard_normal(3)

        assert np.array_equal(over_seeds(draw, range(4)), over_seeds(draw, range(4)))

    @pytest.mark.parametrize(
        ("seeds", "error", "message"),
        [
            ([0, 1, -1], ValueError, r"seeds\[2\] must be at least 0, got -1"),
            ([0, 1.5], TypeError, r"seeds\[1\] must be an integer, got 1.5"),
            ([0, True], TypeError, r"seeds\[1\] must be an integer"),
            ([1, 2, 1], ValueError, r"distinct; repeated: \[1\]"),
            ([], ValueError, "at least one seed"),
            (5, TypeError, "several integers, such as range"),
            (np.random.default_rng(0), TypeError, "several integers"),
        ],
    )
    def test_bad_seeds_fail_before_the_first_call(self, seeds, error, message):
        calls = []
        with pytest.raises(error, match=r"over_seeds\(\): .*" + message):
            over_seeds(calls.append, seeds)
        assert calls == []

    def test_run_must_be_callable(self):
        with pytest.raises(TypeError, match="run must be a function of a seed"):
            over_seeds(3, range(2))

    def test_different_shapes_are_named(self):
        with pytest.raises(ValueError, match=r"different shapes .*\(1,\), \(2,\)"):
            over_seeds(lambda s: np.zeros(s), [1, 2])


class TestTrainRuns:
    def test_one_run_per_seed(self):
        runs = train_runs("relu", (X, Y), seeds=[3, 1], **TINY)
        assert [run.seed for run in runs] == [3, 1]
        for run in runs:
            assert run.history.loss.shape == (3,)
            assert not run.diverged
            fresh = nn.MLP(SIZES, "relu", seed=run.seed)
            assert same_params(run.initial, fresh)  # the copy before training
            assert not same_params(run.model, fresh)  # trained
        assert repr(runs[0]).startswith("Run(seed=3, epochs=2, final loss ")

    def test_is_what_a_loop_of_train_calls_gives(self):
        [run] = train_runs(
            "leaky_relu", (X, Y), seeds=[2], optimizer=Adam(lr=0.01), alpha=0.2, **TINY
        )
        model = nn.MLP(SIZES, "leaky_relu", seed=2, alpha=0.2)
        history = train(model, (X, Y), optimizer=Adam(lr=0.01), epochs=2, seed=2)
        assert same_history(run.history, history) and same_params(run.model, model)

    def test_deterministic_per_seed(self):
        a = train_runs("relu", (X, Y), seeds=range(2), **TINY)
        b = train_runs("relu", (X, Y), seeds=range(2), **TINY)
        for run_a, run_b in zip(a, b, strict=True):
            assert same_history(run_a.history, run_b.history)
            assert same_params(run_a.model, run_b.model)

    def test_each_run_gets_its_own_optimizer(self):
        template = SGD(lr=0.1, momentum=0.9)
        _, b = train_runs("relu", (X, Y), seeds=[0, 1], optimizer=template, **TINY)
        [alone] = train_runs("relu", (X, Y), seeds=[1], optimizer=template, **TINY)
        assert same_history(b.history, alone.history)  # no momentum carried over
        assert not template.steps  # the template itself never stepped

    def test_zero_epochs_measures_the_initial_networks(self):
        [run] = train_runs("tanh", (X, Y), layer_sizes=SIZES, epochs=0, seeds=[0])
        assert run.history.loss.shape == (1,)
        assert same_params(run.model, run.initial)

    def test_validation_set_and_regression(self):
        target = X[:, 0] * X[:, 1]
        [run] = train_runs(
            "relu",
            (X, target),
            layer_sizes=[2, 4, 1],
            epochs=1,
            seeds=[0],
            loss="mse",
            val=(X[:10], target[:10]),
        )
        assert run.history.accuracy is None and run.history.val_loss.shape == (2,)

    @pytest.mark.parametrize(
        ("change", "error", "message"),
        [
            ({"seeds": [0, -2]}, ValueError, r"seeds\[1\] must be at least 0"),
            ({"epochs": -1}, ValueError, "'epochs' must be at least 0"),
            ({"epochs": 2.5}, TypeError, "'epochs' must be an integer"),
            ({"batch_size": 0}, ValueError, "'batch_size' must be at least 1"),
            ({"loss": "hinge"}, ValueError, "'loss' must be 'cross_entropy' or 'mse'"),
            ({"optimizer": SGD}, TypeError, r"optimizer must be an optimizer such as"),
            ({"optimizer": "adam"}, TypeError, "optimizer must be an optimizer"),
            (
                {"layer_sizes": [3, 4, 2]},
                ValueError,
                r"X must have shape \(n_samples, 3\)",
            ),
            ({"layer_sizes": [2, 0, 2]}, ValueError, r"layer_sizes\[1\]"),
            ({"alpha": float("nan")}, ValueError, "'alpha' must be finite"),
            ({"init": "glorot"}, ValueError, "unknown init 'glorot'"),
            ({"data": (X, Y[:-1])}, ValueError, "X has 40 rows but y has 39"),
            (
                {"data": (X, Y + 1)},
                ValueError,
                "y must be a vector of class labels, integers from 0 to 1",
            ),
            ({"data": X}, TypeError, r"data must be a pair \(X, y\)"),
            ({"val": (X[:5], Y[:4])}, ValueError, "X_val has 5 rows but y_val has 4"),
        ],
    )
    def test_bad_arguments_fail_before_training(
        self, no_training, change, error, message
    ):
        arguments = {"data": (X, Y), "seeds": range(3), "activation": "leaky_relu"}
        arguments |= TINY | change
        with pytest.raises(error, match=r"train_runs\(\): .*" + message):
            train_runs(**arguments)

    def test_a_used_optimizer_is_refused(self, no_training):
        used = SGD(lr=0.1)
        used.step([{"W": np.zeros(1)}], [{"W": np.ones(1)}])
        with pytest.raises(
            ValueError, match="has taken steps already; pass a fresh one"
        ):
            train_runs("relu", (X, Y), seeds=[0], optimizer=used, **TINY)


class TestFinalValues:
    def test_final_rows(self):
        runs = train_runs("relu", (X, Y), seeds=range(2), **TINY)
        values = final_values(runs)
        assert sorted(values) == ["accuracy", "dead_fraction", "diverged", "loss"]
        for i, run in enumerate(runs):
            assert values["loss"][i] == run.history.loss[-1]
            assert values["accuracy"][i] == run.history.accuracy[-1]
        assert not values["diverged"].any()

    def test_dead_fraction_counts_units_not_layers(self):
        [run] = train_runs(
            "relu",
            (X, Y),
            layer_sizes=[2, 4, 12, 2],
            epochs=0,
            seeds=[0],
            bias_init=-0.5,
        )
        masks = dead_masks(run.model, X)
        expected = np.concatenate(masks).mean()
        assert final_values([run])["dead_fraction"][0] == pytest.approx(expected)

    def test_no_hidden_layer_no_dead_fraction(self):
        [run] = train_runs("relu", (X, Y), layer_sizes=[2, 2], epochs=1, seeds=[0])
        values = final_values([run])
        assert np.isnan(values["dead_fraction"][0]) and not values["diverged"][0]

    def test_diverged_runs_are_nan(self):
        runs = train_runs(
            "relu",
            (X, X[:, 0] * 1e3),
            layer_sizes=[2, 16, 1],
            epochs=5,
            seeds=range(2),
            loss="mse",
            optimizer=SGD(lr=10.0),
        )
        values = final_values(runs)
        assert values["diverged"].all()
        assert (
            np.isnan(values["loss"]).all() and np.isnan(values["dead_fraction"]).all()
        )
        assert spread(values["loss"]).n == 0

    def test_refuses_what_is_not_runs(self):
        with pytest.raises(TypeError, match="runs must be a non-empty list of Run"):
            final_values([])
        with pytest.raises(TypeError, match="runs must be a non-empty list of Run"):
            final_values(["run"])


class TestCollect:
    def test_stacks_runs_first(self):
        runs = train_runs(
            "relu", (X, Y), layer_sizes=[2, 3, 5, 2], epochs=2, seeds=[0, 1]
        )
        dead = experiments.collect(runs, "dead_fraction")
        assert dead.shape == (2, 3, 2)
        assert np.array_equal(dead[1], runs[1].history.dead_fraction)
        assert experiments.collect(runs, "loss").shape == (2, 3)

    def test_learned_parameters(self):
        runs = train_runs(
            "prelu", (X, Y), layer_sizes=[2, 3, 3, 2], epochs=2, seeds=[0, 1]
        )
        alpha = experiments.collect(runs, "alpha")
        assert alpha.shape == (2, 3, 2, 3)  # runs, epochs + 1, layers, units
        assert np.all(alpha[:, 0] == 0.25)  # the initial slope
        assert np.array_equal(alpha[1, :, 0], runs[1].history.learned["alpha"][0])

    def test_learned_parameters_of_different_shapes(self):
        runs = train_runs(
            "prelu", (X, Y), layer_sizes=[2, 3, 4, 2], epochs=1, seeds=[0]
        )
        with pytest.raises(ValueError, match="different shape in different hidden"):
            experiments.collect(runs, "alpha")

    def test_refuses_a_field_that_is_not_an_array(self):
        runs = train_runs("relu", (X, Y), seeds=[0], **TINY)
        with pytest.raises(ValueError, match="field must be one of epoch, loss, "):
            experiments.collect(runs, "diverged_epoch")

    def test_refuses_runs_of_different_lengths(self):
        short = train_runs("relu", (X, Y), layer_sizes=SIZES, epochs=1, seeds=[0])
        long = train_runs("relu", (X, Y), layer_sizes=SIZES, epochs=2, seeds=[1])
        with pytest.raises(ValueError, match=r"different lengths, \[2, 3\]"):
            experiments.collect(short + long, "loss")


class TestEpochsTo:
    @pytest.fixture
    def history(self):
        [run] = train_runs("relu", (X, Y), layer_sizes=SIZES, epochs=4, seeds=[0])
        return dataclasses.replace(
            run.history,
            accuracy=np.array([0.5, 0.7, 0.9, 0.8, 0.95]),
            loss=np.array([0.7, 0.5, 0.3, np.nan, np.nan]),
        )

    def test_first_epoch_at_or_above(self, history):
        assert epochs_to(history, 0.9) == 2  # reached exactly, then lost again
        assert epochs_to(history, 0.5) == 0  # already at initialisation
        assert epochs_to(history, 0.96) is None

    def test_a_loss_is_reached_from_above(self, history):
        assert epochs_to(history, 0.5, metric="loss") == 1
        assert epochs_to(history, 0.1, metric="loss") is None  # NaN never counts

    @pytest.mark.parametrize(
        ("arguments", "error", "message"),
        [
            ({"threshold": "high"}, TypeError, "'threshold' must be a real number"),
            ({"threshold": np.nan}, ValueError, "'threshold' must be finite"),
            ({"metric": "f1"}, ValueError, "'metric' must be 'accuracy' or"),
            (
                {"metric": "val_accuracy"},
                ValueError,
                r"no 'val_accuracy': train with val=",
            ),
        ],
    )
    def test_refuses(self, history, arguments, error, message):
        with pytest.raises(error, match=r"epochs_to\(\): .*" + message):
            epochs_to(history, **({"threshold": 0.5} | arguments))

    def test_needs_a_history(self):
        with pytest.raises(TypeError, match="history must be a History"):
            epochs_to([0.5, 0.9], 0.8)


class TestSweep:
    def test_learning_rates(self):
        s = sweep("lr", [0.01, 0.3, 3.0], "relu", (X, Y), seeds=range(2), **TINY)
        assert s.values == (0.01, 0.3, 3.0) and s.seeds == (0, 1)
        assert s.loss.shape == s.accuracy.shape == s.dead_fraction.shape == (3, 2)
        for i, value in enumerate(s.values):
            for j, run in enumerate(s.runs[value]):
                assert run.seed == s.seeds[j]
                assert s.loss[i, j] == run.history.loss[-1]
        assert s.epochs is None
        assert np.array_equal(s.score, s.loss.mean(axis=1))  # no run diverged
        assert s.best == s.values[np.argmin(s.score)]
        assert s.best_inside == (s.best == 0.3)
        table = str(s).splitlines()
        assert table[0].split()[:3] == ["lr", "diverged", "accuracy"]
        assert len(table) == 5 and table[-1] == f"best lr: {s.best:g}"
        assert table[1].split()[:3] == ["0.01", "0", "of"]

    def test_the_sweep_sets_the_learning_rate_of_a_copy(self):
        template = Adam(lr=1.0)
        s = sweep(
            "lr", [0.001, 0.01], "relu", (X, Y), seeds=[0], optimizer=template, **TINY
        )
        [run] = train_runs("relu", (X, Y), seeds=[0], optimizer=Adam(lr=0.01), **TINY)
        assert same_history(s.runs[0.01][0].history, run.history)
        assert template.lr == 1.0 and not template.steps

    def test_a_network_option(self):
        s = sweep("alpha", [0.0, 0.1], "leaky_relu", (X, Y), seeds=[0], **TINY)
        for alpha in s.values:
            assert s.runs[alpha][0].model.activation.params["alpha"] == alpha

    def test_epochs_to_a_target(self):
        s = sweep(
            "lr",
            [0.03, 0.3, 1.0],
            "relu",
            (X, Y),
            layer_sizes=SIZES,
            epochs=6,
            seeds=range(3),
            target=0.8,
        )
        for i, value in enumerate(s.values):
            for j, run in enumerate(s.runs[value]):
                e = epochs_to(run.history, 0.8)
                assert np.isnan(s.epochs[i, j]) if e is None else s.epochs[i, j] == e
        missed_as = np.where(np.isnan(s.epochs), 7, s.epochs)
        assert np.array_equal(s.score, missed_as.mean(axis=1))
        assert s.score[s.values.index(s.best)] == s.score.min()

    def test_diverged_runs_count_and_lose(self):
        s = sweep(
            "lr",
            [0.001, 10.0],
            "relu",
            (X, X[:, 0] * 1e3),
            layer_sizes=[2, 16, 1],
            epochs=3,
            seeds=range(2),
            loss="mse",
        )
        assert list(s.diverged) == [0, 2] and s.accuracy is None
        assert s.score[1] == np.inf and s.best == 0.001 and not s.best_inside

    def test_deterministic_per_seed(self):
        a = sweep("lr", [0.1, 1.0], "relu", (X, Y), seeds=range(2), **TINY)
        b = sweep("lr", [0.1, 1.0], "relu", (X, Y), seeds=range(2), **TINY)
        assert np.array_equal(a.loss, b.loss) and np.array_equal(a.score, b.score)

    @pytest.mark.parametrize(
        ("change", "error", "message"),
        [
            (
                {"values": [0.1, 1.0, -3.0]},
                ValueError,
                r"'values\[2\]' must be > 0, got -3",
            ),
            (
                {"values": [0.1, 1.0, "3"]},
                TypeError,
                r"'values\[2\]' must be a real number",
            ),
            (
                {"values": [0.1, 1.0, np.inf]},
                ValueError,
                r"'values\[2\]' must be finite",
            ),
            ({"values": [0.1, 1.0, 0.5]}, ValueError, r"values\[2\] = 0.5 follows 1"),
            ({"values": []}, ValueError, "at least one value"),
            ({"values": 0.1}, TypeError, "values must be several numbers"),
            (
                {"param": "alpha", "values": [0.0, 0.1, np.nan]},
                ValueError,
                r"values\[2\]",
            ),
            (
                {"param": "alpha", "values": [0.1, 0.2], "activation": "relu"},
                TypeError,
                r"values\[0\] = 0.1: ",
            ),
            (
                {"param": "alpha", "alpha": 0.1},
                ValueError,
                "'alpha' is the swept param",
            ),
            ({"param": 3}, TypeError, "param must be a name such as 'lr'"),
            ({"target": "most"}, TypeError, "'target' must be a real number"),
            ({"metric": "val_loss"}, ValueError, "needs a validation set, val"),
            (
                {"loss": "mse", "target": 0.9},
                ValueError,
                "regression .* has no accuracy",
            ),
            ({"seeds": [0, 0]}, ValueError, "seeds must be distinct"),
            (
                {"data": (X[:, :1], Y)},
                ValueError,
                r"X must have shape \(n_samples, 2\)",
            ),
        ],
    )
    def test_bad_arguments_fail_before_training(
        self, no_training, change, error, message
    ):
        arguments = {
            "param": "lr",
            "values": [0.1, 1.0, 3.0],
            "activation": "leaky_relu",
            "data": (X, Y),
            "seeds": range(2),
        }
        arguments |= TINY | change
        with pytest.raises(error, match=r"sweep\(\): .*" + message):
            sweep(**arguments)


class TestThroughDepth:
    def test_matches_variance_through_depth(self):
        stats = through_depth("relu", 6, 16, seeds=[0, 4], n_samples=50)
        assert set(stats) == {"z_std", "z_var", "a_mean", "a_var", "bias_grad_norm"}
        for k, seed in enumerate([0, 4]):
            expected = diagnostics.variance_through_depth(
                6, 16, seed=seed, n_samples=50
            )
            assert np.array_equal(stats["z_var"][k], expected)  # the same draws
        assert np.allclose(stats["z_std"] ** 2, stats["z_var"])
        assert np.all(stats["a_mean"] > 0)  # ReLU outputs are >= 0

    def test_homogeneity_forward_and_backward(self):
        # ReLU is positively homogeneous, and both nets draw the same numbers:
        # weights c times larger make layer l exactly c**l larger forward and
        # c**(depth - l) larger backward.
        std, c, depth = 0.25, 1.5, 5
        small = through_depth("relu", depth, 8, seeds=range(2), init=std)
        large = through_depth("relu", depth, 8, seeds=range(2), init=c * std)
        layer = np.arange(1, depth + 1)
        assert np.allclose(large["z_std"] / small["z_std"], c**layer, rtol=1e-12)
        assert np.allclose(
            large["bias_grad_norm"] / small["bias_grad_norm"],
            c ** (depth - layer),
            rtol=1e-12,
        )

    def test_inputs_from_a_function(self):
        stats = through_depth(
            "tanh", 2, 8, seeds=[0], inputs=lambda rng, shape: np.full(shape, 0.0)
        )
        assert np.all(stats["z_var"] == 0)

    @pytest.mark.parametrize(
        ("change", "error", "message"),
        [
            ({"depth": 0}, ValueError, "'depth' must be at least 1"),
            ({"width": 2.0}, TypeError, "'width' must be an integer"),
            ({"n_samples": -1}, ValueError, "'n_samples' must be at least 1"),
            ({"seeds": [1, "2"]}, TypeError, r"seeds\[1\] must be an integer"),
            ({"init": "unit"}, ValueError, "unknown init 'unit'"),
            ({"activation": "rectifier"}, ValueError, "rectifier"),
            ({"inputs": np.ones((3, 4))}, TypeError, r"inputs must be a function"),
        ],
    )
    def test_refuses(self, change, error, message):
        arguments = {"activation": "relu", "depth": 3, "width": 4, "seeds": range(2)}
        with pytest.raises(error, match=r"through_depth\(\): .*" + message):
            through_depth(**(arguments | change))

    def test_inputs_of_the_wrong_shape(self):
        with pytest.raises(
            ValueError, match=r"must return shape \(200, 4\), got \(4,\)"
        ):
            through_depth("relu", 3, 4, seeds=[0], inputs=lambda rng, shape: np.ones(4))


class TestLookingInside:
    def test_gradient_is_backward_of_the_loss(self):
        model = nn.MLP(SIZES, seed=1)
        grads = gradient(model, (X, Y))
        _, dlogits = nn.softmax_cross_entropy(model.forward(X), Y)
        expected = model.backward(dlogits)
        for g, e in zip(grads, expected, strict=True):
            assert all(np.array_equal(g[key], e[key]) for key in e)

    def test_gradient_of_a_regression(self):
        model = nn.MLP([2, 3, 1], seed=0)
        grads = gradient(model, (X, X[:, 0]), loss="mse")
        assert grads[-1]["W"].shape == (3, 1)

    def test_gradient_refuses_an_unknown_loss(self):
        with pytest.raises(ValueError, match=r"gradient\(\): parameter 'loss'"):
            gradient(nn.MLP(SIZES), (X, Y), loss="l1")

    def test_unit_grad_norms(self):
        model = nn.MLP([2, 3, 5, 2], seed=0)
        grads = gradient(model, (X, Y))
        norms = unit_grad_norms(grads)
        assert [n.shape for n in norms] == [(3,), (5,)]
        j = 2
        column = np.append(grads[1]["W"][:, j], grads[1]["b"][j])
        assert norms[1][j] == pytest.approx(np.linalg.norm(column))

    def test_unit_grad_norms_include_one_slope_per_unit(self):
        model = nn.MLP([2, 3, 2], activation="prelu", seed=0)
        grads = gradient(model, (X, Y))
        [norms] = unit_grad_norms(grads)
        own = np.vstack([grads[0]["W"], grads[0]["b"], grads[0]["alpha"]])
        assert np.allclose(norms, np.linalg.norm(own, axis=0))

    def test_dead_relu_units_get_no_gradient(self):
        model = nn.MLP([2, 6, 2], seed=0, bias_init=-1.0)
        [dead] = dead_masks(model, X)
        [norms] = unit_grad_norms(gradient(model, (X, Y)))
        assert dead.any() and np.all(norms[dead] == 0) and np.all(norms[~dead] > 0)


# --- step_trace ------------------------------------------------------------


def _regression(n=12):
    X = np.linspace(-1, 1, n).reshape(-1, 1)
    return X, 3 * X


def test_step_trace_records_each_step_of_the_same_run_as_train():
    data = _regression()
    traced = nn.MLP([1, 5, 1], seed=3)
    trace = experiments.step_trace(
        traced, data, optimizer=SGD(lr=0.05), epochs=3, batch_size=5, loss="mse"
    )
    plain = nn.MLP([1, 5, 1], seed=3)
    history = train(
        plain, data, optimizer=SGD(lr=0.05), epochs=3, batch_size=5, loss="mse"
    )
    assert len(trace.grad_norms) == len(trace.step_lengths) == 3 * 3  # 12 in 5s
    for a, b in zip(traced.params, plain.params, strict=True):  # bitwise
        assert all(np.array_equal(a[key], b[key]) for key in a)
    np.testing.assert_array_equal(trace.history.loss, history.loss)
    # Plain SGD without clipping: each step is lr times the gradient.
    np.testing.assert_allclose(trace.step_lengths, 0.05 * trace.grad_norms)


def test_step_trace_measures_the_raw_gradient_and_the_clipped_step():
    optimizer = SGD(lr=0.1, clip_norm=0.01)
    trace = experiments.step_trace(
        nn.MLP([1, 5, 1], seed=0),
        _regression(),
        optimizer=optimizer,
        epochs=2,
        batch_size=4,
        loss="mse",
    )
    assert np.all(trace.grad_norms > 0.01)  # raw, not clipped
    np.testing.assert_allclose(trace.step_lengths, 0.1 * 0.01)  # capped
    assert optimizer.epochs == 2 and optimizer.steps == 6  # advanced as by train


def test_step_trace_stops_where_train_stops_at_overflow():
    X, y = _regression()
    model = nn.MLP([1, 32, 32, 1], "leaky_relu", seed=0)
    with np.errstate(over="ignore", invalid="ignore"):
        trace = experiments.step_trace(
            model,
            (X, 10 * y),
            optimizer=SGD(lr=1.0),
            epochs=20,
            batch_size=4,
            loss="mse",
        )
    assert trace.history.diverged_epoch == 2
    # 3 steps in epoch 1, 1 in epoch 2; then a loss overflows, and no more.
    assert len(trace.grad_norms) == len(trace.step_lengths) == 4
    assert np.all(np.diff(np.log(trace.grad_norms)) > 10)  # exploding


def test_step_trace_refuses_a_non_optimizer_before_training():
    model = nn.MLP([1, 5, 1], seed=0)
    before = [p.copy() for layer in model.params for p in layer.values()]
    with pytest.raises(TypeError, match="step_trace\\(\\): optimizer must be"):
        experiments.step_trace(model, _regression(), optimizer=0.1, epochs=1)
    after = [p for layer in model.params for p in layer.values()]
    assert all(np.array_equal(a, b) for a, b in zip(after, before, strict=True))
