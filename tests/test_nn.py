"""Tests of actlib.nn: the MLP, its initialisation, its backward pass, the losses."""

import math

import numpy as np
import pytest

import actlib
from actlib import diagnostics, nn, training

#: How close backward() must come to central differences, in float64.
GRADIENT_TOLERANCE = 1e-6


def small_classification(n=8, n_features=3, n_classes=3, seed=0):
    """A few random points with random labels: enough to exercise every path."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, n_features)), rng.integers(0, n_classes, n)


def away_from_kinks(model):
    """The smallest |z| over the hidden pre-activations of the last forward pass."""
    return min(np.abs(Z).min() for Z in model.cache.hidden_pre_activations)


class ScaledTanh(actlib.Activation):
    r"""A learnable activation written outside actlib: :math:`f(x) = s \tanh x`.

    The scale :math:`s` is learnable, :math:`\partial f / \partial s = \tanh x`.
    Nothing in actlib knows this class: it trains through the declaration alone.
    """

    name = "scaled_tanh"
    label = "Scaled tanh"
    defaults = {"scale": 1.5}
    learnable = ("scale",)

    def check_parameter(self, param, value):
        return np.asarray(value, dtype=np.float64)  # one scale, or one per unit

    def forward(self, x, out, scale):
        return np.multiply(scale, np.tanh(x), out=out)

    def derivative(self, x, out, scale):
        return np.multiply(scale, 1 - np.tanh(x) ** 2, out=out)

    def scale_derivative(self, x, out, scale):
        return np.tanh(x, out=out)


class TestMLP:
    def test_layers_have_the_shapes_of_layer_sizes(self):
        model = nn.MLP([2, 5, 4, 3])
        shapes = [(layer["W"].shape, layer["b"].shape) for layer in model.params]
        assert shapes == [((2, 5), (5,)), ((5, 4), (4,)), ((4, 3), (3,))]
        assert (model.n_layers, model.n_hidden) == (3, 2)

    def test_everything_is_float64(self):
        model = nn.MLP([2, 5, 2], activation="prelu")
        arrays = [a for layer in model.params for a in layer.values()]
        assert all(a.dtype == np.float64 for a in arrays)
        assert model.forward([[1, 2]]).dtype == np.float64

    @pytest.mark.parametrize(
        ("init", "expected_std"),
        [
            ("he", math.sqrt(2 / 400)),
            ("xavier", math.sqrt(2 / (400 + 300))),
            ("lecun", math.sqrt(1 / 400)),
            (0.05, 0.05),
        ],
    )
    def test_weights_have_the_standard_deviation_of_init(self, init, expected_std):
        W = nn.MLP([400, 300, 1], init=init).params[0]["W"]
        assert W.std() == pytest.approx(expected_std, rel=0.01)
        assert abs(W.mean()) < 0.01 * expected_std * 10

    @pytest.mark.parametrize(
        ("activation", "params", "gain"),
        [
            ("relu", {}, math.sqrt(2)),
            ("leaky_relu", {"alpha": 0.5}, math.sqrt(2 / 1.25)),
            ("prelu", {"alpha": 0.5}, math.sqrt(2 / 1.25)),
            ("tanh", {}, math.sqrt(2)),
        ],
    )
    def test_he_init_uses_the_gain_of_the_activation(self, activation, params, gain):
        # sigma = g / sqrt(fan_in); for Leaky ReLU g = sqrt(2 / (1 + alpha^2)).
        model = nn.MLP([400, 300, 1], activation=activation, **params)
        expected_std = gain / math.sqrt(400)
        assert nn.INITS["he"](model.activation, 400, 300) == pytest.approx(
            expected_std, rel=1e-15
        )
        # 120,000 weights: the sample std is within 0.3% of sigma (1 sd).
        W = model.params[0]["W"]
        assert W.std() == pytest.approx(expected_std, rel=0.01)

    def test_biases_start_at_bias_init(self):
        model = nn.MLP([2, 3, 2], bias_init=0.1)
        assert all(np.all(layer["b"] == 0.1) for layer in model.params)

    def test_same_seed_same_weights(self):
        first, second = nn.MLP([2, 8, 2], seed=3), nn.MLP([2, 8, 2], seed=3)
        assert np.array_equal(first.params[0]["W"], second.params[0]["W"])
        assert not np.array_equal(
            first.params[0]["W"], nn.MLP([2, 8, 2], seed=4).params[0]["W"]
        )

    def test_activation_parameters_are_bound(self):
        model = nn.MLP([2, 3, 2], activation="leaky_relu", alpha=0.2)
        assert model.activation.params == {"alpha": 0.2}

    def test_an_activation_instance_is_accepted(self):
        model = nn.MLP([2, 3, 2], activation=actlib.get("elu", alpha=0.5))
        assert repr(model.activation) == "ELU(alpha=0.5)"

    @pytest.mark.parametrize(
        ("shared", "shapes"), [(False, [(5,), (4,)]), (True, [(), ()])]
    )
    def test_prelu_learns_one_slope_per_unit_or_per_layer(self, shared, shapes):
        model = nn.MLP([2, 5, 4, 3], activation="prelu", shared_params=shared)
        hidden, output = model.params[:-1], model.params[-1]
        assert [layer["alpha"].shape for layer in hidden] == shapes
        assert all(np.all(layer["alpha"] == 0.25) for layer in hidden)
        assert "alpha" not in output

    def test_prelu_slopes_start_at_the_alpha_given(self):
        model = nn.MLP([2, 5, 2], activation="prelu", alpha=0.1)
        assert np.all(model.params[0]["alpha"] == 0.1)

    def test_forward_keeps_every_layers_z_and_a(self):
        model = nn.MLP([2, 5, 4, 3])
        X = np.ones((7, 2))
        out = model.forward(X)
        cache = model.cache
        assert [Z.shape for Z in cache.Z] == [(7, 5), (7, 4), (7, 3)]
        assert np.array_equal(cache.A[0], X)
        assert out is cache.Z[-1]
        for Z, A in zip(
            cache.hidden_pre_activations, cache.hidden_activations, strict=True
        ):
            assert np.array_equal(A, np.maximum(Z, 0))

    def test_predict_gives_the_largest_logit(self):
        model = nn.MLP([2, 5, 3], seed=1)
        X = np.random.default_rng(0).standard_normal((10, 2))
        assert np.array_equal(model.predict(X), np.argmax(model.forward(X), axis=1))

    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"layer_sizes": [2]}, ValueError, "at least an input and an output"),
            (
                {"layer_sizes": [2, 0, 2]},
                ValueError,
                r"'layer_sizes\[1\]' must be at least 1",
            ),
            ({"layer_sizes": [2, 2.5, 2]}, TypeError, "must be an integer"),
            (
                {"init": "glorot"},
                ValueError,
                "unknown init 'glorot'; choose one of: he",
            ),
            ({"init": -1.0}, ValueError, "'init' must be > 0"),
            ({"bias_init": "zero"}, TypeError, "'bias_init' must be a real number"),
            ({"activation": 3}, TypeError, "activation must be a name"),
            ({"activation": "rellu"}, ValueError, "unknown activation 'rellu'"),
            (
                {"shared_params": True},
                ValueError,
                "shared_params applies only to an activation with learnable "
                "parameters; relu learns none",
            ),
            ({"activation": "relu", "alpha": 0.1}, TypeError, "unexpected parameter"),
            (
                {"activation": "prelu", "alpha": [0.1, 0.2]},
                ValueError,
                r"initial value of prelu's learnable parameter 'alpha' must be one "
                r"number, got shape \(2,\)",
            ),
        ],
    )
    def test_bad_arguments_are_refused(self, kwargs, error, message):
        kwargs = {"layer_sizes": [2, 3, 2], **kwargs}
        with pytest.raises(error, match=message):
            nn.MLP(**kwargs)

    def test_input_of_the_wrong_width_is_refused(self):
        with pytest.raises(
            ValueError,
            match=r"MLP.forward\(\): X must have shape \(n_samples, 2\).*got \(4, 3\)",
        ):
            nn.MLP([2, 3, 2]).forward(np.zeros((4, 3)))

    def test_backward_needs_a_forward_pass_first(self):
        with pytest.raises(RuntimeError, match="call forward"):
            nn.MLP([2, 3, 2]).backward(np.zeros((1, 2)))

    def test_backward_refuses_a_gradient_of_the_wrong_shape(self):
        model = nn.MLP([2, 3, 2])
        model.forward(np.zeros((4, 2)))
        with pytest.raises(
            ValueError, match=r"shape of the output, \(4, 2\), got \(4, 3\)"
        ):
            model.backward(np.zeros((4, 3)))


class TestLearnableParameters:
    """An activation's learnable parameters, declared by the activation alone."""

    def test_one_per_unit_starting_at_the_bound_value(self):
        model = nn.MLP([2, 5, 4, 3], activation=ScaledTanh())
        hidden = model.params[:-1]
        assert [layer["scale"].shape for layer in hidden] == [(5,), (4,)]
        assert all(np.all(layer["scale"] == 1.5) for layer in hidden)
        assert "scale" not in model.params[-1]

    def test_one_per_layer_when_shared(self):
        model = nn.MLP([2, 5, 4, 3], activation=ScaledTanh(), shared_params=True)
        assert [layer["scale"].shape for layer in model.params[:-1]] == [(), ()]

    def test_each_unit_uses_its_own_value(self):
        model = nn.MLP([2, 5, 3], activation=ScaledTanh(), seed=2)
        model.params[0]["scale"][:] = [1.0, 2.0, 3.0, 4.0, 5.0]
        model.forward(np.ones((3, 2)))
        Z = model.cache.Z[0]
        assert np.allclose(model.cache.A[1], [1.0, 2.0, 3.0, 4.0, 5.0] * np.tanh(Z))

    def test_trains_through_the_mlp(self):
        X, y = small_classification(n=40, n_classes=2)
        model = nn.MLP([3, 6, 2], activation=ScaledTanh(), seed=0)
        optimizer = training.SGD(lr=0.2)
        history = training.train(model, (X, y), optimizer=optimizer, epochs=5)
        (scales,) = history.learned["scale"]
        assert scales.shape == (6, 6)
        assert np.all(scales[0] == 1.5)
        assert np.array_equal(scales[-1], model.params[0]["scale"])
        assert np.all(scales[-1] != 1.5)
        assert history.loss[-1] < history.loss[0]

    def test_may_not_be_called_w_or_b(self):
        class Clashing(ScaledTanh):
            defaults = {"b": 1.0}
            learnable = ("b",)

        with pytest.raises(ValueError, match="learnable parameter 'b', the name of"):
            nn.MLP([2, 3, 2], activation=Clashing())


class TestBackward:
    """backward() agrees with central differences on every parameter."""

    def check_gradients(self, model, X, y, loss=nn.softmax_cross_entropy):
        def loss_value(_):
            return loss(model.forward(X), y)[0]

        model.forward(X)
        assert away_from_kinks(model) > 1e-4, "pick data away from the kink"
        grads = model.backward(loss(model.forward(X), y)[1])
        assert [grad.keys() for grad in grads] == [p.keys() for p in model.params]
        errors = {}
        for i, (layer, grad) in enumerate(zip(model.params, grads, strict=True)):
            for key, param in layer.items():
                numeric = diagnostics.numerical_gradient(loss_value, param)
                errors[f"{key}{i}"] = diagnostics.relative_error(grad[key], numeric)
        assert max(errors.values()) < GRADIENT_TOLERANCE, errors

    @pytest.mark.parametrize("name", actlib.names())
    def test_every_activation(self, name):
        X, y = small_classification()
        model = nn.MLP([3, 5, 4, 3], activation=name, bias_init=0.1, seed=1)
        self.check_gradients(model, X, y)

    @pytest.mark.parametrize(
        ("name", "params"),
        [
            ("leaky_relu", {"alpha": 0.2}),
            ("elu", {"alpha": 0.5}),
            ("swish", {"beta": 2.0}),
            ("softplus", {"beta": 3.0}),
            ("gelu", {"approximate": "tanh"}),
        ],
    )
    def test_activation_parameters(self, name, params):
        X, y = small_classification()
        model = nn.MLP([3, 5, 4, 3], activation=name, bias_init=0.1, seed=1, **params)
        self.check_gradients(model, X, y)

    @pytest.mark.parametrize("shared", [False, True])
    def test_prelu_slopes(self, shared):
        X, y = small_classification()
        model = nn.MLP([3, 5, 4, 3], activation="prelu", shared_params=shared, seed=1)
        rng = np.random.default_rng(5)
        for layer in model.params[:-1]:
            layer["alpha"][...] = rng.uniform(0.05, 0.5, layer["alpha"].shape)
        self.check_gradients(model, X, y)

    @pytest.mark.parametrize("shared", [False, True])
    def test_a_learnable_parameter_written_outside_actlib(self, shared):
        X, y = small_classification()
        model = nn.MLP(
            [3, 5, 4, 3], activation=ScaledTanh(), shared_params=shared, seed=1
        )
        rng = np.random.default_rng(5)
        for layer in model.params[:-1]:
            layer["scale"][...] = rng.uniform(0.5, 2.0, layer["scale"].shape)
        self.check_gradients(model, X, y)

    def test_mse_loss(self):
        X, _ = small_classification()
        target = np.random.default_rng(1).standard_normal((len(X), 2))
        self.check_gradients(nn.MLP([3, 6, 2], activation="tanh"), X, target, nn.mse)

    def test_slope_gradient_is_the_sum_of_dout_times_min_0_z(self):
        model = nn.MLP([1, 2, 1], activation="prelu", seed=0)
        model.params[0]["W"][:] = [[1.0, -1.0]]
        model.params[1]["W"][:] = [[1.0], [1.0]]
        model.forward([[2.0], [-3.0]])  # Z = [[2, -2], [-3, 3]]
        grads = model.backward([[1.0], [10.0]])
        assert np.array_equal(grads[0]["alpha"], [-30.0, -2.0])


class TestSoftmaxCrossEntropy:
    def test_hand_computed(self):
        loss, dlogits = nn.softmax_cross_entropy([[1.0, 2.0, 3.0]], [2])
        p = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
        assert loss == pytest.approx(-math.log(p[2]))
        assert np.allclose(dlogits, [[p[0], p[1], p[2] - 1]])

    def test_is_the_mean_over_the_batch(self):
        loss, dlogits = nn.softmax_cross_entropy([[0.0, 0.0], [0.0, 0.0]], [0, 1])
        assert loss == pytest.approx(math.log(2))
        assert np.allclose(dlogits, [[-0.25, 0.25], [0.25, -0.25]])

    def test_huge_logits_do_not_overflow(self):
        loss, dlogits = nn.softmax_cross_entropy([[1000.0, -1000.0]], [1])
        assert loss == 2000.0
        assert np.array_equal(dlogits, [[1.0, -1.0]])

    @pytest.mark.parametrize(
        ("logits", "y", "message"),
        [
            (np.zeros((2, 3)), [0, 3], "labels must be integers from 0 to 2"),
            (np.zeros((2, 3)), [0.0, 1.0], "labels must be integers"),
            (np.zeros((2, 3)), [0], r"labels of shape \(n,\), got \(2, 3\) and \(1,\)"),
            (np.zeros(3), [0], "logits of shape"),
        ],
    )
    def test_bad_labels_are_refused(self, logits, y, message):
        with pytest.raises(ValueError, match=message):
            nn.softmax_cross_entropy(logits, y)


class TestMSE:
    def test_hand_computed(self):
        loss, dpred = nn.mse([[1.0, 2.0]], [[0.0, 0.0]])
        assert loss == 2.5
        assert np.array_equal(dpred, [[1.0, 2.0]])

    def test_one_dimensional_targets_for_one_output(self):
        assert nn.mse([[1.0], [3.0]], [1.0, 1.0])[0] == 2.0

    def test_mismatched_shapes_are_refused(self):
        with pytest.raises(ValueError, match=r"target of shape \(3,\) does not match"):
            nn.mse(np.zeros((2, 1)), np.zeros(3))
