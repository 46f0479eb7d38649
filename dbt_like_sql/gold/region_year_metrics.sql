-- One wide row of metrics per current report and scope, with derived rates and data-quality flags.
-- Grain: one row per region (reporting body), year and scope; a body issuing two current reports
--   for a year (different issuers) has one row per issuer.
-- Key: report_id (the rows of a report depend only on that report's facts and findings)
-- Inputs: silver.current_report_metrics, audit.dq_latest, seed.metric_names
-- Columns:
--   region: reporting body as named in the report
--   region_code: GB/T 2260 code of the area the report covers
--   province: province as named in the report
--   province_code: six-digit GB/T 2260 code of the province
--   level: national, province, city, county, district, township or department
--   year: the year the report covers
--   scope: whole (the whole area or body) or own (the government's own organs only)
--   report_id: sha256 of the source report's bytes
--   issuer: body that issued the report
--   proactive_total … procurement_amount_wan_yuan: one column per metric of METRICS.md, as stated (NULL when not stated)
--   disclosure_rate: (granted + partly_granted) / processed_total; NULL when a part is missing or the total is 0
--   reconsideration_correction_rate: reconsideration_corrected / reconsideration_total; NULL when undefined
--   litigation_correction_rate: litigation_corrected / litigation_total; NULL when undefined
--   unconfirmed_values: how many of the row's metric values are unconfirmed (read, but an arithmetic check of the report's own figures fails for them)
--   dq_flags: failed expectations of the report in the latest data-quality run that checked it, '; '-joined (NULL when none)
with

facts as (
    select * from silver.current_report_metrics
),

dq_latest as (
    select * from audit.dq_latest
),

metric_names as (
    select * from seed.metric_names
),

unconfirmed as (
    select report_id, scope, count(*) as unconfirmed_values
    from facts
    where confidence = 'unconfirmed' and metric in (select metric from metric_names)
    group by report_id, scope
),

failed_expectations as (
    -- dq_latest keeps, for each report, the rows of the latest run that checked it: a report
    -- that became clean has lost the flags of older runs.
    select
        report_id,
        string_agg(distinct expectation, '; ' order by expectation) as dq_flags
    from dq_latest
    where status = 'failed' and report_id is not null
    group by report_id
),

wide as (
    pivot (select report_id, region, region_code, province, province_code, level, year, issuer,
                  scope, metric, value from facts)
    -- PIVOT resolves its IN list before the CTEs exist, so it names the seed table itself
    on metric in (select metric from seed.metric_names)
    using max(value)
    group by report_id, region, region_code, province, province_code, level, year, issuer, scope
)

select
    wide.region,
    wide.region_code,
    wide.province,
    wide.province_code,
    wide.level,
    wide.year,
    wide.scope,
    wide.report_id,
    wide.issuer,
    wide.* exclude (region, region_code, province, province_code, level, year, scope, report_id, issuer),
    (wide.granted + wide.partly_granted) / nullif(wide.processed_total, 0) as disclosure_rate,
    wide.reconsideration_corrected / nullif(wide.reconsideration_total, 0)
        as reconsideration_correction_rate,
    wide.litigation_corrected / nullif(wide.litigation_total, 0) as litigation_correction_rate,
    coalesce(unconfirmed.unconfirmed_values, 0) as unconfirmed_values,
    failed_expectations.dq_flags
from wide
left join failed_expectations on failed_expectations.report_id = wide.report_id
left join unconfirmed on unconfirmed.report_id = wide.report_id and unconfirmed.scope = wide.scope
order by wide.region_code, wide.year, wide.scope, wide.issuer
