"""The book's own fixes to what Jupyter Book 1 writes: offline, accessible, light.

Offline and a clean console. Jupyter Book 1 always loads sphinx-thebe, the
"live code" launcher. This book does not use it (its chapters run locally or
in CI, not in the browser), and sphinx-thebe adds its configuration script to
every page twice, which makes the browser report ``Identifier 'THEBE_JS_URL'
has already been declared``. Its script also names a CDN. This extension
drops sphinx-thebe's scripts and stylesheet from every page.

Valid, accessible HTML (issue 15; the theme's own parts are fixed in
_templates/ and _static/book-a11y.css):

- sphinx-exercise gives the body of every exercise the id ``exercise-content``
  and of every solution ``solution-content``, so a chapter with four exercises
  has eight duplicate ids. Each becomes ``<its box's id>-content``.
- myst-nb writes the "Show code cell source" toggle of a hidden cell as a
  ``<summary>`` holding two ``<p>`` (invalid: a summary holds phrasing content)
  and labels it "Toggle hidden content", a name that is not the visible text.
  It is written here with ``<span>`` and no aria-label.
- docutils writes the bibliography as ``role="list"`` holding entries of the
  deprecated ``role="doc-biblioentry"``, which is no list item: a critical axe
  violation. The entries become ``role="listitem"``.
- The redirect that the book's root (index.html) needs is written as a
  complete page (doctype, language, title) instead of sphinx-external-toc's
  one-line ``<meta>``. It names no icon: the browser would start fetching it
  and abort on leaving the page at once, a failed load in the console; its
  automatic request for /favicon.ico finds the one in _extra/.
- Two Jinja fragments that the themes copy into _static (``*webpack-macros.html``)
  are no pages; they are removed from the output.
"""

import html
from pathlib import Path

from docutils import nodes

# sphinx-exercise's shared section ids, and what they name.
SHARED_IDS = ("exercise-content", "solution-content")
# The files under _static that are template fragments, not pages.
TEMPLATE_FRAGMENTS = ("webpack-macros.html", "sbt-webpack-macros.html")

REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body>
<main>
<p><a href="{target}">{title}</a></p>
</main>
</body>
</html>
"""


# --- sphinx-thebe ----------------------------------------------------------------


def _is_thebe(asset):
    text = f"{asset.filename or ''} {asset.attributes.get('body', '')}"
    return "thebe" in text.lower()


def drop_thebe_assets(app, pagename, templatename, context, doctree):
    context["script_files"] = [a for a in context["script_files"] if not _is_thebe(a)]
    context["css_files"] = [a for a in context["css_files"] if not _is_thebe(a)]


# --- sphinx-exercise: one id per exercise and solution body ----------------------


def unique_exercise_ids(app, doctree, docname):
    """Rename each ``exercise-content``/``solution-content`` section's id to
    the id of the exercise or solution around it, plus ``-content``."""
    taken = set(doctree.ids)
    for section in doctree.findall(nodes.section):
        shared = [i for i in section["ids"] if i in SHARED_IDS]
        if not shared:
            continue
        owner = section.parent.get("ids", []) if section.parent else []
        base = f"{owner[0]}-content" if owner else shared[0]
        new, n = base, 1
        while new in taken:
            n += 1
            new = f"{base}-{n}"
        taken.add(new)
        section["ids"] = [new if i in SHARED_IDS else i for i in section["ids"]]


# --- myst-nb: the toggle of a hidden cell ------------------------------------------


def visit_hide_cell(self, node):
    """As myst-nb's visit_HideCellInput, with phrasing content in <summary>
    and the visible text as its name (no aria-label)."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    for state, key in (("collapsed", "prompt_show"), ("expanded", "prompt_hide")):
        self.body.append(
            f'<span class="{state} admonition-title">{html.escape(node[key])}</span>\n'
        )
    self.body.append("</summary>\n")


def depart_hide_cell(self, node):
    self.body.append("</details>\n")


# --- The page body: the bibliography's roles ------------------------------------


def fix_bibliography_roles(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


# --- The output folder: the redirect page, no template fragments ---------------


def write_redirect_page(app, exception):
    """Write index.html, which forwards to the root document, as a complete
    page. Runs before sphinx-external-toc's own handler, which then sees the
    file and leaves it alone."""
    if exception is not None or app.builder.format != "html":
        return
    root = app.config.root_doc
    if root == "index":
        return
    outdir = Path(app.outdir)
    target = app.builder.get_target_uri(root)
    title = app.config.html_title or app.config.project
    (outdir / "index.html").write_text(
        REDIRECT_PAGE.format(
            lang=html.escape(app.config.language or "en"),
            title=html.escape(title),
            target=html.escape(target),
        ),
        encoding="utf-8",
    )
    for name in TEMPLATE_FRAGMENTS:
        (outdir / "_static" / name).unlink(missing_ok=True)


def setup(app):
    app.setup_extension("myst_nb")
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(
        HideCodeCellNode, override=True, html=(visit_hide_cell, depart_hide_cell)
    )
    app.connect("html-page-context", drop_thebe_assets)
    app.connect("html-page-context", fix_bibliography_roles)
    app.connect("doctree-resolved", unique_exercise_ids)
    # sphinx-external-toc writes its one-line redirect at the default priority
    # (500) unless index.html exists: go first.
    app.connect("build-finished", write_redirect_page, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
