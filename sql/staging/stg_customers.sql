-- Answers: Who are our customers, with the attributes every page filters on?
-- Grain: one row per customer.
-- Definition: The customers source table with names and types fixed for the measure layer; nothing is derived
--   here except the enrollment month.
-- Columns:
--   customer_id: Unique customer identifier.
--   first_name: Given name.
--   last_name: Family name.
--   full_name: Given and family name together, for tables and lists.
--   email: Personal e-mail address.
--   phone: Contact phone number.
--   birth_date: Date of birth.
--   gender: Self-declared gender.
--   city: City of residence.
--   state: State or county of residence.
--   region: Sales region; the unit of regional reporting and access.
--   segment: Business segment (Retail, Small Business, Corporate).
--   wealth_tier: Wealth tier (Mass Market, Affluent, High Net Worth, Ultra High Net Worth).
--   income_band: Annual income band.
--   occupation: Occupation or industry.
--   enrollment_date: Date the customer first became a customer.
--   enrollment_month: First day of the month of enrollment_date.
--   billing_group_id: Billing group the customer's bills go to.
--   relationship_manager_id: Employee who manages the relationship.

with source as (
    select * from customers
),

final as (
    select
        customer_id,
        first_name,
        last_name,
        concat_ws(' ', first_name, last_name) as full_name,
        email,
        phone,
        birth_date,
        gender,
        city,
        state,
        region,
        segment,
        wealth_tier,
        income_band,
        occupation,
        enrollment_date,
        cast(date_trunc('month', enrollment_date) as date) as enrollment_month,
        billing_group_id,
        relationship_manager_id
    from source
)

select * from final
