"""Tests of actlib.data: shapes, seeds, balance, geometry and argument checks."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from actlib import data

GENERATORS = sorted(data.GENERATORS)

#: Sample counts, odd and even, from a single point up.
sample_counts = st.integers(min_value=1, max_value=300)


# -- Every generator ----------------------------------------------------------
#
# The property first: a @given test is a module-level function, not a method of
# a class, which pytest would instantiate once per generator (and Hypothesis's
# differing_executors health check refuses that).


@pytest.mark.parametrize("name", GENERATORS)
@given(n=sample_counts)
def test_every_generator_gives_shapes_dtypes_and_balanced_labels(name, n):
    X, y = data.make(name, n)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y, minlength=2)
    assert set(np.unique(y)) <= {0, 1}
    assert abs(counts[0] - counts[1]) <= 1
    assert np.isfinite(X).all()


class TestEveryGenerator:
    @pytest.mark.parametrize("name", GENERATORS)
    def test_same_seed_same_data_other_seed_other_data(self, name):
        X, y = data.make(name, 50, seed=7)
        X_again, y_again = data.make(name, 50, seed=7)
        assert np.array_equal(X, X_again) and np.array_equal(y, y_again)
        assert not np.array_equal(X, data.make(name, 50, seed=8)[0])

    @pytest.mark.parametrize("name", GENERATORS)
    def test_rows_are_shuffled(self, name):
        _, y = data.make(name, 100)
        assert not np.array_equal(y, np.sort(y))

    @pytest.mark.parametrize("name", GENERATORS)
    def test_noise_is_the_standard_deviation_per_coordinate(self, name):
        clean, y = data.make(name, 20_000, noise=0.0, seed=1)
        noisy, y_noisy = data.make(name, 20_000, noise=0.3, seed=1)
        assert np.array_equal(np.sort(y), np.sort(y_noisy))
        # Same seed, same shuffle: the rows line up.
        assert np.array_equal(y, y_noisy)
        assert np.std(noisy - clean) == pytest.approx(0.3, rel=0.02)

    @pytest.mark.parametrize("name", GENERATORS)
    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            ({"n": 0}, ValueError, "parameter 'n' must be at least 1, got 0"),
            ({"n": -5}, ValueError, "parameter 'n' must be at least 1, got -5"),
            ({"n": 10.0}, TypeError, "parameter 'n' must be an integer, got 10.0"),
            ({"n": True}, TypeError, "parameter 'n' must be an integer, got True"),
            ({"noise": -0.1}, ValueError, "parameter 'noise' must be at least 0"),
            ({"noise": np.nan}, ValueError, "parameter 'noise' must be finite"),
            ({"noise": "low"}, TypeError, "parameter 'noise' must be a real number"),
        ],
    )
    def test_bad_arguments_are_refused(self, name, kwargs, error, message):
        kwargs = {"n": 10, **kwargs}
        with pytest.raises(error, match=rf"{name}\(\): {message}"):
            data.make(name, **kwargs)


class TestGeometry:
    """Without noise, each data set is exactly the curve its docstring gives."""

    def test_moons_lie_on_two_shifted_unit_circles(self):
        X, y = data.moons(101, noise=0.0)
        upper, lower = X[y == 0], X[y == 1]
        assert np.allclose(np.hypot(*upper.T), 1) and (upper[:, 1] >= 0).all()
        shifted = lower - [1.0, 0.5]
        assert np.allclose(np.hypot(*shifted.T), 1) and (shifted[:, 1] <= 0).all()

    def test_circles_have_radius_1_and_factor(self):
        X, y = data.circles(60, noise=0.0, factor=0.3)
        assert np.allclose(np.hypot(*X[y == 0].T), 1.0)
        assert np.allclose(np.hypot(*X[y == 1].T), 0.3)

    def test_spiral_radius_grows_by_two_per_turn(self):
        X, y = data.spirals(400, noise=0.0, turns=2)
        radius = np.hypot(*X.T)
        assert radius.min() == pytest.approx(0.25)
        assert radius.max() == pytest.approx(0.25 + 2 * 2)
        # The two arms are point reflections of each other.
        arm0 = X[y == 0][np.argsort(radius[y == 0])]
        arm1 = X[y == 1][np.argsort(radius[y == 1])]
        assert np.allclose(arm0, -arm1)

    def test_xor_labels_are_the_sign_of_the_product(self):
        X, y = data.xor(200, noise=0.0)
        assert set(map(tuple, np.abs(X))) == {(1.0, 1.0)}
        assert np.array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(np.int64))
        corners, counts = np.unique(X, axis=0, return_counts=True)
        assert len(corners) == 4 and set(counts) == {50}


class TestSpecificArguments:
    @pytest.mark.parametrize("factor", [0.0, 1.0, -0.5, 2.0])
    def test_circles_factor_between_0_and_1(self, factor):
        with pytest.raises(ValueError, match="'factor' must be between 0 and 1"):
            data.circles(10, factor=factor)

    @pytest.mark.parametrize("turns", [0.0, -1.0])
    def test_spirals_turns_positive(self, turns):
        with pytest.raises(
            ValueError, match="spirals\\(\\): parameter 'turns' must be > 0"
        ):
            data.spirals(10, turns=turns)

    def test_make_passes_keywords_on(self):
        X, _ = data.make("circles", 30, noise=0.0, factor=0.2, seed=2)
        assert np.array_equal(X, data.circles(30, noise=0.0, factor=0.2, seed=2)[0])

    def test_make_lists_the_known_names(self):
        known = "moons, circles, spirals, xor"
        with pytest.raises(
            ValueError, match=f"unknown data set 'iris'; choose one of: {known}"
        ):
            data.make("iris", 10)


class TestTrainTestSplit:
    def test_sizes_and_a_partition_of_the_samples(self):
        X = np.arange(40.0).reshape(20, 2)
        y = np.arange(20)
        X_train, X_test, y_train, y_test = data.train_test_split(
            X, y, test_fraction=0.3
        )
        assert (len(X_train), len(X_test)) == (14, 6)
        assert sorted(np.concatenate([y_train, y_test])) == list(range(20))
        # Rows stay with their labels.
        assert np.array_equal(X_train[:, 0], 2 * y_train)
        assert np.array_equal(X_test[:, 0], 2 * y_test)

    def test_same_seed_same_split(self):
        X, y = data.moons(50)
        first = data.train_test_split(X, y, seed=4)
        second = data.train_test_split(X, y, seed=4)
        assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
        other = data.train_test_split(X, y, seed=5)
        assert not np.array_equal(first[3], other[3])

    def test_test_part_rounds_up(self):
        X, y = data.moons(10)
        assert len(data.train_test_split(X, y, test_fraction=0.01)[1]) == 1

    @pytest.mark.parametrize("fraction", [0.0, 1.0, -0.2, 1.5])
    def test_fraction_strictly_between_0_and_1(self, fraction):
        X, y = data.moons(10)
        with pytest.raises(ValueError, match="'test_fraction' must be between 0 and 1"):
            data.train_test_split(X, y, test_fraction=fraction)

    def test_mismatched_lengths_are_refused(self):
        with pytest.raises(
            ValueError, match=r"got X of shape \(10, 2\) and y of shape \(9,\)"
        ):
            data.train_test_split(np.zeros((10, 2)), np.zeros(9))

    def test_too_few_samples_to_split(self):
        with pytest.raises(ValueError, match="n = 1 is too small"):
            data.train_test_split(np.zeros((1, 2)), np.zeros(1))
