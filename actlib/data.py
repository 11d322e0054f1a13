r"""Small seeded data sets in the plane, for training the networks of the book.

Every generator returns ``(X, y)``: ``X`` a float64 array of shape ``(n, 2)``
and ``y`` an int64 array of shape ``(n,)`` with labels 0 and 1. The two classes
are balanced (their sizes differ by at most one), the rows are shuffled, and
the same ``seed`` always gives the same numbers. Nothing is downloaded.

    >>> from actlib import data
    >>> X, y = data.make("moons", 6, seed=1)
    >>> X.shape, y.dtype, int(y.sum())
    ((6, 2), dtype('int64'), 3)
"""

import math

import numpy as np

from actlib import _validation


def moons(n, noise=0.1, seed=0):
    r"""Two interleaving half circles.

    Class 0 lies on the upper half of the unit circle and class 1 on a lower
    half circle shifted right and down:

    .. math::

        x^{(0)}(t) = (\cos t,\ \sin t), \qquad
        x^{(1)}(t) = (1 - \cos t,\ \tfrac12 - \sin t), \qquad t \in [0, \pi],

    with :math:`t` evenly spaced, plus Gaussian noise on every coordinate.

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    noise : float, default 0.1
        Standard deviation of the Gaussian noise added to each coordinate.
    seed : int, default 0
        Seed of the random generator.

    Returns
    -------
    X : numpy.ndarray of float64, shape (n, 2)
    y : numpy.ndarray of int64, shape (n,)

    Notes
    -----
    The same construction as scikit-learn's ``make_moons``; the two half
    circles cannot be separated by a straight line.

    Examples
    --------
    >>> X, y = moons(4, noise=0.0)
    >>> X[y == 0].min(axis=0) >= -1
    array([ True,  True])
    """
    n, noise = _validation.count_parameter(n, "n", "moons"), _noise(noise, "moons")
    n_upper, n_lower = _class_sizes(n)
    t_upper = np.linspace(0, np.pi, n_upper)
    t_lower = np.linspace(0, np.pi, n_lower)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    return _finish([upper, lower], noise, seed)


def circles(n, noise=0.05, factor=0.5, seed=0):
    r"""A small circle (class 1) inside a large one (class 0).

    .. math::

        x^{(0)}(t) = (\cos t,\ \sin t), \qquad
        x^{(1)}(t) = r\,(\cos t,\ \sin t), \qquad t \in [0, 2\pi),

    with :math:`t` evenly spaced and :math:`r` the ``factor``, plus Gaussian
    noise on every coordinate.

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    noise : float, default 0.05
        Standard deviation of the Gaussian noise added to each coordinate.
    factor : float, default 0.5
        Radius of the inner circle relative to the outer one, in (0, 1).
    seed : int, default 0
        Seed of the random generator.

    Returns
    -------
    X : numpy.ndarray of float64, shape (n, 2)
    y : numpy.ndarray of int64, shape (n,)

    Examples
    --------
    >>> X, y = circles(8, noise=0.0, factor=0.25)
    >>> np.hypot(*X[y == 1].T)
    array([0.25, 0.25, 0.25, 0.25])
    """
    n, noise = _validation.count_parameter(n, "n", "circles"), _noise(noise, "circles")
    factor = _validation.real_parameter(factor, "factor", "circles")
    if not 0 < factor < 1:
        raise ValueError(
            f"circles(): parameter 'factor' must be between 0 and 1 (exclusive), "
            f"got {factor}"
        )
    n_outer, n_inner = _class_sizes(n)
    outer = _unit_circle(n_outer)
    inner = factor * _unit_circle(n_inner)
    return _finish([outer, inner], noise, seed)


def spirals(n, noise=0.2, turns=1.5, seed=0):
    r"""Two interleaved Archimedean spirals.

    Class :math:`k \in \{0, 1\}` winds ``turns`` times around the origin:

    .. math::

        x^{(k)}(\theta) = r(\theta)\,\bigl(\cos(\theta + k\pi),\
        \sin(\theta + k\pi)\bigr), \qquad
        r(\theta) = \tfrac14 + \frac{\theta}{\pi}, \qquad
        \theta \in [0, 2\pi \cdot \text{turns}],

    with :math:`\theta` evenly spaced, plus Gaussian noise on every coordinate.
    The radius grows by 2 per turn, so an arm of one class lies halfway, at
    distance 1, between two arms of the other.

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    noise : float, default 0.2
        Standard deviation of the Gaussian noise added to each coordinate.
    turns : float, default 1.5
        How many times each spiral winds around the origin, greater than 0.
    seed : int, default 0
        Seed of the random generator.

    Returns
    -------
    X : numpy.ndarray of float64, shape (n, 2)
    y : numpy.ndarray of int64, shape (n,)

    Examples
    --------
    >>> X, y = spirals(200, turns=2)
    >>> float(np.abs(X).max()) < 5
    True
    """
    n, noise = _validation.count_parameter(n, "n", "spirals"), _noise(noise, "spirals")
    turns = _validation.positive_parameter(turns, "turns", "spirals")
    arms = []
    for k, size in enumerate(_class_sizes(n)):
        theta = np.linspace(0, 2 * np.pi * turns, size)
        radius = 0.25 + theta / np.pi
        angle = theta + k * np.pi
        arms.append(radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)]))
    return _finish(arms, noise, seed)


def xor(n, noise=0.2, seed=0):
    r"""The XOR problem: four Gaussian blobs at the corners :math:`(\pm1, \pm1)`.

    A point's class is 1 when its blob centre's coordinates have opposite
    signs, :math:`y = [c_1 c_2 < 0]`, so class 0 sits at :math:`(1, 1)` and
    :math:`(-1, -1)` and class 1 at :math:`(1, -1)` and :math:`(-1, 1)`. No
    straight line separates them; one hidden layer of two ReLUs can.

    Parameters
    ----------
    n : int
        Number of points, at least 1.
    noise : float, default 0.2
        Standard deviation of each blob, per coordinate.
    seed : int, default 0
        Seed of the random generator.

    Returns
    -------
    X : numpy.ndarray of float64, shape (n, 2)
    y : numpy.ndarray of int64, shape (n,)

    Examples
    --------
    >>> X, y = xor(4, noise=0.0)
    >>> bool(np.all((X[:, 0] * X[:, 1] < 0) == (y == 1)))
    True
    """
    n, noise = _validation.count_parameter(n, "n", "xor"), _noise(noise, "xor")
    corners = {0: ((1.0, 1.0), (-1.0, -1.0)), 1: ((1.0, -1.0), (-1.0, 1.0))}
    blobs = []
    for label, size in enumerate(_class_sizes(n)):
        first, second = _class_sizes(size)
        centres = [corners[label][0]] * first + [corners[label][1]] * second
        blobs.append(np.array(centres, dtype=np.float64).reshape(size, 2))
    return _finish(blobs, noise, seed)


#: The generators :func:`make` knows, by name.
GENERATORS = {"moons": moons, "circles": circles, "spirals": spirals, "xor": xor}


def make(name, n, **kwargs):
    """Make the data set called ``name``.

    Parameters
    ----------
    name : {"moons", "circles", "spirals", "xor"}
        Which generator to call.
    n : int
        Number of points.
    **kwargs
        Passed on to the generator: ``noise``, ``seed``, and ``factor`` or
        ``turns``.

    Returns
    -------
    X : numpy.ndarray of float64, shape (n, 2)
    y : numpy.ndarray of int64, shape (n,)

    Examples
    --------
    >>> X, y = make("xor", 100, noise=0.1, seed=3)
    >>> X.shape
    (100, 2)
    """
    if name not in GENERATORS:
        raise ValueError(
            f"unknown data set {name!r}; choose one of: {', '.join(GENERATORS)}"
        )
    return GENERATORS[name](n, **kwargs)


def train_test_split(X, y, test_fraction=0.25, seed=0):
    """Split a data set at random into a training part and a test part.

    Parameters
    ----------
    X : array_like, shape (n, ...)
        The inputs, one row per sample.
    y : array_like, shape (n, ...)
        The labels or targets, one per row of ``X``.
    test_fraction : float, default 0.25
        Fraction of the samples that go into the test part, in (0, 1). The
        test part gets :math:`\\lceil f n \\rceil` samples, and each part at
        least one.
    seed : int, default 0
        Seed of the random permutation.

    Returns
    -------
    X_train, X_test, y_train, y_test : numpy.ndarray
        In the order scikit-learn uses.

    Examples
    --------
    >>> X, y = moons(100)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y)
    >>> len(X_train), len(X_test)
    (75, 25)
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or len(X) != len(y):
        raise ValueError(
            "train_test_split(): X and y must have one row per sample, got X of "
            f"shape {X.shape} and y of shape {y.shape}"
        )
    fraction = _validation.real_parameter(
        test_fraction, "test_fraction", "train_test_split"
    )
    if not 0 < fraction < 1:
        raise ValueError(
            "train_test_split(): parameter 'test_fraction' must be between 0 and 1 "
            f"(exclusive), got {fraction}"
        )
    n = len(X)
    n_test = math.ceil(fraction * n)
    if n_test >= n:
        raise ValueError(
            f"train_test_split(): n = {n} is too small: a test fraction of "
            f"{fraction} leaves no sample for training"
        )
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


# Shared steps of the generators.


def _noise(value, name):
    """Check that a noise level is a finite number of at least 0; return it."""
    noise = _validation.real_parameter(value, "noise", name)
    if noise < 0:
        raise ValueError(f"{name}(): parameter 'noise' must be at least 0, got {noise}")
    return noise


def _class_sizes(n):
    """Split ``n`` samples into two classes whose sizes differ by at most one."""
    return n - n // 2, n // 2


def _unit_circle(size):
    """``size`` points evenly spaced on the unit circle."""
    t = np.linspace(0, 2 * np.pi, size, endpoint=False)
    return np.column_stack([np.cos(t), np.sin(t)])


def _finish(points_per_class, noise, seed):
    """Stack the classes, label them 0, 1, ..., add noise and shuffle the rows."""
    rng = np.random.default_rng(seed)
    X = np.concatenate(points_per_class).astype(np.float64)
    y = np.concatenate(
        [np.full(len(points), label) for label, points in enumerate(points_per_class)]
    ).astype(np.int64)
    X += noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(X))
    return X[order], y[order]
