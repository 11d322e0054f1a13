"""Keep the book readable offline and its browser console clean.

Jupyter Book 1 always loads sphinx-thebe, the "live code" launcher. This book
does not use it (its chapters run locally or in CI, not in the browser), and
sphinx-thebe adds its configuration script to every page twice, which makes
the browser report ``Identifier 'THEBE_JS_URL' has already been declared``.
Its script also names a CDN. This extension drops sphinx-thebe's scripts and
stylesheet from every page.
"""


def _is_thebe(asset):
    text = f"{asset.filename or ''} {asset.attributes.get('body', '')}"
    return "thebe" in text.lower()


def drop_thebe_assets(app, pagename, templatename, context, doctree):
    context["script_files"] = [a for a in context["script_files"] if not _is_thebe(a)]
    context["css_files"] = [a for a in context["css_files"] if not _is_thebe(a)]


def setup(app):
    app.connect("html-page-context", drop_thebe_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
