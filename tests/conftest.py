"""Shared setup for the actlib tests.

The tests import their named hypothesis strategies with ``import strategies``;
make that work whatever import mode pytest runs in.

Hypothesis runs under one of two profiles, chosen below: ``ci`` or ``explore``.

The book tests (test_book.py, test_browser.py, test_accessibility.py) share
one build of the book, ``book_html``, are parametrized by page with
``book_page``, and hold a first visit of a page to the weight budget with
``assert_page_weight``. The browser tests (test_browser.py, test_accessibility.py,
test_jupyterlab.py) share one headless Debian chromium, ``browser``, and the
book tests among them one local HTTP server of the build, ``book_server``.
"""

import functools
import gzip
import importlib.util
import os
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)


# --- Hypothesis profiles ------------------------------------------------------
#
# "ci" (chosen when CI is set, as CI runs with CI=true): the same examples on
# every run and every machine (derandomize), nothing remembered between runs
# (no example database), and no deadline, since a busy machine is slower, not
# wrong. A failure prints the blob that replays it. This replaces Hypothesis's
# own "ci" profile, which would suppress the too_slow health check: here no
# health check is suppressed.
#
# "explore" (any other run, for working locally): five times as many examples,
# new ones on every run, and the failures kept in .hypothesis/ so that the next
# run tries them first.
#
# HYPOTHESIS_PROFILE=ci or =explore (or pytest --hypothesis-profile) overrides
# the choice. FEW and SOME in test_activations.py are shares of the profile's
# budget; a test with a fixed max_examples (the slow plotting one) keeps it.

_DEFAULT = settings.get_profile("default")
settings.register_profile(
    "ci",
    _DEFAULT,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=(),
)
settings.register_profile(
    "explore",
    _DEFAULT,
    max_examples=5 * _DEFAULT.max_examples,
    deadline=None,
    suppress_health_check=(),
)


def _hypothesis_profile():
    if os.environ.get("HYPOTHESIS_PROFILE"):
        return os.environ["HYPOTHESIS_PROFILE"]
    in_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return "ci" if in_ci else "explore"


settings.load_profile(_hypothesis_profile())


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


# Page weight is counted as a web server sends the files: text (HTML, CSS,
# JavaScript, SVG, JSON, XML) gzip-compressed at zlib's default level 6, as
# Apache's mod_deflate does; images and fonts (PNG, WOFF2, ...) are already
# compressed and go as they are.
COMPRESSED_SUFFIXES = {".html", ".css", ".js", ".mjs", ".svg", ".json", ".xml", ".txt"}


@functools.cache
def _sent_size(path):
    data = Path(path).read_bytes()
    if Path(path).suffix.lower() in COMPRESSED_SUFFIXES:
        return len(gzip.compress(data, compresslevel=6, mtime=0))
    return len(data)


#: What a first visit of any page may transfer, compressed: 1.5 MB (decimal).
PAGE_BUDGET = 1_500_000


@pytest.fixture(scope="session")
def assert_page_weight(book_html):
    """assert_page_weight(page, files, verb): the built ``files`` a first visit
    of ``page`` loads, each counted as a web server sends it, add up to at
    most PAGE_BUDGET; the message names the heaviest."""
    root = book_html.resolve()

    def check(page, files, verb):
        sizes = {
            Path(f).resolve().relative_to(root).as_posix(): _sent_size(f) for f in files
        }
        total = sum(sizes.values())
        heaviest = sorted(sizes.items(), key=lambda item: -item[1])[:8]
        listing = "".join(f"\n  {size:>10,}  {name}" for name, size in heaviest)
        assert total <= PAGE_BUDGET, (
            f"a first visit of {page} {verb} {total:,} bytes (compressed), "
            f"over the {PAGE_BUDGET:,} budget; heaviest:{listing}"
        )

    return check


# --- A local server of the built book, for the browser tests ------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    """Logs nothing, but the server keeps every (path, status) it answered:
    the browser does not show Playwright its own requests, such as the
    automatic /favicon.ico."""

    def log_message(self, format, *args):
        pass

    def log_request(self, code="-", size="-"):
        if isinstance(code, int):  # an HTTPStatus is an int too
            self.server.answered.append((self.path, int(code)))


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answered = []
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"

    def handle_error(self, request, client_address):
        # The browser may drop a connection it no longer needs; not a finding.
        pass


@pytest.fixture(scope="session")
def book_server(book_html):
    """Serve the built book on 127.0.0.1, on a free port (its .url)."""
    handler = functools.partial(_QuietHandler, directory=str(book_html))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


# --- Chromium, shared by the browser tests ------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ENABLE = (
    "install Debian's chromium (apt-get install -y chromium) to run the browser tests"
)


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session; skips if it cannot exist here.

    Playwright drives the system's chromium: it never downloads a browser.
    """
    if importlib.util.find_spec("playwright") is None:
        pytest.skip(
            "the playwright package is missing (pip install -r "
            f"requirements.txt); {ENABLE}"
        )
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing; {ENABLE}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
