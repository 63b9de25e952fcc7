-- Answers: Of the customers active at the start of each month, how many were still active at its end?
-- Grain: one row per month x region x segment x wealth tier (months with no customer at the start are left out).
-- Definition: Start and end as in customer_growth_monthly (the close of the previous month's last day and of the
--   month's last day; for the current month, the data as-of date). A customer is retained when they are active at
--   both points, so a customer who churned and came back within the month is retained. Retention for several rows
--   of ONE month is sum(retained_customers) / sum(customers_at_month_start). For a period of several months do not
--   multiply, average or sum monthly rows (sum(retained) / sum(start) over months is only the average monthly
--   retention): use the table macro retention_between(first day of the period, last day of the period), which
--   gives the same parts for the whole period and equals this view for a one-month period.
-- Materialize: table
-- Columns:
--   month: First day of the month.
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   customers_at_month_start: Customers active at the start of the month (the denominator).
--   retained_customers: Of them, customers still active at the end of the month (the numerator).
--   retention_rate: retained_customers / customers_at_month_start for this row, as a fraction.

with starting as (
    select month, region, segment, wealth_tier, start_customers
    from customer_growth_monthly
    where start_customers > 0
),

spells as (
    select customer_id, spell_number, spell_start, spell_start_month, spell_end, spell_end_month, region, segment,
        wealth_tier
    from customer_activity_spells
),

-- a spell active at a month start that ends during the month loses the customer, unless a later spell of theirs
-- is active at the month end (it must then start in that month and not end in it)
lost as (
    select
        ended.spell_end_month as month,
        ended.region,
        ended.segment,
        ended.wealth_tier,
        count(*) as lost_customers
    from spells as ended
    left join spells as came_back
        on ended.customer_id = came_back.customer_id
        and came_back.spell_number > ended.spell_number
        and came_back.spell_start_month = ended.spell_end_month
        and (came_back.spell_end is null or came_back.spell_end_month > ended.spell_end_month)
    where ended.spell_end is not null
        and ended.spell_start < ended.spell_end_month
        and came_back.customer_id is null
    group by ended.spell_end_month, ended.region, ended.segment, ended.wealth_tier
),

final as (
    select
        starting.month,
        starting.region,
        starting.segment,
        starting.wealth_tier,
        starting.start_customers as customers_at_month_start,
        cast(starting.start_customers - coalesce(lost.lost_customers, 0) as bigint) as retained_customers,
        cast(starting.start_customers - coalesce(lost.lost_customers, 0) as double)
            / nullif(starting.start_customers, 0) as retention_rate
    from starting
    left join lost
        on starting.month = lost.month
        and starting.region = lost.region
        and starting.segment = lost.segment
        and starting.wealth_tier = lost.wealth_tier
)

select * from final
