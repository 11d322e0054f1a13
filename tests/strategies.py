"""Named hypothesis strategies for the actlib tests.

Each strategy says what it draws in its name, so that a test reads as a
sentence: ``@given(x=moderate_float64_arrays, params=parameters("elu"))``.
"""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

FLOAT_DTYPES = (np.float16, np.float32, np.float64)

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
