"""Named hypothesis strategies for the actlib tests.

Each strategy says what it draws in its name, so that a test reads as a
sentence: ``@given(x=moderate_float64_arrays, params=parameters("elu"))``.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

FLOAT_DTYPES = (np.float16, np.float32, np.float64)
# Computed in float64, as the contract says.
INTEGER_DTYPES = (np.bool_, np.int8, np.uint8, np.int64, np.uint64)
REAL_DTYPES = FLOAT_DTYPES + INTEGER_DTYPES

# -- Parameters -------------------------------------------------------------

# Slopes for the negative side. 0 is ReLU, 1 is the identity, > 1 is allowed.
leaky_alphas = st.floats(min_value=0.0, max_value=3.0)
elu_alphas = st.floats(min_value=0.1, max_value=3.0)
prelu_alphas = st.floats(min_value=0.0, max_value=3.0)
swish_betas = st.floats(min_value=0.1, max_value=5.0)
softplus_betas = st.floats(min_value=0.1, max_value=10.0)
gelu_approximations = st.sampled_from(["none", "tanh"])

_NO_PARAMS = st.just({})

_PARAMETERS = {
    "relu": _NO_PARAMS,
    "leaky_relu": st.fixed_dictionaries({"alpha": leaky_alphas}),
    "elu": st.fixed_dictionaries({"alpha": elu_alphas}),
    "prelu": st.fixed_dictionaries({"alpha": prelu_alphas}),
    "swish": st.fixed_dictionaries({"beta": swish_betas}),
    "sigmoid": _NO_PARAMS,
    "tanh": _NO_PARAMS,
    "softplus": st.fixed_dictionaries({"beta": softplus_betas}),
    "gelu": st.fixed_dictionaries({"approximate": gelu_approximations}),
    "selu": _NO_PARAMS,
}


def _extreme_parameter_strategies(dtype):
    # Wide enough that alpha * x and beta * x overflow, narrow enough that the
    # parameter itself (and 1 / beta) is representable in dtype.
    low, high = (1e-2, 1e2) if dtype == np.float16 else (1e-6, 1e6)
    slopes = st.one_of(st.just(high), st.floats(min_value=0.0, max_value=high))
    positive = st.one_of(
        st.sampled_from([low, high]), st.floats(min_value=low, max_value=high)
    )
    return {
        **_PARAMETERS,
        "leaky_relu": st.fixed_dictionaries({"alpha": slopes}),
        "elu": st.fixed_dictionaries({"alpha": positive}),
        "prelu": st.fixed_dictionaries({"alpha": slopes}),
        "swish": st.fixed_dictionaries({"beta": positive}),
        "softplus": st.fixed_dictionaries({"beta": positive}),
    }


def parameters(name):
    """Valid, moderate parameters of the activation called `name`."""
    return _PARAMETERS[name]


def extreme_parameters(name, dtype=np.float64):
    """Valid parameters of `name`, up to sizes that make alpha*x or beta*x overflow."""
    return _extreme_parameter_strategies(dtype)[name]


# -- Inputs -----------------------------------------------------------------

# Where finite differences are accurate: exp(beta * x) stays representable.
moderate_float64s = st.floats(min_value=-30.0, max_value=30.0)
moderate_float64_arrays = hnp.arrays(
    np.float64, st.integers(min_value=1, max_value=16), elements=moderate_float64s
)

# Magnitudes where every exp(), square or cube overflows.
huge_float64s = st.floats(min_value=1e154, max_value=np.finfo(np.float64).max).flatmap(
    lambda v: st.sampled_from([v, -v])
)

# Magnitudes for scaling identities, away from overflow and underflow.
moderate_magnitude_float64s = st.one_of(
    st.just(0.0),
    st.floats(min_value=1e-100, max_value=1e100),
    st.floats(min_value=-1e100, max_value=-1e-100),
)
positive_scales = st.floats(min_value=1e-10, max_value=1e10)

# Parameters for max(x, a x): a slope no larger than 1.
slopes_at_most_one = st.floats(min_value=0.0, max_value=1.0)


def _dtype_floats(dtype, allow_infinity):
    """Any value of dtype, with its extremes drawn often."""
    info = np.finfo(dtype)
    extremes = [
        float(v)
        for m in (info.max, info.smallest_normal, info.smallest_subnormal)
        for v in (m, -m)
    ]
    if allow_infinity:
        extremes += [np.inf, -np.inf]
    return st.one_of(
        st.sampled_from(extremes),
        st.floats(width=info.bits, allow_nan=False, allow_infinity=allow_infinity),
    )


def finite_arrays(dtype):
    """Arrays of `dtype`, 0-d to 3-d, of any finite values including the extremes."""
    return hnp.arrays(
        dtype,
        hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
        elements=_dtype_floats(dtype, allow_infinity=False),
    )


def non_nan_arrays(dtype):
    """Arrays of `dtype` of any value but NaN: finite, huge, and +-inf."""
    return hnp.arrays(
        dtype,
        hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5),
        elements=_dtype_floats(dtype, allow_infinity=True),
    )


float_dtypes = st.sampled_from(FLOAT_DTYPES)
any_float_non_nan_arrays = float_dtypes.flatmap(non_nan_arrays)


def integer_arrays(dtype):
    """Arrays of an integer or bool `dtype`, 0-d to 3-d, of any value of the dtype."""
    return hnp.arrays(
        dtype, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=5)
    )


def real_arrays(dtype):
    """Arrays of any real `dtype`: floats as in `non_nan_arrays`, or integers."""
    if np.dtype(dtype).kind == "f":
        return non_nan_arrays(dtype)
    return integer_arrays(dtype)


# -- At the edges of each dtype ---------------------------------------------------
#
# An activation computes float16 input in float32 and rounds the result back;
# integers and bools are computed in float64. A parameter is rounded to that
# working precision first. The numbers below are where that rounding changes
# character: to 0, to a subnormal, to a normal number, to +-inf.


def working_dtype(dtype):
    """The dtype in which an activation computes input of `dtype`."""
    if np.dtype(dtype).kind == "f":
        return np.promote_types(dtype, np.float32)
    return np.dtype(np.float64)


def result_dtype(dtype):
    """The dtype of an activation's result for input of `dtype`."""
    return np.dtype(dtype) if np.dtype(dtype).kind == "f" else np.dtype(np.float64)


def _edge_magnitudes():
    """For each float dtype: its largest value, twice that, its smallest normal,
    its smallest subnormal and half of it (which rounds to 0). Sorted."""
    edges = {0.0}
    for dtype in FLOAT_DTYPES:
        info = np.finfo(dtype)
        tiny = float(info.smallest_subnormal)
        edges |= {float(info.max), float(info.smallest_normal), tiny, tiny / 2}
        if dtype != np.float64:
            edges.add(2 * float(info.max))  # overflows in dtype, not in float64
    return sorted(edges)


EDGE_MAGNITUDES = _edge_magnitudes()


def signed_slopes(dtype):
    """Any slope, either sign, finite in the working precision of `dtype`.

    The edges of every dtype are drawn often: 0 and -0, numbers that round to
    +-0 or to a subnormal in float16 or float32, numbers that overflow float16.
    (A slope beyond the largest float32 is +-inf once rounded for float16 and
    float32 input, and is left out.)
    """
    limit = float(np.finfo(working_dtype(dtype)).max)
    edges = [sign * m for m in EDGE_MAGNITUDES if m <= limit for sign in (1.0, -1.0)]
    return st.one_of(st.sampled_from(edges), st.floats(-limit, limit))


def positive_edge_parameters(dtype):
    """Like `signed_slopes`, but greater than 0 (softplus's beta)."""
    limit = float(np.finfo(working_dtype(dtype)).max)
    edges = [m for m in EDGE_MAGNITUDES if 0 < m <= limit]
    return st.one_of(st.sampled_from(edges), st.floats(0.0, limit, exclude_min=True))


def edge_parameters(name, dtype):
    """Parameters of the activation `name` at the edges of `dtype` (see above)."""
    slopes = st.fixed_dictionaries({"alpha": signed_slopes(dtype)})
    return {
        "leaky_relu": slopes,
        "prelu": slopes,
        "elu": slopes,
        "swish": st.fixed_dictionaries({"beta": signed_slopes(dtype)}),
        "softplus": st.fixed_dictionaries({"beta": positive_edge_parameters(dtype)}),
    }.get(name, _PARAMETERS[name])


def arrays_with(parameter, dtypes=REAL_DTYPES):
    """``(x, p)``: an array of one of `dtypes`, and `p` from ``parameter(x.dtype)``."""
    return st.sampled_from(dtypes).flatmap(
        lambda dtype: st.tuples(real_arrays(dtype), parameter(dtype))
    )


def activation_cases(names):
    """``(name, x, params)``: one of `names`, an array of any real dtype, and
    parameters of that activation at the edges of the array's dtype."""
    return st.sampled_from(names).flatmap(
        lambda name: arrays_with(lambda dtype: edge_parameters(name, dtype)).map(
            lambda case: (name, *case)
        )
    )


@st.composite
def arrays_with_channel_slopes(draw):
    """``(x, alpha)``: x of any real dtype and shape (n, channels), and one slope
    per channel, all in (0, 1] (Leaky ReLU's fast path) or any (the general one)."""
    dtype = draw(st.sampled_from(REAL_DTYPES))
    channels = draw(st.integers(min_value=1, max_value=4))
    shape = st.tuples(st.integers(min_value=0, max_value=5), st.just(channels))
    if np.dtype(dtype).kind == "f":
        x = draw(hnp.arrays(dtype, shape, elements=_dtype_floats(dtype, True)))
    else:
        x = draw(hnp.arrays(dtype, shape))
    if draw(st.booleans(), label="all slopes in (0, 1]"):
        slopes = st.floats(min_value=0.0, max_value=1.0, exclude_min=True)
    else:
        slopes = signed_slopes(dtype)
    alpha = draw(hnp.arrays(np.float64, channels, elements=slopes))
    return x, alpha


def zero_slopes(dtype):
    """Slopes that are 0 in the working precision of `dtype`: 0, -0, and (for
    float16 and float32 input) numbers too small for float32."""
    zeros = [0.0, -0.0]
    if working_dtype(dtype) == np.float32:
        zeros += [1e-46, -1e-46, 5e-324, -5e-324]
    return st.sampled_from(zeros)


# -- Fast kernels against the textbook formulas -----------------------------------


def textbook_arrays(dtype):
    """1-d arrays of `dtype` for comparing a kernel with its textbook formula.

    The edges are drawn often: ±0, ±inf, NaN, the tiniest and the largest
    numbers of the dtype, and the points where the formulas' accurate
    domains end (±1/4, ±1/2, ±1, ±2). So are the numbers near 0, where those
    domains lie, besides any value of the dtype.
    """
    info = np.finfo(dtype)
    magnitudes = [0.0, 0.25, 0.5, 1.0, 2.0]
    magnitudes += [float(info.smallest_subnormal), float(info.smallest_normal)]
    magnitudes += [float(info.max), np.inf]
    edges = [sign * m for m in magnitudes for sign in (1.0, -1.0)] + [np.nan]
    elements = st.one_of(
        st.sampled_from(edges),
        st.floats(-3.0, 3.0, width=info.bits),
        st.floats(width=info.bits),
    )
    return hnp.arrays(dtype, st.integers(min_value=1, max_value=24), elements=elements)


# beta a power of two (or 0): beta * x is then exact in every dtype (short of
# overflow and underflow), so the textbook formula and the kernel see the same
# argument. Otherwise the rounding of beta * x, magnified by |beta x| in
# e^(beta x), would be what the comparison measures.
_POWERS_OF_TWO = [2.0**k for k in range(-3, 4)]


def textbook_parameters(name, dtype):
    """Parameters of `name` for comparing its kernels with its textbook formulas.

    Slopes at the edges of `dtype` (see `edge_parameters`); betas that make
    beta * x exact, of either sign for Swish.
    """
    signed_powers = [0.0, *_POWERS_OF_TWO, *(-b for b in _POWERS_OF_TWO)]
    return {
        "swish": st.fixed_dictionaries({"beta": st.sampled_from(signed_powers)}),
        "softplus": st.fixed_dictionaries({"beta": st.sampled_from(_POWERS_OF_TWO)}),
    }.get(name, edge_parameters(name, dtype))
