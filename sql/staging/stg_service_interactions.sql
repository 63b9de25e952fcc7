-- Answers: Which contacts did customers have with customer service, and how did they end?
-- Grain: one row per customer contact.
-- Definition: The service_interactions source table as the contract declares it, with calendar date and month
--   columns added so measures can group and prune by date without repeating the cast.
-- Columns:
--   interaction_id: Unique contact identifier.
--   customer_id: Customer who made contact.
--   opened_at: When the contact started.
--   closed_at: When the contact was closed; empty while open.
--   channel: Contact channel (Phone, Chat, Email, Branch, Web).
--   reason: Why the customer made contact, e.g. Complaint, Fees, Technical Support.
--   duration_minutes: Handling time in minutes.
--   satisfaction: Satisfaction score the customer gave, 1 (worst) to 5 (best); empty when none was given.
--   resolution_status: How the contact ended.
--   agent_id: Agent who handled the contact.
--   product_id: Product the contact was about, if any.
--   opened_date: Calendar date the contact started.
--   opened_month: First day of the month the contact started.

with source as (
    select * from service_interactions
),

final as (
    select
        interaction_id,
        customer_id,
        opened_at,
        closed_at,
        channel,
        reason,
        duration_minutes,
        satisfaction,
        resolution_status,
        agent_id,
        product_id,
        cast(opened_at as date) as opened_date,
        cast(date_trunc('month', opened_at) as date) as opened_month
    from source
)

select * from final
