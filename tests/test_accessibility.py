"""The built book is accessible and its HTML valid, page by page (issue 15).

In headless Debian chromium (the ``browser`` and ``book_server`` fixtures of
conftest.py; without chromium or playwright these tests skip):

- axe-core, as the axe-playwright-python package bundles it, checks every
  page in the theme's light and dark modes against WCAG 2.1 A and AA and
  axe's best practices, plus label-content-name-mismatch (an "experimental"
  rule axe leaves out by default). No violation may be serious or critical,
  and none of the rules the book fixed in the theme's markup may come back.
- "Skip to main content" leads into the text: after following it, Tab lands
  inside the article.

From the built files, with BeautifulSoup (no browser): the errors the Nu HTML
checker found stay fixed: no id twice on a page, no block element inside a
<summary>, and every HTML file has a doctype, a language and a title.
"""

import collections
import contextlib
import importlib.util

import pytest
from bs4 import BeautifulSoup, Doctype

MODES = ("light", "dark")
TIMEOUT_MS = 30_000
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "rules": {"label-content-name-mismatch": {"enabled": True}},
    "resultTypes": ["violations"],
}
FORBIDDEN_IMPACTS = {"serious", "critical"}
# Rules of lesser impact that the theme's markup broke and the book fixed
# (_templates/, _ext/offline_book.py): they must not come back either.
FIXED_RULES = {
    "region",
    "skip-link",
    "aria-allowed-role",
    "aria-deprecated-role",
    "landmark-unique",
    "landmark-complementary-is-top-level",
    "duplicate-id",
    "duplicate-id-aria",
}
# The skip link's target: the <article>, or the search page's search form.
SKIP_TARGET = "book-content"
# Elements that may not stand inside a <summary> (phrasing content only, and
# one heading).
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "details", "dialog", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr",
    "li", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul",
}  # fmt: skip

# After networkidle, wait for MathJax to finish, so that axe sees the page a
# reader sees.
SETTLE = """async () => {
    if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) {
        await window.MathJax.startup.promise;
    }
    return document.documentElement.dataset.theme;
}"""


def lines(items):
    return "\n  " + "\n  ".join(map(str, items))


def soup_of(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --- In the browser --------------------------------------------------------------


@pytest.fixture(scope="session")
def axe():
    if importlib.util.find_spec("axe_playwright_python") is None:
        pytest.skip(
            "axe-playwright-python is missing (pip install -r requirements.txt)"
        )
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="session")
def open_page(browser, book_server):
    """open_page(page, mode): a new tab on a first visit of `page` in the
    theme's `mode` ("light" or "dark"), chosen as the theme's colour-mode
    button stores it (localStorage "mode" and "theme"); a context manager."""

    @contextlib.contextmanager
    def opened(page, mode):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            color_scheme=mode,
            service_workers="block",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(
            f"localStorage.setItem('mode', '{mode}');"
            f"localStorage.setItem('theme', '{mode}');"
        )
        # Nothing leaves the machine (test_browser.py checks that none is asked).
        context.route(
            lambda url: not url.startswith(book_server.url),
            lambda route: route.abort(),
        )
        try:
            tab = context.new_page()
            tab.goto(book_server.url + page, wait_until="networkidle")
            yield tab
        finally:
            context.close()

    return opened


def _describe(violation):
    nodes = violation["nodes"]
    shown = [
        f"    {' '.join(node['target'])}: {' '.join(node['html'].split())[:160]}"
        for node in nodes[:3]
    ]
    more = [f"    ... and {len(nodes) - 3} more"] if len(nodes) > 3 else []
    head = f"{violation['id']} ({violation['impact']}, {len(nodes)})"
    return "\n".join([f"{head}: {violation['help']}", *shown, *more])


@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_no_serious_violation(open_page, axe, book_page, mode):
    with open_page(book_page, mode) as tab:
        theme = tab.evaluate(SETTLE)
        assert theme == mode, f"{book_page}: the page shows the {theme} theme"
        violations = axe.run(tab, options=AXE_OPTIONS).response["violations"]
    found = [
        v
        for v in violations
        if v["impact"] in FORBIDDEN_IMPACTS or v["id"] in FIXED_RULES
    ]
    assert not found, f"{book_page} ({mode} mode):{lines(map(_describe, found))}"


FOCUS_REPORT = """(target) => {
    const e = document.activeElement;
    return {
        inTarget: !!(e && e.closest('#' + target)),
        inMain: !!(e && e.closest('main')),
        what: e ? e.outerHTML.slice(0, 120) : null,
    };
}"""


def test_tab_after_the_skip_link_enters_the_text(open_page, book_page):
    """Focus "Skip to main content", press Enter, press Tab: the focus is
    inside the article (on the search page, inside its search form)."""
    with open_page(book_page, "light") as tab:
        link = tab.locator("#pst-skip-link a")
        assert link.get_attribute("href") == f"#{SKIP_TARGET}", (
            f"{book_page}: the skip link leads to {link.get_attribute('href')}"
        )
        assert tab.locator(f"main #{SKIP_TARGET}").count() == 1, (
            f"{book_page}: no #{SKIP_TARGET} inside <main>"
        )
        link.focus()
        tab.keyboard.press("Enter")
        tab.keyboard.press("Tab")
        focus = tab.evaluate(FOCUS_REPORT, SKIP_TARGET)
    assert focus["inTarget"] and focus["inMain"], (
        f"{book_page}: after the skip link, Tab focused {focus['what']}"
    )


# --- In the built files ------------------------------------------------------------


def test_no_id_twice_on_a_page(book_page, book_page_path):
    ids = collections.Counter(
        tag["id"] for tag in soup_of(book_page_path).find_all(id=True)
    )
    twice = sorted(f"{name!r} x{count}" for name, count in ids.items() if count > 1)
    assert not twice, f"{book_page}: ids used more than once:{lines(twice)}"


def test_no_block_element_in_a_summary(book_page, book_page_path):
    found = [
        f"<{tag.name}> in <summary>{summary.get_text(' ', strip=True)[:60]}</summary>"
        for summary in soup_of(book_page_path).find_all("summary")
        for tag in summary.find_all(BLOCK_TAGS)
    ]
    assert not found, f"{book_page}:{lines(found)}"


def test_every_html_file_has_doctype_language_and_title(book_html):
    """Every .html file in the build, index.html (the redirect to the first
    page) included, starts with <!DOCTYPE html> and has <html lang> and a
    non-empty <title>."""
    problems = []
    for path in sorted(book_html.rglob("*.html")):
        name = path.relative_to(book_html).as_posix()
        soup = soup_of(path)
        doctype = next(
            (item for item in soup.contents if isinstance(item, Doctype)), None
        )
        if doctype is None or doctype.strip().lower() != "html":
            problems.append(f"{name}: no <!DOCTYPE html>")
        if soup.html is None or not soup.html.get("lang", "").strip():
            problems.append(f"{name}: no <html lang>")
        if soup.title is None or not soup.title.get_text(strip=True):
            problems.append(f"{name}: no <title>")
    assert not problems, f"HTML files that are not complete pages:{lines(problems)}"
