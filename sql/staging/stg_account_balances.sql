-- Answers: What did each account hold at each month end, and what moved it?
-- Grain: one row per account per month end.
-- Definition: The account_balances source table as the contract declares it; staging only selects its columns by name.
-- Columns:
--   account_id: Account the snapshot is for.
--   month_end: Last day of the month the snapshot is taken at.
--   balance: Balance at the month end.
--   contributions: Money the customer paid in during the month.
--   withdrawals: Money the customer took out during the month.
--   investment_returns: Market gain (negative: loss) during the month.
--   fees: Fees charged during the month.

with source as (
    select * from account_balances
),

final as (
    select
        account_id,
        month_end,
        balance,
        contributions,
        withdrawals,
        investment_returns,
        fees
    from source
)

select * from final
