"""The team chief's conversation with an employee, as planned: shared by every app that asks
for one (a signal in protective monitoring, a case sent back to the line).

Both kinds are planned the same way, so the team chief has one list and one form for them
(``monitoring.selectors.conversations``, ``monitoring.services.conversations``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlannedConversation(models.Model):
    """When and where the conversation is planned, and the invitation the employee received.

    Abstract: the fields live on each kind of conversation (``FollowUp``, ``LineReferral``),
    so each keeps its own history and retention. ``invited_at`` is empty when the invitation
    could not reach the employee in VIK (no active account): the chief invites them in person.
    Planning again replaces the plan; the history keeps the earlier ones.
    """

    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    planned_place = models.CharField(_("place"), max_length=200, blank=True)
    invitation = models.TextField(_("invitation to the employee"), blank=True)
    invited_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
