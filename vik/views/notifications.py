"""The user's own messages ("Berichten")."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import ListView, View

from vik import services
from vik.models import Notification
from vik.selectors import notifications_visible_to
from vik.views.base import get_visible_or_404


class NotificationListView(ListView):
    """Every signed-in user's inbox; a message belongs to one recipient only."""

    template_name = "vik/notification_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[Notification]:
        return notifications_visible_to(user=self.request.user)


class NotificationOpenView(View):
    """Mark a message read and follow its link (POST: it changes state)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = get_visible_or_404(notifications_visible_to, request.user, pk=pk)
        services.mark_notification_read(
            notification=notification, acting_user=notification.recipient
        )
        target = notification.url
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
            return redirect(target)
        return redirect("vik:notification_list")
