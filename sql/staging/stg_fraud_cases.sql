-- Answers: Which transactions were flagged as fraud, and where does each investigation stand?
-- Grain: one row per fraud case.
-- Definition: The fraud_cases source table as the contract declares it, with calendar date and month
--   columns added so measures can group and prune by date without repeating the cast.
-- Columns:
--   case_id: Unique case identifier.
--   transaction_id: Transaction flagged.
--   customer_id: Customer whose card was used.
--   flagged_date: Date the case was opened.
--   amount: Amount at stake.
--   status: Where the investigation stands.
--   closed_date: Date the case was closed; empty while open.
--   flagged_month: First day of the month the case was opened.

with source as (
    select * from fraud_cases
),

final as (
    select
        case_id,
        transaction_id,
        customer_id,
        flagged_date,
        amount,
        status,
        closed_date,
        cast(date_trunc('month', flagged_date) as date) as flagged_month
    from source
)

select * from final
