"""The conflict-of-interest register: recusal and registration.

The register is no staff directory and no pseudonym oracle (docs/permissions.md): an
employee is named by the personnel number as typed, the answer to a declaration is the same
whether or not the number exists, a name is shown only where the viewer could look the
employee up anyway, and every look-up and every page of the register is in the access log.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from vik import services
from vik.forms import ConflictForm, ReasonForm
from vik.roles import Capability
from vik.selectors import (
    conflict_names_visible_to,
    conflicts_visible_to,
    has_capability,
    may_end_conflict,
)
from vik.views.base import (
    CapabilityRequiredMixin,
    ObjectHistoryView,
    ScopedListView,
    get_visible_or_404,
)


class ConflictAccessMixin(CapabilityRequiredMixin):
    """Open to those who keep the register and to those who may recuse themselves.

    Every keeper of the register may also recuse (see vik.roles), so declaring opens it; the
    keepers' capability comes first so that their looks are logged under the keeper's role.
    """

    required_capability = (Capability.MANAGE_CONFLICTS, Capability.DECLARE_CONFLICT)

    @property
    def keeps_register(self) -> bool:
        return has_capability(self.request.user, Capability.MANAGE_CONFLICTS)


class ConflictListView(ConflictAccessMixin, ScopedListView):
    """The register (keepers) or one's own declarations; logged per employee on the page."""

    template_name = "vik/conflict_list.html"
    selector = staticmethod(conflicts_visible_to)
    paginate_by = 50
    partial_name: ClassVar[str | None] = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entries = list(context["object_list"])
        user = self.request.user
        names = conflict_names_visible_to(user=user, conflicts=entries)
        context["rows"] = [
            (
                entry,
                names.get(entry.pk, ""),
                entry.is_active and may_end_conflict(user=user, conflict=entry),
            )
            for entry in entries
        ]
        return context


class ConflictCreateView(ConflictAccessMixin, FormView):
    """Recuse oneself; the register's keepers may also register another user's conflict."""

    template_name = "vik/conflict_form.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "choose_user": self.keeps_register}

    def get_form_class(self) -> type[ConflictForm]:
        return ConflictForm

    def form_valid(self, form: ConflictForm) -> HttpResponse:
        user = form.cleaned_data.get("user") or cast("Any", self.request.user)
        try:
            services.declare_conflict(
                user=user,
                personnel_number=form.cleaned_data["personnel_number"],
                reason=form.cleaned_data["reason"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        # The same words whether or not the number belongs to anyone.
        number = form.cleaned_data["personnel_number"]
        if user.pk == self.request.user.pk:
            text = _(
                "The conflict of interest is registered for personnel number %(number)s. "
                "Nothing about this employee is shown while it is active."
            ) % {"number": number}
        else:
            text = _(
                "The conflict of interest of %(user)s is registered for personnel number "
                "%(number)s. Nothing about this employee is shown to them while it is active."
            ) % {"number": number, "user": user}
        messages.success(self.request, text)
        return redirect("vik:conflict_list")


class ConflictEndView(ConflictAccessMixin, View):
    """End an entry. Users end their own recusals; only keepers end an entry a keeper
    registered, and never the conflicted user themself."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        conflict = get_visible_or_404(conflicts_visible_to, request.user, pk=pk)
        if not may_end_conflict(user=request.user, conflict=conflict):
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
