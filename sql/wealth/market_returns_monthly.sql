-- Answers: How much did the equity and bond benchmark indices return each month?
-- Grain: one row per month with market data.
-- Definition: A month's index return is its last trading day's close divided by the last trading day's close of
--   the previous calendar month, minus one. The first month of the data, and a month whose previous month has
--   no market data, have no return (empty) rather than one measured over a longer gap. These are the
--   benchmarks for the monthly portfolio return: join them on month to aum_monthly grouped by month after
--   filtering (see portfolio_vs_benchmark_monthly).
-- Columns:
--   month: First day of the month.
--   last_trade_date: Last trading day of the month in the data.
--   equity_index_close: Equity index close on last_trade_date.
--   bond_index_close: Bond index close on last_trade_date.
--   equity_index_return: Equity index return of the month as a fraction (0.012 = 1.2%); empty for the first
--     month of market data, which has no previous month to compare with.
--   bond_index_return: Bond index return of the month as a fraction; empty for the first month of market data.

with trading_days as (
    select
        trade_date,
        cast(date_trunc('month', trade_date) as date) as month,
        equity_index,
        bond_index
    from stg_market_data
),

ranked as (
    select
        *,
        row_number() over (partition by month order by trade_date desc) as rank_from_last
    from trading_days
),

month_closes as (
    select
        month,
        trade_date as last_trade_date,
        equity_index as equity_index_close,
        bond_index as bond_index_close
    from ranked
    where rank_from_last = 1
),

final as (
    select
        current_month.month,
        current_month.last_trade_date,
        current_month.equity_index_close,
        current_month.bond_index_close,
        current_month.equity_index_close / nullif(previous_month.equity_index_close, 0) - 1 as equity_index_return,
        current_month.bond_index_close / nullif(previous_month.bond_index_close, 0) - 1 as bond_index_return
    from month_closes as current_month
    left join month_closes as previous_month
        on previous_month.month = cast(current_month.month - interval 1 month as date)
)

select * from final
