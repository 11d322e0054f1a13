"""The explorer of chapter 12 in the web book, in a real browser.

The book is built once (``book_html``, conftest.py) and served from
127.0.0.1; headless Debian chromium (``browser``, conftest.py) opens the
explorer's page. Without chromium or playwright the browser tests skip,
saying why; the checks of the built files need no browser and always run.

- The page loads the explorer's data and script from the book itself: no
  console error, no request off 127.0.0.1.
- Every control has a label; the plot has a text alternative; a live region
  says the setting.
- Each activation shows the slider of its own parameter only, over the range
  of ``actlib.explorer.SLIDERS``.
- Moving each control from the keyboard (the drop-down, then each slider:
  arrow keys, Home, End) redraws the curves and shows the new setting.
- The curves drawn are actlib's: each point of the SVG paths, turned back
  into (x, y) through the axes the <svg> states in its data-* attributes, is
  within a pixel of ``act(x)`` or ``act.grad(x)``.
- It reads in dark mode, and fits a phone's width.
"""

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup

from actlib import explorer

PAGE = "chapters/12_explorer.html"
DATA = "_static/explorer-data.js"
OURS = ["_static/explorer.js", "_static/explorer.css", DATA]
TIMEOUT_MS = 30_000
MOVABLE = [name for name, slider in explorer.SLIDERS.items() if slider is not None]
# What the explorer's files may add to the page's weight, uncompressed.
EXPLORER_BUDGET = 400_000
PIXEL = 1.0  # how far a drawn point may be from actlib's, in pixels


# --- The built files: no browser needed ------------------------------------------


def soup_of(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def read_data(book_html):
    text = (book_html / DATA).read_text(encoding="utf-8")
    match = re.search(r"window\.actlibExplorer = (\{.*\});\s*$", text, re.DOTALL)
    assert match, f"{DATA} does not set window.actlibExplorer"
    return json.loads(match.group(1))


def test_the_page_ships_actlibs_curves(book_html):
    """The data file the page loads is what actlib.explorer.web_data() gives."""
    soup = soup_of(book_html / PAGE)
    scripts = [tag["src"].split("?")[0] for tag in soup.find_all("script", src=True)]
    assert scripts.index("../" + DATA) < scripts.index("../_static/explorer.js")
    assert read_data(book_html) == explorer.web_data()


def test_only_the_explorer_page_loads_the_explorer(book_html, book_page_list):
    for page in book_page_list:
        soup = soup_of(book_html / page)
        loaded = {
            tag.get("src") or tag.get("href")
            for tag in soup.find_all(["script", "link"])
        }
        found = [name for name in OURS if any(name in (url or "") for url in loaded)]
        assert found == (OURS if page == PAGE else []), page


def test_the_explorer_stays_light(book_html):
    """The page, its images and the explorer's three files: within budget."""
    sizes = {name: (book_html / name).stat().st_size for name in OURS}
    assert sum(sizes.values()) <= EXPLORER_BUDGET, sizes


def test_the_controls_are_in_the_page_and_labelled(book_html):
    """Drop-down and sliders are written at build time, from SLIDERS, each with
    a <label for>; without JavaScript the page says why there is no plot."""
    (root,) = soup_of(book_html / PAGE).select(".web-explorer")
    assert root.get("id") == "web-explorer", "the placeholder was not replaced"
    select = root.find("select")
    assert [o["value"] for o in select.find_all("option")] == list(explorer.SLIDERS)
    inputs = root.select('input[type="range"]')
    assert len(inputs) == len(MOVABLE)
    for control in [select, *inputs]:
        label = root.find("label", attrs={"for": control["id"]})
        assert label is not None and label.get_text(strip=True), control["id"]
    assert root.find(attrs={"aria-live": "polite"}) is not None
    assert "JavaScript" in root.find("noscript").get_text()


# --- The page in a browser ----------------------------------------------------------


@pytest.fixture(scope="module")
def explorer_url(book_server):
    """The explorer's page, from the book's local server (conftest.py)."""
    return book_server.url + PAGE


class Tab:
    """One page of the explorer, and what the browser reported on the way."""

    def __init__(self, page):
        self.page = page
        self.errors = []
        self.external = []
        self.requests = []
        self.root = page.locator(".web-explorer")

    def state(self):
        """What the explorer shows: activation, setting, heading, paths."""
        return self.page.evaluate(
            """() => {
                const root = document.querySelector(".web-explorer");
                const svg = root.querySelector(".explorer-plot svg");
                const path = (c) => svg.querySelector(c)?.getAttribute("d") ?? "";
                return {
                    activation: root.dataset.activation,
                    setting: root.dataset.setting,
                    heading: root.querySelector(".explorer-setting").textContent,
                    f: path(".explorer-f"),
                    df: path(".explorer-df"),
                    sliders: [...root.querySelectorAll(".explorer-slider")]
                        .filter((s) => s.offsetParent !== null)
                        .map((s) => s.querySelector("input").dataset.param),
                };
            }"""
        )

    def plot(self):
        """The axes of the plot and the points of each curve, in pixels."""
        return self.page.evaluate(
            """() => {
                const svg = document.querySelector(".web-explorer .explorer-plot svg");
                const pair = (name) => svg.dataset[name].split(" ").map(Number);
                const at = (d, a) => Number(d.getAttribute(a));
                const dots = (c) => [...svg.querySelectorAll(c)]
                    .map((d) => [at(d, "cx"), at(d, "cy")]);
                return {
                    xDomain: pair("xDomain"), xRange: pair("xRange"),
                    yDomain: pair("yDomain"), yRange: pair("yRange"),
                    f: svg.querySelector(".explorer-f").getAttribute("d"),
                    df: svg.querySelector(".explorer-df").getAttribute("d"),
                    dotF: dots(".explorer-dot-f"), dotDf: dots(".explorer-dot-df"),
                    open: dots(".explorer-dot-open"),
                };
            }"""
        )

    def choose(self, name):
        """Choose an activation from the keyboard: focus the drop-down, arrow to it."""
        select = self.page.locator("#explorer-activation")
        select.focus()
        names = list(explorer.SLIDERS)
        moves = names.index(name) - names.index(select.input_value())
        for _ in range(abs(moves)):
            self.page.keyboard.press("ArrowDown" if moves > 0 else "ArrowUp")
        assert select.input_value() == name

    def press(self, key):
        """Press ``key`` on the slider on show."""
        slider = self.page.locator(".explorer-slider:visible input")
        slider.focus()
        self.page.keyboard.press(key)


@pytest.fixture
def open_tab(browser, explorer_url):
    """open_tab(width, height, dark=False): the explorer in a fresh context."""
    contexts = []

    def do_open(width=1280, height=900, dark=False):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            color_scheme="dark" if dark else "light",
            service_workers="block",
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        tab = Tab(page)

        def block(route):
            tab.external.append(route.request.url)
            route.abort()

        context.route(lambda url: not url.startswith("http://127.0.0.1:"), block)
        page.on("request", lambda request: tab.requests.append(request.url))
        page.on(
            "console",
            lambda m: tab.errors.append(m.text) if m.type == "error" else None,
        )
        page.on("pageerror", lambda error: tab.errors.append(str(error)))
        page.goto(explorer_url, wait_until="networkidle")
        page.wait_for_selector(".web-explorer.explorer-ready")
        return tab

    yield do_open
    for context in contexts:
        context.close()


def test_the_explorer_loads_from_the_book_alone(open_tab):
    tab = open_tab()
    assert tab.errors == []
    assert tab.external == []
    assert all(url.startswith("http://127.0.0.1:") for url in tab.requests)
    loaded = " ".join(tab.requests)
    assert all(name in loaded for name in OURS)
    state = tab.state()
    assert state["activation"] == "leaky_relu" and state["setting"] == "0.1"
    assert state["heading"] == "Leaky ReLU, α = 0.10"
    assert state["f"].startswith("M") and state["df"].startswith("M")


def test_the_plot_has_a_text_alternative(open_tab):
    tab = open_tab()
    svg = tab.page.locator(".explorer-plot svg")
    assert svg.get_attribute("role") == "img"
    assert svg.get_attribute("aria-label").startswith("Plot of Leaky ReLU, α = 0.10")
    described = tab.page.locator("#" + svg.get_attribute("aria-describedby"))
    text = described.inner_text()
    assert "At x = −4, −1, 0, 1 and 4, f is −0.4, −0.1, 0, 1 and 4" in text
    assert "f′ is 0.1, 0.1, 0.1, 1 and 1" in text
    assert "f′ jumps at x = 0" in text


@pytest.mark.parametrize("name", list(explorer.SLIDERS))
def test_each_activation_shows_only_its_own_slider(open_tab, name):
    tab = open_tab()
    tab.choose(name)
    state = tab.state()
    slider = explorer.SLIDERS[name]
    assert state["activation"] == name
    if slider is None:
        assert state["sliders"] == []
        assert tab.page.locator(".explorer-no-param").inner_text() == (
            f"{explorer.activation(name).label} has no parameter to move."
        )
        return
    assert state["sliders"] == [slider.param]
    control = tab.page.locator(".explorer-slider:visible input")
    tab.press("Home")
    assert float(tab.state()["setting"]) == slider.low
    assert control.get_attribute("aria-valuetext") == (
        tab.page.locator(".explorer-slider:visible output").inner_text()
    )
    tab.press("End")
    assert float(tab.state()["setting"]) == slider.high


def test_every_control_redraws_the_curves(open_tab):
    """The drop-down, then each slider, from the keyboard: a new drawing each
    time, with the new setting in the heading and, once the reader stops, in
    the live region."""
    tab = open_tab()
    before = tab.state()
    status = tab.page.locator(".explorer-status")
    for name in MOVABLE:
        if name != before["activation"]:
            tab.choose(name)
            chosen = tab.state()
            assert chosen["activation"] == name
            assert chosen["f"] != before["f"], f"choosing {name} did not redraw f"
            before = chosen
        slider = explorer.SLIDERS[name]
        values = explorer.settings(name)
        for key, step in [("ArrowRight", 1), ("ArrowLeft", -1), ("ArrowLeft", -1)]:
            index = values.index(float(before["setting"]))
            tab.press(key)
            after = tab.state()
            expected = values[min(max(index + step, 0), len(values) - 1)]
            assert float(after["setting"]) == expected, (name, key)
            assert (after["f"], after["df"]) != (before["f"], before["df"]), (name, key)
            label = explorer.activation(name).label
            assert after["heading"].startswith(f"{label}, "), after["heading"]
            before = after
        tab.page.wait_for_function(
            "(text) => document.querySelector('.explorer-status').textContent === text",
            arg=f"Showing {label}, {slider.param} = "
            f"{tab.page.locator('.explorer-slider:visible output').inner_text()}.",
        )
        assert status.get_attribute("aria-live") == "polite"
    assert tab.errors == []


def _points(d):
    """The vertices of an SVG path of M and L commands, in its subpaths."""
    paths = []
    for command, x, y in re.findall(r"([ML])\s*(-?[\d.]+)[ ,](-?[\d.]+)", d):
        if command == "M":
            paths.append([])
        paths[-1].append((float(x), float(y)))
    return [np.array(path) for path in paths]


def _to_data(pixels, plot):
    (x0, x1), (left, right) = plot["xDomain"], plot["xRange"]
    (y0, y1), (bottom, top) = plot["yDomain"], plot["yRange"]
    x = x0 + (pixels[:, 0] - left) / (right - left) * (x1 - x0)
    y = y0 + (pixels[:, 1] - bottom) / (top - bottom) * (y1 - y0)
    return x, y


def _check_curve(paths, plot, function, what):
    """Every drawn point is on actlib's curve, to within PIXEL."""
    (x0, x1), (left, right) = plot["xDomain"], plot["xRange"]
    (y0, y1), (bottom, top) = plot["yDomain"], plot["yRange"]
    x_pixel = (x1 - x0) / (right - left)
    y_pixel = (y1 - y0) / (bottom - top)
    drawn = np.concatenate([np.column_stack(_to_data(p, plot)) for p in paths])
    grid = explorer.WEB_X
    nearest = grid[np.abs(drawn[:, :1] - grid).argmin(axis=1)]
    assert np.abs(drawn[:, 0] - nearest).max() < x_pixel, f"{what}: x off the grid"
    error = np.abs(drawn[:, 1] - function(nearest)) / y_pixel
    assert error.max() < PIXEL, (
        f"{what}: {error.max():.2f} px from actlib at x = {nearest[error.argmax()]}"
    )
    return nearest


@pytest.mark.parametrize("name", list(explorer.SLIDERS))
def test_the_drawn_curves_are_actlibs(open_tab, name):
    """At the low end, the start and the high end of each slider: every point
    of f and f′ as drawn, and the dots at a kink, are actlib's values."""
    tab = open_tab()
    tab.choose(name)
    slider = explorer.SLIDERS[name]
    keys = [None] if slider is None else ["Home", None, "End"]
    for key in keys:
        if key is None and slider is not None:
            tab.page.locator(".explorer-slider:visible input").fill(
                str(explorer.settings(name).index(slider.value))
            )
        elif key is not None:
            tab.press(key)
        setting = tab.state()["setting"]
        value = float(setting) if setting else None
        act = explorer.activation(name, value)
        plot = tab.plot()
        what = f"{act!r}"
        f_at = _check_curve(_points(plot["f"]), plot, act, f"f of {what}")
        assert len(f_at) == len(explorer.WEB_X), f"f of {what}: not every point drawn"
        df_paths = _points(plot["df"])
        df_at = _check_curve(df_paths, plot, act.grad, f"f′ of {what}")
        if act.kink is None:
            assert len(df_paths) == 1 and len(df_at) == len(explorer.WEB_X)
            assert plot["dotF"] == plot["dotDf"] == plot["open"] == []
        else:
            # f′ breaks at the kink: the filled dot is the value used there.
            assert len(df_paths) == 2 and act.kink not in df_at
            (kink_f,) = _to_data(np.array(plot["dotF"]), plot)[1]
            (kink_df,) = _to_data(np.array(plot["dotDf"]), plot)[1]
            y_pixel = (plot["yDomain"][1] - plot["yDomain"][0]) / (
                plot["yRange"][0] - plot["yRange"][1]
            )
            assert abs(kink_f - act(act.kink)) < PIXEL * y_pixel
            assert abs(kink_df - act.grad(act.kink)) < PIXEL * y_pixel


def test_the_value_shown_is_the_value_drawn(open_tab):
    """fill() sets a slider as a script would; the input event redraws."""
    tab = open_tab()
    control = tab.page.locator(".explorer-slider:visible input")
    control.fill("10")  # leaky_relu's settings: 0, 0.05, ..., 1
    state = tab.state()
    assert state["setting"] == "0.5" and state["heading"] == "Leaky ReLU, α = 0.50"
    assert tab.page.locator(".explorer-slider:visible output").inner_text() == "0.50"
    assert control.get_attribute("aria-valuetext") == "0.50"


def _luminance(rgb):
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a, b):
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_curves_stand_out_in_both_colour_modes(open_tab, dark):
    """Each curve, and the tick labels, against the page: 3:1 or more (WCAG's
    bar for graphics); the dark mode has colours of its own."""
    tab = open_tab(dark=dark)
    colours = tab.page.evaluate(
        """() => {
            const style = (c, p) => getComputedStyle(document.querySelector(c))[p];
            return {
                theme: document.documentElement.dataset.theme,
                page: getComputedStyle(document.body).backgroundColor,
                f: style(".explorer-f", "stroke"),
                df: style(".explorer-df", "stroke"),
                ticks: style(".explorer-ticks text", "fill"),
            };
        }"""
    )
    assert colours["theme"] == ("dark" if dark else "light")
    for part in ["f", "df", "ticks"]:
        assert _contrast(colours[part], colours["page"]) >= 3, (part, colours)
    assert tab.errors == []


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    if os.environ.get("BOOK_SCREENSHOTS"):
        folder = Path(os.environ["BOOK_SCREENSHOTS"])
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("explorer-shots")


@pytest.mark.parametrize(
    "width, height", [(1280, 900), (390, 844)], ids=["desktop", "phone"]
)
def test_the_explorer_fits_the_screen(open_tab, shots, width, height):
    """At a desktop and a phone width: nothing wider than the screen, a plot
    at least 300 pixels wide, and a screenshot (into $BOOK_SCREENSHOTS if set)."""
    tab = open_tab(width, height)
    box = tab.root.bounding_box()
    plot = tab.page.locator(".explorer-plot svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert plot["x"] + plot["width"] <= box["x"] + box["width"]
    assert plot["width"] >= (300 if width < 500 else 600), plot
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= width
    tab.root.scroll_into_view_if_needed()
    path = shots / f"explorer-{width}x{height}.png"
    tab.root.screenshot(path=path, animations="disabled")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
