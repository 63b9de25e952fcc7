-- Answers: How did each product do over the last twelve month ends: AUM, fee revenue, net flow, returns and
--   return rate, amount invested and current value?
-- Grain: one row per product x region x segment x wealth tier (customer attributes of the account holder) with
--   at least one account snapshot in the period.
-- Definition: product_performance_between over the twelve latest month ends on or before the data as-of date
--   (the default period of the product matrix). Everything said there holds: ROI = sum(investment_returns) /
--   sum(average_balance) after filtering and grouping; amount_invested and current_value are at the last month
--   end.
-- Materialize: table
-- Columns:
--   product_id: Product.
--   product_name: Commercial product name.
--   product_category: Product category, e.g. Equity Fund, Bond Fund, Savings.
--   investment_type: Asset class invested in, e.g. Stocks, Bonds, Cash.
--   risk_level: Risk level of the product (Low, Medium, High).
--   region: Account holder's sales region.
--   segment: Account holder's business segment.
--   wealth_tier: Account holder's wealth tier.
--   month_ends: Number of month ends in the period; the same on every row (do not add it up).
--   average_balance: Sum of month-end balances / month_ends: the average invested balance, additive across rows.
--   investment_returns: Market gain (negative: loss) over the period.
--   fees: Fee revenue over the period.
--   contributions: Money paid in over the period.
--   withdrawals: Money taken out over the period.
--   net_flow: contributions - withdrawals over the period.
--   amount_invested: Initial investment + contributions - withdrawals to date, at the period's last month end.
--   current_value: AUM (sum of balances) at the period's last month end.
--   return_rate: investment_returns / average_balance for this row; recompute it from the sums when grouping;
--     empty when the average balance is 0.

with last_month_end as (
    -- The as-of date itself when it is a month end, else the end of the month before it.
    select
        case
            when as_of_date = last_day(as_of_date) then as_of_date
            else cast(as_of_month - interval 1 day as date)
        end as period_end
    from stg_data_as_of
),

trailing_period as (
    select
        cast(cast(date_trunc('month', period_end) as date) - interval 11 month as date) as period_start,
        period_end
    from last_month_end
),

final as (
    select * from product_performance_between(
        (select period_start from trailing_period),
        (select period_end from trailing_period)
    )
)

select * from final
