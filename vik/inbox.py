"""Reading the inbox: what a message is about and whether it asks the reader to act.

A message carries a subject and a link, nothing else (the content stays on the page it
links to). Both questions are answered from the link, here, so no app has to say more when
it leaves a message:

* **about** — the case, signal, complaint, screening dossier or request the link leads to
  (``/cases/12/…`` is about case 12). Messages about the same thing are grouped under it.
* **needs action** — a message that links to a piece of work (a case, a signal, a request to
  decide, a complaint, a dossier, a form to fill in) asks the reader to act until it is read.
  A message that links to the reader's own data or to an overview
  (:data:`INFORMATION_PAGES`), or has no link, is information. The menu count shows the
  unread messages that need action; the unread information is counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.urls import Resolver404, resolve

from vik import names
from vik.models import Notification
from vik.selectors import notifications_visible_to

if TYPE_CHECKING:
    from vik.selectors import AnyUser

# Pages that inform: the reader's own data and overviews (by URL name).
INFORMATION_PAGES = frozenset(
    {
        "transparency:my_data",
        "transparency:deferral_list",
        "transparency:deferral_history",
        "screening:my_screening",
        "vik:role_changes",
        "vik:access_log",
        "vik:home",
    }
)

# What a link is about: (namespace, first part of the URL name) → the object type.
SUBJECTS: tuple[tuple[str, str, str], ...] = (
    # A referral back to the line is not its case (its pk is the referral's): before "cases".
    ("cases", "referral", "cases.linereferral"),
    ("cases", "", "cases.case"),
    ("monitoring", "signal", "monitoring.signal"),
    ("monitoring", "followup", "monitoring.followup"),
    ("monitoring", "referral", "cases.linereferral"),
    ("complaints", "complaint", "complaints.complaint"),
    ("screening", "dossier", "screening.screeningdossier"),
    ("transparency", "access_request", "transparency.accessrequest"),
    ("vik", "role_request", "vik.rolegrantrequest"),
    ("prevention", "session", "prevention.sessionrequest"),
    ("prevention", "team_session", "prevention.sessionrequest"),
    ("prevention", "advice", "prevention.advicerequest"),
    ("prevention", "after_discussion", "prevention.afterdiscussion"),
)


@dataclass(frozen=True)
class Link:
    """Where a message's link leads: the URL name and the object it is about, if any."""

    view_name: str
    about: str = ""  # "cases.case:12"; empty when the page is not about one object


def read_link(url: str) -> Link | None:
    """The page a message links to; ``None`` for no link or one outside VIK."""
    if not url:
        return None
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    pk = match.kwargs.get("pk")
    about = ""
    if pk is not None:
        for namespace, prefix, object_type in SUBJECTS:
            if match.namespace == namespace and (match.url_name or "").startswith(prefix):
                about = f"{object_type}:{pk}"
                break
    return Link(match.view_name, about)


def needs_action(notification: Notification) -> bool:
    """Unread, and linking to a piece of work (see the module's docstring)."""
    if notification.read_at is not None:
        return False
    link = read_link(notification.url)
    return link is not None and link.view_name not in INFORMATION_PAGES


def about_label(about: str) -> names.Name:
    """ "cases.case:12" → "Zaak 12" (vik.names), for a group heading."""
    object_type, _sep, pk = about.rpartition(":")
    return names.object_ref(object_type, pk)


@dataclass(frozen=True)
class Counts:
    """The menu's numbers: unread messages that need action, and all unread ones."""

    needs_action: int
    unread: int

    @property
    def information(self) -> int:
        return self.unread - self.needs_action


def unread_of(user: AnyUser) -> QuerySet[Notification]:
    return notifications_visible_to(user=user).filter(read_at__isnull=True)


def counts_for(user: AnyUser) -> Counts:
    """One query: the links of the unread messages (an inbox holds few unread ones)."""
    urls = list(unread_of(user).values_list("url", flat=True))
    action = sum(1 for url in urls if (link := read_link(url)) and _acts(link))
    return Counts(needs_action=action, unread=len(urls))


def _acts(link: Link) -> bool:
    return link.view_name not in INFORMATION_PAGES


def needing_action(user: AnyUser) -> QuerySet[Notification]:
    """The unread messages that need action, as a queryset (for the filter and the button)."""
    unread = list(unread_of(user).values_list("id", "url"))
    ids = [pk for pk, url in unread if (link := read_link(url)) and _acts(link)]
    return notifications_visible_to(user=user).filter(id__in=ids)
