r"""A small multilayer perceptron, trained by backpropagation written by hand.

The network maps a batch of inputs :math:`X` (one sample per row) through
:math:`L` layers. Layer :math:`l = 0, \dots, L-1` is an affine map followed,
in the hidden layers, by the activation :math:`f`:

.. math::

    A_0 = X, \qquad
    Z_l = A_l W_l + b_l, \qquad
    A_{l+1} = f(Z_l) \quad (l < L - 1), \qquad
    \text{output} = Z_{L-1}.

The output layer is linear: its :math:`Z` are the logits of a classifier or
the predictions of a regression. :meth:`MLP.backward` runs the chain rule the
other way, from :math:`\partial L/\partial\,\text{output}` back to every
:math:`W_l` and :math:`b_l`, and to every parameter the activation learns
(PReLU's slope :math:`\alpha`).

Parameters and gradients share one layout: a list with one dict per layer,
``{"W": ..., "b": ...}``, plus one entry per learnable parameter of the
activation (``"alpha"`` for PReLU) in the hidden layers. The losses here give
the gradient that :meth:`MLP.backward` starts from; the optimizers and the
training loop are in :mod:`actlib.training`::

    >>> from actlib import data, nn, training
    >>> X, y = data.moons(200, seed=0)
    >>> model = nn.MLP([2, 16, 16, 2], activation="relu", seed=0)
    >>> history = training.train(
    ...     model, (X, y), optimizer=training.SGD(lr=0.1), epochs=20
    ... )
    >>> bool(history.loss[-1] < history.loss[0])
    True
"""

import itertools
import math
from dataclasses import dataclass

import numpy as np

from actlib import _validation, activations

#: Weight initialisations by name: the standard deviation :math:`\sigma` of
#: :math:`W_{ij} \sim \mathcal{N}(0, \sigma^2)`, as a function of the hidden
#: activation and the layer's fan-in and fan-out. He's depends on the
#: activation through its gain (:meth:`actlib.Activation.he_gain`).
INITS = {
    "he": lambda activation, fan_in, fan_out: activation.he_gain() / math.sqrt(fan_in),
    "xavier": lambda activation, fan_in, fan_out: math.sqrt(2 / (fan_in + fan_out)),
    "lecun": lambda activation, fan_in, fan_out: math.sqrt(1 / fan_in),
}


@dataclass
class ForwardCache:
    r"""What :meth:`MLP.forward` computed, kept for the backward pass.

    Attributes
    ----------
    A : list of numpy.ndarray
        The input of each layer: ``A[0]`` is :math:`X` and ``A[l + 1]`` is
        :math:`f(Z_l)`. Length :math:`L`.
    Z : list of numpy.ndarray
        The pre-activations of each layer, :math:`Z_l = A_l W_l + b_l`;
        ``Z[-1]`` is the output. Length :math:`L`.
    """

    A: list
    Z: list

    @property
    def hidden_pre_activations(self):
        """The :math:`Z` of the hidden layers, where dead units are looked for."""
        return self.Z[:-1]

    @property
    def hidden_activations(self):
        """The activations :math:`f(Z)` of the hidden layers."""
        return self.A[1:]


class MLP:
    r"""A multilayer perceptron with a linear output layer.

    Parameters
    ----------
    layer_sizes : sequence of int
        Widths from input to output, for example ``[2, 64, 64, 2]``: two
        inputs, two hidden layers of 64 units and two outputs.
    activation : str or Activation, default "relu"
        The activation of the hidden layers: a name from
        :func:`actlib.names` or an :class:`actlib.Activation`.
    init : {"he", "xavier", "lecun"} or float, default "he"
        Weights are drawn from :math:`\mathcal{N}(0, \sigma^2)` with

        .. math::

            \sigma_\text{He} = \frac{g}{\sqrt{n_\text{in}}}, \qquad
            \sigma_\text{Xavier} = \sqrt{\frac{2}{n_\text{in} + n_\text{out}}},
            \qquad
            \sigma_\text{LeCun} = \sqrt{\frac{1}{n_\text{in}}},

        or :math:`\sigma` = the number given. He's gain :math:`g` is the
        activation's :meth:`~actlib.Activation.he_gain`: :math:`\sqrt 2` for
        ReLU, :math:`\sqrt{2 / (1 + \alpha^2)}` for Leaky ReLU and PReLU. The
        output layer is initialised the same way.
    bias_init : float, default 0.0
        Initial value of every bias. A small positive value keeps more ReLU
        units alive at the start.
    seed : int or numpy.random.Generator, default 0
        Seed of the weights, passed to :func:`numpy.random.default_rng`.
    shared_params : bool, default False
        For an activation with learnable parameters only: one value of each
        per hidden layer (a 0-d array, shape ``()``) instead of one per unit
        (shape ``(width,)``).
    **activation_params
        Parameters of the activation, such as ``alpha=0.1`` for Leaky ReLU.
        A learnable parameter's value (PReLU's ``alpha``, default 0.25) is
        where every unit's copy starts; it must be one number.

    Attributes
    ----------
    layer_sizes : tuple of int
    activation : Activation
    params : list of dict of numpy.ndarray
        Layer :math:`l` holds ``"W"`` of shape ``(n_in, n_out)``, ``"b"`` of
        shape ``(n_out,)`` and, in the hidden layers, one array for each name
        in ``activation.learnable``. All float64.
    cache : ForwardCache or None
        Filled in by :meth:`forward`.

    Notes
    -----
    Learnable parameters declare themselves: the network reads
    :attr:`actlib.Activation.learnable` to know which ones to create, passes
    each layer's values to the activation as keyword arguments, and gets
    their gradients from :meth:`actlib.Activation.param_grad`. An activation
    written outside actlib trains the same way, as long as it accepts an
    array of values (one per unit) for each learnable parameter.

    Examples
    --------
    >>> model = MLP([2, 8, 3], activation="prelu", shared_params=True)
    >>> [sorted(layer) for layer in model.params]
    [['W', 'alpha', 'b'], ['W', 'b']]
    >>> model.forward(np.zeros((5, 2))).shape
    (5, 3)
    """

    def __init__(
        self,
        layer_sizes,
        activation="relu",
        init="he",
        bias_init=0.0,
        seed=0,
        shared_params=False,
        **activation_params,
    ):
        self.layer_sizes = _check_layer_sizes(layer_sizes)
        self.activation = _resolve_activation(activation, activation_params)
        initial = _initial_learned_values(self.activation, shared_params)
        bias = _validation.real_parameter(bias_init, "bias_init", "MLP")
        rng = np.random.default_rng(seed)
        self.params = []
        for fan_in, fan_out in itertools.pairwise(self.layer_sizes):
            std = _init_std(init, self.activation, fan_in, fan_out)
            W = std * rng.standard_normal((fan_in, fan_out))
            self.params.append({"W": W, "b": np.full(fan_out, bias)})
        for layer in self.params[:-1]:
            shape = () if shared_params else layer["b"].shape
            for name, value in initial.items():
                layer[name] = np.full(shape, value)
        self.cache = None

    @property
    def n_layers(self):
        """Number of layers with weights, :math:`L` (hidden layers + output)."""
        return len(self.params)

    @property
    def n_hidden(self):
        """Number of hidden layers, :math:`L - 1`."""
        return self.n_layers - 1

    def forward(self, X):
        r"""Compute the network's output and keep every layer's :math:`Z` and :math:`A`.

        .. math::

            Z_l = A_l W_l + b_l, \qquad A_{l+1} = f(Z_l), \qquad
            \text{output} = Z_{L-1}

        Parameters
        ----------
        X : array_like, shape (n_samples, layer_sizes[0])

        Returns
        -------
        numpy.ndarray of float64, shape (n_samples, layer_sizes[-1])
            Logits, or regression outputs.

        Notes
        -----
        Sets :attr:`cache` to a :class:`ForwardCache` of this batch, which
        :meth:`backward` uses and the diagnostics read.
        """
        A, Z = [_check_input(self, X, "MLP.forward(): X")], []
        n_hidden = self.n_hidden
        for l, layer in enumerate(self.params):  # noqa: E741 (l as in the maths)
            z = A[l] @ layer["W"]
            z += layer["b"]
            Z.append(z)
            if l < n_hidden:  # the output layer stays linear
                A.append(self.activation(z, **self._learned(layer)))
        self.cache = ForwardCache(A, Z)
        return Z[-1]

    def backward(self, dout):
        r"""Backpropagate :math:`\partial L/\partial\,\text{output}` to every parameter.

        Going from the last layer to the first, with
        :math:`G = \partial L / \partial A_{l+1}` the gradient arriving at
        layer :math:`l` (for the output layer, ``dout`` itself is
        :math:`\partial L / \partial Z_{L-1}`), the chain rule gives

        .. math::

            \frac{\partial L}{\partial Z_l} = G \odot f'(Z_l), \qquad
            \frac{\partial L}{\partial W_l} = A_l^\top
                \frac{\partial L}{\partial Z_l}, \qquad
            \frac{\partial L}{\partial b_l} = \sum_{\text{samples}}
                \frac{\partial L}{\partial Z_l},

        .. math::

            \frac{\partial L}{\partial A_l} = \frac{\partial L}{\partial Z_l}
                W_l^\top, \qquad
            \frac{\partial L}{\partial p_l} = \sum_{\text{samples}}
                G \odot \frac{\partial f}{\partial p}(Z_l),

        the last for each learnable parameter :math:`p` of the activation
        (PReLU: :math:`\partial f / \partial \alpha = \min(0, Z_l)`), summed
        over the units too when the parameter is shared. :math:`\partial L /
        \partial A_0`, the gradient with respect to the input, is not needed
        and not computed.

        Parameters
        ----------
        dout : array_like, shape (n_samples, layer_sizes[-1])
            Gradient of the loss with respect to the output of the last
            :meth:`forward` call, as the loss functions return it.

        Returns
        -------
        list of dict of numpy.ndarray
            The gradients, laid out like :attr:`params`.
        """
        if self.cache is None:
            raise RuntimeError("MLP.backward(): call forward() first")
        G = np.asarray(dout, dtype=np.float64)  # ∂L/∂(output of layer l)
        if G.shape != self.cache.Z[-1].shape:
            raise ValueError(
                "MLP.backward(): dout must have the shape of the output, "
                f"{self.cache.Z[-1].shape}, got {G.shape}"
            )
        n_hidden = self.n_hidden
        grads = [None] * self.n_layers
        for l in reversed(range(self.n_layers)):  # noqa: E741 (l as in the maths)
            layer, Z = self.params[l], self.cache.Z[l]
            if l == n_hidden:
                dZ, learned = G, {}  # the output layer has no activation
            else:
                learned = self._learned(layer)
                dZ = self.activation.grad(Z, **learned)
                dZ *= G
            grads[l] = {"W": self.cache.A[l].T @ dZ, "b": dZ.sum(axis=0)}
            for name, value in learned.items():
                df_dp = self.activation.param_grad(Z, name, **learned)
                df_dp *= G
                grads[l][name] = _sum_like(df_dp, value)
            if l > 0:
                G = dZ @ layer["W"].T  # ∂L/∂A_l, arriving at layer l - 1
        return grads

    def predict(self, X):
        """The class with the largest logit for each row of ``X``.

        Examples
        --------
        >>> MLP([2, 4, 3]).predict(np.zeros((2, 2))).shape
        (2,)
        """
        return np.argmax(self.forward(X), axis=1)

    def _learned(self, layer):
        """A layer's learnable activation parameters, as keyword arguments."""
        return {name: layer[name] for name in self.activation.learnable}


def _sum_like(elementwise, value):
    """Sum a gradient over the samples, and over the units for a shared parameter."""
    per_unit = elementwise.sum(axis=0)
    return per_unit if value.ndim else np.array(per_unit.sum())


# Losses: each returns the mean loss over the batch and its gradient with
# respect to the network's output, ready for MLP.backward.


def softmax_cross_entropy(logits, y):
    r"""Mean cross-entropy of a softmax classifier, and its gradient.

    With :math:`p_{ik} = e^{z_{ik}} / \sum_j e^{z_{ij}}` the softmax of row
    :math:`i` of the logits,

    .. math::

        L = \frac1n \sum_{i=1}^n \Bigl(\log \sum_k e^{z_{ik}} - z_{i y_i}\Bigr),
        \qquad
        \frac{\partial L}{\partial z_{ik}} = \frac1n \bigl(p_{ik} - [k = y_i]\bigr).

    Parameters
    ----------
    logits : array_like, shape (n, n_classes)
    y : array_like of int, shape (n,)
        Class labels in ``0, ..., n_classes - 1``.

    Returns
    -------
    loss : float
    dlogits : numpy.ndarray of float64, shape (n, n_classes)

    Notes
    -----
    The log-sum-exp is computed as :math:`m_i + \log \sum_k e^{z_{ik} - m_i}`
    with :math:`m_i = \max_k z_{ik}`: every exponent is at most 0, so nothing
    overflows, and the largest term is exactly 1, so the logarithm is finite.

    Examples
    --------
    >>> loss, dlogits = softmax_cross_entropy([[0.0, 0.0]], [1])
    >>> round(loss, 6), dlogits
    (0.693147, array([[ 0.5, -0.5]]))
    """
    logits = np.asarray(logits, dtype=np.float64)
    y = _check_labels(y, logits)
    n, rows = len(y), np.arange(len(y))
    shifted = logits - logits.max(axis=1, keepdims=True)  # z - m, at most 0
    exp = np.exp(shifted)
    sum_exp = exp.sum(axis=1, keepdims=True)
    loss = (np.log(sum_exp[:, 0]) - shifted[rows, y]).sum() / n
    dlogits = exp / sum_exp  # the softmax p
    dlogits[rows, y] -= 1
    dlogits /= n
    return float(loss), dlogits


def mse(pred, target):
    r"""Mean squared error, and its gradient.

    .. math::

        L = \frac{1}{N} \sum_{i,k} (\hat y_{ik} - y_{ik})^2, \qquad
        \frac{\partial L}{\partial \hat y_{ik}} = \frac{2}{N} (\hat y_{ik} - y_{ik}),

    where :math:`N` is the number of entries, as in PyTorch's ``MSELoss``.

    Parameters
    ----------
    pred : array_like, shape (n, n_outputs)
    target : array_like, shape (n, n_outputs), or (n,) when n_outputs is 1

    Returns
    -------
    loss : float
    dpred : numpy.ndarray of float64, shape (n, n_outputs)

    Examples
    --------
    >>> mse([[1.0], [3.0]], [0.0, 1.0])
    (2.5, array([[1.],
           [2.]]))
    """
    pred = np.asarray(pred, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    if target.ndim == 1 and pred.shape == (target.size, 1):
        target = target[:, None]
    if target.shape != pred.shape:
        raise ValueError(
            f"mse(): target of shape {target.shape} does not match predictions "
            f"of shape {pred.shape}"
        )
    error = pred - target
    return float(np.mean(error**2)), 2 * error / error.size


#: The losses :func:`actlib.training.train` knows, by name.
LOSSES = {"cross_entropy": softmax_cross_entropy, "mse": mse}


# Argument checks.


def _check_layer_sizes(layer_sizes):
    sizes = tuple(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(
            "MLP(): layer_sizes needs at least an input and an output size, "
            f"got {list(sizes)}"
        )
    return tuple(
        _validation.count_parameter(size, f"layer_sizes[{i}]", "MLP")
        for i, size in enumerate(sizes)
    )


def _resolve_activation(activation, params):
    if isinstance(activation, activations.Activation):
        return activation.with_params(**params)
    if isinstance(activation, str):
        return activations.get(activation, **params)
    raise TypeError(
        "MLP(): activation must be a name such as 'relu' or an actlib.Activation, "
        f"got {activation!r}"
    )


def _init_std(init, activation, fan_in, fan_out):
    """The standard deviation of a layer's initial weights."""
    if isinstance(init, str):
        if init not in INITS:
            raise ValueError(
                f"MLP(): unknown init {init!r}; choose one of: {', '.join(INITS)}, "
                "or a number (the standard deviation)"
            )
        return INITS[init](activation, fan_in, fan_out)
    return _validation.positive_parameter(init, "init", "MLP")


def _initial_learned_values(activation, shared_params):
    """Where the learnable parameters start: the values bound to the activation."""
    if shared_params and not activation.learnable:
        raise ValueError(
            "MLP(): shared_params applies only to an activation with learnable "
            f"parameters; {activation.name} learns none"
        )
    initial = {}
    for name in activation.learnable:
        if name in ("W", "b"):
            raise ValueError(
                f"MLP(): {activation.name} calls a learnable parameter {name!r}, "
                "the name of the weights or biases; rename it"
            )
        value = activation.params[name]
        if np.ndim(value) != 0:
            raise ValueError(
                f"MLP(): the initial value of {activation.name}'s learnable "
                f"parameter {name!r} must be one number, got shape "
                f"{np.shape(value)}; the network makes one per unit (or one per "
                "layer with shared_params=True)"
            )
        initial[name] = float(value)
    return initial


def _check_labels(y, logits):
    y = np.asarray(y)
    if logits.ndim != 2 or y.shape != logits.shape[:1]:
        raise ValueError(
            "softmax_cross_entropy(): expected logits of shape (n, n_classes) and "
            f"labels of shape (n,), got {logits.shape} and {y.shape}"
        )
    n_classes = logits.shape[1]
    if y.dtype.kind not in "iu" or (y.size and (y.min() < 0 or y.max() >= n_classes)):
        raise ValueError(
            "softmax_cross_entropy(): labels must be integers from 0 to "
            f"{n_classes - 1}, got {y.dtype} values {np.unique(y)[:10]}"
        )
    return y


def _check_input(model, X, what):
    """``X`` as a float64 array, if it has one row per sample and the right width."""
    X = np.asarray(X, dtype=np.float64)
    n_inputs = model.layer_sizes[0]
    if X.ndim != 2 or X.shape[1] != n_inputs:
        raise ValueError(
            f"{what} must have shape (n_samples, {n_inputs}) for this MLP, "
            f"got {X.shape}"
        )
    return X
