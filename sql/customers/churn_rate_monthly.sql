-- Answers: What share of the customers active at the start of each month churned during it?
-- Grain: one row per month x region x segment x wealth tier (months with no customer at the start and no churn are
--   left out).
-- Definition: churned_customers / customers_at_month_start, both from customer_growth_monthly: a customer churns in
--   the month their last open account closes (closing one product among several is a product exit, not a churn).
--   The numerator also counts the rare customer who joined and churned within the month, so the rate is the
--   usual "churned in month / base at start". For a selection of rows or a period of several months compute
--   sum(churned_customers) / sum(customers_at_month_start): the average monthly churn rate weighted by the base.
--   The share of a period's starting customers lost by its end is 1 - retention (see retention_between).
-- Materialize: table
-- Columns:
--   month: First day of the month.
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   customers_at_month_start: Customers active at the start of the month (the denominator).
--   churned_customers: Customers whose last open account closed during the month (the numerator).
--   churn_rate: churned_customers / customers_at_month_start for this row, as a fraction.

with growth as (
    select month, region, segment, wealth_tier, start_customers, churned_customers
    from customer_growth_monthly
),

final as (
    select
        month,
        region,
        segment,
        wealth_tier,
        start_customers as customers_at_month_start,
        churned_customers,
        cast(churned_customers as double) / nullif(start_customers, 0) as churn_rate
    from growth
    where start_customers > 0 or churned_customers > 0
)

select * from final
