-- One wide row of metrics per current report and scope, with derived rates and data-quality flags.
-- Grain: one row per region (reporting body), year and scope; a body issuing two current reports
--   for a year (different issuers) has one row per issuer.
-- Key: report_id (the rows of a report depend only on that report's facts and findings)
-- Inputs: silver.current_report_metrics, audit.dq_latest
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
--   dq_flags: failed expectations of the report in the latest data-quality run that checked it, '; '-joined (NULL when none)
with

facts as (
    select * from silver.current_report_metrics
),

dq_latest as (
    select * from audit.dq_latest
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
    on metric in (
        'proactive_total', 'applications_new', 'applications_carried_in', 'applications_total',
        'channel_in_person', 'channel_online', 'channel_letter', 'channel_fax', 'channel_email',
        'applicant_natural_person', 'processed_total', 'granted', 'partly_granted', 'refused',
        'unable_to_provide', 'not_processed', 'other_processed', 'carried_forward',
        'already_public', 'not_this_agency', 'not_exist', 'amend_requested', 'other_route',
        'reconsideration_total', 'reconsideration_upheld', 'reconsideration_corrected',
        'reconsideration_other', 'reconsideration_pending',
        'litigation_total', 'litigation_upheld', 'litigation_corrected', 'litigation_other',
        'litigation_pending', 'complaints', 'fees_yuan', 'licensing_decisions',
        'penalty_decisions', 'coercion_decisions', 'procurement_count',
        'procurement_amount_wan_yuan'
    )
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
    failed_expectations.dq_flags
from wide
left join failed_expectations on failed_expectations.report_id = wide.report_id
order by wide.region_code, wide.year, wide.scope, wide.issuer
