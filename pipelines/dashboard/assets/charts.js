/* nianbao dashboard, part 1: DOM helpers, number formatting and the hand-drawn SVG charts.
   Text from reports is only ever set with textContent, never parsed as HTML. */
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const CHART_WIDTH = 640;

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function htmlEl(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function isRate(metric) {
  return /_rate$/.test(metric || "");
}

/* Rates may be stored as fractions (0.55) or percentages (55): show both as a percentage. */
function formatValue(value, metric) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (isRate(metric)) {
    const percent = Math.abs(value) <= 1 ? value * 100 : value;
    return percent.toFixed(1) + "%";
  }
  const rounded = Number.isInteger(value) ? value : Math.round(value * 100) / 100;
  return rounded.toLocaleString("zh-CN");
}

function emptyChart(svg, message) {
  clear(svg);
  svg.setAttribute("viewBox", `0 0 ${CHART_WIDTH} 50`);
  svg.appendChild(svgEl("text", { x: 12, y: 30, class: "empty" }, message));
}

function setData(node, data) {
  for (const [key, value] of Object.entries(data || {})) node.setAttribute("data-" + key, value);
}

/* Horizontal bars, one row per item {label, value, text, title, cls, data}.
   opts.max fixes the scale (coverage uses 1) and opts.track draws the full-length background. */
function drawBars(svg, items, opts) {
  if (!items.length) return emptyChart(svg, opts.emptyText);
  clear(svg);
  const labelWidth = 150, valueWidth = 130, row = 30;
  const span = CHART_WIDTH - labelWidth - valueWidth;
  const max = opts.max || Math.max(...items.map((item) => item.value), 0) || 1;
  svg.setAttribute("viewBox", `0 0 ${CHART_WIDTH} ${items.length * row + 10}`);
  items.forEach((item, index) => {
    const top = 5 + index * row, middle = top + row / 2 + 4;
    const length = Math.max(0, span * Math.min(item.value, max) / max);
    svg.appendChild(svgEl("text", { x: labelWidth - 8, y: middle, "text-anchor": "end", class: "bar-label" },
      item.label));
    if (opts.track) {
      svg.appendChild(svgEl("rect", { x: labelWidth, y: top + 5, width: span, height: row - 10, class: "cover-bg" }));
    }
    const bar = svgEl("rect", { x: labelWidth, y: top + 5, width: length.toFixed(1), height: row - 10,
      class: opts.barClass + " " + (item.cls || "") });
    setData(bar, item.data);
    bar.appendChild(svgEl("title", {}, item.title || item.text));
    if (opts.onClick) bar.addEventListener("click", () => opts.onClick(item));
    svg.appendChild(bar);
    const valueX = labelWidth + (opts.track ? span : length) + 6;
    svg.appendChild(svgEl("text", { x: valueX.toFixed(1), y: middle, class: "bar-value" }, item.text));
  });
}

function niceTicks(max) {
  const step = Math.pow(10, Math.floor(Math.log10(max / 4 || 1)));
  const unit = [1, 2, 5, 10].map((m) => m * step).find((s) => max / s <= 5) || step * 10;
  const ticks = [];
  for (let tick = 0; tick <= max + 1e-9; tick += unit) ticks.push(tick);
  return ticks;
}

/* One line across years for points [{year, value, text, note}], with every point labelled. */
function drawTrend(svg, points, opts) {
  if (!points.length) return emptyChart(svg, opts.emptyText);
  clear(svg);
  const height = 260, left = 70, right = 30, top = 24, bottom = 40;
  const plotWidth = CHART_WIDTH - left - right, plotHeight = height - top - bottom;
  const maxValue = Math.max(...points.map((p) => p.value), 0) || 1;
  const ticks = niceTicks(maxValue);
  const yMax = Math.max(ticks[ticks.length - 1], maxValue);
  const years = points.map((p) => p.year);
  const first = Math.min(...years), last = Math.max(...years);
  const x = (year) => left + (last === first ? plotWidth / 2 : plotWidth * (year - first) / (last - first));
  const y = (value) => top + plotHeight * (1 - value / yMax);
  svg.setAttribute("viewBox", `0 0 ${CHART_WIDTH} ${height}`);
  for (const tick of ticks) {
    svg.appendChild(svgEl("line", { x1: left, x2: CHART_WIDTH - right, y1: y(tick), y2: y(tick), class: "axis" }));
    svg.appendChild(svgEl("text", { x: left - 8, y: y(tick) + 4, "text-anchor": "end", class: "tick" },
      formatValue(tick, opts.metric)));
  }
  const path = points.map((p) => `${x(p.year).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  svg.appendChild(svgEl("polyline", { points: path, class: "trend-line" }));
  for (const p of points) {
    const dot = svgEl("circle", { cx: x(p.year).toFixed(1), cy: y(p.value).toFixed(1), r: 5, class: "point" });
    setData(dot, { year: p.year, value: p.value });
    dot.appendChild(svgEl("title", {}, `${p.year}: ${p.text}${p.note || ""}`));
    svg.appendChild(dot);
    svg.appendChild(svgEl("text", { x: x(p.year), y: y(p.value) - 10, "text-anchor": "middle", class: "point-value" },
      p.text));
    svg.appendChild(svgEl("text", { x: x(p.year), y: height - 14, "text-anchor": "middle", class: "tick" },
      `${p.year}年`));
  }
}
