"""Pieces shared by the prevention views: actions on an object, and whose looks are logged."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.views.generic import DetailView

from vik.selectors import employee_of
from vik.views.base import AccessLoggedMixin

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class Action:
    """One thing a user can do to an object: its form and the service it calls."""

    form_class: type[forms.BaseForm]
    perform: Callable[[Any, dict[str, Any], User], object]
    done: str | Promise
    form_kwargs: Callable[[Any, Any], dict[str, Any]] = field(default=lambda view, obj: {})


class NotOwnLooksMixin(AccessLoggedMixin):
    """Looks at one's own request or question are not logged (the log answers "who else")."""

    def log_view(self, obj: Model, *, purpose: str = "") -> None:
        own = employee_of(self.request.user)
        if own is not None and self.subject_of(obj) in (own, own.pk):
            return
        super().log_view(obj, purpose=purpose)

    def log_list(self, objects: Iterable[Model], *, query: str, object_type: str) -> None:
        own = employee_of(self.request.user)
        others = [
            obj for obj in objects if own is None or self.subject_of(obj) not in (own, own.pk)
        ]
        super().log_list(others, query=query, object_type=object_type)


class ActionsMixin(DetailView):
    """A detail page with action forms; POST to ``<pk>/<action>/`` runs one of them.

    ``available_actions(obj)`` decides which actions the user is offered; anything else
    answers 404. On a refusal the page shows again with the form and the reason (422).
    """

    actions: ClassVar[dict[str, Action]] = {}
    detail_url_name: ClassVar[str] = ""
    request: HttpRequest
    object: Any

    def available_actions(self, obj: Any) -> list[str]:
        return []

    def action_forms(self, obj: Any, bound: dict[str, forms.BaseForm]) -> dict[str, forms.BaseForm]:
        return {
            name: bound.get(name)
            or self.actions[name].form_class(
                prefix=name, **self.actions[name].form_kwargs(self, obj)
            )
            for name in self.available_actions(obj)
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["forms"] = self.action_forms(self.object, kwargs.get("bound_forms", {}))
        return context


class ActionPostMixin(ActionsMixin):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = kwargs["action"]
        action = self.actions.get(name)
        self.object = self.get_object()
        if action is None or name not in self.available_actions(self.object):
            raise Http404
        form = action.form_class(request.POST, prefix=name, **action.form_kwargs(self, self.object))
        if form.is_valid():
            try:
                action.perform(self.object, form.cleaned_data, request.user)  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, str(action.done))
                return redirect(self.detail_url_name, pk=self.object.pk)
        if isinstance(self, AccessLoggedMixin):
            self.log_view(self.object)
        context = self.get_context_data(object=self.object, bound_forms={name: form})
        return self.render_to_response(context, status=422)
