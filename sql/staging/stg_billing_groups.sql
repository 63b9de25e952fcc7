-- Answers: Which billing groups are there, where do their reminders go, and who collects them?
-- Grain: one row per billing group.
-- Definition: The billing_groups source table as the contract declares it; staging only selects its columns by name.
-- Columns:
--   billing_group_id: Unique billing group identifier.
--   group_name: Name of the billing group.
--   billing_email: E-mail address reminders are sent to.
--   collector_id: Collector responsible for the group.

with source as (
    select * from billing_groups
),

final as (
    select
        billing_group_id,
        group_name,
        billing_email,
        collector_id
    from source
)

select * from final
