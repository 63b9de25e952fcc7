-- Answers: Which overdue bills must the billing team chase today, where do reminders go, who collects, and what
--   was last done about the customer according to the source data?
-- Grain: one row per bill open and overdue at the data as-of date.
-- Definition: The bills of receivables_position that are past due (at least one day after the due date, with
--   an exact open amount above zero), with the billing group's reminder e-mail and collector and the
--   customer's last collection action among the source data's actions (customer_last_collection_action_source_data).
--   The billing group is the one on the bill, else the customer's; normally they are the same. Stored as a
--   table, since nothing in it changes without a build: billing_worklist puts a later action recorded in the app
--   in place of the last action on each request, and the Worklist's filter options read the billing groups and
--   collectors from here.
-- Materialize: table
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
--   last_action_id: Identifier of the customer's last collection action in the source data; empty if none.
--   last_action_at: When that action was taken; empty if never.
--   last_action_type: What was done.
--   last_action_by: User or employee who took the action.

with overdue_bills as (
    select * from receivables_position
    where days_past_due > 0
),

final as (
    select
        overdue_bills.as_of_date,
        overdue_bills.bill_id,
        overdue_bills.customer_id,
        stg_customers.full_name as customer_name,
        overdue_bills.billing_group_id,
        stg_billing_groups.group_name as billing_group_name,
        stg_billing_groups.billing_email,
        stg_billing_groups.collector_id,
        stg_employees.full_name as collector_name,
        overdue_bills.sales_channel,
        overdue_bills.sales_subchannel,
        overdue_bills.location,
        overdue_bills.region,
        overdue_bills.segment,
        overdue_bills.wealth_tier,
        overdue_bills.income_band,
        overdue_bills.issue_date,
        overdue_bills.due_date,
        overdue_bills.amount,
        overdue_bills.open_amount,
        overdue_bills.days_past_due,
        overdue_bills.aging_bucket,
        overdue_bills.aging_bucket_rank,
        customer_last_collection_action_source_data.last_action_id,
        customer_last_collection_action_source_data.last_action_at,
        customer_last_collection_action_source_data.last_action_type,
        customer_last_collection_action_source_data.last_action_by
    from overdue_bills
    left join stg_customers
        on stg_customers.customer_id = overdue_bills.customer_id
    left join stg_billing_groups
        on stg_billing_groups.billing_group_id = overdue_bills.billing_group_id
    left join stg_employees
        on stg_employees.employee_id = stg_billing_groups.collector_id
    left join customer_last_collection_action_source_data
        on customer_last_collection_action_source_data.customer_id = overdue_bills.customer_id
)

select * from final
