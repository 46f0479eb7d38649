/* nianbao dashboard, part 3: the state behind the controls (kept in the URL hash too, so a view can
   be linked or bookmarked), the province comparison, trend and coverage charts, and start-up. */
"use strict";

const DATA = nianbao.assemble(JSON.parse(document.getElementById("nianbao-settings").textContent));
const LATEST = "latest";
const state = { metric: null, year: LATEST, scope: "whole", province: null, drill: null };

function unique(values) {
  return [...new Set(values.filter((value) => value !== null && value !== undefined))];
}

function compareKeys(a, b) {
  for (let i = 0; i < a.length; i += 1) {
    const order = String(a[i] ?? "").localeCompare(String(b[i] ?? ""), "zh-CN", { numeric: true });
    if (order) return order;
  }
  return 0;
}

function sortedProvinces() {
  const rows = [...DATA.provinces, ...DATA.regions];
  rows.sort((a, b) => compareKeys([a.province_code, a.province], [b.province_code, b.province]));
  return unique(rows.map((row) => row.province));
}

function drillOptions() {
  const seen = new Map();
  for (const row of DATA.regions) if (!seen.has(regionKey(row))) seen.set(regionKey(row), row);
  return [...seen.entries()]
    .sort(([, a], [, b]) => compareKeys([a.province, a.region_code, a.year], [b.province, b.region_code, b.year]))
    .map(([key, row]) => [key, `${row.province || "?"} · ${row.region || row.region_code} · ${row.year}年`]);
}

function hasValue(row) {
  return row[state.metric] !== null && row[state.metric] !== undefined;
}

function comparedRows() {
  const rows = DATA.provinces.filter((r) => r.scope === state.scope && hasValue(r));
  if (state.year !== LATEST) return rows.filter((r) => String(r.year) === state.year);
  const latest = new Map();
  for (const r of rows) if (!latest.has(r.province) || latest.get(r.province).year < r.year) latest.set(r.province, r);
  return [...latest.values()];
}

function drawCompare() {
  const metricName = label("metric", state.metric);
  const rows = comparedRows().sort((a, b) => b[state.metric] - a[state.metric]);
  const items = rows.map((r) => ({
    label: state.year === LATEST ? `${r.province}（${r.year}）` : r.province,
    value: r[state.metric], text: formatValue(r[state.metric], state.metric),
    title: `${r.province} ${r.year}年 ${metricName}：${formatValue(r[state.metric], state.metric)}`
      + `（${label("source", r.source)}，${r.n_reports ?? "?"} 份年报）`,
    cls: r.source === "aggregate" ? "aggregate" : "report",
    data: { province: r.province, year: r.year, value: r[state.metric], source: r.source || "" },
    row: r,
  }));
  const year = state.year === LATEST ? "各省最新年份" : `${state.year}年`;
  document.getElementById("compare-caption").textContent = `${metricName} · ${year} · ${label("scope", state.scope)}`;
  drawBars(document.getElementById("province-chart"), items,
    { barClass: "bar", emptyText: "该年份与范围下没有此指标的数据", onClick: (item) => pickProvince(item.row) });
}

function drawTrendChart() {
  const points = DATA.provinces
    .filter((r) => r.province === state.province && r.scope === state.scope && hasValue(r))
    .sort((a, b) => a.year - b.year)
    .map((r) => ({ year: r.year, value: r[state.metric], text: formatValue(r[state.metric], state.metric),
      // Aggregates of different regions are not comparable year to year: say what each point covers.
      note: `（${label("source", r.source)}，覆盖 ${r.regions_covered ?? "?"} / ${r.regions_total ?? "?"} 地区）` }));
  document.getElementById("trend-caption").textContent =
    `${state.province || "—"} · ${label("metric", state.metric)} · ${label("scope", state.scope)}`;
  drawTrend(document.getElementById("trend-chart"), points,
    { metric: state.metric, emptyText: "该省份没有此指标的历年数据" });
}

/* One bar per province and year; scopes share their coverage, so the whole-area row is preferred. */
function drawCoverage() {
  const byProvinceYear = new Map();
  for (const r of DATA.provinces) {
    const key = `${r.province}:${r.year}`;
    if (!byProvinceYear.has(key) || r.scope === "whole") byProvinceYear.set(key, r);
  }
  const rows = [...byProvinceYear.values()]
    .sort((a, b) => compareKeys([a.province_code, a.province, a.year], [b.province_code, b.province, b.year]));
  const items = rows.map((r) => {
    const known = r.regions_total > 0 && r.regions_covered !== null && r.regions_covered !== undefined;
    const share = known ? r.regions_covered / r.regions_total : 0;
    return {
      label: `${r.province} ${r.year}年`, value: share, row: r,
      text: known ? `${r.regions_covered} / ${r.regions_total}（${Math.round(share * 100)}%）` : "地区总数未知",
      title: `${label("source", r.source)}；${r.n_reports ?? "?"} 份年报`,
      data: { province: r.province, year: r.year, covered: r.regions_covered ?? "", total: r.regions_total ?? "" },
    };
  });
  drawBars(document.getElementById("coverage-chart"), items,
    { barClass: "cover-fill", max: 1, track: true, emptyText: "没有覆盖数据", onClick: (item) => pickProvince(item.row) });
}

/* A province's own report when there is one for that year, else its first region's. */
function pickProvince(row) {
  state.province = row.province;
  const candidates = DATA.regions.filter((r) => r.province === row.province && r.year === row.year);
  const own = candidates.find((r) => r.province_code && r.region_code === r.province_code);
  if (own || candidates.length) state.drill = regionKey(own || candidates[0]);
  update();
}

function pickDrill(key) {
  state.drill = key;
  update();
  document.getElementById("drill").scrollIntoView();
}

function readHash() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  for (const key of Object.keys(state)) if (params.get(key)) state[key] = params.get(key);
}

function writeHash() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state)) if (value !== null) params.set(key, value);
  try {
    window.history.replaceState(null, "", "#" + params.toString());
  } catch (error) {
    // Some browsers refuse history changes on file:// pages; the view still works, only unlinked.
  }
}

function fillSelect(id, options, key) {
  const select = document.getElementById(id);
  clear(select);
  for (const [value, text] of options) select.appendChild(htmlEl("option", { value: String(value) }, text));
  if (!options.some(([value]) => String(value) === String(state[key]))) state[key] = options.length ? String(options[0][0]) : null;
  select.onchange = () => { state[key] = select.value; update(); };
}

function drawOverview() {
  const box = document.getElementById("overview-list");
  clear(box);
  const provinces = sortedProvinces();
  const years = unique([...DATA.provinces, ...DATA.regions].map((r) => r.year)).sort();
  const findings = DATA.dq.findings;
  const stats = [
    ["省份", provinces.length, provinces.join("、")],
    ["年报", unique(DATA.regions.map((r) => r.report_id)).length, `${unique(DATA.regions.map(regionKey)).length} 个地区年度`],
    ["年份", years.length ? `${years[0]}–${years[years.length - 1]}` : "—", `${years.length} 个年份`],
    ["原文依据", DATA.factCount, "个带原文的数字"],
    ["阻断问题", findings.filter((f) => f.severity === "blocking").length, "各年报最近一次检查"],
    ["警告", findings.filter((f) => f.severity !== "blocking").length, "各年报最近一次检查"],
  ];
  for (const [term, value, note] of stats) {
    const item = box.appendChild(htmlEl("div", { class: "stat" }));
    item.appendChild(htmlEl("dt", {}, term));
    item.appendChild(htmlEl("dd", { "data-stat": term }, String(value)));
    item.appendChild(htmlEl("dd", { class: "note" }, note));
  }
}

function showMissing() {
  if (!DATA.missing.length) return;
  const box = document.getElementById("missing");
  box.hidden = false;
  box.textContent = `发布的数据缺少以下表或列，相关部分留空：${DATA.missing.join("，")}`;
}

function init() {
  document.getElementById("generated-at").textContent = DATA.generated_at;
  showMissing();
  drawOverview();
  const metrics = [...DATA.province_metrics].sort((a, b) => metricOrder(a) - metricOrder(b));
  state.metric = metrics.includes("applications_new") ? "applications_new" : metrics[0];
  readHash();
  fillSelect("metric-select", metrics.map((m) => [m, label("metric", m)]), "metric");
  const years = unique(DATA.provinces.map((r) => r.year)).sort((a, b) => b - a);
  fillSelect("year-select", [[LATEST, "各省最新年份"], ...years.map((y) => [y, `${y}年`])], "year");
  const scopes = unique(DATA.provinces.map((r) => r.scope)).sort((a, b) => (b === "whole") - (a === "whole"));
  fillSelect("scope-select", scopes.map((s) => [s, label("scope", s)]), "scope");
  fillSelect("province-select", sortedProvinces().map((p) => [p, p]), "province");
  fillSelect("drill-select", drillOptions(), "drill");
  update();
}

function update() {
  const selects = { metric: "metric-select", year: "year-select", scope: "scope-select",
    province: "province-select", drill: "drill-select" };
  for (const [key, id] of Object.entries(selects)) if (state[key] !== null) document.getElementById(id).value = state[key];
  drawCompare();
  drawTrendChart();
  drawCoverage();
  drawQuality(pickDrill);
  drawDrill(state.drill, pickDrill);
  writeHash();
}

init();
