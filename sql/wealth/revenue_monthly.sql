-- Answers: How much revenue did we earn each month, from loan interest, wealth fees and card interchange, by
--   region, segment and wealth tier?
-- Grain: one row per month x region x segment x wealth tier (the customer's attributes) with any revenue.
-- Definition: Revenue = loan interest income + fees + card interchange, each booked in the month it was
--   earned. Loan interest income is the estimate of loans_monthly (straight-line outstanding principal x
--   yearly rate / 12). Fees are the fees charged on investment accounts (aum_monthly). Card interchange =
--   approved card spend x the card_interchange_rate of revenue_assumptions (1.5%); declined and reversed
--   transactions earn nothing. These are the bank's revenue streams the data holds: there is no deposit
--   margin or other fee income. Every column adds up across months, regions, segments and tiers, so revenue by
--   region (or any selection) is the sum of the rows after filtering. Transactions of card holders missing
--   from customers keep empty customer attributes rather than being dropped. Revenue starts in the first month
--   with fee or card data: the loan book reaches back further, and months with loan interest alone would look
--   like a revenue jump where the other data begins.
-- Materialize: table
-- Columns:
--   month: First day of the month.
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   loan_interest_income: Estimated interest earned on loans in the month.
--   fee_income: Fees charged on investment accounts in the month.
--   card_interchange_income: approved_card_spend x card interchange rate.
--   total_revenue: loan_interest_income + fee_income + card_interchange_income.
--   approved_card_spend: Amount of approved card transactions in the month, the base of the interchange.

with assumptions as (
    select card_interchange_rate from revenue_assumptions
),

loan_interest as (
    select
        month,
        region,
        segment,
        wealth_tier,
        interest_income as loan_interest_income,
        cast(0 as double) as fee_income,
        cast(0 as double) as approved_card_spend
    from loans_monthly
),

fees as (
    select
        month,
        region,
        segment,
        wealth_tier,
        cast(0 as double) as loan_interest_income,
        cast(fees as double) as fee_income,
        cast(0 as double) as approved_card_spend
    from aum_monthly
),

card_spend as (
    select
        stg_card_transactions.transaction_month as month,
        stg_customers.region,
        stg_customers.segment,
        stg_customers.wealth_tier,
        cast(0 as double) as loan_interest_income,
        cast(0 as double) as fee_income,
        cast(stg_card_transactions.amount as double) as approved_card_spend
    from stg_card_transactions
    left join stg_customers on stg_customers.customer_id = stg_card_transactions.customer_id
    where stg_card_transactions.status = 'Approved'
),

revenue_start as (
    select least(
        (select min(month) from fees),
        (select min(month) from card_spend)
    ) as first_month
),

revenue_parts as (
    select * from loan_interest
    union all
    select * from fees
    union all
    select * from card_spend
),

monthly as (
    select
        month,
        region,
        segment,
        wealth_tier,
        sum(loan_interest_income) as loan_interest_income,
        sum(fee_income) as fee_income,
        sum(approved_card_spend) as approved_card_spend
    from revenue_parts
    group by all
),

final as (
    select
        monthly.month,
        monthly.region,
        monthly.segment,
        monthly.wealth_tier,
        monthly.loan_interest_income,
        monthly.fee_income,
        monthly.approved_card_spend * assumptions.card_interchange_rate as card_interchange_income,
        monthly.loan_interest_income + monthly.fee_income
            + monthly.approved_card_spend * assumptions.card_interchange_rate as total_revenue,
        monthly.approved_card_spend
    from monthly
    cross join assumptions
    cross join revenue_start
    where monthly.month >= coalesce(revenue_start.first_month, monthly.month)
)

select * from final
