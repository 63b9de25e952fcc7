"""Operations: new business by region, what it costs to run the bank, and the sales force against target."""

from app import charts, operations_charts
from app import columns as c
from app.specs import Chart
from app.ui import Kpi, Page
from warehouse.queries import operations
from warehouse.queries.common import has_rows

page = Page("Operations", "How much new business do we sell, what does it cost to run the bank, and who is on "
            "target?")
ctx, money = page.context, page.currency
page.stop_unless(has_rows(ctx.db, "stg_expenses", "stg_employees", "regional_sales_quarterly"),
                 "sales, expenses and employees")
data = operations.load(ctx.db, ctx.scope)
figures, trends = data["kpis"], data["trends"]
year, people = data["employee_year"], data["employees"]
year_to_date = bool(people["is_year_to_date"].any()) if not people.is_empty() \
    else year == (ctx.as_of or ctx.scope.end).year
year_label = f"{year} (year to date)" if year_to_date else str(year)
REGION_ONLY = "Follows only the region and period filters: expenses and employees have no customer segment or " \
              "wealth tier."

page.kpis([
    Kpi("Sales", figures["sales"], "money", trend=trends["sales"],
        help="New business: initial investment of the accounts opened plus principal of the loans issued in the "
             "period."),
    Kpi("New customers", figures["new_customers"], "count", trend=trends["new_customers"],
        help="Customers who enrolled in the period."),
    Kpi("Expenses", figures["expenses"], "money", better="lower", trend=trends["expenses"],
        help="Expenses booked in the period. " + REGION_ONLY),
    Kpi("Cost-to-income", figures["cost_to_income"], "percent", better="lower", trend=trends["cost_to_income"],
        help=f"Expenses over income ({page.format(figures['income'].current, 'money', short=True)}: loan interest, "
             f"wealth fees and card interchange) in the period; lower is better. " + REGION_ONLY),
    Kpi("Employees on target", figures["on_target"], "percent", trend=data["on_target_by_year"]["on_target"],
        help=f"Share of advisors and sales staff whose sales reached their target in {year_label}, against "
             f"{year - 1}. The running year is compared with the target pro rata to date; the sparkline shows the "
             f"last five years. " + REGION_ONLY),
])

quarter, region = c.text("quarter", "Quarter"), c.text("region", "Region")
sales = c.money("total_sales", "Sales")
month = c.month("month")

left, right = page.row()
regional = data["regional_sales"]
partial = regional.filter(regional["partly_in_period"] | regional["quarter_to_date"])
notes = []
if not partial.is_empty():
    running = partial.filter(partial["quarter_to_date"])["quarter"].unique().sort().to_list()
    edges = partial.filter(~partial["quarter_to_date"])["quarter"].unique().sort().to_list()
    if edges:
        notes.append(f"Whole quarters: {', '.join(edges)} reach{'es' if len(edges) == 1 else ''} beyond the "
                     f"period.")
    if running:
        notes.append(f"{', '.join(running)} is quarter to date.")
regional_columns = [quarter, region, sales, c.money("account_sales", "Accounts opened"),
                    c.money("loan_sales", "Loans issued"), c.count("new_customers", "New customers"),
                    c.percent("sales_growth", "Growth vs previous quarter")]
page.chart(left, "Sales per quarter by region", Chart(charts.stacked,
    regional, quarter, sales, region, currency=money, extra_tooltip=regional_columns[3:]), regional, regional_columns,
    caption=" ".join(["Initial investment of accounts opened plus principal of loans issued.", *notes]))

ratio = data["cost_to_income"]
cti = c.percent("cost_to_income", "Cost-to-income")
page.chart(right, "Cost-to-income by region", Chart(charts.line,
    ratio, month, cti, color=region, currency=money, y_zero=False,
    extra_tooltip=[c.money("expenses", "Expenses"), c.money("income", "Income")]),
    ratio, [month, region, cti, c.money("expenses", "Expenses"), c.money("income", "Income")],
    caption="Expenses over income each month; lower is better. " + REGION_ONLY)

left, right = page.row()
by_category = data["expenses_by_category"]
category, expenses = c.text("category", "Category"), c.money("expenses", "Expenses")
page.chart(left, "Expenses by category", Chart(charts.stacked,
    by_category, month, expenses, category, currency=money, legend_columns=4), by_category, [month, category, expenses],
    caption=REGION_ONLY)
by_department = data["expenses_by_department"]
department, share = c.text("department", "Department"), c.percent("share", "Share of expenses")
page.chart(right, "Expenses by department", Chart(charts.bar,
    by_department, department, expenses, currency=money, extra_tooltip=[share]),
    by_department, [department, expenses, share, c.count("expense_lines", "Expense lines")],
    caption=REGION_ONLY)

left, right = page.row()
distribution = data["attainment_distribution"]
band, headcount = c.text("attainment_band", "Sales against target"), c.count("employees", "Employees")
page.chart(left, f"Employees by target attainment, {year_label}", Chart(operations_charts.bands,
    distribution, band, headcount, "meets_target", order=operations.ATTAINMENT_BANDS, currency=money,
    extra_tooltip=[c.percent("share", "Share of employees")]),
    distribution if distribution["employees"].sum() else distribution.clear(),
    [band, headcount, c.percent("share", "Share of employees")],
    caption="Advisors' and sales staff's sales over their target" + (", pro rata to date. " if year_to_date
                                                                     else ". ") + REGION_ONLY)
ranked = data["top_and_bottom_employees"]
name, attainment = c.text("full_name", "Employee"), c.percent("attainment", "Sales against target")
target_to_date = c.money("sales_target_to_date", "Target to date" if year_to_date else "Target")
page.chart(right, f"Highest and lowest attainment, {year_label}", Chart(operations_charts.against_target,
    ranked, name, attainment, c.text("group", "Group"), currency=money,
    extra_tooltip=[c.text("role", "Role"), region, c.money("sales", "Sales"), target_to_date]),
    ranked, [c.text("group", "Group"), name, c.text("role", "Role"), region, attainment,
             c.money("sales", "Sales"), target_to_date],
    caption="Dashed line: the target. " + REGION_ONLY)

page.table(f"Employees against target, {year_label}", people, [
    name, c.text("role", "Role"), region,
    c.money("sales", "Sales"), c.money("sales_target", "Annual target"), target_to_date, attainment,
    c.money("gap_to_target", "Above (below) target"), c.text("status", "Status"),
], key="operations_employees",
    caption=("Sales and target to date for the running year. " if year_to_date else "") + REGION_ONLY)
page.finish()
