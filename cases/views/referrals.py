"""What a team chief sees of a case: the matters referred back to them, and their record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from cases import services
from cases.forms import LineConversationForm
from cases.models import LineReferral
from cases.selectors import line_referrals_visible_to
from cases.views.base import AnyCapabilityMixin
from vik.roles import Capability
from vik.views.base import ScopedListView, get_visible_or_404


class ReferralListView(ScopedListView):
    """Referrals about the employees of the teams this team chief leads."""

    required_capability = Capability.HOLD_CONVERSATIONS
    selector = staticmethod(line_referrals_visible_to)
    template_name = "cases/referral_list.html"
    partial_name = None


class ReferralDetailView(AnyCapabilityMixin, FormView):
    """One referral: what to discuss, and the team chief's record of the conversation."""

    required_capability = (Capability.HOLD_CONVERSATIONS,)
    template_name = "cases/referral_detail.html"
    form_class = LineConversationForm
    referral: LineReferral

    def prepare(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.referral = get_visible_or_404(line_referrals_visible_to, request.user, pk=kwargs["pk"])

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        self.log_view(self.referral)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(referral=self.referral, **kwargs)

    def form_valid(self, form: LineConversationForm) -> HttpResponse:
        try:
            services.record_line_conversation(
                referral=self.referral, acting_user=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The conversation is recorded."))
        return redirect("cases:referral_list")
