-- Answers: How did the customer base grow each month: customers at the start, new customers, customers who came
--   back, customers who churned, and customers at the end (the growth waterfall)?
-- Grain: one row per month x region x segment x wealth tier (months in which the group had no customers and no
--   movement are left out).
-- Definition: Active and churned as in customer_activity_spells. Start = customers active at the close of the
--   previous month's last day; end = customers active at the close of the month's last day (for the current month:
--   at the data as-of date). new_customers are customers active for the first time (their first account opened);
--   this equals customer_acquisition_monthly (which counts enrollment dates) whenever a customer's first account
--   opens in their enrollment month. A customer who churned earlier and opens an account again is a returning
--   customer, not a new one. Movements are counted per spell, so a customer who joins and churns within one month
--   counts in both new_customers and churned_customers. So start_customers + new_customers + returning_customers -
--   churned_customers = end_customers on every row and for any sum of rows over the same months, and end_customers
--   of a month is start_customers of the next. For a period, take start_customers of its first month, sum the
--   flows over its months and take end_customers of its last month.
-- Materialize: table
-- Columns:
--   month: First day of the month.
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   start_customers: Customers active at the start of the month.
--   new_customers: Customers active for the first time during the month.
--   returning_customers: Customers who had churned before and became active again during the month.
--   churned_customers: Customers whose last open account closed during the month.
--   end_customers: Customers active at the end of the month.

with months as (
    select month from customer_calendar_months
),

customer_groups as (
    select distinct region, segment, wealth_tier from customer_activity_spells
),

starts as (
    select
        spell_start_month as month,
        region,
        segment,
        wealth_tier,
        count(*) filter (where spell_number = 1) as new_customers,
        count(*) filter (where spell_number > 1) as returning_customers
    from customer_activity_spells
    group by spell_start_month, region, segment, wealth_tier
),

churns as (
    select
        spell_end_month as month,
        region,
        segment,
        wealth_tier,
        count(*) as churned_customers
    from customer_activity_spells
    where spell_end is not null
    group by spell_end_month, region, segment, wealth_tier
),

flows as (
    select
        months.month,
        customer_groups.region,
        customer_groups.segment,
        customer_groups.wealth_tier,
        coalesce(starts.new_customers, 0) as new_customers,
        coalesce(starts.returning_customers, 0) as returning_customers,
        coalesce(churns.churned_customers, 0) as churned_customers
    from months
    cross join customer_groups
    left join starts
        on months.month = starts.month
        and customer_groups.region = starts.region
        and customer_groups.segment = starts.segment
        and customer_groups.wealth_tier = starts.wealth_tier
    left join churns
        on months.month = churns.month
        and customer_groups.region = churns.region
        and customer_groups.segment = churns.segment
        and customer_groups.wealth_tier = churns.wealth_tier
),

running as (
    select
        *,
        sum(new_customers + returning_customers - churned_customers) over (
            partition by region, segment, wealth_tier
            order by month
            rows between unbounded preceding and current row
        ) as end_customers
    from flows
),

final as (
    select
        month,
        region,
        segment,
        wealth_tier,
        cast(end_customers - new_customers - returning_customers + churned_customers as bigint) as start_customers,
        cast(new_customers as bigint) as new_customers,
        cast(returning_customers as bigint) as returning_customers,
        cast(churned_customers as bigint) as churned_customers,
        cast(end_customers as bigint) as end_customers
    from running
    where end_customers > 0 or new_customers > 0 or returning_customers > 0 or churned_customers > 0
)

select * from final
