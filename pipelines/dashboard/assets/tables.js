/* nianbao dashboard, part 2: the data-quality findings and the region-year drill-down with the
   report text (evidence) behind each figure, loaded from the reports' evidence files on demand. */
"use strict";

const SEVERITY_LABELS = { blocking: "阻断", warning: "警告" };

function label(kind, key) {
  return (DATA.labels[kind] || {})[key] || key || "—";
}

function regionKey(row) {
  return `${row.region_code || row.region}:${row.year}`;
}

function tableOf(headers, rows) {
  const table = htmlEl("table", { class: "grid" });
  const head = table.appendChild(htmlEl("thead")).appendChild(htmlEl("tr"));
  for (const header of headers) head.appendChild(htmlEl("th", {}, header));
  const body = table.appendChild(htmlEl("tbody"));
  for (const row of rows) body.appendChild(row);
  return table;
}

/* cells: [content, class] where content is text or a ready DOM node. */
function rowOf(cells, attrs) {
  const tr = htmlEl("tr", attrs);
  for (const [content, cls] of cells) {
    const td = tr.appendChild(htmlEl("td", cls ? { class: cls } : {}));
    if (content instanceof Node) td.appendChild(content);
    else if (content !== undefined && content !== null) td.textContent = content;
  }
  return tr;
}

/* The Chinese name, with the column name analysts query by. */
function metricCell(metric) {
  const cell = document.createDocumentFragment();
  cell.appendChild(document.createTextNode(label("metric", metric) + " "));
  if (label("metric", metric) !== metric) cell.appendChild(htmlEl("code", {}, metric));
  return cell;
}

/* The region-year a finding is about: by report when the audit names one, else by name and year. */
function findingTarget(finding) {
  const match = DATA.regions.find((r) => finding.report_id && r.report_id === finding.report_id)
    || DATA.regions.find((r) => r.region === finding.region && r.year === finding.report_year);
  return match ? regionKey(match) : null;
}

function findingRow(finding, onPick) {
  const target = findingTarget(finding);
  const tr = rowOf([
    [SEVERITY_LABELS[finding.severity] || finding.severity, "short sev-" + finding.severity],
    [finding.expectation], [finding.region, "short"], [finding.report_year, "short"],
    [label("scope", finding.scope), "short"],
    [finding.observed], [finding.expected], [finding.message],
  ], target ? { class: "finding clickable", "data-target": target } : { class: "finding" });
  if (target) tr.addEventListener("click", () => onPick(target));
  return tr;
}

function drawQuality(onPick) {
  const dq = DATA.dq, counts = dq.counts || {};
  const summary = document.getElementById("dq-summary");
  clear(summary);
  const failed = (severity) => counts[`${severity}/failed`] || 0;
  const passed = Object.entries(counts).filter(([key]) => key.endsWith("/passed"))
    .reduce((sum, [, n]) => sum + n, 0);
  summary.appendChild(htmlEl("span", { class: "chip-blocking" }, `阻断未通过 ${failed("blocking")}`));
  summary.appendChild(htmlEl("span", { class: "chip-warning" }, `警告 ${failed("warning")}`));
  summary.appendChild(htmlEl("span", { class: "chip-passed" }, `通过 ${passed}`));
  const where = dq.source === "warehouse" ? "（取自数据仓库的 audit.dq_latest）" : "";
  if (dq.checked_at) summary.appendChild(document.createTextNode(`各年报最近一次检查，最晚 ${dq.checked_at}${where}`));
  const body = document.querySelector("#dq-table tbody");
  clear(body);
  for (const finding of dq.findings) body.appendChild(findingRow(finding, onPick));
  if (!dq.findings.length) body.appendChild(rowOf([["各年报最近一次检查没有未通过的项目"]]));
}

function drawMeta(region, findings) {
  const meta = document.getElementById("drill-meta");
  clear(meta);
  const stated = Array.isArray(region.dq_flags) ? region.dq_flags.join("；") : region.dq_flags;
  const flags = stated || (findings.length ? "见下方本年报的数据质量问题" : "");
  const items = [
    ["地区", `${region.region || "—"}（${region.region_code || "代码缺失"}）`],
    ["所属省份", region.province], ["层级", label("level", region.level)], ["年份", region.year],
    ["发布机关", region.issuer], ["年报编号", region.report_id], ["质量标记", flags || "无"],
    ["未核实数字", region.unconfirmed_values ? `${region.unconfirmed_values} 项（表内算术不成立，已标 ⚠）` : "无"],
  ];
  for (const [term, value] of items) {
    meta.appendChild(htmlEl("dt", {}, term));
    meta.appendChild(htmlEl("dd", {}, value === undefined || value === null ? "—" : String(value)));
  }
}

function metricOrder(metric) {
  const index = Object.keys(DATA.labels.metric).indexOf(metric);
  return index < 0 ? 1e6 : index;
}

/* Stated figures with their evidence, then the figures gold computed from them (rates). */
function factRows(facts, scope, rows) {
  const stated = facts.filter((f) => f.scope === scope)
    .sort((a, b) => metricOrder(a.metric) - metricOrder(b.metric));
  const shown = new Set(stated.map((f) => f.metric));
  const out = stated.map((f) => rowOf(
    [[metricCell(f.metric)], [formatValue(f.value, f.metric) + (f.confidence === "unconfirmed" ? " ⚠" : ""), "num"],
     [(f.confidence === "unconfirmed" ? "【未核实：所在表格的数字不能相加】" : "") + (f.evidence || "（无原文依据）"), "evidence"]],
    { class: f.confidence === "unconfirmed" ? "fact unconfirmed" : "fact", "data-metric": f.metric,
      "data-value": f.value, "data-confidence": f.confidence || "" }));
  const computed = rows.find((r) => r.scope === scope) || {};
  for (const metric of DATA.region_metrics) {
    if (shown.has(metric) || computed[metric] === null || computed[metric] === undefined) continue;
    const note = isRate(metric) ? "由上列年报数字计算" : "年报原文依据缺失（metric_long 中无此项）";
    out.push(rowOf([[metricCell(metric)], [formatValue(computed[metric], metric), "num"], [note, "evidence"]],
      { class: "fact derived", "data-metric": metric, "data-value": computed[metric] }));
  }
  return out;
}

/* The region-year's stated figures, from its reports' evidence files (loading them when needed). */
function drillFacts(rows, onLoaded) {
  const reports = [...new Set(rows.map((r) => r.report_id).filter(Boolean))];
  const states = reports.map((id) => nianbao.loadEvidence(id, onLoaded));
  const facts = reports.flatMap((id) => nianbao.evidenceByReport.get(id) || []);
  const status = document.getElementById("drill-status");
  status.hidden = !states.some((s) => s === "loading" || s === "failed");
  status.textContent = states.includes("failed")
    ? "原文依据文件无法载入：看板可能已更新，请刷新页面。" : "正在载入原文依据……";
  return facts;
}

function drawDrill(key, onPick) {
  const rows = DATA.regions.filter((r) => regionKey(r) === key);
  const facts = drillFacts(rows, () => { if (state.drill === key) drawDrill(key, onPick); });
  const region = rows[0] || {};
  const findings = DATA.dq.findings.filter((f) => findingTarget(f) === key);
  drawMeta(region, findings);
  const findingsBox = document.getElementById("drill-findings");
  clear(findingsBox);
  if (findings.length) {
    findingsBox.appendChild(htmlEl("h3", {}, `本年报的数据质量问题（${findings.length}）`));
    findingsBox.appendChild(tableOf(["严重性", "检查", "地区", "年份", "范围", "观测值", "期望", "说明"],
      findings.map((f) => findingRow(f, onPick))));
  }
  const box = document.getElementById("drill-facts");
  clear(box);
  const scopes = [...new Set([...rows, ...facts].map((r) => r.scope))].sort();
  for (const scope of scopes) {
    box.appendChild(htmlEl("h3", {}, `${label("scope", scope)}（${scope}）`));
    box.appendChild(tableOf(["指标", "数值", "年报原文依据"], factRows(facts, scope, rows)));
  }
  if (!scopes.length) box.appendChild(htmlEl("p", { class: "hint" }, "没有该地区年度的数据"));
}
