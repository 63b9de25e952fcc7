-- Answers: How did the equity and bond markets and the economy move, day by day?
-- Grain: one row per trading day.
-- Definition: The market_data source table as the contract declares it; staging only selects its columns by name.
-- Columns:
--   trade_date: Trading day.
--   equity_index: Equity index closing level.
--   bond_index: Bond index closing level.
--   inflation_rate: Yearly inflation rate as a fraction.
--   prime_rate: Prime lending rate as a fraction.
--   unemployment_rate: Unemployment rate as a fraction.

with source as (
    select * from market_data
),

final as (
    select
        trade_date,
        equity_index,
        bond_index,
        inflation_rate,
        prime_rate,
        unemployment_rate
    from source
)

select * from final
