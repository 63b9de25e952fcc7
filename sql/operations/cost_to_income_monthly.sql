-- Answers: How much does each region spend to earn each unit of income, month by month (cost-to-income ratio)?
-- Grain: one row per month x region (combinations with expenses or income only).
-- Definition: Cost-to-income = expenses / income. Expenses are expense lines in their booking month and booked
--   region (expenses_monthly). Income is revenue as revenue_monthly defines it (loan interest + account fees +
--   card interchange), placed by the customer's region, so the two pages can never disagree. After filtering,
--   recompute the ratio as sum(expenses) / sum(income); never average the row ratio. Segment and wealth tier
--   filters do not apply (expenses have no customer).
-- Materialize: table
-- Columns:
--   month: First day of the month.
--   region: Region: booked region for expenses, customer's region for income.
--   expenses: Expenses booked in the month.
--   loan_interest_income: Interest earned on active loans in the month.
--   fee_income: Fees charged on accounts in the month.
--   card_interchange_income: Interchange earned on approved card spend in the month.
--   income: loan_interest_income + fee_income + card_interchange_income.
--   cost_to_income_ratio: expenses / income for this row only, as a fraction; empty when income is 0.

with expenses as (
    select
        month,
        region,
        sum(expenses) as expenses
    from expenses_monthly
    group by all
),

income as (
    select
        month,
        region,
        sum(loan_interest_income) as loan_interest_income,
        sum(fee_income) as fee_income,
        sum(card_interchange_income) as card_interchange_income
    from revenue_monthly
    group by all
),

joined as (
    select
        coalesce(expenses.month, income.month) as month,
        coalesce(expenses.region, income.region) as region,
        coalesce(expenses.expenses, 0) as expenses,
        coalesce(income.loan_interest_income, 0) as loan_interest_income,
        coalesce(income.fee_income, 0) as fee_income,
        coalesce(income.card_interchange_income, 0) as card_interchange_income
    from expenses
    full outer join income
        on expenses.month = income.month
        and expenses.region is not distinct from income.region
),

final as (
    select
        month,
        region,
        expenses,
        loan_interest_income,
        fee_income,
        card_interchange_income,
        loan_interest_income + fee_income + card_interchange_income as income,
        expenses / nullif(loan_interest_income + fee_income + card_interchange_income, 0) as cost_to_income_ratio
    from joined
)

select * from final
