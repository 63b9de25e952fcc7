-- Answers: Over a chosen period, how did each product do: AUM, fee revenue, net flow, returns and return rate
--   (ROI), the amount invested and the current value? Grouped by investment type it is the ROI by investment
--   type; by product it is the product matrix, the top and bottom products and risk versus return.
-- Grain: one row per product x region x segment x wealth tier (customer attributes of the account holder) with
--   at least one account snapshot in the period.
-- Definition: The period holds the month ends from period_start to period_end (inclusive dates). ROI = investment
--   returns / average invested balance, where the average balance is the sum of the month-end balances
--   divided by the number of month ends in the period with data, counted over the whole book: a product held
--   for part of the period counts a zero balance for the other month ends, so its average is the capital it
--   had on average over the whole period (as in a Modified Dietz return). Because that count is the same on
--   every row, average_balance adds up across rows: after filtering and grouping, ROI =
--   sum(investment_returns) / sum(average_balance). Never average return_rate across rows. Amount invested =
--   initial investment + contributions - withdrawals to date (net_invested of aum_monthly: for accounts older
--   than the recorded history, their balance at its start stands in for the initial investment) and current
--   value = balance, both at the period's last month end (zero for combinations with no open account then).
--   The returns are not annualised: a 3-month period shows a 3-month return.
-- Parameters: period_start, period_end
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
--   current_value: AUM (sum of balances) at the period's last month end; the bubble size of risk versus return.
--   return_rate: investment_returns / average_balance for this row (0.021 = 2.1%); recompute it from the sums
--     when rows are grouped; empty when the average balance is 0.

with in_period as (
    select * from aum_monthly
    where month_end between period_start and period_end
),

period as (
    select
        count(distinct month_end) as month_ends,
        max(month_end) as last_month_end
    from in_period
),

totals as (
    select
        in_period.product_id,
        in_period.product_name,
        in_period.product_category,
        in_period.investment_type,
        in_period.risk_level,
        in_period.region,
        in_period.segment,
        in_period.wealth_tier,
        period.month_ends,
        sum(in_period.aum) as balance_sum,
        sum(in_period.investment_returns) as investment_returns,
        sum(in_period.fees) as fees,
        sum(in_period.contributions) as contributions,
        sum(in_period.withdrawals) as withdrawals,
        sum(in_period.net_flow) as net_flow,
        coalesce(sum(in_period.net_invested) filter (where in_period.month_end = period.last_month_end), 0)
            as amount_invested,
        coalesce(sum(in_period.aum) filter (where in_period.month_end = period.last_month_end), 0)
            as current_value
    from in_period
    cross join period
    group by all
),

final as (
    select
        product_id,
        product_name,
        product_category,
        investment_type,
        risk_level,
        region,
        segment,
        wealth_tier,
        month_ends,
        cast(balance_sum as double) / nullif(month_ends, 0) as average_balance,
        investment_returns,
        fees,
        contributions,
        withdrawals,
        net_flow,
        amount_invested,
        current_value,
        cast(investment_returns as double) / nullif(cast(balance_sum as double) / nullif(month_ends, 0), 0)
            as return_rate
    from totals
)

select * from final
