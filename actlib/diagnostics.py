r"""Measurements that tell what is going on inside a network.

For one layer, on a batch of samples, write :math:`Z` for its pre-activations
and :math:`A = f(Z)` for its activations, both of shape ``(n_samples,
n_units)``. The functions here turn such arrays into numbers a chapter can
plot and assert on: how sparse the layer is, which units are dead, how large
each layer's gradient is, and what a layer whose output is not zero-centred
does to the next one (:func:`sign_agreement`, :func:`mean_offset`). Two
experiments on random networks at initialisation come with their theory: the
variance of the pre-activations through depth (He et al. 2015) and the
probability that a ReLU network is born dead (Lu et al. 2019). Finally,
:func:`numerical_gradient` and :func:`relative_error` check a hand-written
backward pass.

    >>> import numpy as np
    >>> from actlib import diagnostics
    >>> Z = np.array([[-1.0, 2.0], [-3.0, -1.0]])
    >>> diagnostics.dead_units(Z)
    array([ True, False])
    >>> float(diagnostics.sparsity(np.maximum(Z, 0)))
    0.75
"""

import numpy as np

from actlib import _validation, activations, nn


def sparsity(A):
    r"""Fraction of activations that are exactly zero.

    .. math::

        s = \frac{1}{|A|} \sum_{i,j} [A_{ij} = 0]

    Parameters
    ----------
    A : array_like
        Activations of any shape, for example ``(n_samples, n_units)``.

    Returns
    -------
    float
        A number in [0, 1].

    Notes
    -----
    A ReLU outputs an exact zero for every non-positive input, so about half
    of a ReLU layer is zero at initialisation. Leaky ReLU, ELU and the smooth
    activations almost never output an exact zero.

    Examples
    --------
    >>> float(sparsity([0.0, 1.5, 0.0, 2.0]))
    0.5
    """
    A = np.asarray(A)
    if A.size == 0:
        raise ValueError("sparsity() needs at least one activation, got an empty array")
    return np.count_nonzero(A == 0) / A.size


def dead_units(Z):
    r"""Which units have a non-positive pre-activation on every sample.

    .. math::

        \text{dead}_j = \bigl[\, Z_{ij} \le 0 \text{ for every sample } i \,\bigr]

    Parameters
    ----------
    Z : array_like, shape (n_samples, n_units)
        Pre-activations of one layer.

    Returns
    -------
    numpy.ndarray of bool, shape (n_units,)

    Notes
    -----
    A dead ReLU unit outputs 0 on every sample and, since
    :math:`\operatorname{relu}'(z) = 0` for :math:`z \le 0`, gets no gradient
    either: gradient descent cannot bring it back. For Leaky ReLU and PReLU
    the same test says only that the unit stays on its negative side; it still
    passes a gradient of slope :math:`\alpha`.

    Examples
    --------
    >>> dead_units([[-1.0, 0.5], [0.0, -2.0]])
    array([ True, False])
    """
    Z = np.asarray(Z)
    if Z.ndim != 2:
        raise ValueError(
            f"dead_units() expects pre-activations of shape (n_samples, n_units), "
            f"got shape {Z.shape}"
        )
    return np.all(Z <= 0, axis=0)


def dead_fraction(Z):
    """Fraction of a layer's units that are dead (see :func:`dead_units`).

    Parameters
    ----------
    Z : array_like, shape (n_samples, n_units)
        Pre-activations of one layer.

    Returns
    -------
    float
        A number in [0, 1].

    Examples
    --------
    >>> float(dead_fraction([[-1.0, 0.5], [0.0, -2.0]]))
    0.5
    """
    return np.mean(dead_units(Z))


def sign_agreement(A):
    r"""For each sample, how far a layer's activations share one sign.

    .. math::

        s_i = \frac{\bigl|\sum_j A_{ij}\bigr|}{\sum_j |A_{ij}|}

    Parameters
    ----------
    A : array_like, shape (n_samples, n_units)
        Activations of one layer, which are the inputs of the next layer.

    Returns
    -------
    numpy.ndarray of float64, shape (n_samples,)
        In [0, 1]: exactly 1 when all of a sample's non-zero activations have
        the same sign, near 0 when positive and negative ones balance. NaN for
        a sample whose activations are all zero (or not finite).

    Notes
    -----
    On one sample :math:`i`, the gradient of the weights into unit :math:`k`
    of the next layer is

    .. math::

        \frac{\partial L}{\partial W_{jk}} = A_{ij}\, \delta_{ik}, \qquad
        \delta_{ik} = \frac{\partial L}{\partial z_{ik}},

    so its entries all have the sign of :math:`\delta_{ik}` (or are 0)
    exactly when :math:`s_i = 1`, for every unit :math:`k` at once. ReLU's
    outputs are never negative, so :math:`s_i = 1` for every sample: each
    per-sample update moves all the weights into a unit up together, or all
    down together. LeCun et al. [1]_ argue that this makes gradient descent
    zig-zag when some weights should go up and others down, and recommend
    inputs whose mean is close to zero.

    References
    ----------
    .. [1] Y. LeCun, L. Bottou, G. B. Orr and K.-R. Müller, "Efficient
       BackProp", in *Neural Networks: Tricks of the Trade*, Springer, 1998.

    Examples
    --------
    >>> sign_agreement([[1.0, 3.0], [2.0, -2.0], [-1.0, 0.0], [0.0, 0.0]])
    array([ 1.,  0.,  1., nan])
    """
    A = _samples_by_units(A, "sign_agreement", "activations")
    with np.errstate(invalid="ignore"):  # 0 / 0 for an all-zero sample: NaN
        return np.abs(A.sum(axis=1)) / np.abs(A).sum(axis=1)


def mean_offset(Z):
    r"""Each unit's mean pre-activation, in units of its standard deviation.

    .. math::

        o_j = \frac{\bar Z_j}{\operatorname{std}_i Z_{ij}}, \qquad
        \bar Z_j = \frac1n \sum_{i=1}^n Z_{ij}

    Parameters
    ----------
    Z : array_like, shape (n_samples, n_units)
        Pre-activations of one layer.

    Returns
    -------
    numpy.ndarray of float64, shape (n_units,)
        The signed offset of each unit. A unit whose pre-activation does not
        vary gets ``inf`` or ``-inf``, or NaN if it is 0 on every sample.

    Notes
    -----
    If the layer's inputs :math:`a` have mean :math:`\bar a` over the
    samples, unit :math:`j`'s pre-activation :math:`z_j = a \cdot W_{:j} +
    b_j` has mean :math:`\bar a \cdot W_{:j} + b_j`. Inputs with a mean away
    from zero, such as ReLU outputs, so give every unit an offset, as if it
    had a bias that nobody chose, random in sign and size through the random
    weights. A unit whose offset lies far below 0 is closed on most samples;
    with every :math:`Z_{ij} \le 0` it is dead (:func:`dead_units`). Batch
    normalisation subtracts each unit's mean over the batch, which sets every
    offset to 0. The offset does not change when :math:`Z` is multiplied by a
    positive number.

    Examples
    --------
    >>> mean_offset([[1.0, -1.0], [3.0, 1.0]])
    array([2., 0.])
    """
    Z = _samples_by_units(Z, "mean_offset", "pre-activations")
    with np.errstate(divide="ignore", invalid="ignore"):  # a constant unit
        return Z.mean(axis=0) / Z.std(axis=0)


def _samples_by_units(values, name, what):
    """``values`` as a float64 array of shape (n_samples, n_units), checked."""
    array = _validation.real_array(values, name).astype(np.float64, copy=False)
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(
            f"{name}() expects {what} of shape (n_samples, n_units), with at "
            f"least one of each, got shape {array.shape}"
        )
    return array


def layer_grad_norms(grads):
    r"""The Euclidean norm of each layer's gradient.

    For layer :math:`l` with parameters :math:`\theta_l` (its weights, biases
    and any learnable parameters of its activation, such as PReLU's slopes),

    .. math::

        g_l = \Bigl(\sum_{\theta \in \theta_l} \|\partial L / \partial \theta\|^2
        \Bigr)^{1/2},

    so that the global norm used for gradient clipping is
    :math:`\bigl(\sum_l g_l^2\bigr)^{1/2}`.

    Parameters
    ----------
    grads : list of dict of numpy.ndarray
        One dict per layer, as returned by :meth:`actlib.nn.MLP.backward`.

    Returns
    -------
    numpy.ndarray of float64, shape (n_layers,)

    Examples
    --------
    >>> layer_grad_norms([{"W": np.array([3.0]), "b": np.array([4.0])}])
    array([5.])
    """
    return np.array(
        [np.sqrt(sum(np.vdot(g, g) for g in layer.values())) for layer in grads],
        dtype=np.float64,
    )


def variance_through_depth(
    depth, width, activation="relu", init="he", seed=0, n_samples=1000, inputs=None
):
    r"""Variance of the pre-activations, layer by layer, of a random network.

    Inputs :math:`x \in \mathbb{R}^{\text{width}}` (standard normal unless
    ``inputs`` says otherwise) go through ``depth`` bias-free layers of
    ``width`` units,

    .. math::

        z^{(1)} = x W^{(1)}, \qquad
        z^{(l)} = f\bigl(z^{(l-1)}\bigr) W^{(l)}, \qquad
        \operatorname{Var}[W^{(l)}_{ij}] = \sigma^2,

    with :math:`\sigma` given by ``init`` (see :class:`actlib.nn.MLP`), and we
    measure :math:`\operatorname{Var}[z^{(l)}]` over all samples and units.

    Parameters
    ----------
    depth : int
        Number of layers, at least 1.
    width : int
        Units per layer (and input dimension), at least 1.
    activation : str or Activation, default "relu"
        The activation :math:`f`.
    init : {"he", "xavier", "lecun"} or float, default "he"
        Weight initialisation, as in :class:`actlib.nn.MLP`.
    seed : int, default 0
        Seed for the inputs and the weights.
    n_samples : int, default 1000
        Number of input samples.
    inputs : array_like or callable, optional
        The inputs, from any distribution: an array of shape
        ``(n_samples, width)`` (then ``n_samples`` is ignored), or a function
        ``inputs(rng, shape)`` that draws them with the NumPy generator it is
        given, such as ``lambda rng, shape: rng.uniform(-1, 1, shape)``.
        Standard normal by default.

    Returns
    -------
    numpy.ndarray of float64, shape (depth,)
        Entry :math:`l - 1` is :math:`\operatorname{Var}[z^{(l)}]`.

    Notes
    -----
    For a zero-mean symmetric :math:`z`, :math:`E[\operatorname{relu}(z)^2] =
    \tfrac12 \operatorname{Var}[z]`, so a ReLU layer of fan-in :math:`n` gives

    .. math::

        \operatorname{Var}[z^{(l)}] = \tfrac12\, n \sigma^2\,
        \operatorname{Var}[z^{(l-1)}].

    He initialisation, :math:`\sigma^2 = 2/n`, keeps the variance constant;
    LeCun's :math:`\sigma^2 = 1/n` halves it at every layer, so after
    :math:`L` layers it has shrunk by :math:`2^{-(L-1)}`.

    A Leaky ReLU of slope :math:`\alpha` passes on
    :math:`\tfrac12 (1 + \alpha^2)` instead of :math:`\tfrac12`, and He's
    gain for it, :math:`\sigma^2 = 2 / ((1 + \alpha^2)\, n)`, keeps the
    variance constant too.

    References
    ----------
    .. [1] K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into rectifiers:
       surpassing human-level performance on ImageNet classification",
       ICCV 2015.

    Examples
    --------
    >>> v = variance_through_depth(10, 64, init="lecun")
    >>> bool(0.25 < v[-1] / v[0] / 2.0**-9 < 4)
    True

    Uniform inputs on [-1, 1] have variance 1/3, so the first layer's
    pre-activations, with He initialisation, have variance 2/3:

    >>> def uniform(rng, shape):
    ...     return rng.uniform(-1, 1, shape)
    >>> v = variance_through_depth(1, 256, inputs=uniform)
    >>> bool(abs(v[0] - 2 / 3) < 0.05)
    True
    """
    depth = _validation.count_parameter(depth, "depth", "variance_through_depth")
    width = _validation.count_parameter(width, "width", "variance_through_depth")
    n_samples = _validation.count_parameter(
        n_samples, "n_samples", "variance_through_depth"
    )
    rng = np.random.default_rng(seed)
    X = _inputs(inputs, rng, (n_samples, width))
    # depth + 1 sizes make depth layers; the last one's z is computed, not activated.
    model = nn.MLP([width] * (depth + 1), activation, init=init, seed=rng)
    model.forward(X)
    return np.array([np.var(Z) for Z in model.cache.Z])


def _inputs(inputs, rng, shape):
    """The input array of :func:`variance_through_depth`, checked."""
    name = "variance_through_depth"
    if inputs is None:
        return rng.standard_normal(shape)
    X = inputs(rng, shape) if callable(inputs) else inputs
    X = _validation.real_array(X, name)
    if X.ndim != 2 or X.shape[1] != shape[1] or X.shape[0] < 1:
        raise ValueError(
            f"{name}(): inputs must have shape (n_samples, width) = (n, {shape[1]}), "
            f"got shape {X.shape}"
        )
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name}(): inputs must be finite numbers")
    return X


def born_dead_closed_form(depth, width):
    r"""Probability that a random bias-free ReLU network is born dead.

    .. math::

        P(\text{born dead}) = 1 - \bigl(1 - 2^{-\text{width}}\bigr)^{\text{depth}}

    Parameters
    ----------
    depth : int
        Number of hidden ReLU layers.
    width : int
        Units in each hidden layer.

    Returns
    -------
    float

    Notes
    -----
    Assumptions: one fixed, nonzero input; no biases; every weight drawn
    independently from a symmetric distribution with no atom at 0 (a normal
    distribution of any scale, for instance); ``depth`` counts the hidden
    layers, the ones followed by a ReLU.

    Given a nonzero input to a layer, each unit's pre-activation
    :math:`z_j = a \cdot w_j` is symmetric about 0 and independent of the other
    units', so the whole layer outputs zeros with probability
    :math:`2^{-\text{width}}`. Once a layer is all zero, every later layer is
    too, and the output no longer depends on the weights: the network is dead.
    It survives only if each of the ``depth`` layers does.

    We compute :math:`-\operatorname{expm1}(\text{depth} \cdot
    \operatorname{log1p}(-2^{-\text{width}}))`, which keeps full precision when
    the probability is tiny.

    References
    ----------
    .. [1] L. Lu, Y. Shin, Y. Su and G. E. Karniadakis, "Dying ReLU and
       initialization: theory and numerical examples", arXiv:1903.06733, 2019.

    Examples
    --------
    >>> born_dead_closed_form(depth=2, width=1)
    0.75
    """
    depth = _validation.count_parameter(depth, "depth", "born_dead_closed_form")
    width = _validation.count_parameter(width, "width", "born_dead_closed_form")
    return float(-np.expm1(depth * np.log1p(-(2.0**-width))))


def born_dead_probability(depth, width, trials, seed=0):
    r"""Simulated probability that a random bias-free ReLU network is born dead.

    Draws ``trials`` networks with ``depth`` hidden ReLU layers of ``width``
    units, feeds each the same input (a vector of ones of length ``width``),
    and counts the networks whose last hidden layer outputs only zeros, which
    makes their output identically zero whatever the output layer is.

    Parameters
    ----------
    depth : int
        Number of hidden ReLU layers, at least 1.
    width : int
        Units in each hidden layer, at least 1.
    trials : int
        Number of random networks, at least 1.
    seed : int, default 0
        Seed of the weights.

    Returns
    -------
    float
        The fraction of born-dead networks; compare it with
        :func:`born_dead_closed_form`, whose assumptions it meets: weights
        He-normal (symmetric), no biases, one fixed nonzero input, ``depth``
        hidden layers.

    Examples
    --------
    >>> p = born_dead_probability(depth=3, width=1, trials=4000)
    >>> bool(abs(p - born_dead_closed_form(3, 1)) < 0.03)
    True
    """
    depth = _validation.count_parameter(depth, "depth", "born_dead_probability")
    width = _validation.count_parameter(width, "width", "born_dead_probability")
    trials = _validation.count_parameter(trials, "trials", "born_dead_probability")
    rng = np.random.default_rng(seed)
    a = np.ones((trials, width))  # row t is the input of network t
    for _ in range(depth):
        W = rng.standard_normal((trials, width, width)) * np.sqrt(2 / width)
        a = activations.relu(np.einsum("ti,tij->tj", a, W))
    return float(np.mean(np.all(a == 0, axis=1)))


def numerical_gradient(f, x, eps=1e-6):
    r"""Gradient of a scalar function by central differences.

    .. math::

        \frac{\partial f}{\partial x_i} \approx
        \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2 \varepsilon}

    The error is :math:`O(\varepsilon^2)` from the formula plus about
    :math:`\epsilon_{\text{mach}} |f| / \varepsilon` from rounding, so
    :math:`\varepsilon = 10^{-6}` suits float64.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a float. It may ignore its argument and read ``x``
        through an object that holds it (a model's weight matrix, say).
    x : numpy.ndarray of float64
        The point. Each entry is perturbed in place, one at a time, and set
        back to its exact original value.
    eps : float, default 1e-6
        The step :math:`\varepsilon`.

    Returns
    -------
    numpy.ndarray of float64, same shape as ``x``

    Examples
    --------
    >>> x = np.array([1.0, -2.0])
    >>> numerical_gradient(lambda v: float(np.sum(v**2)), x).round(6)
    array([ 2., -4.])
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(
            "numerical_gradient() perturbs x in place, so x must be a float64 "
            f"numpy array, got {type(x).__name__}"
            + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else "")
        )
    grad = np.empty_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        f_plus = f(x)
        x[i] = original - eps
        f_minus = f(x)
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    r"""Relative distance between two arrays, for comparing gradients.

    .. math::

        e(a, b) = \frac{\|a - b\|_2}{\max(\|a\|_2, \|b\|_2)},
        \qquad e(0, 0) = 0

    Parameters
    ----------
    a, b : array_like
        Arrays of the same shape.

    Returns
    -------
    float
        0 for equal arrays; about :math:`10^{-k}` when they agree to
        :math:`k` significant digits.

    Examples
    --------
    >>> relative_error([1.0, 2.0], [1.0, 2.001]) < 1e-3
    True
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(
            f"relative_error() expects arrays of the same shape, got {a.shape} "
            f"and {b.shape}"
        )
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
