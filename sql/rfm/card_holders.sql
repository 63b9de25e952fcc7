-- Answers: Who is each customer as a card holder: where, in which segment and tier, and in which RFM segment today?
-- Grain: one row per customer in customers.
-- Definition: The customer's region, segment and wealth tier with the RFM segment at the data as-of date
--   (rfm_customers), i.e. the segment the customer is in now, not on the day of a sale; customers without approved
--   card activity in the RFM window are in 'Not scored', so every sale has a segment and the segments add up to all
--   sales. The marts of card sales by RFM segment and by customer read it, so they share one rule. customer_key
--   and holder_group are numbers for fast grouping within one build; they may change with the next build. Stored
--   because every mart of card sales reads it: numbering the customers once instead of in each of them.
-- Materialize: table
-- Columns:
--   customer_id: Customer.
--   customer_key: Number of the customer (1, 2, ... in customer_id order).
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   rfm_segment: Customer's RFM segment at the data as-of date, or 'Not scored'.
--   holder_group: Number of the customer's combination of region, segment, wealth tier and RFM segment, so that
--     sales are summed by one number instead of four texts.

with customers as (
    select * from stg_customers
),

rfm as (
    select * from rfm_customers
),

segmented as (
    select
        customers.customer_id,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        coalesce(rfm.rfm_segment, 'Not scored') as rfm_segment
    from customers
    left join rfm on customers.customer_id = rfm.customer_id
),

final as (
    select
        customer_id,
        cast(row_number() over (order by customer_id) as integer) as customer_key,
        region,
        segment,
        wealth_tier,
        rfm_segment,
        cast(dense_rank() over (order by region, segment, wealth_tier, rfm_segment) as integer) as holder_group
    from segmented
)

select * from final
