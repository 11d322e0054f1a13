"""The PyTorch column of chapter 8's table of framework defaults, checked.

Chapter 8 ("Code Example") lists the defaults and conventions that differ
between PyTorch, Keras and JAX. actlib follows PyTorch's, and these tests check
that claim against PyTorch itself: the default slopes of Leaky ReLU and PReLU,
the derivative that autograd returns at exactly 0, and the default form of
GELU. PyTorch is optional: without it the whole module is skipped.
"""

import math

import numpy as np
import pytest
from scipy.special import ndtr

import actlib

torch = pytest.importorskip("torch", exc_type=ImportError)
F = torch.nn.functional

#: Points on both sides of the kink, and the kink itself with both signs.
X = np.array([-3.0, -1.0, -1e-3, -0.0, 0.0, 1e-3, 1.0, 3.0])


def _tensor(x, requires_grad=False):
    return torch.tensor(x, dtype=torch.float64, requires_grad=requires_grad)


def _autograd_derivative(fn, x):
    """The derivative PyTorch's autograd returns for ``fn`` at each point of x."""
    t = _tensor(x, requires_grad=True)
    fn(t).backward(torch.ones_like(t))
    return t.grad.numpy()


class TestLeakyReLUDefaults:
    """PyTorch's Leaky ReLU slope is 0.01 by default, as is actlib's."""

    def test_module_default_slope(self):
        assert torch.nn.LeakyReLU().negative_slope == 0.01
        assert actlib.leaky_relu.defaults["alpha"] == 0.01

    def test_functional_default_slope(self):
        got = F.leaky_relu(_tensor(X)).numpy()
        np.testing.assert_array_equal(got, actlib.leaky_relu(X))
        assert F.leaky_relu(_tensor(-1.0)).item() == -0.01

    def test_module_and_functional_agree(self):
        got = torch.nn.LeakyReLU()(_tensor(X)).numpy()
        np.testing.assert_array_equal(got, F.leaky_relu(_tensor(X)).numpy())


class TestPReLUDefaults:
    """PyTorch's PReLU starts at a = 0.25 (He et al.), one slope for all channels."""

    def test_initial_slope(self):
        weight = torch.nn.PReLU().weight.detach().numpy()
        assert weight.tolist() == [0.25]
        assert actlib.prelu.defaults["alpha"] == 0.25

    def test_initial_slope_per_channel(self):
        weight = torch.nn.PReLU(num_parameters=3).weight.detach().numpy()
        assert weight.tolist() == [0.25, 0.25, 0.25]

    def test_values_at_the_initial_slope(self):
        got = torch.nn.PReLU().double()(_tensor(X)).detach().numpy()
        np.testing.assert_array_equal(got, actlib.prelu(X))


# (name, actlib parameters, the same function in PyTorch, f'(0) by hand)
KINK_CASES = [
    ("relu", {}, F.relu, 0.0),
    ("leaky_relu", {}, F.leaky_relu, 0.01),
    ("leaky_relu", {"alpha": 0.2}, lambda t: F.leaky_relu(t, 0.2), 0.2),
    (
        "prelu",
        {},
        lambda t: F.prelu(t, torch.tensor([0.25], dtype=t.dtype)),
        0.25,
    ),
    ("elu", {}, F.elu, 1.0),
    ("elu", {"alpha": 0.5}, lambda t: F.elu(t, alpha=0.5), 0.5),
]
KINK_IDS = [f"{name}-{params}" for name, params, _, _ in KINK_CASES]


class TestDerivativeAtZero:
    """At exactly 0, PyTorch's autograd takes the left branch, and so does actlib."""

    @pytest.mark.parametrize(
        ("name", "params", "fn", "at_zero"), KINK_CASES, ids=KINK_IDS
    )
    def test_autograd_at_zero(self, name, params, fn, at_zero):
        zeros = np.array([0.0, -0.0])
        np.testing.assert_array_equal(_autograd_derivative(fn, zeros), [at_zero] * 2)
        np.testing.assert_array_equal(
            actlib.get(name, **params).grad(zeros), [at_zero] * 2
        )

    @pytest.mark.parametrize(
        ("name", "params", "fn", "at_zero"), KINK_CASES, ids=KINK_IDS
    )
    def test_autograd_around_zero(self, name, params, fn, at_zero):
        expected = _autograd_derivative(fn, X)
        np.testing.assert_allclose(
            actlib.get(name, **params).grad(X), expected, rtol=1e-15, atol=0
        )

    def test_leaky_at_zero_is_not_the_right_limit(self):
        # JAX's jnp.where(x >= 0, x, a * x) would give 1 here: a convention.
        assert _autograd_derivative(F.leaky_relu, np.array([0.0])).tolist() == [0.01]


class TestGELUDefault:
    """PyTorch's GELU is the exact x Φ(x) by default, as is actlib's."""

    GRID = np.linspace(-6.0, 6.0, 1201)

    # In the far negative tail (x near -6, where both forms are tiny) PyTorch's
    # float64 values agree with actlib's to about 1e-16 absolute but only
    # about 1e-6 relative: PyTorch computes 1 + erf and 1 + tanh, which cancel.
    # So the comparison allows a small absolute error as well.
    TOL = {"rtol": 1e-14, "atol": 1e-15}

    def test_default_is_exact(self):
        assert torch.nn.GELU().approximate == "none"
        assert actlib.gelu.defaults["approximate"] == "none"
        got = F.gelu(_tensor(self.GRID)).numpy()
        np.testing.assert_allclose(got, actlib.gelu(self.GRID), **self.TOL)

    def test_default_value_at_one(self):
        phi_1 = 0.5 * math.erfc(-1 / math.sqrt(2))  # the normal CDF at 1
        assert F.gelu(_tensor(1.0)).item() == pytest.approx(phi_1, rel=1e-15)

    def test_default_differs_from_the_tanh_form(self):
        exact = F.gelu(_tensor(self.GRID)).numpy()
        tanh = actlib.gelu(self.GRID, approximate="tanh")
        assert 4e-4 < np.max(np.abs(exact - tanh)) < 5e-4

    def test_float32_default_cancels_in_the_negative_tail(self):
        # Chapter 8: PyTorch computes 0.5 x (1 + erf(x / sqrt 2)), and in float32
        # 1 + erf cancels for negative x; actlib's x * ndtr(x) does not.
        x = np.array([-3.0, -4.0, -5.0, -6.0])
        exact = x * ndtr(x)
        by_torch = F.gelu(torch.tensor(x, dtype=torch.float32)).numpy()
        by_actlib = actlib.gelu(x.astype(np.float32))
        error_torch = np.abs(by_torch - exact) / np.abs(exact)
        error_actlib = np.abs(by_actlib - exact) / np.abs(exact)
        assert error_torch[2] > 0.1  # 17% at x = -5
        assert by_torch[3] == 0
        assert np.all(error_actlib < np.finfo(np.float32).eps)

    def test_tanh_form_agrees(self):
        got = F.gelu(_tensor(self.GRID), approximate="tanh").numpy()
        np.testing.assert_allclose(
            got, actlib.gelu(self.GRID, approximate="tanh"), **self.TOL
        )
