-- Answers: Who works for the bank, in which role, region and office?
-- Grain: one row per employee.
-- Definition: The employees source table as the contract declares it; staging only selects its columns by name.
-- Columns:
--   employee_id: Unique employee identifier.
--   full_name: Employee's full name.
--   role: What the employee does.
--   department: Department the employee reports into.
--   region: Region the employee works in.
--   office: Office (branch) the employee works from.
--   hire_date: Date of hire.
--   certification: Highest professional certification level.
--   sales_target: Annual sales target; empty for roles without one.
--   supervisor_id: The employee's manager.

with source as (
    select * from employees
),

final as (
    select
        employee_id,
        full_name,
        role,
        department,
        region,
        office,
        hire_date,
        certification,
        sales_target,
        supervisor_id
    from source
)

select * from final
