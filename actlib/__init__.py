"""actlib: activation functions, and the small tools to study them.

The activations are ready-made objects: call one for :math:`f(x)`, and its
``grad`` for :math:`f'(x)`::

    >>> import actlib
    >>> actlib.relu([-1.0, 2.0])
    array([0., 2.])
    >>> actlib.relu.grad([-1.0, 2.0])
    array([0., 1.])
"""

from actlib.activations import (
    Activation,
    elu,
    gelu,
    get,
    leaky_relu,
    names,
    prelu,
    relu,
    selu,
    sigmoid,
    softplus,
    swish,
    tanh,
)

__all__ = [
    "Activation",
    "elu",
    "gelu",
    "get",
    "leaky_relu",
    "names",
    "prelu",
    "relu",
    "selu",
    "sigmoid",
    "softplus",
    "swish",
    "tanh",
]
