"""The coordinator's worklist, trends, trend marks and presenters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from prevention import services, statistics
from prevention.forms import PresenterForm, TrendCloseForm, TrendMarkForm
from prevention.models import (
    AdviceRequest,
    AfterDiscussion,
    Dilemma,
    Presenter,
    SessionRequest,
    TrendMark,
)
from prevention.selectors import (
    coordinated_advice_requests,
    coordinated_after_discussions,
    coordinated_session_requests,
    presenters_visible_to,
    trend_marks_visible_to,
    trend_units,
    worklist_counters,
)
from vik.models import AccessAction, UnitAncestry
from vik.roles import Capability
from vik.selectors import has_capability
from vik.services import record_access_many
from vik.transparency.registry import Quarter
from vik.views.base import CapabilityRequiredMixin, get_visible_or_404

C = Capability
WORKLIST_ROWS = 50


class WorklistView(CapabilityRequiredMixin, TemplateView):
    """What waits for the coordinator: requests, sessions to record, questions, trends."""

    required_capability = C.COORDINATE_PREVENTION
    template_name = "prevention/worklist.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        sessions = list(
            coordinated_session_requests(user=user)
            .filter(status__in=SessionRequest.OPEN_STATUSES)
            .select_related("team", "requester", "coordinator")
            .order_by("answer_due_on", "id")[:WORKLIST_ROWS]
        )
        advice = list(
            coordinated_advice_requests(user=user)
            .filter(status__in=AdviceRequest.OPEN_STATUSES)
            .select_related("asker", "asker__team", "assigned_to")
            .order_by("answer_due_on", "id")[:WORKLIST_ROWS]
        )
        discussions = list(
            coordinated_after_discussions(user=user)
            .filter(
                Q(status=AfterDiscussion.Status.REQUESTED)
                | Q(status=AfterDiscussion.Status.ACCEPTED)
            )
            .select_related("team")
            .prefetch_related("lesson")
            .order_by("answer_due_on", "id")[:WORKLIST_ROWS]
        )
        trends = list(
            trend_marks_visible_to(user=user)
            .filter(status=TrendMark.Status.OPEN)
            .order_by("-created_at")[:WORKLIST_ROWS]
        )
        shown = {s.requester_id for s in sessions} | {a.asker_id for a in advice}
        record_access_many(
            actor=user,
            action=AccessAction.SEARCH,
            role=self.role,
            employees=sorted(e for e in shown if e is not None),
            object_type="prevention.worklist",
        )
        return super().get_context_data(
            counters=worklist_counters(user=user),
            sessions=sessions,
            advice=advice,
            discussions=discussions,
            trends=trends,
            now=timezone.now(),
            today=timezone.localdate(),
            draft_statuses=(Dilemma.Status.DRAFT, Dilemma.Status.RETURNED),
            **kwargs,
        )


class TrendsView(CapabilityRequiredMixin, TemplateView):
    """Kinds of violation per quarter in the coordinator's units, and prevention's own work."""

    required_capability = C.COORDINATE_PREVENTION
    template_name = "prevention/trends.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        # The police units first (eenheid), then their districts.
        units = sorted(trend_units(user=user), key=lambda u: (u.parent_id is not None, u.name))
        chosen = next((u for u in units if str(u.pk) == self.request.GET.get("unit")), None)
        chosen = chosen or (units[0] if units else None)
        this_year = timezone.localdate().year
        try:
            year = int(self.request.GET.get("year", this_year))
        except ValueError:
            year = this_year
        year = min(max(year, this_year - 10), this_year)
        source = self.request.GET.get("source", "")
        tables: list[statistics.KindTable] = []
        activity: list[statistics.ActivityRow] = []
        if chosen is not None:
            unit_ids = UnitAncestry.objects.filter(ancestor=chosen).values("descendant_id")
            tables = statistics.kind_tables(unit_ids=unit_ids, year=year)
            activity = statistics.activity(unit_ids=unit_ids, year=year)
        table = next((t for t in tables if t.key == source), tables[0] if tables else None)
        return super().get_context_data(
            units=units,
            unit=chosen,
            year=year,
            years=list(range(this_year, this_year - 5, -1)),
            tables=tables,
            table=table,
            activity=activity,
            quarters=Quarter.of_year(year),
            marks=trend_marks_visible_to(user=user).filter(status=TrendMark.Status.OPEN),
            **kwargs,
        )


class TrendMarkCreateView(CapabilityRequiredMixin, FormView):
    """Mark a rising kind in a unit as a trend to act on."""

    required_capability = C.COORDINATE_PREVENTION
    template_name = "prevention/trend_mark_form.html"
    form_class = TrendMarkForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        params = self.request.GET
        return {
            "unit": params.get("unit"),
            "kind": params.get("kind"),
            "year": params.get("year", today.year),
            "quarter": params.get("quarter", (today.month - 1) // 3 + 1),
        }

    def form_valid(self, form: TrendMarkForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.mark_trend(
                unit=data["unit"],
                kind=data["kind"],
                year=data["year"],
                quarter=data["quarter"],
                note=data["note"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The trend is on your worklist."))
        return redirect("prevention:worklist")


class TrendCloseView(CapabilityRequiredMixin, FormView):
    """Close a trend mark with what was done."""

    required_capability = C.COORDINATE_PREVENTION
    template_name = "prevention/trend_close_form.html"
    form_class = TrendCloseForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if has_capability(request.user, C.COORDINATE_PREVENTION):
            self.mark = get_visible_or_404(
                trend_marks_visible_to, request.user, pk=kwargs["pk"], status=TrendMark.Status.OPEN
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(mark=self.mark, **kwargs)

    def form_valid(self, form: TrendCloseForm) -> HttpResponse:
        try:
            services.close_trend(
                mark=self.mark,
                action_taken=form.cleaned_data["action_taken"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The trend is closed."))
        return redirect("prevention:worklist")


# --- Presenters -------------------------------------------------------------------------


class PresenterListView(CapabilityRequiredMixin, TemplateView):
    """The presenters kept by the coordinators of the user's units."""

    required_capability = C.COORDINATE_PREVENTION
    template_name = "prevention/presenter_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        presenters = presenters_visible_to(user=self.request.user).order_by("-is_active", "name")
        return super().get_context_data(presenters=presenters, **kwargs)


class PresenterFormView(CapabilityRequiredMixin, FormView):
    """Add a presenter, or change one (switch off instead of removing)."""

    required_capability = C.COORDINATE_PREVENTION
    template_name = "prevention/presenter_form.html"
    form_class = PresenterForm
    presenter: Presenter | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if "pk" in kwargs and has_capability(request.user, C.COORDINATE_PREVENTION):
            self.presenter = get_visible_or_404(
                presenters_visible_to, request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self) -> dict[str, Any]:
        if self.presenter is None:
            return {"is_active": True}
        p = self.presenter
        return {
            "name": p.name,
            "organisation": p.organisation,
            "email": p.email,
            "unit": p.unit,
            "is_active": p.is_active,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(presenter=self.presenter, **kwargs)

    def form_valid(self, form: PresenterForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            services.save_presenter(
                presenter=self.presenter,
                name=data["name"],
                organisation=data["organisation"],
                email=data["email"],
                unit=data["unit"],
                is_active=data["is_active"],
                acting_user=self.request.user,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The presenter is saved."))
        return redirect("prevention:presenter_list")
