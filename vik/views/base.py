"""Base classes that put access control in one place for every VIK view.

* :class:`CapabilityRequiredMixin` — the feature: a user without the capability gets 403.
* :class:`VisibleObjectsMixin` — the data: querysets come only from a visible-to selector,
  so an object the user may not see answers 404 (it might as well not exist). A view that
  forgets to name its selector fails loudly instead of showing everything.
* :class:`AccessLoggedMixin` — every look at an employee's data writes the access log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.views.generic import DetailView, ListView, View

from vik.history import changed_fields
from vik.models import AccessAction, Employee
from vik.roles import Capability, Role
from vik.selectors import acting_role, has_capability
from vik.services import record_access, record_access_many

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


def htmx_template(request: HttpRequest, template_name: str, partial: str | None) -> str:
    """The one place that decides page or fragment: htmx requests get the named partial.

    Except when htmx restores a page from history (the back button; its history cache is
    off): then it replaces the whole body and needs the whole page, filter form included.
    """
    htmx = getattr(request, "htmx", None)
    if partial and htmx and not htmx.boosted and not htmx.history_restore_request:
        return f"{template_name}#{partial}"
    return template_name


def get_visible_or_404(
    selector: Callable[..., QuerySet[Any]], user: User | AnonymousUser, **lookup: Any
) -> Any:
    """Fetch one object through a visible-to selector; invisible and missing look the same."""
    try:
        return selector(user=user).get(**lookup)
    except (ObjectDoesNotExist, ValueError) as exc:
        raise Http404 from exc


class CapabilityRequiredMixin(View):
    """Refuses (403) a signed-in user who lacks ``required_capability``.

    A tuple means any one of them: a page that several roles use for their own reasons
    (the commissioner registers deferrals, the privacy officer audits them). The role recorded
    in the access log is the one behind the first capability in the tuple the user holds.
    """

    required_capability: ClassVar[Capability | tuple[Capability, ...] | None] = None
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if self.required_capability is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must set required_capability.")
        if self.held_capability is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def held_capability(self) -> Capability | None:
        """The (first) required capability the user holds."""
        required = self.required_capability
        options = required if isinstance(required, tuple) else (required,) if required else ()
        return next((c for c in options if has_capability(self.request.user, c)), None)

    @property
    def role(self) -> Role | None:
        capability = self.held_capability
        return acting_role(self.request.user, capability) if capability else None


class VisibleObjectsMixin(View):
    """Takes the queryset from ``selector`` (a ``<model>_visible_to(*, user)`` function)."""

    selector: ClassVar[Callable[..., QuerySet[Any]] | None] = None
    request: HttpRequest

    def get_queryset(self) -> QuerySet[Any]:
        # Declared as ``selector = staticmethod(things_visible_to)`` on the view.
        if self.selector is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must name its visible-to selector.")
        return self.selector(user=self.request.user)


class AccessLoggedMixin(CapabilityRequiredMixin):
    """Writes the access log for the employee(s) whose data the page shows."""

    access_action: ClassVar[AccessAction] = AccessAction.VIEW

    def subject_of(self, obj: Model) -> Employee | int | None:
        """The employee an object is about; override when it is not ``obj.employee``."""
        if isinstance(obj, Employee):
            return obj
        return getattr(obj, "employee_id", None)

    def log_view(self, obj: Model, *, purpose: str = "") -> None:
        record_access(
            actor=self.request.user,
            action=self.access_action,
            role=self.role,
            employee=self.subject_of(obj),
            obj=obj,
            purpose=purpose,
        )

    def log_list(self, objects: Iterable[Model], *, query: str, object_type: str) -> None:
        subjects = {self.subject_of(obj) for obj in objects} - {None}
        record_access_many(
            actor=self.request.user,
            action=AccessAction.SEARCH,
            role=self.role,
            employees=[s for s in subjects if s is not None],
            object_type=object_type,
            query=query,
        )


class ScopedDetailView(AccessLoggedMixin, VisibleObjectsMixin, DetailView):
    """Detail page of a protected object: capability, selector, access log."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        self.log_view(self.object)
        return response


class ScopedListView(AccessLoggedMixin, VisibleObjectsMixin, ListView):
    """List page of a protected object: capability, selector, access log per shown subject."""

    paginate_by = 25
    partial_name: ClassVar[str | None] = "results"

    def get_template_names(self) -> list[str]:
        return [
            htmx_template(self.request, name, self.partial_name)
            for name in super().get_template_names()
        ]

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        page_objects = context["object_list"]
        self.log_list(
            page_objects,
            query=self.request.GET.urlencode(),
            object_type=self.get_queryset().model._meta.label_lower,
        )
        return super().render_to_response(context, **kwargs)


class ObjectHistoryView(AccessLoggedMixin, VisibleObjectsMixin, DetailView):
    """The history trail of a protected object, for whoever may see the object itself."""

    template_name = "vik/object_history.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        self.log_view(self.object, purpose="history")
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        records = list(
            self.object.history.select_related("history_user").order_by(
                "-history_date", "-history_id"
            )
        )
        # Each record is compared with the one before it in time: the next in this list.
        context["records"] = [
            (record, changed_fields(record, records[i + 1] if i + 1 < len(records) else None))
            for i, record in enumerate(records)
        ]
        return context
