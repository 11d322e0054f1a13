"""Unit and property tests of actlib's activation functions.

The expected values below are written by hand, as decimal literals or closed
forms from the ``math`` module; none is computed with actlib's kernels.
Section 12 also holds the kernels to the textbook formulas written beside
them in each class. The contract they check is "The activation contract" in
CONTRIBUTING.md.
"""

import math
import re
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.special import expit, ndtr
from strategies import (
    FLOAT_DTYPES,
    activation_cases,
    arrays_with,
    arrays_with_channel_slopes,
    extreme_parameters,
    finite_arrays,
    huge_float64s,
    leaky_alphas,
    moderate_float64_arrays,
    moderate_magnitude_float64s,
    non_nan_arrays,
    parameters,
    positive_scales,
    result_dtype,
    signed_slopes,
    slopes_at_most_one,
    swish_betas,
    textbook_arrays,
    textbook_parameters,
    working_dtype,
    zero_slopes,
)

import actlib
from actlib.activations import BLOCK_SIZE

NAMES = (
    "relu",
    "leaky_relu",
    "elu",
    "prelu",
    "swish",
    "sigmoid",
    "tanh",
    "softplus",
    "gelu",
    "selu",
)
# The activations with a corner at 0 (for ELU, only when alpha != 1).
KINKED = ("relu", "leaky_relu", "elu", "prelu", "selu")
# The activations with a numeric parameter, and its name.
NUMERIC_PARAMETER = {
    "leaky_relu": "alpha",
    "elu": "alpha",
    "prelu": "alpha",
    "swish": "beta",
    "softplus": "beta",
}

# Shares of the Hypothesis profile's budget of examples (see conftest.py): 20 and
# 40 under the "ci" profile, whose budget is Hypothesis's default of 100.
_BUDGET = settings().max_examples
FEW = settings(max_examples=_BUDGET // 5, deadline=None)
SOME = settings(max_examples=2 * _BUDGET // 5, deadline=None)

INF = math.inf
NAN = math.nan

# -- Closed forms used in the tables ---------------------------------------------

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
SA = SELU_SCALE * SELU_ALPHA  # selu'(0) and -selu(-inf)

E_M1 = math.exp(-1)  # e^-1
LN2 = math.log(2)
SIG_1 = 1 / (1 + math.exp(-1))  # sigma(1)
SIG_M1 = 1 / (1 + math.e)  # sigma(-1)
DSIG_1 = math.exp(-1) / (1 + math.exp(-1)) ** 2  # sigma'(1) = sigma'(-1)
SIG_2 = 1 / (1 + math.exp(-2))  # sigma(2)
SIG_M2 = 1 / (1 + math.exp(2))  # sigma(-2)
PHI_1 = 0.5 * math.erfc(-1 / math.sqrt(2))  # standard normal cdf at 1
PHI_M1 = 0.5 * math.erfc(1 / math.sqrt(2))  # ... at -1
PDF_1 = math.exp(-0.5) / math.sqrt(2 * math.pi)  # standard normal pdf at +-1
# tanh-approximate GELU: 0.5 x (1 + tanh(C (x + K x^3))).
C = math.sqrt(2 / math.pi)
K = 0.044715
T_1 = math.tanh(C * (1 + K))  # the tanh at x = 1
DT_1 = 0.5 * (1 - T_1**2) * C * (1 + 3 * K)  # 0.5 x (1 - t^2) C (1 + 3 K x^2) at 1

# Each table: (id, activation name, parameters, rows of (x, f(x), f'(x))).
TABLES = [
    (
        "relu",
        "relu",
        {},
        [
            (0.0, 0.0, 0.0),
            (-0.0, 0.0, 0.0),
            (1e-300, 1e-300, 1.0),
            (-1e-300, 0.0, 0.0),
            (5e-324, 5e-324, 1.0),
            (-5e-324, 0.0, 0.0),
            (1.0, 1.0, 1.0),
            (-1.0, 0.0, 0.0),
            (1e300, 1e300, 1.0),
            (-1e300, 0.0, 0.0),
            (1.7e308, 1.7e308, 1.0),
            (-1.7e308, 0.0, 0.0),
            (INF, INF, 1.0),
            (-INF, 0.0, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "leaky_relu",
        "leaky_relu",
        {},
        [
            (0.0, 0.0, 0.01),
            (-0.0, 0.0, 0.01),
            (1e-300, 1e-300, 1.0),
            (-1e-300, -1e-302, 0.01),
            (5e-324, 5e-324, 1.0),
            (-5e-324, 0.0, 0.01),
            (1.0, 1.0, 1.0),
            (-1.0, -0.01, 0.01),
            (1e300, 1e300, 1.0),
            (-1e300, -1e298, 0.01),
            (1.7e308, 1.7e308, 1.0),
            (-1.7e308, -1.7e306, 0.01),
            (INF, INF, 1.0),
            (-INF, -INF, 0.01),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "leaky_relu-alpha=2",  # a slope above 1 is x for x > 0, not max(x, 2x)
        "leaky_relu",
        {"alpha": 2.0},
        [
            (0.0, 0.0, 2.0),
            (0.5, 0.5, 1.0),
            (1.0, 1.0, 1.0),
            (-1.0, -2.0, 2.0),
            (-1e300, -2e300, 2.0),
            (1.7e308, 1.7e308, 1.0),
            (-1.7e308, -INF, 2.0),  # -3.4e308 rounds to -inf
            (INF, INF, 1.0),
            (-INF, -INF, 2.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "leaky_relu-alpha=0",  # 0 * x is 0 for every x, so its limit at -inf is 0
        "leaky_relu",
        {"alpha": 0.0},
        [
            (0.0, 0.0, 0.0),
            (-1.0, 0.0, 0.0),
            (1.0, 1.0, 1.0),
            (-1.7e308, 0.0, 0.0),
            (INF, INF, 1.0),
            (-INF, 0.0, 0.0),
        ],
    ),
    (
        "elu",
        "elu",
        {},
        [
            (0.0, 0.0, 1.0),
            (-0.0, 0.0, 1.0),
            (1e-300, 1e-300, 1.0),
            (-1e-300, -1e-300, 1.0),
            (5e-324, 5e-324, 1.0),
            (-5e-324, -5e-324, 1.0),
            (1.0, 1.0, 1.0),
            (-1.0, math.expm1(-1), E_M1),
            (1e300, 1e300, 1.0),
            (-1e300, -1.0, 0.0),
            (1.7e308, 1.7e308, 1.0),
            (-1.7e308, -1.0, 0.0),
            (INF, INF, 1.0),
            (-INF, -1.0, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "elu-alpha=2",
        "elu",
        {"alpha": 2.0},
        [
            (0.0, 0.0, 2.0),
            (-0.0, 0.0, 2.0),
            (1e-300, 1e-300, 1.0),
            (-1e-300, -2e-300, 2.0),
            (1.0, 1.0, 1.0),
            (-1.0, 2 * math.expm1(-1), 2 * E_M1),
            (-1e300, -2.0, 0.0),
            (-1.7e308, -2.0, 0.0),
            (INF, INF, 1.0),
            (-INF, -2.0, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "elu-alpha=0.5",
        "elu",
        {"alpha": 0.5},
        [
            (0.0, 0.0, 0.5),
            (-1.0, 0.5 * math.expm1(-1), 0.5 * E_M1),
            (1.0, 1.0, 1.0),
            (-INF, -0.5, 0.0),
        ],
    ),
    (
        "prelu",
        "prelu",
        {},
        [
            (0.0, 0.0, 0.25),
            (-0.0, 0.0, 0.25),
            (1e-300, 1e-300, 1.0),
            (-1e-300, -2.5e-301, 0.25),
            (5e-324, 5e-324, 1.0),
            (-5e-324, 0.0, 0.25),
            (1.0, 1.0, 1.0),
            (-1.0, -0.25, 0.25),
            (1e300, 1e300, 1.0),
            (-1e300, -2.5e299, 0.25),
            (1.7e308, 1.7e308, 1.0),
            (-1.7e308, -4.25e307, 0.25),
            (INF, INF, 1.0),
            (-INF, -INF, 0.25),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "prelu-alpha=0.1",
        "prelu",
        {"alpha": 0.1},
        [
            (0.0, 0.0, 0.1),
            (-1.0, -0.1, 0.1),
            (2.0, 2.0, 1.0),
            (-INF, -INF, 0.1),
        ],
    ),
    (
        "prelu-alpha=0",
        "prelu",
        {"alpha": 0.0},
        [
            (0.0, 0.0, 0.0),
            (-1.0, 0.0, 0.0),
            (-INF, 0.0, 0.0),
        ],
    ),
    (
        "swish",
        "swish",
        {},
        [
            (0.0, 0.0, 0.5),
            (-0.0, 0.0, 0.5),
            (1e-300, 5e-301, 0.5),
            (-1e-300, -5e-301, 0.5),
            (5e-324, 0.0, 0.5),  # 2.5e-324 rounds to 0 (or 5e-324)
            (-5e-324, 0.0, 0.5),
            (1.0, SIG_1, SIG_1 * (1 + SIG_M1)),  # s + x s (1 - s)
            (-1.0, -SIG_M1, SIG_M1**2),
            (
                -40.0,
                -40 / (1 + math.exp(40)),
                (1 - 40 / (1 + math.exp(-40))) / (1 + math.exp(40)),
            ),
            (1e300, 1e300, 1.0),
            (-1e300, 0.0, 0.0),
            (1.7e308, 1.7e308, 1.0),
            (-1.7e308, 0.0, 0.0),
            (INF, INF, 1.0),
            (-INF, 0.0, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "swish-beta=2",
        "swish",
        {"beta": 2.0},
        [
            (0.0, 0.0, 0.5),
            (1.0, SIG_2, SIG_2 * (1 + 2 * SIG_M2)),  # s + beta x s (1 - s)
            (-1.0, -SIG_M2, SIG_M2 * (1 - 2 * SIG_2)),
            (1.7e308, 1.7e308, 1.0),  # beta * x overflows; f and f' do not
            (-1.7e308, 0.0, 0.0),
            (INF, INF, 1.0),
            (-INF, 0.0, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "sigmoid",
        "sigmoid",
        {},
        [
            (0.0, 0.5, 0.25),
            (-0.0, 0.5, 0.25),
            (1e-300, 0.5, 0.25),
            (-1e-300, 0.5, 0.25),
            (5e-324, 0.5, 0.25),
            (-5e-324, 0.5, 0.25),
            (1.0, SIG_1, DSIG_1),
            (-1.0, SIG_M1, DSIG_1),
            # Far in the tail: no 1 - sigma cancellation, no underflow to 0.
            (-40.0, 1 / (1 + math.exp(40)), math.exp(-40) / (1 + math.exp(-40)) ** 2),
            (1e300, 1.0, 0.0),
            (-1e300, 0.0, 0.0),
            (1.7e308, 1.0, 0.0),
            (-1.7e308, 0.0, 0.0),
            (INF, 1.0, 0.0),
            (-INF, 0.0, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "tanh",
        "tanh",
        {},
        [
            (0.0, 0.0, 1.0),
            (-0.0, 0.0, 1.0),
            (1e-300, 1e-300, 1.0),
            (-1e-300, -1e-300, 1.0),
            (5e-324, 5e-324, 1.0),
            (-5e-324, -5e-324, 1.0),
            (1.0, math.tanh(1), 1 / math.cosh(1) ** 2),
            (-1.0, -math.tanh(1), 1 / math.cosh(1) ** 2),
            (1e300, 1.0, 0.0),
            (-1e300, -1.0, 0.0),
            (1.7e308, 1.0, 0.0),
            (-1.7e308, -1.0, 0.0),
            (INF, 1.0, 0.0),
            (-INF, -1.0, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "softplus",
        "softplus",
        {},
        [
            (0.0, LN2, 0.5),
            (-0.0, LN2, 0.5),
            (1e-300, LN2, 0.5),
            (-1e-300, LN2, 0.5),
            (5e-324, LN2, 0.5),
            (-5e-324, LN2, 0.5),
            (1.0, math.log1p(math.e), SIG_1),
            (-1.0, math.log1p(E_M1), SIG_M1),
            (-40.0, math.log1p(math.exp(-40)), 1 / (1 + math.exp(40))),
            # Past PyTorch's threshold=20 the exact value is still above x.
            (21.0, 21 + math.log1p(math.exp(-21)), 1 / (1 + math.exp(-21))),
            (1e300, 1e300, 1.0),
            (-1e300, 0.0, 0.0),
            (1.7e308, 1.7e308, 1.0),
            (-1.7e308, 0.0, 0.0),
            (INF, INF, 1.0),
            (-INF, 0.0, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "softplus-beta=2",
        "softplus",
        {"beta": 2.0},
        [
            (0.0, LN2 / 2, 0.5),
            (1.0, 0.5 * math.log1p(math.exp(2)), SIG_2),
            (-1.0, 0.5 * math.log1p(math.exp(-2)), SIG_M2),
            # beta * x = 30 > 20: exact, no threshold shortcut.
            (15.0, 15 + 0.5 * math.log1p(math.exp(-30)), 1 / (1 + math.exp(-30))),
            (1.7e308, 1.7e308, 1.0),  # beta * x overflows; f(x) does not
            (-1.7e308, 0.0, 0.0),
            (INF, INF, 1.0),
            (-INF, 0.0, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "softplus-beta=0.5",
        "softplus",
        {"beta": 0.5},
        [
            (0.0, 2 * LN2, 0.5),
            (1.0, 2 * math.log1p(math.exp(0.5)), 1 / (1 + math.exp(-0.5))),
        ],
    ),
    (
        "gelu",
        "gelu",
        {},
        [
            (0.0, 0.0, 0.5),
            (-0.0, 0.0, 0.5),
            (1e-300, 5e-301, 0.5),
            (-1e-300, -5e-301, 0.5),
            (5e-324, 0.0, 0.5),
            (-5e-324, 0.0, 0.5),
            (1.0, PHI_1, PHI_1 + PDF_1),  # Phi(x) + x phi(x)
            (-1.0, -PHI_M1, PHI_M1 - PDF_1),
            (
                # -10 Phi(-10) and Phi(-10) - 10 phi(10), to 16 digits (mpmath).
                -10.0,
                -7.619853024160526e-23,
                -7.618400096464814e-22,
            ),
            (1e300, 1e300, 1.0),
            (-1e300, 0.0, 0.0),
            (1.7e308, 1.7e308, 1.0),
            (-1.7e308, 0.0, 0.0),
            (INF, INF, 1.0),
            (-INF, 0.0, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "gelu-tanh",
        "gelu",
        {"approximate": "tanh"},
        [
            (0.0, 0.0, 0.5),
            (-0.0, 0.0, 0.5),
            (1e-300, 5e-301, 0.5),
            (-1e-300, -5e-301, 0.5),
            (1.0, 0.5 * (1 + T_1), 0.5 * (1 + T_1) + DT_1),
            (-1.0, -0.5 * (1 - T_1), 0.5 * (1 - T_1) - DT_1),
            (1e300, 1e300, 1.0),
            (-1e300, 0.0, 0.0),
            (1.7e308, 1.7e308, 1.0),
            (-1.7e308, 0.0, 0.0),
            (INF, INF, 1.0),
            (-INF, 0.0, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
    (
        "selu",
        "selu",
        {},
        [
            (0.0, 0.0, SA),
            (-0.0, 0.0, SA),
            (1e-300, SELU_SCALE * 1e-300, SELU_SCALE),
            (-1e-300, -SA * 1e-300, SA),
            (5e-324, 5e-324, SELU_SCALE),
            (-5e-324, -1e-323, SA),
            (1.0, SELU_SCALE, SELU_SCALE),
            (-1.0, SA * math.expm1(-1), SA * E_M1),
            (1e300, SELU_SCALE * 1e300, SELU_SCALE),
            (-1e300, -SA, 0.0),
            (1.7e308, SELU_SCALE * 1.7e308, SELU_SCALE),
            (-1.7e308, -SA, 0.0),
            (INF, INF, SELU_SCALE),
            (-INF, -SA, 0.0),
            (NAN, NAN, NAN),
        ],
    ),
]

TABLE_ROWS = [
    pytest.param(name, params, x, f, df, id=f"{case}-x={x!r}")
    for case, name, params, rows in TABLES
    for x, f, df in rows
]

# Default-parameter rows, looked up by x, for the dtype and shape tests.
DEFAULT_ROWS = {
    name: rows for case, name, params, rows in TABLES if case == name and not params
}


def table(name, *xs):
    """Hand-computed (f(x), f'(x)) arrays at the given x, default parameters."""
    found = []
    for x in xs:
        for row_x, f, df in DEFAULT_ROWS[name]:
            same = row_x == x or (math.isnan(row_x) and math.isnan(x))
            if same and math.copysign(1, row_x) == math.copysign(1, x):
                found.append((f, df))
                break
        else:
            raise KeyError(f"no table row for {name} at {x!r}")
    values = [f for f, _ in found]
    grads = [df for _, df in found]
    return np.array(values, dtype=np.float64), np.array(grads, dtype=np.float64)


# Relative tolerance for values known in closed form, per dtype.
RTOL = {np.float16: 4e-3, np.float32: 2e-6, np.float64: 1e-14}
# Absolute tolerance: far below every nonzero expected value, above subnormal noise.
ATOL = {np.float16: 1e-4, np.float32: 1e-7, np.float64: 1e-320}

# The value and slope as x -> +huge and x -> -huge, default parameters.
ASYMPTOTES = {
    # name: (f(+M), f'(+M), f(-M), f'(-M)) as functions of M
    "relu": lambda m: (m, 1.0, 0.0, 0.0),
    "leaky_relu": lambda m: (m, 1.0, -0.01 * m, 0.01),
    "elu": lambda m: (m, 1.0, -1.0, 0.0),
    "prelu": lambda m: (m, 1.0, -0.25 * m, 0.25),
    "swish": lambda m: (m, 1.0, 0.0, 0.0),
    "sigmoid": lambda m: (1.0, 0.0, 0.0, 0.0),
    "tanh": lambda m: (1.0, 0.0, -1.0, 0.0),
    "softplus": lambda m: (m, 1.0, 0.0, 0.0),
    "gelu": lambda m: (m, 1.0, 0.0, 0.0),
    "selu": lambda m: (SELU_SCALE * m, SELU_SCALE, -SA, 0.0),
}


def strictly(func, *args, **kwargs):
    """Call func and fail on any warning, whatever the pytest configuration."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return func(*args, **kwargs)


def leniently(func, *args, **kwargs):
    """Call func ignoring RuntimeWarning (for inputs the contract does not cover)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return func(*args, **kwargs)


def in_dtype(values, dtype):
    """Hand-computed float64 values rounded to dtype (overflow gives +-inf)."""
    with np.errstate(over="ignore"):
        return np.asarray(values, dtype=np.float64).astype(dtype)


def names_activation(name):
    """A regex that finds `name` as a word: 'elu' matches neither 'relu' nor 'selu'."""
    return rf"(?<![A-Za-z_]){re.escape(name)}\b"


def act_of(name):
    return getattr(actlib, name)


# -- 1. Tables of hand-computed values ----------------------------------------------


class TestValueTables:
    """f(x) and f'(x) at 0, -0, tiny, +-1, huge, +-inf and NaN, against closed forms."""

    @pytest.mark.parametrize(("name", "params", "x", "f", "df"), TABLE_ROWS)
    def test_value_and_derivative(self, name, params, x, f, df):
        act = act_of(name)
        call = strictly if math.isfinite(x) else leniently
        got_f = call(act, x, **params)
        got_df = call(act.grad, x, **params)
        np.testing.assert_allclose(got_f, f, rtol=1e-14, atol=1e-320, err_msg="f")
        np.testing.assert_allclose(got_df, df, rtol=1e-14, atol=1e-320, err_msg="f'")

    @pytest.mark.parametrize(("name", "params", "x", "f", "df"), TABLE_ROWS)
    def test_with_parameters_bound_by_get(self, name, params, x, f, df):
        bound = actlib.get(name, **params)
        got_f = leniently(bound, np.array([x]))
        got_df = leniently(bound.grad, np.array([x]))
        np.testing.assert_allclose(got_f, [f], rtol=1e-14, atol=1e-320, err_msg="f")
        np.testing.assert_allclose(got_df, [df], rtol=1e-14, atol=1e-320)


class TestConventionsAtZero:
    """The derivative at the kink follows PyTorch's autograd."""

    @pytest.mark.parametrize("x", [0.0, -0.0])
    def test_relu_derivative_at_zero_is_zero(self, x):
        assert actlib.relu.grad(x) == 0.0

    @pytest.mark.parametrize("name", ["leaky_relu", "prelu", "elu"])
    @pytest.mark.parametrize("alpha", [0.0, 0.01, 0.3, 1.0, 2.5])
    @pytest.mark.parametrize("x", [0.0, -0.0])
    def test_derivative_at_zero_is_alpha(self, name, alpha, x):
        assert act_of(name).grad(x, alpha=alpha) == alpha

    @pytest.mark.parametrize("x", [0.0, -0.0])
    def test_selu_derivative_at_zero_is_scale_times_alpha(self, x):
        assert actlib.selu.grad(x) == pytest.approx(SA, rel=1e-15)

    @pytest.mark.parametrize("name", NAMES)
    def test_value_at_zero_is_exact(self, name):
        expected = {"sigmoid": 0.5, "softplus": LN2}.get(name, 0.0)
        assert act_of(name)(0.0) == pytest.approx(expected, rel=1e-15, abs=0.0)


# -- 2. Derivatives against finite differences --------------------------------------
#
# Every .grad matches a central difference of the function, away from the kink.
#
# Here and below, each @given test is a module-level function, never a method:
# pytest makes a new instance of a class for every parameter, and Hypothesis's
# differing_executors health check rightly refuses a test run on several.


@pytest.mark.parametrize("name", NAMES)
@SOME
@given(data=st.data(), x=moderate_float64_arrays)
def test_grad_matches_central_difference(name, data, x):
    params = data.draw(parameters(name), label="params")
    if name in KINKED:
        x = x[np.abs(x) > 1e-3]
    act = act_of(name)
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    above, below = x + h, x - h
    slope = (act(above, **params) - act(below, **params)) / (above - below)
    np.testing.assert_allclose(act.grad(x, **params), slope, rtol=1e-6, atol=1e-7)


@FEW
@given(x=moderate_float64_arrays)
def test_prelu_channel_grad_matches_central_difference(x):
    x = np.resize(np.where(np.abs(x) > 1e-3, x, 0.5), (4, 3))
    alpha = np.array([0.1, 0.5, 2.0])
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    above, below = x + h, x - h
    f = actlib.prelu
    slope = (f(above, alpha=alpha) - f(below, alpha=alpha)) / (above - below)
    np.testing.assert_allclose(f.grad(x, alpha=alpha), slope, rtol=1e-6)


# -- 3. Identities -------------------------------------------------------------------
#
# Relations between activations, and between an activation and its parameters:
# two checked at chosen points (the class), the others as properties (below it).


class TestIdentities:
    @pytest.mark.parametrize("alpha", [0.1, 0.5, 1.0, 2.0, 3.0])
    @pytest.mark.parametrize("h", [1e-8, 1e-12, 1e-200])
    def test_elu_is_continuous_at_zero(self, alpha, h):
        assert actlib.elu(0.0, alpha=alpha) == 0.0
        assert abs(actlib.elu(h, alpha=alpha)) <= h
        assert abs(actlib.elu(-h, alpha=alpha)) <= alpha * h * (1 + 1e-15)
        # One-sided limits of the slope: 1 from the right, alpha from the left.
        assert actlib.elu.grad(h, alpha=alpha) == 1.0
        assert actlib.elu.grad(-h, alpha=alpha) == pytest.approx(alpha, rel=1e-7)

    def test_gelu_float32_keeps_its_precision_in_the_negative_tail(self):
        # x * Phi(x) for x < 0 is small; computed as 0.5 x (1 + erf(x / sqrt 2))
        # in float32, the sum cancels (PyTorch's float32 GELU is 27% off at
        # x = -5). actlib evaluates the normal CDF directly.
        x = np.linspace(-12, 12, 200_001, dtype=np.float32)
        exact = x.astype(np.float64) * ndtr(x.astype(np.float64))
        got = actlib.gelu(x).astype(np.float64)
        nonzero = exact != 0
        relative = np.abs(got - exact)[nonzero] / np.abs(exact[nonzero])
        assert relative.max() < 4 * np.finfo(np.float32).eps


@pytest.mark.parametrize("name", ["leaky_relu", "prelu"])
@settings(deadline=None)
@given(x_and_alpha=arrays_with(zero_slopes, FLOAT_DTYPES))
@example(x_and_alpha=(np.array([-1.0]), 0.0))  # IEEE: 0 * -1 is -0; relu(-1) is +0
@example(x_and_alpha=(np.array([0.0]), -0.0))  # IEEE: -0 * 0 is -0; relu(0) is +0
@example(x_and_alpha=(np.array([-1.0], np.float32), 1e-46))  # 0 in float32
def test_leaky_relu_and_prelu_with_alpha_zero_are_relu(name, x_and_alpha):
    # 0 * x is 0 for every x: the value at -inf is 0 too, not NaN; and at
    # x < 0 it is relu's +0, sign included, not IEEE's -0. A slope too small
    # for the precision x is computed in is 0 there.
    x, alpha = x_and_alpha
    x = np.append(x, np.array([-INF, INF, 0.0, -0.0], dtype=x.dtype))
    act = act_of(name)
    got, expected = act(x, alpha=alpha), actlib.relu(x)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))
    np.testing.assert_array_equal(act.grad(x, alpha=alpha), actlib.relu.grad(x))


@FEW
@given(x=non_nan_arrays(np.float64), alpha=leaky_alphas)
def test_prelu_with_scalar_alpha_is_leaky_relu(x, alpha):
    np.testing.assert_array_equal(
        actlib.prelu(x, alpha=alpha), actlib.leaky_relu(x, alpha=alpha)
    )
    np.testing.assert_array_equal(
        actlib.prelu.grad(x, alpha=alpha), actlib.leaky_relu.grad(x, alpha=alpha)
    )


@FEW
@given(x=non_nan_arrays(np.float64))
def test_relu_of_x_minus_relu_of_minus_x_is_x(x):
    np.testing.assert_array_equal(actlib.relu(x) - actlib.relu(-x), x)
    nonzero = x != 0
    slopes = actlib.relu.grad(x) + actlib.relu.grad(-x)
    np.testing.assert_array_equal(slopes[nonzero], 1.0)


@FEW
@given(x=st.lists(st.floats(-500.0, 500.0), min_size=1), beta=swish_betas)
def test_swish_is_x_times_sigmoid_of_beta_x(x, beta):
    x = np.array(x)
    # The formula rounds beta*x, and e^(beta x) magnifies that error by
    # |beta x|; actlib carries beta*x in double-float (test_accuracy.py checks
    # it against mpmath), so the two agree within that magnified rounding.
    naive = x * expit(beta * x)
    rtol = 1e-14 + 2.0**-52 * np.abs(beta * x)
    difference = np.abs(actlib.swish(x, beta=beta) - naive)
    assert np.all(difference <= rtol * np.abs(naive) + 1e-300), (x, beta)
    np.testing.assert_allclose(actlib.swish(x), x * expit(x), rtol=1e-14, atol=1e-300)


@FEW
@given(x=non_nan_arrays(np.float64))
def test_selu_is_scale_times_elu_with_selu_alpha(x):
    with np.errstate(over="ignore"):  # scale * elu(max) rounds to inf
        expected = SELU_SCALE * actlib.elu(x, alpha=SELU_ALPHA)
    np.testing.assert_allclose(actlib.selu(x), expected, rtol=1e-15, atol=1e-320)
    expected_grad = SELU_SCALE * actlib.elu.grad(x, alpha=SELU_ALPHA)
    np.testing.assert_allclose(actlib.selu.grad(x), expected_grad, rtol=1e-15)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("relu", {}),
        ("leaky_relu", {}),
        ("leaky_relu", {"alpha": 0.3}),
        ("leaky_relu", {"alpha": 2.0}),
        ("prelu", {}),
        ("prelu", {"alpha": 0.7}),
    ],
)
@FEW
@given(x=st.lists(moderate_magnitude_float64s, min_size=1), c=positive_scales)
def test_positive_homogeneity(name, params, x, c):
    act = act_of(name)
    x = np.array(x)
    np.testing.assert_allclose(
        act(c * x, **params), c * act(x, **params), rtol=1e-15, atol=0.0
    )
    np.testing.assert_array_equal(act.grad(c * x, **params), act.grad(x, **params))


@FEW
@given(x=finite_arrays(np.float64), a=slopes_at_most_one)
def test_leaky_relu_is_max_of_x_and_ax_for_a_at_most_one(x, a):
    np.testing.assert_allclose(
        actlib.leaky_relu(x, alpha=a), np.maximum(x, a * x), rtol=1e-15, atol=0.0
    )


# -- 4. dtypes and shapes ------------------------------------------------------------

SPECIAL_XS = (0.0, -0.0, 1.0, -1.0, INF, -INF, NAN)


class TestDtypes:
    """float16/32/64 are kept; integers and bools are computed in float64."""

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize("dtype", FLOAT_DTYPES)
    def test_float_dtype_is_kept(self, name, dtype):
        act = act_of(name)
        x = np.array(SPECIAL_XS, dtype=dtype)
        f, df = table(name, *SPECIAL_XS)
        got_f = leniently(act, x)
        got_df = leniently(act.grad, x)
        assert got_f.dtype == dtype
        assert got_df.dtype == dtype
        rtol, atol = RTOL[dtype], ATOL[dtype]
        np.testing.assert_allclose(got_f, in_dtype(f, dtype), rtol=rtol, atol=atol)
        np.testing.assert_allclose(got_df, in_dtype(df, dtype), rtol=rtol, atol=atol)

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize("dtype", FLOAT_DTYPES)
    def test_numpy_scalar_dtype_is_kept(self, name, dtype):
        act = act_of(name)
        assert type(act(dtype(-1.0))) is dtype
        assert type(act.grad(dtype(-1.0))) is dtype

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize(
        "dtype",
        [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint64, np.bool_],
    )
    def test_integers_and_bools_are_computed_in_float64(self, name, dtype):
        act = act_of(name)
        if dtype is np.bool_:
            xs = (0.0, 1.0)
        elif np.issubdtype(dtype, np.unsignedinteger):
            xs = (0.0, 1.0)
        else:
            xs = (-1.0, 0.0, 1.0)
        x = np.array(xs).astype(dtype)
        f, df = table(name, *xs)
        got_f, got_df = strictly(act, x), strictly(act.grad, x)
        assert got_f.dtype == np.float64
        assert got_df.dtype == np.float64
        # Full double precision: int8 must not be computed in float16.
        np.testing.assert_allclose(got_f, f, rtol=1e-14, atol=1e-320)
        np.testing.assert_allclose(got_df, df, rtol=1e-14, atol=1e-320)

    @pytest.mark.parametrize("name", NAMES)
    def test_large_integers_are_exact_in_float64(self, name):
        big = np.array([2**53, -(2**53)], dtype=np.int64)
        m = float(2**53)
        f_pos, df_pos, f_neg, df_neg = ASYMPTOTES[name](m)
        act = act_of(name)
        np.testing.assert_allclose(strictly(act, big), [f_pos, f_neg], rtol=1e-14)
        np.testing.assert_allclose(
            strictly(act.grad, big), [df_pos, df_neg], rtol=1e-14, atol=1e-300
        )


SHAPES = [(), (0,), (1,), (3,), (2, 3), (2, 0, 3), (2, 3, 4), (1, 1, 1)]


class TestShapes:
    """The result has the shape of the input; 0-d input gives a NumPy scalar."""

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize("shape", SHAPES, ids=str)
    def test_shape_is_kept(self, name, shape):
        act = act_of(name)
        x = np.resize(np.array([-1.0, 0.0, 1.0]), shape)
        f, df = table(name, *x.ravel())
        for route, got in (("f", act(x)), ("f'", act.grad(x))):
            assert np.shape(got) == shape, route
            if shape == ():
                assert isinstance(got, np.float64), route
                assert not isinstance(got, np.ndarray), route
            else:
                assert isinstance(got, np.ndarray), route
                assert got.dtype == np.float64, route
        np.testing.assert_allclose(np.ravel(act(x)), f, rtol=1e-14)
        np.testing.assert_allclose(np.ravel(act.grad(x)), df, rtol=1e-14)

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize("x", [1.0, -1, True, 0], ids=repr)
    def test_python_scalar_gives_numpy_float64(self, name, x):
        act = act_of(name)
        f, df = table(name, float(x))
        got_f, got_df = act(x), act.grad(x)
        assert type(got_f) is np.float64
        assert type(got_df) is np.float64
        assert got_f == pytest.approx(f[0], rel=1e-14)
        assert got_df == pytest.approx(df[0], rel=1e-14)

    @pytest.mark.parametrize("name", NAMES)
    def test_nested_list_is_accepted(self, name):
        act = act_of(name)
        x = [[-1.0, 0.0, 1.0], [1, -1, 0]]
        f, df = table(name, -1.0, 0.0, 1.0, 1.0, -1.0, 0.0)
        got_f, got_df = act(x), act.grad(x)
        assert isinstance(got_f, np.ndarray)
        assert got_f.shape == got_df.shape == (2, 3)
        assert got_f.dtype == got_df.dtype == np.float64
        np.testing.assert_allclose(got_f.ravel(), f, rtol=1e-14)
        np.testing.assert_allclose(got_df.ravel(), df, rtol=1e-14)

    @pytest.mark.parametrize("name", NAMES)
    def test_tuple_is_accepted(self, name):
        f, df = table(name, -1.0, 1.0)
        np.testing.assert_allclose(act_of(name)((-1.0, 1.0)), f, rtol=1e-14)
        np.testing.assert_allclose(act_of(name).grad((-1.0, 1.0)), df, rtol=1e-14)

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize(
        "x",
        [[], np.array([], dtype=np.int64), np.empty((0, 3)), np.empty((2, 0))],
        ids=["list", "int64", "0x3", "2x0"],
    )
    def test_empty_input_gives_empty_float64(self, name, x):
        act = act_of(name)
        for got in (act(x), act.grad(x)):
            assert isinstance(got, np.ndarray)
            assert got.shape == np.shape(x)
            assert got.dtype == np.float64

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize("dtype", [np.float16, np.float32])
    def test_empty_float_input_keeps_dtype(self, name, dtype):
        x = np.empty((0, 2), dtype=dtype)
        assert act_of(name)(x).dtype == dtype
        assert act_of(name).grad(x).dtype == dtype


# -- 5. The input is never modified --------------------------------------------------


class TestInputIsNotModified:
    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize("dtype", [*FLOAT_DTYPES, np.int64])
    def test_array_is_unchanged(self, name, dtype):
        act = act_of(name)
        values = [-INF, -2.0, -0.0, 0.0, 1e-30, 3.0, INF, NAN]
        if dtype is np.int64:
            values = [-2, 0, 3]
        x = np.array(values, dtype=dtype)
        before = x.copy()
        leniently(act, x)
        leniently(act.grad, x)
        for params in (actlib.get(name).defaults, _non_default_parameters(name)):
            leniently(act, x, **params)
            leniently(act.grad, x, **params)
        np.testing.assert_array_equal(x, before)
        np.testing.assert_array_equal(np.signbit(x), np.signbit(before))

    @pytest.mark.parametrize("name", NAMES)
    def test_list_is_unchanged(self, name):
        x = [-2.0, 0.0, 3.0]
        act_of(name)(x)
        act_of(name).grad(x)
        assert x == [-2.0, 0.0, 3.0]

    @pytest.mark.parametrize("name", NAMES)
    def test_read_only_array_works(self, name):
        x = np.array([-1.0, 0.0, 1.0])
        x.flags.writeable = False
        f, df = table(name, -1.0, 0.0, 1.0)
        np.testing.assert_allclose(act_of(name)(x), f, rtol=1e-14)
        np.testing.assert_allclose(act_of(name).grad(x), df, rtol=1e-14)

    def test_prelu_alpha_array_is_unchanged(self):
        x = np.array([[-1.0, 2.0], [0.0, -3.0]])
        alpha = np.array([0.1, 0.2])
        alpha_before = alpha.copy()
        actlib.prelu(x, alpha=alpha)
        actlib.prelu.grad(x, alpha=alpha)
        actlib.get("prelu", alpha=alpha)(x)
        np.testing.assert_array_equal(alpha, alpha_before)


def _non_default_parameters(name):
    return {
        "leaky_relu": {"alpha": 0.3},
        "elu": {"alpha": 2.0},
        "prelu": {"alpha": 0.1},
        "swish": {"beta": 2.0},
        "softplus": {"beta": 3.0},
        "gelu": {"approximate": "tanh"},
    }.get(name, {})


# -- 6. No RuntimeWarning for any finite input ---------------------------------------


class TestNoWarnings:
    """Finite input, however large, gives no RuntimeWarning and no NaN."""

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize("dtype", FLOAT_DTYPES)
    def test_largest_finite_values(self, name, dtype):
        act = act_of(name)
        m = float(np.finfo(dtype).max)
        x = np.array([m, -m], dtype=dtype)
        f_pos, df_pos, f_neg, df_neg = ASYMPTOTES[name](m)
        rtol, atol = RTOL[dtype], ATOL[dtype]
        np.testing.assert_allclose(
            strictly(act, x), in_dtype([f_pos, f_neg], dtype), rtol=rtol, atol=atol
        )
        np.testing.assert_allclose(
            strictly(act.grad, x), in_dtype([df_pos, df_neg], dtype), rtol=rtol
        )

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize("dtype", FLOAT_DTYPES)
    def test_smallest_values(self, name, dtype):
        info = np.finfo(dtype)
        tiny, sub = float(info.smallest_normal), float(info.smallest_subnormal)
        x = np.array([tiny, -tiny, sub, -sub, 0.0, -0.0], dtype=dtype)
        for got in (strictly(act_of(name), x), strictly(act_of(name).grad, x)):
            assert got.dtype == dtype
            assert not np.isnan(got).any()

    @pytest.mark.parametrize(
        ("name", "params", "f_pos", "df_pos", "f_neg", "df_neg"),
        [
            # alpha * x overflows: -inf is the correctly rounded value.
            ("leaky_relu", {"alpha": 2.0}, "m", 1.0, -INF, 2.0),
            ("prelu", {"alpha": 2.0}, "m", 1.0, -INF, 2.0),
            ("elu", {"alpha": 2.0}, "m", 1.0, -2.0, 0.0),
            # beta * x overflows; the function does not.
            ("swish", {"beta": 2.0}, "m", 1.0, 0.0, 0.0),
            ("softplus", {"beta": 2.0}, "m", 1.0, 0.0, 0.0),
            ("softplus", {"beta": 0.5}, "m", 1.0, 0.0, 0.0),
            ("gelu", {"approximate": "tanh"}, "m", 1.0, 0.0, 0.0),
        ],
    )
    @pytest.mark.parametrize("dtype", FLOAT_DTYPES)
    def test_largest_finite_values_with_parameters(
        self, name, params, f_pos, df_pos, f_neg, df_neg, dtype
    ):
        act = act_of(name)
        m = float(np.finfo(dtype).max)
        x = np.array([m, -m], dtype=dtype)
        f_pos = m if f_pos == "m" else f_pos
        rtol, atol = RTOL[dtype], ATOL[dtype]
        np.testing.assert_allclose(
            strictly(act, x, **params), in_dtype([f_pos, f_neg], dtype), rtol=rtol
        )
        np.testing.assert_allclose(
            strictly(act.grad, x, **params),
            in_dtype([df_pos, df_neg], dtype),
            rtol=rtol,
            atol=atol,
        )

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize("dtype", FLOAT_DTYPES)
    def test_infinities_and_nan_give_no_warning(self, name, dtype):
        # Beyond the letter of the contract (which speaks of finite input), but
        # a notebook cell should not print a warning for relu(-inf) either.
        x = np.array([INF, -INF, NAN], dtype=dtype)
        strictly(act_of(name), x, **_non_default_parameters(name))
        strictly(act_of(name).grad, x, **_non_default_parameters(name))
        strictly(act_of(name), x)
        strictly(act_of(name).grad, x)


# No RuntimeWarning, as properties.


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@FEW
@given(data=st.data())
def test_no_warning_for_random_finite_values_and_parameters(name, dtype, data):
    act = act_of(name)
    x = data.draw(finite_arrays(dtype), label="x")
    params = data.draw(extreme_parameters(name, dtype), label="params")
    before = x.copy()
    f = strictly(act, x, **params)
    df = strictly(act.grad, x, **params)
    assert np.shape(f) == np.shape(df) == x.shape
    assert f.dtype == df.dtype == dtype
    assert not np.isnan(f).any()
    assert not np.isnan(df).any()
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("name", NAMES)
@SOME
@given(x=huge_float64s)
def test_no_warning_and_the_limits_for_random_huge_float64(name, x):
    f_pos, df_pos, f_neg, df_neg = ASYMPTOTES[name](abs(x))
    f, df = (f_pos, df_pos) if x > 0 else (f_neg, df_neg)
    act = act_of(name)
    np.testing.assert_allclose(strictly(act, x), f, rtol=1e-14)
    np.testing.assert_allclose(strictly(act.grad, x), df, rtol=1e-14, atol=1e-300)


# -- 7. NaN ----------------------------------------------------------------------------


class TestNaN:
    """NaN in gives NaN out; a non-NaN input never gives a NaN derivative."""

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize("dtype", FLOAT_DTYPES)
    def test_nan_in_gives_nan_out(self, name, dtype):
        act = act_of(name)
        x = np.array([NAN, -1.0, 1.0, NAN], dtype=dtype)
        for params in ({}, _non_default_parameters(name)):
            f = act(x, **params)
            df = act.grad(x, **params)
            np.testing.assert_array_equal(np.isnan(f), [True, False, False, True])
            np.testing.assert_array_equal(np.isnan(df), [True, False, False, True])

    @pytest.mark.parametrize("name", NAMES)
    def test_nan_scalar(self, name):
        assert np.isnan(act_of(name)(NAN))
        assert np.isnan(act_of(name).grad(NAN))

    @pytest.mark.parametrize("name", ["leaky_relu", "prelu"])
    @pytest.mark.parametrize("dtype", FLOAT_DTYPES)
    @pytest.mark.parametrize("alpha", [1e-300, 5e-324], ids=repr)
    def test_tiny_positive_slope_at_minus_inf(self, name, dtype, alpha):
        # alpha > 0, so alpha * x -> -inf as x -> -inf. Where alpha is too small
        # for dtype it rounds to a slope of 0, whose limit is 0. Either is a
        # limit; 0 * inf = NaN is not.
        x = np.array([-INF], dtype=dtype)
        value = strictly(act_of(name), x, alpha=alpha)[0]
        if dtype is np.float64:
            assert value == -INF
        else:
            assert value in (-INF, 0.0)
        assert not np.isnan(strictly(act_of(name).grad, x, alpha=alpha)).any()


# NaN, as a property.


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@FEW
@given(data=st.data())
def test_no_nan_for_non_nan_input(name, dtype, data):
    act = act_of(name)
    x = data.draw(non_nan_arrays(dtype), label="x")
    params = data.draw(
        st.one_of(parameters(name), extreme_parameters(name, dtype)),
        label="params",
    )
    assert not np.isnan(leniently(act, x, **params)).any()
    assert not np.isnan(leniently(act.grad, x, **params)).any()


# -- 8. Errors ----------------------------------------------------------------------

BAD_INPUTS = [
    pytest.param(np.array([1 + 2j]), "complex", id="complex-array"),
    pytest.param(1j, "complex", id="complex-scalar"),
    pytest.param(np.array([1.0], dtype=object), "object", id="object-array"),
    pytest.param([1.0, None], None, id="list-with-None"),
    pytest.param("1.0", None, id="str"),
    pytest.param(np.array(["a", "b"]), None, id="str-array"),
    pytest.param(b"1", None, id="bytes"),
    pytest.param(np.array([b"a"]), None, id="bytes-array"),
    pytest.param(None, None, id="None"),
]


class TestInputErrors:
    """Non-real input is refused with a TypeError naming the activation."""

    @pytest.mark.parametrize("name", NAMES)
    @pytest.mark.parametrize(("x", "what"), BAD_INPUTS)
    @pytest.mark.parametrize("route", ["call", "grad"])
    def test_non_real_input_raises_type_error(self, name, x, what, route):
        act = act_of(name)
        func = act if route == "call" else act.grad
        with pytest.raises(TypeError, match=names_activation(name)) as info:
            func(x)
        if what is not None:
            info.match(what)

    def test_message_example_from_the_contract(self):
        with pytest.raises(
            TypeError, match=r"^relu\(\) expects real numbers, got .*complex128$"
        ):
            actlib.relu(np.array([1j]))


class TestParameterErrors:
    """Bad parameters: ValueError for NaN/inf/out of range, TypeError otherwise."""

    @pytest.mark.parametrize(("name", "param"), NUMERIC_PARAMETER.items())
    @pytest.mark.parametrize("value", [NAN, INF, -INF], ids=repr)
    def test_non_finite_parameter_raises_value_error(self, name, param, value):
        pattern = rf"{names_activation(name)}.*'{param}'"
        with pytest.raises(ValueError, match=pattern):
            act_of(name)(1.0, **{param: value})
        with pytest.raises(ValueError, match=pattern):
            act_of(name).grad(1.0, **{param: value})
        with pytest.raises(ValueError, match=pattern):
            actlib.get(name, **{param: value})(1.0)

    def test_non_finite_message_example_from_the_contract(self):
        with pytest.raises(
            ValueError,
            match=r"^leaky_relu\(\): parameter 'alpha' must be finite, got nan$",
        ):
            actlib.leaky_relu(1.0, alpha=NAN)

    @pytest.mark.parametrize(("name", "param"), NUMERIC_PARAMETER.items())
    @pytest.mark.parametrize("value", ["abc", None, 1 + 2j], ids=repr)
    def test_non_numeric_parameter_raises_type_error(self, name, param, value):
        pattern = rf"{names_activation(name)}.*'{param}'"
        with pytest.raises(TypeError, match=pattern):
            act_of(name)(1.0, **{param: value})
        with pytest.raises(TypeError, match=pattern):
            act_of(name).grad(1.0, **{param: value})
        with pytest.raises(TypeError, match=pattern):
            actlib.get(name, **{param: value})(1.0)

    def test_non_numeric_message_example_from_the_contract(self):
        with pytest.raises(
            TypeError,
            match=(
                r"^leaky_relu\(\): parameter 'alpha' must be a real number, "
                r"got 'abc'$"
            ),
        ):
            actlib.leaky_relu(1.0, alpha="abc")

    @pytest.mark.parametrize("name", NAMES)
    def test_unknown_parameter_raises_type_error(self, name):
        pattern = rf"{names_activation(name)}.*unexpected parameter 'gamma'"
        with pytest.raises(TypeError, match=pattern):
            act_of(name)(1.0, gamma=1.0)
        with pytest.raises(TypeError, match=pattern):
            act_of(name).grad(1.0, gamma=1.0)
        with pytest.raises(TypeError, match=pattern):
            actlib.get(name, gamma=1.0)(1.0)

    @pytest.mark.parametrize(
        ("name", "param"),
        [("relu", "alpha"), ("selu", "alpha"), ("selu", "scale"), ("tanh", "beta")],
    )
    def test_parameter_of_another_activation_raises_type_error(self, name, param):
        with pytest.raises(TypeError, match=rf"^{name}\(\).*'{param}'"):
            act_of(name)(1.0, **{param: 1.0})

    def test_unknown_parameter_message_example_from_the_contract(self):
        with pytest.raises(
            TypeError,
            match=(
                r"^leaky_relu\(\) got an unexpected parameter 'beta' "
                r"\(it takes: alpha\)$"
            ),
        ):
            actlib.leaky_relu(1.0, beta=1.0)

    @pytest.mark.parametrize("value", ["bad", "exact", "TANH", ""])
    def test_gelu_approximate_must_be_none_or_tanh(self, value):
        pattern = r"(?s)^(?=.*gelu)(?=.*'none')(?=.*'tanh')"
        with pytest.raises(ValueError, match=pattern):
            actlib.gelu(1.0, approximate=value)
        with pytest.raises(ValueError, match=pattern):
            actlib.gelu.grad(1.0, approximate=value)
        with pytest.raises(ValueError, match=pattern):
            actlib.get("gelu", approximate=value)(1.0)

    @pytest.mark.parametrize("beta", [0.0, -0.0, -1.0, -1e-300], ids=repr)
    def test_softplus_beta_must_be_positive(self, beta):
        pattern = r"softplus.*'beta'"
        with pytest.raises(ValueError, match=pattern):
            actlib.softplus(1.0, beta=beta)
        with pytest.raises(ValueError, match=pattern):
            actlib.softplus.grad(1.0, beta=beta)
        with pytest.raises(ValueError, match=pattern):
            actlib.get("softplus", beta=beta)(1.0)

    @pytest.mark.parametrize(
        ("x_shape", "alpha_shape"),
        [((3,), (2, 3)), ((), (3,)), ((2, 3), (4,)), ((2, 3), (2, 1, 3))],
        ids=str,
    )
    def test_prelu_alpha_must_not_change_the_shape(self, x_shape, alpha_shape):
        x = np.ones(x_shape)
        alpha = np.full(alpha_shape, 0.1)
        with pytest.raises(ValueError, match=r"prelu.*'alpha'"):
            actlib.prelu(x, alpha=alpha)
        with pytest.raises(ValueError, match=r"prelu.*'alpha'"):
            actlib.prelu.grad(x, alpha=alpha)

    def test_prelu_alpha_array_with_nan_raises_value_error(self):
        with pytest.raises(ValueError, match=r"prelu.*'alpha'"):
            actlib.prelu(np.ones(2), alpha=np.array([0.1, NAN]))

    def test_unknown_activation_lists_the_names(self):
        with pytest.raises(ValueError, match=r"unknown activation 'nope'") as info:
            actlib.get("nope")
        info.match(re.escape("choose one of: " + ", ".join(NAMES)))


# -- 9. Registry and metadata --------------------------------------------------------

DEFAULTS = {
    "relu": {},
    "leaky_relu": {"alpha": 0.01},
    "elu": {"alpha": 1.0},
    "prelu": {"alpha": 0.25},
    "swish": {"beta": 1.0},
    "sigmoid": {},
    "tanh": {},
    "softplus": {"beta": 1.0},
    "gelu": {"approximate": "none"},
    "selu": {},
}


class TestRegistry:
    def test_names_lists_all_ten_in_order(self):
        assert actlib.names() == NAMES

    @pytest.mark.parametrize("name", NAMES)
    def test_module_attribute_is_an_activation(self, name):
        act = act_of(name)
        assert isinstance(act, actlib.Activation)
        assert act.name == name

    @pytest.mark.parametrize("name", NAMES)
    def test_get_without_parameters_gives_the_defaults(self, name):
        act = actlib.get(name)
        assert isinstance(act, actlib.Activation)
        assert type(act) is type(act_of(name))
        assert act.name == name
        assert act.params == DEFAULTS[name]

    @pytest.mark.parametrize("name", NAMES)
    def test_defaults(self, name):
        assert act_of(name).defaults == DEFAULTS[name]
        assert act_of(name).params == DEFAULTS[name]

    def test_get_binds_parameters(self):
        bound = actlib.get("leaky_relu", alpha=0.1)
        assert bound(-1.0) == -0.1
        assert bound.grad(-1.0) == 0.1
        assert bound.grad(0.0) == 0.1
        assert bound.params == {"alpha": 0.1}
        assert actlib.get("prelu", alpha=0.1)(-1.0) == -0.1
        assert actlib.get("elu", alpha=2.0)(-INF) == -2.0
        assert actlib.get("swish", beta=2.0)(1.0) == pytest.approx(SIG_2, rel=1e-15)
        assert actlib.get("softplus", beta=2.0)(0.0) == pytest.approx(LN2 / 2)
        tanh_gelu = actlib.get("gelu", approximate="tanh")
        assert tanh_gelu(1.0) == pytest.approx(0.5 * (1 + T_1), rel=1e-15)
        assert tanh_gelu.params == {"approximate": "tanh"}

    def test_call_time_parameters_override_bound_ones(self):
        bound = actlib.get("leaky_relu", alpha=0.1)
        assert bound(-1.0, alpha=0.2) == -0.2
        assert bound.grad(-1.0, alpha=0.2) == 0.2
        # ... for that call only.
        assert bound(-1.0) == -0.1
        assert bound.params == {"alpha": 0.1}
        tanh_gelu = actlib.get("gelu", approximate="tanh")
        assert tanh_gelu(1.0, approximate="none") == pytest.approx(PHI_1, rel=1e-15)

    def test_binding_does_not_change_the_module_instance(self):
        actlib.get("leaky_relu", alpha=0.3)
        actlib.leaky_relu(-1.0, alpha=0.5)
        actlib.leaky_relu.with_params(alpha=0.7)
        assert actlib.leaky_relu.params == {"alpha": 0.01}
        assert actlib.leaky_relu(-1.0) == -0.01

    def test_with_params(self):
        elu2 = actlib.elu.with_params(alpha=2.0)
        assert isinstance(elu2, actlib.Activation)
        assert elu2 is not actlib.elu
        assert elu2.name == "elu"
        assert elu2.params == {"alpha": 2.0}
        assert elu2(-INF) == -2.0
        assert elu2.grad(0.0) == 2.0
        assert actlib.elu.params == {"alpha": 1.0}
        # Binding on top of a binding keeps the rest.
        assert elu2.with_params(alpha=3.0).params == {"alpha": 3.0}

    def test_with_params_checks_parameter_names(self):
        with pytest.raises(TypeError, match=r"leaky_relu.*'beta'"):
            actlib.leaky_relu.with_params(beta=1.0)(1.0)

    @pytest.mark.parametrize(
        ("act", "expected"),
        [
            (actlib.relu, "ReLU"),
            (actlib.leaky_relu, "Leaky ReLU(alpha=0.01)"),
            (actlib.get("leaky_relu", alpha=0.3), "Leaky ReLU(alpha=0.3)"),
            (actlib.get("gelu", approximate="tanh"), "GELU(approximate='tanh')"),
        ],
        ids=repr,
    )
    def test_repr_examples_from_the_contract(self, act, expected):
        assert repr(act) == expected

    @pytest.mark.parametrize("name", NAMES)
    def test_repr_is_label_and_parameters(self, name):
        act = act_of(name).with_params(**_non_default_parameters(name))
        params = ", ".join(f"{k}={v!r}" for k, v in act.params.items())
        expected = f"{act.label}({params})" if params else act.label
        assert repr(act) == expected

    @pytest.mark.parametrize(
        ("name", "label"), [("relu", "ReLU"), ("leaky_relu", "Leaky ReLU")]
    )
    def test_labels_from_the_contract(self, name, label):
        assert act_of(name).label == label

    @pytest.mark.parametrize("name", NAMES)
    def test_label_and_formulas_are_non_empty_latex(self, name):
        act = act_of(name)
        for text in (act.label, act.formula, act.derivative_formula):
            assert isinstance(text, str)
            assert text.strip()
        assert "$" not in act.formula
        assert "$" not in act.derivative_formula
        assert act.formula != act.derivative_formula

    @pytest.mark.parametrize(("name", "param"), NUMERIC_PARAMETER.items())
    def test_formulas_show_the_parameter(self, name, param):
        assert f"\\{param}" in act_of(name).formula

    @pytest.mark.parametrize(
        ("act", "kink"),
        [
            (actlib.relu, 0.0),
            (actlib.leaky_relu, 0.0),
            (actlib.get("leaky_relu", alpha=0.2), 0.0),
            (actlib.prelu, 0.0),
            (actlib.selu, 0.0),
            (actlib.elu, None),
            (actlib.get("elu", alpha=1.0), None),
            (actlib.get("elu", alpha=2.0), 0.0),
            (actlib.get("elu", alpha=0.5), 0.0),
            (actlib.swish, None),
            (actlib.sigmoid, None),
            (actlib.tanh, None),
            (actlib.softplus, None),
            (actlib.gelu, None),
            (actlib.get("gelu", approximate="tanh"), None),
        ],
        ids=repr,
    )
    def test_kink(self, act, kink):
        if kink is None:
            assert act.kink is None
        else:
            assert type(act.kink) is float
            assert act.kink == kink


# -- 10. PReLU with one slope per channel --------------------------------------------


class TestPReLUChannels:
    """An array alpha gives one slope per channel on the last axis."""

    ALPHA = np.array([0.1, 0.2, 0.3])
    X = np.array([[-2.0, -1.0, 0.0], [1.0, 2.0, -4.0]])
    F = np.array([[-0.2, -0.2, 0.0], [1.0, 2.0, -1.2]])
    DF = np.array([[0.1, 0.2, 0.3], [1.0, 1.0, 0.3]])  # alpha at x = 0 too

    def test_two_dimensional(self):
        np.testing.assert_allclose(actlib.prelu(self.X, alpha=self.ALPHA), self.F)
        np.testing.assert_array_equal(
            actlib.prelu.grad(self.X, alpha=self.ALPHA), self.DF
        )

    def test_bound_by_get(self):
        bound = actlib.get("prelu", alpha=self.ALPHA)
        np.testing.assert_allclose(bound(self.X), self.F)
        np.testing.assert_array_equal(bound.grad(self.X), self.DF)

    def test_three_dimensional(self):
        x = np.stack([self.X, -self.X])
        f = np.stack([self.F, [[2.0, 1.0, 0.0], [-0.1, -0.4, 4.0]]])
        df = np.stack([self.DF, [[1.0, 1.0, 0.3], [0.1, 0.2, 1.0]]])
        np.testing.assert_allclose(actlib.prelu(x, alpha=self.ALPHA), f)
        np.testing.assert_array_equal(actlib.prelu.grad(x, alpha=self.ALPHA), df)

    def test_alpha_that_broadcasts_on_another_axis(self):
        alpha = np.array([[0.5], [2.0]])  # one slope per row, shape (2, 1)
        f = np.array([[-1.0, -0.5, 0.0], [1.0, 2.0, -8.0]])
        df = np.array([[0.5, 0.5, 0.5], [1.0, 1.0, 2.0]])
        np.testing.assert_allclose(actlib.prelu(self.X, alpha=alpha), f)
        np.testing.assert_array_equal(actlib.prelu.grad(self.X, alpha=alpha), df)

    def test_zero_dimensional_alpha_is_a_scalar(self):
        np.testing.assert_allclose(
            actlib.prelu(self.X, alpha=np.array(0.5)),
            [[-1.0, -0.5, 0.0], [1.0, 2.0, -2.0]],
        )

    def test_nan_and_infinities_per_channel(self):
        x = np.array([[NAN, -INF, INF]])
        f = actlib.prelu(x, alpha=self.ALPHA)
        df = actlib.prelu.grad(x, alpha=self.ALPHA)
        np.testing.assert_array_equal(f, [[NAN, -INF, INF]])
        np.testing.assert_array_equal(df, [[NAN, 0.2, 1.0]])

    @pytest.mark.parametrize("dtype", [np.float16, np.float32])
    def test_float64_alpha_keeps_the_dtype_of_x(self, dtype):
        x = self.X.astype(dtype)
        assert actlib.prelu(x, alpha=self.ALPHA).dtype == dtype
        assert actlib.prelu.grad(x, alpha=self.ALPHA).dtype == dtype


# -- 11. Exact slopes and signed zeros ----------------------------------------------
#
# A derivative is never -0. Every kernel computes in float32 or float64 and never
# returns -0 there; float16 input is computed in float32 and rounded back, and
# that rounding used to turn a negative slope too small for float16 into -0
# (leaky_relu' with alpha = -1.2e-38, swish' far left). A value keeps IEEE's
# sign where it is the rounding of a negative number (chapter 2 prints
# leaky_relu(-1e-323) = -0); a zero slope or a closed gate gives +0.


def slope_as_computed(alpha, dtype):
    """alpha rounded as an activation rounds it for input of `dtype`: to the
    working precision first (float32 for float16 input), then to the result."""
    with np.errstate(over="ignore"):  # beyond 65504 a float16 slope is +-inf
        work = np.asarray(alpha, dtype=np.float64).astype(working_dtype(dtype))
        return work.astype(result_dtype(dtype))


def assert_no_minus_zero(values, what="f'"):
    values = np.asarray(values)
    minus_zero = (values == 0) & np.signbit(values)
    assert not minus_zero.any(), f"{what} is -0 at {np.argwhere(minus_zero)[:5]}"


F16 = np.float16


@settings(deadline=None)
@given(
    x_and_alpha=arrays_with(
        lambda dtype: st.one_of(
            leaky_alphas, st.floats(-3.0, 0.0), signed_slopes(dtype)
        ),
        FLOAT_DTYPES,
    )
)
# The flaky failure: -1.2e-38 survives in float32 and rounds to -0 in float16.
@example(x_and_alpha=(np.array([-1.0], F16), -1.2e-38))
@example(x_and_alpha=(np.array([-1.0], F16), -1e-8))
# Rounded twice, to float32 and then to float16, alpha lands on a float16
# midpoint and rounds to even, not up: once on each code path.
@example(x_and_alpha=(np.array([-1.0], F16), 0.5 + 2**-12 + 2**-41))
@example(x_and_alpha=(np.array([-1.0], F16), 1 + 2**-11 + 2**-40))
# 0 in float32 and in float16; overflows float16.
@example(x_and_alpha=(np.array([-1.0], F16), -1e-46))
@example(x_and_alpha=(np.array([-1.0], F16), -70000.0))
def test_leaky_relu_derivative_is_exactly_one_or_alpha(x_and_alpha):
    # Two code paths: clip(ceil(x), alpha, 1) for 0 < alpha <= 1, and
    # H + (1 - H) alpha for any other slope. Both must give exactly 1 and
    # exactly alpha (rounded to the dtype as the activation rounds it), keep
    # NaN, and never give -0.
    x, alpha = x_and_alpha
    dtype = x.dtype
    x = np.append(x.ravel(), np.array([NAN, -0.0, 0.0], dtype=dtype))
    got = actlib.leaky_relu.grad(x, alpha=alpha)
    expected = np.where(
        x > 0, np.array(1, dtype=dtype), slope_as_computed(alpha, dtype)
    )
    expected[np.isnan(x)] = np.nan
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == dtype
    assert not np.signbit(got[got == 0]).any()


@settings(deadline=None)
@given(x_and_alpha=st.one_of(arrays_with(signed_slopes), arrays_with_channel_slopes()))
@example(x_and_alpha=(np.array([-1.0], F16), -1e-30))
@example(x_and_alpha=(np.full((1, 4), -1.0, F16), np.array([0.25, -1e-30, 0.0, -0.0])))
@example(
    x_and_alpha=(np.full((1, 2), -1.0, F16), np.array([0.5 + 2**-12 + 2**-41, 1.0]))
)
def test_prelu_derivative_is_exactly_one_or_alpha(x_and_alpha):
    # One slope, or one per channel (on the fast path when all of them are in
    # (0, 1]); for any real dtype.
    x, alpha = x_and_alpha
    got = actlib.prelu.grad(x, alpha=alpha)
    dtype = result_dtype(x.dtype)
    expected = np.where(
        x > 0, np.array(1, dtype=dtype), slope_as_computed(alpha, x.dtype)
    )
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == dtype
    assert_no_minus_zero(got)


@settings(deadline=None)
@given(case=activation_cases(NAMES))
# Negative slopes too small for float16, from ELU, Swish and GELU (the last
# two with their default parameters).
@example(case=("elu", np.array([-20.0], F16), {"alpha": -1.0}))
@example(case=("elu", np.array([-1.0], F16), {"alpha": -1e-30}))
@example(case=("swish", np.array([-40.0], F16), {"beta": 1.0}))
@example(case=("swish", np.array([40.0], F16), {"beta": -1.0}))
@example(case=("gelu", np.array([-7.0], F16), {"approximate": "none"}))
def test_derivative_is_never_minus_zero(case):
    name, x, params = case
    # (Warnings are section 6's business, over narrower parameters.)
    got = leniently(act_of(name).grad, x, **params)
    assert got.dtype == result_dtype(x.dtype)
    assert_no_minus_zero(got)


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("swish", {}),
        ("swish", {"beta": 2.0}),
        ("gelu", {}),
        ("gelu", {"approximate": "tanh"}),
    ],
)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_a_closed_gate_gives_plus_zero_as_at_minus_inf(name, params, dtype):
    # Far left the gate is exactly 0, and 0 * x is +0: the value at -inf.
    x = np.array([-np.finfo(dtype).max, -1e4, -INF], dtype=dtype)
    got = act_of(name)(x, **params)
    np.testing.assert_array_equal(got, [0.0, 0.0, 0.0])
    assert_no_minus_zero(got, "f")


@pytest.mark.parametrize(
    ("x", "dtype"), [(-1e-323, np.float64), (-1e-6, np.float16)], ids=repr
)
def test_a_negative_value_that_underflows_keeps_its_sign(x, dtype):
    # 0.01 * x is negative and rounds to -0 (chapter 2 prints it): the sign is
    # the value's, unlike -0 from a zero slope.
    got = actlib.leaky_relu(np.array([x], dtype=dtype))
    assert got[0] == 0
    assert np.signbit(got[0])


# -- Cross-check with PyTorch (optional) ---------------------------------------------


def _torch_cases():
    def swish(beta):
        return lambda torch, t: t * torch.sigmoid(beta * t)

    def softplus(beta):
        # threshold huge: PyTorch's linear shortcut never kicks in.
        return lambda torch, t: torch.nn.functional.softplus(
            t, beta=beta, threshold=1e30
        )

    def prelu(alpha):
        return lambda torch, t: torch.nn.functional.prelu(
            t, torch.tensor([alpha], dtype=t.dtype)
        )

    def functional(fname, **kw):
        return lambda torch, t: getattr(torch.nn.functional, fname)(t, **kw)

    return [
        ("relu", {}, functional("relu")),
        ("leaky_relu", {}, functional("leaky_relu", negative_slope=0.01)),
        ("leaky_relu", {"alpha": 0.2}, functional("leaky_relu", negative_slope=0.2)),
        ("leaky_relu", {"alpha": 2.0}, functional("leaky_relu", negative_slope=2.0)),
        ("elu", {}, functional("elu")),
        ("elu", {"alpha": 0.5}, functional("elu", alpha=0.5)),
        ("elu", {"alpha": 2.0}, functional("elu", alpha=2.0)),
        ("prelu", {}, prelu(0.25)),
        ("prelu", {"alpha": 0.1}, prelu(0.1)),
        ("swish", {}, functional("silu")),
        ("swish", {"beta": 2.0}, swish(2.0)),
        ("swish", {"beta": 0.5}, swish(0.5)),
        ("sigmoid", {}, lambda torch, t: torch.sigmoid(t)),
        ("tanh", {}, lambda torch, t: torch.tanh(t)),
        ("softplus", {}, softplus(1.0)),
        ("softplus", {"beta": 2.0}, softplus(2.0)),
        ("softplus", {"beta": 0.5}, softplus(0.5)),
        ("gelu", {}, functional("gelu")),
        ("gelu", {"approximate": "tanh"}, functional("gelu", approximate="tanh")),
        ("selu", {}, functional("selu")),
    ]


TORCH_CASES = [
    pytest.param(name, params, fn, id=f"{name}-{params}")
    for name, params, fn in _torch_cases()
]
# Finite, non-NaN points (PyTorch's relu'(NaN) is not NaN; actlib's is).
TORCH_X = np.concatenate(
    [
        np.linspace(-30.0, 30.0, 1201),
        [-0.0, 0.0, 1e-7, -1e-7, 1e-30, -1e-30, 1e-300, -1e-300],
    ]
)
TORCH_TOL = {
    # PyTorch's own float32 tanh-GELU derivative is off by 1e-6 near |x| = 5.4.
    np.float32: {"rtol": 2e-5, "atol": 4e-6},
    np.float64: {"rtol": 1e-12, "atol": 1e-14},
}


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch", exc_type=ImportError)


def _torch_value_and_grad(torch, fn, x):
    t = torch.tensor(x, requires_grad=True)
    y = fn(torch, t)
    y.backward(torch.ones_like(y))
    return y.detach().numpy(), t.grad.numpy()


class TestAgainstTorch:
    """Values and autograd derivatives agree with torch.nn.functional."""

    @pytest.mark.parametrize(("name", "params", "fn"), TORCH_CASES)
    @pytest.mark.parametrize("dtype", [np.float32, np.float64])
    def test_values_and_derivatives(self, torch, name, params, fn, dtype):
        x = TORCH_X.astype(dtype)
        expected_f, expected_df = _torch_value_and_grad(torch, fn, x)
        act = act_of(name)
        got_f, got_df = act(x, **params), act.grad(x, **params)
        assert got_f.dtype == got_df.dtype == dtype
        np.testing.assert_allclose(got_f, expected_f, **TORCH_TOL[dtype])
        np.testing.assert_allclose(got_df, expected_df, **TORCH_TOL[dtype])

    @pytest.mark.parametrize("dtype", [np.float32, np.float64])
    def test_prelu_per_channel(self, torch, dtype):
        # For 2-D input PyTorch's channel axis (dim 1) is the last axis.
        x = TORCH_X[:1200].reshape(400, 3).astype(dtype)
        alpha = np.array([0.1, 0.25, 2.0], dtype=dtype)
        weight = torch.tensor(alpha)

        def fn(torch, t):
            return torch.nn.functional.prelu(t, weight)

        expected_f, expected_df = _torch_value_and_grad(torch, fn, x)
        np.testing.assert_allclose(
            actlib.prelu(x, alpha=alpha), expected_f, **TORCH_TOL[dtype]
        )
        np.testing.assert_allclose(
            actlib.prelu.grad(x, alpha=alpha), expected_df, **TORCH_TOL[dtype]
        )


# The kernel contract (actlib.Activation): the caller uses what a kernel returns.


class _Abs(actlib.Activation):
    """|x|, written by a reader outside actlib, in the way each test chooses."""

    name = "abs"
    label = "abs"

    def derivative(self, x, out):
        return np.sign(x, out=out)


class TestKernelContract:
    X = np.array([-3.0, -0.5, 0.0, 2.0])

    def test_a_kernel_that_fills_out(self):
        class FillsOut(_Abs):
            def forward(self, x, out):
                return np.abs(x, out=out)

        np.testing.assert_array_equal(FillsOut()(self.X), [3.0, 0.5, 0.0, 2.0])

    @pytest.mark.parametrize("size", [4, BLOCK_SIZE + 3])  # one block, and two
    def test_a_kernel_that_returns_a_new_array(self, size):
        class NewArray(_Abs):
            def forward(self, x, out):
                return np.abs(x)  # out is left untouched

        x = np.linspace(-1.0, 1.0, size)
        np.testing.assert_array_equal(NewArray()(x), np.abs(x))
        half = x.astype(np.float16)
        np.testing.assert_array_equal(NewArray()(half), np.abs(half))

    def test_a_kernel_that_returns_a_new_array_with_a_channel_parameter(self):
        class Scaled(_Abs):
            defaults = {"alpha": 1.0}

            def check_parameter(self, param, value):
                return np.asarray(value, dtype=float)

            def forward(self, x, out, alpha):
                return alpha * np.abs(x)

        x = np.array([[-1.0, 2.0], [3.0, -4.0]])
        got = Scaled()(x, alpha=np.array([1.0, 10.0]))
        np.testing.assert_array_equal(got, [[1.0, 20.0], [3.0, 40.0]])

    def test_a_kernel_that_returns_nothing(self):
        class ReturnsNothing(_Abs):
            def forward(self, x, out):
                np.abs(x, out=out)

        with pytest.raises(
            TypeError, match=r"ReturnsNothing\.forward\(\) returned None"
        ):
            ReturnsNothing()(self.X)

    def test_a_kernel_that_returns_the_wrong_shape(self):
        class WrongShape(_Abs):
            def forward(self, x, out):
                return np.abs(x).sum(keepdims=True)

        with pytest.raises(
            TypeError, match=r"WrongShape\.forward\(\) returned .* shape \(1,\)"
        ):
            WrongShape()(self.X)

    def test_every_actlib_kernel_returns_its_out(self):
        # The fast path: no copy for the kernels that ship with actlib.
        x = np.linspace(-3.0, 3.0, 11)
        for name in actlib.names():
            act = actlib.get(name)
            learned = [getattr(act, f"{p}_derivative") for p in act.learnable]
            for kernel in (act.forward, act.derivative, *learned):
                out = np.empty_like(x)
                assert kernel(x, out, **act.params) is out, (name, kernel.__name__)


# -- 12. The fast kernels against the textbook formulas ----------------------------
#
# Each activation writes f and f' twice: the textbook formulas (reference and
# reference_grad, plain NumPy) and the fast kernels that a call runs. Where a
# textbook formula is accurate, the two agree: exactly for the piecewise-linear
# activations (up to the sign of zero, which the contract makes +0 where IEEE
# gives -0), and within a few ulp for the smooth ones. The formulas are
# evaluated in the working precision (float32 for float16 input) and rounded to
# the dtype, as the contract says the kernels are.

PIECEWISE_LINEAR = ("relu", "leaky_relu", "prelu")

# float16: both sides round a float32 (or better) value once. float32 and
# float64: each side is within a few ulp of the truth on the domains below; the
# largest difference measured was 5 ulp (float32 sigmoid, whose NumPy exp is a
# SIMD approximation; float64 sigmoid').
TEXTBOOK_ULPS = {np.float16: 1, np.float32: 8, np.float64: 8}


def _exp_is_finite(t):
    """Where e^t does not overflow (t of the working dtype)."""
    return t <= np.log(np.finfo(t.dtype).max)


# Where a textbook formula is accurate to a few ulp, for x in the working
# precision: away from its cancellations and overflows. Everywhere else it is
# the fast kernels' job to be right, and sections 1 to 7 check them there
# against closed forms, limits and PyTorch. Not listed: accurate everywhere.
TEXTBOOK_ACCURATE = {
    # e^x - 1 cancels for -1 < x < 0 (which is why the kernel uses expm1).
    ("elu", "f"): lambda x, p: (x >= 0) | (x <= -1),
    ("selu", "f"): lambda x, p: (x >= 0) | (x <= -1),
    # 1 / (1 + e^(-x)) is accurate wherever e^(-x) does not overflow, and at
    # -inf, where it is inf and the quotient 0.
    ("sigmoid", "f"): lambda x, p: _exp_is_finite(-x) | (x == -INF),
    # ... and sigma (1 - sigma) also cancels in 1 - sigma for x > 0.
    ("sigmoid", "f'"): lambda x, p: (x <= 0) & _exp_is_finite(-x) | np.isinf(x),
    # 1 - tanh^2 cancels as tanh^2 nears 1; for |x| <= 1/2 it is below 0.22.
    ("tanh", "f'"): lambda x, p: (np.abs(x) <= 0.5) | np.isinf(x),
    # log(1 + e^(beta x)) loses e^(beta x) for beta x < 0, and e^(beta x)
    # overflows far right.
    ("softplus", "f"): lambda x, p: (
        (p["beta"] * x >= 0) & _exp_is_finite(p["beta"] * x) | np.isinf(x)
    ),
    ("softplus", "f'"): lambda x, p: _exp_is_finite(-p["beta"] * x),
    ("swish", "f"): lambda x, p: _exp_is_finite(-p["beta"] * x),
    # sigma + beta x sigma (1 - sigma): 1 - sigma cancels for beta x > 1, and
    # the sum as f' nears its zero at beta x = -2.4.
    ("swish", "f'"): lambda x, p: (p["beta"] * x >= -0.5) & (p["beta"] * x <= 1),
    # 1 + erf(x / sqrt 2) and 1 + tanh(u) cancel for x < 0.
    ("gelu", "f"): lambda x, p: x >= -0.5,
    # ... the sum as f' nears its zero at x = -0.75; and 1 - tanh^2 as for tanh.
    ("gelu", "f'"): lambda x, p: (
        (x >= -0.25) & (x <= 2) if p["approximate"] == "tanh" else x >= -0.25
    ),
}


def textbook(formula, x, dtype, **params):
    """A textbook formula at x (of the working dtype), rounded to dtype."""
    with np.errstate(all="ignore"):  # the formulas overflow far out: not compared
        return np.asarray(formula(x, **params)).astype(x.dtype).astype(dtype)


def ulp_distance(got, expected):
    """|got - expected| in ulp of expected's dtype (at 0: of its smallest subnormal)."""
    with np.errstate(over="ignore", invalid="ignore"):  # at the largest float, inf
        spacing = np.spacing(np.abs(expected)).astype(np.float64)
        distance = np.abs(got.astype(np.float64) - expected) / spacing
    same = (got == expected) | np.isnan(got) & np.isnan(expected)
    return np.where(same, 0.0, np.nan_to_num(distance, nan=np.inf))


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", NAMES)
@SOME
@given(data=st.data())
def test_fast_kernels_agree_with_the_textbook_formulas(name, dtype, data):
    act = act_of(name)
    x = data.draw(textbook_arrays(dtype), label="x")
    params = data.draw(textbook_parameters(name, dtype), label="params")
    work = x.astype(working_dtype(dtype))
    for what, fast, formula in (
        ("f", act, act.reference),
        ("f'", act.grad, act.reference_grad),
    ):
        got = leniently(fast, x, **params)
        expected = textbook(formula, work, dtype, **params)
        # NaN in, NaN out: the contract. (np.where(x > 0, 1, alpha) sends NaN
        # to alpha: there the textbook formula is no specification.)
        assert np.isnan(got[np.isnan(x)]).all(), what
        # Where a formula gives NaN for a number (0 * inf, inf / inf), it says
        # nothing either.
        accurate = TEXTBOOK_ACCURATE.get((name, what), lambda x, p: True)
        with np.errstate(all="ignore"):  # beta * inf is inf, 0 * inf NaN: not compared
            compared = ~np.isnan(x) & ~np.isnan(expected) & accurate(work, params)
        if name in PIECEWISE_LINEAR:
            np.testing.assert_array_equal(got[compared], expected[compared], what)
        else:
            distance = ulp_distance(got[compared], expected[compared])
            worst = distance.max(initial=0.0)
            assert worst <= TEXTBOOK_ULPS[dtype], (what, worst, x[compared])


@FEW
@given(x_and_alpha=arrays_with_channel_slopes())
def test_prelu_with_channel_slopes_agrees_with_the_textbook_formulas(x_and_alpha):
    x, alpha = x_and_alpha
    dtype = result_dtype(x.dtype)
    work = x.astype(working_dtype(x.dtype))
    slopes = alpha.astype(work.dtype)  # rounded as the kernels round them
    for what, fast, formula in (
        ("f", actlib.prelu, actlib.prelu.reference),
        ("f'", actlib.prelu.grad, actlib.prelu.reference_grad),
    ):
        got = leniently(fast, x, alpha=alpha)
        expected = textbook(formula, work, dtype, alpha=slopes)
        compared = ~np.isnan(expected) & ~np.isnan(work)
        np.testing.assert_array_equal(got[compared], expected[compared], what)


@pytest.mark.parametrize("name", NAMES)
def test_textbook_formulas_come_first_in_each_class(name):
    # The order a reader meets them in: the formulas, then the fast kernels,
    # then (for a learnable parameter p) p's gradient beside them.
    act = act_of(name)
    for method in ("reference", "reference_grad", "forward", "derivative"):
        assert callable(getattr(act, method, None)), method
    for param in act.learnable:
        assert callable(getattr(act, f"{param}_derivative", None)), param
        assert callable(getattr(act, f"reference_{param}_grad", None)), param
    for kind in type(act).__mro__:
        written = list(vars(kind))  # in the order of the class body
        references = [i for i, m in enumerate(written) if m.startswith("reference")]
        kernels = [
            i
            for i, m in enumerate(written)
            if m == "forward" or m.endswith("derivative")
        ]
        if references and kernels:
            assert max(references) < min(kernels), (kind.__name__, written)


# -- 13. Learnable parameters ------------------------------------------------------


class TestParamGrad:
    """param_grad(x, p) is df/dp, for each p the activation can learn."""

    X = np.array([-2.0, -0.5, -0.0, 0.0, 3.0, -INF, INF, NAN])
    MIN_0_X = np.array([-2.0, -0.5, 0.0, 0.0, 0.0, -INF, 0.0, NAN])

    def test_prelu_learns_alpha_and_only_alpha(self):
        assert actlib.prelu.learnable == ("alpha",)
        for name in NAMES:
            if name != "prelu":
                assert act_of(name).learnable == (), name

    @pytest.mark.parametrize("alpha", [0.25, 0.0, -1.5, 7.0])
    def test_prelu_alpha_gradient_is_min_of_zero_and_x(self, alpha):
        # d/dalpha (max(0, x) + alpha min(0, x)) = min(0, x), whatever alpha.
        got = actlib.prelu.param_grad(self.X, "alpha", alpha=alpha)
        np.testing.assert_array_equal(got, self.MIN_0_X)
        assert_no_minus_zero(got, "df/dalpha")

    def test_with_one_slope_per_channel(self):
        x = np.array([[-2.0, 1.0, -0.0], [3.0, -4.0, -1e-300]])
        alpha = np.array([0.1, 0.2, 0.3])
        expected = [[-2.0, 0.0, 0.0], [0.0, -4.0, -1e-300]]
        for got in (
            actlib.prelu.param_grad(x, "alpha", alpha=alpha),
            actlib.get("prelu", alpha=alpha).param_grad(x, "alpha"),
        ):
            assert got.shape == x.shape
            np.testing.assert_array_equal(got, expected)
            assert_no_minus_zero(got, "df/dalpha")

    def test_slopes_that_change_the_shape_are_refused(self):
        with pytest.raises(ValueError, match=r"prelu.*'alpha'.*shape \(2, 3\)"):
            actlib.prelu.param_grad(np.ones(3), "alpha", alpha=np.ones((2, 3)))

    @pytest.mark.parametrize("dtype", FLOAT_DTYPES)
    def test_dtype_is_kept(self, dtype):
        x = self.X.astype(dtype)
        got = actlib.prelu.param_grad(x, "alpha")
        assert got.dtype == dtype
        np.testing.assert_array_equal(got, self.MIN_0_X.astype(dtype))
        assert_no_minus_zero(got, "df/dalpha")

    def test_integers_and_scalars(self):
        got = actlib.prelu.param_grad(np.array([-3, 0, 2]), "alpha")
        assert got.dtype == np.float64
        np.testing.assert_array_equal(got, [-3.0, 0.0, 0.0])
        assert type(actlib.prelu.param_grad(-2.0, "alpha")) is np.float64

    @pytest.mark.parametrize(
        ("name", "param", "learns"),
        [("prelu", "beta", "'alpha'"), ("leaky_relu", "alpha", "no parameters")],
    )
    def test_a_parameter_it_does_not_learn_is_refused(self, name, param, learns):
        pattern = (
            rf"^{name}\(\): '{param}' is not a learnable parameter "
            rf"\(it learns: {learns}\)$"
        )
        with pytest.raises(ValueError, match=pattern):
            act_of(name).param_grad(self.X, param)


@settings(deadline=None)
@given(x_and_alpha=st.one_of(arrays_with(signed_slopes), arrays_with_channel_slopes()))
def test_prelu_alpha_gradient_agrees_with_its_textbook_formula(x_and_alpha):
    x, alpha = x_and_alpha
    got = actlib.prelu.param_grad(x, "alpha", alpha=alpha)
    dtype = result_dtype(x.dtype)
    work = x.astype(working_dtype(x.dtype))
    expected = textbook(actlib.prelu.reference_alpha_grad, work, dtype, alpha=alpha)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, expected)
    assert_no_minus_zero(got, "df/dalpha")


class _Squared(actlib.Activation):
    """f(x) = (a x)^2 / 2, with a learnable gain a: written outside actlib."""

    name = "squared"
    label = "Squared"
    defaults = {"a": 1.0}
    learnable = ("a",)

    def reference(self, x, a):
        return (a * x) ** 2 / 2

    def reference_grad(self, x, a):
        return a**2 * x

    def reference_a_grad(self, x, a):
        return a * x**2

    def forward(self, x, out, a):
        return np.multiply(np.square(a * x), 0.5, out=out)

    def derivative(self, x, out, a):
        return np.multiply(a**2, x, out=out)

    def a_derivative(self, x, out, a):
        return np.multiply(a, np.square(x), out=out)


class TestALearnableParameterOfYourOwn:
    """A subclass that declares a learnable parameter gets param_grad for it."""

    X = np.array([[-2.0, 0.5], [3.0, 0.0]])

    def test_param_grad_calls_its_kernel_with_the_parameters(self):
        squared = _Squared(a=3.0)
        np.testing.assert_array_equal(
            squared.param_grad(self.X, "a"), [[12.0, 0.75], [27.0, 0.0]]
        )
        # Parameters for this call only, as for f and f'.
        np.testing.assert_array_equal(
            squared.param_grad(self.X, "a", a=-1.0), [[-4.0, -0.25], [-9.0, 0.0]]
        )

    @pytest.mark.parametrize("dtype", [np.float16, np.float32, np.int64])
    def test_dtypes_as_for_f(self, dtype):
        got = _Squared().param_grad(self.X.astype(dtype), "a")
        assert got.dtype == result_dtype(dtype)
        np.testing.assert_array_equal(got, self.X.astype(dtype).astype(float) ** 2)

    def test_what_it_does_not_learn_is_refused(self):
        with pytest.raises(ValueError, match=r"'b' is not .*\(it learns: 'a'\)"):
            _Squared().param_grad(self.X, "b")


# -- 14. He's gain -----------------------------------------------------------------
#
# He initialisation draws a layer's weights with standard deviation g / sqrt(n),
# so that the second moment of the pre-activations stays the same from layer to
# layer: g^2 E[f(z)^2] = 1 for z ~ N(0, 1).


def _second_moment(act):
    """E[f(z)^2] for a standard normal z, by quadrature (split at the kink)."""

    def integrand(z):
        return float(act(z)) ** 2 * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)

    return sum(quad(integrand, a, b)[0] for a, b in ((-40, 0), (0, 40)))


class TestHeGain:
    @pytest.mark.parametrize(
        "act",
        [
            actlib.relu,
            actlib.leaky_relu,
            actlib.get("leaky_relu", alpha=0.3),
            actlib.prelu,
            actlib.get("prelu", alpha=-0.5),
            actlib.get("leaky_relu", alpha=1.0),
        ],
        ids=repr,
    )
    def test_the_gain_keeps_the_second_moment(self, act):
        assert act.he_gain() ** 2 * _second_moment(act) == pytest.approx(1, rel=1e-9)

    def test_relu(self):
        assert actlib.relu.he_gain() == math.sqrt(2)

    def test_leaky_relu_default_slope(self):
        assert actlib.leaky_relu.he_gain() == pytest.approx(
            math.sqrt(2 / (1 + 0.01**2)), rel=1e-15
        )
        assert actlib.leaky_relu.he_gain() < math.sqrt(2)

    @pytest.mark.parametrize("name", ["leaky_relu", "prelu"])
    def test_slope_one_is_the_identity_with_gain_one(self, name):
        assert actlib.get(name, alpha=1.0).he_gain() == 1.0

    def test_one_slope_per_channel_has_no_single_gain(self):
        with pytest.raises(ValueError, match=r"prelu.*one slope.*shape \(3,\)"):
            actlib.get("prelu", alpha=np.array([0.1, 0.2, 0.3])).he_gain()


# -- 15. The fast path and the blocks ----------------------------------------------
#
# A float32 or float64 array of at most BLOCK_SIZE elements goes straight to
# the kernel; anything else is converted, or split into blocks. All give the
# same numbers.


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_route_gives_the_same_numbers(name, dtype):
    act = act_of(name).with_params(**_non_default_parameters(name))
    x = np.random.default_rng(0).standard_normal(2 * BLOCK_SIZE + 5).astype(dtype)
    x[:7] = [0.0, -0.0, INF, -INF, NAN, 1e30, -1e30]
    for route in (act, act.grad):
        whole = leniently(route, x)  # in blocks
        first = leniently(route, x[:BLOCK_SIZE])  # in one go
        np.testing.assert_array_equal(first, whole[:BLOCK_SIZE])
        # Not C-contiguous, or not in the machine's byte order: converted.
        small = x[:BLOCK_SIZE].reshape(256, -1)
        for layout in (small.T, small[::2], small.astype(small.dtype.newbyteorder())):
            expected = leniently(route, np.ascontiguousarray(layout, dtype=dtype))
            np.testing.assert_array_equal(leniently(route, layout), expected)
