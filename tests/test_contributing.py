"""CONTRIBUTING.md's worked example, followed step by step.

The guide adds Mish to actlib in one class and its tests. Here the class block
is run, then the tests block, and every test it defines is called: if the
guide's code stops working against actlib, this fails.
"""

import re
from pathlib import Path

import numpy as np
import pytest

import actlib

GUIDE = Path(__file__).resolve().parent.parent / "CONTRIBUTING.md"


def _worked_example_blocks():
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Worked example", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


@pytest.fixture(scope="module")
def example():
    """The namespace of the guide's two blocks, run in order."""
    blocks = _worked_example_blocks()
    assert len(blocks) == 2, "the worked example has a class block and a tests block"
    namespace = {}
    for block in blocks:
        exec(compile(block, str(GUIDE), "exec"), namespace)
    return namespace


def test_the_class_is_an_activation(example):
    mish = example["Mish"]()
    assert isinstance(mish, actlib.Activation)
    assert repr(mish) == "Mish"
    assert float(mish.grad(0.0)) == pytest.approx(0.6, rel=1e-15)


def test_the_class_reads_in_the_contracts_order(example):
    # The textbook formulas first, then the fast kernels.
    written = list(vars(example["Mish"]))
    order = ["reference", "reference_grad", "forward", "derivative"]
    assert sorted(order, key=written.index) == order


def test_the_guides_tests_pass(example):
    tests = [name for name in example if name.startswith("test_")]
    assert len(tests) >= 5
    for name in tests:
        example[name]()


def test_the_class_docstring_example_runs(example):
    import doctest

    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for test in finder.find(example["Mish"], "Mish", globs=dict(example)):
        runner.run(test)
    assert runner.failures == 0 and runner.tries >= 2


def test_the_guides_kernels_keep_the_contract(example):
    mish = example["Mish"]()
    for dtype in (np.float16, np.float32, np.float64):
        big = np.finfo(dtype).max
        x = np.array([-np.inf, -big, -40.0, -0.0, 0.0, 40.0, big, np.inf], dtype)
        values, slopes = mish(x), mish.grad(x)  # a warning would fail the test
        assert not np.isnan(values).any() and not np.isnan(slopes).any()
        assert not np.any((slopes == 0) & np.signbit(slopes))  # never -0


def test_the_contract_names_what_a_class_writes():
    text = GUIDE.read_text(encoding="utf-8")
    contract = text.split("## The activation contract", 1)[1].split("\n## ", 1)[0]
    written = ["reference", "reference_grad", "forward", "derivative", "learnable"]
    written += ["p_derivative", "reference_p_grad", "param_grad", "he_gain"]
    for name in written:
        assert f"`{name}" in contract, name
    # ... under the names actlib uses: PReLU's, for its learnable alpha.
    prelu = actlib.prelu
    assert prelu.learnable == ("alpha",)
    x = np.array([-2.0, 3.0])
    np.testing.assert_array_equal(
        prelu.alpha_derivative(x, np.empty(2), alpha=0.25), [-2.0, 0.0]
    )
    np.testing.assert_array_equal(prelu.reference_alpha_grad(x, 0.25), [-2.0, 0.0])
    np.testing.assert_array_equal(prelu.param_grad(x, "alpha"), [-2.0, 0.0])
    assert actlib.leaky_relu.he_gain() < actlib.relu.he_gain() == np.sqrt(2)


def test_the_tests_cite_this_guide():
    cited = Path(__file__).resolve().parent / "test_activations.py"
    assert "CONTRIBUTING.md" in cited.read_text(encoding="utf-8")
    outside = "DESIGN" + ".md"  # a file that is not in this repository
    for path in Path(__file__).resolve().parent.glob("test_*.py"):
        assert outside not in path.read_text(encoding="utf-8"), path.name
