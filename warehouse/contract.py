"""The data contract: every source table of the warehouse, declared once.

The generator writes these tables, the importer validates against them, the build loads them with these types,
and the catalog page and docs read the descriptions from here. Nothing else declares a source column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MONEY = "DECIMAL(18,2)"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = True
    allowed: tuple[str, ...] | None = None
    references: str | None = None  # "table.column" this column must resolve to
    minimum: float | None = None
    maximum: float | None = None

    @property
    def referenced_table(self) -> str | None:
        return self.references.split(".")[0] if self.references else None

    @property
    def referenced_column(self) -> str | None:
        return self.references.split(".")[1] if self.references else None


@dataclass(frozen=True)
class Table:
    name: str
    domain: str
    grain: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    date_column: str | None = None  # the column that places a row in time, used to partition and prune
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))

    def column(self, name: str) -> Column:
        for candidate in self.columns:
            if candidate.name == name:
                return candidate
        raise KeyError(f"{self.name} has no column {name!r}")


def col(name: str, type_: str, description: str, **options) -> Column:
    return Column(name, type_, description, **options)


def money(name: str, description: str, **options) -> Column:
    return Column(name, MONEY, description, minimum=options.pop("minimum", 0), **options)


def ref(name: str, target: str, description: str, **options) -> Column:
    return Column(name, "VARCHAR", description, references=target, **options)


SEGMENTS = ("Retail", "Small Business", "Corporate")
WEALTH_TIERS = ("Mass Market", "Affluent", "High Net Worth", "Ultra High Net Worth")
RISK_LEVELS = ("Low", "Medium", "High")
EMPLOYEE_ROLES = ("Advisor", "Service Agent", "Collector", "Sales", "Manager")
LOAN_TYPES = ("Home", "Auto", "Personal", "Business")
LOAN_STATUSES = ("Active", "Closed", "Defaulted")
ACCOUNT_STATUSES = ("Active", "Closed")
CONTRIBUTION_FREQUENCIES = ("Monthly", "Quarterly", "Annual", "None")
CARD_STATUSES = ("Approved", "Declined", "Reversed")
RESOLUTION_STATUSES = ("Resolved", "Unresolved", "Escalated")
FRAUD_STATUSES = ("Open", "Under Investigation", "Confirmed Fraud", "Cleared")
COLLECTION_ACTION_TYPES = (
    "Reminder e-mail",
    "SMS",
    "Call",
    "Letter",
    "Arrangement agreed",
    "Arrangement broken",
    "Field visit",
)

TABLES: tuple[Table, ...] = (
    Table(
        "customers",
        "customers",
        "one row per customer",
        "Every customer the bank has enrolled, with who they are and how the bank serves them.",
        (
            col("customer_id", "VARCHAR", "Unique customer identifier."),
            col("first_name", "VARCHAR", "Given name."),
            col("last_name", "VARCHAR", "Family name."),
            col("email", "VARCHAR", "Personal e-mail address.", required=False),
            col("phone", "VARCHAR", "Contact phone number.", required=False),
            col("birth_date", "DATE", "Date of birth.", required=False),
            col("gender", "VARCHAR", "Self-declared gender.", required=False),
            col("city", "VARCHAR", "City of residence.", required=False),
            col("state", "VARCHAR", "State or county of residence.", required=False),
            col("region", "VARCHAR", "Sales region the customer belongs to; the unit of regional reporting and access."),
            col("segment", "VARCHAR", "Business segment.", allowed=SEGMENTS),
            col("wealth_tier", "VARCHAR", "Wealth tier by investable assets.", allowed=WEALTH_TIERS),
            col("income_band", "VARCHAR", "Annual income band, e.g. '50K-100K'.", required=False),
            col("occupation", "VARCHAR", "Occupation or industry.", required=False),
            col("enrollment_date", "DATE", "Date the customer first became a customer."),
            ref("billing_group_id", "billing_groups.billing_group_id", "Billing group the customer's bills go to.",
                required=False),
            ref("relationship_manager_id", "employees.employee_id", "Employee who manages the relationship.",
                required=False),
        ),
        ("customer_id",),
        date_column="enrollment_date",
    ),
    Table(
        "employees",
        "operations",
        "one row per employee",
        "Staff: advisors, service agents, collectors, sales staff and their managers.",
        (
            col("employee_id", "VARCHAR", "Unique employee identifier."),
            col("full_name", "VARCHAR", "Employee's full name."),
            col("role", "VARCHAR", "What the employee does.", allowed=EMPLOYEE_ROLES),
            col("department", "VARCHAR", "Department the employee reports into."),
            col("region", "VARCHAR", "Region the employee works in."),
            col("office", "VARCHAR", "Office (branch) the employee works from.", required=False),
            col("hire_date", "DATE", "Date of hire."),
            col("certification", "VARCHAR", "Highest professional certification level.", required=False),
            money("sales_target", "Annual sales target; empty for roles without one.", required=False),
            ref("supervisor_id", "employees.employee_id", "The employee's manager.", required=False),
        ),
        ("employee_id",),
    ),
    Table(
        "products",
        "wealth",
        "one row per product",
        "The catalogue of investment, savings, retirement and insurance products.",
        (
            col("product_id", "VARCHAR", "Unique product identifier."),
            col("product_name", "VARCHAR", "Commercial product name."),
            col("category", "VARCHAR", "Product category, e.g. Equity Fund, Bond Fund, Savings."),
            col("investment_type", "VARCHAR", "Asset class invested in, e.g. Stocks, Bonds, Cash."),
            col("risk_level", "VARCHAR", "Risk level of the product.", allowed=RISK_LEVELS),
            col("launch_date", "DATE", "Date the product was launched.", required=False),
            col("annual_fee_rate", "DOUBLE", "Yearly fee as a fraction of the balance (0.012 = 1.2%).",
                minimum=0, maximum=1),
            money("min_investment", "Minimum initial investment."),
        ),
        ("product_id",),
    ),
    Table(
        "enrollments",
        "wealth",
        "one row per customer x product account",
        "Each product account a customer opened: the link between customers and products.",
        (
            col("account_id", "VARCHAR", "Unique account identifier."),
            ref("customer_id", "customers.customer_id", "Customer who holds the account."),
            ref("product_id", "products.product_id", "Product the account is for."),
            col("open_date", "DATE", "Date the account was opened."),
            col("close_date", "DATE", "Date the account was closed; empty while open.", required=False),
            col("channel", "VARCHAR", "Channel the account was opened through (Branch, Web, Mobile, Phone, Advisor)."),
            ref("advisor_id", "employees.employee_id", "Advisor who opened or looks after the account.",
                required=False),
            col("status", "VARCHAR", "Whether the account is open.", allowed=ACCOUNT_STATUSES),
            money("initial_investment", "Amount invested when the account was opened."),
            col("contribution_frequency", "VARCHAR", "How often the customer contributes.",
                allowed=CONTRIBUTION_FREQUENCIES),
            money("contribution_amount", "Planned amount of each contribution."),
        ),
        ("account_id",),
        date_column="open_date",
    ),
    Table(
        "account_balances",
        "wealth",
        "one row per account per month end",
        "Monthly snapshot of every open account. AUM at a date is the sum of balances at that date, "
        "never the sum of all rows.",
        (
            ref("account_id", "enrollments.account_id", "Account the snapshot is for."),
            col("month_end", "DATE", "Last day of the month the snapshot is taken at."),
            money("balance", "Balance at the month end.", minimum=None),
            money("contributions", "Money the customer paid in during the month."),
            money("withdrawals", "Money the customer took out during the month."),
            money("investment_returns", "Market gain (negative: loss) during the month.", minimum=None),
            money("fees", "Fees charged during the month."),
        ),
        ("account_id", "month_end"),
        date_column="month_end",
    ),
    Table(
        "loans",
        "lending",
        "one row per loan",
        "Every loan the bank issued.",
        (
            col("loan_id", "VARCHAR", "Unique loan identifier."),
            ref("customer_id", "customers.customer_id", "Borrower."),
            col("loan_type", "VARCHAR", "Kind of loan.", allowed=LOAN_TYPES),
            money("principal", "Amount lent."),
            col("interest_rate", "DOUBLE", "Yearly interest rate as a fraction (0.065 = 6.5%).", minimum=0, maximum=1),
            col("term_months", "INTEGER", "Contractual length in months.", minimum=1),
            col("issue_date", "DATE", "Date the money was paid out."),
            col("maturity_date", "DATE", "Contractual end date."),
            col("status", "VARCHAR", "Where the loan stands today.", allowed=LOAN_STATUSES),
            col("status_date", "DATE", "Date the loan was closed or defaulted; empty while active.", required=False),
            col("region", "VARCHAR", "Region of the issuing branch."),
            col("branch", "VARCHAR", "Issuing branch.", required=False),
            ref("officer_id", "employees.employee_id", "Employee who issued the loan.", required=False),
        ),
        ("loan_id",),
        date_column="issue_date",
    ),
    Table(
        "card_transactions",
        "cards",
        "one row per card transaction",
        "Card purchases and withdrawals by customers.",
        (
            col("transaction_id", "VARCHAR", "Unique transaction identifier."),
            ref("customer_id", "customers.customer_id", "Card holder."),
            col("transaction_at", "TIMESTAMP", "When the transaction was made."),
            money("amount", "Transaction amount."),
            col("merchant_category", "VARCHAR", "Business category of the merchant, e.g. Groceries, Travel."),
            col("channel", "VARCHAR", "How the card was used (In-store, Online, Contactless, ATM)."),
            col("status", "VARCHAR", "Outcome of the authorisation.", allowed=CARD_STATUSES),
        ),
        ("transaction_id",),
        date_column="transaction_at",
    ),
    Table(
        "service_interactions",
        "service",
        "one row per customer contact",
        "Every contact a customer had with customer service, on any channel.",
        (
            col("interaction_id", "VARCHAR", "Unique contact identifier."),
            ref("customer_id", "customers.customer_id", "Customer who made contact."),
            col("opened_at", "TIMESTAMP", "When the contact started."),
            col("closed_at", "TIMESTAMP", "When the contact was closed; empty while open.", required=False),
            col("channel", "VARCHAR", "Contact channel (Phone, Chat, Email, Branch, Web)."),
            col("reason", "VARCHAR", "Why the customer made contact, e.g. Complaint, Fees, Technical Support."),
            col("duration_minutes", "DOUBLE", "Handling time in minutes.", minimum=0),
            col("satisfaction", "DOUBLE", "Satisfaction score the customer gave, 1 (worst) to 5 (best).",
                required=False, minimum=1, maximum=5),
            col("resolution_status", "VARCHAR", "How the contact ended.", allowed=RESOLUTION_STATUSES),
            ref("agent_id", "employees.employee_id", "Agent who handled the contact.", required=False),
            ref("product_id", "products.product_id", "Product the contact was about, if any.", required=False),
        ),
        ("interaction_id",),
        date_column="opened_at",
    ),
    Table(
        "engagement_events",
        "digital",
        "one row per digital session",
        "Sessions customers had on the web site, mobile app and other digital channels.",
        (
            col("event_id", "VARCHAR", "Unique session identifier."),
            ref("customer_id", "customers.customer_id", "Customer who was signed in."),
            col("event_at", "TIMESTAMP", "When the session started."),
            col("action_type", "VARCHAR", "Main thing done in the session, e.g. View Balance, Transfer."),
            col("device", "VARCHAR", "Device used (Mobile App, Desktop, Tablet, Voice Assistant)."),
            col("session_seconds", "INTEGER", "Length of the session in seconds.", minimum=0),
            col("pages_viewed", "INTEGER", "Pages or screens viewed.", minimum=0),
            col("actions_taken", "INTEGER", "Actions completed (payments, transfers, trades...).", minimum=0),
        ),
        ("event_id",),
        date_column="event_at",
    ),
    Table(
        "churn_events",
        "customers",
        "one row per customer x product exit",
        "Each time a customer left a product, with why and what they were worth.",
        (
            col("churn_id", "VARCHAR", "Unique exit identifier."),
            ref("customer_id", "customers.customer_id", "Customer who left."),
            ref("product_id", "products.product_id", "Product left."),
            ref("account_id", "enrollments.account_id", "Account closed by the exit.", required=False),
            col("churn_date", "DATE", "Date the customer left the product."),
            col("reason", "VARCHAR", "Main reason given, e.g. High Fees, Service Issue, Better Competitor."),
            col("exit_survey_score", "DOUBLE", "Exit survey score, 1 to 5.", required=False, minimum=1, maximum=5),
            col("recovered", "BOOLEAN", "Whether the customer was won back afterwards."),
            money("lifetime_value", "Revenue earned from the customer on this product over its life."),
        ),
        ("churn_id",),
        date_column="churn_date",
    ),
    Table(
        "risk_assessments",
        "risk",
        "one row per customer per assessment date",
        "Periodic credit risk assessments of customers.",
        (
            col("assessment_id", "VARCHAR", "Unique assessment identifier."),
            ref("customer_id", "customers.customer_id", "Customer assessed."),
            col("assessed_on", "DATE", "Date of the assessment."),
            col("credit_score", "INTEGER", "Credit score, 300 to 850.", minimum=300, maximum=850),
            col("default_probability", "DOUBLE", "Estimated 12-month probability of default (0 to 1).",
                minimum=0, maximum=1),
            col("risk_level", "VARCHAR", "Risk level assigned.", allowed=RISK_LEVELS),
        ),
        ("assessment_id",),
        date_column="assessed_on",
    ),
    Table(
        "fraud_cases",
        "risk",
        "one row per fraud case",
        "Card transactions flagged as possible fraud and the investigation that followed.",
        (
            col("case_id", "VARCHAR", "Unique case identifier."),
            ref("transaction_id", "card_transactions.transaction_id", "Transaction flagged.", required=False),
            ref("customer_id", "customers.customer_id", "Customer whose card was used."),
            col("flagged_date", "DATE", "Date the case was opened."),
            money("amount", "Amount at stake."),
            col("status", "VARCHAR", "Where the investigation stands.", allowed=FRAUD_STATUSES),
            col("closed_date", "DATE", "Date the case was closed; empty while open.", required=False),
        ),
        ("case_id",),
        date_column="flagged_date",
    ),
    Table(
        "marketing_campaigns",
        "marketing",
        "one row per campaign",
        "Marketing campaigns: who they targeted, when, and what they cost.",
        (
            col("campaign_id", "VARCHAR", "Unique campaign identifier."),
            col("campaign_name", "VARCHAR", "Campaign name."),
            col("channel", "VARCHAR", "Main channel (Email, SMS, Direct Mail, Social, Phone)."),
            col("target_segment", "VARCHAR", "Customer segment targeted.", allowed=SEGMENTS, required=False),
            col("start_date", "DATE", "First day of the campaign."),
            col("end_date", "DATE", "Last day of the campaign."),
            money("budget", "Budget spent."),
        ),
        ("campaign_id",),
        date_column="start_date",
    ),
    Table(
        "campaign_contacts",
        "marketing",
        "one row per campaign x customer contacted",
        "Customers contacted by each campaign and how they responded.",
        (
            ref("campaign_id", "marketing_campaigns.campaign_id", "Campaign."),
            ref("customer_id", "customers.customer_id", "Customer contacted."),
            col("contacted_date", "DATE", "Date the customer was contacted."),
            col("responded", "BOOLEAN", "Whether the customer responded."),
            col("converted", "BOOLEAN", "Whether the customer bought the offer."),
            money("revenue", "Revenue attributed to the conversion (0 when not converted)."),
        ),
        ("campaign_id", "customer_id"),
        date_column="contacted_date",
    ),
    Table(
        "expenses",
        "operations",
        "one row per expense line",
        "Operating expenses booked by department, category and region.",
        (
            col("expense_id", "VARCHAR", "Unique expense line identifier."),
            col("expense_date", "DATE", "Booking date."),
            col("department", "VARCHAR", "Department that spent."),
            col("category", "VARCHAR", "Expense category, e.g. Salaries, Marketing, Technology."),
            col("region", "VARCHAR", "Region the cost is booked to."),
            money("amount", "Amount spent."),
        ),
        ("expense_id",),
        date_column="expense_date",
    ),
    Table(
        "market_data",
        "wealth",
        "one row per trading day",
        "Market indices and macroeconomic rates used as benchmarks.",
        (
            col("trade_date", "DATE", "Trading day."),
            col("equity_index", "DOUBLE", "Equity index closing level.", minimum=0),
            col("bond_index", "DOUBLE", "Bond index closing level.", minimum=0),
            col("inflation_rate", "DOUBLE", "Yearly inflation rate as a fraction."),
            col("prime_rate", "DOUBLE", "Prime lending rate as a fraction."),
            col("unemployment_rate", "DOUBLE", "Unemployment rate as a fraction."),
        ),
        ("trade_date",),
        date_column="trade_date",
    ),
    Table(
        "billing_groups",
        "receivables",
        "one row per billing group",
        "Groups of customers billed together, with the address bills and reminders go to.",
        (
            col("billing_group_id", "VARCHAR", "Unique billing group identifier."),
            col("group_name", "VARCHAR", "Name of the billing group."),
            col("billing_email", "VARCHAR", "E-mail address reminders are sent to.", required=False),
            ref("collector_id", "employees.employee_id", "Collector responsible for the group.", required=False),
        ),
        ("billing_group_id",),
    ),
    Table(
        "bills",
        "receivables",
        "one row per bill",
        "Receivables: every bill issued to a customer.",
        (
            col("bill_id", "VARCHAR", "Unique bill identifier."),
            ref("customer_id", "customers.customer_id", "Customer billed."),
            ref("billing_group_id", "billing_groups.billing_group_id", "Billing group billed.", required=False),
            col("sales_channel", "VARCHAR", "Sales channel the bill belongs to."),
            col("sales_subchannel", "VARCHAR", "Subchannel within the sales channel.", required=False),
            col("location", "VARCHAR", "Location (branch or area) the bill belongs to."),
            col("issue_date", "DATE", "Date the bill was issued."),
            col("due_date", "DATE", "Date payment is due."),
            money("amount", "Amount billed."),
        ),
        ("bill_id",),
        date_column="due_date",
    ),
    Table(
        "payments",
        "receivables",
        "one row per payment",
        "Payments received from customers. The bill is often unknown; payments are then allocated oldest bill first.",
        (
            col("payment_id", "VARCHAR", "Unique payment identifier."),
            ref("customer_id", "customers.customer_id", "Customer who paid."),
            ref("bill_id", "bills.bill_id", "Bill the payment was made for, when known.", required=False),
            col("payment_date", "DATE", "Date the money was received."),
            money("amount", "Amount received."),
            col("method", "VARCHAR", "Payment method, e.g. Direct Debit, Card, Bank Transfer."),
        ),
        ("payment_id",),
        date_column="payment_date",
    ),
    Table(
        "collection_actions",
        "receivables",
        "one row per collection action",
        "What the collections team did to recover overdue bills: reminders, calls, arrangements.",
        (
            col("action_id", "VARCHAR", "Unique action identifier."),
            ref("customer_id", "customers.customer_id", "Customer the action was about."),
            ref("bill_id", "bills.bill_id", "Bill the action was about, when it was about one bill.", required=False),
            col("action_at", "TIMESTAMP", "When the action was taken."),
            col("action_type", "VARCHAR", "What was done.", allowed=COLLECTION_ACTION_TYPES),
            col("performed_by", "VARCHAR", "User or employee who took the action."),
            col("outcome", "VARCHAR", "What came of it, e.g. Promised to pay, No answer.", required=False),
        ),
        ("action_id",),
        date_column="action_at",
    ),
)

TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}

DOMAINS: dict[str, str] = {
    "customers": "Customers and churn",
    "wealth": "Wealth and products",
    "lending": "Lending",
    "cards": "Card spending",
    "service": "Customer service",
    "digital": "Digital engagement",
    "risk": "Credit risk and fraud",
    "marketing": "Marketing campaigns",
    "operations": "Operations",
    "receivables": "Receivables and collections",
}


def table(name: str) -> Table:
    try:
        return TABLES_BY_NAME[name]
    except KeyError:
        raise KeyError(f"no contract table named {name!r}; known: {', '.join(TABLES_BY_NAME)}") from None


def foreign_keys() -> list[tuple[Table, Column]]:
    """Every (table, column) pair that references another table, in contract order."""
    return [(t, c) for t in TABLES for c in t.columns if c.references]


def create_table_sql(t: Table) -> str:
    """DDL for an empty contract table. Identifiers come from the contract, never from users."""
    columns = ", ".join(f'"{c.name}" {c.type}' for c in t.columns)
    return f'create table "{t.name}" ({columns})'
