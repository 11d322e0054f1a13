"""Shared setup for the actlib tests.

The tests import their named hypothesis strategies with ``import strategies``;
make that work whatever import mode pytest runs in.

The book tests (test_book.py, test_browser.py) share one build of the book,
``book_html``, and are parametrized by page with ``book_page``.
"""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)


# --- The built book, shared by test_book.py and test_browser.py -------------

REPO = Path(__file__).resolve().parent.parent


def _toc_files(node):
    """Every ``file:`` entry of a _toc.yml node, depth first."""
    if isinstance(node, dict):
        if "file" in node:
            yield node["file"]
        for value in node.values():
            yield from _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            yield from _toc_files(item)


def book_pages():
    """The HTML pages the build must produce, as paths under _build/html.

    They are read from _toc.yml at collection time, so that each test can be
    parametrized by page; ``test_book_pages_match_the_build`` checks that the
    build produced exactly these pages and no others.
    """
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"], *_toc_files(toc)]
    pages = {Path(doc).with_suffix("").as_posix() + ".html" for doc in docs}
    # Sphinx's own pages, and the redirect Jupyter Book writes when the root
    # document is not called index.
    return sorted(pages | {"genindex.html", "search.html", "index.html"})


def pytest_generate_tests(metafunc):
    if "book_page" in metafunc.fixturenames:
        pages = book_pages()
        metafunc.parametrize("book_page", pages, ids=pages)


@pytest.fixture(scope="session")
def book_html(tmp_path_factory):
    """Build the book once per session into a temporary folder; its HTML root.

    The build uses this environment's jupyter-book and leaves the working
    tree's _build alone. `make test` also builds the book in place, with
    -W -n (the zero-warnings check); this is a second, private copy.
    """
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    done = subprocess.run(
        [str(jupyter_book), "build", str(REPO), "--path-output", str(out)],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    html = out / "_build" / "html"
    if done.returncode != 0 or not (html / "index.html").is_file():
        pytest.fail(
            f"jupyter-book build failed (exit {done.returncode}):\n"
            f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )
    return html


@pytest.fixture(scope="session")
def book_page_list():
    """All of book_pages(), for a test that looks at the book as a whole."""
    return book_pages()


@pytest.fixture
def book_page_path(book_html, book_page):
    """The built file of ``book_page``; fails clearly if it was not built."""
    path = book_html / book_page
    if not path.is_file():
        pytest.fail(f"{book_page} is in _toc.yml but the build has no such page")
    return path
