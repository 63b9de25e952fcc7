"""Service views: first-contact resolution, volume, satisfaction, funnel and resolution time on hand-made contacts.

The fixture, as of 2024-04-30 (customers C1 West/Retail/Mass Market, C2 East/Corporate/Affluent):

    id  customer reason opened               channel status      closed                hours  score
    I1  C1       Fees   2024-03-01 09:00:00  Phone   Resolved    2024-03-01 11:00:00   2      4     product P1
    I2  C1       Fees   2024-03-05 10:00:00  Chat    Resolved    2024-03-05 10:30:00   0.5    2     4 days after I1
    I3  C1       Fees   2024-03-12 10:00:00  Phone   Resolved    2024-03-12 13:00:00   3      -     exactly 7 days after I2
    I4  C1       Fees   2024-03-19 10:00:01  Phone   Resolved    2024-04-01 10:00:01   312    5     7 days + 1 s after I3
    I5  C1       Card   2024-03-02 09:00:00  Phone   Unresolved  (open)                -      -
    I6  C2       Fees   2024-03-03 09:00:00  Email   Resolved    2024-03-03 10:00:00   1      5
    I7  C2       Card   2024-04-10 12:00:00  Web     Resolved    2024-04-10 13:00:00   1      3
    I8  C2       Card   2024-04-10 12:00:00  Web     Resolved    2024-04-10 12:30:00   0.5    -     same time as I7

First contacts: I1, I4, I5, I6, I7 (I2 and I3 follow a same-reason contact within 7 days, the boundary included;
I8 ties with I7 and comes after it by id). Resolved at first contact: I4 and I6 only (I1 is repeated by I2, I5 is
unresolved, I7 is repeated by I8 at the same moment).
"""

from datetime import date

import pytest

from tests.factories import row, rows, warehouse

WEST = ("West", "Retail", "Mass Market")
EAST = ("East", "Corporate", "Affluent")
MARCH, APRIL = date(2024, 3, 1), date(2024, 4, 1)


def contact(interaction_id, customer_id, reason, opened_at, channel, status, closed_at, satisfaction, **extra):
    return row("service_interactions", interaction_id=interaction_id, customer_id=customer_id, reason=reason,
               opened_at=opened_at, channel=channel, resolution_status=status, closed_at=closed_at,
               satisfaction=satisfaction, **extra)


@pytest.fixture(scope="module")
def con():
    return warehouse({
        "customers": [
            row("customers", customer_id="C1", region="West", segment="Retail", wealth_tier="Mass Market"),
            row("customers", customer_id="C2", region="East", segment="Corporate", wealth_tier="Affluent"),
        ],
        "products": [row("products", product_id="P1", category="Equity Fund")],
        "service_interactions": [
            contact("I1", "C1", "Fees", "2024-03-01 09:00:00", "Phone", "Resolved", "2024-03-01 11:00:00", 4,
                    product_id="P1"),
            contact("I2", "C1", "Fees", "2024-03-05 10:00:00", "Chat", "Resolved", "2024-03-05 10:30:00", 2),
            contact("I3", "C1", "Fees", "2024-03-12 10:00:00", "Phone", "Resolved", "2024-03-12 13:00:00", None),
            contact("I4", "C1", "Fees", "2024-03-19 10:00:01", "Phone", "Resolved", "2024-04-01 10:00:01", 5),
            contact("I5", "C1", "Card", "2024-03-02 09:00:00", "Phone", "Unresolved", None, None),
            contact("I6", "C2", "Fees", "2024-03-03 09:00:00", "Email", "Resolved", "2024-03-03 10:00:00", 5),
            contact("I7", "C2", "Card", "2024-04-10 12:00:00", "Web", "Resolved", "2024-04-10 13:00:00", 3),
            contact("I8", "C2", "Card", "2024-04-10 12:00:00", "Web", "Resolved", "2024-04-10 12:30:00", None),
        ],
    }, as_of=date(2024, 4, 30))


def test_service_contacts_flags_first_contacts_and_resolution_at_first_contact(con):
    actual = rows(con, """
        select interaction_id, is_first_contact, is_resolved, is_resolved_first_contact,
               round(resolution_hours, 4), closed_month, product_category
        from service_contacts""")
    assert actual == [
        ("I1", True, True, False, 2.0, MARCH, "Equity Fund"),  # repeated by I2 four days later
        ("I2", False, True, False, 0.5, MARCH, "No product"),  # I1 four days before
        ("I3", False, True, False, 3.0, MARCH, "No product"),  # I2 exactly 7 days before: still a repeat
        ("I4", True, True, True, 312.0, APRIL, "No product"),  # I3 7 days + 1 s before; 13 days x 24 h to close
        ("I5", True, False, False, None, None, "No product"),  # other reason than I1; still open
        ("I6", True, True, True, 1.0, MARCH, "No product"),
        ("I7", True, True, False, 1.0, APRIL, "No product"),  # I8 at the same moment repeats it
        ("I8", False, True, False, 0.5, APRIL, "No product"),  # tie with I7 broken by the higher id
    ]


def test_first_contact_resolution_counts_first_contacts_and_their_resolution(con):
    actual = rows(con, "select * from first_contact_resolution_monthly")
    assert actual == [
        (MARCH, "Email", "Fees", *EAST, 1, 1, 1.0),  # I6
        (MARCH, "Phone", "Card", *WEST, 1, 0, 0.0),  # I5 unresolved
        (MARCH, "Phone", "Fees", *WEST, 2, 1, 0.5),  # I1 (repeated) and I4 (resolved): 1 / 2
        (APRIL, "Web", "Card", *EAST, 1, 0, 0.0),  # I7 repeated by I8
    ]
    # overall FCR from the parts: 2 resolved at first contact / 5 first contacts
    assert con.sql("select sum(resolved_first_contact) / sum(first_contacts) "
                   "from first_contact_resolution_monthly").fetchall() == [(0.4,)]


def test_contact_volume_counts_every_contact_with_product_category_and_repeats(con):
    actual = rows(con, "select * from contact_volume_monthly")
    assert actual == [
        (MARCH, "Chat", "Fees", "No product", *WEST, 1, 1),  # I2
        (MARCH, "Email", "Fees", "No product", *EAST, 1, 0),  # I6
        (MARCH, "Phone", "Card", "No product", *WEST, 1, 0),  # I5
        (MARCH, "Phone", "Fees", "Equity Fund", *WEST, 1, 0),  # I1
        (MARCH, "Phone", "Fees", "No product", *WEST, 2, 1),  # I3 (repeat), I4
        (APRIL, "Web", "Card", "No product", *EAST, 2, 1),  # I7, I8 (repeat)
    ]
    # every contact is either a first contact or a repeat: 8 contacts - 3 repeats = 5 first contacts
    totals = con.sql("select sum(contacts), sum(repeat_contacts) from contact_volume_monthly").fetchall()
    first_contacts = con.sql("select sum(first_contacts) from first_contact_resolution_monthly").fetchall()
    assert totals == [(8, 3)] and first_contacts == [(8 - 3,)]


def test_satisfaction_by_reason_leaves_unscored_contacts_out_of_the_average(con):
    actual = rows(con, "select * from satisfaction_by_reason_monthly")
    assert actual == [
        (MARCH, "Card", "Phone", *WEST, 1, 0, None),  # I5 gave no score
        (MARCH, "Fees", "Chat", *WEST, 1, 1, 2.0),  # I2
        (MARCH, "Fees", "Email", *EAST, 1, 1, 5.0),  # I6
        (MARCH, "Fees", "Phone", *WEST, 3, 2, 9.0),  # I1 4 + I4 5; I3 unscored
        (APRIL, "Card", "Web", *EAST, 2, 1, 3.0),  # I7 3; I8 unscored
    ]
    # average over the Fees reason: (2 + 5 + 9) / (1 + 1 + 2) = 4.0, not 16 / 5 contacts
    assert con.sql("select sum(satisfaction_sum) / sum(satisfaction_responses) from satisfaction_by_reason_monthly "
                   "where reason = 'Fees'").fetchall() == [(4.0,)]


def test_resolution_funnel_stages_are_nested(con):
    actual = rows(con, "select * from resolution_funnel_monthly")
    assert actual == [
        # contacts, resolved, resolved at first contact, first contacts
        (MARCH, "Chat", "Fees", *WEST, 1, 1, 0, 0),  # I2
        (MARCH, "Email", "Fees", *EAST, 1, 1, 1, 1),  # I6
        (MARCH, "Phone", "Card", *WEST, 1, 0, 0, 1),  # I5
        (MARCH, "Phone", "Fees", *WEST, 3, 3, 1, 2),  # I1, I3, I4; only I4 resolved at first contact
        (APRIL, "Web", "Card", *EAST, 2, 2, 0, 1),  # I7, I8
    ]
    assert con.sql("select count(*) from resolution_funnel_monthly "
                   "where not (contacts >= resolved_contacts and resolved_contacts >= resolved_first_contact)"
                   ).fetchall() == [(0,)]
    assert con.sql("select sum(contacts), sum(resolved_contacts), sum(resolved_first_contact) "
                   "from resolution_funnel_monthly").fetchall() == [(8, 7, 2)]


def test_resolution_time_counts_closed_contacts_in_their_closing_month(con):
    actual = rows(con, "select month, channel, reason, region, segment, wealth_tier, closed_contacts, "
                       "round(resolution_hours_sum, 4) from resolution_time_monthly")
    assert actual == [
        (MARCH, "Chat", "Fees", *WEST, 1, 0.5),  # I2
        (MARCH, "Email", "Fees", *EAST, 1, 1.0),  # I6
        (MARCH, "Phone", "Fees", *WEST, 2, 5.0),  # I1 2 h + I3 3 h
        (APRIL, "Phone", "Fees", *WEST, 1, 312.0),  # I4 opened in March, closed in April; I5 still open
        (APRIL, "Web", "Card", *EAST, 2, 1.5),  # I7 1 h + I8 0.5 h
    ]
    # average over everything closed: (2 + 0.5 + 3 + 312 + 1 + 1 + 0.5) h / 7 contacts
    assert con.sql("select round(sum(resolution_hours_sum) / sum(closed_contacts), 6) "
                   "from resolution_time_monthly").fetchall() == [(round(320 / 7, 6),)]
