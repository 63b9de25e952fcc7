-- Answers: Did the whole investment book beat the equity and bond markets each month?
-- Grain: one row per month with account snapshots (the whole book, unfiltered).
-- Definition: Monthly portfolio return = sum of the month's investment returns / sum of the balances the
--   accounts started the month from (opening_balance of aum_monthly), compared with the equity and bond index
--   returns of market_returns_monthly (last trading day of the month versus last trading day of the month
--   before). Returns are gross of fees, like an index. A page with filters computes the same from the parts:
--   select month, sum(investment_returns) / sum(opening_balance) from aum_monthly where <filters> group by
--   month, then joins market_returns_monthly on month.
-- Columns:
--   month: First day of the month.
--   investment_returns: Market gain (negative: loss) of all accounts during the month.
--   opening_balance: Sum of the balances the accounts started the month from.
--   portfolio_return: investment_returns / opening_balance (0.012 = 1.2%).
--   equity_index_return: Equity index return of the month; empty without market data.
--   bond_index_return: Bond index return of the month; empty without market data.
--   excess_return_vs_equity: portfolio_return - equity_index_return; empty without market data.
--   excess_return_vs_bond: portfolio_return - bond_index_return; empty without market data.

with portfolio as (
    select
        month,
        sum(investment_returns) as investment_returns,
        sum(opening_balance) as opening_balance
    from aum_monthly
    group by month
),

with_return as (
    select
        *,
        cast(investment_returns as double) / nullif(cast(opening_balance as double), 0) as portfolio_return
    from portfolio
),

final as (
    select
        with_return.month,
        with_return.investment_returns,
        with_return.opening_balance,
        with_return.portfolio_return,
        market.equity_index_return,
        market.bond_index_return,
        with_return.portfolio_return - market.equity_index_return as excess_return_vs_equity,
        with_return.portfolio_return - market.bond_index_return as excess_return_vs_bond
    from with_return
    left join market_returns_monthly as market on market.month = with_return.month
)

select * from final
