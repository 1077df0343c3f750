"""The team chief's conversations, both kinds in one place: the list, the page of one
conversation with its two forms (plan and invite; record), and its calendar file.

Thin like every view: the capability ``hold_conversations`` (403 without it), the
conversation through its kind's visible-to selector (404 when not visible), a service for
every write, the access log for every employee shown.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import RedirectView, TemplateView, View

from cases.models import LineReferral
from monitoring.conversation_forms import (
    ConversationFilterForm,
    PlanConversationForm,
    RecordConversationForm,
)
from monitoring.models import FollowUp
from monitoring.selectors.conversations import (
    DEFAULT_SORT,
    SORTS,
    Conversation,
    Source,
    State,
    conversation_visible_to,
    conversations_visible_to,
)
from monitoring.services.conversations import (
    draft_invitation,
    plan_conversation,
    record_any_conversation,
)
from monitoring.views import PreparedMixin
from vik.ics import calendar_event, calendar_response
from vik.models import AccessAction
from vik.roles import Capability
from vik.services import record_access_many
from vik.sorting import sort_columns
from vik.views.base import htmx_template

# The URL names of a conversation's pages, per kind.
DETAIL = {Source.SIGNAL: "monitoring:followup_detail", Source.LINE: "monitoring:referral_detail"}
PLAN = {Source.SIGNAL: "monitoring:followup_plan", Source.LINE: "monitoring:referral_plan"}
RECORD = {Source.SIGNAL: "monitoring:followup_record", Source.LINE: "monitoring:referral_record"}
CALENDAR = {
    Source.SIGNAL: "monitoring:followup_calendar",
    Source.LINE: "monitoring:referral_calendar",
}
OBJECT_TYPES = {
    Source.SIGNAL: FollowUp._meta.label_lower,
    Source.LINE: LineReferral._meta.label_lower,
}
# A planned conversation takes an hour in the calendar (the chief moves it if need be).
CONVERSATION_LENGTH = datetime.timedelta(hours=1)


class ChiefMixin(PreparedMixin):
    required_capability = Capability.HOLD_CONVERSATIONS


class ConversationListView(ChiefMixin, TemplateView):
    """ "Gesprekken": every conversation the chief holds, after a signal or a case."""

    template_name = "monitoring/conversation_list.html"
    paginate_by = 25

    def get_template_names(self) -> list[str]:
        return [htmx_template(self.request, self.template_name, "results")]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = ConversationFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        sort = self.request.GET.get("sort")
        rows = conversations_visible_to(
            user=self.request.user,
            search=data.get("q") or "",
            state=data.get("state"),
            source=data.get("source") or "",
            sort=sort,
        )
        page = Paginator(rows, self.paginate_by).get_page(self.request.GET.get("page"))
        for row in page.object_list:
            source = Source(row["source"])
            row["url"] = reverse(DETAIL[source], args=[row["id"]])
            row["source_label"] = source.label
            row["state_label"] = State(row["state"]).label
        return super().get_context_data(
            form=form,
            page_obj=page,
            object_list=page.object_list,
            sorts=sort_columns(self.request.GET, sort, SORTS, DEFAULT_SORT),
            today=timezone.localdate(),
            **kwargs,
        )

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        # One search entry per employee shown, under the kind of object it was shown as.
        for source in Source:
            record_access_many(
                actor=self.request.user,
                action=AccessAction.SEARCH,
                role=self.role,
                employees=sorted(
                    {r["employee_id"] for r in context["object_list"] if r["source"] == source}
                ),
                object_type=OBJECT_TYPES[source],
                query=self.request.GET.urlencode(),
            )
        return super().render_to_response(context, **kwargs)


class ConversationMixin(ChiefMixin):
    """A page or action about one conversation the chief holds (404 when not visible)."""

    source: ClassVar[Source] = Source.SIGNAL
    conversation: Conversation

    def prepare(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        try:
            self.conversation = conversation_visible_to(
                user=request.user, source=self.source, pk=kwargs["pk"]
            )
        except (FollowUp.DoesNotExist, LineReferral.DoesNotExist) as exc:
            raise Http404 from exc

    def detail_url(self) -> str:
        return reverse(DETAIL[self.source], args=[self.conversation.obj.pk])


class ConversationDetailView(ConversationMixin, TemplateView):
    """What the conversation needs, its plan and the invitation, and the chief's record."""

    template_name = "monitoring/conversation_detail.html"
    plan_form: PlanConversationForm | None = None
    record_form: RecordConversationForm | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        conversation = self.conversation
        obj = conversation.obj
        plan_form = self.plan_form
        if plan_form is None and not conversation.is_held:
            plan_form = PlanConversationForm(
                initial={
                    "planned_at": obj.planned_at,
                    "place": obj.planned_place,
                    "invitation": obj.invitation
                    or draft_invitation(conversation, chief=self.request.user),
                }
            )
        record_form = self.record_form
        if record_form is None and not conversation.is_held:
            record_form = RecordConversationForm(source=self.source)
        return super().get_context_data(
            conversation=conversation,
            obj=obj,
            plan_form=plan_form,
            record_form=record_form,
            plan_url=reverse(PLAN[self.source], args=[obj.pk]),
            record_url=reverse(RECORD[self.source], args=[obj.pk]),
            calendar_url=reverse(CALENDAR[self.source], args=[obj.pk]),
            states=State,
            **kwargs,
        )

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        self.log_view(self.conversation.obj)
        return super().render_to_response(context, **kwargs)


class ConversationPlanView(ConversationDetailView):
    """Plan the conversation and send the invitation (POST only)."""

    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PlanConversationForm(request.POST)
        if form.is_valid():
            try:
                conversation = plan_conversation(
                    conversation=self.conversation,
                    planned_at=form.cleaned_data["planned_at"],
                    place=form.cleaned_data["place"],
                    invitation=form.cleaned_data["invitation"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if conversation.obj.invited_at:
                    messages.success(
                        request, _("The conversation is planned. The employee is invited in VIK.")
                    )
                else:
                    messages.warning(
                        request,
                        _(
                            "The conversation is planned. The employee has no VIK account: "
                            "invite them in person."
                        ),
                    )
                return redirect(self.detail_url())
        self.plan_form = form
        return self.render_to_response(self.get_context_data())


class ConversationRecordView(ConversationDetailView):
    """Record the conversation through its kind's own service (POST only)."""

    http_method_names: ClassVar[list[str]] = ["post"]  # type: ignore[misc]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RecordConversationForm(request.POST, source=self.source)
        if self.conversation.is_held:
            form.add_error(None, _("This conversation is already recorded."))
        elif form.is_valid():
            try:
                record_any_conversation(
                    conversation=self.conversation, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The conversation is recorded. The employee is told the outcome.")
                    if self.source == Source.SIGNAL
                    else _("The conversation is recorded."),
                )
                return redirect(self.detail_url())
        self.record_form = form
        return self.render_to_response(self.get_context_data())


class ConversationCalendarView(ConversationMixin, View):
    """The planned conversation as an .ics file for the chief's own calendar.

    A calendar entry leaves VIK (phones, shared agendas): it says "Gesprek" and the place,
    never the employee's name or what it is about.
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.conversation.obj
        if obj.planned_at is None or self.conversation.is_held:
            raise Http404
        content = calendar_event(
            uid=f"vik-{self.source}-conversation-{obj.pk}@vik",
            start=obj.planned_at,
            end=obj.planned_at + CONVERSATION_LENGTH,
            summary=_("Conversation"),
            location=obj.planned_place,
        )
        self.log_view(obj, purpose="calendar")
        return calendar_response(content, f"gesprek-{obj.planned_at:%Y%m%d-%H%M}.ics")


class OldPageRedirect(ChiefMixin, RedirectView):
    """The earlier addresses of the two lists and pages: to the one place (for bookmarks and
    the links in earlier messages). No look-up here: the new page decides 404."""

    target: ClassVar[str] = "monitoring:conversation_list"
    query: ClassVar[str] = ""

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return reverse(self.target, kwargs=kwargs or None) + self.query
