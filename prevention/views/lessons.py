"""After-discussions of closed investigations and their lessons.

The commissioner asks for an after-discussion from here (the cases are read through
``cases.selectors`` only) and approves the lesson here; the coordinator accepts, plans the
session with the team and writes the anonymised lesson. Nobody else reaches these pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from prevention import services
from prevention.forms import AfterDiscussionForm, EmptyForm, LessonForm, ReasonForm, ReturnForm
from prevention.models import AfterDiscussion, Dilemma
from prevention.selectors import (
    after_discussions_visible_to,
    commissioned_after_discussions,
    coordinated_after_discussions,
)
from prevention.views.base import Action, ActionPostMixin, ActionsMixin
from vik.models import AccessAction, Unit, UnitAncestry
from vik.roles import Capability
from vik.selectors import has_capability
from vik.services import record_access, record_access_many
from vik.views.base import CapabilityRequiredMixin, ObjectHistoryView, ScopedDetailView

C = Capability


def _concerned(case_ids: set[int]) -> dict[int, list[int]]:
    from cases.selectors import concerned_employee_ids

    return concerned_employee_ids({case_id for case_id in case_ids if case_id})


class AfterDiscussionListView(CapabilityRequiredMixin, TemplateView):
    """The commissioner's closed investigations and after-discussions; the coordinator's too."""

    required_capability = (C.APPROVE_LESSONS, C.COORDINATE_PREVENTION)
    template_name = "prevention/after_discussion_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from cases.selectors import closed_investigations_as_commissioner

        user = self.request.user
        discussions = list(
            after_discussions_visible_to(user=user)
            .prefetch_related("lesson")
            .order_by("-requested_at")[:200]
        )
        asked = {d.case_id for d in discussions if d.status != AfterDiscussion.Status.DECLINED}
        closed = list(
            closed_investigations_as_commissioner(user=user)
            .select_related("investigation")
            .order_by("-closed_at")[:100]
        )
        shown_cases = {case.pk for case in closed} | {d.case_id for d in discussions if d.case_id}
        concerned = _concerned(shown_cases)
        record_access_many(
            actor=user,
            action=AccessAction.SEARCH,
            role=self.role,
            employees=sorted({e for ids in concerned.values() for e in ids}),
            object_type="prevention.afterdiscussion",
            query=self.request.GET.urlencode(),
        )
        return super().get_context_data(
            discussions=discussions,
            closed_cases=[(case, case.pk in asked) for case in closed],
            is_commissioner=has_capability(user, C.APPROVE_LESSONS),
            **kwargs,
        )


class AfterDiscussionCreateView(CapabilityRequiredMixin, FormView):
    """The commissioner asks for the after-discussion of one closed investigation."""

    required_capability = C.APPROVE_LESSONS
    template_name = "prevention/after_discussion_form.html"
    form_class = AfterDiscussionForm

    def get_case(self) -> Any:
        from cases.selectors import closed_investigations_as_commissioner

        if not hasattr(self, "_case"):
            case = (
                closed_investigations_as_commissioner(user=self.request.user)
                .filter(pk=self.kwargs["case_id"])
                .select_related("unit")
                .first()
            )
            if case is None:
                raise Http404
            self._case = case
        return self._case

    def get_form_kwargs(self) -> dict[str, Any]:
        from cases.selectors import concerned_teams

        case = self.get_case()
        teams = Unit.objects.filter(
            id__in=UnitAncestry.objects.filter(ancestor_id=case.unit_id).values("descendant_id"),
            kind=Unit.Kind.TEAM,
            is_active=True,
        ).order_by("name")
        kwargs = {**super().get_form_kwargs(), "teams": teams}
        concerned = concerned_teams(case)
        if concerned and "data" not in kwargs:
            kwargs["initial"] = {"team": concerned[0]}
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        case = self.get_case()
        for employee_id in _concerned({case.pk}).get(case.pk, []):
            record_access(
                actor=self.request.user,
                action=AccessAction.VIEW,
                role=self.role,
                employee=employee_id,
                obj=case,
                purpose="nabespreking",
            )
        return super().get_context_data(case=case, **kwargs)

    def form_valid(self, form: AfterDiscussionForm) -> HttpResponse:
        try:
            after_discussion = services.request_after_discussion(
                case_id=self.get_case().pk,
                team=form.cleaned_data["team"],
                brief=form.cleaned_data["brief"],
                acting_user=self.request.user,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The prevention coordinators have been asked for the after-discussion.")
        )
        return redirect("prevention:after_discussion_detail", pk=after_discussion.pk)


def _lesson(after_discussion: AfterDiscussion) -> Dilemma | None:
    try:
        return after_discussion.lesson
    except Dilemma.DoesNotExist:
        return None


ACTIONS: dict[str, Action] = {
    "accept": Action(
        EmptyForm,
        lambda obj, data, user: services.accept_after_discussion(
            after_discussion=obj, acting_user=user
        ),
        gettext_lazy("Accepted. Plan the session with the team, and write the lesson."),
    ),
    "decline": Action(
        ReasonForm,
        lambda obj, data, user: services.decline_after_discussion(
            after_discussion=obj, reason=data["reason"], acting_user=user
        ),
        gettext_lazy("Declined; the commissioner has been told."),
    ),
    "lesson": Action(
        LessonForm,
        lambda obj, data, user: services.save_lesson(
            after_discussion=obj,
            title=data["title"],
            situation=data["situation"],
            questions=data["questions"],
            rules_text=data["rules"],
            decision=data["decision"],
            kinds=data["kinds"],
            acting_user=user,
        ),
        gettext_lazy("The lesson is saved as a draft. Nobody else sees it yet."),
        form_kwargs=lambda view, obj: {"instance": _lesson(obj)},
    ),
    "submit": Action(
        EmptyForm,
        lambda obj, data, user: services.submit_lesson(lesson=obj.lesson, acting_user=user),
        gettext_lazy("The lesson is with the commissioner for approval."),
    ),
    "approve": Action(
        EmptyForm,
        lambda obj, data, user: services.approve_lesson(lesson=obj.lesson, acting_user=user),
        gettext_lazy("The lesson is approved and published in the dilemma library."),
    ),
    "return": Action(
        ReturnForm,
        lambda obj, data, user: services.return_lesson(
            lesson=obj.lesson, remarks=data["remarks"], acting_user=user
        ),
        gettext_lazy("The lesson is returned to the coordinator with your remarks."),
    ),
}


class AfterDiscussionDetailView(ActionsMixin, ScopedDetailView):
    """An after-discussion: the brief, the session with the team, the lesson and its approval."""

    required_capability = (C.COORDINATE_PREVENTION, C.APPROVE_LESSONS)
    selector = staticmethod(after_discussions_visible_to)
    template_name = "prevention/after_discussion_detail.html"
    context_object_name = "after_discussion"
    actions = ACTIONS
    detail_url_name = "prevention:after_discussion_detail"

    def log_view(self, obj: Model, *, purpose: str = "") -> None:
        # The brief is about the persons concerned of the case: one entry for each.
        case_id = getattr(obj, "case_id", None)
        concerned: list[int | None] = (
            list(_concerned({case_id}).get(case_id, [])) if case_id else []
        )
        for employee_id in concerned or [None]:
            record_access(
                actor=self.request.user,
                action=self.access_action,
                role=self.role,
                employee=employee_id,
                obj=obj,
                purpose=purpose,
            )

    def roles_here(self, obj: AfterDiscussion) -> tuple[bool, bool]:
        """(coordinates it, commissions it)."""
        if not hasattr(self, "_roles_here"):
            user = self.request.user
            self._roles_here = (
                coordinated_after_discussions(user=user).filter(pk=obj.pk).exists(),
                commissioned_after_discussions(user=user).filter(pk=obj.pk).exists(),
            )
        return self._roles_here

    def available_actions(self, obj: AfterDiscussion) -> list[str]:
        coordinates, commissions = self.roles_here(obj)
        lesson = _lesson(obj)
        names: list[str] = []
        status = AfterDiscussion.Status
        if coordinates:
            if obj.status == status.REQUESTED:
                names += ["accept", "decline"]
            editable = lesson is None or lesson.status in (
                Dilemma.Status.DRAFT,
                Dilemma.Status.RETURNED,
            )
            if obj.status == status.ACCEPTED and editable:
                names.append("lesson")
                if lesson is not None:
                    names.append("submit")
        if commissions and lesson is not None and lesson.status == Dilemma.Status.SUBMITTED:
            names += ["approve", "return"]
        return names

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        after_discussion: AfterDiscussion = self.object
        coordinates, commissions = self.roles_here(after_discussion)
        lesson = _lesson(after_discussion)
        context.update(
            today=timezone.localdate(),
            coordinates=coordinates,
            commissions=commissions,
            lesson=lesson,
            sessions=list(after_discussion.sessions.all()) if coordinates else [],
            passages=services.lesson_passages(lesson) if lesson is not None else [],
        )
        if commissions and after_discussion.case_id:
            from cases.selectors import cases_as_commissioner

            context["case_reference"] = (
                cases_as_commissioner(user=self.request.user)
                .filter(pk=after_discussion.case_id)
                .values_list("reference", flat=True)
                .first()
            )
        return context


class AfterDiscussionActionView(ActionPostMixin, AfterDiscussionDetailView):
    """POST one action on an after-discussion or its lesson."""


class AfterDiscussionHistoryView(ObjectHistoryView):
    required_capability = (C.COORDINATE_PREVENTION, C.APPROVE_LESSONS)
    selector = staticmethod(after_discussions_visible_to)

    def subject_of(self, obj: Model) -> None:
        return None
