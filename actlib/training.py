r"""Training: optimizers that keep their state, the training loop, its History.

Parameters and gradients are lists with one dict of arrays per layer, as
:attr:`actlib.nn.MLP.params` and :meth:`actlib.nn.MLP.backward` lay them out.
An optimizer updates the parameter arrays in place, one step per mini-batch,
and keeps what it needs between steps (a velocity, moment estimates, the step
count). :func:`train` runs epochs of mini-batch steps and measures the network
after each one.

Because the optimizer keeps its state, and counts the epochs it has trained,
training can stop and go on: a second call to :func:`train` with the same
optimizer (and, for the same shuffles as one long call, the same
:class:`numpy.random.Generator`) continues where the first stopped, and
:meth:`History.join` makes one history of the two::

    >>> import numpy as np
    >>> from actlib import data, nn, training
    >>> X, y = data.moons(200, seed=0)
    >>> model = nn.MLP([2, 16, 16, 2], seed=0)
    >>> sgd, rng = training.SGD(lr=0.1, momentum=0.9), np.random.default_rng(0)
    >>> first = training.train(model, (X, y), optimizer=sgd, epochs=3, seed=rng)
    >>> then = training.train(model, (X, y), optimizer=sgd, epochs=2, seed=rng)
    >>> then.epoch
    array([3, 4, 5])
    >>> first.join(then).epoch
    array([0, 1, 2, 3, 4, 5])
"""

import dataclasses
import math
import numbers

import numpy as np

from actlib import _validation, diagnostics, nn

# Optimizers.


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
    r"""What every optimizer does: clip the gradients, then update each array.

    Subclasses write ``init_state(param)``, which makes the state kept for one
    parameter array (a velocity, moment estimates), and ``update(param, grad,
    state)``, which changes ``param`` in place.

    Parameters
    ----------
    lr : float
        The learning rate :math:`\eta`, greater than 0.
    clip_norm : float or None, default None
        If given, gradients are first clipped to this global norm (see
        :func:`clip_by_global_norm`).

    Attributes
    ----------
    steps : int
        Number of steps taken, :math:`t`.
    epochs : int
        Number of epochs :func:`train` has run with this optimizer. The next
        :func:`train` call numbers its :class:`History` from here.
    params : list of numpy.ndarray or None
        The arrays this optimizer updates, remembered at its first step.
    state : list or None
        One entry per array of :attr:`params`, created at the first step.

    Notes
    -----
    An optimizer belongs to one model: its state describes that model's
    parameters. Stepping it with other arrays raises ``ValueError``; make a
    new optimizer for each model.
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
        self.epochs = 0
        self.params = None
        self.state = None

    def step(self, params, grads):
        """Update ``params`` in place, one step against ``grads``.

        Parameters
        ----------
        params : list of dict of numpy.ndarray
            As in :attr:`actlib.nn.MLP.params`.
        grads : list of dict of numpy.ndarray
            Laid out like ``params``, as :meth:`actlib.nn.MLP.backward` returns
            them.
        """
        self.check_params(params)
        if self.clip_norm is not None:
            grads = clip_by_global_norm(grads, self.clip_norm)
        pairs = [
            (param, layer_grads[key])
            for layer, layer_grads in zip(params, grads, strict=True)
            for key, param in layer.items()
        ]
        if self.state is None:
            self.params = [param for param, _ in pairs]
            self.state = [self.init_state(param) for param in self.params]
        self.steps += 1
        for (param, grad), state in zip(pairs, self.state, strict=True):
            self.update(param, grad, state)

    def check_params(self, params):
        """Raise ``ValueError`` if ``params`` are not the arrays this optimizer updates.

        Any parameters pass before the first step.
        """
        if self.state is None:
            return
        arrays = [param for layer in params for param in layer.values()]
        if len(arrays) != len(self.params) or any(
            given is not own for given, own in zip(arrays, self.params, strict=True)
        ):
            raise ValueError(
                f"{type(self).__name__}: this optimizer has state for other "
                "parameter arrays (another model's); make one optimizer per model"
            )


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


# The training loop and what it measures.


@dataclasses.dataclass
class History:
    """What :func:`train` measured, one row per epoch.

    The first row is the network as :func:`train` received it, before any
    step; each later row is the network after one more epoch. Every row is
    measured on the whole training set with the parameters fixed (not
    averaged over the epoch's mini-batches, during which they change), so the
    rows are comparable. The pass goes through the set in blocks of rows;
    the numbers are those of one pass over all of it, up to rounding. A field
    is ``None`` when it was not measured.

    Attributes
    ----------
    epoch : numpy.ndarray of int64, shape (epochs + 1,)
        :math:`e_0, e_0 + 1, \\dots, e_0 + \\text{epochs}`: the x-axis of a
        plot. :math:`e_0` is the number of epochs the optimizer had already
        trained (``optimizer.epochs``), 0 for a new optimizer.
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
    learned : dict of str to list of numpy.ndarray
        The activation's learnable parameters after each epoch: for each
        name (PReLU: ``"alpha"``), one array per hidden layer, of shape
        ``(epochs + 1, width)``, or ``(epochs + 1,)`` with
        ``shared_params=True``. Empty when the activation learns nothing.
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
    learned: dict = dataclasses.field(default_factory=dict)

    def join(self, later):
        """This history followed by ``later``, as one history.

        ``later`` comes from the next :func:`train` call with the same model
        and optimizer, so it starts at the epoch where this history ends. Its
        first row measures the same network as this history's last row, and
        is dropped.

        Parameters
        ----------
        later : History

        Returns
        -------
        History
            A new history; neither part is changed. ``diverged_epoch`` is
            ``later``'s.

        Raises
        ------
        ValueError
            If ``later`` does not start where this history ends, if this
            history diverged (training cannot go on from a blown-up network),
            or if the two measured different things (one has a validation
            set, or the networks have different layers).

        Examples
        --------
        Several parts join from left to right:
        ``functools.reduce(History.join, parts)``.
        """
        if not isinstance(later, History):
            raise TypeError(
                f"History.join(): expected a History, got {type(later).__name__}"
            )
        if self.diverged_epoch is not None:
            raise ValueError(
                f"History.join(): this history diverged at epoch "
                f"{self.diverged_epoch}; no training follows it"
            )
        if later.epoch[0] != self.epoch[-1]:
            raise ValueError(
                f"History.join(): this history ends at epoch {self.epoch[-1]} but "
                f"the later one starts at epoch {later.epoch[0]}; join the "
                "histories of consecutive train() calls with one optimizer"
            )
        if self.learned.keys() != later.learned.keys():
            raise ValueError(
                "History.join(): the histories record different learned "
                f"parameters, {sorted(self.learned)} and {sorted(later.learned)}"
            )
        joined = {
            field.name: _join_rows(
                getattr(self, field.name), getattr(later, field.name), field.name
            )
            for field in dataclasses.fields(self)
            if field.name not in ("diverged_epoch", "learned")
        }
        learned = {
            name: [
                _join_rows(first, second, f"learned[{name!r}]")
                for first, second in zip(rows, later.learned[name], strict=True)
            ]
            for name, rows in self.learned.items()
        }
        return History(**joined, diverged_epoch=later.diverged_epoch, learned=learned)


def _join_rows(first, second, name):
    """The rows of ``first``, then those of ``second`` but its first one."""
    if (first is None) != (second is None):
        raise ValueError(
            f"History.join(): {name} was measured in one history and not in the "
            "other (a validation set, or the loss, differs)"
        )
    if first is None:
        return None
    if first.shape[1:] != second.shape[1:]:
        raise ValueError(
            f"History.join(): {name} has rows of shape {first.shape[1:]} in one "
            f"history and {second.shape[1:]} in the other (another network?)"
        )
    return np.concatenate([first, second[1:]])


def train(
    model,
    data,
    *,
    optimizer,
    epochs,
    batch_size=32,
    seed=0,
    loss="cross_entropy",
    val=None,
):
    r"""Train ``model`` in place by mini-batch gradient descent.

    Each epoch shuffles the training set and walks through it in mini-batches
    of ``batch_size`` (the last one may be smaller). For each batch:
    forward, loss, backward, one optimizer step. Before the first epoch and
    after each one, the network is measured on the whole training set (see
    :class:`History`).

    Parameters
    ----------
    model : actlib.nn.MLP
    data : pair of array_like
        The training set ``(X, y)``: ``X`` of shape ``(n, layer_sizes[0])``;
        ``y`` of class labels, shape ``(n,)``, for ``loss="cross_entropy"``,
        or of targets, shape ``(n, layer_sizes[-1])`` (or ``(n,)`` for one
        output), for ``"mse"``.
    optimizer : Optimizer
        Such as ``SGD(lr=0.1, momentum=0.9)`` or ``Adam(lr=0.01)``. It is
        updated too: its state, step count and epoch count go on from where
        they are.
    epochs : int
        Number of passes over the training set, at least 0.
    batch_size : int, default 32
    seed : int or numpy.random.Generator, default 0
        The shuffling: an int seeds a new :func:`numpy.random.default_rng`;
        a Generator is used, and advanced, as it is.
    loss : {"cross_entropy", "mse"}, default "cross_entropy"
    val : pair of array_like, or None
        A validation set ``(X_val, y_val)``, measured with every row.

    Returns
    -------
    History
        Numbered from ``optimizer.epochs`` as it was at the call.

    Raises
    ------
    TypeError, ValueError
        For any argument that is wrong, with a message that names it. Every
        argument is checked before the model changes.

    Notes
    -----
    Determinism: the same model, data and arguments give bitwise-identical
    weights and history.

    Resuming: training for :math:`a` epochs and then for :math:`b` more, with
    the same optimizer and the same Generator as ``seed``, gives bitwise the
    same weights as training for :math:`a + b` epochs in one call, and
    ``first.join(second)`` (see :meth:`History.join`) the same history. With
    an int seed, the second call starts its shuffles afresh.

    Divergence: if a mini-batch loss is NaN or infinite, that batch's update
    is skipped, training stops, and ``History.diverged_epoch`` says when; the
    model keeps the parameters that produced the bad loss, and that epoch
    counts in ``optimizer.epochs``. No warning is raised for the overflow
    that led there: the history records it instead.
    """
    _check_model(model)
    _check_optimizer(optimizer, model)
    loss_fn = _loss_function(loss)
    epochs = _validation.count_parameter(epochs, "epochs", "train", minimum=0)
    batch_size = _validation.count_parameter(batch_size, "batch_size", "train")
    rng = _shuffling(seed)
    train_set = _check_data_set(model, data, "data", ("X", "y"), loss)
    val_set = None
    if val is not None:
        val_set = _check_data_set(model, val, "val", ("X_val", "y_val"), loss)
    history = _empty_history(
        model,
        first_epoch=optimizer.epochs,
        epochs=epochs,
        classify=loss == "cross_entropy",
        validate=val_set is not None,
    )
    # Overflow is how divergence starts; it is detected and recorded below.
    with np.errstate(over="ignore", invalid="ignore"):
        _record(history, 0, model, loss_fn, train_set, val_set)
        for row in range(1, epochs + 1):
            finite = _run_epoch(model, optimizer, loss_fn, train_set, batch_size, rng)
            optimizer.epochs += 1
            _record(history, row, model, loss_fn, train_set, val_set)
            if not finite:
                history.diverged_epoch = optimizer.epochs
                break
    return history


def _run_epoch(model, optimizer, loss_fn, train_set, batch_size, rng):
    """One pass over the shuffled training set; False if the loss blew up."""
    X, y = train_set
    order = rng.permutation(len(X))
    X, y = X[order], y[order]  # shuffled once; each batch is then a slice
    for start in range(0, len(X), batch_size):
        batch = slice(start, start + batch_size)
        value, dout = loss_fn(model.forward(X[batch]), y[batch])
        if not math.isfinite(value):
            return False
        optimizer.step(model.params, model.backward(dout))
    return True


def _record(history, row, model, loss_fn, train_set, val_set):
    """Fill row ``row`` of ``history``: the network measured on the whole data set."""
    classify = history.accuracy is not None
    train = _measure(model, loss_fn, *train_set, classify, layers=True)
    history.loss[row] = train["loss"]
    history.grad_norm[row] = diagnostics.layer_grad_norms(train["grads"])
    if classify:
        history.accuracy[row] = train["accuracy"]
    history.dead_fraction[row] = train["dead_fraction"]
    history.activation_mean[row] = train["mean"]
    history.activation_std[row] = train["std"]
    history.sparsity[row] = train["sparsity"]
    for name, per_layer in history.learned.items():
        for rows, layer in zip(per_layer, model.params[:-1], strict=True):
            rows[row] = layer[name]
    if val_set is not None:
        val = _measure(model, loss_fn, *val_set, classify, layers=False)
        history.val_loss[row] = val["loss"]
        if classify:
            history.val_accuracy[row] = val["accuracy"]


#: Rows per block of the measurements after each epoch (see :func:`_measure`).
MEASUREMENT_BLOCK = 128


def _measure(model, loss_fn, X, y, classify, layers):
    r"""The network on all of ``(X, y)``, measured block by block.

    Returns a dict: the mean ``loss``; the ``accuracy`` if ``classify``; and
    if ``layers``, the gradient of the mean loss, ``grads``, and each hidden
    layer's ``dead_fraction``, activation ``mean``, ``std`` and
    ``sparsity``, one entry per hidden layer.

    Each is what one pass over the whole set gives, up to rounding. With
    :math:`w_b = n_b / n` the share of block :math:`b` in the :math:`n` rows:
    the mean loss is :math:`\sum_b w_b L_b` and its gradient
    :math:`\sum_b w_b \nabla L_b`; a unit is dead if it is dead in every
    block; a layer's mean is :math:`\mu = \sum_b w_b \mu_b` and its
    variance, by the law of total variance,
    :math:`\sigma^2 = \sum_b w_b \bigl(\sigma_b^2 + (\mu_b - \mu)^2\bigr)`.

    Why blocks: in one pass over 1,000 samples, each array of a 64-unit
    layer takes 512 KiB. The memory allocator hands such arrays back to the
    operating system when they are freed, and the next epoch's pass must
    fault them in again, page by page: up to half of the pass's time.
    Blocks of :data:`MEASUREMENT_BLOCK` rows (64 KiB per array) reuse the
    same memory from block to block and from epoch to epoch.
    """
    n, widths = len(X), model.layer_sizes[1:-1]
    starts = range(0, n, MEASUREMENT_BLOCK)
    loss, correct, grads = 0.0, 0, None
    alive = [np.zeros(width, dtype=bool) for width in widths]
    zeros = np.zeros(len(widths))
    weights = np.empty((len(starts), 1))
    means, variances = np.empty((2, len(starts), len(widths)))
    for b, start in enumerate(starts):
        rows = slice(start, start + MEASUREMENT_BLOCK)
        output = model.forward(X[rows])
        value, dout = loss_fn(output, y[rows])
        weights[b] = len(output) / n
        loss += weights[b, 0] * value
        if classify:
            correct += np.count_nonzero(np.argmax(output, axis=1) == y[rows])
        if not layers:  # a validation set: its loss and accuracy only
            continue
        dout *= weights[b, 0]  # this block's share of the gradient of the mean loss
        block_grads = model.backward(dout)
        grads = block_grads if grads is None else _sum(grads, block_grads)
        cache = model.cache
        for j, (Z, A) in enumerate(
            zip(cache.hidden_pre_activations, cache.hidden_activations, strict=True)
        ):
            alive[j] |= ~diagnostics.dead_units(Z)
            zeros[j] += np.count_nonzero(A == 0)
            means[b, j] = A.mean()
            deviation = A - means[b, j]
            variances[b, j] = np.vdot(deviation, deviation) / A.size
    measured = {"loss": loss, "accuracy": correct / n if classify else None}
    if layers:
        mean = np.sum(weights * means, axis=0)
        variance = np.sum(weights * (variances + (means - mean) ** 2), axis=0)
        measured |= {
            "grads": grads,
            "dead_fraction": [np.mean(~unit_alive) for unit_alive in alive],
            "mean": mean,
            "std": np.sqrt(variance),
            "sparsity": zeros / (n * np.array(widths)),
        }
    return measured


def _sum(grads, more):
    """Two gradients, laid out as MLP.backward returns them, added."""
    return [
        {key: g + more_layer[key] for key, g in layer.items()}
        for layer, more_layer in zip(grads, more, strict=True)
    ]


def _empty_history(model, first_epoch, epochs, classify, validate):
    """A History of NaNs to fill, its epochs numbered from ``first_epoch``."""

    def rows(*shape):
        return np.full((epochs + 1, *shape), np.nan)

    hidden = model.params[:-1]
    return History(
        epoch=np.arange(first_epoch, first_epoch + epochs + 1),
        loss=rows(),
        accuracy=rows() if classify else None,
        val_loss=rows() if validate else None,
        val_accuracy=rows() if classify and validate else None,
        dead_fraction=rows(model.n_hidden),
        grad_norm=rows(model.n_layers),
        activation_mean=rows(model.n_hidden),
        activation_std=rows(model.n_hidden),
        sparsity=rows(model.n_hidden),
        learned={
            name: [rows(*layer[name].shape) for layer in hidden]
            for name in model.activation.learnable
        },
    )


# Argument checks.


def _unit_interval(value, param, name):
    value = _validation.real_parameter(value, param, name)
    if not 0 <= value < 1:
        raise ValueError(
            f"{name}(): parameter {param!r} must be in [0, 1), got {value}"
        )
    return value


def _check_model(model):
    if not isinstance(model, nn.MLP):
        raise TypeError(
            f"train(): model must be an actlib.nn.MLP, got {type(model).__name__}"
        )


def _check_optimizer(optimizer, model):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            "train(): optimizer must be an Optimizer, such as SGD(lr=0.1) or "
            f"Adam(lr=0.01), got {optimizer!r}"
        )
    optimizer.check_params(model.params)


def _loss_function(loss):
    if not isinstance(loss, str) or loss not in nn.LOSSES:
        raise ValueError(
            f"train(): unknown loss {loss!r}; choose one of: {', '.join(nn.LOSSES)}"
        )
    return nn.LOSSES[loss]


def _shuffling(seed):
    """The random generator of the shuffles: ``seed`` itself, or one seeded by it."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"train(): seed must be an int or a numpy.random.Generator, got {seed!r}"
        )
    if seed < 0:
        raise ValueError(f"train(): seed must be at least 0, got {seed}")
    return np.random.default_rng(seed)


def _check_data_set(model, pair, what, names, loss):
    """``(X, y)`` as arrays, checked against the network and the loss."""
    x_name, y_name = names
    if not isinstance(pair, tuple | list) or len(pair) != 2:
        raise TypeError(
            f"train(): {what} must be a pair ({x_name}, {y_name}), "
            f"got {type(pair).__name__}"
        )
    X = _real_array(pair[0], x_name)
    n_inputs = model.layer_sizes[0]
    if X.ndim != 2 or X.shape[1] != n_inputs or len(X) == 0:
        raise ValueError(
            f"train(): {x_name} must have shape (n_samples, {n_inputs}) for this "
            f"MLP, with at least one sample, got {X.shape}"
        )
    y = np.asarray(pair[1])
    if y.ndim == 0 or len(y) != len(X):
        raise ValueError(
            f"train(): {x_name} has {len(X)} rows but {y_name} has "
            f"{len(y) if y.ndim else 'none'}"
        )
    n_outputs = model.layer_sizes[-1]
    if loss == "cross_entropy":
        _check_labels(y, n_outputs, y_name)
    else:
        y = _real_array(y, y_name)
        one_output = n_outputs == 1 and y.ndim == 1
        if not one_output and y.shape[1:] != (n_outputs,):
            raise ValueError(
                f"train(): {y_name} must have shape (n_samples, {n_outputs}) "
                f"for this MLP's {n_outputs} outputs, got {y.shape}"
            )
    return X, y


def _real_array(values, name):
    """``values`` as a float64 array of finite numbers."""
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"train(): {name} must hold real numbers, got dtype {array.dtype}"
        )
    array = array.astype(np.float64, copy=False)
    if not np.isfinite(array).all():
        raise ValueError(f"train(): {name} must be finite numbers")
    return array


def _check_labels(y, n_classes, name):
    if y.ndim != 1 or y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= n_classes:
        raise ValueError(
            f"train(): {name} must be a vector of class labels, integers from 0 to "
            f"{n_classes - 1} for this MLP's {n_classes} outputs, got {y.dtype} "
            f"values of shape {y.shape}"
        )
