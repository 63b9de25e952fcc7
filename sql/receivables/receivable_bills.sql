-- Answers: Which bills were issued, with the attributes every receivables measure groups and filters by?
-- Grain: one row per bill.
-- Definition: Each bill with its customer's region, segment, wealth tier and income band, and its billing
--   group: the bill's own group, falling back to the customer's when the bill names none. Every receivables
--   view reads bills from here, so they all group by the same attributes.
-- Columns:
--   bill_id: Bill.
--   customer_id: Customer billed.
--   billing_group_id: The bill's billing group, or the customer's when the bill names none.
--   sales_channel: Sales channel the bill belongs to.
--   sales_subchannel: Subchannel within the sales channel; empty when the source gives none.
--   location: Location (branch or area) the bill belongs to.
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   income_band: Customer's income band; empty when unknown.
--   issue_date: Date the bill was issued.
--   due_date: Date payment is due.
--   due_month: First day of the month the bill falls due.
--   amount: Amount billed.

with bills as (
    select * from stg_bills
),

customers as (
    select * from stg_customers
),

final as (
    select
        bills.bill_id,
        bills.customer_id,
        coalesce(bills.billing_group_id, customers.billing_group_id) as billing_group_id,
        bills.sales_channel,
        bills.sales_subchannel,
        bills.location,
        customers.region,
        customers.segment,
        customers.wealth_tier,
        customers.income_band,
        bills.issue_date,
        bills.due_date,
        bills.due_month,
        bills.amount
    from bills
    left join customers
        on customers.customer_id = bills.customer_id
)

select * from final
