r"""Activation functions, each with its derivative right beside it.

Every activation is a small class that reads like a textbook page: first
``reference`` and ``reference_grad``, the formulas for :math:`f(x)` and
:math:`f'(x)` as a student would write them in NumPy; then ``forward`` and
``derivative``, the fast kernels that a call runs, which give the same numbers
without overflowing, warning or cancelling far out in the tails. The shared
machinery (checking the input, keeping the dtype, working through a large
array in cache-sized blocks) lives once, in :class:`Activation`.

The module-level objects ``relu``, ``leaky_relu``, ... are ready-made instances
with their default parameters; :func:`get` makes one with other parameters::

    >>> import actlib
    >>> actlib.leaky_relu([-2.0, 3.0])
    array([-0.02,  3.  ])
    >>> actlib.get("leaky_relu", alpha=0.1).grad([-2.0, 0.0, 3.0])
    array([0.1, 0.1, 1. ])
"""

import math

import numpy as np
from scipy import special

from actlib import _validation

#: Elements per block. Large arrays are evaluated block by block, so that the
#: temporaries of a multi-step formula stay in the CPU cache instead of making
#: extra trips to main memory. An array this small is evaluated in one go.
BLOCK_SIZE = 2**16

#: The dtypes the kernels compute in: an array of one of them is used as it is.
_KERNEL_DTYPES = frozenset({np.dtype(np.float32), np.dtype(np.float64)})


class Activation:
    r"""An elementwise activation function :math:`f` and its derivative :math:`f'`.

    A subclass sets the class attributes below and then writes, in this order:

    1. ``reference(x, **params)`` and ``reference_grad(x, **params)``: the
       textbook formulas for :math:`f` and :math:`f'`, a line or two of plain
       NumPy each (``np.where(x > 0, x, alpha * x)``). They are the
       specification that a property test holds the fast kernels to, not
       what a call runs: far out in the tails they may overflow, warn, cancel
       or give NaN (``np.exp(-x)`` overflows for x < −709, and
       ``1 - np.tanh(x) ** 2`` is 0 long before :math:`\tanh'` is), which is
       what the fast kernels are written to avoid.
    2. The fast kernels ``forward(x, out, **params)`` and
       ``derivative(x, out, **params)``. Each receives a float32 or float64
       array ``x`` (the whole input, or a block of a large one), an array
       ``out`` of the same shape, and the parameters as keyword arguments. A
       kernel returns its result: ``out`` filled in, or a new array of the
       same shape. What it returns is what the caller uses, and anything else
       (``None``, a wrong shape) raises a ``TypeError`` that names the class,
       so a kernel can never hand back uninitialised memory.
    3. For each learnable parameter ``p``: the kernel
       ``p_derivative(x, out, **params)``, :math:`\partial f / \partial p`
       element by element, which :meth:`param_grad` calls, and its textbook
       form ``reference_p_grad(x, **params)``.

    Attributes
    ----------
    name : str
        The registry name, for :func:`get` (``"leaky_relu"``).
    label : str
        The name for people and plot titles (``"Leaky ReLU"``).
    formula, derivative_formula : str
        :math:`f(x)` and :math:`f'(x)` in LaTeX, without dollar signs.
    defaults : dict
        The parameters and their default values.
    kink : float or None
        Where :math:`f` has a corner (its derivative jumps), if anywhere.
    learnable : tuple of str
        The parameters a network can learn (PReLU's ``("alpha",)``), each
        with its kernel ``p_derivative`` (see above).
    params : dict
        The parameters bound to this instance, checked when they were bound.
    """

    name = ""
    label = ""
    formula = ""
    derivative_formula = ""
    defaults = {}
    kink = None
    learnable = ()

    def __init__(self, **params):
        self.params = self._check(dict(self.defaults), params)
        # An array (one value per channel) must be checked against each x.
        self._channels = any(isinstance(v, np.ndarray) for v in self.params.values())

    def __call__(self, x, **params):
        """Return :math:`f(x)` element by element.

        Parameters
        ----------
        x : array_like
            Real numbers of any shape. float16, float32 and float64 are kept;
            integers and booleans are computed in float64.
        **params
            Parameters for this call only, overriding the bound ones.

        Returns
        -------
        numpy.ndarray or numpy scalar
            An array of the same shape as ``x``; a NumPy scalar for a scalar.
        """
        return self._evaluate(self.forward, x, params)

    def grad(self, x, **params):
        """Return the derivative :math:`f'(x)` element by element.

        Takes the same arguments and returns the same shape and dtype as
        calling the activation. A derivative is never −0.
        """
        return self._evaluate(self.derivative, x, params, derivative=True)

    def param_grad(self, x, param, **params):
        """Return :math:`\\partial f / \\partial p` element by element.

        ``param`` names :math:`p`, one of :attr:`learnable`.

        Otherwise it takes the same arguments as calling the activation, and
        returns the same shape and dtype. It is never −0.
        """
        if param not in self.learnable:
            learns = ", ".join(map(repr, self.learnable)) or "no parameters"
            raise ValueError(
                f"{self.name}(): {param!r} is not a learnable parameter "
                f"(it learns: {learns})"
            )
        kernel = getattr(self, f"{param}_derivative")
        return self._evaluate(kernel, x, params, derivative=True)

    def he_gain(self):
        """The gain :math:`g` of He initialisation, :math:`\\sigma = g / \\sqrt n`.

        :math:`\\sigma` is the standard deviation of a layer's initial
        weights and :math:`n` its fan-in.

        :math:`\\sqrt 2` by default: ReLU passes on half of a symmetric
        input's second moment, and the gain makes up for it [1]_.

        References
        ----------
        .. [1] K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into
           rectifiers: surpassing human-level performance on ImageNet
           classification", ICCV 2015.
        """
        return math.sqrt(2)

    def with_params(self, **params):
        """Return the same activation with some parameters bound to new values."""
        return type(self)(**{**self.params, **params})

    def check_parameter(self, param, value):
        """Validate one parameter; by default it must be a finite real number."""
        return _validation.real_parameter(value, param, self.name)

    def __repr__(self):
        if not self.params:
            return self.label
        args = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.label}({args})"

    def _check(self, bound, params):
        for param, value in params.items():
            if param not in self.defaults:
                takes = ", ".join(self.defaults) or "no parameters"
                raise TypeError(
                    f"{self.name}() got an unexpected parameter {param!r} "
                    f"(it takes: {takes})"
                )
            bound[param] = self.check_parameter(param, value)
        return bound

    def _evaluate(self, kernel, x, params, derivative=False):
        if (
            not params
            and type(x) is np.ndarray
            and x.dtype in _KERNEL_DTYPES
            and 0 < x.ndim
            and x.size <= BLOCK_SIZE
            and not self._channels
        ):
            # The common case, at NumPy's own speed: a float32 or float64 array
            # of at most one block, and the bound parameters, which were
            # checked when they were bound. Nothing to convert, check or split.
            return self._run(kernel, x, np.empty_like(x), self.params)
        params = self._check(dict(self.params), params) if params else self.params
        x = _validation.real_array(x, self.name)
        # float16 is computed in float32 and rounded back, as PyTorch does on
        # the CPU. The input itself is never written to. A scalar is computed
        # as an array of one: NumPy makes a 0-d result a scalar, which a
        # kernel could not write into.
        work = x.astype(np.promote_types(x.dtype, np.float32), copy=False)
        work = work.reshape(x.shape or 1)
        if self._per_channel(params, work.shape) or work.size <= BLOCK_SIZE:
            # In one go: a small array, or a parameter with one value per
            # channel, which broadcasts over the whole array.
            out = self._run(kernel, work, np.empty_like(work), params)
        else:
            out = np.empty(work.shape, work.dtype)
            flat_x, flat_out = work.reshape(-1), out.reshape(-1)
            for start in range(0, flat_x.size, BLOCK_SIZE):
                block = slice(start, start + BLOCK_SIZE)
                self._run(kernel, flat_x[block], flat_out[block], params)
        if out.dtype != x.dtype:
            with np.errstate(over="ignore"):  # float16 results beyond 65504 are ±inf
                out = out.astype(x.dtype)
            if derivative:
                # The kernels never return −0, but a negative slope too small
                # for float16 (α = −1e-30, or swish' and gelu' far left)
                # rounds to −0.
                out[out == 0] = 0
        return out if x.ndim else out[0]

    def _per_channel(self, params, shape):
        """Whether a parameter is an array; each must broadcast to ``shape``."""
        arrays = False
        for param, value in params.items():
            if isinstance(value, np.ndarray):
                if _broadcast_shape(shape, value.shape) != shape:
                    raise ValueError(
                        f"{self.name}(): parameter {param!r} of shape "
                        f"{value.shape} does not broadcast against x of shape {shape}"
                    )
                arrays = True
        return arrays

    def _run(self, kernel, x, out, params):
        """Call one kernel, and return ``out`` holding what it returned."""
        result = kernel(x, out, **params)
        if result is out:  # what every kernel in actlib returns: nothing to check
            return out
        kind = type(self).__name__
        method = kernel.__name__
        if result is None:
            raise TypeError(
                f"{kind}.{method}() returned None: a kernel must return its "
                "result (the filled-in out, or a new array)"
            )
        result = np.asarray(result)
        if result.shape != out.shape:
            raise TypeError(
                f"{kind}.{method}() returned an array of shape {result.shape} "
                f"for input of shape {x.shape}: a kernel must keep the shape"
            )
        out[...] = result
        return out


# Building blocks shared by several activations.


def _broadcast_shape(*shapes):
    """The shape that ``shapes`` broadcast to, or None if they do not."""
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        return None


def _step(x, out):
    """The Heaviside step with :math:`H(0) = 0`: 1 where x > 0, else 0; NaN kept.

    This is ReLU's derivative, with PyTorch's convention at 0. (``np.heaviside``
    gives the same numbers, but is several times slower; ``np.where(x > 0, 1,
    0)`` sends NaN to 0.)
    """
    np.greater(x, 0, out=out)
    nan = np.isnan(x)
    if nan.any():
        out[nan] = np.nan
    return out


def _scale(c, x, out=None):
    """:math:`c\\,x`, where a zero factor gives +0 for every x but NaN.

    ``c`` is a number, or an array that broadcasts against ``x`` (one value
    per channel, or a gate). IEEE arithmetic makes :math:`0 \\cdot \\infty`
    NaN and :math:`0 \\cdot (-1)` −0, but a zero slope or a closed gate means
    0 here: with :math:`\\alpha = 0`, Leaky ReLU is ReLU exactly. A product
    too large for the dtype becomes ±inf without a warning: that is the
    correctly rounded value. ``out``, if given, receives the product, and may
    be ``x`` itself.
    """
    if isinstance(c, float):  # one number: the easy cases, decided in Python
        if c == 1 and out is None:
            return x  # no pass over x for the default β = 1
        if abs(c) <= 1 and x.dtype.type(c) != 0:  # (a tiny c may round to 0)
            return np.multiply(c, x, out=out)  # |c x| <= |x|: no overflow
    with np.errstate(over="ignore", invalid="ignore"):
        c = np.asarray(c, dtype=x.dtype)  # a tiny c may round to 0 here
        if np.count_nonzero(c) == c.size:  # no zero factor (NaN is not zero)
            return np.multiply(c, x, out=out)
        zero_times_number = (c == 0) & ~np.isnan(x)  # before out= may change x
        product = np.multiply(c, x, out=out)
    product[zero_times_number] = 0
    return product


def _slopes_in_unit_interval(alpha, dtype):
    """Whether every slope in ``alpha``, rounded to ``dtype``, lies in (0, 1]."""
    # (A tiny α may round to 0.)
    if isinstance(alpha, float):  # one slope: decided in Python, which is cheap
        return 0 < alpha <= 1 and dtype.type(alpha) > 0
    in_range = bool(np.all((0 < alpha) & (alpha <= 1)))
    return in_range and bool(np.all(alpha.astype(dtype) > 0))


def _sigmoid(z, out=None):
    """The logistic sigmoid :math:`\\sigma(z) = 1 / (1 + e^{-z})`, without overflow.

    With :math:`e = e^{-|z|}`, which lies in :math:`(0, 1]` and so cannot
    overflow, :math:`\\sigma(z) = 1 / (1 + e)` for :math:`z \\ge 0` and
    :math:`e / (1 + e)` for :math:`z < 0`. (``scipy.special.expit`` gives the
    same numbers, about 1.5 times slower.)
    """
    e = np.exp(-np.abs(z))
    # The numerator: 1 where z > 0 and e elsewhere (at z = 0, e is 1 too).
    # Since e <= 1, that is the larger of e and the step z > 0, NaN kept;
    # with np.where(z > 0, 1, e) the sigmoid takes 1.7 times as long.
    numerator = np.maximum(e, z > 0)
    e += 1
    return np.divide(numerator, e, out=out)


def _sigmoid_slope(z, out=None):
    """The sigmoid's slope, :math:`\\sigma'(z) = \\sigma(z)\\,\\sigma(-z)`.

    Computed as :math:`e / (1 + e)^2` with the same :math:`e = e^{-|z|}` as in
    :func:`_sigmoid`. :math:`e \\in (0, 1]`: no overflow, and no
    subtraction to cancel, so full precision in both tails.
    """
    e = np.exp(-np.abs(z))
    denominator = np.add(e, 1)
    np.square(denominator, out=denominator)
    return np.divide(e, denominator, out=out)


def _wide(x):
    """``x`` in float64, for a formula that loses digits when computed in float32.

    A float32 result computed in float64 and rounded once (when it is written
    to the float32 output) is within about half an ulp of the truth. Used
    where float32 arithmetic is not enough: where a rounded argument is
    magnified by an exponential (:math:`e^{\\beta x}`, the tails of
    :math:`\\Phi`), or where an intermediate result underflows before the
    final one does (the gate of :math:`x\\,\\sigma(x)` far left).
    """
    return x.astype(np.float64, copy=False)


# Double-float arithmetic, for float64 results far left. There an exponential
# magnifies the rounding of its argument z: an error of 2**-53 |z| in z is a
# relative error of |z| / 2 ulp in e^z (350 ulp at z = -700). Carrying z as an
# unevaluated sum z + dz of two float64 numbers, with e^(z + dz) = e^z (1 + dz),
# removes it.

#: Where βx lies in this range, softplus and swish compute a float64 result in
#: double-float: above -8 the rounding of βx costs at most 4 ulp, and below
#: -1000 e^βx underflows even when shifted, as it should.
_FAR_LEFT = (-1000.0, -8.0)
#: Below this, e^z is computed as e^(z + 64) e^-64, so that it stays a normal
#: number until the last product (z + 64 is exact for -1024 < z < -700).
_DEEP, _SHIFT, _E_SHIFT = -700.0, 64.0, math.exp(-64.0)
#: A float64's sign, exponent and first 25 stored bits (26 with the hidden one).
_HIGH_BITS = np.uint64(0xFFFF_FFFF_F800_0000)


def _two_product(a, b):
    """``a*b`` as ``(p, e)``: ``p`` the rounded product, ``p + e`` equal to ``a*b``.

    Dekker's algorithm: each factor is split into a high part of 26 bits and
    a low part of 27, whose products are exact in float64 but the last; so
    ``p + e`` is ``a*b`` to about 100 bits, far more than any use here needs.
    """
    p = a * b
    a_hi, a_lo = _halves(a)
    b_hi, b_lo = _halves(b)
    return p, ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo


def _halves(v):
    """``v`` as hi + lo, exactly: ``hi`` is ``v`` with its last 27 bits cleared."""
    hi = (np.asarray(v, np.float64).view(np.uint64) & _HIGH_BITS).view(np.float64)
    return hi, v - hi


def _two_sum(a, b):
    """``a+b`` as ``(s, e)``: ``s`` the rounded sum, ``s + e`` exactly ``a+b``.

    Knuth's algorithm, for any two finite numbers.
    """
    s = a + b
    b_part = s - a
    return s, (a - (s - b_part)) + (b - b_part)


def _exp_double(z, dz):
    """:math:`e^{z + dz}` for ``z < 0``, as ``(e, scale)`` with the value ``e * scale``.

    :math:`e^{z + dz} = e^z (1 + dz)` to float64 precision, since ``dz`` is a
    rounding error of ``z``. Where :math:`e^z` would be subnormal, ``e`` is
    :math:`e^{z + 64}` and ``scale`` is :math:`e^{-64}`: the caller multiplies
    by ``scale`` last, so that a product such as :math:`x e^z` is rounded once.
    """
    deep = z < _DEEP
    e = np.exp(np.where(deep, z + _SHIFT, z))
    e += e * dz
    return e, np.where(deep, _E_SHIFT, 1.0)


def _exp_of_product(c, x):
    """:math:`e^{c x}` for ``c x < 0``, with ``c x`` in double-float: (e, scale)."""
    z, dz = (x, 0.0) if c == 1 else _two_product(c, x)  # (1 x is exact)
    return _exp_double(z, dz)


def _far_left(z, out, bounds=_FAR_LEFT):
    """Where a float64 ``out`` needs double-float (``z`` within bounds), or None."""
    if out.dtype != np.float64:  # float32's ulp is far larger than these errors
        return None
    left = (bounds[0] < z) & (z < bounds[1])
    return left if left.any() else None


class ReLU(Activation):
    r"""Rectified linear unit.

    .. math::

        \operatorname{relu}(x) = \max(0, x), \qquad
        \operatorname{relu}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like
        Real numbers of any shape.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``.

    Notes
    -----
    ReLU has a corner at 0, where it has no derivative. Any number in
    :math:`[0, 1]` is a subgradient there; we use 0, as PyTorch's autograd does.

    References
    ----------
    .. [1] V. Nair and G. E. Hinton, "Rectified linear units improve restricted
       Boltzmann machines", ICML 2010.
    .. [2] X. Glorot, A. Bordes and Y. Bengio, "Deep sparse rectifier neural
       networks", AISTATS 2011.

    Examples
    --------
    >>> from actlib import relu
    >>> relu([-2.0, 0.0, 3.0])
    array([0., 0., 3.])
    >>> relu.grad([-2.0, 0.0, 3.0])
    array([0., 0., 1.])
    """

    name = "relu"
    label = "ReLU"
    formula = r"\max(0, x)"
    derivative_formula = r"\begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}"
    kink = 0.0

    def reference(self, x):
        return np.maximum(x, 0)

    def reference_grad(self, x):
        return np.where(x > 0, 1.0, 0.0)

    def forward(self, x, out):
        return np.maximum(x, 0.0, out=out)  # 0.0, not 0: no int to convert

    def derivative(self, x, out):
        return _step(x, out)  # as reference_grad, but NaN stays NaN


class LeakyReLU(Activation):
    r"""Leaky rectified linear unit.

    .. math::

        f(x) = \begin{cases} x & x > 0 \\ \alpha x & x \le 0 \end{cases}
             = \max(0, x) + \alpha \min(0, x), \qquad
        f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like
        Real numbers of any shape.
    alpha : float, default 0.01
        The slope for negative input.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``.

    Notes
    -----
    At 0 the derivative is taken to be :math:`\alpha`, as in PyTorch's
    autograd. With :math:`\alpha = 0` this is ReLU; for
    :math:`0 \le \alpha \le 1` it equals :math:`\max(x, \alpha x)`.

    References
    ----------
    .. [1] A. L. Maas, A. Y. Hannun and A. Y. Ng, "Rectifier nonlinearities
       improve neural network acoustic models", ICML Workshop on Deep
       Learning for Audio, Speech and Language Processing, 2013.

    Examples
    --------
    >>> from actlib import leaky_relu
    >>> leaky_relu([-2.0, 0.0, 3.0], alpha=0.1)
    array([-0.2,  0. ,  3. ])
    >>> leaky_relu.grad([-2.0, 0.0, 3.0], alpha=0.1)
    array([0.1, 0.1, 1. ])
    """

    name = "leaky_relu"
    label = "Leaky ReLU"
    formula = r"\max(0, x) + \alpha\,\min(0, x)"
    derivative_formula = r"\begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}"
    defaults = {"alpha": 0.01}
    kink = 0.0

    def reference(self, x, alpha):
        return np.where(x > 0, x, alpha * x)

    def reference_grad(self, x, alpha):
        return np.where(x > 0, 1.0, alpha)

    def forward(self, x, out, alpha):
        # For α ≤ 1 the branch np.where picks is the larger of x and αx, and
        # for α > 1 the smaller: one comparison instead of a mask, a choice
        # and a temporary, about seven times faster on 10**7 numbers.
        pick = np.maximum if alpha <= 1 else np.minimum
        return pick(x, _scale(alpha, x, out=out), out=out)

    def derivative(self, x, out, alpha):
        if _slopes_in_unit_interval(alpha, x.dtype):
            # ceil(x) is at least 1 for every x > 0 and at most 0 for every
            # x ≤ 0, and NaN stays NaN (np.where sends it to α): clipped to
            # [α, 1] it is exactly 1 or α. Two quick passes over x, about five
            # times faster than np.where on 10**7 numbers. (Not for α = 0:
            # ceil(-0.5) is −0, and clipping keeps the sign.)
            np.ceil(x, out=out)
            return np.clip(out, alpha, 1, out=out)
        # Any other slope: H(x)·1 + (1 − H(x))·α, exactly 1 for x > 0 and α
        # for x ≤ 0.
        step = _step(x, out)
        negative_side = 1 - step
        negative_side *= alpha
        return np.add(step, negative_side, out=out)

    def he_gain(self):
        """He's gain for this slope, :math:`\\sqrt{2 / (1 + \\alpha^2)}`.

        The unit passes on :math:`(1 + \\alpha^2)/2` of a symmetric input's
        second moment, not ReLU's half.
        """
        alpha = self.params["alpha"]
        if np.ndim(alpha) != 0:
            raise ValueError(
                f"{self.name}(): He's gain needs one slope, got alpha of shape "
                f"{np.shape(alpha)}"
            )
        return math.sqrt(2 / (1 + float(alpha) ** 2))


class PReLU(LeakyReLU):
    r"""Parametric ReLU: Leaky ReLU whose slope :math:`\alpha` is learned.

    .. math::

        f(x) = \max(0, x) + \alpha \min(0, x), \qquad
        f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like
        Real numbers of any shape.
    alpha : float or array_like, default 0.25
        The slope for negative input: one number, or an array that broadcasts
        against ``x``, such as one slope per channel on the last axis.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``.

    Notes
    -----
    The function is Leaky ReLU's; what differs is that a network trains
    :math:`\alpha` (its gradient is :math:`\partial f / \partial \alpha =
    \min(0, x)`). At 0 the derivative is :math:`\alpha`, as in PyTorch.

    References
    ----------
    .. [1] K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into rectifiers:
       surpassing human-level performance on ImageNet classification",
       ICCV 2015.

    Examples
    --------
    >>> from actlib import prelu
    >>> prelu([[-1.0, -1.0], [2.0, 2.0]], alpha=[0.1, 0.5])
    array([[-0.1, -0.5],
           [ 2. ,  2. ]])
    """

    name = "prelu"
    label = "PReLU"
    defaults = {"alpha": 0.25}
    learnable = ("alpha",)

    def check_parameter(self, param, value):
        return _validation.real_parameter_array(value, param, self.name)

    # reference and reference_grad are Leaky ReLU's: np.where broadcasts an
    # array of slopes as it does one slope.

    def reference_alpha_grad(self, x, alpha):
        return np.minimum(x, 0)

    def forward(self, x, out, alpha):
        if isinstance(alpha, float):
            return super().forward(x, out, alpha)
        # The slopes may differ from channel to channel, so no single max or
        # min picks the branch: add the two parts instead.
        np.maximum(x, 0, out=out)
        return np.add(out, _scale(alpha, np.minimum(x, 0)), out=out)

    def alpha_derivative(self, x, out, alpha):
        r"""The slope's gradient, :math:`\partial f / \partial \alpha = \min(0, x)`."""
        return np.minimum(x, 0, out=out)  # +0, not −0, at x = −0


class ELU(Activation):
    r"""Exponential linear unit.

    .. math::

        f(x) = \begin{cases} x & x > 0 \\ \alpha (e^x - 1) & x \le 0 \end{cases},
        \qquad
        f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^x & x \le 0 \end{cases}

    Parameters
    ----------
    x : array_like
        Real numbers of any shape.
    alpha : float, default 1.0
        The value :math:`-\alpha` that ELU approaches as :math:`x \to -\infty`.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``.

    Notes
    -----
    We compute :math:`\max(0, x) + \alpha\,\mathrm{expm1}(\min(0, x))`: the
    exponential only ever sees non-positive numbers, so it cannot overflow,
    and ``expm1`` keeps full precision near 0. ELU is continuous at 0; unless
    :math:`\alpha = 1` its derivative jumps there, and we take
    :math:`f'(0) = \alpha`, as PyTorch does.

    References
    ----------
    .. [1] D.-A. Clevert, T. Unterthiner and S. Hochreiter, "Fast and accurate
       deep network learning by exponential linear units (ELUs)", ICLR 2016,
       arXiv:1511.07289.

    Examples
    --------
    >>> from actlib import elu
    >>> elu([-50.0, 0.0, 2.0])
    array([-1.,  0.,  2.])
    >>> elu.grad([0.0])
    array([1.])
    """

    name = "elu"
    label = "ELU"
    formula = r"\begin{cases} x & x > 0 \\ \alpha (e^x - 1) & x \le 0 \end{cases}"
    derivative_formula = r"\begin{cases} 1 & x > 0 \\ \alpha e^x & x \le 0 \end{cases}"
    defaults = {"alpha": 1.0}

    @property
    def kink(self):
        return None if self.params["alpha"] == 1 else 0.0

    def reference(self, x, alpha):
        return np.where(x > 0, x, alpha * (np.exp(x) - 1))

    def reference_grad(self, x, alpha):
        return np.where(x > 0, 1.0, alpha * np.exp(x))

    def forward(self, x, out, alpha):
        # max(0, x) + α(e^min(x, 0) − 1): the exponential sees no positive x,
        # where it overflows (np.where evaluates both branches), and expm1
        # keeps the digits that e^x − 1 cancels near 0.
        negative_part = np.expm1(np.minimum(x, 0))  # in [-1, 0]
        negative_part *= alpha
        np.maximum(x, 0, out=out)
        return np.add(out, negative_part, out=out)

    def derivative(self, x, out, alpha):
        # e^min(x, 0) is e^x for x ≤ 0 and exactly 1 for x > 0, without
        # overflow: for α = 1 that is f'(x), NaN included.
        np.exp(np.minimum(x, 0), out=out)
        if alpha == 1:
            return out
        # Otherwise H(x)·1 + (1 − H(x))·αe^min(x, 0): exactly 1 for x > 0,
        # and +0, not −0, for α < 0 at −inf. (NaN: e^NaN carries it.)
        step = np.greater(x, 0, out=np.empty_like(x))
        out *= alpha
        out *= 1 - step
        return np.add(out, step, out=out)


class SELU(ELU):
    r"""Scaled exponential linear unit.

    .. math::

        f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^x - 1) & x \le 0
        \end{cases}, \qquad
        f'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha e^x & x \le 0
        \end{cases}

    with :math:`\alpha \approx 1.6733` and :math:`\lambda \approx 1.0507`.

    Parameters
    ----------
    x : array_like
        Real numbers of any shape. SELU has no free parameters.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``.

    Notes
    -----
    The constants are those that make zero mean and unit variance a fixed
    point of a layer with LeCun-initialised weights; we use PyTorch's values.
    At 0 the derivative is :math:`\lambda\alpha`, as in PyTorch.

    References
    ----------
    .. [1] G. Klambauer, T. Unterthiner, A. Mayr and S. Hochreiter,
       "Self-normalizing neural networks", NeurIPS 2017, arXiv:1706.02515.

    Examples
    --------
    >>> from actlib import selu
    >>> selu([0.0, 1.0])
    array([0.        , 1.05070099])
    """

    name = "selu"
    label = "SELU"
    formula = (
        r"\lambda \begin{cases} x & x > 0 \\ \alpha (e^x - 1) & x \le 0 \end{cases}"
    )
    derivative_formula = (
        r"\lambda \begin{cases} 1 & x > 0 \\ \alpha e^x & x \le 0 \end{cases}"
    )
    defaults = {}
    kink = 0.0
    ALPHA = 1.6732632423543772848170429916717
    SCALE = 1.0507009873554804934193349852946

    def reference(self, x):
        return self.SCALE * super().reference(x, alpha=self.ALPHA)

    def reference_grad(self, x):
        return self.SCALE * super().reference_grad(x, alpha=self.ALPHA)

    def forward(self, x, out):
        return _scale(self.SCALE, super().forward(x, out, alpha=self.ALPHA), out=out)

    def derivative(self, x, out):
        return _scale(self.SCALE, super().derivative(x, out, alpha=self.ALPHA), out=out)


class Sigmoid(Activation):
    r"""Logistic sigmoid.

    .. math::

        \sigma(x) = \frac{1}{1 + e^{-x}}, \qquad
        \sigma'(x) = \sigma(x)\,\sigma(-x) = \sigma(x)\,(1 - \sigma(x))

    Parameters
    ----------
    x : array_like
        Real numbers of any shape.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``, with values in :math:`[0, 1]`.

    Notes
    -----
    Smooth everywhere; :math:`\sigma'(0) = 1/4` is its largest slope, which is
    why deep sigmoid networks lose their gradients. We compute
    :math:`\sigma'(x) = \sigma(x)\sigma(-x)` as :math:`e / (1 + e)^2` with
    :math:`e = e^{-|x|}`, which keeps full precision in both tails.

    References
    ----------
    .. [1] X. Glorot and Y. Bengio, "Understanding the difficulty of training
       deep feedforward neural networks", AISTATS 2010.

    Examples
    --------
    >>> from actlib import sigmoid
    >>> sigmoid([-1000.0, 0.0, 1000.0])
    array([0. , 0.5, 1. ])
    >>> sigmoid.grad([0.0])
    array([0.25])
    """

    name = "sigmoid"
    label = "Sigmoid"
    formula = r"\frac{1}{1 + e^{-x}}"
    derivative_formula = r"\sigma(x)\,(1 - \sigma(x))"

    def reference(self, x):
        return 1 / (1 + np.exp(-x))

    def reference_grad(self, x):
        return self.reference(x) * (1 - self.reference(x))

    def forward(self, x, out):
        return _sigmoid(x, out)  # where e^(-x) would overflow, for x < -709

    def derivative(self, x, out):
        # e^(-|x|) / (1 + e^(-|x|))²: 1 - σ cancels for x > 0. In float64:
        # float32's four roundings cost up to 4 ulp.
        return _sigmoid_slope(_wide(x), out)


class Tanh(Activation):
    r"""Hyperbolic tangent.

    .. math::

        \tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}, \qquad
        \tanh'(x) = 1 - \tanh^2(x)

    Parameters
    ----------
    x : array_like
        Real numbers of any shape.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``, with values in :math:`[-1, 1]`.

    Notes
    -----
    Smooth and zero-centred, with :math:`\tanh'(0) = 1`; it saturates at
    :math:`\pm 1` for large :math:`|x|`. We compute :math:`\tanh'(x)` not as
    :math:`1 - \tanh^2(x)`, which cancels in the tails (14 times too large at
    :math:`x = -10` in float32), but as :math:`1 / \cosh^2 x`, computed in
    float64.

    References
    ----------
    .. [1] Y. LeCun, L. Bottou, G. B. Orr and K.-R. Müller, "Efficient
       BackProp", in Neural Networks: Tricks of the Trade, Springer, 1998.

    Examples
    --------
    >>> from actlib import tanh
    >>> tanh.grad([0.0])
    array([1.])
    """

    name = "tanh"
    label = "Tanh"
    formula = r"\tanh(x)"
    derivative_formula = r"1 - \tanh^2(x)"

    def reference(self, x):
        return np.tanh(x)

    def reference_grad(self, x):
        return 1 - np.tanh(x) ** 2

    def forward(self, x, out):
        return np.tanh(x, out=out)

    def derivative(self, x, out):
        # 1 - tanh²(x) = (1 / cosh x)²: 1 - tanh² cancels once tanh(x) is
        # near ±1. Beyond |x| = 710 cosh overflows to inf, and 1/inf = 0 is
        # the slope there (it underflows beyond |x| = 373): the overflow is
        # right, and silenced.
        with np.errstate(over="ignore"):
            cosh = np.cosh(_wide(x))
        return np.square(np.divide(1, cosh, out=cosh), out=out)


class Softplus(Activation):
    r"""Softplus, a smooth ReLU.

    .. math::

        f(x) = \frac{1}{\beta} \log\left(1 + e^{\beta x}\right), \qquad
        f'(x) = \sigma(\beta x)

    Parameters
    ----------
    x : array_like
        Real numbers of any shape.
    beta : float, default 1.0
        Sharpness, greater than 0; as :math:`\beta \to \infty` softplus
        approaches ReLU.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``, with values > 0 (far left they
        underflow to 0 in floating point).

    Notes
    -----
    We compute :math:`\max(0, x) + \log(1 + e^{-|\beta x|})/\beta`, which never
    overflows. This is exact everywhere; PyTorch instead returns :math:`x`
    once :math:`\beta x > 20`, which differs by about :math:`10^{-9}` relative.
    float32 input is computed in float64 and rounded once, because the
    rounding of :math:`\beta x` is magnified by :math:`|\beta x|` in
    :math:`e^{-|\beta x|}`.
    For float64 input, where :math:`\beta x < -8`, :math:`\beta x` is
    carried in double-float for the same reason (within 8 ulp of the truth).

    References
    ----------
    .. [1] C. Dugas, Y. Bengio, F. Bélisle, C. Nadeau and R. Garcia,
       "Incorporating second-order functional knowledge for better option
       pricing", NIPS 2000.

    Examples
    --------
    >>> from actlib import softplus
    >>> softplus([0.0])
    array([0.69314718])
    >>> softplus.grad([0.0])
    array([0.5])
    """

    name = "softplus"
    label = "Softplus"
    formula = r"\frac{1}{\beta}\log(1 + e^{\beta x})"
    derivative_formula = r"\sigma(\beta x)"
    defaults = {"beta": 1.0}

    def check_parameter(self, param, value):
        return _validation.positive_parameter(value, param, self.name)

    def reference(self, x, beta):
        return np.log(1 + np.exp(beta * x)) / beta

    def reference_grad(self, x, beta):
        return 1 / (1 + np.exp(-beta * x))

    def forward(self, x, out, beta):
        # max(0, x) + log(1 + e^(-|βx|)) / β: the exponential sees no positive
        # number, where it overflows, and log1p keeps the digits that
        # log(1 + e^βx) loses for βx < 0. In float64: float32's rounding of βx
        # is magnified by |βx| in e^(-|βx|).
        x = _wide(x)
        beta_x = _scale(beta, x)
        tail = np.log1p(np.exp(-np.abs(beta_x)))
        out = np.add(np.maximum(x, 0.0), _scale(1 / beta, tail), out=out)
        left = None if beta == 1 else _far_left(beta_x, out)  # (1 x is exact)
        if left is not None:  # float64 far left: log(1 + e^βx) / β, e^βx exact
            e, scale = _exp_of_product(beta, x[left])
            out[left] = np.log1p(e) / beta * scale
        return out

    def derivative(self, x, out, beta):
        x = _wide(x)
        beta_x = _scale(beta, x)
        out = _sigmoid(beta_x, out)  # σ(βx), as the sigmoid
        left = None if beta == 1 else _far_left(beta_x, out)  # (1 x is exact)
        if left is not None:  # float64 far left: σ(βx) = e^βx / (1 + e^βx)
            e, scale = _exp_of_product(beta, x[left])
            out[left] = e / (1 + e) * scale
        return out


class Swish(Activation):
    r"""Swish, :math:`x` times a sigmoid gate (SiLU when :math:`\beta = 1`).

    .. math::

        f(x) = x\,\sigma(\beta x), \qquad
        f'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\,\sigma(-\beta x)

    Parameters
    ----------
    x : array_like
        Real numbers of any shape.
    beta : float, default 1.0
        Gate sharpness. :math:`\beta = 0` gives :math:`x/2`; as
        :math:`\beta \to \infty` Swish approaches ReLU.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``.

    Notes
    -----
    Smooth everywhere, with :math:`f'(0) = 1/2`. Not monotonic: it dips to
    about :math:`-0.278/\beta` near :math:`x \approx -1.28/\beta`. At
    :math:`-\infty` both the value and the derivative are 0. float32 input is
    computed in float64 and rounded once: in float32 the gate underflows
    before :math:`x\,\sigma(\beta x)` does, and the rounding of
    :math:`\beta x` is magnified by :math:`|\beta x|` in :math:`e^{\beta x}`.
    For float64 input, where :math:`\beta x < -8`, :math:`\beta x` is
    carried in double-float, and below :math:`-700` the gate is shifted so
    that it does not underflow first (within 8 ulp of the truth).

    References
    ----------
    .. [1] P. Ramachandran, B. Zoph and Q. V. Le, "Searching for activation
       functions", arXiv:1710.05941, 2017.
    .. [2] S. Elfwing, E. Uchibe and K. Doya, "Sigmoid-weighted linear units
       for neural network function approximation in reinforcement learning",
       Neural Networks 107, 2018.

    Examples
    --------
    >>> from actlib import swish
    >>> swish([-np.inf, 0.0, 1.0])
    array([0.        , 0.        , 0.73105858])
    >>> swish.grad([-np.inf, 0.0])
    array([0. , 0.5])
    """

    name = "swish"
    label = "Swish"
    formula = r"x\,\sigma(\beta x)"
    derivative_formula = r"\sigma(\beta x) + \beta x\,\sigma(\beta x)\,\sigma(-\beta x)"
    defaults = {"beta": 1.0}

    def reference(self, x, beta):
        return x / (1 + np.exp(-beta * x))

    def reference_grad(self, x, beta):
        sigmoid = 1 / (1 + np.exp(-beta * x))
        return sigmoid + beta * x * sigmoid * (1 - sigmoid)

    def forward(self, x, out, beta):
        # x σ(βx), with the sigmoid that cannot overflow, and a closed gate
        # giving 0 even at x = −inf (where x/(1 + e^(-βx)) is −inf/inf). In
        # float64: the gate underflows in float32 before x times it does.
        x = _wide(x)
        beta_x = _scale(beta, x)
        out = _scale(_sigmoid(beta_x), x, out=out)
        left = _far_left(beta_x, out, self._far_left_bounds(beta))
        if left is not None:  # float64 far left: x e^βx / (1 + e^βx), e^βx exact
            e, scale = _exp_of_product(beta, x[left])
            out[left] = x[left] * (e / (1 + e)) * scale + 0.0  # (+0, never -0)
        return out

    def derivative(self, x, out, beta):
        # σ(βx) + x βσ'(βx), with σ'(βx) computed without 1 − σ, which cancels.
        x = _wide(x)
        beta_x = _scale(beta, x)
        gate_slope = _scale(beta, _sigmoid_slope(beta_x))
        out = np.add(_sigmoid(beta_x), _scale(gate_slope, x), out=out)
        left = _far_left(beta_x, out, self._far_left_bounds(beta))
        if left is not None:  # float64 far left: σ(βx) (1 + βx σ(−βx)), e^βx exact
            e, scale = _exp_of_product(beta, x[left])
            out[left] = e / (1 + e) * (1 + beta_x[left] / (1 + e)) * scale + 0.0
        return out

    def _far_left_bounds(self, beta):
        """Where βx needs double-float: with β = 1, βx is exact, and only the
        gate's underflow (below -700) is to be avoided."""
        return (_FAR_LEFT[0], _DEEP) if beta == 1 else _FAR_LEFT


class GELU(Activation):
    r"""Gaussian error linear unit, :math:`x` times the normal CDF.

    .. math::

        f(x) = x\,\Phi(x), \qquad f'(x) = \Phi(x) + x\,\varphi(x)

    where :math:`\Phi` and :math:`\varphi` are the standard normal CDF and
    density. The ``"tanh"`` approximation replaces :math:`\Phi(x)` by
    :math:`\tfrac12\bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,(x + 0.044715\,x^3)
    \bigr)\bigr)`.

    Parameters
    ----------
    x : array_like
        Real numbers of any shape.
    approximate : {"none", "tanh"}, default "none"
        ``"none"`` for the exact form, ``"tanh"`` for the approximation.

    Returns
    -------
    numpy.ndarray
        Same shape and floating dtype as ``x``.

    Notes
    -----
    Smooth everywhere, with :math:`f'(0) = 1/2`. The Gaussian density and the
    cube in the approximation are computed on :math:`x` clipped to
    :math:`[-40, 40]`, where both gates are already saturated, so huge
    inputs cannot overflow. The tanh form's gate is computed as
    :math:`\tfrac12(1 + \tanh u) = \sigma(2u)`, and its slope from
    :math:`\sigma'(2u)`, because :math:`1 + \tanh u` and :math:`1 - \tanh^2 u`
    cancel for large :math:`|u|`. float32 input is computed in float64 and
    rounded once: in float32, :math:`\Phi` fails deep in the left tail, and
    the rounding of :math:`u` is magnified by :math:`|2u|` in :math:`e^{2u}`.
    float64 input far left is computed in double-float for the same reasons:
    :math:`\Phi(x)` as :math:`\tfrac12\,\mathrm{erfcx}(-x/\sqrt2)\,
    e^{-x^2/2}` with :math:`x^2` exact, and :math:`2u` carried as two numbers
    (within 8 ulp of the truth).

    References
    ----------
    .. [1] D. Hendrycks and K. Gimpel, "Gaussian error linear units (GELUs)",
       arXiv:1606.08415, 2016.

    Examples
    --------
    >>> from actlib import gelu
    >>> gelu([-1.0, 0.0, 1.0])
    array([-0.15865525,  0.        ,  0.84134475])
    >>> gelu([1.0], approximate="tanh")
    array([0.84119199])
    """

    name = "gelu"
    label = "GELU"
    formula = r"x\,\Phi(x)"
    derivative_formula = r"\Phi(x) + x\,\varphi(x)"
    defaults = {"approximate": "none"}
    SATURATED = 40.0
    TANH_COEFFICIENT = 0.044715

    def check_parameter(self, param, value):
        return _validation.choice_parameter(value, param, self.name, ("none", "tanh"))

    def reference(self, x, approximate):
        if approximate == "tanh":
            u = math.sqrt(2 / math.pi) * (x + self.TANH_COEFFICIENT * x**3)
            return 0.5 * x * (1 + np.tanh(u))
        return 0.5 * x * (1 + special.erf(x / math.sqrt(2)))

    def reference_grad(self, x, approximate):
        if approximate == "tanh":
            u = math.sqrt(2 / math.pi) * (x + self.TANH_COEFFICIENT * x**3)
            du = math.sqrt(2 / math.pi) * (1 + 3 * self.TANH_COEFFICIENT * x**2)
            return 0.5 * (1 + np.tanh(u)) + 0.5 * x * (1 - np.tanh(u) ** 2) * du
        phi = np.exp(-(x**2) / 2) / math.sqrt(2 * math.pi)
        return 0.5 * (1 + special.erf(x / math.sqrt(2))) + x * phi

    def forward(self, x, out, approximate):
        # x times the gate, which (unlike 1 + erf and 1 + tanh) does not cancel
        # for x < 0. In float64: float32's Φ and rounded tanh argument fail in
        # the tail.
        x = _wide(x)
        out = _scale(self._gate(x, approximate), x, out=out)
        left = self._far_left(x, out, approximate)
        if left is not None:  # float64 far left: x times the gate in double-float
            gate, _, scale = self._left_gate(x[left], approximate)
            out[left] = x[left] * gate * scale + 0.0  # (+0, never -0)
        return out

    def derivative(self, x, out, approximate):
        # The gate plus x times the gate's slope.
        x = _wide(x)
        gate_slope = self._gate_slope(x, approximate)
        out = np.add(self._gate(x, approximate), _scale(gate_slope, x), out=out)
        left = self._far_left(x, out, approximate)
        if left is not None:  # float64 far left: the same sum in double-float
            gate, slope, scale = self._left_gate(x[left], approximate)
            out[left] = (gate + x[left] * slope) * scale + 0.0
        return out

    def _gate(self, x, approximate):
        """The gate: :math:`\\Phi(x)`, or its tanh approximation."""
        if approximate == "none":
            return special.ndtr(x)
        # ½(1 + tanh u) = σ(2u): 1 + tanh u cancels for u < 0.
        return _sigmoid(2 * self._tanh_argument(x))

    def _gate_slope(self, x, approximate):
        """The gate's derivative: :math:`\\varphi(x)`, or the approximation's."""
        x = np.clip(x, -self.SATURATED, self.SATURATED)
        if approximate == "none":
            return np.exp(-0.5 * x**2) / math.sqrt(2 * math.pi)
        # d/dx σ(2u) = 2σ'(2u)·u': the slope of ½(1 + tanh u) without 1 - tanh²u.
        sigmoid_slope = _sigmoid_slope(2 * self._tanh_argument(x))
        argument_slope = math.sqrt(2 / math.pi) * (1 + 3 * self.TANH_COEFFICIENT * x**2)
        return 2 * sigmoid_slope * argument_slope

    def _far_left(self, x, out, approximate):
        """Where a float64 result needs double-float, or None: see _far_left."""
        # Below -2 the exponent's rounding (of -x²/2, or 2u) is magnified past
        # a few ulp; below -44.7 (or -27.5) the gate is 0 even when shifted.
        lowest = -44.7 if approximate == "none" else -27.5
        return _far_left(x, out, bounds=(lowest, -2.0))

    def _left_gate(self, x, approximate):
        """The gate and its slope far left, to float64 precision: (gate, slope, scale).

        Each is the value times ``scale`` (see :func:`_exp_double`).
        """
        if approximate == "none":
            # Φ(x) = ½ erfcx(−x/√2) e^(−x²/2), with −x²/2 in double-float: ndtr
            # rounds −x/√2, and that error is magnified by x² in e^(−x²/2).
            e, scale = _exp_double(*_two_product(-0.5 * x, x))
            gate = 0.5 * special.erfcx(-x / math.sqrt(2)) * e
            return gate, e / math.sqrt(2 * math.pi), scale
        # σ(2u) = e^2u / (1 + e^2u), and its slope 2σ'(2u)u', with 2u in double-float.
        e, scale = _exp_double(*self._tanh_argument_double(x))
        argument_slope = _TWO_C1[0] * (1 + 3 * self.TANH_COEFFICIENT * x * x)
        gate = e / (1 + e)
        return gate, gate / (1 + e) * argument_slope, scale

    def _tanh_argument_double(self, x):
        """2u = 2√(2/π) (x + 0.044715 x³) in double-float: (w, dw), w + dw = 2u."""
        square, square_error = _two_product(x, x)
        cube, cube_error = _two_product(square, x)
        cube_error += square_error * x
        a, a_error = _two_product(_TWO_C3[0], cube)
        a_error += _TWO_C3[0] * cube_error + _TWO_C3[1] * cube
        b, b_error = _two_product(_TWO_C1[0], x)
        b_error += _TWO_C1[1] * x
        w, w_error = _two_sum(a, b)
        return w, w_error + a_error + b_error

    def _tanh_argument(self, x):
        """:math:`\\sqrt{2/\\pi}\\,(x + 0.044715\\,x^3)`, for x clipped to +-40.

        (The tanh is already saturated there, and the cube cannot overflow.)
        """
        x = np.clip(x, -self.SATURATED, self.SATURATED)
        return math.sqrt(2 / math.pi) * (x + self.TANH_COEFFICIENT * x * x * x)


#: 2√(2/π) and 2√(2/π)·0.044715 as double-float pairs (hi, lo), hi + lo to 106 bits.
_TWO_C1 = (1.5957691216057308, -9.96930880911092e-17)
_TWO_C3 = (0.07135481627260025, -6.175149918155315e-19)

_ACTIVATIONS = (ReLU, LeakyReLU, ELU, PReLU, Swish, Sigmoid, Tanh, Softplus, GELU, SELU)
_REGISTRY = {kind.name: kind for kind in _ACTIVATIONS}

relu = ReLU()
leaky_relu = LeakyReLU()
elu = ELU()
prelu = PReLU()
swish = Swish()
sigmoid = Sigmoid()
tanh = Tanh()
softplus = Softplus()
gelu = GELU()
selu = SELU()


def names():
    """Return the registry names of all activations, in a fixed order.

    Examples
    --------
    >>> from actlib import names
    >>> names()[:3]
    ('relu', 'leaky_relu', 'elu')
    """
    return tuple(_REGISTRY)


def get(name, **params):
    """Return the activation called ``name`` with ``params`` bound.

    Parameters
    ----------
    name : str
        A registry name, one of :func:`names`.
    **params
        Parameters to bind, for example ``alpha=0.1``.

    Returns
    -------
    Activation

    Raises
    ------
    ValueError
        If no activation has that name.

    Examples
    --------
    >>> from actlib import get
    >>> get("leaky_relu", alpha=0.2)
    Leaky ReLU(alpha=0.2)
    """
    if name not in _REGISTRY:
        raise ValueError(
            f"unknown activation {name!r}; choose one of: {', '.join(_REGISTRY)}"
        )
    return _REGISTRY[name](**params)
