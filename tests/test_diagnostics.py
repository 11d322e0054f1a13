"""Tests of actlib.diagnostics: each measurement on hand-made cases and its theory."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import actlib
from actlib import diagnostics, nn

#: Small (depth, width) pairs where born-dead networks are common.
BORN_DEAD_SHAPES = [(1, 1), (3, 1), (10, 2), (5, 3), (20, 4), (40, 6)]

#: Gradient lists laid out as MLP.backward returns them.
layered_gradients = st.lists(
    st.dictionaries(
        st.sampled_from(["W", "b", "alpha"]),
        hnp.arrays(
            np.float64,
            hnp.array_shapes(max_dims=2, max_side=4),
            elements=st.floats(-1e3, 1e3),
        ),
        min_size=1,
    ),
    min_size=1,
    max_size=4,
)


class TestSparsity:
    def test_counts_exact_zeros(self):
        assert diagnostics.sparsity([[0.0, 1.0], [0.0, -0.0]]) == 0.75

    def test_a_tiny_value_is_not_zero(self):
        assert diagnostics.sparsity([1e-300, -1e-300]) == 0.0

    def test_nan_is_not_zero(self):
        assert diagnostics.sparsity([np.nan, 0.0]) == 0.5

    def test_an_empty_array_has_no_sparsity(self):
        with pytest.raises(ValueError, match="at least one activation"):
            diagnostics.sparsity(np.zeros((0, 3)))


class TestDeadUnits:
    def test_a_unit_is_dead_when_no_sample_makes_it_positive(self):
        Z = np.array([[-1.0, 0.0, 2.0], [-2.0, 0.0, -1.0]])
        assert np.array_equal(diagnostics.dead_units(Z), [True, True, False])
        assert diagnostics.dead_fraction(Z) == pytest.approx(2 / 3)

    def test_one_positive_sample_keeps_a_unit_alive(self):
        Z = np.full((100, 2), -1.0)
        Z[57, 1] = 1e-12
        assert np.array_equal(diagnostics.dead_units(Z), [True, False])

    @pytest.mark.parametrize("shape", [(3,), (2, 3, 4)])
    def test_needs_samples_by_units(self, shape):
        with pytest.raises(
            ValueError, match=r"shape \(n_samples, n_units\), got shape"
        ):
            diagnostics.dead_units(np.zeros(shape))


class TestLayerGradNorms:
    def test_hand_computed(self):
        grads = [
            {"W": np.array([[1.0, 2.0], [2.0, 0.0]]), "b": np.array([4.0])},
            {"W": np.array([[0.0]])},
        ]
        assert np.array_equal(diagnostics.layer_grad_norms(grads), [5.0, 0.0])


# The property of layer_grad_norms: a module-level function, as every @given
# test is (Hypothesis's differing_executors health check refuses a method that
# pytest runs on several instances of its class).


@given(grads=layered_gradients)
def test_layer_grad_norms_make_up_the_global_norm(grads):
    everything = np.concatenate([g.ravel() for layer in grads for g in layer.values()])
    norms = diagnostics.layer_grad_norms(grads)
    assert norms.shape == (len(grads),)
    assert np.sqrt(np.sum(norms**2)) == pytest.approx(
        np.linalg.norm(everything), rel=1e-12, abs=1e-300
    )


class TestVarianceThroughDepth:
    def mean_profile(self, init, seeds=4, depth=50, width=256):
        """The variance at each layer, averaged over a few random networks."""
        profiles = [
            diagnostics.variance_through_depth(
                depth, width, init=init, seed=seed, n_samples=128
            )
            for seed in range(seeds)
        ]
        return np.mean(profiles, axis=0)

    def test_one_variance_per_layer(self):
        variances = diagnostics.variance_through_depth(7, 16, n_samples=50)
        assert variances.shape == (7,)
        assert variances.dtype == np.float64

    def test_first_layer_has_fan_in_times_weight_variance(self):
        # Var[x W] = n Var[w] Var[x] = 2 for He init and standard normal x.
        variances = diagnostics.variance_through_depth(1, 256, n_samples=2000)
        assert variances[0] == pytest.approx(2.0, rel=0.05)

    def test_he_init_keeps_the_variance_through_50_relu_layers(self):
        profile = self.mean_profile("he")
        assert 0.25 < profile[-1] / profile[0] < 4

    def test_lecun_init_halves_it_at_every_relu_layer(self):
        profile = self.mean_profile("lecun")
        # Theory: a factor 1/2 per layer after the first, 2**-49 ~ 1.8e-15.
        assert profile[-1] / profile[0] < 1e-10
        assert profile[-1] / profile[0] > 2.0**-49 / 100

    def test_relus_gain_doubles_the_variance_of_a_linear_network(self):
        # The factor 2 of ReLU's He init makes up for ReLU zeroing half its
        # input; Leaky ReLU with alpha = 1 is the identity and zeroes nothing.
        identity = actlib.get("leaky_relu", alpha=1.0)
        profile = diagnostics.variance_through_depth(
            5, 256, activation=identity, init=math.sqrt(2 / 256)
        )
        assert profile[-1] / profile[0] == pytest.approx(2**4, rel=0.5)

    @pytest.mark.parametrize("alpha", [0.01, 0.5, 1.0])
    def test_he_init_keeps_the_variance_of_leaky_relu_for_any_slope(self, alpha):
        # Gain sqrt(2 / (1 + alpha^2)); ReLU's sqrt(2) would give a factor
        # (1 + alpha^2) per layer: 1.25**29 ~ 650 for alpha = 0.5, 2**29 for 1.
        leaky = actlib.get("leaky_relu", alpha=alpha)
        profiles = [
            diagnostics.variance_through_depth(
                30, 256, activation=leaky, seed=seed, n_samples=128
            )
            for seed in range(4)
        ]
        profile = np.mean(profiles, axis=0)
        assert 0.5 < profile[-1] / profile[0] < 2

    @pytest.mark.parametrize("param", ["depth", "width", "n_samples"])
    def test_sizes_must_be_positive_integers(self, param):
        kwargs = {"depth": 2, "width": 2, param: 0}
        with pytest.raises(ValueError, match=f"'{param}' must be at least 1, got 0"):
            diagnostics.variance_through_depth(**kwargs)


class TestBornDead:
    @pytest.mark.parametrize(("depth", "width"), BORN_DEAD_SHAPES)
    def test_simulation_matches_the_closed_form(self, depth, width):
        trials = 20_000
        p = diagnostics.born_dead_closed_form(depth, width)
        p_hat = diagnostics.born_dead_probability(depth, width, trials, seed=depth)
        assert abs(p_hat - p) < 4 * math.sqrt(p * (1 - p) / trials) + 1e-3

    @pytest.mark.parametrize(
        ("depth", "width", "expected"),
        [(1, 1, 0.5), (2, 1, 0.75), (1, 3, 1 / 8), (2, 2, 1 - (3 / 4) ** 2)],
    )
    def test_closed_form_by_hand(self, depth, width, expected):
        assert diagnostics.born_dead_closed_form(depth, width) == pytest.approx(
            expected
        )

    def test_closed_form_keeps_precision_for_wide_layers(self):
        # 1 - (1 - 2**-60) rounds to 0 in float64; depth * 2**-60 is the answer.
        p = diagnostics.born_dead_closed_form(depth=10, width=60)
        assert p == pytest.approx(10 * 2.0**-60, rel=1e-9)

    def test_same_seed_same_estimate(self):
        first = diagnostics.born_dead_probability(5, 2, 1000, seed=3)
        assert first == diagnostics.born_dead_probability(5, 2, 1000, seed=3)

    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"depth": 0}, ValueError, "'depth' must be at least 1"),
            ({"width": -2}, ValueError, "'width' must be at least 1"),
            ({"trials": 1.5}, TypeError, "'trials' must be an integer"),
        ],
    )
    def test_bad_arguments_are_refused(self, kwargs, error, message):
        kwargs = {"depth": 2, "width": 2, "trials": 10, **kwargs}
        with pytest.raises(error, match=message):
            diagnostics.born_dead_probability(**kwargs)


class TestNumericalGradient:
    def test_matches_the_analytic_gradient(self):
        x = np.array([[0.5, -1.0], [2.0, 0.1]])
        numeric = diagnostics.numerical_gradient(lambda v: np.sum(np.sin(v) * v), x)
        assert np.allclose(numeric, np.cos(x) * x + np.sin(x), rtol=0, atol=1e-9)

    def test_puts_x_back_exactly(self):
        x = np.array([0.1, 0.2, 0.3])
        before = x.copy()
        diagnostics.numerical_gradient(lambda v: float(np.sum(v**3)), x)
        assert np.array_equal(x, before)

    @pytest.mark.parametrize(
        "x", [[1.0, 2.0], np.array([1, 2]), np.array([1.0], np.float32)]
    )
    def test_needs_a_float64_array(self, x):
        with pytest.raises(TypeError, match="x must be a float64 numpy array"):
            diagnostics.numerical_gradient(np.sum, x)


class TestRelativeError:
    def test_zero_for_equal_arrays_including_zeros(self):
        assert diagnostics.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
        assert diagnostics.relative_error([0.0], [0.0]) == 0.0

    def test_hand_computed(self):
        assert diagnostics.relative_error([3.0, 4.0], [3.0, 4.5]) == pytest.approx(
            0.5 / math.hypot(3.0, 4.5)
        )

    def test_shapes_must_match(self):
        with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(3,\)"):
            diagnostics.relative_error(np.zeros(2), np.zeros(3))


class TestVarianceThroughDepthInputs:
    """Any input distribution: an array, or a function that draws one."""

    @staticmethod
    def uniform(rng, shape):
        return rng.uniform(-1.0, 1.0, shape)  # variance 1/3

    def test_default_is_standard_normal(self):
        by_default = diagnostics.variance_through_depth(3, 16, n_samples=40, seed=5)
        normal = diagnostics.variance_through_depth(
            3,
            16,
            n_samples=40,
            seed=5,
            inputs=lambda rng, shape: rng.standard_normal(shape),
        )
        np.testing.assert_array_equal(by_default, normal)

    def test_first_layer_scales_with_the_input_variance(self):
        # Var[x W] = n Var[w] E[x^2] = 2 E[x^2] with He init: 2/3 for U(-1, 1).
        variances = diagnostics.variance_through_depth(
            1, 256, n_samples=2000, inputs=self.uniform
        )
        assert variances[0] == pytest.approx(2 / 3, rel=0.05)

    def test_an_array_of_inputs(self):
        X = 3.0 * np.random.default_rng(0).standard_normal((500, 128))  # variance 9
        variances = diagnostics.variance_through_depth(1, 128, inputs=X)
        assert variances[0] == pytest.approx(18.0, rel=0.1)

    def test_the_inputs_fix_the_number_of_samples(self):
        X = np.ones((7, 4))
        got = diagnostics.variance_through_depth(2, 4, n_samples=1000, inputs=X)
        again = diagnostics.variance_through_depth(2, 4, n_samples=3, inputs=X)
        np.testing.assert_array_equal(got, again)

    @pytest.mark.parametrize(
        "bad",
        [np.ones((5, 7)), np.ones(8), np.ones((0, 8)), lambda rng, shape: np.ones(3)],
    )
    def test_wrong_shape(self, bad):
        with pytest.raises(ValueError, match=r"shape \(n_samples, width\) = \(n, 8\)"):
            diagnostics.variance_through_depth(3, 8, inputs=bad)

    @pytest.mark.parametrize("bad", [np.full((4, 8), np.nan), np.full((4, 8), np.inf)])
    def test_not_finite(self, bad):
        with pytest.raises(ValueError, match="inputs must be finite"):
            diagnostics.variance_through_depth(3, 8, inputs=bad)

    def test_not_numbers(self):
        with pytest.raises(TypeError, match=r"variance_through_depth.*text"):
            diagnostics.variance_through_depth(3, 8, inputs=[["a"] * 8])


class TestSignAgreement:
    def test_hand_computed(self):
        A = [[1.0, 3.0], [2.0, -2.0], [3.0, -1.0], [-1.0, 0.0]]
        np.testing.assert_array_equal(
            diagnostics.sign_agreement(A), [1.0, 0.0, 0.5, 1.0]
        )

    def test_an_all_zero_sample_has_no_sign(self):
        assert np.isnan(diagnostics.sign_agreement([[0.0, -0.0, 0.0]])).all()

    def test_relu_outputs_agree_exactly_tanh_outputs_do_not(self):
        Z = np.random.default_rng(0).standard_normal((500, 32))
        np.testing.assert_array_equal(
            diagnostics.sign_agreement(actlib.relu(Z)), np.ones(500)
        )
        # For 32 symmetric inputs the agreement is of order 1/sqrt(32).
        assert diagnostics.sign_agreement(actlib.tanh(Z)).mean() < 0.3

    def test_one_means_every_next_layer_unit_gets_one_signed_weight_gradients(self):
        # The Notes' claim, on a real backward pass, one sample at a time:
        # the rows of dL/dW into each unit of the second layer share a sign
        # exactly when that sample's first-layer activations do.
        rng = np.random.default_rng(1)
        for activation in ("relu", "tanh", "leaky_relu"):
            model = nn.MLP([3, 6, 4, 2], activation, seed=2)
            for x in rng.standard_normal((20, 3)):
                model.forward(x[None, :])
                grads = model.backward(rng.standard_normal((1, 2)))
                A = model.cache.A[1]
                agrees = diagnostics.sign_agreement(A)[0] == 1.0
                dW = grads[1]["W"]  # (6 inputs, 4 units)
                one_signed = all(
                    np.all(column >= 0) or np.all(column <= 0) for column in dW.T
                )
                assert agrees == one_signed or np.all(A == 0)

    def test_needs_samples_by_units(self):
        with pytest.raises(ValueError, match=r"shape \(n_samples, n_units\)"):
            diagnostics.sign_agreement([1.0, 2.0])
        with pytest.raises(ValueError, match=r"at least one of each"):
            diagnostics.sign_agreement(np.zeros((3, 0)))

    def test_refuses_text(self):
        with pytest.raises(TypeError, match=r"sign_agreement.*text"):
            diagnostics.sign_agreement([["a", "b"]])


@given(
    A=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, max_side=6),
        elements=st.floats(-1e6, 1e6, allow_subnormal=False),
    )
)
def test_sign_agreement_lies_in_0_1_and_ignores_sign_and_scale(A):
    s = diagnostics.sign_agreement(A)
    assert s.shape == (A.shape[0],)
    zero = np.all(A == 0, axis=1)
    assert np.all(np.isnan(s[zero]))
    assert np.all((s[~zero] >= 0) & (s[~zero] <= 1 + 1e-12))
    # A power of two scales every sum exactly, so the ratio is bitwise the same.
    np.testing.assert_array_equal(diagnostics.sign_agreement(-4.0 * A), s)
    np.testing.assert_array_equal(
        diagnostics.sign_agreement(np.maximum(A, 0))[~zero & np.any(A > 0, axis=1)], 1.0
    )


class TestMeanOffset:
    def test_hand_computed(self):
        np.testing.assert_array_equal(
            diagnostics.mean_offset([[1.0, -1.0], [3.0, 1.0]]), [2.0, 0.0]
        )

    def test_a_constant_unit(self):
        offset = diagnostics.mean_offset([[2.0, -1.0, 0.0], [2.0, -1.0, 0.0]])
        assert offset[0] == np.inf and offset[1] == -np.inf and np.isnan(offset[2])

    def test_standardising_each_unit_sets_every_offset_to_zero(self):
        # What batch normalisation does to the offsets.
        Z = 0.5 + 2.0 * np.random.default_rng(0).standard_normal((100, 8))
        Z = (Z - Z.mean(axis=0)) / Z.std(axis=0)
        assert np.all(np.abs(diagnostics.mean_offset(Z)) < 1e-12)

    def test_relu_inputs_shift_the_next_layer_as_a_bias_would(self):
        # z = relu(x) W: each unit's mean is mean(relu(x)) * sum_i W_ij, and
        # subtracting the inputs' mean removes the offsets.
        rng = np.random.default_rng(3)
        A = actlib.relu(rng.standard_normal((4000, 64)))
        W = rng.standard_normal((64, 16)) * np.sqrt(2 / 64)
        Z = A @ W
        np.testing.assert_allclose(Z.mean(axis=0), A.mean(axis=0) @ W)
        assert np.abs(diagnostics.mean_offset(Z)).mean() > 0.3
        centred = (A - A.mean(axis=0)) @ W
        assert np.all(np.abs(diagnostics.mean_offset(centred)) < 1e-12)

    def test_positive_scaling_does_not_change_it(self):
        Z = np.random.default_rng(4).standard_normal((50, 5)) + 0.3
        np.testing.assert_allclose(
            diagnostics.mean_offset(7.0 * Z), diagnostics.mean_offset(Z), rtol=1e-12
        )

    def test_needs_samples_by_units(self):
        with pytest.raises(ValueError, match=r"mean_offset.*shape \(n_samples"):
            diagnostics.mean_offset(np.zeros((2, 3, 4)))
