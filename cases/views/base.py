"""The access rules every cases view shares, in one place.

* A view names the capabilities that open it (``required_capability``: any of them);
  a user with none of them gets **403**.
* The case comes from :func:`cases.selectors.cases_visible_to` (or a narrower selector);
  a case the user may not see answers **404**, exactly like one that does not exist. Parts of
  a case (a letter, an interview, ...) come from their own visible-to selector *and* must
  belong to that case.
* Every page that shows a case writes the access log for each person concerned; every PDF
  or download writes a print/export entry.
* Forms call one service; a protocol step refused by the service comes back as a form error.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from cases.models import Case, CaseParty, Investigation
from cases.selectors import CaseRoles, cases_visible_to, roles_in, with_roles_of
from vik.confirm import BACK, carried_fields, dry_run, is_confirmed, read_back
from vik.models import AccessAction
from vik.roles import Capability
from vik.services import record_access_many
from vik.views.base import AccessLoggedMixin, get_visible_or_404

if TYPE_CHECKING:
    from django.utils.functional import Promise

C = Capability
# Who may open a case page at all: the commissioner, the investigators, the registrar.
CASE_READERS = (C.TRIAGE_REPORTS, C.CONDUCT_INVESTIGATIONS, C.REGISTER_REPORTS)
COMMISSIONER = (C.TRIAGE_REPORTS,)
INVESTIGATOR = (C.CONDUCT_INVESTIGATIONS,)
CASE_STAFF = (C.TRIAGE_REPORTS, C.CONDUCT_INVESTIGATIONS)


class AnyCapabilityMixin(AccessLoggedMixin):
    """403 unless the user holds one of ``required_capability`` (a tuple); then ``prepare``.

    The core checks any-of tuples itself; this adds the ``prepare`` hook, which loads what
    the view is about only after the capability check, so 403 comes before 404.
    """

    required_capability: ClassVar[Capability | tuple[Capability, ...] | None] = CASE_READERS

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.held_capability is None:
            raise PermissionDenied
        self.prepare(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def prepare(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        """Load what the view is about, after the capability check (404 if not visible)."""


class CaseMixin(AnyCapabilityMixin):
    """A page about one case: fetched through the selector, logged for the persons concerned."""

    case_selector: ClassVar[Callable[..., QuerySet[Case]]] = staticmethod(cases_visible_to)
    tab: ClassVar[str] = "overview"
    needs_investigation: ClassVar[bool] = False
    # Relations the page shows, read with the case in the same query.
    case_related: ClassVar[tuple[str, ...]] = ()
    case: Case

    def prepare(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.case = get_visible_or_404(self._case_queryset, request.user, pk=kwargs["pk"])
        if self.needs_investigation and not self.case.is_investigation:
            raise Http404

    def _case_queryset(self, *, user: Any) -> QuerySet[Case]:
        """The case selector, with the relations this page shows and the user's part in the
        case (commissioner, deputy, investigator): still one query."""
        cases = with_roles_of(self.case_selector(user=user), user=user)
        return cases.select_related(*self.case_related) if self.case_related else cases

    @cached_property
    def investigation(self) -> Investigation | None:
        if "investigation" in self.case_related:
            # Read with the case (a LEFT JOIN): there or not, it costs no query of its own.
            return getattr(self.case, "investigation", None)
        investigation = Investigation.objects.filter(pk=self.case.pk).first()
        if investigation is not None:
            # The case is already loaded: the protocol's checks reach it through here.
            investigation.case = self.case
        return investigation

    @cached_property
    def roles(self) -> CaseRoles:
        """The user's part in the case, read with the case (see ``_case_queryset``)."""
        return roles_in(self.case)

    @property
    def as_commissioner(self) -> bool:
        return self.roles.commissioner

    @property
    def as_deputy(self) -> bool:
        """Commissioner of this case as a deputy: no head of VIK of the unit can act."""
        return self.roles.deputy

    @property
    def as_investigator(self) -> bool:
        return self.roles.investigator

    def subject_ids(self) -> list[int]:
        """The employees whose data the page shows: by default the persons concerned."""
        return list(
            CaseParty.objects.filter(case=self.case, role=CaseParty.Role.CONCERNED).values_list(
                "employee_id", flat=True
            )
        )

    def log_case(
        self,
        *,
        action: AccessAction = AccessAction.VIEW,
        obj: Model | None = None,
        purpose: str = "",
    ) -> None:
        """One access-log entry per employee shown (one without a person if none is known).

        The entries are those ``record_access`` writes one by one, in one INSERT: a case with
        many people on it costs the page no more queries than a case with one.
        """
        subjects: list[int | None] = [*self.subject_ids()] or [None]
        record_access_many(
            actor=self.request.user,
            action=action,
            role=self.role,
            employees=subjects,
            obj=obj or self.case,
            purpose=purpose or self.tab,
        )

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        self.log_case()
        return super().render_to_response(context, **kwargs)  # type: ignore[misc]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(
            case=self.case,
            investigation=self.investigation,
            tab=self.tab,
            as_commissioner=self.as_commissioner,
            as_deputy=self.as_deputy,
            as_investigator=self.as_investigator,
        )
        return context


class CaseActionView(CaseMixin, FormView):
    """A form that calls one service on a case; a refused protocol step is a form error.

    A step that cannot be undone sets ``irreversible`` (what exactly cannot be undone): a
    valid form is then first shown back on a confirmation page — a plain page, no script —
    with the values as hidden fields; only "confirm" there performs the step, "back" returns
    to the filled-in form.
    """

    template_name = "cases/action_form.html"
    confirm_template_name = "cases/confirm.html"
    title: ClassVar[str | Promise] = ""
    intro: ClassVar[str | Promise] = ""
    submit_label: ClassVar[str | Promise] = _("Save")
    success_message: ClassVar[str | Promise] = _("Saved.")
    success_tab: ClassVar[str] = "case_detail"
    irreversible: ClassVar[str | Promise | None] = None

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def needs_confirmation(self, form: Any) -> bool:
        """Whether this submission performs an irreversible step (override per view)."""
        return self.irreversible is not None

    def get_irreversible(self, form: Any) -> str | Promise:
        return self.irreversible or ""

    def form_valid(self, form: Any) -> HttpResponse:
        if self.needs_confirmation(form) and not is_confirmed(self.request.POST):
            if BACK in self.request.POST:
                return self.render_to_response(self.get_context_data(form=form))
            # The protocol's refusal shows on the form now, not after the confirmation.
            refusal = dry_run(lambda: self.perform(form))
            if refusal is not None:
                form.add_error(None, refusal)
                return self.form_invalid(form)
            return self.confirm(form)
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, str(self.get_success_message()))
        return HttpResponseRedirect(self.get_success_url())

    def confirm(self, form: Any) -> HttpResponse:
        """The confirmation page: what will happen, what cannot be undone, the values entered."""
        context = self.get_context_data(
            form=form,
            carried=carried_fields(self.request.POST),
            summary=read_back(form),
            irreversible=self.get_irreversible(form),
            confirm_label=self.get_confirm_label(form),
        )
        return self.response_class(
            request=self.request,
            template=[self.confirm_template_name],
            context=context,
            using=self.template_engine,
        )

    def get_confirm_label(self, form: Any) -> str | Promise:
        return self.submit_label

    def get_success_message(self) -> str | Promise:
        return self.success_message

    def get_success_url(self) -> str:
        return reverse(f"cases:{self.success_tab}", args=[self.case.pk])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(
            title=self.title, intro=self.intro, submit_label=self.submit_label, **kwargs
        )
        form = context.get("form")
        # A step without fields is confirmed on its own page: the warning is shown there.
        if form is not None and not form.fields and self.needs_confirmation(form):
            context.update(irreversible=self.get_irreversible(form), confirm_on_page=True)
        return context


class CaseObjectMixin(CaseMixin):
    """A page about one part of a case (letter, interview, ...), which must belong to it."""

    object_selector: ClassVar[Callable[..., QuerySet[Any]]]
    object_kwarg: ClassVar[str] = "object_pk"
    case_field: ClassVar[str] = "investigation_id"

    def prepare(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().prepare(request, *args, **kwargs)
        self.object = get_visible_or_404(
            self.object_selector,
            request.user,
            pk=kwargs[self.object_kwarg],
            **{self.case_field: self.case.pk},
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(object=self.object, **kwargs)


class CaseObjectActionView(CaseObjectMixin, CaseActionView):
    """A form that calls one service on one part of a case."""
