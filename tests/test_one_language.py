"""One language per page: every page of the permission sweep, as each role, in Dutch and English.

For every GET route of the sweep (tests/sweep.py) that a role may open, the page is rendered
in Dutch and in English (the language cookie, as the language switch sets it) and its visible
text — text nodes and the ``title``, ``placeholder``, ``aria-label`` and ``alt`` attributes —
is checked:

* in Dutch, no text may be an English msgid of the catalogues that has another Dutch
  translation (a string outside the catalogue, or shadowed by another app's), and none of the
  English phrases of ``ENGLISH`` may appear;
* in English, no text may be a Dutch translation (a Dutch string hard-coded in a template or
  view), and none of the Dutch phrases of ``DUTCH`` may appear.

The catalogues themselves are checked too: every Dutch entry is translated and not fuzzy, and
no msgid (with its context) has two different translations in two apps — Django merges all
catalogues into one, so the second would silently show the first app's word (the complaint's
"hoorzitting" became the investigation's "wederhoor").

Each route's objects are made inside a savepoint that is rolled back afterwards, so routes do
not see each other's objects (several make the same user names).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.sweep import all_routes
from vik.roles import Role

BASE = Path(settings.BASE_DIR)

# English that must not reach a Dutch page (whole words, case-sensitive). Kept short and
# specific: words that are not also Dutch ("Open", "Status", "Team" are).
ENGLISH = [
    "Select an option",
    "name shown",
    "pseudonymised",
    "Save",
    "Cancel",
    "Search",
    "Submit",
    "Delete",
    "Previous",
    "Next",
    "Yes",
    "the",
    "and",
    "of the",
    "your",
    "you",
    "with",
    "This field",
    "Required",
    "Download",
    "Filter",
    "Show",
    "None",
    "True",
    "False",
]

# Dutch that must not reach an English page. Only words the test data does not contain (the
# world's units, names and reasons are Dutch, and data stays as it was entered).
DUTCH = [
    "Kies een optie",
    "Opslaan",
    "Annuleren",
    "Zoeken",
    "Verwijderen",
    "Vorige",
    "Volgende",
    "Openen",
    "Bekijken",
    "Wijzigen",
    "niet",
    "wordt",
    "zijn",
    "uw",
    "het",
    "een",
    "voor",
    "Geen",
    "Ja",
    "Nee",
    "gegevens",
    "melding",
    "zaak",
    "klacht",
]


def _po_files() -> list[Path]:
    return sorted(
        [
            BASE / "locale/nl/LC_MESSAGES/django.po",
            *BASE.glob("*/locale/nl/LC_MESSAGES/django.po"),
            *BASE.glob("vik/*/locale/nl/LC_MESSAGES/django.po"),
        ]
    )


@dataclass(frozen=True)
class Entry:
    context: str | None
    msgid: str
    msgstr: str
    fuzzy: bool
    file: str


def parse_po(path: Path) -> Iterator[Entry]:
    """The entries of a .po file (the header and obsolete ``#~`` entries left out)."""
    fields: dict[str, str] = {}
    key = ""
    fuzzy = False

    def entry() -> Entry | None:
        if not fields.get("msgid"):
            return None
        return Entry(
            fields.get("msgctxt"),
            fields["msgid"],
            fields.get("msgstr", fields.get("msgstr[0]", "")),
            fuzzy,
            # Django's own catalogue lies outside the checkout when the venv is elsewhere.
            str(path.relative_to(BASE) if path.is_relative_to(BASE) else path),
        )

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        starts_entry = line.startswith(("#", "msgctxt", "msgid ")) and key.startswith("msgstr")
        if not line or starts_entry:
            if (found := entry()) is not None:
                yield found
            fields, key, fuzzy = {}, "", False
            if not line:
                continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            fuzzy = fuzzy or "fuzzy" in line
            continue
        if line.startswith("#"):
            continue
        if match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (\".*\")$", line):
            key = match.group(1)
            fields[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            fields[key] += ast.literal_eval(line)


def catalogue() -> list[Entry]:
    return [entry for path in _po_files() for entry in parse_po(path)]


def django_catalogue() -> list[Entry]:
    """Django's own Dutch catalogue (form errors, the empty choice, pagination)."""
    path = Path(django.__file__).parent / "conf/locale/nl/LC_MESSAGES/django.po"
    return list(parse_po(path))


def test_dutch_catalogues_are_complete() -> None:
    missing = [f"{e.file}: {e.msgid!r}" for e in catalogue() if e.fuzzy or not e.msgstr.strip()]
    assert missing == [], "untranslated or fuzzy Dutch entries"


def test_no_msgid_has_two_translations() -> None:
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for e in catalogue():
        seen.setdefault((e.context, e.msgid), {})[e.file] = e.msgstr
    conflicts = {key: files for key, files in seen.items() if len(set(files.values())) > 1}
    assert conflicts == {}, "give one of them a context (pgettext) or the same translation"


class _Text(HTMLParser):
    """The text a person sees or hears: text nodes and a few attributes."""

    ATTRIBUTES = frozenset({"title", "placeholder", "aria-label", "alt"})
    SKIP = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0
        self._skip_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # An element that names its own language (the language switch) is right as it is.
        if tag in self.SKIP or any(name == "lang" for name, _ in attrs):
            self._skip_tags.append(tag)
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tags and self._skip_tags[-1] == tag:
            self._skip_tags.pop()
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.texts.append(data)


def visible_texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    texts = (" ".join(text.split()) for text in parser.texts)
    return [text for text in texts if text]


def _phrases(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])")


@dataclass(frozen=True)
class Rules:
    english: frozenset[str]  # English msgids with another Dutch translation
    dutch: frozenset[str]  # Dutch translations that are no msgid


@pytest.fixture(scope="module")
def rules() -> Rules:
    return build_rules()


def build_rules() -> Rules:
    """What counts as the wrong language, from the catalogues (also the demo crawl's rules)."""
    ours = catalogue()
    entries = ours + django_catalogue()
    msgids = {e.msgid for e in entries}
    msgstrs = {e.msgstr for e in entries}

    def wordy(text: str) -> bool:
        # Short strings ("Nr", "ID", "PDF") and placeholders are the same in both languages.
        return "%" not in text and (len(text) >= 6 or (len(text) >= 4 and " " in text))

    english = {
        e.msgid
        for e in entries
        if e.msgstr and e.msgstr != e.msgid and e.msgid not in msgstrs and wordy(e.msgid)
    }
    dutch = {
        e.msgstr
        for e in ours
        if e.msgstr and e.msgstr != e.msgid and e.msgstr not in msgids and wordy(e.msgstr)
    }
    return Rules(frozenset(english), frozenset(dutch))


ENGLISH_RE = _phrases(ENGLISH)
DUTCH_RE = _phrases(DUTCH)


def language_problems(html: str, language: str, rules: Rules, *, data: frozenset[str]) -> list[str]:
    """The texts of a page in the wrong language; ``data`` are texts that are data (names)."""
    if language == "nl":
        known, pattern = rules.english, ENGLISH_RE
    else:
        known, pattern = rules.dutch, DUTCH_RE
    return [
        text
        for text in visible_texts(html)
        if text not in data and (text in known or pattern.search(text))
    ]


# The pages a role may open, once per role: each test makes the world once.
PAGE_ROUTES = [route for route in all_routes() if route.method == "get" and not route.api]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_page_speaks_one_language(world: World, role: Role, rules: Rules) -> None:
    client = Client()
    client.force_login(world.user(role))
    # The role users' user names are the role codes ("analyst"): data, not interface.
    data = frozenset(user.get_username() for user in world.users.values())
    found: dict[str, list[str]] = {}
    for route in PAGE_ROUTES:
        if route.expected(role) != 200:
            continue
        sid = transaction.savepoint_create()
        try:
            url = reverse(route.name, kwargs=route.kwargs(world)) + route.query
            for language in ("nl", "en"):
                client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
                response = client.get(url)
                assert response.status_code == 200, f"{url} ({language}): {response.status_code}"
                if "text/html" not in response.get("Content-Type", ""):
                    break
                problems = language_problems(response.content.decode(), language, rules, data=data)
                if problems:
                    found[f"{language} {route.name} {url}"] = sorted(set(problems))
        finally:
            transaction.savepoint_rollback(sid)
    assert found == {}, "\n".join(f"{page}: {texts}" for page, texts in found.items())


def test_the_check_finds_leftovers(rules: Rules) -> None:
    """The crawl's own control: what it must find, and what it must leave alone."""
    none: frozenset[str] = frozenset()
    assert language_problems("<option>- Select an option -</option>", "nl", rules, data=none)
    assert language_problems('<input placeholder="Search">', "nl", rules, data=none)
    assert language_problems("<p>Who looked at your data</p>", "nl", rules, data=none)
    assert language_problems("<button>Opslaan</button>", "en", rules, data=none)
    assert language_problems("<h1>Wie uw gegevens inzag</h1>", "en", rules, data=none)
    assert not language_problems('<button lang="en">English</button>', "nl", rules, data=none)
    assert not language_problems("<script>var the = 1;</script>", "nl", rules, data=none)
    assert not language_problems("<td>analyst</td>", "nl", rules, data=frozenset({"analyst"}))
