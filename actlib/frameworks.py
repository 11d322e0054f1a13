"""What PyTorch, Keras and JAX do by default, next to what actlib does.

The same name does not mean the same function in every library: Leaky ReLU's
slope, PReLU's starting slope, the derivative at the kink and the form of GELU
all differ. This module keeps every such fact in one table, :data:`FACTS`. A
row is a :class:`Fact` (a question such as "Leaky ReLU's default slope"); each
of its four cells answers it for one library with one or more :class:`Claim`
objects, and each claim names the API it is about, so that a reader can look
it up::

    >>> from actlib import frameworks
    >>> fact = frameworks.FACTS["leaky_relu_slope"]
    >>> for claim in fact.keras:
    ...     print(claim.api, claim.value)
    keras.layers.LeakyReLU(negative_slope) 0.3
    keras.activations.leaky_relu(x, negative_slope) 0.2
    keras.layers.Dense(units, activation="leaky_relu") 0.2

The table is typed by hand, but it is not taken on trust: the test
suite (``tests/test_frameworks.py``) measures every claim with the framework
itself, whenever PyTorch, JAX and Keras are installed (``pip install -r
requirements-frameworks.txt``; Keras on its JAX backend). Nothing here imports
a framework until a function that needs one is called.

:func:`markdown_table` and :func:`markdown_sources` show the table, or some of
its rows, in a page. :func:`measure_torch_gelu` and
:func:`torch_gelu_sentence` measure a claim about PyTorch's numerics rather
than state it, since a new version may change it.
"""

from dataclasses import dataclass

import numpy as np
from scipy import special

#: How to install the frameworks, for messages.
INSTALL = "pip install -r requirements-frameworks.txt"

#: The libraries of the table, in the order of its columns, with their headers.
COLUMNS = {
    "actlib": "`actlib`",
    "pytorch": "PyTorch",
    "keras": "Keras 3",
    "jax": "JAX",
}

#: The value of a claim that a derivative equals the activation's own slope
#: parameter (Leaky ReLU's and PReLU's α), whatever that slope is.
SLOPE = "α"


@dataclass(frozen=True)
class Claim:
    """What one API of one library does, as the table states it.

    Attributes
    ----------
    api : str
        The function, class or method the claim is about, with the parameter
        names that set what is claimed, as a reader would look it up:
        ``"torch.nn.LeakyReLU(negative_slope)"``.
    value : float, str or None
        What it is: a number, :data:`SLOPE`, a short phrase such as
        ``"exact"``, or ``None`` when the library has no such API.
    label : str, default ""
        Tells two claims of one library apart in the table: ``"layer"``.
    """

    api: str
    value: float | str | None
    label: str = ""

    def shown(self):
        """The value as a table shows it: ``"0.3"``, ``"exact"``, ``"—"`` for none.

        Examples
        --------
        >>> Claim("keras.layers.LeakyReLU(negative_slope)", 0.3, "layer").shown()
        '0.3'
        """
        if self.value is None:
            return "—"
        return f"{self.value:g}" if isinstance(self.value, float) else self.value


@dataclass(frozen=True)
class Fact:
    """One row of the table: one question, answered for each library.

    Attributes
    ----------
    title : str
        The question, as the row's heading: ``"Leaky ReLU's default slope"``.
    actlib, pytorch, keras, jax : tuple of Claim
        The answer of each library (a list is turned into a tuple).
    note : str, default ""
        Why the answers are what they are, in Markdown.
    """

    title: str
    actlib: tuple
    pytorch: tuple
    keras: tuple
    jax: tuple
    note: str = ""

    def __post_init__(self):
        for column in COLUMNS:
            object.__setattr__(self, column, tuple(getattr(self, column)))

    def claims(self, column):
        """The claims of one library: a key of :data:`COLUMNS`."""
        return getattr(self, column)


# The names of weight distributions used in the table. n_in is a layer's
# fan-in (its number of inputs), n_out its fan-out.
#   He normal              normal, mean 0, standard deviation √(2/n_in)
#   He normal, cut at 2σ   the same variance 2/n_in, but drawn from a normal cut
#                          off at two of its standard deviations (and widened
#                          to keep the variance)
#   Glorot uniform         uniform on ±√(6/(n_in + n_out))
#   uniform ±1/√n_in       uniform on ±1/√n_in
#   zero                   every value 0

#: The table: one Fact per key.
FACTS = {
    "leaky_relu_slope": Fact(
        "Leaky ReLU's default slope",
        actlib=[Claim("actlib.leaky_relu(x, alpha)", 0.01)],
        pytorch=[
            Claim("torch.nn.LeakyReLU(negative_slope)", 0.01),
            Claim("torch.nn.functional.leaky_relu(input, negative_slope)", 0.01),
        ],
        keras=[
            Claim("keras.layers.LeakyReLU(negative_slope)", 0.3, "layer"),
            Claim("keras.activations.leaky_relu(x, negative_slope)", 0.2, "function"),
            Claim(
                'keras.layers.Dense(units, activation="leaky_relu")', 0.2, "function"
            ),
        ],
        jax=[Claim("jax.nn.leaky_relu(x, negative_slope)", 0.01)],
        note='In Keras, `Dense(..., activation="leaky_relu")` calls the function, '
        "so it and a `LeakyReLU()` layer are two different models.",
    ),
    "prelu_initial_slope": Fact(
        "PReLU's initial slope",
        actlib=[Claim("actlib.prelu(x, alpha)", 0.25)],
        pytorch=[Claim("torch.nn.PReLU(num_parameters, init)", 0.25)],
        keras=[Claim("keras.layers.PReLU(alpha_initializer)", 0.0)],
        jax=[Claim("jax.nn.prelu", None)],
        note="A Keras PReLU starts at 0, that is as a ReLU. `jax.nn` has no PReLU.",
    ),
    "prelu_slopes": Fact(
        "PReLU's learned slopes",
        actlib=[
            Claim(
                'actlib.nn.MLP(layer_sizes, shared_params, activation="prelu")',
                "one per unit",
            )
        ],
        pytorch=[Claim("torch.nn.PReLU(num_parameters, init)", "one, shared")],
        keras=[
            Claim("keras.layers.PReLU(alpha_initializer, shared_axes)", "one per entry")
        ],
        jax=[Claim("jax.nn.prelu", None)],
        note="PyTorch learns one slope per channel (axis 1 of the input) when "
        "`num_parameters` is the number of channels. Keras learns one for every "
        "entry of a sample, so for a feature map one per position *and* channel, "
        "unless `shared_axes` lists the axes to share along. `actlib.nn.MLP` "
        "learns one per layer with `shared_params=True`.",
    ),
    "relu_grad_at_0": Fact(
        "ReLU's derivative at 0",
        actlib=[Claim("actlib.relu(x)", 0.0)],
        pytorch=[Claim("torch.nn.ReLU()", 0.0)],
        keras=[Claim("keras.activations.relu(x)", 0.0, "on JAX")],
        jax=[
            Claim("jax.nn.relu(x)", 0.0),
            Claim("jax.numpy.maximum(x, 0)", 0.5, "`jnp.maximum(x, 0)`"),
        ],
        note="Derivatives are those of automatic differentiation "
        "(`torch.autograd`, `jax.grad`) at 0.0 and −0.0. `jax.nn.relu` has a "
        "custom derivative rule that gives 0 at 0; without it, JAX splits a tie "
        "in a maximum evenly and gives 1/2. Keras's activations call the "
        "backend's functions, so they follow the backend's conventions; the "
        "Keras column is measured on the JAX backend.",
    ),
    "leaky_relu_grad_at_0": Fact(
        "Leaky ReLU's derivative at 0",
        actlib=[Claim("actlib.leaky_relu(x, alpha)", SLOPE)],
        pytorch=[Claim("torch.nn.LeakyReLU(negative_slope)", SLOPE)],
        keras=[
            Claim("keras.layers.LeakyReLU(negative_slope)", 1.0, "on JAX"),
            Claim("keras.activations.leaky_relu(x, negative_slope)", 1.0, "on JAX"),
        ],
        jax=[Claim("jax.nn.leaky_relu(x, negative_slope)", 1.0)],
        note="`jax.nn.leaky_relu` is `jnp.where(x >= 0, x, negative_slope * x)`, "
        "and automatic differentiation takes the derivative of the branch that "
        "`where` selects: 1 at 0. PyTorch's autograd, and `actlib`, give the "
        "slope α of the left branch.",
    ),
    "prelu_grad_at_0": Fact(
        "PReLU's derivative at 0",
        actlib=[Claim("actlib.prelu(x, alpha)", SLOPE)],
        pytorch=[Claim("torch.nn.PReLU(num_parameters, init)", SLOPE)],
        keras=[Claim("keras.layers.PReLU(alpha_initializer)", 0.0, "on JAX")],
        jax=[Claim("jax.nn.prelu", None)],
        note="Keras's PReLU layer computes relu(x) − α·relu(−x), whose "
        "derivative at 0 is 0 wherever relu'(0) = 0.",
    ),
    "gelu_default": Fact(
        "GELU by default",
        actlib=[Claim("actlib.gelu(x, approximate)", "exact")],
        pytorch=[Claim("torch.nn.GELU(approximate)", "exact")],
        keras=[
            Claim("keras.activations.gelu(x, approximate)", "exact", "activations"),
            Claim("keras.ops.gelu(x, approximate)", "tanh", "ops"),
        ],
        jax=[Claim("jax.nn.gelu(x, approximate)", "tanh")],
        note="The exact GELU is x·Φ(x); the tanh form approximates Φ. PyTorch "
        "chooses the form with `approximate='none'` or `'tanh'`, Keras and JAX "
        "with `approximate=False` or `True`.",
    ),
    "softplus_large_x": Fact(
        "Softplus for large βx",
        actlib=[Claim("actlib.softplus(x, beta)", "exact")],
        pytorch=[Claim("torch.nn.Softplus(beta, threshold)", "x once βx > 20")],
        keras=[Claim("keras.activations.softplus(x)", "exact")],
        jax=[Claim("jax.nn.softplus(x)", "exact")],
        note="PyTorch returns x itself once βx is above its `threshold`; the "
        "exact value is larger by log(1 + exp(−βx))/β. Measured in float64.",
    ),
    "softplus_beta": Fact(
        "Softplus's default β",
        actlib=[Claim("actlib.softplus(x, beta)", 1.0)],
        pytorch=[Claim("torch.nn.Softplus(beta, threshold)", 1.0)],
        keras=[Claim("keras.activations.softplus(x)", 1.0)],
        jax=[Claim("jax.nn.softplus(x)", 1.0)],
        note="Softplus is log(1 + exp(βx))/β; Keras and JAX have no β.",
    ),
    "elu_alpha": Fact(
        "ELU's default α",
        actlib=[Claim("actlib.elu(x, alpha)", 1.0)],
        pytorch=[Claim("torch.nn.ELU(alpha)", 1.0)],
        keras=[
            Claim("keras.activations.elu(x, alpha)", 1.0),
            Claim("keras.layers.ELU(alpha)", 1.0),
        ],
        jax=[Claim("jax.nn.elu(x, alpha)", 1.0)],
    ),
    "selu_scale": Fact(
        "SELU's λ",
        actlib=[Claim("actlib.selu(x)", 1.0507009873554805)],
        pytorch=[Claim("torch.nn.SELU()", 1.0507009873554805)],
        keras=[Claim("keras.activations.selu(x)", 1.0507009873554805)],
        jax=[Claim("jax.nn.selu(x)", 1.0507009873554805)],
        note="SELU is λ·x for x > 0 and λα(exp(x) − 1) otherwise.",
    ),
    "selu_alpha": Fact(
        "SELU's α",
        actlib=[Claim("actlib.selu(x)", 1.6732632423543772)],
        pytorch=[Claim("torch.nn.SELU()", 1.6732632423543772)],
        keras=[Claim("keras.activations.selu(x)", 1.6732632423543772)],
        jax=[Claim("jax.nn.selu(x)", 1.6732632423543772)],
    ),
    "swish_beta": Fact(
        "Swish's β",
        actlib=[Claim("actlib.swish(x, beta)", 1.0)],
        pytorch=[Claim("torch.nn.SiLU()", 1.0)],
        keras=[
            Claim("keras.activations.silu(x)", 1.0),
            Claim("keras.activations.swish(x)", 1.0),
        ],
        jax=[Claim("jax.nn.silu(x)", 1.0), Claim("jax.nn.swish(x)", 1.0)],
        note="Swish is x·σ(βx); with β = 1 it is the SiLU, the only form the "
        "frameworks offer.",
    ),
    "dense_init": Fact(
        "Dense layer's initial weights",
        actlib=[
            Claim("actlib.nn.MLP(layer_sizes, init)", "He normal", "weights"),
            Claim("actlib.nn.MLP(layer_sizes, bias_init)", "zero", "biases"),
        ],
        pytorch=[
            Claim(
                "torch.nn.Linear(in_features, out_features).weight",
                "uniform ±1/√n_in",
                "weights",
            ),
            Claim(
                "torch.nn.Linear(in_features, out_features).bias",
                "uniform ±1/√n_in",
                "biases",
            ),
        ],
        keras=[
            Claim("keras.layers.Dense(units).kernel", "Glorot uniform", "weights"),
            Claim("keras.layers.Dense(units).bias", "zero", "biases"),
        ],
        jax=[Claim("jax.nn.Dense", None)],
        note="n_in is a layer's number of inputs and n_out its number of "
        "outputs. He normal draws from a normal distribution with variance "
        "2/n_in; Glorot uniform from the uniform distribution on "
        "±√(6/(n_in + n_out)). `jax.nn` has no layers.",
    ),
    "dense_layout": Fact(
        "Dense layer's weight matrix",
        actlib=[Claim("actlib.nn.MLP(layer_sizes).params[0]['W']", "n_in × n_out")],
        pytorch=[
            Claim("torch.nn.Linear(in_features, out_features).weight", "n_out × n_in")
        ],
        keras=[Claim("keras.layers.Dense(units).kernel", "n_in × n_out")],
        jax=[Claim("jax.nn.Dense", None)],
        note="With one sample per row of X, a layer of shape n_in × n_out "
        "computes X @ W + b, and one of shape n_out × n_in computes X @ W.T + b, "
        "so a weight copied between Keras and PyTorch must be transposed.",
    ),
    "he_normal": Fact(
        "He normal initialiser",
        actlib=[Claim('actlib.nn.MLP(layer_sizes, init="he")', "He normal")],
        pytorch=[
            Claim(
                'torch.nn.init.kaiming_normal_(tensor, nonlinearity="relu")',
                "He normal",
            )
        ],
        keras=[
            Claim("keras.initializers.HeNormal()", "He normal, cut at 2σ", "HeNormal"),
            Claim(
                'keras.initializers.VarianceScaling(scale=2.0, mode="fan_in", '
                'distribution="untruncated_normal")',
                "He normal",
                "VarianceScaling",
            ),
        ],
        jax=[Claim("jax.nn.initializers.he_normal()", "He normal, cut at 2σ")],
        note="All have variance 2/n_in, but Keras's `HeNormal` and JAX's "
        "`he_normal` draw from a normal distribution cut off at two standard "
        "deviations (and widened to keep the variance), so no weight is larger "
        "than about 2.3·√(2/n_in).",
    ),
    "momentum": Fact(
        "SGD's momentum",
        actlib=[Claim("actlib.training.SGD(lr, momentum)", "v ← μv + g; θ ← θ − ηv")],
        pytorch=[
            Claim("torch.optim.SGD(params, lr, momentum)", "v ← μv + g; θ ← θ − ηv")
        ],
        keras=[
            Claim(
                "keras.optimizers.SGD(learning_rate, momentum)",
                "v ← μv − ηg; θ ← θ + v",
            )
        ],
        jax=[Claim("jax.optimizers", None)],
        note="θ is a parameter, g its gradient, η the learning rate, μ the "
        "momentum and v the velocity the optimiser keeps. With a constant η the "
        "two forms take the same steps: Keras's v is −η times PyTorch's.",
    ),
}


def value(key, column, label=""):
    """The value the table gives in one cell.

    Parameters
    ----------
    key : str
        The row, a key of :data:`FACTS`.
    column : {"actlib", "pytorch", "keras", "jax"}
        The library.
    label : str, default ""
        For a cell with several claims, the label of the one wanted; by
        default the cell's first claim.

    Returns
    -------
    float, str or None

    Examples
    --------
    >>> value("leaky_relu_slope", "keras", label="function")
    0.2
    """
    claims = FACTS[key].claims(column)
    if label:
        claims = [claim for claim in claims if claim.label == label]
    if not claims:
        raise ValueError(f"value(): no claim labelled {label!r} in {key!r}, {column!r}")
    return claims[0].value


def markdown_table(keys=None, columns=tuple(COLUMNS)):
    """The table, or some of its rows and columns, as a Markdown table.

    A claim that differs from every ``actlib`` claim of its row is set in bold.

    Parameters
    ----------
    keys : sequence of str, optional
        The rows, keys of :data:`FACTS`, in the order wanted; all by default.
    columns : sequence of str, default all four
        The libraries, keys of :data:`COLUMNS`.

    Returns
    -------
    str

    Examples
    --------
    >>> print(markdown_table(["gelu_default"], ["actlib", "jax"]))
    | Convention | `actlib` | JAX |
    |---|---|---|
    | GELU by default | exact | **tanh** |
    """
    keys = list(FACTS) if keys is None else keys
    lines = [
        "| Convention | " + " | ".join(COLUMNS[column] for column in columns) + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    for key in keys:
        fact = FACTS[key]
        cells = [_cell(fact.claims(column), fact.actlib) for column in columns]
        lines.append(f"| {fact.title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(claims, ours):
    """One cell of the table: each value once, with the labels of its claims.

    A value that no claim in ``ours`` (the row's actlib claims) has is in bold.
    """
    ours = {claim.value for claim in ours}
    texts = []
    for claimed in dict.fromkeys(claim.value for claim in claims):  # each once
        same = [claim for claim in claims if claim.value == claimed]
        text = same[0].shown()
        if claimed is not None and claimed not in ours:
            text = f"**{text}**"
        labels = list(dict.fromkeys(claim.label for claim in same if claim.label))
        texts.append(f"{text} ({', '.join(labels)})" if labels else text)
    return ", ".join(texts)


def markdown_sources(keys=None, columns=tuple(COLUMNS)):
    """Where each entry of the table comes from, as a Markdown list.

    One item per row: the row's note, then every claim with the API it is
    about.

    Parameters
    ----------
    keys : sequence of str, optional
        The rows, keys of :data:`FACTS`; all by default.
    columns : sequence of str, default all four
        The libraries whose claims are listed.

    Returns
    -------
    str

    Examples
    --------
    >>> print(markdown_sources(["elu_alpha"], ["pytorch"]))
    - **ELU's default α.** PyTorch: `torch.nn.ELU(alpha)` → 1.
    """
    keys = list(FACTS) if keys is None else keys
    items = []
    for key in keys:
        fact = FACTS[key]
        parts = [f"- **{fact.title}.**"]
        if fact.note:
            parts.append(fact.note)
        for column in columns:
            claims = "; ".join(_source(claim) for claim in fact.claims(column))
            parts.append(f"{COLUMNS[column]}: {claims}.")
        items.append(" ".join(parts))
    return "\n".join(items)


def _source(claim):
    """One claim with its API: "`jax.nn.elu(x, alpha)` → 1", or "no `jax.nn.prelu`"."""
    if claim.value is None:
        return f"no `{claim.api}`"
    return f"`{claim.api}` → {claim.shown()}"


# PyTorch's float32 GELU, measured.

#: Where PyTorch's float32 GELU is measured: its negative tail.
GELU_POINTS = (-1.0, -2.0, -3.0, -4.0, -5.0, -6.0)

#: A relative error up to this many float32 machine epsilons counts as accurate.
ACCURATE_EPS = 8


@dataclass(frozen=True)
class GeluMeasurement:
    r"""PyTorch's float32 GELU at a few points, next to the float64 truth.

    Attributes
    ----------
    version : str
        ``torch.__version__`` of the PyTorch measured.
    x : numpy.ndarray of float64
        The points.
    value : numpy.ndarray of float64
        ``torch.nn.functional.gelu`` in float32 at each point.
    exact : numpy.ndarray of float64
        :math:`x\,\Phi(x)` in float64.
    """

    version: str
    x: np.ndarray
    value: np.ndarray
    exact: np.ndarray

    @property
    def relative_error(self):
        r""":math:`|\text{value} - \text{exact}| / |\text{exact}|` at each point."""
        return np.abs(self.value - self.exact) / np.abs(self.exact)


def measure_torch_gelu(x=GELU_POINTS):
    r"""Measure PyTorch's float32 exact GELU against :math:`x\,\Phi(x)`.

    PyTorch computes the exact GELU as :math:`\tfrac12 x (1 +
    \operatorname{erf}(x/\sqrt2))`, and in float32 the sum cancels for
    negative x (pytorch/pytorch#187806). Whether it still does depends on the
    version installed, so it is measured rather than stated.

    Parameters
    ----------
    x : sequence of float, default :data:`GELU_POINTS`
        Negative points; each is exact in float32.

    Returns
    -------
    GeluMeasurement

    Raises
    ------
    ModuleNotFoundError
        If PyTorch is not installed.
    """
    import torch  # optional: only this function needs it

    x = np.asarray(x, dtype=np.float64)
    as_float32 = torch.tensor(x, dtype=torch.float32)
    value = torch.nn.functional.gelu(as_float32).numpy().astype(np.float64)
    return GeluMeasurement(torch.__version__, x, value, x * special.ndtr(x))


def torch_gelu_sentence(measurement):
    """What a :class:`GeluMeasurement` shows, as a sentence to print.

    Parameters
    ----------
    measurement : GeluMeasurement

    Returns
    -------
    str

    Examples
    --------
    >>> x = np.array([-4.0, -5.0, -6.0])
    >>> exact = x * special.ndtr(x)
    >>> old = GeluMeasurement("2.13.0+cpu", x, exact * [1.0, 0.83, 0.0], exact)
    >>> torch_gelu_sentence(old)
    "PyTorch 2.13.0's float32 GELU is 17% off at x = −5 and returns 0 at x = −6."
    >>> new = GeluMeasurement("9.0", x, exact * (1 + 1e-7), exact)
    >>> torch_gelu_sentence(new)[:45]
    "PyTorch 9.0's float32 GELU is accurate here: "
    """
    m = measurement
    name = f"PyTorch {m.version.partition('+')[0]}'s float32 GELU"
    error = m.relative_error
    zero = (m.value == 0) & (m.exact != 0)
    off = ~zero & (error > ACCURATE_EPS * np.finfo(np.float32).eps)
    if not zero.any() and not off.any():
        return (
            f"{name} is accurate here: from x = {_number(m.x[0])} to "
            f"{_number(m.x[-1])} its relative error is at most {error.max():.2g} "
            f"(float32's machine epsilon is {np.finfo(np.float32).eps:.1e})."
        )
    findings = []
    if off.any():
        worst = np.flatnonzero(off)[np.argmax(error[off])]
        findings.append(f"is {_percent(error[worst])} off at x = {_number(m.x[worst])}")
    if zero.any():
        points = " and ".join(_number(x) for x in m.x[zero])
        findings.append(f"returns 0 at x = {points}")
    return f"{name} " + " and ".join(findings) + "."


def _number(x):
    """A number as printed in a sentence, with a true minus sign: −5."""
    return f"{x:g}".replace("-", "−")


def _percent(fraction):
    """A relative error in percent: 17%, 0.16%."""
    percent = 100 * fraction
    return f"{percent:.0f}%" if percent >= 10 else f"{percent:.2g}%"
