-- Answers: Which overdue bills must the billing team chase today, where do reminders go, who collects, and what
--   was last done about the customer?
-- Grain: one row per bill open and overdue at the data as-of date.
-- Definition: The bills of receivables_position that are past due (at least one day after the due date, with
--   an exact open amount above zero), with the billing group's reminder e-mail and collector and the
--   customer's last collection action (as in customer_last_collection_action, including actions recorded live).
--   The billing group is the one on the bill, else the customer's; normally they are the same. Computed as
--   billing_worklist_source_data (stored by the build, with the source data's last action) with the customer's
--   last action recorded in the app (customer_last_collection_action_for_source('recorded in app')) in its
--   place when that one is later, by time taken then action id; the same rows as looking at all actions at once.
-- Columns:
--   as_of_date: Date of the position: the data as-of date.
--   bill_id: Overdue bill.
--   customer_id: Customer billed.
--   customer_name: Customer's full name.
--   billing_group_id: Billing group of the bill, else of the customer.
--   billing_group_name: Name of the billing group.
--   billing_email: E-mail address the group's reminders go to.
--   collector_id: Collector responsible for the billing group.
--   collector_name: Collector's full name.
--   sales_channel: Sales channel the bill belongs to.
--   sales_subchannel: Subchannel within the sales channel.
--   location: Location (branch or area) the bill belongs to.
--   region: Customer's sales region.
--   segment: Customer's business segment.
--   wealth_tier: Customer's wealth tier.
--   income_band: Customer's annual income band.
--   issue_date: Date the bill was issued.
--   due_date: Date payment was due.
--   amount: Amount billed.
--   open_amount: Amount still owed on the bill.
--   days_past_due: Days from the due date to the as-of date (1 or more).
--   aging_bucket: Aging bucket (1-30, 31-60, 61-90, 91-180, 180+).
--   aging_bucket_rank: Sort order of the aging bucket, 2 (1-30) to 6 (180+).
--   last_action_at: When the customer's last collection action was taken; empty if never.
--   last_action_type: What was done last.
--   last_action_by: User or employee who took the last action.

with source_data as (
    select * from billing_worklist_source_data
),

recorded as (
    select * from customer_last_collection_action_for_source('recorded in app')
),

compared as (
    select
        source_data.*,
        recorded.last_action_at as recorded_action_at,
        recorded.last_action_type as recorded_action_type,
        recorded.last_action_by as recorded_action_by,
        recorded.customer_id is not null
            and (source_data.last_action_id is null
                or recorded.last_action_at > source_data.last_action_at
                or (recorded.last_action_at = source_data.last_action_at
                    and recorded.last_action_id > source_data.last_action_id)) as recorded_is_last
    from source_data
    left join recorded
        on recorded.customer_id = source_data.customer_id
),

final as (
    select
        as_of_date,
        bill_id,
        customer_id,
        customer_name,
        billing_group_id,
        billing_group_name,
        billing_email,
        collector_id,
        collector_name,
        sales_channel,
        sales_subchannel,
        location,
        region,
        segment,
        wealth_tier,
        income_band,
        issue_date,
        due_date,
        amount,
        open_amount,
        days_past_due,
        aging_bucket,
        aging_bucket_rank,
        case when recorded_is_last then recorded_action_at else last_action_at end as last_action_at,
        case when recorded_is_last then recorded_action_type else last_action_type end as last_action_type,
        case when recorded_is_last then recorded_action_by else last_action_by end as last_action_by
    from compared
)

select * from final
