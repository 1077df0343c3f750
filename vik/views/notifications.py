"""The user's own messages ("Berichten"): filter to what needs action, group, mark read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View

from vik import inbox, services
from vik.models import Notification
from vik.selectors import notifications_visible_to
from vik.views.base import get_visible_or_404

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from vik.selectors import AnyUser

SHOW_CHOICES = ("all", "action", "unread")


def _show(value: str | None) -> str:
    return value if value in SHOW_CHOICES else "all"


def _shown(user: AnyUser, show: str) -> QuerySet[Notification]:
    """The messages the filter asks for (``show``): all, needing action, unread."""
    if show == "action":
        return inbox.needing_action(user)
    if show == "unread":
        return inbox.unread_of(user)
    return notifications_visible_to(user=user)


class NotificationListView(TemplateView):
    """Every signed-in user's inbox; a message belongs to one recipient only.

    The filter (``show``), the grouping (``group=about``) and the page live in the URL.
    Grouping gathers the messages of the page under the case, signal, complaint or request
    they are about, in the order of their newest message.
    """

    template_name = "vik/notification_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        show = _show(self.request.GET.get("show"))
        grouped = self.request.GET.get("group") == "about"
        page = Paginator(_shown(self.request.user, show), self.paginate_by).get_page(
            self.request.GET.get("page")
        )
        items = [
            {
                "notification": n,
                "needs_action": inbox.needs_action(n),
                "link": (link := inbox.read_link(n.url)),
                "about": link.about if link else "",
            }
            for n in page.object_list
        ]
        groups: dict[str, list[dict[str, Any]]] = {}
        if grouped:
            for item in items:
                groups.setdefault(str(item["about"]), []).append(item)
        return super().get_context_data(
            **kwargs,
            page_obj=page,
            items=items,
            groups=[
                {"about": key, "label": inbox.about_label(key) if key else None, "items": rows}
                for key, rows in groups.items()
            ],
            grouped=grouped,
            show=show,
            counts=inbox.counts_for(self.request.user),
        )


class NotificationOpenView(View):
    """Mark a message read and follow its link (POST: it changes state)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = get_visible_or_404(notifications_visible_to, request.user, pk=pk)
        services.mark_notification_read(
            notification=notification, acting_user=notification.recipient
        )
        target = notification.url
        if target and url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect("vik:notification_list")


class NotificationMarkReadView(View):
    """Mark one message (``pk``) or all shown by the filter (``show``) read, and stay."""

    def post(self, request: HttpRequest) -> HttpResponse:
        if pk := request.POST.get("pk"):
            if not pk.isdigit():
                return redirect("vik:notification_list")
            chosen = notifications_visible_to(user=request.user).filter(pk=int(pk))
        else:
            # The filter on the screen, posted back with the button: exactly what was shown.
            chosen = _shown(request.user, _show(request.POST.get("show")))
        # Signed in (LoginRequiredMiddleware); only the user's own messages are touched.
        user = cast("User", request.user)
        count = services.mark_notifications_read(notifications=chosen, acting_user=user)
        if not pk:
            messages.success(
                request,
                ngettext(
                    "%(count)s message marked as read.",
                    "%(count)s messages marked as read.",
                    count,
                )
                % {"count": count},
            )
        query = {
            key: request.POST[key] for key in ("show", "group", "page") if request.POST.get(key)
        }
        url = reverse("vik:notification_list")
        return redirect(f"{url}?{urlencode(query)}" if query else url)
