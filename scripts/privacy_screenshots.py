"""Retake the screenshots of issue 11's points 1, 2, 4 and 5 in ``docs/privacy.md``.

The pictures show each point as a person uses it on the demo: the analyst's neutral marker
and the forward to the commissioner, the commissioner's decision (1); the administrator
refused a retention period above six months, the purge records and the legal hold, the
events cited at escalation (2); the employee's messages after a reveal and a dismissal (4);
the protocol in "Mijn gegevens" and the works council's confirmations per unit (5). Point 3
has its own (``docs/img/consent-*.png``); point 6 is not pictured here.

It only reads: nothing is submitted except the administrator's refused retention period,
which VIK refuses and therefore does not store. So it can be run again on the same demo.

How to run (the demo of ``seed_demo``, which adds the examples of
``monitoring.demo.seed_privacy_examples``; the demo password of every login)::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/vik REDIS_URL=
    DEBUG=true .venv/bin/python manage.py migrate
    DEBUG=true .venv/bin/python manage.py seed_demo
    DEBUG=true .venv/bin/python manage.py runserver 127.0.0.1:8107 &
    DEBUG=true .venv/bin/python scripts/privacy_screenshots.py --base http://127.0.0.1:8107

The script reads the demo's object numbers from the same database (``DATABASE_URL``), then
drives the system's Chromium (``/usr/bin/chromium``) at 1280 × 800 in Dutch, and writes
``docs/img/privacy-<point>-<what>.png``. Look at each picture before committing it.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
PASSWORD = os.environ.get("VIK_DEMO_PASSWORD", "vik-demo-2026")
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}


@dataclass
class DemoObjects:
    """The numbers of the demo's examples (``monitoring.demo.seed_privacy_examples``)."""

    waiting_signal: int
    case: int
    forwarded: int
    focus_signal: int


def demo_objects() -> DemoObjects:
    """Look the examples up in the database (before the browser starts: Django is sync)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vik.settings")
    import django

    django.setup()
    from cases.models import ForwardedSignal
    from monitoring.demo import DEMO_FOCUS, DEMO_START, EXAMPLE_PREFIX
    from monitoring.models import Signal

    waiting = Signal.objects.get(evidence__event_id=f"{EXAMPLE_PREFIX}matter-1-0")
    sent = Signal.objects.get(evidence__event_id=f"{EXAMPLE_PREFIX}matter-2-0")
    forwarded = ForwardedSignal.objects.get(source_reference=f"monitoring.signal:{sent.pk}")
    focus = Signal.objects.get(employee__personnel_number__in=DEMO_FOCUS, window_start=DEMO_START)
    return DemoObjects(waiting.pk, forwarded.case_id, forwarded.pk, focus.pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8107")
    base = parser.parse_args().base.rstrip("/")
    ids = demo_objects()
    from playwright.sync_api import Page, sync_playwright

    def sign_in(page: Page, username: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form:has(input[name=password]) button[type=submit]")
        page.wait_for_load_state()

    def shot(page: Page, name: str, *, selector: str = "", height: int = 0) -> None:
        """The viewport; one region of the page; or the page's top ``height`` pixels."""
        path = OUT / f"privacy-{name}.png"
        page.wait_for_load_state()
        if selector:
            page.locator(selector).first.screenshot(path=path)
        elif height:
            clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height}
            page.screenshot(path=path, full_page=True, clip=clip)
        else:
            page.screenshot(path=path, full_page=False)
        sys.stdout.write(f"{path.relative_to(ROOT)}\n")

    def scroll_to(page: Page, selector: str, *, margin: int = 16) -> None:
        """Put the element at the top of the window (under a margin)."""
        page.locator(selector).first.evaluate("element => element.scrollIntoView()")
        page.evaluate(f"window.scrollBy(0, -{margin})")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        # Reduced motion: Bootstrap's smooth scrolling would still be under way at the shot.
        context = browser.new_context(viewport=VIEWPORT, locale="nl-NL", reduced_motion="reduce")
        page = context.new_page()
        page.set_default_timeout(15_000)

        # 1. The analyst: a signal about a party to an open case (no team chief on offer),
        # and the form that forwards it to the commissioner.
        sign_in(page, "analist")
        page.goto(f"{base}/monitoring/signals/{ids.waiting_signal}/")
        shot(page, "1-marker", height=560)
        page.get_by_role("link", name="Doorsturen naar de opdrachtgever").click()
        page.wait_for_selector("#decision-form form")
        shot(page, "1-forward", selector="#decision-form")
        # 2. The events the record cites, chosen at escalation (a signal with no matter).
        page.goto(f"{base}/monitoring/signals/{ids.focus_signal}/escalate/")
        shot(page, "2-cited-events", selector="main")

        # 1. The commissioner: the forwarded signal on the case page, and the decision.
        sign_in(page, "hoofdvik")
        page.goto(f"{base}/cases/{ids.case}/forwarded/{ids.forwarded}/")
        shot(page, "1-commissioner-decides")

        # 2. The administrator asks for twelve months of access events: refused, with why.
        sign_in(page, "beheerder")
        page.goto(f"{base}/transparency/retention/monitoring.access_events/")
        page.fill("input[name=period_months]", "12")
        page.fill("textarea[name=reason]", "Trage patronen langer kunnen zien.")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        shot(page, "2-retention-refused")

        # 2. The privacy officer: purge records with counts, the legal hold on one employee.
        sign_in(page, "privacy")
        page.goto(f"{base}/transparency/retention/")
        scroll_to(page, "h2:text('Uitgevoerde opschoning')")
        shot(page, "2-purges-and-hold")

        # 4. The employee: the messages after a reveal of her name and after a dismissal.
        sign_in(page, "medewerker")
        page.goto(f"{base}/messages/")
        shot(page, "4-messages", height=460)
        # 5. The protocol in "Mijn gegevens", marked in the menu until she confirms it.
        # 5. Her home page marks the protocol as waiting until she confirms it; the protocol
        # itself, under "Mijn gegevens".
        page.goto(f"{base}/")
        shot(page, "5-protocol-waiting", height=420)
        page.goto(f"{base}/monitoring/protocol/")
        shot(page, "5-protocol-receipt", height=600)

        # 5. The works council: confirmations per unit, suppressed like every figure.
        sign_in(page, "cor")
        page.goto(f"{base}/transparency/dashboard/monitoring.protocol_receipts/")
        scroll_to(page, "h2:text('Per eenheid')")
        shot(page, "5-council-confirmations")

        browser.close()


if __name__ == "__main__":
    main()
