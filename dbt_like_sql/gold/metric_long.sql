-- Every stated value of every current report, in long form (one fact a row).
-- Grain: one row per current report, scope and metric.
-- Key: report_id
-- Inputs: silver.current_report_metrics
-- Columns:
--   region: reporting body as named in the report
--   region_code: GB/T 2260 code of the area the report covers
--   province: province as named in the report
--   year: the year the report covers
--   scope: whole (the whole area or body) or own (the government's own organs only)
--   metric: metric name from METRICS.md (or an extra one the parser found)
--   value: the stated value
--   report_id: sha256 of the report's source bytes (joins to silver.reports)
--   evidence: the report text the value was read from
--   confidence: confirmed, stated or unconfirmed (see silver.current_report_metrics)
--   check_rule: the arithmetic check that confirmed the value, if any
with

facts as (
    select * from silver.current_report_metrics
),

stated as (
    select * from facts where value is not null
)

select region, region_code, province, year, scope, metric, value, report_id, evidence, confidence,
    check_rule
from stated
order by region_code, year, scope, metric
