-- Answers: What did the bank spend, where and on what?
-- Grain: one row per expense line.
-- Definition: The expenses source table as the contract declares it, with calendar date and month
--   columns added so measures can group and prune by date without repeating the cast.
-- Columns:
--   expense_id: Unique expense line identifier.
--   expense_date: Booking date.
--   department: Department that spent.
--   category: Expense category, e.g. Salaries, Marketing, Technology.
--   region: Region the cost is booked to.
--   amount: Amount spent.
--   expense_month: First day of the month of expense_date.

with source as (
    select * from expenses
),

final as (
    select
        expense_id,
        expense_date,
        department,
        category,
        region,
        amount,
        cast(date_trunc('month', expense_date) as date) as expense_month
    from source
)

select * from final
