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
:math:`W_l` and :math:`b_l` (and every PReLU slope).

Parameters and gradients share one layout: a list with one dict per layer,
``{"W": ..., "b": ...}``, plus ``"alpha"`` in the hidden layers of a PReLU
network. The optimizers update such a list in place, and :func:`train` ties
everything together::

    >>> from actlib import data, nn
    >>> X, y = data.moons(200, seed=0)
    >>> model = nn.MLP([2, 16, 16, 2], activation="relu", seed=0)
    >>> history = nn.train(model, X, y, epochs=20, lr=0.1)
    >>> bool(history.loss[-1] < history.loss[0])
    True
"""

import itertools
import math
from dataclasses import dataclass

import numpy as np

from actlib import _validation, activations, diagnostics

#: Weight initialisations by name: the standard deviation of
#: :math:`W_{ij} \sim \mathcal{N}(0, \sigma^2)` for a layer's fan-in and fan-out.
INITS = {
    "he": lambda fan_in, fan_out: math.sqrt(2 / fan_in),
    "xavier": lambda fan_in, fan_out: math.sqrt(2 / (fan_in + fan_out)),
    "lecun": lambda fan_in, fan_out: math.sqrt(1 / fan_in),
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
        :math:`\sigma = \sqrt{2/n_\text{in}}` (He),
        :math:`\sqrt{2/(n_\text{in} + n_\text{out})}` (Xavier/Glorot) or
        :math:`\sqrt{1/n_\text{in}}` (LeCun), or :math:`\sigma` = the number
        given.
    bias_init : float, default 0.0
        Initial value of every bias. A small positive value keeps more ReLU
        units alive at the start.
    seed : int or numpy.random.Generator, default 0
        Seed of the weights, passed to :func:`numpy.random.default_rng`.
    prelu_shared : bool, default False
        For ``activation="prelu"`` only: one learnable slope per layer (a 0-d
        array, shape ``()``) instead of one per unit (shape ``(width,)``).
    **activation_params
        Parameters of the activation, such as ``alpha=0.1`` for Leaky ReLU.
        For PReLU, ``alpha`` (default 0.25) is the initial slope.

    Attributes
    ----------
    layer_sizes : tuple of int
    activation : Activation
    params : list of dict of numpy.ndarray
        Layer :math:`l` holds ``"W"`` of shape ``(n_in, n_out)``, ``"b"`` of
        shape ``(n_out,)`` and, for PReLU hidden layers, ``"alpha"``. All
        float64.
    cache : ForwardCache or None
        Filled in by :meth:`forward`.

    Examples
    --------
    >>> model = MLP([2, 8, 3], activation="prelu", prelu_shared=True)
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
        prelu_shared=False,
        **activation_params,
    ):
        self.layer_sizes = _check_layer_sizes(layer_sizes)
        self.activation = _resolve_activation(activation, activation_params)
        learns_slopes = self.activation.name == "prelu"
        if prelu_shared and not learns_slopes:
            raise ValueError(
                "MLP(): prelu_shared applies only to activation='prelu', "
                f"not {self.activation.name!r}"
            )
        bias = _validation.real_parameter(bias_init, "bias_init", "MLP")
        rng = np.random.default_rng(seed)
        self.params = []
        for fan_in, fan_out in itertools.pairwise(self.layer_sizes):
            std = _init_std(init, fan_in, fan_out)
            W = std * rng.standard_normal((fan_in, fan_out))
            self.params.append({"W": W, "b": np.full(fan_out, bias)})
        if learns_slopes:
            for layer in self.params[:-1]:
                shape = () if prelu_shared else layer["b"].shape
                layer["alpha"] = np.full(shape, _initial_slope(self.activation))
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
        for l, layer in enumerate(self.params):  # noqa: E741 (l as in the maths)
            z = A[l] @ layer["W"]
            z += layer["b"]
            Z.append(z)
            if l < self.n_hidden:  # the output layer stays linear
                A.append(self.activation(z, **_slope(layer)))
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
            \frac{\partial L}{\partial \alpha_l} = \sum_{\text{samples}}
                G \odot \min(0, Z_l),

        the last for PReLU, where it is also summed over the units when the
        slope is shared.

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
        grads = [None] * self.n_layers
        for l in reversed(range(self.n_layers)):  # noqa: E741 (l as in the maths)
            layer, Z = self.params[l], self.cache.Z[l]
            if l == self.n_layers - 1:
                dZ = G  # the output layer has no activation
            else:
                dZ = self.activation.grad(Z, **_slope(layer))
                dZ *= G
            grads[l] = {"W": self.cache.A[l].T @ dZ, "b": dZ.sum(axis=0)}
            if "alpha" in layer:
                grads[l]["alpha"] = _slope_grad(G, Z, layer["alpha"])
            G = dZ @ layer["W"].T  # ∂L/∂A_l, arriving at layer l - 1 (or at X)
        return grads

    def predict(self, X):
        """The class with the largest logit for each row of ``X``.

        Examples
        --------
        >>> MLP([2, 4, 3]).predict(np.zeros((2, 2))).shape
        (2,)
        """
        return np.argmax(self.forward(X), axis=1)


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
    rows = np.arange(len(y))
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    loss = -np.mean(log_probs[rows, y])
    dlogits = np.exp(log_probs)
    dlogits[rows, y] -= 1
    dlogits /= len(y)
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


#: The losses :func:`train` knows, by name.
LOSSES = {"cross_entropy": softmax_cross_entropy, "mse": mse}


# Optimizers. Parameters and gradients are lists of per-layer dicts, as
# MLP.params and MLP.backward lay them out; each step updates the parameter
# arrays in place.


def clip_by_global_norm(grads, max_norm):
    r"""Scale the gradients down together, to a global norm of at most ``max_norm``.

    .. math::

        g \leftarrow g \cdot \min\Bigl(1, \frac{c}{\|g\|}\Bigr), \qquad
        \|g\| = \Bigl(\sum_{\text{arrays}} \sum_{\text{entries}} g^2\Bigr)^{1/2}

    The direction of the step is kept; only its length is capped.

    Parameters
    ----------
    grads : list of dict of numpy.ndarray
    max_norm : float
        The cap :math:`c`, greater than 0.

    Returns
    -------
    list of dict of numpy.ndarray
        ``grads`` itself when its norm is within the cap, scaled copies
        otherwise.

    Examples
    --------
    >>> clip_by_global_norm([{"W": np.array([3.0, 4.0])}], 1.0)
    [{'W': array([0.6, 0.8])}]
    """
    max_norm = _validation.positive_parameter(
        max_norm, "max_norm", "clip_by_global_norm"
    )
    norm = np.sqrt(np.sum(diagnostics.layer_grad_norms(grads) ** 2))
    if norm <= max_norm:
        return grads
    scale = max_norm / norm
    return [{key: g * scale for key, g in layer.items()} for layer in grads]


class Optimizer:
    """What every optimizer does: clip the gradients, then update each array.

    Subclasses write ``init_state(param)``, which makes the state kept for one
    parameter array (a velocity, moment estimates), and ``update(param, grad,
    state)``, which changes ``param`` in place.

    Parameters
    ----------
    lr : float
        The learning rate :math:`\\eta`, greater than 0.
    clip_norm : float or None, default None
        If given, gradients are first clipped to this global norm (see
        :func:`clip_by_global_norm`).

    Attributes
    ----------
    steps : int
        Number of steps taken, :math:`t`.
    state : list or None
        One entry per parameter array, created at the first step. An optimizer
        belongs to one model: do not reuse it for another.
    """

    def __init__(self, lr, clip_norm=None):
        name = type(self).__name__
        self.lr = _validation.positive_parameter(lr, "lr", name)
        self.clip_norm = (
            None
            if clip_norm is None
            else _validation.positive_parameter(clip_norm, "clip_norm", name)
        )
        self.steps = 0
        self.state = None

    def step(self, params, grads):
        """Update ``params`` in place, one step against ``grads``.

        Parameters
        ----------
        params : list of dict of numpy.ndarray
            As in :attr:`MLP.params`.
        grads : list of dict of numpy.ndarray
            Laid out like ``params``, as :meth:`MLP.backward` returns them.
        """
        if self.clip_norm is not None:
            grads = clip_by_global_norm(grads, self.clip_norm)
        pairs = [
            (param, layer_grads[key])
            for layer, layer_grads in zip(params, grads, strict=True)
            for key, param in layer.items()
        ]
        if self.state is None:
            self.state = [self.init_state(param) for param, _ in pairs]
        self.steps += 1
        for (param, grad), state in zip(pairs, self.state, strict=True):
            self.update(param, grad, state)


class SGD(Optimizer):
    r"""Stochastic gradient descent, with optional (heavy-ball) momentum.

    .. math::

        v \leftarrow \mu v + g, \qquad \theta \leftarrow \theta - \eta v

    With :math:`\mu = 0` this is plain gradient descent,
    :math:`\theta \leftarrow \theta - \eta g`. The form is PyTorch's.

    Parameters
    ----------
    lr : float
        The learning rate :math:`\eta`.
    momentum : float, default 0.0
        The momentum :math:`\mu`, in [0, 1).
    clip_norm : float or None, default None
        Clip the gradients to this global norm first.

    Examples
    --------
    >>> params = [{"W": np.array([1.0])}]
    >>> SGD(lr=0.1).step(params, [{"W": np.array([2.0])}])
    >>> params
    [{'W': array([0.8])}]
    """

    def __init__(self, lr, momentum=0.0, clip_norm=None):
        super().__init__(lr, clip_norm)
        self.momentum = _unit_interval(momentum, "momentum", "SGD")

    def init_state(self, param):
        return np.zeros_like(param)  # the velocity v

    def update(self, param, grad, velocity):
        if self.momentum:
            velocity *= self.momentum
            velocity += grad
            grad = velocity
        param -= self.lr * grad


class Adam(Optimizer):
    r"""Adam: steps scaled by running estimates of the gradient's moments.

    At step :math:`t`, for each parameter :math:`\theta` with gradient
    :math:`g`,

    .. math::

        m \leftarrow \beta_1 m + (1 - \beta_1)\, g, \qquad
        v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2,

    .. math::

        \hat m = \frac{m}{1 - \beta_1^t}, \qquad
        \hat v = \frac{v}{1 - \beta_2^t}, \qquad
        \theta \leftarrow \theta - \eta\, \frac{\hat m}{\sqrt{\hat v} + \epsilon}.

    Parameters
    ----------
    lr : float
        The learning rate :math:`\eta`.
    beta1, beta2 : float, default 0.9 and 0.999
        Decay rates of the moment estimates, in [0, 1).
    eps : float, default 1e-8
        Keeps the division finite, greater than 0.
    clip_norm : float or None, default None
        Clip the gradients to this global norm first.

    References
    ----------
    .. [1] D. P. Kingma and J. Ba, "Adam: a method for stochastic
       optimization", ICLR 2015, arXiv:1412.6980.

    Examples
    --------
    >>> params = [{"W": np.array([1.0])}]
    >>> Adam(lr=0.1).step(params, [{"W": np.array([-5.0])}])
    >>> params  # the first step has length lr whatever the gradient's size
    [{'W': array([1.1])}]
    """

    def __init__(self, lr, beta1=0.9, beta2=0.999, eps=1e-8, clip_norm=None):
        super().__init__(lr, clip_norm)
        self.beta1 = _unit_interval(beta1, "beta1", "Adam")
        self.beta2 = _unit_interval(beta2, "beta2", "Adam")
        self.eps = _validation.positive_parameter(eps, "eps", "Adam")

    def init_state(self, param):
        return np.zeros_like(param), np.zeros_like(param)  # m and v

    def update(self, param, grad, moments):
        m, v = moments
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * grad**2
        m_hat = m / (1 - self.beta1**self.steps)
        v_hat = v / (1 - self.beta2**self.steps)
        param -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


#: The optimizers :func:`train` knows, by name.
OPTIMIZERS = {"sgd": SGD, "adam": Adam}


# Training.


@dataclass
class History:
    """What :func:`train` measured, one row per epoch.

    Row 0 is the network at initialisation, before any step; row :math:`e` is
    the network after epoch :math:`e`. Every row is measured on the whole
    training set in one forward and one backward pass (not averaged over the
    epoch's mini-batches), so the rows are comparable. A field is ``None``
    when it was not measured.

    Attributes
    ----------
    epoch : numpy.ndarray of int64, shape (epochs + 1,)
        0, 1, ..., epochs: the x-axis of a plot.
    loss : numpy.ndarray, shape (epochs + 1,)
        Training loss.
    accuracy : numpy.ndarray, shape (epochs + 1,), or None
        Training accuracy; ``None`` for ``loss="mse"``.
    val_loss, val_accuracy : numpy.ndarray, shape (epochs + 1,), or None
        The same on the validation set, if one was given.
    dead_fraction : numpy.ndarray, shape (epochs + 1, n_hidden)
        Fraction of dead units in each hidden layer
        (:func:`actlib.diagnostics.dead_fraction`).
    grad_norm : numpy.ndarray, shape (epochs + 1, n_layers)
        Norm of each layer's gradient, output layer last
        (:func:`actlib.diagnostics.layer_grad_norms`), before any clipping.
    activation_mean, activation_std, sparsity : numpy.ndarray
        Mean, standard deviation and fraction of exact zeros of each hidden
        layer's activations, shape (epochs + 1, n_hidden).
    diverged_epoch : int or None
        The epoch in which a mini-batch loss became NaN or infinite, if one
        did. Training stops there: that epoch's row describes the network as
        it was when the loss blew up (its loss is NaN or infinite), and the
        later rows are NaN.
    """

    epoch: np.ndarray
    loss: np.ndarray
    accuracy: np.ndarray | None
    val_loss: np.ndarray | None
    val_accuracy: np.ndarray | None
    dead_fraction: np.ndarray
    grad_norm: np.ndarray
    activation_mean: np.ndarray
    activation_std: np.ndarray
    sparsity: np.ndarray
    diverged_epoch: int | None = None


def train(
    model,
    X,
    y,
    *,
    epochs,
    lr,
    batch_size=32,
    seed=0,
    optimizer="sgd",
    momentum=0.0,
    loss="cross_entropy",
    clip_norm=None,
    X_val=None,
    y_val=None,
):
    r"""Train ``model`` in place by mini-batch gradient descent.

    Each epoch shuffles the training set and walks through it in mini-batches
    of ``batch_size`` (the last one may be smaller). For each batch:
    forward, loss, backward, one optimizer step. After each epoch, and once
    before the first, the network is measured on the whole training set (see
    :class:`History`).

    Parameters
    ----------
    model : MLP
    X : array_like, shape (n, layer_sizes[0])
    y : array_like, shape (n,) or (n, n_outputs)
        Class labels for ``loss="cross_entropy"``, targets for ``"mse"``.
    epochs : int
        Number of passes over the training set, at least 0.
    lr : float
        Learning rate.
    batch_size : int, default 32
    seed : int, default 0
        Seed of the shuffling. The same model, data and arguments give
        bitwise-identical weights and history.
    optimizer : {"sgd", "adam"}, default "sgd"
    momentum : float, default 0.0
        For ``"sgd"`` only.
    loss : {"cross_entropy", "mse"}, default "cross_entropy"
    clip_norm : float or None, default None
        Clip each step's gradients to this global norm.
    X_val, y_val : array_like or None
        A validation set, measured after every epoch.

    Returns
    -------
    History

    Notes
    -----
    Divergence: if a mini-batch loss is NaN or infinite, that batch's update
    is skipped, training stops, and ``History.diverged_epoch`` says when; the
    model keeps the parameters that produced the bad loss. No warning is
    raised for the overflow that led there: the history records it instead.
    """
    loss_fn = _choose(LOSSES, loss, "loss")
    optimizer = _make_optimizer(optimizer, lr, momentum, clip_norm)
    epochs = _validation.count_parameter(epochs, "epochs", "train", minimum=0)
    batch_size = _validation.count_parameter(batch_size, "batch_size", "train")
    train_set = _check_data_set(model, X, y, "X", "y")
    val_set = None
    if X_val is not None or y_val is not None:
        val_set = _check_data_set(model, X_val, y_val, "X_val", "y_val")
    history = _empty_history(
        model, epochs, classify=loss == "cross_entropy", validate=val_set is not None
    )
    rng = np.random.default_rng(seed)
    # Overflow is how divergence starts; it is detected and recorded below.
    with np.errstate(over="ignore", invalid="ignore"):
        _record(history, 0, model, loss_fn, train_set, val_set)
        for epoch in range(1, epochs + 1):
            finite = _run_epoch(model, optimizer, loss_fn, train_set, batch_size, rng)
            _record(history, epoch, model, loss_fn, train_set, val_set)
            if not finite:
                history.diverged_epoch = epoch
                break
    return history


def _run_epoch(model, optimizer, loss_fn, train_set, batch_size, rng):
    """One pass over the shuffled training set; False if the loss blew up."""
    X, y = train_set
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        batch = order[start : start + batch_size]
        value, dout = loss_fn(model.forward(X[batch]), y[batch])
        if not np.isfinite(value):
            return False
        optimizer.step(model.params, model.backward(dout))
    return True


def _record(history, epoch, model, loss_fn, train_set, val_set):
    """Fill row ``epoch`` of ``history`` from one full pass over the data."""
    X, y = train_set
    output = model.forward(X)
    value, dout = loss_fn(output, y)
    history.loss[epoch] = value
    history.grad_norm[epoch] = diagnostics.layer_grad_norms(model.backward(dout))
    if history.accuracy is not None:
        history.accuracy[epoch] = _accuracy(output, y)
    cache = model.cache
    for j, (Z, A) in enumerate(
        zip(cache.hidden_pre_activations, cache.hidden_activations, strict=True)
    ):
        history.dead_fraction[epoch, j] = diagnostics.dead_fraction(Z)
        history.activation_mean[epoch, j] = A.mean()
        history.activation_std[epoch, j] = A.std()
        history.sparsity[epoch, j] = diagnostics.sparsity(A)
    if val_set is not None:
        X_val, y_val = val_set
        val_output = model.forward(X_val)
        history.val_loss[epoch] = loss_fn(val_output, y_val)[0]
        if history.val_accuracy is not None:
            history.val_accuracy[epoch] = _accuracy(val_output, y_val)


def _empty_history(model, epochs, classify, validate):
    """A History of NaNs, with the accuracy and validation fields it will fill."""

    def rows(*shape):
        return np.full((epochs + 1, *shape), np.nan)

    return History(
        epoch=np.arange(epochs + 1),
        loss=rows(),
        accuracy=rows() if classify else None,
        val_loss=rows() if validate else None,
        val_accuracy=rows() if classify and validate else None,
        dead_fraction=rows(model.n_hidden),
        grad_norm=rows(model.n_layers),
        activation_mean=rows(model.n_hidden),
        activation_std=rows(model.n_hidden),
        sparsity=rows(model.n_hidden),
    )


def _accuracy(logits, y):
    """Fraction of rows whose largest logit is at the true class."""
    return np.mean(np.argmax(logits, axis=1) == y)


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


def _init_std(init, fan_in, fan_out):
    """The standard deviation of a layer's initial weights."""
    if isinstance(init, str):
        if init not in INITS:
            raise ValueError(
                f"MLP(): unknown init {init!r}; choose one of: {', '.join(INITS)}, "
                "or a number (the standard deviation)"
            )
        return INITS[init](fan_in, fan_out)
    return _validation.positive_parameter(init, "init", "MLP")


def _initial_slope(activation):
    alpha = activation.params["alpha"]
    if np.ndim(alpha) != 0:
        raise ValueError(
            "MLP(): the initial PReLU slope 'alpha' must be one number; the network "
            "makes one slope per unit (or per layer with prelu_shared=True)"
        )
    return alpha


def _slope(layer):
    """A layer's learnable PReLU slope, as keyword arguments for the activation."""
    return {"alpha": layer["alpha"]} if "alpha" in layer else {}


def _slope_grad(G, Z, alpha):
    r"""The PReLU slope gradient :math:`\sum G \odot \min(0, Z)`, shaped like alpha.

    Summed over the samples for one slope per unit, and over the units too
    for a shared slope.
    """
    per_unit = np.sum(G * np.minimum(Z, 0), axis=0)
    return per_unit if alpha.ndim else np.array(per_unit.sum())


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


def _check_data_set(model, X, y, x_name, y_name):
    if X is None or y is None:
        raise ValueError(f"train(): give both {x_name} and {y_name}, or neither")
    X, y = _check_input(model, X, f"train(): {x_name}"), np.asarray(y)
    if len(y) != len(X):
        raise ValueError(
            f"train(): {x_name} has {len(X)} rows but {y_name} has {len(y)}"
        )
    return X, y


def _unit_interval(value, param, name):
    value = _validation.real_parameter(value, param, name)
    if not 0 <= value < 1:
        raise ValueError(
            f"{name}(): parameter {param!r} must be in [0, 1), got {value}"
        )
    return value


def _choose(table, key, param):
    if key not in table:
        raise ValueError(
            f"train(): unknown {param} {key!r}; choose one of: {', '.join(table)}"
        )
    return table[key]


def _make_optimizer(name, lr, momentum, clip_norm):
    kind = _choose(OPTIMIZERS, name, "optimizer")
    if kind is SGD:
        return SGD(lr, momentum=momentum, clip_norm=clip_norm)
    if momentum:
        raise ValueError(
            f"train(): momentum is for optimizer='sgd'; {name!r} has its own "
            "(Adam's beta1)"
        )
    return kind(lr, clip_norm=clip_norm)
