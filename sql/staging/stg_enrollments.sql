-- Answers: Which product accounts did customers open, when, how, and are they still open?
-- Grain: one row per customer x product account.
-- Definition: The enrollments source table as the contract declares it, with calendar date and month
--   columns added so measures can group and prune by date without repeating the cast.
-- Columns:
--   account_id: Unique account identifier.
--   customer_id: Customer who holds the account.
--   product_id: Product the account is for.
--   open_date: Date the account was opened.
--   close_date: Date the account was closed; empty while open.
--   channel: Channel the account was opened through (Branch, Web, Mobile, Phone, Advisor).
--   advisor_id: Advisor who opened or looks after the account.
--   status: Whether the account is open.
--   initial_investment: Amount invested when the account was opened.
--   contribution_frequency: How often the customer contributes.
--   contribution_amount: Planned amount of each contribution.
--   open_month: First day of the month the account was opened.

with source as (
    select * from enrollments
),

final as (
    select
        account_id,
        customer_id,
        product_id,
        open_date,
        close_date,
        channel,
        advisor_id,
        status,
        initial_investment,
        contribution_frequency,
        contribution_amount,
        cast(date_trunc('month', open_date) as date) as open_month
    from source
)

select * from final
