-- Answers: How much does the average customer hold, by segment and age band?
-- Grain: one row per segment x age band x region x wealth tier.
-- Definition: Customers and balances from customer_tenure_balance: customers holding at least one account balance
--   at the latest month end on or before the data as-of date, with their balances summed over accounts, and their
--   age band at the as-of date (18-24, 25-34, 35-44, 45-54, 55-64, 65+; 'Under 18' and 'Unknown' when they occur).
--   A snapshot: the page's date range does not apply. Average balance for any selection of rows =
--   sum(total_balance) / sum(customers), never an average of row averages.
-- Columns:
--   segment: Customers' business segment.
--   age_band: Customers' age band at the as-of date.
--   age_band_order: Sort order of the age band (youngest first, 'Unknown' last).
--   region: Customers' sales region.
--   wealth_tier: Customers' wealth tier.
--   balance_month_end: Month end the balances are taken at.
--   customers: Customers with a balance at balance_month_end (the denominator).
--   total_balance: Sum of their balances at balance_month_end (the numerator).
--   average_balance: total_balance / customers for this row.

with customer_balances as (
    select segment, age_band, age_band_order, region, wealth_tier, balance_month_end, total_balance
    from customer_tenure_balance
),

final as (
    select
        segment,
        age_band,
        age_band_order,
        region,
        wealth_tier,
        balance_month_end,
        count(*) as customers,
        sum(total_balance) as total_balance,
        cast(sum(total_balance) as double) / nullif(count(*), 0) as average_balance
    from customer_balances
    group by segment, age_band, age_band_order, region, wealth_tier, balance_month_end
)

select * from final
