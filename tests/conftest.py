"""Shared setup for the actlib tests.

The tests import their named hypothesis strategies with ``import strategies``;
make that work whatever import mode pytest runs in.
"""

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
