"""The built book in a real browser, as README.md's "What make test runs" lists.

Every page of the book (``book_page``, from _toc.yml; see conftest.py) is
opened once, as a first visit, in headless Debian chromium driven by
Playwright, from a local HTTP server on 127.0.0.1 (``book_server``). The
tests then check that page's record: no console errors, every image loaded,
every formula typeset by MathJax, no request to anywhere but the local
server, what the visit transferred within the page-weight budget; and they
save a screenshot at a desktop and a phone width: of the first screen, into a
temporary folder; of the whole page, into $BOOK_SCREENSHOTS if that is set.

Without /usr/bin/chromium or the playwright package these tests skip; the
internal-link check needs no browser and always runs.
"""

import functools
import os
import posixpath
import struct
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
TIMEOUT_MS = 30_000
# Raw TeX that MathJax should have replaced; a lone $ is ordinary text.
TEX_DELIMITERS = ["$$", "\\(", "\\[", "\\begin{"]


# --- Screenshots --------------------------------------------------------------


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory):
    """Where the screenshots go; full-page ones only if BOOK_SCREENSHOTS names
    a folder (a long chapter takes seconds to capture whole, twice)."""
    if os.environ.get("BOOK_SCREENSHOTS"):
        folder = Path(os.environ["BOOK_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("screenshots")


def screenshot_path(folder, page, viewport):
    return folder / f"{page.removesuffix('.html').replace('/', '__')}-{viewport}.png"


# --- One visit per page --------------------------------------------------------


@dataclass
class Visit:
    """What one first visit of a page recorded."""

    errors: list = field(default_factory=list)  # console errors, page errors
    bad_responses: list = field(default_factory=list)  # 4xx/5xx, failed loads
    external: list = field(default_factory=list)  # requests off the machine
    images: list = field(default_factory=list)  # {src, ok}
    math: dict = field(default_factory=dict)  # see MATH_REPORT
    mathjax_missing: bool = False  # .math elements, but MathJax never started
    problems: list = field(default_factory=list)  # the visit itself failed
    loaded: set = field(default_factory=set)  # paths the local server answered


SCROLL_AND_WAIT_FOR_IMAGES = """async () => {
    const frame = () => new Promise(r => requestAnimationFrame(() => r()));
    // Lazy images load near the viewport only: pass over the whole page.
    const step = document.querySelector('img[loading="lazy"]')
        ? Math.max(200, window.innerHeight - 100) : Infinity;
    for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
        window.scrollTo(0, y);
        await frame();
    }
    window.scrollTo(0, document.documentElement.scrollHeight);
    await frame();
    const pending = Array.from(document.images).filter(i => !i.complete).map(
        i => new Promise(r => {
            i.addEventListener('load', r, {once: true});
            i.addEventListener('error', r, {once: true});
        }));
    const timeout = new Promise(r => setTimeout(r, 10000));
    await Promise.race([Promise.all(pending), timeout]);
    window.scrollTo(0, 0);
    await frame();
    return Array.from(document.images).map(i => ({
        src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0}));
}"""

# After networkidle every deferred script has run, so MathJax has started by
# now or never will (its script failed): a short wait is enough.
MATHJAX_READY = """() => !document.querySelector('.math')
    || (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise)"""

MATH_REPORT = """async (delimiters) => {
    if (window.MathJax && window.MathJax.startup && window.MathJax.startup.promise) {
        await window.MathJax.startup.promise;
    }
    const short = s => s.replace(/\\s+/g, ' ').trim().slice(0, 100);
    const math = Array.from(document.querySelectorAll('.math'));
    const untypeset = math.filter(e => !e.querySelector('mjx-container'))
        .map(e => short(e.textContent));
    // TeX errors: MathJax typesets them too, as an merror node, or (an
    // undefined macro, with the noundefined extension) as red mtext.
    const texErrors = [];
    const typeset = window.MathJax && MathJax.startup && MathJax.startup.document;
    for (const item of (typeset ? typeset.math : [])) {
        let found = null;
        item.root.walkTree(node => {
            if (found) return;
            if (node.isKind('merror')) {
                found = node.attributes.get('data-mjx-error') || 'error';
            } else if (node.isKind('mtext')
                       && node.attributes.get('mathcolor') === 'red') {
                const text = node.childNodes.map(c => (c.getText ? c.getText() : ''));
                found = 'undefined ' + text.join('');
            }
        });
        if (found) texErrors.push(short(`${found} in ${item.math}`));
    }
    // Raw TeX left in the page's text (shown or hidden: stricter than the
    // visible text), outside code and outside MathJax's output.
    const skip = 'pre, code, script, style, textarea, noscript, template, '
        + 'mjx-container';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const rawTex = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent;
        if (!node.parentElement || node.parentElement.closest(skip)) continue;
        for (const d of delimiters) {
            const at = text.indexOf(d);
            if (at >= 0) {
                rawTex.push(short(text.slice(Math.max(0, at - 40), at + 60)));
                break;
            }
        }
    }
    return {count: math.length, untypeset, texErrors, rawTex};
}"""


@pytest.fixture(scope="session")
def visit(browser, book_server, screenshot_dir):
    """visit(page) opens a page once, as a first visit, and returns its Visit.

    Each page gets a fresh browser context (no cache, no stored colour mode),
    so that first-visit console messages are seen. Requests that would leave
    the machine are recorded and aborted. The visit ends with a screenshot
    at each width in VIEWPORTS.
    """
    from playwright.sync_api import Error as PlaywrightError

    visits = {}
    book_url = book_server.url

    def is_local(url):
        return url.startswith((book_url, "data:", "blob:"))

    def do_visit(page):
        record = Visit()
        first_answer = len(book_server.answered)
        width, height = VIEWPORTS["desktop"]
        context = browser.new_context(
            viewport={"width": width, "height": height}, service_workers="block"
        )
        context.set_default_timeout(TIMEOUT_MS)

        def block(route):
            record.external.append(route.request.url)
            route.abort()

        def on_request(request):
            if not is_local(request.url):
                record.external.append(request.url)

        def on_console(message):
            if message.type == "error":
                where = message.location.get("url") or "?"
                record.errors.append(f"console error: {message.text} [at {where}]")

        def on_page_error(error):
            record.errors.append(f"uncaught {error.name}: {error.message}")

        def on_response(response):
            if response.url.startswith(book_url):
                record.loaded.add(urlsplit(response.url).path)
            if response.status >= 400:
                record.bad_responses.append(f"HTTP {response.status} {response.url}")

        def on_request_failed(request):
            if is_local(request.url):  # the others are in record.external
                record.bad_responses.append(f"failed ({request.failure}) {request.url}")

        context.route(lambda url: not is_local(url), block)
        context.on("request", on_request)
        tab = context.new_page()
        tab.on("console", on_console)
        tab.on("pageerror", on_page_error)
        tab.on("response", on_response)
        tab.on("requestfailed", on_request_failed)
        tab.on("websocket", lambda websocket: record.external.append(websocket.url))
        try:
            tab.goto(book_url + page, wait_until="networkidle")
            try:
                tab.wait_for_function(MATHJAX_READY, timeout=5_000)
            except PlaywrightError:
                record.mathjax_missing = True
            record.math = tab.evaluate(MATH_REPORT, TEX_DELIMITERS)
            record.images = tab.evaluate(SCROLL_AND_WAIT_FOR_IMAGES)
            for name, (width, height) in VIEWPORTS.items():
                path = screenshot_path(screenshot_dir, page, name)
                path.unlink(missing_ok=True)  # never pass on an old run's file
                tab.set_viewport_size({"width": width, "height": height})
                tab.screenshot(
                    path=path,
                    full_page=bool(os.environ.get("BOOK_SCREENSHOTS")),
                    animations="disabled",
                )
        except PlaywrightError as error:
            record.problems.append(f"visit failed: {error.message}")
        finally:
            context.close()
        for path, status in book_server.answered[first_answer:]:
            record.loaded.add(urlsplit(path).path)
            url = book_url + path.lstrip("/")
            seen = any(entry.endswith(" " + url) for entry in record.bad_responses)
            if status >= 400 and not seen:
                record.bad_responses.append(f"HTTP {status} {url}")
        return record

    def get(page):
        if page not in visits:
            visits[page] = do_visit(page)
        return visits[page]

    return get


def lines(items, most=25):
    items = list(items)
    more = [f"... and {len(items) - most} more"] if len(items) > most else []
    return "\n  " + "\n  ".join(map(str, items[:most] + more))


# --- The checks, page by page --------------------------------------------------


def test_no_console_errors(visit, book_page):
    """No console error, no uncaught exception, no failed or 4xx/5xx load.

    Chrome's automatic /favicon.ico request counts: the book ships a favicon
    link, so a page without one shows up here as a 404 for /favicon.ico (when
    Chrome sends it; test_no_favicon_request_can_404 checks that it cannot).
    index.html is Jupyter Book's redirect: its visit ends on intro.html.
    """
    record = visit(book_page)
    found = record.problems + record.errors + record.bad_responses
    assert not found, f"{book_page}:{lines(found)}"


def test_every_image_loads(visit, book_page):
    record = visit(book_page)
    assert not record.problems, f"{book_page}:{lines(record.problems)}"
    broken = [image["src"] for image in record.images if not image["ok"]]
    assert not broken, f"{book_page}: images that did not load:{lines(broken)}"


def test_every_formula_is_typeset(visit, book_page):
    """Each .math element holds MathJax output, without TeX errors, and no
    raw TeX delimiters ($$, \\(, \\[, \\begin{) remain outside code."""
    record = visit(book_page)
    math = record.math or {"count": "?", "untypeset": [], "texErrors": [], "rawTex": []}
    found = list(record.problems)
    if record.mathjax_missing:
        found.append("MathJax never started (no MathJax.startup.promise)")
    found += [f"not typeset: {text}" for text in math["untypeset"]]
    found += [f"TeX error: {text}" for text in math["texErrors"]]
    found += [f"raw TeX in the text: {text}" for text in math["rawTex"]]
    assert not found, f"{book_page} ({math['count']} .math elements):{lines(found)}"


def test_no_request_leaves_the_machine(visit, book_page):
    record = visit(book_page)
    external = sorted(set(record.external))
    assert not external, f"{book_page}: requests off the machine:{lines(external)}"


def test_first_visit_weight(visit, book_page, book_html, assert_page_weight):
    """Everything a first visit loads (the page, its scripts, styles, fonts,
    images and MathJax's fonts, each counted once and compressed as a web
    server sends it) stays within conftest.PAGE_BUDGET.

    The visit scrolls through the whole page, so lazy images are counted.
    Files come from the local server, so their sizes are read from the build.
    """
    record = visit(book_page)
    assert not record.problems, f"{book_page}:{lines(record.problems)}"
    files = []
    for path in record.loaded:
        file = book_html / unquote(path).lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        if file.is_file():
            files.append(file)
    assert_page_weight(book_page, set(files), "transfers")


def test_screenshots(visit, book_page, screenshot_dir):
    """A non-empty PNG of the page at each width in VIEWPORTS."""
    visit(book_page)
    for name, (width, _) in VIEWPORTS.items():
        path = screenshot_path(screenshot_dir, book_page, name)
        assert path.is_file(), f"{book_page}: no {name} screenshot at {path}"
        head = path.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
        png_width, png_height = struct.unpack(">II", head[16:24])
        assert png_width == width and png_height > 0, (
            f"{path}: {png_width}x{png_height}, expected a width of {width}"
        )


# --- Internal links: no browser needed -------------------------------------------


@functools.cache
def _ids(path):
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    return ids | {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}


def test_internal_links_resolve(book_html, book_page, book_page_path):
    """Every <a href> inside the book names a built file, and an existing id.

    Read from the built files with BeautifulSoup (no browser, so this runs
    even where chromium is missing). Links to other sites are not followed.
    """
    source = book_page_path
    soup = BeautifulSoup(source.read_text(encoding="utf-8"), "html.parser")
    broken = []
    for anchor in soup.find_all("a", href=True):
        href = anchor["href"].strip()
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            if parts.hostname in ("127.0.0.1", "localhost"):
                broken.append(f"{href} (an absolute link to a local server)")
            continue  # another site, mailto:, javascript:
        if parts.path:
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(book_page), unquote(parts.path))
            )
            if target.startswith("../") or target == "..":
                broken.append(f"{href} (outside the book)")
                continue
            path = book_html / target
            if path.is_dir():
                path = path / "index.html"
        else:
            path = source
        if not path.is_file():
            broken.append(f"{href} (no file {path.relative_to(book_html)})")
            continue
        fragment = unquote(parts.fragment)
        if fragment and path.suffix == ".html" and fragment not in _ids(path):
            broken.append(f"{href} (no id {fragment!r} in {path.name})")
    assert not broken, f"{book_page}: broken links:{lines(sorted(set(broken)))}"


def test_no_favicon_request_can_404(book_html, book_page, book_page_path):
    """Chrome asks for /favicon.ico when a page names no icon; make sure that
    cannot 404 (a console error) on a first visit. Runs without a browser:
    whether Chrome sends that request before a redirect is a matter of timing.
    """
    soup = BeautifulSoup(book_page_path.read_text(encoding="utf-8"), "html.parser")
    icons = [
        tag["href"]
        for tag in soup.find_all("link", href=True)
        if "icon" in {rel.lower() for rel in tag.get("rel", [])}
    ]
    for href in icons:
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(book_page), unquote(urlsplit(href).path))
        )
        assert (book_html / target).is_file(), f"{book_page}: icon {href} is missing"
    assert icons or (book_html / "favicon.ico").is_file(), (
        f"{book_page} has no <link rel=icon> and the book has no /favicon.ico: "
        "Chrome's automatic request for /favicon.ico 404s, a console error"
    )
