-- Answers: Which product accounts did each customer hold, as known at the data as-of date, with the customer's
--   attributes the pages filter on?
-- Grain: one row per account opened on or before the data as-of date.
-- Definition: stg_enrollments joined to the customer and the product. Accounts opened after the as-of date are left
--   out and a close date after the as-of date is treated as not yet closed, so every customer measure sees the
--   data as it stood at the as-of date. A customer's missing state is shown as 'Unknown'; an account whose product
--   is not in the catalogue has product category 'Unknown'.
-- Columns:
--   account_id: Unique account identifier.
--   customer_id: Customer who holds the account.
--   product_id: Product the account is for.
--   product_category: Category of the product, e.g. Equity Fund, Savings.
--   channel: Channel the account was opened through (Branch, Web, Mobile, Phone, Advisor).
--   account_status: Whether the account is open, as the source records it (Active, Closed).
--   open_date: Date the account was opened.
--   open_month: First day of the month the account was opened.
--   close_date: Date the account was closed, when that is on or before the as-of date; empty while open.
--   close_month: First day of the month of close_date; empty while open.
--   region: Customer's sales region.
--   state: Customer's state or county of residence ('Unknown' when not recorded).
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   enrollment_month: First day of the month the customer enrolled.

with as_of as (
    select as_of_date from stg_data_as_of
),

accounts as (
    select
        enrollments.account_id,
        enrollments.customer_id,
        enrollments.product_id,
        enrollments.channel,
        enrollments.status as account_status,
        enrollments.open_date,
        enrollments.open_month,
        case when enrollments.close_date <= as_of.as_of_date then enrollments.close_date end as close_date
    from stg_enrollments as enrollments
    cross join as_of
    where enrollments.open_date <= as_of.as_of_date
),

final as (
    select
        accounts.account_id,
        accounts.customer_id,
        accounts.product_id,
        coalesce(products.category, 'Unknown') as product_category,
        accounts.channel,
        accounts.account_status,
        accounts.open_date,
        accounts.open_month,
        accounts.close_date,
        cast(date_trunc('month', accounts.close_date) as date) as close_month,
        customers.region,
        coalesce(customers.state, 'Unknown') as state,
        customers.segment,
        customers.wealth_tier,
        customers.enrollment_month
    from accounts
    inner join stg_customers as customers on accounts.customer_id = customers.customer_id
    left join stg_products as products on accounts.product_id = products.product_id
)

select * from final
