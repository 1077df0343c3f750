"""The terms of the police complaints procedure, as plain functions.

Legal basis: Politiewet 2012 art. 67–72 and the police complaints regulation, which replace
the general terms of the Awb (art. 9:11) for the police, and Awb art. 9:8–9:15 where they
apply:

* decide within **10 weeks** of receipt, or **14 weeks** when the complaints committee is
  asked for advice;
* the term may be extended once by **4 weeks**, with written notice; any further
  postponement only with the complainant's **written consent** (Awb 9:11(2)–(3));
* conduct that took place **more than a year** before the complaint was submitted need not
  be handled; the complainant is told so in writing within **4 weeks** of receipt
  (Awb 9:8(1)(b) and (2));
* the decision names the **National Ombudsman** and the term to go there: a request must be
  made within **one year** after the police decided on the complaint (Wet Nationale
  ombudsman art. 12(2)).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from vik.workdays import add_months, add_weeks

if TYPE_CHECKING:
    from complaints.models import Complaint

DECISION_WEEKS = 10
DECISION_WEEKS_WITH_COMMITTEE = 14
EXTENSION_WEEKS = 4
NOT_TAKEN_UP_LETTER_WEEKS = 4
CONDUCT_AGE_LIMIT_MONTHS = 12
OMBUDSMAN_TERM_MONTHS = 12
# The handler is reminded this many days before the decision is due.
REMINDER_DAYS_BEFORE = 7

OMBUDSMAN_ADDRESS = "De Nationale ombudsman, Postbus 93122, 2509 AC Den Haag"
OMBUDSMAN_WEBSITE = "www.nationaleombudsman.nl"


def statutory_deadline(complaint: Complaint) -> datetime.date:
    """The decision deadline from receipt, with the committee and the 4-week extension."""
    weeks = DECISION_WEEKS_WITH_COMMITTEE if complaint.committee_requested_on else DECISION_WEEKS
    deadline = add_weeks(complaint.received_on, weeks)
    if complaint.extended_on:
        deadline = add_weeks(deadline, EXTENSION_WEEKS)
    return deadline


def decision_deadline(complaint: Complaint) -> datetime.date:
    """The date the decision is due: the statutory term, or later with written consent."""
    deadline = statutory_deadline(complaint)
    if complaint.consent_deadline and complaint.consent_deadline > deadline:
        return complaint.consent_deadline
    return deadline


def not_taken_up_letter_due(complaint: Complaint) -> datetime.date:
    """The last day to tell the complainant that old conduct will not be handled."""
    return add_weeks(complaint.received_on, NOT_TAKEN_UP_LETTER_WEEKS)


def conduct_is_too_old(*, conduct_on: datetime.date, received_on: datetime.date) -> bool:
    """Whether the conduct took place more than a year before the complaint was received."""
    return conduct_on < add_months(received_on, -CONDUCT_AGE_LIMIT_MONTHS)


def ombudsman_deadline(decided_on: datetime.date) -> datetime.date:
    """The last day the complainant can ask the National Ombudsman to investigate."""
    return add_months(decided_on, OMBUDSMAN_TERM_MONTHS)
