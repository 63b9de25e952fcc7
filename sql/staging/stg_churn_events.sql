-- Answers: Which customers left which products, when and why?
-- Grain: one row per customer x product exit.
-- Definition: The churn_events source table as the contract declares it, with calendar date and month
--   columns added so measures can group and prune by date without repeating the cast.
-- Columns:
--   churn_id: Unique exit identifier.
--   customer_id: Customer who left.
--   product_id: Product left.
--   account_id: Account closed by the exit.
--   churn_date: Date the customer left the product.
--   reason: Main reason given, e.g. High Fees, Service Issue, Better Competitor.
--   exit_survey_score: Exit survey score, 1 to 5; empty when the customer gave none.
--   recovered: Whether the customer was won back afterwards.
--   lifetime_value: Revenue earned from the customer on this product over its life.
--   churn_month: First day of the month of churn_date.

with source as (
    select * from churn_events
),

final as (
    select
        churn_id,
        customer_id,
        product_id,
        account_id,
        churn_date,
        reason,
        exit_survey_score,
        recovered,
        lifetime_value,
        cast(date_trunc('month', churn_date) as date) as churn_month
    from source
)

select * from final
