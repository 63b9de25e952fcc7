-- Answers: Of the customers active at the start of a chosen period, how many were still active at its end?
-- Grain: one row per region x segment x wealth tier with at least one customer active at the period start.
-- Definition: Customers active at the start of the period = active at the close of the day before start_date (so a
--   customer whose first account opens on start_date is new in the period, not part of its starting base);
--   still active = active at the close of end_date. Active as in customer_activity_spells. A customer who churned
--   and came back within the period is retained. Pass the first and last day of the period (DATEs, end_date on or
--   after start_date): retention_between(date '2024-01-01', date '2024-03-31') is Q1 2024 retention, and for one
--   month it equals customer_retention_monthly. Retention for several rows is
--   sum(retained_customers) / sum(customers_at_start).
-- Parameters: start_date, end_date
-- Columns:
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   customers_at_start: Customers active at the start of the period (the denominator).
--   retained_customers: Of them, customers still active at the end of the period (the numerator).
--   retention_rate: retained_customers / customers_at_start for this row, as a fraction.

with active_at_start as (
    select customer_id, region, segment, wealth_tier
    from customer_activity_spells
    where spell_start < start_date
        and (spell_end is null or spell_end >= start_date)
),

active_at_end as (
    select customer_id
    from customer_activity_spells
    where spell_start <= end_date
        and (spell_end is null or spell_end > end_date)
),

final as (
    select
        active_at_start.region,
        active_at_start.segment,
        active_at_start.wealth_tier,
        count(*) as customers_at_start,
        count(active_at_end.customer_id) as retained_customers,
        cast(count(active_at_end.customer_id) as double) / nullif(count(*), 0) as retention_rate
    from active_at_start
    left join active_at_end on active_at_start.customer_id = active_at_end.customer_id
    group by active_at_start.region, active_at_start.segment, active_at_start.wealth_tier
)

select * from final
