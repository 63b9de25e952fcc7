-- Answers: Which customers bought by card in each month, on which days of it, and for how much?
-- Grain: one row per customer x month in which the customer made at least one card sale.
-- Definition: Sales as card_sales defines them, summed per card holder and calendar month. sale_days marks the days
--   of the month with a sale (bit d - 1 set when the customer bought on day d), so the buyers of any period of days
--   are counted exactly here: keep the months the period touches whose sale_days share a bit with the period's days
--   in that month (every day in the months inside the period, the days from the start in its first month, the days
--   up to the end in its last month, both bounds when it lies in one month), then count distinct customer_key.
--   Buyers are not additive over months: a customer buying in two months is one buyer of both. customer_key
--   numbers the customers so that counting them is cheap; card_holders of the same build gives each key's
--   customer_id (the key may change with the next build). The id itself is not repeated here: written on every
--   row it took about a quarter of the time this table takes to build. rfm_segment is the customer's segment at the
--   as-of date (card_holders), as on the RFM page.
-- Materialize: table
-- Columns:
--   month: First day of the month of the sales.
--   customer_key: Card holder, as numbered in card_holders (1, 2, ... in customer_id order) for fast distinct
--     counts; join card_holders on it for the customer_id. May change with the next build.
--   region: Card holder's sales region.
--   segment: Card holder's business segment.
--   wealth_tier: Card holder's wealth tier.
--   rfm_segment: Card holder's RFM segment at the data as-of date (card_holders), or 'Not scored' without approved
--     card activity in the RFM window.
--   sales: Amount of the customer's card sales in the month.
--   transactions: Number of the customer's card sales in the month.
--   sale_days: Days of the month with a sale, as a bit mask: bit d - 1 (value 2 to the power d - 1) is set when the
--     customer made a sale on day d; for example 5 = sales on the 1st and the 3rd.

with sales as (
    select * from card_sales
),

holders as (
    select * from card_holders
),

monthly as (
    -- summed by the integer customer_key, then named
    select
        transaction_month as month,
        customer_key,
        sum(amount) as sales,
        count(*) as transactions,
        cast(bit_or(1 << (day(transaction_date) - 1)) as integer) as sale_days
    from sales
    group by transaction_month, customer_key
),

final as (
    select
        monthly.month,
        monthly.customer_key,
        holders.region,
        holders.segment,
        holders.wealth_tier,
        holders.rfm_segment,
        monthly.sales,
        monthly.transactions,
        monthly.sale_days
    from monthly
    inner join holders on monthly.customer_key = holders.customer_key
    -- stored in month order so that a period's months are read without scanning the others
    order by monthly.month
)

select * from final
