/* The explorer of chapter 12: a drop-down and sliders that redraw f and f′.
 *
 * The curves are not computed here: actlib computed them when the book was
 * built (actlib.explorer.web_data), and explorer-data.js holds them as
 * window.actlibExplorer. This script only draws them, as SVG: no library, no
 * network, no kernel. The controls and their labels are in the page already
 * (written by _ext/web_explorer.py); each slider moves through the settings
 * of its activation, and its aria-valuetext says the setting.
 *
 * The <svg> keeps its axes in data-* attributes (data-x-domain and
 * data-x-range, data-y-domain and data-y-range), so that a test can turn the
 * drawn points back into (x, y) and compare them with actlib.
 */
(function () {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const SYMBOLS = { alpha: "α", beta: "β" };
  const SAMPLES = [-4, -1, 0, 1, 4]; // the x the text alternative reads out
  const MINUS = "\u2212";

  function node(name, attributes, parent) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) {
      element.setAttribute(key, value);
    }
    if (parent) parent.appendChild(element);
    return element;
  }

  /* A number for people: 3 significant digits, a real minus sign. */
  function number(value, digits = 3) {
    if (value === null || value === undefined) return "undefined";
    const text = String(Number(value.toPrecision(digits)));
    return text === "-0" ? "0" : text.replace("-", MINUS);
  }

  /* A setting with as many decimals as the slider's step: 0.10, 2.5. */
  function setting(value, step) {
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return value.toFixed(decimals);
  }

  /* A tick spacing of 1, 2 or 5 times a power of ten: the one that gives
     the number of ticks closest to count. */
  function tickStep(span, count) {
    const power = Math.pow(10, Math.floor(Math.log10(span / count)));
    let best = power;
    for (const factor of [1, 2, 5, 10]) {
      const step = factor * power;
      if (Math.abs(span / step - count) < Math.abs(span / best - count)) best = step;
    }
    return best;
  }

  function ticks(low, high, step) {
    const out = [];
    for (let k = Math.ceil(low / step - 1e-9); k * step <= high + 1e-9; k++) {
      out.push(Number((k * step).toPrecision(12)));
    }
    return out;
  }

  /* An SVG path through the points, broken where a value is null. */
  function path(xs, ys, sx, sy) {
    let d = "";
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      if (ys[i] === null) {
        pen = false;
        continue;
      }
      d += (pen ? "L" : "M") + sx(xs[i]).toFixed(2) + "," + sy(ys[i]).toFixed(2);
      pen = true;
    }
    return d;
  }

  function draw(svg, data, entry, curve) {
    const width = Math.max(260, Math.round(svg.parentElement.clientWidth));
    const narrow = width < 560;
    const height = Math.round(narrow ? width * 0.95 : Math.min(540, width * 0.6));
    const margin = narrow
      ? { left: 44, right: 30, top: 12, bottom: 40 }
      : { left: 56, right: 36, top: 14, bottom: 48 };
    const [x0, x1, count] = data.x;
    const [y0, y1] = entry.ylim;
    const left = margin.left;
    const right = width - margin.right;
    const top = margin.top;
    const bottom = height - margin.bottom;
    const sx = (x) => left + ((x - x0) / (x1 - x0)) * (right - left);
    const sy = (y) => bottom - ((y - y0) / (y1 - y0)) * (bottom - top);
    const xs = Array.from({ length: count }, (_, i) => x0 + (i * (x1 - x0)) / (count - 1));

    svg.replaceChildren();
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.dataset.xDomain = `${x0} ${x1}`;
    svg.dataset.yDomain = `${y0} ${y1}`;
    svg.dataset.xRange = `${left} ${right}`;
    svg.dataset.yRange = `${bottom} ${top}`;

    const grid = node("g", { class: "explorer-grid" }, svg);
    const labels = node("g", { class: "explorer-ticks" }, svg);
    for (const x of ticks(x0, x1, narrow && width < 340 ? 2 : 1)) {
      node("line", { x1: sx(x), x2: sx(x), y1: top, y2: bottom }, grid);
      const text = node("text", { x: sx(x), y: bottom + 20, "text-anchor": "middle" }, labels);
      text.textContent = number(x);
    }
    for (const y of ticks(y0, y1, tickStep(y1 - y0, narrow ? 5 : 7))) {
      node("line", { x1: left, x2: right, y1: sy(y), y2: sy(y) }, grid);
      const text = node("text", { x: left - 8, y: sy(y) + 5, "text-anchor": "end" }, labels);
      text.textContent = number(y);
    }
    const axes = node("g", { class: "explorer-axes" }, svg);
    if (y0 < 0 && y1 > 0) node("line", { x1: left, x2: right, y1: sy(0), y2: sy(0) }, axes);
    node("line", { x1: sx(0), x2: sx(0), y1: top, y2: bottom }, axes);
    node("path", { class: "explorer-frame", d: `M${left},${top}V${bottom}H${right}` }, svg);
    const xLabel = node("text", {
      class: "explorer-axis-label", x: (left + right) / 2, y: height - 4, "text-anchor": "middle",
    }, svg);
    xLabel.textContent = "x";

    if (curve.kink) {
      const x = sx(curve.kink.x);
      node("line", { class: "explorer-kink", x1: x, x2: x, y1: top, y2: bottom }, svg);
    }
    node("path", { class: "explorer-f", d: path(xs, curve.f, sx, sy) }, svg);
    node("path", { class: "explorer-df", d: path(xs, curve.df, sx, sy) }, svg);
    if (curve.kink) {
      const cx = sx(curve.kink.x);
      node("circle", { class: "explorer-dot-f", cx, cy: sy(curve.kink.f), r: 5 }, svg);
      for (const missed of curve.kink.missed) {
        node("circle", { class: "explorer-dot-open", cx, cy: sy(missed), r: 5 }, svg);
      }
      node("circle", { class: "explorer-dot-df", cx, cy: sy(curve.kink.df), r: 5 }, svg);
    }

    // Name each curve at its right end, the two names kept apart.
    const ends = [
      { name: "f", cls: "explorer-name-f", y: sy(curve.f[count - 1]) },
      { name: "f′", cls: "explorer-name-df", y: sy(curve.df[count - 1]) },
    ].sort((a, b) => a.y - b.y);
    const gap = 18;
    if (ends[1].y - ends[0].y < gap) {
      const middle = (ends[0].y + ends[1].y) / 2;
      ends[0].y = middle - gap / 2;
      ends[1].y = middle + gap / 2;
    }
    for (const end of ends) {
      const y = Math.min(bottom, Math.max(top + 8, end.y)) + 5;
      const text = node("text", { class: end.cls, x: right + 6, y }, svg);
      text.textContent = end.name;
    }
  }

  /* The text alternative: what the plot shows, in numbers. */
  function describe(data, entry, curve, name) {
    const [x0, x1, count] = data.x;
    const at = (x) => Math.round(((x - x0) / (x1 - x0)) * (count - 1));
    const df = (x) => {
      const value = curve.df[at(x)];
      return value === null ? curve.kink.df : value;
    };
    const xs = SAMPLES.filter((x) => x >= x0 && x <= x1);
    const list = (values) =>
      values.slice(0, -1).join(", ") + " and " + values[values.length - 1];
    let text =
      `f (solid line) and f′ (dashed line) of ${name}, for x from ${number(x0)} ` +
      `to ${number(x1)}, on a y-axis from ${number(entry.ylim[0], 2)} to ` +
      `${number(entry.ylim[1], 2)}. At x = ${list(xs.map((x) => number(x)))}, ` +
      `f is ${list(xs.map((x) => number(curve.f[at(x)])))}, and f′ is ` +
      `${list(xs.map((x) => number(df(x))))}.`;
    if (curve.kink && curve.kink.missed.length) {
      const missed = curve.kink.missed.map((v) => number(v));
      text +=
        ` f′ jumps at x = ${number(curve.kink.x)} (dotted line): it is ` +
        `${number(curve.kink.df)} there (filled dot), and ` +
        `${missed.length > 1 ? list(missed) : missed[0]} just beside it (open dot).`;
    }
    return text;
  }

  function setup(root, data) {
    const select = root.querySelector("select");
    const svg = root.querySelector(".explorer-plot svg");
    const heading = root.querySelector(".explorer-setting");
    const caption = root.querySelector(".explorer-description");
    const status = root.querySelector(".explorer-status");
    const noParam = root.querySelector(".explorer-no-param");
    const entries = new Map(data.activations.map((entry) => [entry.name, entry]));
    let announce = null;
    let width = 0;

    function state() {
      const entry = entries.get(select.value);
      const box = root.querySelector(`.explorer-slider[data-activation="${entry.name}"]`);
      const input = box ? box.querySelector("input") : null;
      const index = input ? Number(input.value) : 0;
      return { entry, box, input, index };
    }

    function update(event) {
      const { entry, box, input, index } = state();
      for (const other of root.querySelectorAll("[data-activation]")) {
        other.hidden = other.dataset.activation !== entry.name;
      }
      noParam.hidden = Boolean(box);
      const curve = entry.curves[index];
      let name = entry.label;
      let shown = entry.label;
      if (input) {
        const param = entry.param;
        const value = setting(entry.settings[index], param.step);
        const symbol = SYMBOLS[param.name] || param.name;
        input.setAttribute("aria-valuetext", value);
        box.querySelector("output").textContent = value;
        name = `${entry.label}, ${param.name} = ${value}`;
        shown = `${entry.label}, ${symbol} = ${value}`;
        root.dataset.setting = String(entry.settings[index]);
      } else {
        noParam.textContent = `${entry.label} has no parameter to move.`;
        root.dataset.setting = "";
      }
      root.dataset.activation = entry.name;
      heading.textContent = shown;
      svg.setAttribute("aria-label", `Plot of ${shown}: f and its derivative f′`);
      caption.textContent = describe(data, entry, curve, shown);
      draw(svg, data, entry, curve);
      width = svg.parentElement.clientWidth;
      // Say a new setting once the reader stops moving, not at every step,
      // and only when the reader changed it (not on loading, not on resizing).
      if (event) {
        clearTimeout(announce);
        announce = setTimeout(() => {
          status.textContent = `Showing ${name}.`;
        }, 300);
      }
    }

    select.addEventListener("change", update);
    for (const input of root.querySelectorAll('input[type="range"]')) {
      input.addEventListener("input", update);
    }
    if (window.ResizeObserver) {
      let pending = false;
      new ResizeObserver(() => {
        if (pending || svg.parentElement.clientWidth === width) return;
        pending = true;
        requestAnimationFrame(() => {
          pending = false;
          update(null);
        });
      }).observe(svg.parentElement);
    }
    update(null);
    root.classList.add("explorer-ready");
  }

  function start() {
    const data = window.actlibExplorer;
    for (const root of document.querySelectorAll(".web-explorer")) {
      if (data) setup(root, data);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
