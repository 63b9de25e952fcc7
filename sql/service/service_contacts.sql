-- Answers: Every customer-service contact with who made it, what it was about, how it ended, how long it took
--   to close, and whether it was a first contact resolved at first contact.
-- Grain: one row per customer contact.
-- Definition: A contact is a first contact when the same customer had no contact about the same reason in the
--   7 days (168 hours) before it opened; otherwise it is a repeat of an open episode, however it ended. A first
--   contact is resolved at first contact when it ended Resolved and the same customer did not contact again
--   about the same reason within 7 days after it opened. So a repeat contact is exactly a contact that is not a
--   first contact, and a "resolved" contact followed by a repeat does not count as resolved. Contacts with the
--   same customer, reason and opening time are ordered by interaction_id, the lower one coming first. A first
--   contact opened in the 7 days before the data's as-of date is resolved at first contact only provisionally:
--   a repeat may still come.
-- Materialize: table
-- Columns:
--   interaction_id: Unique contact identifier.
--   customer_id: Customer who made contact.
--   opened_at: When the contact started.
--   opened_date: Calendar date the contact started.
--   opened_month: First day of the month the contact started.
--   closed_at: When the contact was closed; empty while open.
--   closed_month: First day of the month the contact was closed; empty while open.
--   channel: Contact channel (Phone, Chat, Email, Branch, Web).
--   reason: Why the customer made contact.
--   product_id: Product the contact was about; empty when it was about no product.
--   product_category: Category of that product; 'No product' when the contact was about none.
--   resolution_status: How the contact ended (Resolved, Unresolved, Escalated).
--   is_resolved: Whether the contact ended Resolved.
--   is_first_contact: Whether the customer had no contact about the same reason in the 7 days before.
--   is_resolved_first_contact: Whether it is a first contact that ended Resolved and had no repeat about the
--     same reason within 7 days after it opened.
--   resolution_hours: Hours between opening and closing; empty while open.
--   duration_minutes: Handling time in minutes.
--   satisfaction: Satisfaction score the customer gave, 1 (worst) to 5 (best); empty when none was given.
--   agent_id: Agent who handled the contact.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.

with contacts as (
    select * from stg_service_interactions
),

customers as (
    select * from stg_customers
),

products as (
    select * from stg_products
),

same_reason_neighbours as (
    select
        interaction_id,
        lag(opened_at) over (
            partition by customer_id, reason order by opened_at, interaction_id
        ) as previous_same_reason_at,
        lead(opened_at) over (
            partition by customer_id, reason order by opened_at, interaction_id
        ) as next_same_reason_at
    from contacts
),

flagged as (
    select
        contacts.*,
        contacts.resolution_status = 'Resolved' as is_resolved,
        neighbours.previous_same_reason_at is null
            or neighbours.previous_same_reason_at < contacts.opened_at - interval 7 day as is_first_contact,
        neighbours.next_same_reason_at is null
            or neighbours.next_same_reason_at > contacts.opened_at + interval 7 day as has_no_repeat
    from contacts
    inner join same_reason_neighbours as neighbours
        on contacts.interaction_id = neighbours.interaction_id
),

final as (
    select
        flagged.interaction_id,
        flagged.customer_id,
        flagged.opened_at,
        flagged.opened_date,
        flagged.opened_month,
        flagged.closed_at,
        cast(date_trunc('month', flagged.closed_at) as date) as closed_month,
        flagged.channel,
        flagged.reason,
        flagged.product_id,
        case when flagged.product_id is null then 'No product' else products.category end as product_category,
        flagged.resolution_status,
        flagged.is_resolved,
        flagged.is_first_contact,
        flagged.is_first_contact and flagged.is_resolved and flagged.has_no_repeat as is_resolved_first_contact,
        date_diff('microsecond', flagged.opened_at, flagged.closed_at) / 3600000000 as resolution_hours,
        flagged.duration_minutes,
        flagged.satisfaction,
        flagged.agent_id,
        customers.region,
        customers.segment,
        customers.wealth_tier
    from flagged
    left join customers
        on flagged.customer_id = customers.customer_id
    left join products
        on flagged.product_id = products.product_id
)

select * from final
