-- Answers: What does the bank spend each month, by department, category and region?
-- Grain: one row per month x department x category x region (combinations with expenses only).
-- Definition: Expense lines counted in the month of their booking date, in the region they are booked to
--   (expenses have no customer, so segment and wealth tier filters do not apply). Everything adds up.
-- Columns:
--   month: First day of the booking month.
--   department: Department that spent.
--   category: Expense category, e.g. Salaries, Marketing, Technology.
--   region: Region the cost is booked to.
--   expense_lines: Expense lines booked.
--   expenses: Amount spent.

with expenses as (
    select * from stg_expenses
),

final as (
    select
        expense_month as month,
        department,
        category,
        region,
        count(*) as expense_lines,
        sum(amount) as expenses
    from expenses
    group by all
)

select * from final
