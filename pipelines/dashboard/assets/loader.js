/* nianbao dashboard, part 0: the registry the data files call into. Data come as <script src> files
   beside the page (browsers refuse to fetch JSON on file:// pages): the overview parts are listed in the
   page and run before its script; a report's evidence file is added when its region-year is opened. */
"use strict";

/* Overflowing figures arrive as NaN or Infinity: the page shows them as missing. */
function finiteOrNull(value) {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}

/* Rows as DuckDB writes them, with overflowing figures shown as missing. */
function cleanRows(rows) {
  for (const row of rows || []) for (const key of Object.keys(row)) row[key] = finiteOrNull(row[key]);
  return rows || [];
}

/* Columns {name: [values]} (as the evidence files hold them) to row objects. */
function rowsOf(columns) {
  const names = Object.keys(columns);
  const count = names.length ? columns[names[0]].length : 0;
  const rows = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const row = {};
    for (const name of names) row[name] = finiteOrNull(columns[name][i]);
    rows[i] = row;
  }
  return rows;
}

const nianbao = {
  years: [],
  findings: { checked_at: null, counts: {}, findings: [] },
  index: { chunks: [], reports: {} },
  evidenceByReport: new Map(),
  chunkState: new Map(),

  year(part) { this.years.push(part); },
  quality(dq) { this.findings = dq; },
  evidenceIndex(index) { this.index = index; },
  evidence(byReport) {
    for (const [reportId, columns] of Object.entries(byReport)) this.evidenceByReport.set(reportId, rowsOf(columns));
  },

  /* Everything the overview shows, assembled once the data files have run. */
  assemble(settings) {
    const provinces = [], regions = [];
    let facts = 0;
    for (const part of this.years) {
      provinces.push(...cleanRows(part.provinces));
      regions.push(...cleanRows(part.regions));
      facts += part.facts || 0;
    }
    return { ...settings, provinces, regions, factCount: facts, dq: this.findings };
  },

  /* "loaded", "none" (no evidence file lists the report), "failed" or "loading"; `onLoaded` runs
     when a file this call started has arrived (or failed). */
  loadEvidence(reportId, onLoaded) {
    if (this.evidenceByReport.has(reportId)) return "loaded";
    const number = this.index.reports[reportId];
    if (number === undefined) return "none";
    const src = this.index.chunks[number];
    const known = this.chunkState.get(src);
    if (known === "failed" || known === "loading") return known;
    if (known === "loaded") return "none";
    this.chunkState.set(src, "loading");
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => { this.chunkState.set(src, "loaded"); onLoaded(); };
    // A page kept open across a rebuild may ask for a file the rebuild replaced.
    script.onerror = () => { this.chunkState.set(src, "failed"); onLoaded(); };
    document.head.appendChild(script);
    return "loading";
  },
};
