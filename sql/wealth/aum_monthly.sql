-- Answers: How much money do we manage at each month end (AUM), and what moved it during the month: net flows,
--   fee revenue and investment returns, by product, region, segment and wealth tier?
-- Grain: one row per month end x product x region x segment x wealth tier (customer attributes of the account
--   holder), for every combination that holds at least one account snapshot.
-- Definition: AUM at a month end is the sum of the account balances at that month end. It is a stock: sum aum
--   across products, regions, segments and tiers of ONE month end, never across month ends (adding every
--   monthly row of a year gives twelve times the money; a popular dashboard reports 5.28bn that way where the
--   true month-end AUM was 243M). For a period, AUM is the value at the period's last month end. The flow
--   columns (contributions, withdrawals, net_flow, investment_returns, fees) happened during the month and add
--   up over months too. Net flow = contributions - withdrawals. Recipes, always from the summed parts after
--   filtering: monthly portfolio return = sum(investment_returns) / sum(opening_balance) of the month; return
--   over a period (ROI) = sum(investment_returns) / (sum(aum) / number of month ends in the period), i.e.
--   returns over the average month-end balance (product_performance_between does this for any period); amount
--   invested and current value for a period = sum(net_invested) and sum(aum) at the period's last month end.
--   Distinct customer counts are not here: a customer holding two products would be counted twice when rows
--   are added up.
-- Materialize: table
-- Columns:
--   month_end: Month end of the snapshot.
--   month: First day of the month of month_end, for date-range filters.
--   product_id: Product.
--   product_name: Commercial product name.
--   product_category: Product category, e.g. Equity Fund, Bond Fund, Savings.
--   investment_type: Asset class invested in, e.g. Stocks, Bonds, Cash.
--   risk_level: Risk level of the product (Low, Medium, High).
--   region: Account holder's sales region.
--   segment: Account holder's business segment.
--   wealth_tier: Account holder's wealth tier.
--   accounts: Accounts with a balance snapshot at the month end (add across products and customer attributes
--     of one month end, not across month ends).
--   aum: Assets under management at the month end: sum of the balances (add across products and customer
--     attributes of one month end, not across month ends).
--   opening_balance: Sum of the balances these accounts started the month from; the denominator of the monthly
--     portfolio return.
--   contributions: Money paid in during the month.
--   withdrawals: Money taken out during the month.
--   net_flow: Net flow of the month: contributions - withdrawals.
--   investment_returns: Market gain (negative: loss) during the month.
--   fees: Fee revenue charged during the month.
--   net_invested: Money put in and not taken out, to this month end: initial investment + contributions -
--     withdrawals of these accounts; for accounts older than the recorded history, their balance at its start
--     stands in for the initial investment (a stock, like aum).

with account_months as (
    select * from wealth_account_months
),

final as (
    select
        month_end,
        month,
        product_id,
        product_name,
        product_category,
        investment_type,
        risk_level,
        region,
        segment,
        wealth_tier,
        count(*) as accounts,
        sum(balance) as aum,
        sum(opening_balance) as opening_balance,
        sum(contributions) as contributions,
        sum(withdrawals) as withdrawals,
        sum(net_flow) as net_flow,
        sum(investment_returns) as investment_returns,
        sum(fees) as fees,
        sum(net_invested) as net_invested
    from account_months
    group by all
)

select * from final
