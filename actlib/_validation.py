"""Input and parameter checks shared by every activation.

Each check either returns a clean value or raises an error whose message names
the activation, the argument and what was expected, so that a reader who passes
the wrong thing learns what to pass instead.
"""

import math
import numbers

import numpy as np


def real_array(x, name):
    """Return ``x`` as a floating-point array, refusing anything that is not real.

    Parameters
    ----------
    x : array_like
        A scalar, a list, or an array of any shape.
    name : str
        The activation's name, used in the error message.

    Returns
    -------
    numpy.ndarray
        ``x`` itself when it is already a float16, float32 or float64 array
        (never a copy that the caller could mistake for the input), or a new
        float64 array for integer and boolean input.

    Raises
    ------
    TypeError
        For complex numbers, objects, text and ``None``.
    """
    array = np.asarray(x)
    if array.dtype.kind == "f":
        return array
    if array.dtype.kind in "biu":
        return array.astype(np.float64)
    if x is None:
        got = "None"
    elif array.dtype.kind in "US":
        got = f"text ({array.dtype})"
    else:
        got = f"an array of dtype {array.dtype}"
    raise TypeError(f"{name}() expects real numbers, got {got}")


def real_parameter(value, param, name):
    """Check that a parameter is one finite real number, and return it as a float.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (a string, ``None``, a complex, a bool).
    ValueError
        If ``value`` is NaN or infinite.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name}(): parameter {param!r} must be a real number, got {value!r}"
        )
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name}(): parameter {param!r} must be finite, got {value}")
    return value


def positive_parameter(value, param, name):
    """Like :func:`real_parameter`, and the value must also be greater than 0."""
    value = real_parameter(value, param, name)
    if value <= 0:
        raise ValueError(f"{name}(): parameter {param!r} must be > 0, got {value}")
    return value


def real_parameter_array(value, param, name):
    """A finite real number, or an array of them (for example one per channel).

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar, a float64 array otherwise.
    """
    array = np.asarray(value)
    if array.ndim == 0:
        return real_parameter(array[()], param, name)
    if array.dtype.kind not in "iuf":
        raise TypeError(
            f"{name}(): parameter {param!r} must be real numbers, "
            f"got an array of dtype {array.dtype}"
        )
    if not np.isfinite(array).all():
        raise ValueError(f"{name}(): parameter {param!r} must be finite everywhere")
    return array.astype(np.float64)


def choice_parameter(value, param, name, choices):
    """Check that a parameter is one of a few strings, and return it."""
    allowed = " or ".join(repr(choice) for choice in choices)
    if not isinstance(value, str):
        raise TypeError(
            f"{name}(): parameter {param!r} must be {allowed}, got {value!r}"
        )
    if value not in choices:
        raise ValueError(
            f"{name}(): parameter {param!r} must be {allowed}, got {value!r}"
        )
    return value


def count_parameter(value, param, name, minimum=1):
    """Check that a parameter is an integer of at least ``minimum``; return it.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (a float, a bool, a string, ``None``).
    ValueError
        If ``value`` is smaller than ``minimum``.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name}(): parameter {param!r} must be an integer, got {value!r}"
        )
    if value < minimum:
        raise ValueError(
            f"{name}(): parameter {param!r} must be at least {minimum}, got {value}"
        )
    return int(value)
