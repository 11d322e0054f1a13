"""The explorer of chapter 12 in the web book: no kernel, no network.

A reader picks an activation and moves the slider of its parameter; the page
redraws f and f′ at once. The curves are computed by actlib when the book is
built (:func:`actlib.explorer.web_data`), and the page's own script
(``_static/explorer.js``) draws them as SVG. This extension

1. writes that data to ``_static/explorer-data.js`` in the build, when the
   HTML builder starts;
2. replaces the placeholder ``<div class="web-explorer"></div>`` (raw HTML in
   a markdown cell, which Jupyter renders as nothing) with the explorer's
   controls: a drop-down of the activations and one slider per parameter,
   each with its label, its ranges from ``actlib.explorer.SLIDERS``;
3. adds the data, the script and ``_static/explorer.css`` to that page, and
   to no other.

Without JavaScript the page says so, in place of the drawing.
"""

import functools
import html
import json
import re
from pathlib import Path

from docutils import nodes

PLACEHOLDER = re.compile(r'^\s*<div class="web-explorer">\s*</div>\s*$')
DATA_FILE = "explorer-data.js"
DATA_GLOBAL = "actlibExplorer"
OURS = {DATA_FILE, "explorer.js", "explorer.css"}
MARK = 'id="web-explorer"'  # in the explorer's markup, not in the placeholder
SYMBOLS = {"alpha": "α", "beta": "β"}
START = "leaky_relu"  # the activation shown first, as in the notebook's explorer


@functools.cache
def explorer_data():
    """actlib's curves, computed once per build process."""
    from actlib.explorer import web_data

    return web_data()


def data_script(data):
    """The data as a script that sets ``window.actlibExplorer``.

    Floats that are whole numbers lose their ``.0``: 4 rather than 4.0.
    """
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    text = re.sub(r"(?<=\d)\.0(?=[,\]}])", "", text)
    return (
        "// The web explorer's curves, computed by actlib.explorer.web_data()\n"
        "// when the book was built. Written by _ext/web_explorer.py.\n"
        f"window.{DATA_GLOBAL} = {text};\n"
    )


def write_data(app):
    if app.builder.format != "html":
        return
    static = Path(app.builder.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / DATA_FILE).write_text(data_script(explorer_data()), encoding="utf-8")


def _math(tex):
    return f'<span class="math notranslate nohighlight">\\({html.escape(tex)}\\)</span>'


def _format(value, step):
    """A setting with as many decimals as the slider's step: 0.10, 2.5."""
    decimals = max(0, -int(f"{step:e}".split("e")[1]))
    return f"{value:.{decimals}f}"


def controls_html(data):
    """The explorer's markup: the controls, the figure and its text."""
    e = html.escape
    options, sliders, legends = [], [], []
    for act in data["activations"]:
        name, param = act["name"], act["param"]
        chosen = name == START
        options.append(
            f'<option value="{e(name)}"{" selected" if chosen else ""}>'
            f"{e(act['label'])}</option>"
        )
        hidden = "" if chosen else " hidden"
        f = _math("f(x) = " + act["formula"])
        df = _math("f'(x) = " + act["derivative_formula"])
        legends.append(
            f'<div class="explorer-formulas" data-activation="{e(name)}"{hidden}>'
            f'<span class="explorer-key explorer-key-f">{f}</span>'
            f'<span class="explorer-key explorer-key-df">{df}</span></div>'
        )
        if param is None:
            continue
        ident = f"explorer-{name}-{param['name']}"
        symbol = SYMBOLS.get(param["name"], param["name"])
        start = act["settings"].index(param["value"])
        text = _format(param["value"], param["step"])
        sliders.append(
            f'<div class="explorer-slider" data-activation="{e(name)}"{hidden}>'
            f'<label for="{ident}">{symbol}</label>'
            f'<input type="range" id="{ident}" min="0" '
            f'max="{len(act["settings"]) - 1}" step="1" value="{start}" '
            f'aria-valuetext="{text}" data-param="{e(param["name"])}">'
            f'<output for="{ident}" class="explorer-value">{text}</output></div>'
        )
    return f"""<div class="web-explorer" {MARK}>
<div class="explorer-controls">
<div class="explorer-choice"><label for="explorer-activation">Activation</label>
<select id="explorer-activation">{"".join(options)}</select></div>
{"".join(sliders)}
<p class="explorer-no-param" hidden>No parameter to move.</p>
</div>
<figure class="explorer-figure">
<p class="explorer-setting" aria-hidden="true"></p>
<div class="explorer-legend">{"".join(legends)}</div>
<div class="explorer-plot">
<svg role="img" aria-describedby="explorer-description"></svg>
<noscript><p>The explorer draws its curves with JavaScript, which is off in
this browser. Run the chapter in Jupyter for the same explorer.</p></noscript></div>
<figcaption id="explorer-description" class="explorer-description"></figcaption>
</figure>
<p class="explorer-status" role="status" aria-live="polite"></p>
</div>
"""


def replace_placeholder(app, doctree, docname):
    for raw in list(doctree.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and PLACEHOLDER.match(raw.astext()):
            markup = controls_html(explorer_data())
            raw.replace_self(nodes.raw("", markup, format="html"))


def _name(asset):
    """The file name of a page's script or stylesheet (an asset, or a str)."""
    return Path(getattr(asset, "filename", asset) or "").name


def add_assets(app, pagename, templatename, context, doctree):
    """The explorer's files on its own page, and on no other.

    Jupyter Book adds every .js and .css file of the book's _static folder to
    every page; this takes explorer.js and explorer.css off the others. It
    runs before offline_book's handler (priority 400), while the page's lists
    are still the builder's own, which Sphinx restores after each page.
    """
    for assets in (context.get("script_files", []), context.get("css_files", [])):
        assets[:] = [asset for asset in assets if _name(asset) not in OURS]
    if doctree is None:
        return
    if any(MARK in raw.astext() for raw in doctree.findall(nodes.raw)):
        app.add_css_file("explorer.css")
        app.add_js_file(DATA_FILE, loading_method="defer")
        app.add_js_file("explorer.js", loading_method="defer")


def setup(app):
    app.connect("builder-inited", write_data)
    app.connect("doctree-resolved", replace_placeholder)
    app.connect("html-page-context", add_assets, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
