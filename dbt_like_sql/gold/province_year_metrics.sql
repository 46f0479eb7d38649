-- Province totals that never count an area twice.
-- A province-level report covers its province (source province_report). Otherwise the 'whole'
-- figures of the largest non-overlapping set of lower area reports are summed (source aggregate):
-- a report is left out when a report of an enclosing area (by GB/T 2260 code prefix: a city
-- NNNN00 encloses NNNNxx) is present, and department reports never count towards an area.
-- Own-organ ('own') figures are not summed: the cities' own organs are not the province's.
-- Grain: one row per province, year and scope.
-- Key: province_code, year (a province-year's rows depend only on that province-year's reports)
-- Inputs: gold.region_year_metrics, seed.prefecture_units
-- Columns:
--   province: province name (from the division dataset when the code is known)
--   province_code: six-digit GB/T 2260 code of the province
--   year: the year the figures cover
--   scope: whole or own (own only from a province-level report)
--   source: province_report (the province's own report) or aggregate (sum of lower-level reports)
--   n_reports: number of reports the row is built from
--   regions_covered: prefecture-level units the reports cover at least in part (all of them for a province report)
--   regions_total: prefecture-level units of the province in the division dataset (districts in a municipality)
--   proactive_total … procurement_amount_wan_yuan: metric values, summed over the reports (NULL when none states it)
--   disclosure_rate: (granted + partly_granted) / processed_total of the summed figures
--   reconsideration_correction_rate: reconsideration_corrected / reconsideration_total of the summed figures
--   litigation_correction_rate: litigation_corrected / litigation_total of the summed figures
--   unconfirmed_values: how many of the summed values were unconfirmed in their reports (a check of the report's own figures failed)
with

region_rows as (
    select * from gold.region_year_metrics
),

prefecture_units as (
    select * from seed.prefecture_units
),

area_reports as (
    select
        province_code,
        year,
        scope,
        -- trailing 00 pairs only pad a code: 130100 covers every code starting with 1301
        regexp_replace(region_code, '(00)+$', '') as area_prefix,
        region_rows.* exclude (
            region, region_code, province, province_code, level, year, scope, report_id, issuer,
            disclosure_rate, reconsideration_correction_rate, litigation_correction_rate, dq_flags
        )
    from region_rows
    where level in ('province', 'city', 'county', 'district', 'township')
        and regexp_full_match(coalesce(region_code, ''), '[0-9]{6}([0-9]{3}){0,2}')
        and province_code is not null
    -- two current reports of one area (different issuers) would double it: keep one
    qualify row_number() over (partition by region_code, year, scope order by report_id) = 1
),

province_reports as (
    select * from area_reports where length(area_prefix) = 2
),

lower_reports as (
    select * from area_reports as inner_area
    where length(inner_area.area_prefix) > 2
        and inner_area.scope = 'whole'
        and not exists (
            select 1 from province_reports
            where province_reports.province_code = inner_area.province_code
                and province_reports.year = inner_area.year
                and province_reports.scope = inner_area.scope
        )
        and not exists (
            select 1 from area_reports as outer_area
            where outer_area.province_code = inner_area.province_code
                and outer_area.year = inner_area.year
                and outer_area.scope = inner_area.scope
                and length(outer_area.area_prefix) between 3 and length(inner_area.area_prefix) - 1
                and starts_with(inner_area.area_prefix, outer_area.area_prefix)
        )
),

chosen_reports as (
    select 'province_report' as source, * from province_reports
    union all
    select 'aggregate' as source, * from lower_reports
),

units_per_province as (
    select province_code, any_value(province) as province, count(*) as regions_total
    from prefecture_units
    group by province_code
),

units_covered as (
    select
        lower_reports.province_code,
        lower_reports.year,
        count(distinct prefecture_units.unit_code) as regions_covered
    from lower_reports
    inner join prefecture_units
        on prefecture_units.province_code = lower_reports.province_code
        and starts_with(lower_reports.area_prefix, prefecture_units.unit_prefix)
    group by lower_reports.province_code, lower_reports.year
),

region_names as (
    -- only for codes the division dataset lacks: the name the year's reports give it
    select province_code, year, min(province) as province
    from region_rows
    group by province_code, year
),

summed as (
    select
        province_code,
        year,
        scope,
        source,
        count(*) as n_reports,
        sum(columns(* exclude (province_code, year, scope, source, area_prefix)))
    from chosen_reports
    group by province_code, year, scope, source
)

select
    coalesce(units_per_province.province, region_names.province) as province,
    summed.province_code,
    summed.year,
    summed.scope,
    summed.source,
    summed.n_reports,
    case
        when summed.source = 'province_report' then units_per_province.regions_total
        else coalesce(units_covered.regions_covered, 0)
    end as regions_covered,
    units_per_province.regions_total,
    summed.* exclude (province_code, year, scope, source, n_reports),
    (summed.granted + summed.partly_granted) / nullif(summed.processed_total, 0) as disclosure_rate,
    summed.reconsideration_corrected / nullif(summed.reconsideration_total, 0)
        as reconsideration_correction_rate,
    summed.litigation_corrected / nullif(summed.litigation_total, 0) as litigation_correction_rate
from summed
left join units_per_province on units_per_province.province_code = summed.province_code
left join units_covered
    on units_covered.province_code = summed.province_code and units_covered.year = summed.year
left join region_names
    on region_names.province_code = summed.province_code and region_names.year = summed.year
order by summed.province_code, summed.year, summed.scope
