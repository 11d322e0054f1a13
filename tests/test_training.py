"""Tests of actlib.training: optimizers, train, its History, resuming training."""

import ast
import math
import pathlib

import numpy as np
import pytest

from actlib import data, diagnostics, nn, training


def assert_histories_equal(first, second):
    """Every field of two histories is bitwise the same (None matches None)."""
    for field, value in vars(first).items():
        other = getattr(second, field)
        if isinstance(value, np.ndarray):
            assert np.array_equal(value, other), field
        elif field == "learned":
            assert value.keys() == other.keys()
            for name, rows in value.items():
                for a, b in zip(rows, other[name], strict=True):
                    assert np.array_equal(a, b), f"learned[{name!r}]"
        else:
            assert value == other, field


def assert_same_params(first, second):
    """Two parameter lists are bitwise the same."""
    for a, b in zip(first, second, strict=True):
        assert a.keys() == b.keys()
        assert all(np.array_equal(a[key], b[key]) for key in a)


def one_parameter(value):
    """A parameter list, laid out as MLP.params is, holding one array ``w``."""
    return [{"w": np.array(value, dtype=np.float64)}]


def grads_of(value):
    """Gradients for :func:`one_parameter`."""
    return one_parameter(value)


class TestSGD:
    def test_one_step(self):
        params = one_parameter([1.0, 2.0])
        training.SGD(lr=0.5).step(params, grads_of([2.0, -2.0]))
        assert np.array_equal(params[0]["w"], [0.0, 3.0])

    def test_momentum_accumulates_a_velocity(self):
        params, sgd = one_parameter([0.0]), training.SGD(lr=0.1, momentum=0.9)
        sgd.step(params, grads_of([1.0]))  # v = 1, w = -0.1
        sgd.step(params, grads_of([1.0]))  # v = 1.9, w = -0.29
        assert params[0]["w"] == pytest.approx([-0.29])

    def test_updates_in_place(self):
        params = one_parameter([1.0])
        w = params[0]["w"]
        training.SGD(lr=1.0).step(params, grads_of([1.0]))
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
            training.SGD(**kwargs)


class TestAdam:
    def test_first_step_has_length_lr(self):
        params = one_parameter([1.0, 1.0])
        training.Adam(lr=0.01).step(params, grads_of([1e-3, -50.0]))
        assert params[0]["w"] == pytest.approx([0.99, 1.01])

    def test_two_steps_hand_computed(self):
        params, adam = one_parameter([0.0]), training.Adam(lr=0.1)
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
            training.Adam(lr=0.1, **kwargs)


class TestClipping:
    def test_caps_the_global_norm(self):
        grads = [{"W": np.full((2, 2), 3.0), "b": np.full(2, 4.0)}, {"W": np.ones(3)}]
        clipped = training.clip_by_global_norm(grads, 1.0)
        norms = diagnostics.layer_grad_norms(clipped)
        assert np.sqrt(np.sum(norms**2)) == pytest.approx(1.0)
        # The direction is kept: every array is scaled by the same factor.
        ratios = [clipped[0]["W"] / grads[0]["W"], clipped[1]["W"] / grads[1]["W"]]
        assert np.allclose(ratios[0], ratios[1][0])

    def test_leaves_small_gradients_alone(self):
        grads = [{"W": np.array([0.3, 0.4])}]
        assert training.clip_by_global_norm(grads, 1.0) is grads

    def test_optimizer_step_is_no_longer_than_lr_times_clip_norm(self):
        params = one_parameter([0.0, 0.0])
        training.SGD(lr=0.5, clip_norm=2.0).step(params, grads_of([300.0, 400.0]))
        assert np.allclose(params[0]["w"], [-0.6, -0.8])


@pytest.fixture(scope="module")
def moons():
    """200 points of the two moons, for the training tests."""
    return data.moons(200, noise=0.1, seed=0)


class TestTrain:
    def fit(self, X, y, activation="relu", optimizer=None, **kwargs):
        """Train a [2, 16, 16, 2] network, by default for 30 epochs of SGD."""
        model = nn.MLP([2, 16, 16, 2], activation=activation, seed=0)
        optimizer = optimizer or training.SGD(lr=0.1)
        kwargs = {"epochs": 30, **kwargs}
        return model, training.train(model, (X, y), optimizer=optimizer, **kwargs)

    def test_same_seed_gives_bitwise_identical_training(self, moons):
        first_model, first = self.fit(*moons, optimizer=training.SGD(0.1, 0.9))
        second_model, second = self.fit(*moons, optimizer=training.SGD(0.1, 0.9))
        assert_histories_equal(first, second)
        assert_same_params(first_model.params, second_model.params)

    def test_another_shuffling_seed_gives_another_training(self, moons):
        first_model, first = self.fit(*moons)
        second_model, second = self.fit(*moons, seed=1)
        assert first.loss[0] == second.loss[0]  # the same initial network
        assert not np.array_equal(first.loss, second.loss)
        assert not np.array_equal(
            first_model.params[0]["W"], second_model.params[0]["W"]
        )

    def test_learns_the_moons(self, moons):
        _, history = self.fit(*moons, optimizer=training.Adam(lr=0.01))
        assert history.loss[-1] < 0.1 * history.loss[0]
        assert history.accuracy[-1] > 0.95

    def test_reduces_the_loss_on_the_spirals(self):
        X, y = data.spirals(300, seed=0)
        model = nn.MLP([2, 32, 32, 2], seed=0)
        history = training.train(
            model, (X, y), optimizer=training.Adam(lr=0.01), epochs=60
        )
        assert history.loss[-1] < 0.4 * history.loss[0]
        assert history.accuracy[-1] > history.accuracy[0] + 0.3

    def test_history_has_a_row_per_epoch_and_one_for_the_start(self, moons):
        X, y = moons
        _, history = self.fit(X, y, epochs=5, val=(X[:50], y[:50]))
        assert np.array_equal(history.epoch, np.arange(6))
        for field in ("loss", "accuracy", "val_loss", "val_accuracy"):
            assert getattr(history, field).shape == (6,)
        for field in ("dead_fraction", "activation_mean", "activation_std", "sparsity"):
            assert getattr(history, field).shape == (6, 2)
        assert history.grad_norm.shape == (6, 3)
        assert history.diverged_epoch is None
        assert history.learned == {}
        assert not np.isnan(history.loss).any()

    def test_learned_has_a_row_per_epoch_for_each_layer(self, moons):
        model = nn.MLP([2, 16, 8, 2], activation="prelu", seed=0)
        history = training.train(model, moons, optimizer=training.SGD(lr=0.1), epochs=4)
        shapes = [rows.shape for rows in history.learned["alpha"]]
        assert shapes == [(5, 16), (5, 8)]
        assert np.all(history.learned["alpha"][0][0] == 0.25)

    def test_learned_shared_parameters_have_one_column(self, moons):
        model = nn.MLP([2, 16, 8, 2], activation="prelu", shared_params=True)
        history = training.train(model, moons, optimizer=training.SGD(lr=0.1), epochs=4)
        assert [rows.shape for rows in history.learned["alpha"]] == [(5,), (5,)]

    def test_row_zero_is_the_network_at_initialisation(self, moons):
        X, y = moons
        fresh = nn.MLP([2, 16, 16, 2], seed=0)
        logits = fresh.forward(X)
        Z = fresh.cache.hidden_pre_activations
        _, history = self.fit(X, y)
        # Measured in blocks of rows: the same sum, added up in another order.
        loss = nn.softmax_cross_entropy(logits, y)[0]
        assert history.loss[0] == pytest.approx(loss, rel=1e-14)
        assert history.dead_fraction[0, 1] == diagnostics.dead_fraction(Z[1])
        assert history.sparsity[0, 0] == diagnostics.sparsity(np.maximum(Z[0], 0))

    def test_last_row_describes_the_trained_network(self, moons):
        X, y = moons
        model, history = self.fit(X, y, epochs=3)
        loss = nn.softmax_cross_entropy(model.forward(X), y)[0]
        assert history.loss[-1] == pytest.approx(loss, rel=1e-14)

    def test_leaky_relu_has_no_exact_zeros(self, moons):
        _, history = self.fit(*moons, activation="leaky_relu", epochs=2)
        assert np.all(history.sparsity == 0)

    @pytest.mark.parametrize("shape", [(200,), (200, 1)])
    def test_regression_with_mse(self, moons, shape):
        X, _ = moons
        target = np.sin(2 * X[:, 0]).reshape(shape)
        model = nn.MLP([2, 16, 1], seed=0)
        history = training.train(
            model, (X, target), optimizer=training.SGD(0.05), epochs=30, loss="mse"
        )
        assert history.accuracy is None and history.val_loss is None
        assert history.loss[-1] < 0.2 * history.loss[0]

    def test_divergence_is_recorded_and_training_stops(self, moons):
        # Leaky ReLU at a huge learning rate: the logits overflow in epoch 2.
        sgd = training.SGD(lr=10.0)
        _, history = self.fit(*moons, activation="leaky_relu", optimizer=sgd)
        epoch = history.diverged_epoch
        assert epoch is not None and 1 <= epoch < 30
        assert sgd.epochs == epoch
        assert np.isfinite(history.loss[:epoch]).all()
        assert not np.isfinite(history.loss[epoch])
        assert np.isnan(history.loss[epoch + 1 :]).all()
        assert np.isnan(history.dead_fraction[epoch + 1 :]).all()
        again = self.fit(*moons, activation="leaky_relu", optimizer=training.SGD(10.0))
        assert again[1].diverged_epoch == epoch

    def test_clipping_keeps_the_same_run_finite(self, moons):
        sgd = training.SGD(lr=10.0, clip_norm=1.0)
        _, history = self.fit(*moons, activation="leaky_relu", optimizer=sgd)
        assert history.diverged_epoch is None

    @pytest.mark.parametrize("block", [1, 7, 64])
    def test_blocks_give_the_numbers_of_one_pass(self, moons, monkeypatch, block):
        X, y = moons

        def history():
            # Negative biases: some dead units, many exact zeros, to count.
            model = nn.MLP([2, 16, 16, 2], seed=0, bias_init=-0.5)
            sgd = training.SGD(lr=0.1)
            val = (X[:150], y[:150])
            return training.train(model, moons, optimizer=sgd, epochs=3, val=val)

        monkeypatch.setattr(training, "MEASUREMENT_BLOCK", len(X))
        one_pass = history()
        monkeypatch.setattr(training, "MEASUREMENT_BLOCK", block)
        blocked = history()
        for field in ("accuracy", "val_accuracy", "dead_fraction", "sparsity"):
            assert np.array_equal(getattr(blocked, field), getattr(one_pass, field))
        assert np.all(one_pass.dead_fraction > 0) and np.all(one_pass.sparsity > 0)
        fields = ("loss", "val_loss", "grad_norm", "activation_mean", "activation_std")
        for field in fields:
            np.testing.assert_allclose(
                getattr(blocked, field), getattr(one_pass, field), rtol=1e-14
            )
        assert any(
            not np.array_equal(getattr(blocked, field), getattr(one_pass, field))
            for field in fields
        ), "the blocks were not used"

    def test_the_optimizer_counts_steps_and_epochs(self, moons):
        sgd = training.SGD(lr=0.1)
        self.fit(*moons, optimizer=sgd, epochs=3, batch_size=64)
        assert (sgd.steps, sgd.epochs) == (3 * 4, 3)  # 200 points: 4 batches


class TestResume:
    """Training in two calls is training in one, bitwise."""

    @staticmethod
    def start():
        return nn.MLP([2, 16, 16, 2], activation="prelu", seed=0)

    @pytest.mark.parametrize(
        "make_optimizer",
        [lambda: training.SGD(lr=0.1, momentum=0.9), lambda: training.Adam(lr=0.01)],
        ids=["sgd-momentum", "adam"],
    )
    def test_three_epochs_then_two_are_five(self, moons, make_optimizer):
        args = {"val": (moons[0][:50], moons[1][:50]), "batch_size": 16}
        whole_model, whole_optimizer = self.start(), make_optimizer()
        whole = training.train(
            whole_model,
            moons,
            optimizer=whole_optimizer,
            epochs=5,
            seed=np.random.default_rng(7),
            **args,
        )
        model, optimizer, rng = self.start(), make_optimizer(), np.random.default_rng(7)
        first = training.train(
            model, moons, optimizer=optimizer, epochs=3, seed=rng, **args
        )
        second = training.train(
            model, moons, optimizer=optimizer, epochs=2, seed=rng, **args
        )
        assert_same_params(model.params, whole_model.params)
        assert (optimizer.steps, optimizer.epochs) == (whole_optimizer.steps, 5)
        assert np.array_equal(first.epoch, [0, 1, 2, 3])
        assert np.array_equal(second.epoch, [3, 4, 5])
        for field in ("loss", "accuracy", "val_loss", "grad_norm", "dead_fraction"):
            assert np.array_equal(getattr(second, field)[-1], getattr(whole, field)[-1])
        assert_histories_equal(first.join(second), whole)

    def test_the_optimizer_keeps_its_momentum(self, moons):
        # The same split with a new optimizer for the second part goes elsewhere.
        model, rng = self.start(), np.random.default_rng(7)
        sgd = training.SGD(lr=0.1, momentum=0.9)
        training.train(model, moons, optimizer=sgd, epochs=3, seed=rng)
        training.train(model, moons, optimizer=sgd, epochs=2, seed=rng)
        fresh_model, rng = self.start(), np.random.default_rng(7)
        training.train(
            fresh_model, moons, optimizer=training.SGD(0.1, 0.9), epochs=3, seed=rng
        )
        again = training.train(
            fresh_model, moons, optimizer=training.SGD(0.1, 0.9), epochs=2, seed=rng
        )
        assert np.array_equal(again.epoch, [0, 1, 2])  # a new optimizer counts anew
        assert not np.array_equal(model.params[0]["W"], fresh_model.params[0]["W"])

    def test_an_int_seed_starts_the_shuffles_afresh(self, moons):
        model, sgd = self.start(), training.SGD(lr=0.1)
        first = training.train(model, moons, optimizer=sgd, epochs=1, seed=3)
        second = training.train(model, moons, optimizer=sgd, epochs=1, seed=3)
        # The same shuffle twice: a different path from one two-epoch call.
        whole_model = self.start()
        whole = training.train(
            whole_model, moons, optimizer=training.SGD(lr=0.1), epochs=2, seed=3
        )
        assert first.loss[-1] == whole.loss[1]
        assert second.loss[-1] != whole.loss[2]

    def test_an_optimizer_belongs_to_one_model(self, moons):
        sgd = training.SGD(lr=0.1)
        training.train(self.start(), moons, optimizer=sgd, epochs=1)
        other = self.start()
        before = [layer["W"].copy() for layer in other.params]
        with pytest.raises(ValueError, match="state for other parameter arrays"):
            training.train(other, moons, optimizer=sgd, epochs=1)
        assert all(
            np.array_equal(a, layer["W"])
            for a, layer in zip(before, other.params, strict=True)
        )
        with pytest.raises(ValueError, match="make one optimizer per model"):
            sgd.step(other.params, other.params)


class TestHistoryJoin:
    @staticmethod
    def parts(epochs=(2, 3), **kwargs):
        X, y = data.moons(60, seed=1)
        model, sgd = nn.MLP([2, 8, 2], seed=0), training.SGD(lr=0.1)
        return [
            training.train(model, (X, y), optimizer=sgd, epochs=n, **kwargs)
            for n in epochs
        ]

    def test_drops_the_repeated_row(self):
        first, second = self.parts()
        joined = first.join(second)
        assert np.array_equal(joined.epoch, np.arange(6))
        assert np.array_equal(
            joined.loss, np.concatenate([first.loss, second.loss[1:]])
        )
        assert joined.dead_fraction.shape == (6, 1)
        assert joined.val_loss is None

    def test_leaves_both_parts_alone(self):
        first, second = self.parts()
        loss = first.loss.copy()
        first.join(second)
        assert np.array_equal(first.loss, loss) and len(second.loss) == 4

    def test_keeps_the_learned_parameters(self):
        X, y = data.moons(60, seed=1)
        model, sgd = nn.MLP([2, 8, 2], activation="prelu"), training.SGD(lr=0.1)
        first = training.train(model, (X, y), optimizer=sgd, epochs=2)
        second = training.train(model, (X, y), optimizer=sgd, epochs=1)
        (alpha,) = first.join(second).learned["alpha"]
        assert alpha.shape == (4, 8)
        assert np.array_equal(alpha[-1], model.params[0]["alpha"])

    def test_several_parts_join_from_left_to_right(self):
        first, second, third = self.parts(epochs=(1, 2, 1))
        joined = first.join(second).join(third)
        assert np.array_equal(joined.epoch, np.arange(5))

    def test_refuses_a_history_that_does_not_follow(self):
        first, second = self.parts()
        with pytest.raises(ValueError, match="ends at epoch 5 but the later one"):
            first.join(second).join(first)

    def test_refuses_to_go_on_after_a_divergence(self):
        first, second = self.parts()
        first.diverged_epoch = 1
        with pytest.raises(ValueError, match="diverged at epoch 1"):
            first.join(second)

    def test_refuses_histories_that_measured_different_things(self):
        first, second = self.parts()
        second.val_loss = second.loss.copy()
        with pytest.raises(ValueError, match="val_loss was measured in one history"):
            first.join(second)
        second.val_loss = None
        second.grad_norm = second.grad_norm[:, :1]
        with pytest.raises(ValueError, match=r"grad_norm has rows of shape \(2,\)"):
            first.join(second)

    def test_refuses_anything_but_a_history(self):
        first, _ = self.parts()
        with pytest.raises(TypeError, match="expected a History, got dict"):
            first.join({})


class TestTrainArguments:
    """Every bad argument is named, and refused before anything changes."""

    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"model": "mlp"}, TypeError, "model must be an actlib.nn.MLP, got str"),
            (
                {"optimizer": "sgd"},
                TypeError,
                r"optimizer must be an Optimizer, such as SGD\(lr=0.1\) or "
                r"Adam\(lr=0.01\), got 'sgd'",
            ),
            ({"optimizer": training.SGD}, TypeError, "must be an Optimizer"),
            ({"loss": "hinge"}, ValueError, "unknown loss 'hinge'; choose one of: "),
            ({"loss": ["mse"]}, ValueError, "unknown loss"),
            ({"epochs": -1}, ValueError, "'epochs' must be at least 0"),
            ({"epochs": 2.0}, TypeError, "'epochs' must be an integer"),
            ({"batch_size": 0}, ValueError, "'batch_size' must be at least 1"),
            ({"seed": 1.5}, TypeError, "seed must be an int or a numpy.random.Gen"),
            ({"seed": True}, TypeError, "seed must be an int"),
            ({"seed": -1}, ValueError, "seed must be at least 0, got -1"),
            ({"data": np.zeros((4, 2))}, TypeError, r"data must be a pair \(X, y\)"),
            ({"data": ([[0.0, 0.0]],)}, TypeError, "data must be a pair"),
            ({"val": np.zeros(3)}, TypeError, r"val must be a pair \(X_val, y_val\)"),
            ({"y": np.zeros(3, dtype=int)}, ValueError, "X has 200 rows but y has 3"),
            ({"y": 1}, ValueError, "X has 200 rows but y has none"),
            ({"X": np.zeros((200, 3))}, ValueError, r"X must have shape \(n_sam"),
            ({"X": np.zeros((0, 2)), "y": []}, ValueError, "at least one sample"),
            ({"X": np.full((200, 2), "a")}, TypeError, "X must hold real numbers"),
            ({"X": np.full((200, 2), np.nan)}, ValueError, "X must be finite"),
            ({"y": np.full(200, 2)}, ValueError, "y must be a vector of class lab"),
            ({"y": np.full(200, -1)}, ValueError, "integers from 0 to 1"),
            ({"y": np.zeros(200)}, ValueError, "got float64 values"),
            ({"y": np.zeros((200, 1), int)}, ValueError, r"of shape \(200, 1\)"),
            (
                {"val": (np.zeros((5, 2)), np.full(5, 7))},
                ValueError,
                "y_val must be a vector of class labels",
            ),
            (
                {"val": (np.zeros((5, 2)), np.zeros(4, int))},
                ValueError,
                "X_val has 5 rows but y_val has 4",
            ),
            (
                {"loss": "mse", "y": np.zeros((200, 3))},
                ValueError,
                r"y must have shape \(n_samples, 2\) for this MLP's 2 outputs",
            ),
            ({"loss": "mse", "y": np.zeros(200)}, ValueError, "y must have shape"),
            (
                {"loss": "mse", "y": np.full((200, 2), np.inf)},
                ValueError,
                "y must be finite",
            ),
        ],
    )
    def test_bad_arguments_are_refused(self, moons, kwargs, error, message):
        X, y = moons
        model = nn.MLP([2, 4, 2])
        arguments = {
            "model": model,
            "data": (kwargs.get("X", X), kwargs.get("y", y)),
            "optimizer": training.SGD(lr=0.1),
            "epochs": 1,
        }
        arguments.update({k: v for k, v in kwargs.items() if k not in ("X", "y")})
        before = [{key: a.copy() for key, a in layer.items()} for layer in model.params]
        optimizer = arguments["optimizer"]
        with pytest.raises(error, match=message):
            training.train(**arguments)
        assert_same_params(model.params, before)
        if isinstance(optimizer, training.Optimizer):
            assert (optimizer.steps, optimizer.epochs) == (0, 0)

    def test_the_learning_rate_is_checked_by_the_optimizer(self):
        with pytest.raises(ValueError, match=r"SGD\(\): parameter 'lr' must be > 0"):
            training.SGD(lr=-0.1)

    def test_a_refused_call_does_not_advance_the_generator(self, moons):
        rng = np.random.default_rng(0)
        state = rng.bit_generator.state
        with pytest.raises(ValueError, match="X_val has 3 rows"):
            training.train(
                nn.MLP([2, 4, 2]),
                moons,
                optimizer=training.SGD(0.1),
                epochs=1,
                seed=rng,
                val=(np.zeros((3, 2)), np.zeros(2, int)),
            )
        assert rng.bit_generator.state == state


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
        args = {"batch_size": 4, "loss": loss, "val": (self.X_VAL, y_val)}

        def sgd():
            return training.SGD(lr=self.LR, clip_norm=clip_norm)

        model = self.network(activation, params, loss)
        history = training.train(
            model, (self.X, y), optimizer=sgd(), epochs=self.EPOCHS, **args
        )
        expected, expected_val, learned = [], [], []
        for epoch in range(self.EPOCHS + 1):
            trained = self.network(activation, params, loss)
            training.train(trained, (self.X, y), optimizer=sgd(), epochs=epoch, **args)
            learned.append([layer.get("alpha") for layer in trained.params[:-1]])
            expected.append(
                forward_and_backward_by_hand(trained.params, self.X, y, loss, slope)
            )
            expected_val.append(
                forward_and_backward_by_hand(
                    trained.params, self.X_VAL, y_val, loss, slope
                )
            )
        return history, expected, expected_val, learned

    @staticmethod
    def rows(expected, field):
        return np.array([row[field] for row in expected], dtype=float)

    @pytest.mark.parametrize("case", CASES)
    def test_the_test_can_tell_the_quantities_apart(self, case):
        # Otherwise a swapped, shifted or doubled record could pass unnoticed.
        _, expected, expected_val, _ = self.run(case)
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
        history, *_ = self.run(case)
        assert np.array_equal(history.epoch, np.arange(self.EPOCHS + 1))
        assert history.epoch.dtype.kind == "i"
        assert history.diverged_epoch is None

    @pytest.mark.parametrize("case", CASES)
    def test_loss_is_the_training_loss_after_each_epoch(self, case):
        history, expected, *_ = self.run(case)
        np.testing.assert_allclose(
            history.loss, self.rows(expected, "loss"), rtol=1e-12
        )

    @pytest.mark.parametrize("case", CASES)
    def test_accuracy_is_the_training_accuracy_after_each_epoch(self, case):
        history, expected, *_ = self.run(case)
        if self.CASES[case][3] == "mse":
            assert history.accuracy is None
        else:
            assert np.array_equal(history.accuracy, self.rows(expected, "accuracy"))

    @pytest.mark.parametrize("case", CASES)
    def test_val_loss_and_accuracy_are_measured_on_the_validation_set(self, case):
        history, _, expected_val, _ = self.run(case)
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
        history, expected, *_ = self.run(case)
        assert history.grad_norm.shape == (self.EPOCHS + 1, 3)
        np.testing.assert_allclose(
            history.grad_norm, self.rows(expected, "grad_norm"), rtol=1e-12
        )

    @pytest.mark.parametrize("case", CASES)
    def test_dead_fraction_of_each_hidden_layer(self, case):
        history, expected, *_ = self.run(case)
        assert np.array_equal(
            history.dead_fraction, self.rows(expected, "dead_fraction")
        )

    @pytest.mark.parametrize("case", CASES)
    def test_activation_mean_and_std_of_each_hidden_layer(self, case):
        history, expected, *_ = self.run(case)
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
        history, expected, *_ = self.run(case)
        assert np.array_equal(history.sparsity, self.rows(expected, "sparsity"))

    @pytest.mark.parametrize("case", CASES)
    def test_learned_holds_each_layers_learnable_parameters(self, case):
        history, _, _, learned = self.run(case)
        if self.CASES[case][0] != "prelu":
            assert history.learned == {}
            return
        assert list(history.learned) == ["alpha"]
        for j, rows in enumerate(history.learned["alpha"]):
            expected = np.array([layers[j] for layers in learned])
            assert np.array_equal(rows, expected)
            assert np.all(np.abs(np.diff(rows, axis=0)) > 0), "alpha is learned"


def test_the_modules_of_actlib_import_no_circle():
    """No module imports itself through others, at the top or inside a function."""
    package = pathlib.Path(nn.__file__).parent
    imports = {}
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "actlib":
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.removeprefix("actlib."))
            elif isinstance(node, ast.Import):
                imported |= {a.name.removeprefix("actlib.") for a in node.names}
        imports[path.stem] = imported & {p.stem for p in package.glob("*.py")}

    def reaches(start, goal, seen):
        for module in imports[start] - seen:
            if module == goal or reaches(module, goal, seen | {module}):
                return True
        return False

    assert {"diagnostics", "nn"} <= imports["training"]
    assert "nn" in imports["diagnostics"]
    circles = [module for module in imports if reaches(module, module, set())]
    assert circles == []
