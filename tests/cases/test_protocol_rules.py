"""The protocol rules of issue 12: deputy commissioners, what the reporter is told, seed 004's
conditions on special methods, refusals reported to the manager, letters that keep their final
text, the report handed over as a document, the written assignment, calendar files and
confirmation before irreversible steps."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import documents, protocol, selectors, services, tasks
from cases.models import (
    CaseStatus,
    Channel,
    DeliveryMethod,
    Evidence,
    Investigation,
    LetterKind,
    MethodKind,
    ReporterNotice,
    ReportRender,
    SearchPresence,
    TriageDecision,
)
from tests.cases.builders import Flow
from tests.cases.test_documents import pages_of
from tests.factories import EmployeeFactory
from vik import services as core
from vik.models import Notification
from vik.roles import Role

pytestmark = pytest.mark.django_db


def client_of(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def refused(call: Any, **kwargs: Any) -> str | None:
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.code


# --- The alternate commissioner -----------------------------------------------------------


def test_a_report_no_commissioner_can_see_is_refused_with_whom_to_appoint(flow: Flow) -> None:
    head_employee = flow.world.employee_of(Role.VIK_HEAD)
    with pytest.raises(ValidationError) as error:
        flow.reported(concerned_employees=[head_employee])
    assert error.value.code == "no_commissioner"
    message = error.value.messages[0]
    assert "Eenheid Amsterdam" in message
    assert "plaatsvervangend opdrachtgever" in message.lower()
    assert not selectors.Case.objects.exists()


def test_the_deputy_takes_over_only_where_the_head_is_a_party(flow: Flow, deputy: User) -> None:
    head_employee = flow.world.employee_of(Role.VIK_HEAD)
    about_head = flow.reported(concerned_employees=[head_employee])
    ordinary = services.register_report(
        channel=Channel.INTERNAL,
        summary="Een andere melding.",
        concerned_employees=[flow.world.subject],
        acting_user=flow.investigator,
    )
    assert list(selectors.commissioners_of(about_head)) == [deputy]
    as_deputy = selectors.cases_as_commissioner(user=deputy)
    assert as_deputy.filter(pk=about_head.pk).exists()
    assert not as_deputy.filter(pk=ordinary.pk).exists()  # the head can act there
    assert Notification.objects.filter(recipient=deputy, subject__contains=about_head.reference)
    # The deputy triages it; the head cannot even see it.
    services.triage_report(
        case=about_head,
        decision=TriageDecision.NO_ACTION,
        reasons="Geen concrete aanwijzingen.",
        criteria={c.code: False for c in services.active_criteria()},
        acting_user=deputy,
    )
    assert not selectors.cases_visible_to(user=flow.head).filter(pk=about_head.pk).exists()


def test_a_conflict_of_the_head_hands_the_case_to_the_deputy(flow: Flow, deputy: User) -> None:
    case = flow.reported()
    assert not selectors.cases_as_commissioner(user=deputy).filter(pk=case.pk).exists()
    core.declare_conflict(
        user=flow.head, employee=flow.world.subject, reason="zwager", acting_user=flow.head
    )
    assert selectors.cases_as_commissioner(user=deputy).filter(pk=case.pk).exists()
    page = client_of(deputy).get(reverse("cases:case_detail", args=[case.pk]))
    assert "plaatsvervangend opdrachtgever" in page.content.decode().lower()


def test_the_roles_read_with_the_case_are_those_of_the_selectors(flow: Flow, deputy: User) -> None:
    """:func:`selectors.with_roles_of` answers in the case's own query what
    ``cases_as_commissioner``, ``cases_as_investigator`` and the deputy rule (commissioner,
    and no head of VIK over the unit who is not excluded) answer with a query each."""
    from cases.models import Case
    from vik.roles import UnitScope
    from vik.selectors import unit_ids_in_scope

    ordinary = flow.issued()
    other = EmployeeFactory(unit=flow.world.units["AM"], team=flow.world.units["AM-D1-T2"])
    deputised = services.register_report(
        channel=Channel.INTERNAL,
        summary="Een melding over een zwager van het hoofd.",
        concerned_employees=[other],
        acting_user=flow.investigator,
    )
    core.declare_conflict(user=flow.head, employee=other, reason="zwager", acting_user=flow.head)
    users = [flow.head, deputy, flow.investigator, flow.second]
    seen = set()
    for user in users:
        for case in selectors.with_roles_of(selectors.cases_visible_to(user=user), user=user):
            commissioner = selectors.cases_as_commissioner(user=user).filter(pk=case.pk).exists()
            regular_head = (
                Case.objects.filter(
                    pk=case.pk, unit_id__in=unit_ids_in_scope(user=user, scopes=UnitScope.HEAD)
                )
                .exclude(id__in=selectors.excluded_case_ids(user=user))
                .exists()
            )
            investigator = selectors.cases_as_investigator(user=user).filter(pk=case.pk).exists()
            assert selectors.roles_in(case) == selectors.CaseRoles(
                commissioner=commissioner,
                deputy=commissioner and not regular_head,
                investigator=investigator,
            )
            seen.add((user.pk, case.pk, selectors.roles_in(case)))
    assert (flow.head.pk, ordinary.pk, selectors.CaseRoles(True, False, False)) in seen
    assert (deputy.pk, deputised.pk, selectors.CaseRoles(True, True, False)) in seen
    assert (flow.investigator.pk, ordinary.pk, selectors.CaseRoles(False, False, True)) in seen
    assert not any(user == flow.head.pk and case == deputised.pk for user, case, _ in seen)


def test_naming_the_only_commissioner_as_a_party_is_refused(flow: Flow) -> None:
    case = flow.reported()
    head_employee = flow.world.employee_of(Role.VIK_HEAD)
    assert (
        refused(
            services.add_party,
            case=case,
            employee=head_employee,
            role="named",
            acting_user=flow.head,
        )
        == "no_commissioner"
    )
    assert not case.parties.filter(employee=head_employee).exists()


def test_a_deputy_must_be_a_head_of_vik(flow: Flow) -> None:
    from cases.models import CommissionerDeputy

    deputy = CommissionerDeputy(unit=flow.world.units["AM"], user=flow.investigator)
    with pytest.raises(ValidationError):
        deputy.full_clean()


# --- What the reporter is told ------------------------------------------------------------


def test_the_whistleblower_acknowledgement_names_the_lmm_and_the_options(flow: Flow) -> None:
    case = flow.reported(
        channel=Channel.WHISTLEBLOWER,
        reporter_identity=services.ReporterDetails(name="Karel Klokkenluider"),
    )
    text = services.draft_notice_text(case, ReporterNotice.Kind.WB_ACKNOWLEDGEMENT)
    assert "Landelijk Meldpunt Misstanden (LMM)" in text
    assert "Huis voor Klokkenluiders" in text
    assert "Karel Klokkenluider" in text
    assert flow.world.subject.full_name not in text
    notice = services.acknowledge_whistleblower_report(
        case=case, on=flow.today, acting_user=flow.head
    )
    assert notice.text == text
    case.refresh_from_db()
    assert case.acknowledged_on == flow.today


def test_a_reporter_hears_it_was_taken_up_only_when_that_cannot_tip_anyone_off(
    flow: Flow,
) -> None:
    flow.reported(reporter_identity=services.ReporterDetails(name="Anna Melder"))
    assert flow.case is not None
    taken_up = ReporterNotice.Kind.TAKEN_UP
    record = services.record_reporter_notice
    args = {"kind": taken_up, "sent_on": flow.today, "acting_user": flow.head}
    assert refused(record, case=flow.case, **args) == "not_triaged"
    flow.issued()
    # Investigating, but the person concerned has not been informed in writing: not yet.
    assert refused(record, case=flow.case, **args) == "would_tip_off"
    assert taken_up not in services.notices_due(flow.case)
    flow.started()
    assert taken_up in services.notices_due(flow.case)
    notice = record(case=flow.case, **args)
    assert "in behandeling" in notice.text
    assert flow.world.subject.full_name not in notice.text
    assert refused(record, case=flow.case, **args) == "recorded"
    # How it ended: only once the case is closed.
    outcome = {**args, "kind": ReporterNotice.Kind.OUTCOME}
    assert refused(record, case=flow.case, **outcome) == "not_closed"


def test_a_covert_investigation_is_not_told_to_the_reporter(flow: Flow) -> None:
    from vik.transparency.models import DisclosureDeferral

    flow.reported(reporter_identity=services.ReporterDetails(name="Anna Melder"))
    case = flow.started()
    DisclosureDeferral.objects.create(
        employee=flow.world.subject,
        category="cases.investigations",
        reason="Heimelijk onderzoek",
        ends_on=flow.today + datetime.timedelta(days=30),
        created_by=flow.head,
    )
    assert (
        refused(
            services.record_reporter_notice,
            case=case,
            kind=ReporterNotice.Kind.TAKEN_UP,
            sent_on=flow.today,
            acting_user=flow.head,
        )
        == "would_tip_off"
    )


@pytest.mark.parametrize(
    ("object_type", "same_case", "tips_off"),
    [
        ("cases.case", True, True),
        ("cases.investigation", True, True),
        ("cases.case", False, False),  # another case's deferral says nothing about this one
        ("cases.investigation", False, False),
    ],
)
def test_a_deferral_of_the_case_or_its_investigation_is_not_told_either(
    flow: Flow, object_type: str, same_case: bool, tips_off: bool
) -> None:
    from vik.transparency.models import DisclosureDeferral

    flow.reported(reporter_identity=services.ReporterDetails(name="Anna Melder"))
    case = flow.started()
    DisclosureDeferral.objects.create(
        employee=flow.world.subject,
        category="cases.investigations",
        object_type=object_type,
        object_id=str(case.pk if same_case else case.pk + 1000),
        reason="Heimelijk onderzoek",
        ends_on=flow.today + datetime.timedelta(days=30),
        created_by=flow.head,
    )
    due = services.notices_due(case, kinds=(ReporterNotice.Kind.TAKEN_UP,))
    assert due == ([] if tips_off else [ReporterNotice.Kind.TAKEN_UP])


def test_whether_the_reporter_may_be_told_reads_each_persons_deferrals_once(
    flow: Flow, django_assert_num_queries: Any
) -> None:
    """Two persons concerned, both informed in writing, neither deferred: the persons
    concerned, the investigation, the notification letters, and one read of the deferrals in
    force per person — for the case and its investigation at once."""
    from vik.transparency import disclosure

    other = EmployeeFactory(unit=flow.world.units["AM"], team=flow.world.units["AM-D1-T2"])
    flow.reported(
        reporter_identity=services.ReporterDetails(name="Anna Melder"),
        concerned_employees=[flow.world.subject, other],
    )
    case = flow.started()  # the first person concerned notified
    letter = services.draft_letter(
        case=case, kind=LetterKind.NOTIFICATION, recipient=other, acting_user=flow.investigator
    )
    services.mark_letter_sent(
        letter=letter,
        sent_on=flow.today,
        delivery=DeliveryMethod.BY_HAND,
        acting_user=flow.investigator,
    )
    taken_up = ReporterNotice.Kind.TAKEN_UP
    with (
        mock.patch.object(disclosure, "deferral_set", wraps=disclosure.deferral_set) as read,
        django_assert_num_queries(3 + 2),
    ):
        due = services.notices_due(case, kinds=(taken_up,), recorded=set(), has_reporter=True)
    assert due == [taken_up]
    assert sorted(call.args[0].pk for call in read.call_args_list) == sorted(
        [flow.world.subject.pk, other.pk]
    )


def test_how_it_ended_after_closing_without_the_outcome_for_the_person(flow: Flow) -> None:
    flow.reported(reporter_identity=services.ReporterDetails(name="Anna Melder"))
    case = flow.triaged(TriageDecision.NO_ACTION)
    notice = services.record_reporter_notice(
        case=case, kind=ReporterNotice.Kind.OUTCOME, sent_on=flow.today, acting_user=flow.head
    )
    assert "geen verdere actie" in notice.text
    assert flow.world.subject.full_name not in notice.text
    # Only the commissioner sees it, and prints it.
    assert selectors.reporter_notices_visible_to(user=flow.head).filter(pk=notice.pk).exists()
    assert not selectors.reporter_notices_visible_to(user=flow.investigator).exists()
    pdf = client_of(flow.head).get(reverse("cases:reporter_notice_pdf", args=[case.pk, notice.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_an_anonymous_report_has_nobody_to_tell(flow: Flow) -> None:
    flow.reported(channel=Channel.ANONYMOUS)
    case = flow.triaged(TriageDecision.NO_ACTION)
    assert services.notices_due(case) == []


# --- Seed 004: conditions on the special methods -------------------------------------------


def _propose(flow: Flow, kind: MethodKind, **kwargs: Any) -> Any:
    return services.propose_method(
        case=flow.case,
        kind=kind,
        description="d",
        proportionality="p",
        subsidiarity="s",
        acting_user=flow.investigator,
        **kwargs,
    )


def _works_council(flow: Flow, method: Any) -> None:
    services.record_method_notices(
        method=method,
        works_council_chair_informed_on=flow.today,
        works_council_chair_name="Voorzitter OR",
        acting_user=flow.investigator,
    )


@pytest.mark.parametrize(
    "kind", [MethodKind.TELECOM_MESSAGES, MethodKind.INTERNET_USE, MethodKind.PHONE_RECORDS]
)
def test_telecommunication_only_on_suspected_misuse_and_after_prior_notice(
    flow: Flow, kind: MethodKind
) -> None:
    flow.started()
    with pytest.raises(ValidationError) as error:
        _propose(flow, kind)
    assert error.value.code == "no_telecom_misuse"
    method = _propose(flow, kind, suspected_telecom_misuse="Doorsturen van mail naar buiten.")
    with pytest.raises(ValidationError) as error:
        services.decide_method(method=method, consent=True, acting_user=flow.head)
    assert error.value.code == "no_prior_notice"
    services.record_method_notices(
        method=method,
        works_council_chair_informed_on=None,
        prior_notice_on=datetime.date(2020, 1, 6),
        prior_notice_how="Gedragscode e-mail en internet, ondertekend.",
        acting_user=flow.investigator,
    )
    services.decide_method(method=method, consent=True, acting_user=flow.head)
    assert flow.case is not None
    step = next(s for s in protocol.checklist(flow.case.investigation) if "telecom" in str(s.label))
    assert step.done


def test_a_workplace_search_needs_a_written_invitation_and_a_record_of_presence(
    flow: Flow,
) -> None:
    case = flow.started()
    search = _propose(flow, MethodKind.WORKPLACE_SEARCH)
    _works_council(flow, search)
    services.decide_method(method=search, consent=True, acting_user=flow.head)
    start = services.start_method
    args = {"method": search, "on": flow.today, "acting_user": flow.investigator}
    assert refused(start, **args) == "no_search_invitation"
    letter = services.draft_letter(
        case=case,
        kind=LetterKind.SEARCH_INVITATION,
        recipient=flow.world.subject,
        method=search,
        acting_user=flow.investigator,
    )
    assert "aanwezig" in letter.body
    services.mark_letter_sent(
        letter=letter, sent_on=flow.today, delivery=DeliveryMethod.BY_HAND, acting_user=flow.head
    )
    assert refused(start, **args) == "no_presence"
    step = next(s for s in protocol.checklist(case.investigation) if "werkplek" in str(s.label))
    assert not step.done
    search = start(
        **args, presence=SearchPresence.DECLINED, presence_note="Wilde er niet bij zijn."
    )
    assert search.search_presence == SearchPresence.DECLINED
    step = next(s for s in protocol.checklist(case.investigation) if "werkplek" in str(s.label))
    assert step.done


def test_observation_is_limited_to_working_time_unless_a_reason_is_given(flow: Flow) -> None:
    flow.started()
    with pytest.raises(ValidationError) as error:
        _propose(flow, MethodKind.OBSERVATION, outside_working_time=True)
    assert error.value.code == "outside_working_time"
    within = _propose(flow, MethodKind.OBSERVATION)
    assert not within.outside_working_time
    outside = _propose(
        flow,
        MethodKind.OBSERVATION,
        outside_working_time=True,
        outside_working_time_reason="Vermoeden van onverenigbare nevenwerkzaamheden.",
    )
    assert outside.outside_working_time_reason
    assert flow.case is not None
    labels = [str(s.label) for s in protocol.checklist(flow.case.investigation)]
    assert "Observatie beperkt tot werktijd" in labels


# --- Refusals to cooperate ----------------------------------------------------------------


def test_an_employees_refusal_is_reported_to_their_own_manager(flow: Flow) -> None:
    chief = flow.world.user(Role.TEAM_CHIEF)
    teammate = EmployeeFactory(
        unit=flow.world.units["AM"], team=flow.world.units["AM-D1-T1"], last_name="Teamgenoot"
    )
    interview = flow.scheduled(interviewee=teammate)
    interview = services.record_interview_refused(
        interview=interview, reason="Wil niet meewerken.", acting_user=flow.investigator
    )
    assert interview.manager_informed_on == flow.today
    message = Notification.objects.get(recipient=chief)
    assert teammate.full_name in message.body
    assert flow.case is not None
    assert flow.case.reference in message.body
    assert flow.world.subject.full_name not in message.body  # never whom the case is about
    assert Notification.objects.filter(recipient=flow.head).exists()  # and the commissioner


def test_without_a_known_manager_the_refusal_must_be_recorded_before_the_hearing(
    flow: Flow,
) -> None:
    interview = flow.scheduled()  # the colleague: no team chief of theirs in VIK
    interview = services.record_interview_refused(
        interview=interview, reason="Geen zin.", acting_user=flow.investigator
    )
    assert interview.manager_informed_on is None
    assert flow.case is not None
    investigation = flow.case.investigation
    assert protocol.refusals_not_reported(investigation) == [interview.interviewee_name]
    services.save_findings(
        case=flow.case, findings="Bevindingen.", conclusion="", acting_user=flow.investigator
    )
    with pytest.raises(ValidationError) as error:
        services.offer_hearing(case=flow.case, offered_on=flow.today, acting_user=flow.investigator)
    assert "leidinggevende" in error.value.messages[0]
    services.record_refusal_reported(
        refusal=interview,
        on=flow.today,
        manager="J. Jansen, teamchef Basisteam 2",
        acting_user=flow.investigator,
    )
    assert protocol.refusals_not_reported(investigation) == []


def test_a_refused_request_for_documents_from_an_employee_reaches_their_manager(
    flow: Flow,
) -> None:
    chief = flow.world.user(Role.TEAM_CHIEF)
    teammate = EmployeeFactory(
        unit=flow.world.units["AM"], team=flow.world.units["AM-D1-T1"], last_name="Beheerder"
    )
    case = flow.started()
    request = services.request_documents(
        case=case,
        requested_from=teammate,
        description="Dienstroosters",
        requested_on=flow.today,
        acting_user=flow.investigator,
    )
    request = services.record_documents_refused(
        request=request, on=flow.today, reason="Nee.", acting_user=flow.investigator
    )
    assert request.manager_informed_on == flow.today
    assert Notification.objects.filter(recipient=chief, body__contains=teammate.full_name)


# --- Letters keep the final text ----------------------------------------------------------


def test_a_letter_recorded_as_sent_holds_the_text_it_went_out_with(flow: Flow) -> None:
    case = flow.issued()
    letter = flow.notification()
    letter = services.mark_letter_sent(
        letter=letter,
        sent_on=flow.today,
        delivery=DeliveryMethod.BY_HAND,
        body="De definitieve tekst, zoals verzonden.",
        acting_user=flow.investigator,
    )
    assert letter.body == "De definitieve tekst, zoals verzonden."
    assert case.investigation.letters.get(pk=letter.pk).sent_on == flow.today


@pytest.mark.parametrize(
    ("then", "target"), [("sent", "cases:letter_sent"), ("pdf", "cases:letter_pdf")]
)
def test_pdf_and_sent_save_the_edits_first(flow: Flow, then: str, target: str) -> None:
    case = flow.issued()
    letter = flow.notification()
    response = client_of(flow.investigator).post(
        reverse("cases:letter_edit", args=[case.pk, letter.pk]),
        {"subject": letter.subject, "body": "Aangepaste tekst, niet verloren.", "then": then},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(target, args=[case.pk, letter.pk])
    letter.refresh_from_db()
    assert letter.body == "Aangepaste tekst, niet verloren."


def test_the_sent_page_shows_the_text_that_is_recorded(flow: Flow) -> None:
    case = flow.issued()
    letter = flow.notification()
    client = client_of(flow.investigator)
    url = reverse("cases:letter_sent", args=[case.pk, letter.pk])
    page = client.get(url).content.decode()
    assert "protocol integriteitsonderzoeken" in page
    data = {"sent_on": flow.today.isoformat(), "delivery": DeliveryMethod.BY_HAND}
    assert client.post(url, data).status_code == 200  # first: what cannot be undone
    letter.refresh_from_db()
    assert letter.sent_on is None
    assert client.post(url, {**data, "confirmed": "yes"}).status_code == 302
    letter.refresh_from_db()
    assert letter.sent_on == flow.today


# --- The report handed over, the written assignment -----------------------------------------


def test_the_report_is_handed_over_as_a_document_the_commissioner_downloads(
    flow: Flow, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    flow.heard()
    assert flow.case is not None
    with (
        mock.patch.object(tasks.render_case_report, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.submit_report(case=flow.case, acting_user=flow.investigator)
    handover = ReportRender.objects.get(is_handover=True)
    delay.assert_called_once_with(handover.pk)
    assert tasks.render_case_report(handover.pk)
    handover.refresh_from_db()
    assert len(handover.sha256) == 64
    page = client_of(flow.head).get(reverse("cases:conclusion", args=[flow.case.pk]))
    download = reverse("cases:report_download", args=[flow.case.pk, handover.pk])
    assert download in page.content.decode()
    response = client_of(flow.head).get(download)
    assert response.status_code == 200
    if shutil.which("pdftotext"):
        pdf = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        pages = pages_of(pdf, tmp_path)
        for number, text in enumerate(pages, start=1):
            flat = " ".join(text.split())
            assert flat.count("Paraaf onderzoeker") == 2, number  # both investigators, every page
            assert f"pagina {number} van {len(pages)}" in flat
        assert "Ondertekening" in pages[-1]
        assert "overhandigd" in " ".join(pages[-1].split())


def test_the_written_assignment_is_a_pdf_the_commissioner_signs(flow: Flow, tmp_path: Path) -> None:
    case = flow.assigned()
    draft = documents.assignment_pdf(Investigation.objects.get(pk=case.pk))
    case = services.issue_assignment(case=case, acting_user=flow.head)
    response = client_of(flow.head).get(reverse("cases:assignment_pdf", args=[case.pk]))
    assert response.status_code == 200
    if shutil.which("pdftotext"):
        assert "nog niet verstrekt (concept)" in " ".join(
            " ".join(pages_of(draft, tmp_path)).split()
        )
        text = " ".join(" ".join(pages_of(response.content, tmp_path)).split())
        assert "Schriftelijke opdracht tot onderzoek" in text
        assert "Ondertekening door de opdrachtgever" in text
        assert flow.head.get_full_name() in text
        assert "Heeft betrokkene gegevens geraadpleegd?" in text
        assert "concept" not in text


# --- Calendar files -------------------------------------------------------------------------


def test_an_interview_in_the_calendar_says_only_the_reference_and_the_place(flow: Flow) -> None:
    interview = flow.scheduled()
    assert flow.case is not None
    response = client_of(flow.second).get(
        reverse("cases:interview_calendar", args=[flow.case.pk, interview.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    ics = response.content.decode()
    assert "BEGIN:VEVENT" in ics
    assert f"SUMMARY:{flow.case.reference}" in ics
    assert "LOCATION:Bureau VIK\\, kamer 3" in ics
    for secret in (interview.interviewee_name, "Getuigenverhoor", flow.world.subject.last_name):
        assert secret not in ics


def test_the_hearing_is_offered_with_a_time_place_invitation_and_calendar_file(
    flow: Flow,
) -> None:
    case = flow.ready_for_hearing()
    when = timezone.now() + datetime.timedelta(days=7)
    with pytest.raises(ValidationError):
        services.offer_hearing(
            case=case, offered_on=flow.today, scheduled_at=when, acting_user=flow.investigator
        )
    services.offer_hearing(
        case=case,
        offered_on=flow.today,
        scheduled_at=when,
        location="Bureau VIK, kamer 5",
        acting_user=flow.investigator,
    )
    letter = services.draft_letter(
        case=case,
        kind=LetterKind.HEARING_INVITATION,
        recipient=flow.world.subject,
        acting_user=flow.investigator,
    )
    assert "Bureau VIK, kamer 5" in letter.body
    assert "aantekeningen" in letter.body  # notes allowed, no copies
    ics = client_of(flow.investigator).get(reverse("cases:hearing_calendar", args=[case.pk]))
    assert ics.status_code == 200
    assert flow.world.subject.full_name not in ics.content.decode()
    labels = [str(s.label) for s in protocol.checklist(case.investigation)]
    assert "Uitnodiging voor het wederhoor verzonden" in labels


# --- Confirmation before irreversible steps ------------------------------------------------


def test_issuing_the_assignment_asks_for_confirmation_first(flow: Flow) -> None:
    case = flow.assigned()
    inv = Investigation.objects.get(pk=case.pk)
    data = {
        "reason": inv.reason,
        "objective": inv.objective,
        "research_questions": inv.research_questions,
        "employer_powers_consent": "on",
        "planned_methods": inv.planned_methods,
        "reporting_arrangements": inv.reporting_arrangements,
        "expected_duration_days": "30",
        "issue": "",
    }
    client = client_of(flow.head)
    url = reverse("cases:assignment", args=[case.pk])
    page = client.post(url, data)
    assert page.status_code == 200
    body = page.content.decode()
    assert "kan niet ongedaan worden gemaakt" in body
    assert "uitbreiding" in body  # what cannot be undone: only an extension changes it
    inv.refresh_from_db()
    assert inv.assignment_issued_at is None
    back = client.post(url, {**data, "back": "1"})
    assert back.status_code == 200
    assert back.context["form"]["objective"].value() == inv.objective  # nothing lost
    assert client.post(url, {**data, "confirmed": "yes"}).status_code == 302
    inv.refresh_from_db()
    assert inv.assignment_issued_at is not None


def test_sending_a_report_version_asks_for_confirmation_first(flow: Flow) -> None:
    interview = flow.interviewed()
    version = services.create_report_version(
        interview=interview, content="Verslag.", acting_user=flow.investigator
    )
    assert flow.case is not None
    url = reverse("cases:version_send", args=[flow.case.pk, version.pk])
    client = client_of(flow.investigator)
    data = {"sent_on": flow.today.isoformat()}
    assert "inhoudshash" in client.post(url, data).content.decode().lower()
    version.refresh_from_db()
    assert version.state == "draft"
    client.post(url, {**data, "confirmed": "yes"})
    version.refresh_from_db()
    assert version.state == "sent"


def test_closing_the_case_says_on_its_page_that_it_cannot_be_undone(flow: Flow) -> None:
    case = flow.ready_to_close()
    page = client_of(flow.head).get(reverse("cases:case_close", args=[case.pk]))
    body = page.content.decode()
    assert "kan niet ongedaan worden gemaakt" in body
    assert 'name="confirmed" value="yes"' in body
    assert (
        client_of(flow.head)
        .post(reverse("cases:case_close", args=[case.pk]), {"confirmed": "yes"})
        .status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


# --- Evidence upload ------------------------------------------------------------------------


def test_a_logging_extract_in_csv_is_accepted(flow: Flow) -> None:
    case = flow.issued()
    client = client_of(flow.investigator)
    url = reverse("cases:evidence_upload", args=[case.pk])
    form_page = client.get(url).content.decode()
    assert ".csv" in form_page  # the allowed types are listed before the upload
    assert 'accept="' in form_page
    extract = SimpleUploadedFile(
        "logging.csv",
        "tijdstip;gebruiker;registratie\n2026-03-01 22:14;AB1234;Jansen, P.\n".encode("cp1252"),
        content_type="text/csv",
    )
    assert client.post(url, {"file": extract, "description": "Logging BVH"}).status_code == 302
    assert Evidence.objects.get().content_type == "text/csv"


def test_a_refused_file_says_why_at_the_file_and_keeps_the_rest(flow: Flow) -> None:
    case = flow.issued()
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_of(flow.investigator).post(
        reverse("cases:evidence_upload", args=[case.pk]),
        {"file": exe, "description": "Een beschrijving die blijft staan"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "tool.exe" in " ".join(form.errors["file"])
    assert "opnieuw" in " ".join(form.errors["file"])
    assert form["description"].value() == "Een beschrijving die blijft staan"
    assert not form.non_field_errors()


# --- The checklist shows the new conditions ------------------------------------------------


def test_the_checklist_on_the_case_page_shows_refusals_and_method_conditions(
    flow: Flow,
) -> None:
    interview = flow.scheduled()
    services.record_interview_refused(
        interview=interview, reason="Geen zin.", acting_user=flow.investigator
    )
    assert flow.case is not None
    _propose(flow, MethodKind.OBSERVATION)
    page = client_of(flow.head).get(reverse("cases:case_detail", args=[flow.case.pk]))
    body = page.content.decode()
    assert "Weigeringen om mee te werken gemeld aan de opdrachtgever en de leidinggevende" in body
    assert "Observatie beperkt tot werktijd" in body
    assert interview.interviewee_name in body


# --- Retention ---------------------------------------------------------------------------


def test_the_purge_takes_the_reporter_notices_and_triage_answers_with_their_history(
    flow: Flow,
) -> None:
    from cases.models import Case, TriageCriterionAnswer
    from cases.transparency import purge_cases
    from vik.transparency.registry import PurgeRequest

    flow.reported(reporter_identity=services.ReporterDetails(name="Anna Melder"))
    case = flow.triaged(TriageDecision.NO_ACTION)
    services.record_reporter_notice(
        case=case, kind=ReporterNotice.Kind.OUTCOME, sent_on=flow.today, acting_user=flow.head
    )
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=2 * 366)
    )
    request = PurgeRequest(
        "cases.closed_no_violation", timezone.localdate() - datetime.timedelta(days=366)
    )
    assert purge_cases(request, [case.pk]).purged == 1
    for model in (ReporterNotice, TriageCriterionAnswer):
        assert not model.objects.filter(case_id=case.pk).exists(), model
        assert not model.history.filter(case_id=case.pk).exists(), model


def test_a_deputy_can_name_employees_of_the_units_they_deputise_for(
    flow: Flow, deputy: User
) -> None:
    head_employee = flow.world.employee_of(Role.VIK_HEAD)
    case = flow.reported(concerned_employees=[head_employee], named_employees=[])
    # An Amsterdam employee: not in the deputy's own unit (Den Haag).
    amsterdammer = EmployeeFactory(
        unit=flow.world.units["AM"], team=flow.world.units["AM-D1-T2"], last_name="Getuige"
    )
    response = client_of(deputy).post(
        reverse("cases:party_add", args=[case.pk]),
        {"personnel_number": amsterdammer.personnel_number, "role": "named"},
    )
    assert response.status_code == 302
    assert case.parties.filter(employee=amsterdammer).exists()
