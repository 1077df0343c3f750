"""Pages for protocol changes and the works council's consent (issue 11, point 3).

Thin: the services decide what is a protocol change, who may record the council's decision
and what happens on consent. A proposal holds no personal data, so these pages write nothing
to the access log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from monitoring import services
from monitoring.models import CouncilDecision, ProtocolChange
from monitoring.selectors.consent import (
    PROPOSE_PROTOCOL_CHANGES,
    SEE_PROTOCOL_CHANGES,
    protocol_changes_visible_to,
    setting_label,
    value_label,
)
from monitoring.views import PreparedMixin
from vik.roles import Capability
from vik.selectors import acting_role, has_capability
from vik.views.base import get_visible_or_404
from vik.widgets import DateInput

# Who sees the names of proposer and recorder; the works council (like in its version of the
# logging report) sees their roles only: no page for its members shows a name.
NAMES_SHOWN_TO = (
    Capability.RECORD_COUNCIL_CONSENT,
    Capability.TUNE_DETECTION,
    Capability.MANAGE_ORGANISATION,
    Capability.AUDIT_ACCESS_LOG,
)


class CouncilDecisionForm(forms.Form):
    """The council's decision as its letter states it."""

    decision = forms.ChoiceField(
        label=gettext_lazy("The works council's decision"),
        choices=CouncilDecision.Decision.choices,
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(
        label=gettext_lazy("Date of the council's decision"), widget=DateInput
    )
    letter_reference = forms.CharField(
        label=gettext_lazy("Reference of the council's letter"), max_length=100
    )
    letter = forms.FileField(
        label=gettext_lazy("The council's letter (PDF, optional)"), required=False
    )


class ChangeMixin(PreparedMixin):
    """A page or action about one proposal (404 when not visible)."""

    required_capability = SEE_PROTOCOL_CHANGES
    change: ProtocolChange

    def prepare(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.change = get_visible_or_404(protocol_changes_visible_to, request.user, pk=kwargs["pk"])


def _rows(changes: list[ProtocolChange]) -> list[dict[str, Any]]:
    return [
        {
            "change": c,
            "setting": setting_label(c),
            "old": value_label(c, c.current_value),
            "new": value_label(c, c.proposed_value),
        }
        for c in changes
    ]


class ProtocolChangeListView(PreparedMixin, TemplateView):
    """Every proposal and its fate: pending, consented, refused or withdrawn."""

    required_capability = SEE_PROTOCOL_CHANGES
    template_name = "monitoring/protocol_change_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        changes = list(protocol_changes_visible_to(user=self.request.user)[:500])
        pending = [c for c in changes if c.status == ProtocolChange.Status.PENDING]
        closed = [c for c in changes if c.status != ProtocolChange.Status.PENDING]
        return super().get_context_data(pending=_rows(pending), closed=_rows(closed), **kwargs)


class ProtocolChangeDetailView(ChangeMixin, FormView):
    """The proposal with its rationale; the head of VIK records the council's decision here."""

    template_name = "monitoring/protocol_change_detail.html"
    form_class = CouncilDecisionForm

    def get_initial(self) -> dict[str, Any]:
        return {"decided_on": timezone.localdate()}

    def _who(self, person: Any, capabilities: tuple[Capability, ...]) -> str:
        """A name for those who work with proposals; the works council sees only roles."""
        if person is None:
            return _("VIK (automatic)")
        if any(has_capability(self.request.user, c) for c in NAMES_SHOWN_TO):
            return str(person.get_full_name() or person.get_username())
        for capability in capabilities:
            if (role := acting_role(person, capability)) is not None:
                return str(role.label)
        return ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        pending = self.change.status == ProtocolChange.Status.PENDING
        may_record = pending and has_capability(user, Capability.RECORD_COUNCIL_CONSENT)
        decision = getattr(self.change, "decision", None)
        return super().get_context_data(
            row=_rows([self.change])[0],
            decision=decision,
            proposer=self._who(self.change.proposed_by, PROPOSE_PROTOCOL_CHANGES),
            recorder=self._who(
                decision.recorded_by if decision else None, (Capability.RECORD_COUNCIL_CONSENT,)
            ),
            may_record=may_record,
            is_proposer=self.change.proposed_by_id == user.pk,
            may_withdraw=pending and any(has_capability(user, c) for c in PROPOSE_PROTOCOL_CHANGES),
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_capability(request.user, Capability.RECORD_COUNCIL_CONSENT):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: CouncilDecisionForm) -> HttpResponse:
        consented = form.cleaned_data["decision"] == CouncilDecision.Decision.CONSENTED
        try:
            services.record_council_decision(
                change=self.change,
                decided_on=form.cleaned_data["decided_on"],
                consented=consented,
                letter_reference=form.cleaned_data["letter_reference"],
                letter=form.cleaned_data["letter"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The council's consent is recorded and the change is in effect.")
            if consented
            else _("The council's refusal is recorded; nothing changes."),
        )
        return redirect("monitoring:protocol_change_detail", self.change.pk)


class ProtocolChangeWithdrawView(ChangeMixin, View):
    """Withdraw a pending proposal (whoever could propose it)."""

    required_capability = PROPOSE_PROTOCOL_CHANGES
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            services.withdraw_change(change=self.change, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The proposal is withdrawn."))
        return redirect("monitoring:protocol_change_detail", self.change.pk)


class CouncilLetterView(ChangeMixin, View):
    """The council's letter, served only through the proposal's visible-to selector."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        decision = getattr(self.change, "decision", None)
        if decision is None or not decision.letter:
            raise Http404
        return FileResponse(
            decision.letter.open("rb"),
            as_attachment=True,
            filename=decision.letter_name or "brief.pdf",
            content_type="application/pdf",
        )
