"""Pages of the review workflow: the analyst's queue and signal page, the team chief's
conversations. Thin: check a capability, fetch through a selector, call a service, render.

* A user without the feature's capability gets **403**; a signal or follow-up outside their
  scope (or about themself, or someone they are conflicted with) answers **404**.
* Every page that shows a signal or follow-up writes the access log for the employee it
  concerns — pseudonymised pages too: the data is still about that employee.
* The analyst sees a pseudonym, function and unit; the name only after a logged reveal.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from monitoring import selectors, services
from monitoring.filters import OPEN_STATUSES
from monitoring.forms import (
    BulkDismissForm,
    DismissForm,
    EscalateForm,
    ForwardForm,
    ProposalDecisionForm,
    ReferForm,
    RevealDecisionForm,
    RevealRequestForm,
)
from monitoring.models import CalibrationReport, IdentityReveal, ScopeProposal, Signal
from monitoring.selectors import protocol as protocol_selectors
from monitoring.selectors import reveals_visible_to, signals_visible_to
from monitoring.selectors.calibration import (
    calibration_page,
    calibration_reports_visible_to,
    latest_report,
    scope_proposals_visible_to,
)
from vik.roles import Capability
from vik.sorting import sort_columns
from vik.views.base import AccessLoggedMixin, get_visible_or_404, htmx_template

SIGNAL_OBJECT = "monitoring.signal"


class PreparedMixin(AccessLoggedMixin):
    """403 without the capability, then ``prepare`` loads the object (404 if not visible)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.required_capability is None:
            return super().dispatch(request, *args, **kwargs)  # raises ImproperlyConfigured
        if self.held_capability is None:
            raise PermissionDenied
        self.prepare(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def prepare(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        """Load what the view is about, after the capability check."""


class SignalMixin(PreparedMixin):
    """A page or action about one signal the analyst may review."""

    required_capability = Capability.REVIEW_SIGNALS
    signal: Signal

    def prepare(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.signal = get_visible_or_404(
            lambda user: signals_visible_to(user=user).select_related(
                "unit", "function", "assigned_to", "decided_by", "employee", "case"
            ),
            request.user,
            pk=kwargs["pk"],
        )

    def log_signal(self, *, purpose: str = "") -> None:
        self.log_view(self.signal, purpose=purpose)

    def signal_url(self) -> str:
        return reverse("monitoring:signal_detail", args=[self.signal.pk])


# --- the queue --------------------------------------------------------------------------


class SignalListView(PreparedMixin, TemplateView):
    """The analyst's queue: signals of the monitored units, highest score first."""

    required_capability = Capability.REVIEW_SIGNALS
    template_name = "monitoring/signal_list.html"
    paginate_by = 25

    def get_template_names(self) -> list[str]:
        return [htmx_template(self.request, self.template_name, "results")]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        filterset, queryset = selectors.signal_queue(user=self.request.user, data=self.request.GET)
        page = Paginator(queryset, self.paginate_by).get_page(self.request.GET.get("page"))
        signals = list(page.object_list)
        self.log_list(signals, query=self.request.GET.urlencode(), object_type=SIGNAL_OBJECT)
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            signals=signals,
            sorts=sort_columns(
                self.request.GET,
                self.request.GET.get("sort"),
                selectors.SIGNAL_SORTS,
                selectors.SIGNAL_DEFAULT_SORT,
            ),
            **kwargs,
        )


class BurstListView(PreparedMixin, TemplateView):
    """Bursts: signals that share one cause, handled at once."""

    required_capability = Capability.REVIEW_SIGNALS
    template_name = "monitoring/burst_list.html"
    paginate_by = 10

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        show_all = self.request.GET.get("show") == "all"
        every_group = selectors.burst_groups(user=self.request.user, open_only=not show_all)
        page = Paginator(every_group, self.paginate_by).get_page(self.request.GET.get("page"))
        groups = selectors.burst_members(groups=list(page))
        shown = [signal for group in groups for signal in group.signals]
        self.log_list(shown, query=self.request.GET.urlencode(), object_type=SIGNAL_OBJECT)
        return super().get_context_data(
            page_obj=page,
            groups=groups,
            show_all=show_all,
            open_statuses=OPEN_STATUSES,
            form=BulkDismissForm(),
            **kwargs,
        )


class BurstDismissView(PreparedMixin, View):
    """Dismiss every open signal of one group with one reason."""

    required_capability = Capability.REVIEW_SIGNALS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = BulkDismissForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
            return redirect("monitoring:burst_list")
        try:
            count = services.bulk_dismiss(
                group_key=form.cleaned_data["group_key"],
                category=form.cleaned_data["category"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect("monitoring:burst_list")
        messages.success(request, _("%(count)s signals dismissed.") % {"count": count})
        return redirect("monitoring:burst_list")


# --- one signal -------------------------------------------------------------------------


class SignalDetailView(SignalMixin, TemplateView):
    """The analyst's workspace for one signal."""

    template_name = "monitoring/signal_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        page = selectors.signal_page(user=self.request.user, signal=self.signal)
        self.log_signal(purpose="name shown" if page.name_shown else "pseudonymised")
        return super().get_context_data(
            signal=self.signal,
            page=page,
            four_eyes=selectors.four_eyes_required(),
            can_reveal=Capability.REVEAL_IDENTITY in _capabilities(self.request),
            reveal_form=RevealRequestForm(),
            **kwargs,
        )


def _capabilities(request: HttpRequest) -> set[Capability]:
    from vik.selectors import capabilities_of

    return set(capabilities_of(request.user))


class SignalClaimView(SignalMixin, View):
    """Take the signal into review (detection no longer rewrites it)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.claim_signal(signal=self.signal, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The signal is in review with you."))
        return HttpResponseRedirect(self.signal_url())


class SignalActionView(SignalMixin, FormView):
    """A form that calls one service on the signal; a refusal comes back as a form error."""

    template_name = "monitoring/signal_action.html"
    title: ClassVar[Any] = ""
    intro: ClassVar[Any] = ""
    submit_label: ClassVar[Any] = gettext_lazy("Save")
    success_message: ClassVar[Any] = gettext_lazy("Saved.")
    result_message: str = ""

    def get_template_names(self) -> list[str]:
        if self.request.method == "GET":
            return [htmx_template(self.request, self.template_name, "form")]
        return [self.template_name]

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.perform(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, str(self.result_message or self.success_message))
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self) -> str:
        return self.signal_url()

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        self.log_signal(purpose=str(self.title))
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            signal=self.signal,
            title=self.title,
            intro=self.intro,
            submit_label=self.submit_label,
            action_url=self.request.path,
            **kwargs,
        )


class SignalRevealView(SignalActionView):
    """Ask to see the name behind the pseudonym, with a written reason."""

    required_capability = Capability.REVEAL_IDENTITY
    form_class = RevealRequestForm
    title = gettext_lazy("Reveal the identity")
    submit_label = gettext_lazy("Reveal the name")

    @property
    def intro(self) -> str:
        if selectors.four_eyes_required():
            return _(
                "Four eyes apply: a second analyst must approve before the name is shown. "
                "Your reason is written to the access log."
            )
        return _("The name is shown at once; your reason is written to the access log.")

    def perform(self, form: RevealRequestForm) -> Any:
        reveal = services.request_reveal(
            signal=self.signal,
            reason_category=form.cleaned_data["reason_category"],
            reason=form.cleaned_data["reason"],
            acting_user=self.request.user,
        )
        self.result_message = (
            _("The name is shown. The reveal is logged.")
            if reveal.revealed_at
            else _("Your request waits for a second analyst.")
        )
        return reveal


class SignalDismissView(SignalActionView):
    """Dismiss with the logical explanation; optionally record a rule with an end date."""

    form_class = DismissForm
    title = gettext_lazy("Dismiss the signal")
    intro = gettext_lazy(
        "When the reason was a missing assignment or a legitimate need for one subject, record "
        "it so detection stops flagging the same thing."
    )
    submit_label = gettext_lazy("Dismiss")
    success_message = gettext_lazy("The signal is dismissed.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "signal": self.signal}

    def perform(self, form: DismissForm) -> Any:
        return services.dismiss_signal(
            signal=self.signal,
            category=form.cleaned_data["category"],
            note=form.cleaned_data["note"],
            rule=form.feedback_rule(),
            acting_user=self.request.user,
        )


class SignalEscalateView(SignalActionView):
    """Ask the employee's team chief for a conversation."""

    form_class = EscalateForm
    title = gettext_lazy("Request a conversation by the team chief")
    intro = gettext_lazy(
        "The team chief and the employee are told that a conversation is requested, nothing "
        "more. The team chief reads your summary."
    )
    submit_label = gettext_lazy("Request the conversation")
    success_message = gettext_lazy("The team chief is asked for a conversation.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "signal": self.signal}

    def get_initial(self) -> dict[str, Any]:
        return {"summary": services.draft_summary(self.signal)}

    def perform(self, form: EscalateForm) -> Any:
        return services.escalate_to_team_chief(
            signal=self.signal,
            summary=form.cleaned_data["summary"],
            acting_user=self.request.user,
            cited_evidence_ids=[row.pk for row in form.cleaned_data["cited"]],
        )


class SignalForwardView(SignalActionView):
    """A matter about the employee is with VIK: forward to its commissioner, tell nobody."""

    form_class = ForwardForm
    title = gettext_lazy("Forward to the commissioner")
    intro = gettext_lazy(
        "A matter about this employee is with VIK. A conversation or a message now could tip "
        "off an investigation, so the signal goes to that matter's commissioner, who attaches "
        "it to the case or sends it back once the case is closed."
    )
    submit_label = gettext_lazy("Forward")
    success_message = gettext_lazy("The signal is forwarded to the commissioner.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "signal": self.signal}

    def get_initial(self) -> dict[str, Any]:
        return {"summary": services.draft_summary(self.signal)}

    def perform(self, form: ForwardForm) -> Any:
        return services.forward_to_commissioner(
            signal=self.signal,
            summary=form.cleaned_data["summary"],
            acting_user=self.request.user,
            cited_evidence_ids=[row.pk for row in form.cleaned_data["cited"]],
        )


class SignalReferView(SignalActionView):
    """Serious: register a report with VIK's intake straight away."""

    form_class = ReferForm
    title = gettext_lazy("Refer to case intake")
    intro = gettext_lazy(
        "For serious matters, such as a suspected leak of information. The head of VIK "
        "triages the report."
    )
    submit_label = gettext_lazy("Refer to intake")
    success_message = gettext_lazy("The signal is registered as a report with VIK's intake.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "signal": self.signal}

    def get_initial(self) -> dict[str, Any]:
        return {"summary": services.draft_summary(self.signal)}

    def perform(self, form: ReferForm) -> Any:
        return services.escalate_to_case_intake(
            signal=self.signal,
            summary=form.cleaned_data["summary"],
            acting_user=self.request.user,
            cited_evidence_ids=[row.pk for row in form.cleaned_data["cited"]],
        )


# --- reveals (four eyes) ----------------------------------------------------------------


class RevealListView(PreparedMixin, TemplateView):
    """Reveal requests of other analysts that wait for a second analyst's decision."""

    required_capability = Capability.REVEAL_IDENTITY
    template_name = "monitoring/reveal_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        waiting = list(
            reveals_visible_to(user=user)
            .filter(status=IdentityReveal.Status.REQUESTED)
            .exclude(requested_by_id=user.pk)
            .select_related("signal__unit", "signal__function")
            .order_by("requested_at")[:100]
        )
        mine = list(
            reveals_visible_to(user=user)
            .filter(requested_by_id=user.pk)
            .select_related("signal")
            .order_by("-requested_at")[:20]
        )
        self.log_list(
            [reveal.signal for reveal in waiting],
            query="four eyes",
            object_type=SIGNAL_OBJECT,
        )
        return super().get_context_data(
            waiting=waiting,
            mine=mine,
            form=RevealDecisionForm(),
            four_eyes=selectors.four_eyes_required(),
            **kwargs,
        )


class RevealMixin(PreparedMixin):
    required_capability = Capability.REVEAL_IDENTITY
    http_method_names = ["post"]
    reveal: IdentityReveal

    def prepare(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.reveal = get_visible_or_404(reveals_visible_to, request.user, pk=kwargs["pk"])


class RevealDecideView(RevealMixin, View):
    """A second analyst approves or refuses a request."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = RevealDecisionForm(request.POST)
        if form.is_valid():
            try:
                services.decide_reveal(
                    reveal=self.reveal,
                    approve=form.cleaned_data["decision"],
                    note=form.cleaned_data["note"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your decision is recorded."))
        else:
            messages.error(request, _("Choose approve or refuse."))
        return redirect("monitoring:reveal_list")


class RevealShowView(RevealMixin, View):
    """The requester, once approved, has the name shown (the logged moment of the reveal)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.reveal_identity(reveal=self.reveal, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("monitoring:signal_detail", self.reveal.signal_id)


# --- feedback ---------------------------------------------------------------------------


class FeedbackView(PreparedMixin, TemplateView):
    """Per indicator: how many signals were dismissed and why, over time."""

    required_capability = (Capability.REVIEW_SIGNALS, Capability.TUNE_DETECTION)
    template_name = "monitoring/feedback.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        rows, months = selectors.dismissal_feedback(user=self.request.user)
        return super().get_context_data(
            rows=rows,
            months=months,
            categories=[(c.value, c.label) for c in selectors.DISMISS_CATEGORIES],
            closed=[
                (d.value, d.label)
                for d in (
                    Signal.Disposition.EXPLAINED,
                    Signal.Disposition.UNINTENDED,
                    Signal.Disposition.INVESTIGATION,
                )
            ],
            **kwargs,
        )


# --- calibration for a new department -------------------------------------------------


class CalibrationView(PreparedMixin, TemplateView):
    """What detection would flag per function, and the scope rules proposed to explain it.

    Figures per function only (small functions together): no employee is shown, so nothing
    is written to the access log.
    """

    required_capability = Capability.TUNE_DETECTION
    template_name = "monitoring/calibration.html"
    report: CalibrationReport | None

    def prepare(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        if "pk" in kwargs:
            self.report = get_visible_or_404(
                calibration_reports_visible_to, request.user, pk=kwargs["pk"]
            )
        else:
            self.report = latest_report(user=request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            page=calibration_page(self.report) if self.report else None,
            reports=list(
                calibration_reports_visible_to(user=self.request.user).only(
                    "id", "period_start", "period_end", "created_at"
                )[:20]
            ),
            form=ProposalDecisionForm(),
            **kwargs,
        )


class ProposalDecideView(PreparedMixin, View):
    """Accept (the scope rule is created, with history) or reject a proposal."""

    required_capability = Capability.TUNE_DETECTION
    http_method_names = ["post"]
    proposal: ScopeProposal

    def prepare(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.proposal = get_visible_or_404(
            scope_proposals_visible_to, request.user, pk=kwargs["pk"]
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ProposalDecisionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
        else:
            try:
                services.decide_scope_proposal(
                    proposal=self.proposal,
                    accept=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("The scope rule is created.")
                    if form.cleaned_data["decision"]
                    else _("The proposal is rejected."),
                )
        return redirect("monitoring:calibration_report", self.proposal.report_id)


# --- the monitoring protocol (made known against receipt) ------------------------------


class ProtocolView(PreparedMixin, TemplateView):
    """The monitoring protocol in force, and the employee's confirmation of receiving it."""

    required_capability = Capability.USE_SELF_SERVICE
    template_name = "monitoring/protocol.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        protocol = protocol_selectors.current_protocol()
        receipt = (
            protocol_selectors.receipt_of(user=self.request.user, protocol=protocol)
            if protocol is not None
            else None
        )
        return super().get_context_data(protocol=protocol, receipt=receipt, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.confirm_protocol_receipt(acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you: your receipt of the protocol is recorded."))
        return redirect("monitoring:protocol")
