"""Role requests and their approval by a second person; the record of grants and revokes.

An administrator asks for a role for an account; for a role that reads personal data the
head of VIK (over the units they head) or the privacy officer approves or refuses it, with a
reason. The rules live in :mod:`vik.services` and :mod:`vik.selectors`; these views only
show them. See docs/permissions.md, "Role grants".
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, View

from vik import services
from vik.forms import ReasonForm, RoleDecisionForm, RoleRequestForm
from vik.models import RoleGrantRequest
from vik.roles import Capability
from vik.selectors import (
    has_capability,
    may_decide_role_request,
    role_changes_visible_to,
    role_requests_to_decide,
    role_requests_visible_to,
)
from vik.views.base import CapabilityRequiredMixin, VisibleObjectsMixin, get_visible_or_404

STATUS_FILTERS = {
    "pending": (RoleGrantRequest.Status.PENDING,),
    "decided": (
        RoleGrantRequest.Status.APPROVED,
        RoleGrantRequest.Status.REFUSED,
        RoleGrantRequest.Status.WITHDRAWN,
    ),
}


class RoleRequestAccessMixin(CapabilityRequiredMixin):
    """For those who ask (administrators) and those who decide (head of VIK, privacy officer)."""

    required_capability = (Capability.APPROVE_ROLE_GRANTS, Capability.MANAGE_ORGANISATION)


class RoleRequestListView(RoleRequestAccessMixin, VisibleObjectsMixin, ListView):
    """Requests waiting for a decision (default), or the decided ones: ``?status=decided``."""

    template_name = "vik/role_request_list.html"
    selector = staticmethod(role_requests_visible_to)
    paginate_by = 25

    @property
    def status(self) -> str:
        value = self.request.GET.get("status", "pending")
        return value if value in {*STATUS_FILTERS, "all"} else "pending"

    def get_queryset(self) -> QuerySet[RoleGrantRequest]:
        requests = super().get_queryset()
        if self.status in STATUS_FILTERS:
            requests = requests.filter(status__in=STATUS_FILTERS[self.status])
        return requests

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            status=self.status,
            to_decide=set(role_requests_to_decide(user=user).values_list("pk", flat=True)),
            can_request=has_capability(user, Capability.MANAGE_ORGANISATION),
            # The head of VIK approves requests but does not audit every grant and revoke:
            # no link to a page that would refuse them.
            can_see_changes=any(
                has_capability(user, capability)
                for capability in RoleChangeListView.required_capability
            ),
            **kwargs,
        )


class RoleRequestCreateView(CapabilityRequiredMixin, FormView):
    """An administrator asks for a role for an account."""

    required_capability = Capability.MANAGE_ORGANISATION
    template_name = "vik/role_request_form.html"
    form_class = RoleRequestForm

    def get_initial(self) -> dict[str, Any]:
        return {"username": self.request.GET.get("username", "")}

    def form_valid(self, form: RoleRequestForm) -> HttpResponse:
        try:
            grant_request = services.request_role_grant(
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                unit=form.cleaned_data["unit"],
                reason=form.cleaned_data["reason"],
                acting_user=cast("Any", self.request.user),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if grant_request.is_pending:
            messages.success(
                self.request,
                _(
                    "The request is filed. The role is granted once the head of VIK or the "
                    "privacy officer approves it."
                ),
            )
        else:
            messages.success(self.request, _("The role is granted: it needs no approval."))
        return redirect("vik:role_request_detail", pk=grant_request.pk)


class RoleRequestDetailView(RoleRequestAccessMixin, VisibleObjectsMixin, DetailView):
    """One request: what was asked and why, who decided and why; the decision forms."""

    template_name = "vik/role_request_detail.html"
    selector = staticmethod(role_requests_visible_to)
    context_object_name = "grant_request"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        grant_request: RoleGrantRequest = self.object
        return super().get_context_data(
            may_decide=grant_request.is_pending
            and may_decide_role_request(user=user, grant_request=grant_request),
            may_withdraw=grant_request.is_pending
            and has_capability(user, Capability.MANAGE_ORGANISATION),
            decision_form=RoleDecisionForm(),
            withdraw_form=ReasonForm(),
            history=grant_request.history.select_related("history_user").order_by(
                "history_date", "history_id"
            ),
            **kwargs,
        )


class RoleRequestDecideView(CapabilityRequiredMixin, View):
    """Approve or refuse (POST), with a reason. 403 for one who may see but not decide it."""

    required_capability = Capability.APPROVE_ROLE_GRANTS
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant_request = get_visible_or_404(role_requests_visible_to, request.user, pk=pk)
        form = RoleDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for your decision."))
            return redirect("vik:role_request_detail", pk=pk)
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.decide_role_request(
                grant_request=grant_request,
                approve=approve,
                reason=form.cleaned_data["reason"],
                acting_user=cast("Any", request.user),
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect("vik:role_request_detail", pk=pk)
        messages.success(
            request,
            _("The request is approved and the role granted.")
            if approve
            else _("The request is refused."),
        )
        return redirect("vik:role_request_detail", pk=pk)


class RoleRequestWithdrawView(CapabilityRequiredMixin, View):
    """An administrator withdraws a request still waiting (POST)."""

    required_capability = Capability.MANAGE_ORGANISATION
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant_request = get_visible_or_404(role_requests_visible_to, request.user, pk=pk)
        form = ReasonForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.withdraw_role_request(
                grant_request=grant_request, reason=reason, acting_user=cast("Any", request.user)
            )
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("The request is withdrawn."))
        return redirect("vik:role_request_detail", pk=pk)


class RoleChangeListView(CapabilityRequiredMixin, ListView):
    """Every grant and revoke of a role, newest first: what the privacy officer is told."""

    required_capability = (Capability.AUDIT_ACCESS_LOG, Capability.MANAGE_ORGANISATION)
    template_name = "vik/role_change_list.html"
    paginate_by = 50
    context_object_name = "changes"

    def get_queryset(self) -> QuerySet[Any]:
        return role_changes_visible_to(user=self.request.user)
