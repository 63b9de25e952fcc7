-- Answers: In which business categories (merchant categories) do customers spend by card, month by month?
-- Grain: one row per month x merchant category x region x segment x wealth tier.
-- Definition: Sales are approved card transactions (declined and reversed ones are not sales) up to the data as-of
--   date, by the merchant's business category. Sales and transactions are additive; a category's share of sales =
--   its sum(sales) / sum(sales) over all selected rows.
-- Materialize: table
-- Columns:
--   month: First day of the month of the transactions.
--   merchant_category: Business category of the merchant, e.g. Groceries, Travel.
--   region: Card holders' sales region.
--   segment: Card holders' business segment.
--   wealth_tier: Card holders' wealth tier.
--   sales: Amount of approved card transactions.
--   transactions: Number of approved card transactions.

with as_of as (
    select as_of_date from stg_data_as_of
),

approved as (
    select
        transactions.transaction_month,
        transactions.merchant_category,
        transactions.amount,
        customers.region,
        customers.segment,
        customers.wealth_tier
    from stg_card_transactions as transactions
    cross join as_of
    inner join stg_customers as customers on transactions.customer_id = customers.customer_id
    where transactions.status = 'Approved'
        and transactions.transaction_date <= as_of.as_of_date
),

final as (
    select
        transaction_month as month,
        merchant_category,
        region,
        segment,
        wealth_tier,
        sum(amount) as sales,
        count(*) as transactions
    from approved
    group by transaction_month, merchant_category, region, segment, wealth_tier
)

select * from final
