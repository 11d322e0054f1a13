"""Checks of the built book that need no browser.

They read the book built once per session by the ``book_html`` fixture
(conftest.py) and the chapter notebooks themselves: the page-weight budget
(compressed, as a web server sends the files), alt text and captions for every
figure, and no CDN anywhere in the build.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "chapters").glob("*.ipynb"))

# Alt text describes the picture for someone who cannot see it; a caption
# says what it means. Shorter than this, an alt text cannot do that job.
MIN_ALT = 40
CDN_HOSTS = (
    "unpkg.com",
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "googleapis.com",
    "gstatic.com",
    "code.jquery.com",
    "bootstrapcdn.com",
    "cdn.mathjax.org",
    "polyfill.io",
    "esm.sh",
    "cdn.skypack.dev",
    "use.fontawesome.com",
    "kit.fontawesome.com",
    "cdn.plot.ly",
    "cdn.bokeh.org",
)
CDN = "|".join(re.escape(host) for host in CDN_HOSTS)
# <link rel> values that make the browser fetch the href.
LOADING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "apple-touch-icon",
    "manifest",
}
# Elements that fetch what their src names.
SRC_TAGS = ["script", "img", "iframe", "source", "audio", "video", "embed", "track"]


def lines(items):
    return "\n  " + "\n  ".join(map(str, items))


def soup_of(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def is_external(url):
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme in ("http", "https")


def test_book_pages_match_the_build(book_html, book_page_list):
    """The pages the tests are parametrized by are exactly the built pages."""
    skip = {"_static", "_sources", "_images"}
    built = sorted(
        path.relative_to(book_html).as_posix()
        for path in book_html.rglob("*.html")
        if not skip & set(path.relative_to(book_html).parts)
    )
    missing = sorted(set(book_page_list) - set(built))
    extra = sorted(set(built) - set(book_page_list))
    assert not missing, f"in _toc.yml but not built:{lines(missing)}"
    assert not extra, f"built but not in _toc.yml (so not tested):{lines(extra)}"


# --- (a) Page weight -----------------------------------------------------------

CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?["']?([^"')\s;]+)""")
CSS_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)""")


def _local_file(base, url):
    """The built file a relative URL names from `base` (a file), or None."""
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = (base.parent / unquote(parts.path)).resolve()
    return target if target.is_file() else None


def _stylesheet_loads(css, seen):
    """What a stylesheet makes the browser fetch: its @imports (and what they
    fetch), the first (preferred, WOFF2) source of every @font-face, and the
    other url()s. Fonts a page never uses are counted too."""
    text = css.read_text(encoding="utf-8", errors="replace")
    urls = [m.group(1) for m in CSS_IMPORT.finditer(text)]
    for face in CSS_FONT_FACE.finditer(text):
        urls += CSS_URL.findall(face.group(1))[:1]
    outside = CSS_FONT_FACE.sub("", CSS_IMPORT.sub("", text))
    urls += [u for u in CSS_URL.findall(outside) if not u.startswith("data:")]
    _follow(css, urls, seen)


def _follow(base, urls, seen):
    """Add the built files ``urls`` name from ``base`` to ``seen``, and what
    the stylesheets among them fetch."""
    for url in urls:
        target = _local_file(base, url)
        if target is None or target in seen:
            continue
        seen.add(target)
        if target.suffix == ".css":
            _stylesheet_loads(target, seen)


def first_visit_files(page):
    """The built files a first visit of `page` loads, as far as the files say:
    the page, the scripts, stylesheets, icons and images it names, and what
    its stylesheets fetch."""
    soup = soup_of(page)
    seen = {page.resolve()}
    urls = [tag["src"] for tag in soup.find_all(SRC_TAGS, src=True)]
    for img in soup.find_all(["img", "source"], srcset=True):
        urls += [c.split()[0] for c in img["srcset"].split(",") if c.strip()]
    for tag in soup.find_all("link", href=True):
        if {rel.lower() for rel in tag.get("rel", [])} & LOADING_RELS:
            urls.append(tag["href"])
    _follow(page, urls, seen)
    return seen


def test_page_weight(book_page, book_page_path, assert_page_weight):
    """What a first visit of a page loads stays within conftest.PAGE_BUDGET,
    compressed as a web server sends it.

    Every page is a possible first visit, so the shared theme files, scripts,
    fonts and MathJax count in full on each. Read from the files, without a
    browser, this counts every font the stylesheets declare (the theme's
    unused Font Awesome brands and regular faces too, 142 kB) and not the
    fonts MathJax's script fetches for the formulas it typesets (100 to
    200 kB); test_browser.py's test_first_visit_weight measures what a real
    first visit transfers, those included.
    """
    files = first_visit_files(book_page_path)
    assert_page_weight(book_page, files, "can transfer")


# --- (b) Alt text and captions ---------------------------------------------------


def _is_image_output(output):
    return any(mime.startswith("image/") for mime in output.get("data", {}))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[nb.name for nb in NOTEBOOKS])
def test_notebook_figures_have_alt_text_and_caption(notebook):
    """Each figure a chapter shows has mystnb figure.caption and image.alt.

    A code cell with an image output (PNG, or any image/*) needs, in its
    metadata, ``mystnb.figure.caption`` and ``mystnb.image.alt`` as non-empty
    strings, the alt text at least MIN_ALT characters and not the caption
    again. Cells whose output the book hides (tags remove-output or
    remove-cell) show no figure and are left out.
    """
    nb = nbformat.read(notebook, as_version=4)
    missing = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if not any(_is_image_output(output) for output in cell.get("outputs", [])):
            continue
        if {"remove-output", "remove-cell"} & set(cell.metadata.get("tags", [])):
            continue
        mystnb = cell.metadata.get("mystnb", {})
        caption = mystnb.get("figure", {}).get("caption")
        alt = mystnb.get("image", {}).get("alt")
        where = f"cell {index} (id {cell.get('id', '?')}): "
        if not isinstance(caption, str) or not caption.strip():
            missing.append(where + "no mystnb.figure.caption")
        if not isinstance(alt, str) or not alt.strip():
            missing.append(where + "no mystnb.image.alt")
            continue
        if len(alt.strip()) < MIN_ALT:
            missing.append(
                where + f"alt text of {len(alt.strip())} characters: {alt!r}"
            )
        if isinstance(caption, str) and " ".join(alt.split()) == " ".join(
            caption.split()
        ):
            missing.append(where + "alt text is the caption again")
    assert not missing, f"{notebook.name}:{lines(missing)}"


def test_html_images_have_alt_text_and_caption(book_page, book_page_path):
    """In the built page every <img> has alt text, and every image of the
    content (the <article>) sits in a <figure> with a non-empty <figcaption>."""
    soup = soup_of(book_page_path)
    problems = []
    for img in soup.find_all("img"):
        name = img.get("src", "?")
        if not img.get("alt", "").strip():
            problems.append(f"{name}: no alt text")
        if img.find_parent("article") is None:
            continue
        figure = img.find_parent("figure")
        caption = figure.find("figcaption") if figure else None
        if figure is None:
            problems.append(f"{name}: not inside a <figure>")
        elif caption is None or not caption.get_text(strip=True):
            problems.append(f"{name}: its <figure> has no caption")
    assert not problems, f"{book_page}:{lines(problems)}"


# --- (c) No CDN ------------------------------------------------------------------


def test_page_loads_nothing_from_another_site(book_page, book_page_path):
    """No <script src>, loading <link href>, or <img>/<iframe>/... src names
    another site, and no inline script names a CDN (as sphinx-thebe's
    configuration once did). Plain <a> links to papers are fine."""
    soup = soup_of(book_page_path)
    found = []
    for tag in soup.find_all(SRC_TAGS, src=True):
        if is_external(tag["src"]):
            found.append(f"<{tag.name} src={tag['src']}>")
    for tag in soup.find_all("link", href=True):
        rels = {rel.lower() for rel in tag.get("rel", [])}
        href = tag["href"]
        if is_external(href) and (rels & LOADING_RELS or re.search(CDN, href)):
            found.append(f"<link rel={' '.join(sorted(rels))} href={href}>")
    for tag in soup.find_all("script", src=False):
        for match in re.finditer(rf"\S*(?:{CDN})\S*", tag.get_text()):
            found.append(f"inline <script> names {match.group(0)[:120]}")
    assert not found, f"{book_page}:{lines(found)}"


# In a script or stylesheet: src/href set to a CDN URL, or CSS fetching from
# another site with url(...) or @import.
CDN_IN_SCRIPT = re.compile(
    rf"""\b(?:src|href)\s*[=:]\s*["'`]\s*(?:https?:)?//(?:[\w-]+\.)*(?:{CDN})[^"'`]*"""
)
REMOTE_IN_CSS = re.compile(
    r"""(?:url\(\s*["']?|@import\s+["'])\s*(?:https?:)?//[^)"'\s]+"""
)


def test_assets_load_nothing_from_a_cdn(book_html):
    """No built JS file points a src/href at a CDN, and no CSS fetches from
    another site. (The vendored MathJax names jsdelivr as a fallback for its
    optional speech data, not as a src or href: this does not flag it, and the
    browser tests would catch a real request.)"""
    found = []
    for path in sorted(book_html.rglob("*")):
        if path.suffix not in (".js", ".css", ".html"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        name = path.relative_to(book_html).as_posix()
        if path.suffix == ".js":
            found += [
                f"{name}: {m.group(0)[:120]}" for m in CDN_IN_SCRIPT.finditer(text)
            ]
        if path.suffix in (".css", ".html"):
            found += [
                f"{name}: {m.group(0)[:120]}" for m in REMOTE_IN_CSS.finditer(text)
            ]
    assert not found, f"CDN or remote references in the build:{lines(found)}"
