-- Answers: How many new customers did the bank win each month, where, in which segment and wealth tier, and
--   through which channel?
-- Grain: one row per enrollment month x region x segment x wealth tier x income band x acquisition channel.
-- Definition: A new customer is counted in the month of their enrollment_date (the date they first became a
--   customer), up to the data as-of date. The acquisition channel is the channel of the customer's first account
--   (earliest open date, then lowest account id); 'No account' when they have not opened one yet. Counts are
--   additive across every column, months included.
-- Materialize: table
-- Columns:
--   month: First day of the enrollment month.
--   region: New customers' sales region.
--   segment: New customers' business segment.
--   wealth_tier: New customers' wealth tier.
--   income_band: New customers' annual income band ('Unknown' when not recorded).
--   acquisition_channel: Channel the customer's first account was opened through, or 'No account'.
--   new_customers: Customers who enrolled in the month.

with as_of as (
    select as_of_date from stg_data_as_of
),

first_accounts as (
    select
        customer_id,
        channel,
        row_number() over (partition by customer_id order by open_date, account_id) as account_order
    from customer_accounts
),

new_customers as (
    select
        customers.enrollment_month as month,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        coalesce(customers.income_band, 'Unknown') as income_band,
        coalesce(first_accounts.channel, 'No account') as acquisition_channel
    from stg_customers as customers
    cross join as_of
    left join first_accounts
        on customers.customer_id = first_accounts.customer_id
        and first_accounts.account_order = 1
    where customers.enrollment_date <= as_of.as_of_date
),

final as (
    select
        month,
        region,
        segment,
        wealth_tier,
        income_band,
        acquisition_channel,
        count(*) as new_customers
    from new_customers
    group by month, region, segment, wealth_tier, income_band, acquisition_channel
)

select * from final
