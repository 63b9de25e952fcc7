-- Answers: Do customers who use digital banking more grow their balances more?
-- Grain: one row per customer enrolled on or before the as-of date.
-- Definition: The comparison window is the 12 months ending at the latest month end on or before the data's
--   as-of date (the as-of date itself when it is a month end). sessions_12m counts the customer's digital
--   sessions started in that window (after the start month end, up to and including the latest month end).
--   A customer's balance at a month end is the sum of the month-end balances of all their accounts; an account
--   with no snapshot at that month end (not yet open, or closed) counts as 0, so new money and exits both show
--   as growth or decline. balance_growth = end_balance - start_balance; balance_growth_rate is relative to the
--   start balance and empty when that is 0. Customers without sessions or balances are kept (with 0), since
--   they are the comparison group. Compare groups with sum(balance_growth) / sum(start_balance), never by
--   averaging balance_growth_rate.
-- Materialize: table
-- Columns:
--   customer_id: Customer.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   start_month_end: Month end 12 months before end_month_end: the start of the window.
--   end_month_end: Latest month end on or before the as-of date: the end of the window.
--   sessions_12m: Digital sessions the customer started in the window.
--   engagement_band: Sessions in the window grouped: '0 sessions', '1-11 sessions' (less than monthly),
--     '12-51 sessions', '52+ sessions' (weekly or more).
--   start_balance: Customer's total balance at start_month_end.
--   end_balance: Customer's total balance at end_month_end.
--   balance_growth: end_balance - start_balance.
--   balance_growth_rate: balance_growth / start_balance as a fraction; empty when start_balance is 0.

with customers as (
    select * from stg_customers
),

sessions as (
    select * from stg_engagement_events
),

balances as (
    select * from stg_account_balances
),

accounts as (
    select * from stg_enrollments
),

as_of as (
    select * from stg_data_as_of
),

window_bounds as (
    select
        as_of_date,
        cast(date_trunc('month', as_of_date + interval 1 day) - interval 1 day as date) as end_month_end,
        cast(date_trunc('month', as_of_date + interval 1 day) - interval 12 month - interval 1 day as date)
            as start_month_end
    from as_of
),

sessions_by_customer as (
    select
        sessions.customer_id,
        count(*) as sessions_12m
    from sessions
    cross join window_bounds
    where sessions.event_date > window_bounds.start_month_end
        and sessions.event_date <= window_bounds.end_month_end
    group by sessions.customer_id
),

balances_by_customer as (
    select
        accounts.customer_id,
        sum(balances.balance) filter (where balances.month_end = window_bounds.start_month_end) as start_balance,
        sum(balances.balance) filter (where balances.month_end = window_bounds.end_month_end) as end_balance
    from balances
    inner join accounts
        on balances.account_id = accounts.account_id
    cross join window_bounds
    where balances.month_end in (window_bounds.start_month_end, window_bounds.end_month_end)
    group by accounts.customer_id
),

combined as (
    select
        customers.customer_id,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        window_bounds.start_month_end,
        window_bounds.end_month_end,
        coalesce(sessions_by_customer.sessions_12m, 0) as sessions_12m,
        coalesce(balances_by_customer.start_balance, 0) as start_balance,
        coalesce(balances_by_customer.end_balance, 0) as end_balance
    from customers
    cross join window_bounds
    left join sessions_by_customer
        on customers.customer_id = sessions_by_customer.customer_id
    left join balances_by_customer
        on customers.customer_id = balances_by_customer.customer_id
    where customers.enrollment_date <= window_bounds.as_of_date
),

final as (
    select
        customer_id,
        region,
        segment,
        wealth_tier,
        start_month_end,
        end_month_end,
        sessions_12m,
        case
            when sessions_12m = 0 then '0 sessions'
            when sessions_12m < 12 then '1-11 sessions'
            when sessions_12m < 52 then '12-51 sessions'
            else '52+ sessions'
        end as engagement_band,
        start_balance,
        end_balance,
        end_balance - start_balance as balance_growth,
        (end_balance - start_balance) / nullif(start_balance, 0) as balance_growth_rate
    from combined
)

select * from final
