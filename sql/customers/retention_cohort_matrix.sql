-- Answers: Of the customers who enrolled in a given month, how many were still active 0, 1, 2, ... months later
--   (the retention cohort matrix)?
-- Grain: one row per enrollment-month cohort x months since enrollment x region x segment x wealth tier, for every
--   month from the cohort's enrollment month to the month of the data as-of date.
-- Definition: The cohort is the month of the customer's enrollment_date. A cohort customer counts as active in
--   month k when they are active (as in customer_activity_spells) at the close of the last day of the k-th month
--   after enrollment (k = 0: the enrollment month itself; for the current month: at the as-of date). Customers
--   who churned and came back count again from the month they came back. Retention share for any selection of
--   rows with the same months_since_enrollment = sum(active_customers) / sum(cohort_customers); the last
--   (diagonal) cells of each cohort are the current month, so later k hold fewer, older cohorts.
-- Materialize: table
-- Columns:
--   cohort_month: First day of the month the cohort enrolled in.
--   months_since_enrollment: Months from the cohort month to the month of the cell (0 = enrollment month).
--   month: First day of the calendar month of the cell.
--   region: Cohort customers' sales region.
--   segment: Cohort customers' business segment.
--   wealth_tier: Cohort customers' wealth tier.
--   cohort_customers: Customers who enrolled in the cohort month (the denominator; the same on every cell of a
--     cohort and group).
--   active_customers: Of them, customers active at the end of the cell's month (the numerator).
--   retention_share: active_customers / cohort_customers for this row, as a fraction.

with as_of as (
    select as_of_date from stg_data_as_of
),

cohorts as (
    select
        customers.enrollment_month as cohort_month,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        count(*) as cohort_customers
    from stg_customers as customers
    cross join as_of
    where customers.enrollment_date <= as_of.as_of_date
    group by customers.enrollment_month, customers.region, customers.segment, customers.wealth_tier
),

cells as (
    select
        cohorts.cohort_month,
        12 * (year(months.month) - year(cohorts.cohort_month))
            + month(months.month) - month(cohorts.cohort_month) as months_since_enrollment,
        months.month,
        cohorts.region,
        cohorts.segment,
        cohorts.wealth_tier,
        cohorts.cohort_customers
    from cohorts
    inner join customer_calendar_months as months on months.month >= cohorts.cohort_month
),

-- a spell covers the month ends from its start month up to (not including) its end month; spells that began
-- before the enrollment month count from month 0
spell_months as (
    select
        enrollment_month as cohort_month,
        region,
        segment,
        wealth_tier,
        greatest(
            0,
            12 * (year(spell_start_month) - year(enrollment_month)) + month(spell_start_month) - month(enrollment_month)
        ) as first_active_month,
        12 * (year(spell_end_month) - year(enrollment_month)) + month(spell_end_month) - month(enrollment_month)
            as first_inactive_month
    from customer_activity_spells
),

-- +1 in the first month a spell is active at the month end, -1 in the first month it no longer is
moves as (
    select cohort_month, region, segment, wealth_tier, first_active_month as months_since_enrollment, 1 as move
    from spell_months
    where first_inactive_month is null or first_inactive_month > first_active_month
    union all
    select cohort_month, region, segment, wealth_tier, first_inactive_month as months_since_enrollment, -1 as move
    from spell_months
    where first_inactive_month > first_active_month
),

moves_by_cell as (
    select cohort_month, region, segment, wealth_tier, months_since_enrollment, sum(move) as active_change
    from moves
    group by cohort_month, region, segment, wealth_tier, months_since_enrollment
),

running as (
    select
        cells.*,
        sum(coalesce(moves_by_cell.active_change, 0)) over (
            partition by cells.cohort_month, cells.region, cells.segment, cells.wealth_tier
            order by cells.months_since_enrollment
            rows between unbounded preceding and current row
        ) as active_customers
    from cells
    left join moves_by_cell
        on cells.cohort_month = moves_by_cell.cohort_month
        and cells.region = moves_by_cell.region
        and cells.segment = moves_by_cell.segment
        and cells.wealth_tier = moves_by_cell.wealth_tier
        and cells.months_since_enrollment = moves_by_cell.months_since_enrollment
),

final as (
    select
        cohort_month,
        cast(months_since_enrollment as integer) as months_since_enrollment,
        month,
        region,
        segment,
        wealth_tier,
        cast(cohort_customers as bigint) as cohort_customers,
        cast(active_customers as bigint) as active_customers,
        cast(active_customers as double) / nullif(cohort_customers, 0) as retention_share
    from running
)

select * from final
