"""How accurate are actlib's activations, and PyTorch's, in each precision?

Run: ``.venv/bin/python benchmarks/accuracy.py``

Every activation and its derivative is evaluated in float16, float32 and
float64 on the same points, and compared with the truth at those points (the
input itself is exact: it is a number of that dtype).

The truth
    For float16 and float32, the float64 value of a careful float64 formula
    (below: ``reference``), whose own error, a few parts in 10**16 even where
    an exponential's argument is large, is far below float32's resolution.
    For float64, mpmath at 40 significant digits.

The points, per dtype, in four classes
    ``dense``: a dense grid over [-20, 20] (where every activation bends) and
    over the range where the smooth ones saturate or underflow in that dtype,
    plus normal samples; ``tails``: |x| from 1 to the largest finite number,
    log-spaced, both signs; ``tiny``: |x| from the smallest subnormal to 1,
    log-spaced, both signs; ``special``: 0, the smallest subnormal and normal
    numbers, ±1, the largest finite number, and dense neighbourhoods of the
    zeros of the derivatives (swish' near -1.28/beta, gelu' near -0.75).

The error, in ulp of the dtype
    ``error = |computed - truth| / ulp(m)``, where ``ulp(m) = 2**(e - p + 1)``
    with ``p`` the dtype's precision (11, 24, 53 bits) and ``e`` the exponent
    of ``m``, but never below the smallest normal's exponent. So where the
    truth is a normal number this is the error in ulp of the truth; where it
    is smaller than the smallest normal, it is the absolute error in units of
    the subnormal spacing (the ulp there). ``m`` is ``|truth|``, except for
    the derivatives that are a sum of two terms of opposite sign, f' = a + b,
    where ``m = |a| + |b|``: swish' (a = sigma(beta x), b = beta x
    sigma(beta x) sigma(-beta x)), gelu' (a = Phi(x), b = x phi(x)) and the
    tanh form's (a = the gate, b = x times its slope). Near their zeros
    (swish' at x ~ -1.28/beta, gelu' at x ~ -0.75) f' is far smaller than
    its terms, so an error of a few ulp of the terms, all that any
    floating-point evaluation of a + b can promise, is many ulp of f'; away
    from the zeros ``m`` is within a factor of two of ``|truth|``. Where the
    truth is beyond the dtype's largest number, the right answer is ±inf,
    and anything else counts as an infinite error.

This is a measurement; ``tests/test_accuracy.py`` asserts the targets on it.
"""

import functools
import math
import warnings
from dataclasses import dataclass

import mpmath
import numpy as np
from scipy import special

import actlib

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # PyTorch is optional
    torch = None

DTYPES = (np.float16, np.float32, np.float64)
CLASSES = ("dense", "tails", "tiny", "special")
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
TANH_COEFFICIENT = 0.044715
mpmath.mp.dps = 40


@dataclass(frozen=True)
class Case:
    """One activation with its parameters, as the table's row label names it."""

    label: str
    name: str
    params: tuple = ()  # (name, value) pairs, so that a Case can be a cache key

    def activation(self):
        return actlib.get(self.name, **dict(self.params))

    def param(self, key):
        return dict(self.params).get(key, actlib.get(self.name).params.get(key))


CASES = (
    Case("relu", "relu"),
    Case("leaky_relu", "leaky_relu"),
    Case("prelu", "prelu"),
    Case("elu", "elu"),
    Case("elu alpha=0.5", "elu", (("alpha", 0.5),)),
    Case("selu", "selu"),
    Case("sigmoid", "sigmoid"),
    Case("tanh", "tanh"),
    Case("softplus", "softplus"),
    Case("softplus beta=2.5", "softplus", (("beta", 2.5),)),
    Case("swish", "swish"),
    Case("swish beta=1.702", "swish", (("beta", 1.702),)),
    Case("gelu", "gelu"),
    Case("gelu tanh", "gelu", (("approximate", "tanh"),)),
)

#: The derivatives that are a sum of two terms which cancel near a zero.
SUMS = ("swish", "gelu")


# --- The points ---------------------------------------------------------------


def points(dtype):
    """Input points of ``dtype`` by class: name -> sorted unique array."""
    info = np.finfo(dtype)
    tiny_subnormal = float(info.smallest_subnormal)
    rng = np.random.default_rng(20240601)
    wide = 760.0 if dtype == np.float64 else 110.0  # where exp underflows
    n = 2_000 if dtype == np.float64 else 40_000  # float64 goes to mpmath
    dense = [
        np.linspace(-20, 20, n + 1),
        np.linspace(-wide, wide, n // 4 + 1),
        rng.normal(0, 3, n // 2),
    ]
    with np.errstate(over="ignore"):
        magnitude = np.logspace(0, math.log10(float(info.max)), n // 8)
    small = np.logspace(math.log10(tiny_subnormal), 0, n // 8)
    zeros = []  # around the zeros of swish' and gelu'
    for center in (-1.2785 / 1.702, -1.2785, -0.7518, -0.7522):
        zeros.append(np.linspace(center - 0.02, center + 0.02, n // 20 + 1))
    special_points = [
        0.0,
        tiny_subnormal,
        2 * tiny_subnormal,
        float(info.smallest_normal),
        float(info.smallest_normal) - tiny_subnormal,
        1.0,
        float(info.eps),
        float(info.max),
    ]
    classes = {
        "dense": np.concatenate(dense),
        "tails": np.concatenate([magnitude, -magnitude]),
        "tiny": np.concatenate([small, -small]),
        "special": np.concatenate([special_points, np.negative(special_points)]),
    }
    classes["special"] = np.concatenate([classes["special"], *zeros])
    with np.errstate(over="ignore"):
        out = {k: np.unique(v.astype(dtype)) for k, v in classes.items()}
    return {k: v[np.isfinite(v)] for k, v in out.items()}


# --- The truth ----------------------------------------------------------------


def reference(case, x):
    """(f, f', scale of f') in float64 for float64 ``x`` (exact float16/32 data).

    Formulas chosen for float64 accuracy everywhere: exponentials only of
    non-positive numbers, the sigmoid as ``scipy.special.expit``, the normal
    CDF as ``ndtr`` (x is a float32, so x*x is exact in float64).
    """
    x = np.asarray(x, dtype=np.float64)
    name = case.name
    step = x > 0
    with np.errstate(all="ignore"):
        if name == "relu":
            return np.maximum(x, 0), step * 1.0, None
        if name in ("leaky_relu", "prelu"):
            alpha = case.param("alpha")
            return np.where(step, x, alpha * x), np.where(step, 1.0, alpha), None
        if name in ("elu", "selu"):
            alpha = SELU_ALPHA if name == "selu" else case.param("alpha")
            scale = SELU_SCALE if name == "selu" else 1.0
            value = np.where(step, x, alpha * np.expm1(np.minimum(x, 0)))
            slope = np.where(step, 1.0, alpha * np.exp(np.minimum(x, 0)))
            return scale * value, scale * slope, None
        if name == "sigmoid":
            return special.expit(x), special.expit(x) * special.expit(-x), None
        if name == "tanh":
            e = np.exp(-2 * np.abs(x))
            return np.tanh(x), 4 * e / (1 + e) ** 2, None
        if name == "softplus":
            beta = case.param("beta")
            z = beta * x
            value = (np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))) / beta
            return value, special.expit(z), None
        if name == "swish":
            z = case.param("beta") * x
            a = special.expit(z)
            b = z * special.expit(z) * special.expit(-z)
            return x * a, a + b, np.abs(a) + np.abs(b)
        if case.param("approximate") == "none":
            a = special.ndtr(x)
            b = x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
            return x * a, a + b, np.abs(a) + np.abs(b)
        c = math.sqrt(2 / math.pi)
        u = c * (x + TANH_COEFFICIENT * x**3)
        a = special.expit(2 * u)
        b = x * 2 * special.expit(2 * u) * special.expit(-2 * u)
        b *= c * (1 + 3 * TANH_COEFFICIENT * x * x)
        return x * a, a + b, np.abs(a) + np.abs(b)


def reference_mp(case, x):
    """(f, f', scale of f') of one float ``x`` in mpmath, at 40 digits."""
    mp = mpmath.mp
    x = mp.mpf(float(x))
    name = case.name
    positive = x > 0
    if name == "relu":
        return max(x, 0), mp.mpf(positive), None
    if name in ("leaky_relu", "prelu"):
        alpha = mp.mpf(case.param("alpha"))
        return (x if positive else alpha * x), (1 if positive else alpha), None
    if name in ("elu", "selu"):
        if name == "selu":
            alpha, scale = mp.mpf(str(SELU_ALPHA)), mp.mpf(str(SELU_SCALE))
        else:
            alpha, scale = mp.mpf(case.param("alpha")), 1
        if positive:
            return scale * x, mp.mpf(scale), None
        return scale * alpha * mp.expm1(x), scale * alpha * mp.exp(x), None

    def sigma(z):
        return 1 / (1 + mp.exp(-z))

    if name == "sigmoid":
        return sigma(x), sigma(x) * sigma(-x), None
    if name == "tanh":
        return mp.tanh(x), 1 / mp.cosh(x) ** 2, None
    if name == "softplus":
        beta = mp.mpf(case.param("beta"))
        z = beta * x
        return (max(z, 0) + mp.log1p(mp.exp(-abs(z)))) / beta, sigma(z), None
    if name == "swish":
        z = mp.mpf(case.param("beta")) * x
        a, b = sigma(z), z * sigma(z) * sigma(-z)
    elif abs(x) > 1e4:  # far beyond float64's range of Phi(x) != 0, 1
        a, b = mp.mpf(x > 0), mp.mpf(0)
    elif case.param("approximate") == "none":
        a = mp.erfc(-x / mp.sqrt(2)) / 2
        b = x * mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)
    else:
        c = mp.sqrt(2 / mp.pi)
        u = c * (x + mp.mpf(str(TANH_COEFFICIENT)) * x**3)
        a = sigma(2 * u)
        b = x * 2 * sigma(2 * u) * sigma(-2 * u)
        b *= c * (1 + 3 * mp.mpf(str(TANH_COEFFICIENT)) * x * x)
    return x * a, a + b, abs(a) + abs(b)


def _split(values):
    """mpmath numbers -> (hi, lo) float64 arrays, hi + lo to ~106 bits."""
    hi = np.array([float(v) for v in values])
    lo = np.array(
        [
            float(v - h) if math.isfinite(h) else 0.0
            for v, h in zip(values, hi, strict=True)
        ]
    )
    return hi, lo


@functools.cache
def truth(case, dtype, kind):
    """Truth at ``points(dtype)[kind]``: (value, slope) as (hi, lo) pairs, scale."""
    x = points(dtype)[kind]
    if dtype != np.float64:
        value, slope, scale = reference(case, x)
        zero = np.zeros_like(x)
        return (value, zero), (slope, zero), scale
    rows = [reference_mp(case, v) for v in x]
    value = _split([r[0] for r in rows])
    slope = _split([r[1] for r in rows])
    scale = None if rows[0][2] is None else np.array([float(r[2]) for r in rows])
    return value, slope, scale


# --- The error ----------------------------------------------------------------


def ulp_error(computed, truth_pair, scale, dtype):
    """Error of ``computed`` in ulp of ``dtype``, as defined in the module docstring."""
    info = np.finfo(dtype)
    hi, lo = truth_pair
    c = np.asarray(computed, dtype=np.float64)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        rounded = hi.astype(dtype)  # the truth, rounded to the dtype
        m = np.abs(hi) if scale is None else np.maximum(np.abs(hi), scale)
        _, exponent = np.frexp(m)  # m = f 2**exponent, 0.5 <= f < 1
        normal = m >= info.smallest_normal  # (frexp gives exponent 0 for 0)
        exponent = np.where(normal, exponent - 1, info.minexp)
        ulp = np.ldexp(1.0, exponent - info.nmant)
        error = np.abs((c - hi) - lo) / ulp
    overflow = np.isinf(rounded)
    error[overflow] = np.where(c[overflow] == rounded[overflow], 0, np.inf)
    error[np.isnan(c)] = np.inf
    return error


# --- The candidates -----------------------------------------------------------


def actlib_values(case, x):
    """(f(x), f'(x)) from actlib, in the dtype of x."""
    act = case.activation()
    return act(x), act.grad(x)


def _torch_function(case, dtype):
    p = case.param
    if case.name == "relu":
        return F.relu
    if case.name == "leaky_relu":
        return lambda t: F.leaky_relu(t, p("alpha"))
    if case.name == "prelu":
        return lambda t: F.prelu(t, torch.tensor([p("alpha")], dtype=t.dtype))
    if case.name == "elu":
        return lambda t: F.elu(t, alpha=p("alpha"))
    if case.name == "selu":
        return F.selu
    if case.name == "sigmoid":
        return torch.sigmoid
    if case.name == "tanh":
        return torch.tanh
    if case.name == "softplus":
        return lambda t: F.softplus(t, beta=p("beta"))
    if case.name == "swish":
        if p("beta") == 1:
            return F.silu
        return lambda t: t * torch.sigmoid(p("beta") * t)  # no beta in PyTorch
    return lambda t: F.gelu(t, approximate=p("approximate"))


def torch_values(case, x):
    """(f(x), f'(x)) from PyTorch's functional API and autograd, or None."""
    if torch is None:
        return None
    function = _torch_function(case, x.dtype)
    t = torch.tensor(x, requires_grad=True)
    try:
        y = function(t)
        y.backward(torch.ones_like(y))
    except RuntimeError:  # an operation without a float16 kernel on the CPU
        return None
    return y.detach().numpy(), t.grad.numpy()


# --- The measurement ----------------------------------------------------------


@functools.cache
def errors(case, dtype, library="actlib"):
    """{class: (value errors, slope errors)} for ``library``, or None."""
    result = {}
    for kind in CLASSES:
        x = points(dtype)[kind]
        got = actlib_values(case, x) if library == "actlib" else torch_values(case, x)
        if got is None:
            return None
        value, slope, scale = truth(case, dtype, kind)
        result[kind] = (
            ulp_error(got[0], value, None, dtype),
            ulp_error(got[1], slope, scale, dtype),
        )
    return result


def worst(case, dtype, library="actlib"):
    """{class: (max value error, max slope error)}, or None."""
    measured = errors(case, dtype, library)
    if measured is None:
        return None
    return {k: (float(v.max()), float(s.max())) for k, (v, s) in measured.items()}


def _cell(value):
    if value is None:
        return "–"
    if value == 0:
        return "0"
    if value < 10:
        return f"{value:.2f}"
    if value < 1e6:
        return f"{value:,.0f}"
    return f"{value:.1e}"


def table():
    """The Markdown table: max error in ulp, actlib / PyTorch, per dtype."""
    names = {np.float16: "float16", np.float32: "float32", np.float64: "float64"}
    header = "| activation | | " + " | ".join(names[d] for d in DTYPES) + " |"
    lines = [header, "|---|---|" + "---|" * len(DTYPES)]
    for case in CASES:
        for index, what in enumerate(("f", "f'")):
            cells = []
            for dtype in DTYPES:
                ours = worst(case, dtype)
                theirs = worst(case, dtype, "torch")
                a = max(v[index] for v in ours.values())
                t = None if theirs is None else max(v[index] for v in theirs.values())
                cells.append(f"{_cell(a)} / {_cell(t)}")
            lines.append(f"| {case.label} | {what} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    print("Max error in ulp (see benchmarks/accuracy.py), actlib / PyTorch")
    if torch is not None:
        print(f"PyTorch {torch.__version__}")
    print()
    print(table())


if __name__ == "__main__":
    main()
