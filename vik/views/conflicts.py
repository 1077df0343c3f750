"""The conflict-of-interest register: recusal and registration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, View

from vik import services
from vik.forms import ConflictForm, ReasonForm
from vik.roles import Capability
from vik.selectors import conflicts_visible_to, has_capability

if TYPE_CHECKING:
    from django.contrib.auth.models import User

from vik.views.base import (
    CapabilityRequiredMixin,
    ObjectHistoryView,
    VisibleObjectsMixin,
    get_visible_or_404,
)


class ConflictAccessMixin(CapabilityRequiredMixin):
    """Open to those who keep the register and to those who may recuse themselves."""

    # Every keeper of the register may also recuse (see vik.roles), so one capability opens it.
    required_capability = Capability.DECLARE_CONFLICT

    @property
    def keeps_register(self) -> bool:
        return has_capability(self.request.user, Capability.MANAGE_CONFLICTS)


class ConflictListView(ConflictAccessMixin, VisibleObjectsMixin, ListView):
    template_name = "vik/conflict_list.html"
    selector = staticmethod(conflicts_visible_to)
    paginate_by = 50


class ConflictCreateView(ConflictAccessMixin, FormView):
    """Recuse oneself; the register's keepers may also register another user's conflict."""

    template_name = "vik/conflict_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "choose_user": self.keeps_register}

    def get_form_class(self) -> type[ConflictForm]:
        return ConflictForm

    def form_valid(self, form: ConflictForm) -> HttpResponse:
        user = form.cleaned_data.get("user") or cast("User", self.request.user)
        try:
            services.declare_conflict(
                user=user,
                employee=form.cleaned_data["personnel_number"],
                reason=form.cleaned_data["reason"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The conflict of interest is registered."))
        return redirect("vik:conflict_list")


class ConflictEndView(ConflictAccessMixin, View):
    """End an entry. Users end their own recusals; keepers end any entry they can see."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        conflict = get_visible_or_404(conflicts_visible_to, request.user, pk=pk)
        if conflict.user_id != request.user.pk and not self.keeps_register:
            raise PermissionDenied
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give a reason for ending the entry."))
            return redirect("vik:conflict_list")
        services.end_conflict(
            conflict=conflict, acting_user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The entry has ended."))
        return redirect("vik:conflict_list")


class ConflictHistoryView(ConflictAccessMixin, ObjectHistoryView):
    selector = staticmethod(conflicts_visible_to)
