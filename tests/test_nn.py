"""Tests of actlib.nn: the MLP and its backward pass, losses, optimizers, train."""

import math

import numpy as np
import pytest

import actlib
from actlib import data, diagnostics, nn

#: How close backward() must come to central differences, in float64.
GRADIENT_TOLERANCE = 1e-6


def small_classification(n=8, n_features=3, n_classes=3, seed=0):
    """A few random points with random labels: enough to exercise every path."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, n_features)), rng.integers(0, n_classes, n)


def assert_histories_equal(first, second):
    """Every field of two histories is bitwise the same (None matches None)."""
    for field, value in vars(first).items():
        other = getattr(second, field)
        if isinstance(value, np.ndarray):
            assert np.array_equal(value, other), field
        else:
            assert value == other, field


def away_from_kinks(model):
    """The smallest |z| over the hidden pre-activations of the last forward pass."""
    return min(np.abs(Z).min() for Z in model.cache.hidden_pre_activations)


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
        model = nn.MLP([2, 5, 4, 3], activation="prelu", prelu_shared=shared)
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
            ({"prelu_shared": True}, ValueError, "prelu_shared applies only to"),
            ({"activation": "relu", "alpha": 0.1}, TypeError, "unexpected parameter"),
            (
                {"activation": "prelu", "alpha": [0.1, 0.2]},
                ValueError,
                "initial PReLU slope 'alpha' must be one number",
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
        model = nn.MLP([3, 5, 4, 3], activation="prelu", prelu_shared=shared, seed=1)
        rng = np.random.default_rng(5)
        for layer in model.params[:-1]:
            layer["alpha"][...] = rng.uniform(0.05, 0.5, layer["alpha"].shape)
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


def one_parameter(value):
    """A parameter list, laid out as MLP.params is, holding one array ``w``."""
    return [{"w": np.array(value, dtype=np.float64)}]


def grads_of(value):
    """Gradients for :func:`one_parameter`."""
    return one_parameter(value)


class TestSGD:
    def test_one_step(self):
        params = one_parameter([1.0, 2.0])
        nn.SGD(lr=0.5).step(params, grads_of([2.0, -2.0]))
        assert np.array_equal(params[0]["w"], [0.0, 3.0])

    def test_momentum_accumulates_a_velocity(self):
        params, sgd = one_parameter([0.0]), nn.SGD(lr=0.1, momentum=0.9)
        sgd.step(params, grads_of([1.0]))  # v = 1, w = -0.1
        sgd.step(params, grads_of([1.0]))  # v = 1.9, w = -0.29
        assert params[0]["w"] == pytest.approx([-0.29])

    def test_updates_in_place(self):
        params = one_parameter([1.0])
        w = params[0]["w"]
        nn.SGD(lr=1.0).step(params, grads_of([1.0]))
        assert params[0]["w"] is w

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"lr": 0.0}, "SGD\\(\\): parameter 'lr' must be > 0"),
            ({"lr": 0.1, "momentum": 1.0}, r"'momentum' must be in \[0, 1\)"),
            ({"lr": 0.1, "clip_norm": -1.0}, "'clip_norm' must be > 0"),
        ],
    )
    def test_bad_arguments_are_refused(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            nn.SGD(**kwargs)


class TestAdam:
    def test_first_step_has_length_lr(self):
        params = one_parameter([1.0, 1.0])
        nn.Adam(lr=0.01).step(params, grads_of([1e-3, -50.0]))
        assert params[0]["w"] == pytest.approx([0.99, 1.01])

    def test_two_steps_hand_computed(self):
        params, adam = one_parameter([0.0]), nn.Adam(lr=0.1)
        adam.step(params, grads_of([1.0]))
        adam.step(params, grads_of([3.0]))
        m_hat = (0.9 * 0.1 * 1.0 + 0.1 * 3.0) / (1 - 0.9**2)
        v_hat = (0.999 * 0.001 * 1.0 + 0.001 * 9.0) / (1 - 0.999**2)
        assert params[0]["w"] == pytest.approx([-0.1 - 0.1 * m_hat / math.sqrt(v_hat)])

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"beta1": 1.0}, r"Adam\(\): parameter 'beta1' must be in \[0, 1\)"),
            ({"beta2": -0.1}, r"'beta2' must be in \[0, 1\)"),
            ({"eps": 0.0}, "'eps' must be > 0"),
        ],
    )
    def test_bad_arguments_are_refused(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            nn.Adam(lr=0.1, **kwargs)


class TestClipping:
    def test_caps_the_global_norm(self):
        grads = [{"W": np.full((2, 2), 3.0), "b": np.full(2, 4.0)}, {"W": np.ones(3)}]
        clipped = nn.clip_by_global_norm(grads, 1.0)
        norms = diagnostics.layer_grad_norms(clipped)
        assert np.sqrt(np.sum(norms**2)) == pytest.approx(1.0)
        # The direction is kept: every array is scaled by the same factor.
        ratios = [clipped[0]["W"] / grads[0]["W"], clipped[1]["W"] / grads[1]["W"]]
        assert np.allclose(ratios[0], ratios[1][0])

    def test_leaves_small_gradients_alone(self):
        grads = [{"W": np.array([0.3, 0.4])}]
        assert nn.clip_by_global_norm(grads, 1.0) is grads

    def test_optimizer_step_is_no_longer_than_lr_times_clip_norm(self):
        params = one_parameter([0.0, 0.0])
        nn.SGD(lr=0.5, clip_norm=2.0).step(params, grads_of([300.0, 400.0]))
        assert np.allclose(params[0]["w"], [-0.6, -0.8])


@pytest.fixture(scope="module")
def moons():
    """200 points of the two moons, for the training tests."""
    return data.moons(200, noise=0.1, seed=0)


class TestTrain:
    def fit(self, X, y, seed=0, activation="relu", **kwargs):
        model = nn.MLP([2, 16, 16, 2], activation=activation, seed=seed)
        kwargs = {"epochs": 30, "lr": 0.1, **kwargs}
        return model, nn.train(model, X, y, **kwargs)

    def test_same_seed_gives_bitwise_identical_training(self, moons):
        first_model, first = self.fit(*moons, momentum=0.9)
        second_model, second = self.fit(*moons, momentum=0.9)
        assert_histories_equal(first, second)
        for a, b in zip(first_model.params, second_model.params, strict=True):
            assert all(np.array_equal(a[key], b[key]) for key in a)

    def test_another_shuffling_seed_gives_another_training(self, moons):
        first_model, first = self.fit(*moons)
        second_model = nn.MLP([2, 16, 16, 2], seed=0)
        second = nn.train(second_model, *moons, epochs=30, lr=0.1, seed=1)
        assert first.loss[0] == second.loss[0]  # the same initial network
        assert not np.array_equal(first.loss, second.loss)
        assert not np.array_equal(
            first_model.params[0]["W"], second_model.params[0]["W"]
        )

    def test_learns_the_moons(self, moons):
        _, history = self.fit(*moons, optimizer="adam", lr=0.01)
        assert history.loss[-1] < 0.1 * history.loss[0]
        assert history.accuracy[-1] > 0.95

    def test_reduces_the_loss_on_the_spirals(self):
        X, y = data.spirals(300, seed=0)
        model = nn.MLP([2, 32, 32, 2], seed=0)
        history = nn.train(model, X, y, epochs=60, lr=0.01, optimizer="adam")
        assert history.loss[-1] < 0.4 * history.loss[0]
        assert history.accuracy[-1] > history.accuracy[0] + 0.3

    def test_history_has_a_row_per_epoch_and_one_for_the_start(self, moons):
        X, y = moons
        _, history = self.fit(X, y, epochs=5, X_val=X[:50], y_val=y[:50])
        assert np.array_equal(history.epoch, np.arange(6))
        for field in ("loss", "accuracy", "val_loss", "val_accuracy"):
            assert getattr(history, field).shape == (6,)
        for field in ("dead_fraction", "activation_mean", "activation_std", "sparsity"):
            assert getattr(history, field).shape == (6, 2)
        assert history.grad_norm.shape == (6, 3)
        assert history.diverged_epoch is None
        assert not np.isnan(history.loss).any()

    def test_row_zero_is_the_network_at_initialisation(self, moons):
        X, y = moons
        fresh = nn.MLP([2, 16, 16, 2], seed=0)
        logits = fresh.forward(X)
        Z = fresh.cache.hidden_pre_activations
        _, history = self.fit(X, y)
        assert history.loss[0] == nn.softmax_cross_entropy(logits, y)[0]
        assert history.dead_fraction[0, 1] == diagnostics.dead_fraction(Z[1])
        assert history.sparsity[0, 0] == diagnostics.sparsity(np.maximum(Z[0], 0))

    def test_last_row_describes_the_trained_network(self, moons):
        X, y = moons
        model, history = self.fit(X, y, epochs=3)
        assert history.loss[-1] == nn.softmax_cross_entropy(model.forward(X), y)[0]

    def test_leaky_relu_has_no_exact_zeros(self, moons):
        _, history = self.fit(*moons, activation="leaky_relu", epochs=2)
        assert np.all(history.sparsity == 0)

    def test_regression_with_mse(self, moons):
        X, _ = moons
        target = np.sin(2 * X[:, 0])
        model = nn.MLP([2, 16, 1], seed=0)
        history = nn.train(model, X, target, epochs=30, lr=0.05, loss="mse")
        assert history.accuracy is None and history.val_loss is None
        assert history.loss[-1] < 0.2 * history.loss[0]

    def test_divergence_is_recorded_and_training_stops(self, moons):
        # Leaky ReLU at a huge learning rate: the logits overflow in epoch 2.
        _, history = self.fit(*moons, activation="leaky_relu", lr=10.0)
        epoch = history.diverged_epoch
        assert epoch is not None and 1 <= epoch < 30
        assert np.isfinite(history.loss[:epoch]).all()
        assert not np.isfinite(history.loss[epoch])
        assert np.isnan(history.loss[epoch + 1 :]).all()
        assert np.isnan(history.dead_fraction[epoch + 1 :]).all()
        again = self.fit(*moons, activation="leaky_relu", lr=10.0)[1]
        assert again.diverged_epoch == epoch

    def test_clipping_keeps_the_same_run_finite(self, moons):
        _, history = self.fit(*moons, activation="leaky_relu", lr=10.0, clip_norm=1.0)
        assert history.diverged_epoch is None

    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"loss": "hinge"}, ValueError, "unknown loss 'hinge'; choose one of: "),
            ({"optimizer": "rmsprop"}, ValueError, "unknown optimizer 'rmsprop'"),
            ({"optimizer": "adam", "momentum": 0.9}, ValueError, "momentum is for"),
            ({"epochs": -1}, ValueError, "'epochs' must be at least 0"),
            ({"batch_size": 0}, ValueError, "'batch_size' must be at least 1"),
            ({"lr": -0.1}, ValueError, "'lr' must be > 0"),
            ({"y": np.zeros(3, dtype=int)}, ValueError, "X has 200 rows but y has 3"),
            ({"X_val": np.zeros((3, 2))}, ValueError, "give both X_val and y_val"),
            ({"X": np.zeros((200, 3))}, ValueError, r"train\(\): X must have shape"),
        ],
    )
    def test_bad_arguments_are_refused(self, moons, kwargs, error, message):
        X, y = moons
        kwargs = {"X": X, "y": y, "epochs": 1, "lr": 0.1, **kwargs}
        with pytest.raises(error, match=message):
            nn.train(nn.MLP([2, 4, 2]), **kwargs)


# -- What train records, checked by hand ---------------------------------------


def forward_and_backward_by_hand(params, X, y, loss, slope):
    """Everything a History row holds, for the network with ``params`` on (X, y).

    Written out here in plain NumPy, without actlib: the forward pass, the loss,
    the backward pass and each measurement, from their definitions. ``slope``
    is the hidden activation's negative slope (0 for ReLU), or None when each
    hidden layer carries its own PReLU ``"alpha"``.
    """
    n_layers = len(params)
    A, Z = [X], []
    for l, layer in enumerate(params):  # noqa: E741 (l as in the maths)
        Z.append(A[l] @ layer["W"] + layer["b"])
        if l < n_layers - 1:
            alpha = layer["alpha"] if slope is None else slope
            A.append(np.where(Z[l] > 0, Z[l], alpha * Z[l]))
    output = Z[-1]
    if loss == "mse":
        error = output - y.reshape(output.shape)
        value = np.sum(error**2) / error.size
        G = 2 * error / error.size
        accuracy = None
    else:
        shifted = output - output.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        rows = np.arange(len(y))
        value = -np.sum(log_p[rows, y]) / len(y)
        G = np.exp(log_p)
        G[rows, y] -= 1
        G /= len(y)
        accuracy = np.sum(np.argmax(output, axis=1) == y) / len(y)
    squared_norms = [0.0] * n_layers
    for l in reversed(range(n_layers)):  # noqa: E741
        layer = params[l]
        dZ = G
        if l < n_layers - 1:
            alpha = layer["alpha"] if slope is None else slope
            dZ = G * np.where(Z[l] > 0, 1.0, alpha)
        grads = [A[l].T @ dZ, dZ.sum(axis=0)]
        if "alpha" in layer:
            grads.append(np.sum(G * np.minimum(Z[l], 0), axis=0))
        squared_norms[l] = sum(np.sum(g**2) for g in grads)
        G = dZ @ layer["W"].T
    hidden = A[1:]
    means = [a.sum() / a.size for a in hidden]
    return {
        "loss": value,
        "accuracy": accuracy,
        "grad_norm": np.sqrt(squared_norms),
        "dead_fraction": [np.sum(np.all(z <= 0, axis=0)) / z.shape[1] for z in Z[:-1]],
        "activation_mean": means,
        "activation_std": [
            np.sqrt(np.sum((a - m) ** 2) / a.size)
            for a, m in zip(hidden, means, strict=True)
        ],
        "sparsity": [np.sum(a == 0) / a.size for a in hidden],
    }


class TestHistoryRecords:
    """Every quantity of every History row, against a computation by hand.

    A tiny network, [2, 4, 3, 2], learns six points in two epochs of two
    mini-batches; four other points validate. The parameters the network has
    after epoch e come from a copy trained for e epochs (training is
    deterministic), and each row is recomputed from them by
    :func:`forward_and_backward_by_hand`.
    """

    X = np.array(
        [[0.5, -1.0], [1.5, 0.3], [-0.7, 0.8], [-1.2, -0.4], [0.9, 1.1], [-0.3, -1.5]]
    )
    Y = np.array([0, 1, 1, 0, 1, 0])
    X_VAL = np.array([[1.0, 1.0], [-1.0, 0.5], [0.2, -0.8], [-0.6, -0.6]])
    Y_VAL = np.array([1, 1, 0, 0])
    EPOCHS = 2
    SEED = 2
    LR = 0.2
    CASES = {
        # (activation, its parameters, the negative slope by hand, loss, clip_norm)
        "relu": ("relu", {}, 0.0, "cross_entropy", None),
        "relu-clipped": ("relu", {}, 0.0, "cross_entropy", 0.05),
        "leaky_relu": ("leaky_relu", {"alpha": 0.1}, 0.1, "cross_entropy", None),
        "prelu": ("prelu", {"alpha": 0.2}, None, "cross_entropy", None),
        "relu-mse": ("relu", {}, 0.0, "mse", None),
    }

    def network(self, activation, params, loss):
        outputs = 1 if loss == "mse" else 2
        model = nn.MLP(
            [2, 4, 3, outputs], activation=activation, seed=self.SEED, **params
        )
        # The first unit is dead: its pre-activation is at most -0.75 on the data.
        model.params[0]["W"][:, 0] = [0.1, -0.1]
        model.params[0]["b"][0] = -1.0
        return model

    def run(self, case):
        """The History of training, and the rows expected for it."""
        activation, params, slope, loss, clip_norm = self.CASES[case]
        y, y_val = self.Y, self.Y_VAL
        if loss == "mse":
            y, y_val = y.astype(float), y_val.astype(float)
        args = {
            "lr": self.LR,
            "batch_size": 4,
            "loss": loss,
            "clip_norm": clip_norm,
            "X_val": self.X_VAL,
            "y_val": y_val,
        }
        model = self.network(activation, params, loss)
        history = nn.train(model, self.X, y, epochs=self.EPOCHS, **args)
        expected, expected_val = [], []
        for epoch in range(self.EPOCHS + 1):
            trained = self.network(activation, params, loss)
            nn.train(trained, self.X, y, epochs=epoch, **args)
            expected.append(
                forward_and_backward_by_hand(trained.params, self.X, y, loss, slope)
            )
            expected_val.append(
                forward_and_backward_by_hand(
                    trained.params, self.X_VAL, y_val, loss, slope
                )
            )
        return history, expected, expected_val

    @staticmethod
    def rows(expected, field):
        return np.array([row[field] for row in expected], dtype=float)

    @pytest.mark.parametrize("case", CASES)
    def test_the_test_can_tell_the_quantities_apart(self, case):
        # Otherwise a swapped, shifted or doubled record could pass unnoticed.
        _, expected, expected_val = self.run(case)
        loss = self.rows(expected, "loss")
        assert np.all(np.abs(np.diff(loss)) > 1e-3), "each epoch changes the loss"
        assert np.all(np.abs(self.rows(expected_val, "loss") - loss) > 1e-3)
        mean = self.rows(expected, "activation_mean")
        assert np.all(np.abs(mean - self.rows(expected, "activation_std")) > 1e-3)
        assert np.all(np.abs(np.diff(mean, axis=1)) > 1e-3), "layers differ"
        norms = self.rows(expected, "grad_norm")
        assert np.all(np.abs(np.diff(norms, axis=1)) > 1e-3), "layers differ"
        assert np.all(np.abs(np.diff(norms, axis=0)) > 1e-6), "epochs differ"
        assert np.all(self.rows(expected, "dead_fraction")[:, 0] == 0.25)
        clip_norm = self.CASES[case][-1]
        if clip_norm is not None:
            assert np.all(np.sqrt(np.sum(norms**2, axis=1)) > 2 * clip_norm)

    @pytest.mark.parametrize("case", CASES)
    def test_epoch_counts_the_rows(self, case):
        history, _, _ = self.run(case)
        assert np.array_equal(history.epoch, np.arange(self.EPOCHS + 1))
        assert history.epoch.dtype.kind == "i"
        assert history.diverged_epoch is None

    @pytest.mark.parametrize("case", CASES)
    def test_loss_is_the_training_loss_after_each_epoch(self, case):
        history, expected, _ = self.run(case)
        np.testing.assert_allclose(
            history.loss, self.rows(expected, "loss"), rtol=1e-12
        )

    @pytest.mark.parametrize("case", CASES)
    def test_accuracy_is_the_training_accuracy_after_each_epoch(self, case):
        history, expected, _ = self.run(case)
        if self.CASES[case][3] == "mse":
            assert history.accuracy is None
        else:
            assert np.array_equal(history.accuracy, self.rows(expected, "accuracy"))

    @pytest.mark.parametrize("case", CASES)
    def test_val_loss_and_accuracy_are_measured_on_the_validation_set(self, case):
        history, _, expected_val = self.run(case)
        np.testing.assert_allclose(
            history.val_loss, self.rows(expected_val, "loss"), rtol=1e-12
        )
        if self.CASES[case][3] == "mse":
            assert history.val_accuracy is None
        else:
            assert np.array_equal(
                history.val_accuracy, self.rows(expected_val, "accuracy")
            )

    @pytest.mark.parametrize("case", CASES)
    def test_grad_norm_is_each_layers_unclipped_gradient_norm(self, case):
        history, expected, _ = self.run(case)
        assert history.grad_norm.shape == (self.EPOCHS + 1, 3)
        np.testing.assert_allclose(
            history.grad_norm, self.rows(expected, "grad_norm"), rtol=1e-12
        )

    @pytest.mark.parametrize("case", CASES)
    def test_dead_fraction_of_each_hidden_layer(self, case):
        history, expected, _ = self.run(case)
        assert np.array_equal(
            history.dead_fraction, self.rows(expected, "dead_fraction")
        )

    @pytest.mark.parametrize("case", CASES)
    def test_activation_mean_and_std_of_each_hidden_layer(self, case):
        history, expected, _ = self.run(case)
        np.testing.assert_allclose(
            history.activation_mean,
            self.rows(expected, "activation_mean"),
            rtol=1e-12,
            atol=1e-15,
        )
        np.testing.assert_allclose(
            history.activation_std, self.rows(expected, "activation_std"), rtol=1e-12
        )

    @pytest.mark.parametrize("case", CASES)
    def test_sparsity_of_each_hidden_layer(self, case):
        history, expected, _ = self.run(case)
        assert np.array_equal(history.sparsity, self.rows(expected, "sparsity"))
