"""The permission security suite: who sees a case, and — as important — who does not.

Personas: the commissioner (head of VIK over AM), the assigned investigator, an investigator
not assigned, the registrar, a team chief, the person concerned, someone named in the
report, the reporter, a conflicted user, a superuser, an anonymous visitor.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError

from cases import selectors, services
from cases.models import CaseStatus, Channel, DeadlineKind, TriageDecision
from tests.cases.builders import Flow, no_criteria
from tests.factories import EmployeeFactory, UserFactory
from vik import services as core
from vik.roles import Role

pytestmark = pytest.mark.django_db


def visible(user: User | AnonymousUser, case_id: int) -> bool:
    return selectors.cases_visible_to(user=user).filter(pk=case_id).exists()


def test_commissioner_and_assigned_investigators_see_an_investigation(flow: Flow) -> None:
    case = flow.issued()
    assert visible(flow.head, case.pk)
    assert visible(flow.investigator, case.pk)
    assert visible(flow.second, case.pk)


def test_an_investigator_not_assigned_does_not_see_it(flow: Flow) -> None:
    case = flow.triaged()
    services.assign_investigator(case=case, user=flow.second, acting_user=flow.head)
    # The world's investigator registered the report, but it is triaged now.
    assert not visible(flow.investigator, case.pk)
    assert visible(flow.second, case.pk)


def test_ending_an_assignment_takes_the_case_out_of_sight(flow: Flow) -> None:
    case = flow.issued()
    assignment = case.investigation.investigator_assignments.get(user=flow.second)
    services.end_investigator_assignment(
        assignment=assignment, reason="Ander onderzoek", acting_user=flow.head
    )
    assert not visible(flow.second, case.pk)


def test_the_registrar_sees_the_report_until_it_is_triaged(flow: Flow) -> None:
    case = flow.reported()
    assert visible(flow.investigator, case.pk)
    flow.triaged(TriageDecision.NO_ACTION)
    assert not visible(flow.investigator, case.pk)


def test_a_head_of_another_unit_sees_nothing(flow: Flow) -> None:
    case = flow.reported()
    other_head = UserFactory(username="hoofd-dh")
    EmployeeFactory(unit=flow.world.units["DH"], user=other_head)
    core.assign_role(
        user=other_head,
        role=Role.VIK_HEAD,
        unit=flow.world.units["DH"],
        acting_user=None,
        reason="t",
    )
    assert not visible(other_head, case.pk)


@pytest.mark.parametrize(
    "role",
    [
        Role.ANALYST,
        Role.TEAM_CHIEF,
        Role.SCREENING_OFFICER,
        Role.COMPLAINT_HANDLER,
        Role.COR_MEMBER,
        Role.PRIVACY_OFFICER,
        Role.EMPLOYEE,
        Role.ADMINISTRATOR,
    ],
)
def test_other_roles_see_no_case(flow: Flow, role: Role) -> None:
    case = flow.issued()
    assert not visible(flow.world.user(role), case.pk)


def test_superuser_and_anonymous_see_nothing(flow: Flow) -> None:
    case = flow.issued()
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert not visible(superuser, case.pk)
    assert not visible(AnonymousUser(), case.pk)


def test_the_person_concerned_never_sees_their_case(flow: Flow, deputy: User) -> None:
    # The head of VIK is the person concerned: whatever their role, the case is hidden.
    head_employee = flow.world.employee_of(Role.VIK_HEAD)
    case = flow.reported(concerned_employees=[head_employee], unit=flow.world.units["AM"])
    assert not visible(flow.head, case.pk)
    assert not selectors.cases_as_commissioner(user=flow.head).filter(pk=case.pk).exists()


def test_employees_named_in_the_intake_are_excluded_whatever_their_role(
    flow: Flow, deputy: User
) -> None:
    head_employee = flow.world.employee_of(Role.VIK_HEAD)
    case = flow.reported(named_employees=[head_employee])
    assert not visible(flow.head, case.pk)


def test_a_witness_heard_in_the_case_loses_sight_of_it(flow: Flow) -> None:
    """An investigator of another case, interviewed here as a witness, cannot see this one."""
    colleague_investigator = UserFactory(username="investigator3")
    employee = EmployeeFactory(unit=flow.world.units["AM"], user=colleague_investigator)
    core.assign_role(
        user=colleague_investigator,
        role=Role.INVESTIGATOR,
        unit=flow.world.units["AM"],
        acting_user=None,
        reason="t",
    )
    flow.started()
    assert flow.case is not None
    services.assign_investigator(case=flow.case, user=colleague_investigator, acting_user=flow.head)
    assert visible(colleague_investigator, flow.case.pk)
    flow.scheduled(interviewee=employee)
    assert not visible(colleague_investigator, flow.case.pk)


def test_an_employee_who_reported_does_not_see_the_case(flow: Flow, deputy: User) -> None:
    head_employee = flow.world.employee_of(Role.VIK_HEAD)
    case = flow.reported(
        reporter_identity=services.ReporterDetails(name="Melder", employee=head_employee)
    )
    assert not visible(flow.head, case.pk)


def test_a_conflict_of_interest_hides_the_case(flow: Flow) -> None:
    case = flow.issued()
    core.declare_conflict(
        user=flow.second, employee=flow.world.subject, reason="buurman", acting_user=flow.second
    )
    assert not visible(flow.second, case.pk)
    # ... also with a conflict about someone merely named in the report.
    core.declare_conflict(
        user=flow.head, employee=flow.world.colleague, reason="zwager", acting_user=flow.head
    )
    assert not visible(flow.head, case.pk)


def test_only_eligible_investigators_can_be_assigned(flow: Flow) -> None:
    case = flow.triaged()
    core.declare_conflict(
        user=flow.second, employee=flow.world.subject, reason="familie", acting_user=flow.second
    )
    eligible = selectors.eligible_investigators(case)
    assert flow.investigator in eligible
    assert flow.second not in eligible
    with pytest.raises(ValidationError) as refused:
        services.assign_investigator(case=case, user=flow.second, acting_user=flow.head)
    assert refused.value.code == "not_eligible"


def test_reporter_identity_is_the_commissioners_unless_the_reporter_consented(flow: Flow) -> None:
    case = flow.reported(
        channel=Channel.WHISTLEBLOWER, reporter_identity=services.ReporterDetails(name="K. Melder")
    )
    flow.issued()
    assert selectors.reporter_identities_visible_to(user=flow.head).filter(case=case).exists()
    assert not selectors.reporter_identities_visible_to(user=flow.investigator).exists()
    services.record_reporter_consent(case=case, consent_to_disclose=True, acting_user=flow.head)
    assert (
        selectors.reporter_identities_visible_to(user=flow.investigator).filter(case=case).exists()
    )


def test_complaints_and_commissioner_terms_are_hidden_from_investigators(flow: Flow) -> None:
    case = flow.reported(channel=Channel.WHISTLEBLOWER)
    flow.issued()
    services.register_complaint(
        case=case,
        received_on=flow.today,
        complainant="Raadsman",
        summary="Te snel",
        acting_user=flow.head,
    )
    assert selectors.complaints_visible_to(user=flow.head).count() == 1
    assert selectors.complaints_visible_to(user=flow.investigator).count() == 0
    head_kinds = set(selectors.deadlines_visible_to(user=flow.head).values_list("kind", flat=True))
    investigator_kinds = set(
        selectors.deadlines_visible_to(user=flow.investigator).values_list("kind", flat=True)
    )
    assert DeadlineKind.COMPLAINT_ANSWER in head_kinds
    assert DeadlineKind.WHISTLEBLOWER_ACK in head_kinds
    assert investigator_kinds == {DeadlineKind.INVESTIGATION_END}


def test_a_team_chief_sees_only_what_is_referred_back_to_them(flow: Flow) -> None:
    chief = flow.world.user(Role.TEAM_CHIEF)
    case = flow.triaged(TriageDecision.LINE, line_instruction="Bespreek de raadplegingen.")
    assert case.status == CaseStatus.WITH_LINE
    assert not visible(chief, case.pk)
    referrals = selectors.line_referrals_visible_to(user=chief)
    assert [r.employee for r in referrals] == [flow.world.subject]
    # A referral about an employee of another team is not theirs.
    other = flow.reported(concerned_employees=[flow.world.colleague], named_employees=[])
    services.triage_report(
        case=other,
        decision=TriageDecision.LINE,
        reasons="Gesprek",
        line_instruction="Bespreek het.",
        criteria=no_criteria(),
        acting_user=flow.head,
    )
    assert selectors.line_referrals_visible_to(user=chief).count() == 1
    assert selectors.line_referrals_visible_to(user=flow.investigator).count() == 0


def test_every_part_of_a_case_follows_the_case(flow: Flow) -> None:
    flow.sent_version()
    assert flow.case is not None
    outsider = flow.world.user(Role.ANALYST)
    for selector in (
        selectors.journal_entries_visible_to,
        selectors.letters_visible_to,
        selectors.interviews_visible_to,
        selectors.report_versions_visible_to,
        selectors.deadlines_visible_to,
        selectors.parties_visible_to,
    ):
        assert selector(user=flow.investigator).exists(), selector.__name__
        assert not selector(user=outsider).exists(), selector.__name__
