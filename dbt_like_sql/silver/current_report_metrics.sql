-- Stated values of the current reports only (superseded uploads are history, not facts).
-- Grain: one row per current report, scope and metric.
-- Key: report_id
-- Inputs: silver.reports, silver.report_metrics
-- Columns:
--   report_id: sha256 of the report's source bytes
--   region: reporting body as named in the report (e.g. 保定市)
--   region_code: GB/T 2260 code of the area the report covers
--   province: province as named in the report (中央 for national bodies)
--   province_code: six-digit GB/T 2260 code of the province (NN0000)
--   level: national, province, city, county, district, township or department
--   year: the year the report covers
--   issuer: body that issued the report
--   scope: whole (the whole area or body) or own (the government's own organs only)
--   metric: metric name from METRICS.md (or an extra one the parser found)
--   value: the stated value, units normalised as the metric name says
--   unit: unit the value was stated in
--   evidence: the report text the value was read from
--   confidence: confirmed (an arithmetic check of the report's own figures holds), stated (one
--     unambiguous sentence or cell), or unconfirmed (read, but a check it takes part in fails)
--   check_rule: the check that confirmed the value (row_sum, balance, outcomes_sum, block_sum …), if any
with

reports as (
    select * from silver.reports
),

report_metrics as (
    select * from silver.report_metrics
),

current_reports as (
    select
        report_id,
        region,
        region_code,
        province,
        -- parsers may give 13, 130000 or nothing: the region code's first two digits decide then
        case
            when regexp_full_match(coalesce(province_code, region_code, ''), '[0-9]{2}.*')
                then rpad(left(coalesce(province_code, region_code), 2), 6, '0')
        end as province_code,
        level,
        report_year as year,
        issuer
    from reports
    where is_current
)

select
    current_reports.report_id,
    current_reports.region,
    current_reports.region_code,
    current_reports.province,
    current_reports.province_code,
    current_reports.level,
    current_reports.year,
    current_reports.issuer,
    report_metrics.scope,
    report_metrics.metric,
    report_metrics.value,
    report_metrics.unit,
    report_metrics.evidence,
    report_metrics.confidence,
    report_metrics.check_rule
from current_reports
inner join report_metrics on report_metrics.report_id = current_reports.report_id
