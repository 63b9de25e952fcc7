-- Answers: Over which periods was each customer active (holding at least one open account), and when did they
--   churn?
-- Grain: one row per customer x uninterrupted period of activity (a spell).
-- Definition: A customer is active at a date when at least one of their accounts is open at that date
--   (open_date <= date and (close_date is null or close_date > date)), as known at the data as-of date
--   (see customer_accounts). Account lifetimes that overlap or touch (one closes the day another opens) are merged
--   into one spell. A spell ends on the day the customer's last open account closed: that day is a churn, unlike the
--   closing of one product among several (a product exit). A customer who opens an account again later starts a
--   new spell. Accounts closed on the day they opened were never open at any date and are ignored.
-- Materialize: table
-- Columns:
--   customer_id: Customer.
--   spell_number: 1 for the customer's first spell, 2 for the first return after churning, and so on.
--   spell_start: Date the first account of the spell opened: the customer is active from this day.
--   spell_start_month: First day of the month of spell_start.
--   spell_end: Date the customer's last open account closed (the churn date): the customer is no longer active on
--     this day. Empty while the customer is active.
--   spell_end_month: First day of the month of spell_end; empty while active.
--   region: Customer's sales region.
--   state: Customer's state or county of residence ('Unknown' when not recorded).
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   enrollment_month: First day of the month the customer enrolled (their cohort).

with accounts as (
    select
        customer_id,
        account_id,
        open_date,
        close_date,
        region,
        state,
        segment,
        wealth_tier,
        enrollment_month
    from customer_accounts
    where close_date is null or close_date > open_date
),

with_reach as (
    -- the last day covered by the customer's earlier accounts; an account opened after it starts a new spell
    select
        *,
        max(coalesce(close_date, date '9999-12-31')) over (
            partition by customer_id
            order by open_date, account_id
            rows between unbounded preceding and 1 preceding
        ) as earlier_accounts_reach
    from accounts
),

numbered as (
    select
        *,
        sum(case when earlier_accounts_reach is null or open_date > earlier_accounts_reach then 1 else 0 end) over (
            partition by customer_id
            order by open_date, account_id
            rows between unbounded preceding and current row
        ) as spell_number
    from with_reach
),

spells as (
    select
        customer_id,
        spell_number,
        min(open_date) as spell_start,
        -- a spell with any account still open has not ended
        case when count(*) = count(close_date) then max(close_date) end as spell_end,
        region,
        state,
        segment,
        wealth_tier,
        enrollment_month
    from numbered
    group by customer_id, spell_number, region, state, segment, wealth_tier, enrollment_month
),

final as (
    select
        customer_id,
        cast(spell_number as integer) as spell_number,
        spell_start,
        cast(date_trunc('month', spell_start) as date) as spell_start_month,
        spell_end,
        cast(date_trunc('month', spell_end) as date) as spell_end_month,
        region,
        state,
        segment,
        wealth_tier,
        enrollment_month
    from spells
)

select * from final
