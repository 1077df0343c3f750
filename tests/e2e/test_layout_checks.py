"""The journeys' layout check finds what it must, and the site's CSS keeps labels whole.

``journey.step`` fails on a page that scrolls sideways or breaks a word over two lines
(tests/e2e/conftest.py). Its own control here, on small pages of the site's stylesheets: a
label in a card's narrow column — "Termijn herhalingsonderzoek", which broke as
"herhalingsonderz/oek" at 1280 px — stays whole at 1280 and at 1024 px.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import page_problems

pytestmark = pytest.mark.e2e

STATIC = Path(__file__).resolve().parents[2] / "static"
BOOTSTRAP = STATIC / "vendor/bootstrap-5.3.9/css/bootstrap.min.css"
VIK = STATIC / "vik/vik.css"

# The screening dossier's employee card as it was: a narrow column, a long label.
CARD = """
<div class="container"><div class="row"><div class="col-lg-7"></div><div class="col-lg-5">
  <section class="card"><div class="card-body"><dl class="row facts mb-0">
    <dt class="col-sm-5">Eenheid</dt><dd class="col-sm-7">Eenheid Amsterdam</dd>
    <dt class="col-sm-5">Termijn herhalingsonderzoek</dt><dd class="col-sm-7">8 jaar</dd>
    <dt class="col-sm-5">Volgend herhalingsonderzoek</dt><dd class="col-sm-7">26 juli 2026</dd>
  </dl></div></section>
</div></div></div>
"""


def show(page: Page, body: str, *, site_css: bool = True) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    page.set_content(f'<html lang="nl"><body>{body}</body></html>')
    page.add_style_tag(path=str(BOOTSTRAP))
    if site_css:
        page.add_style_tag(path=str(VIK))


def test_the_check_finds_a_broken_word_and_a_page_too_wide(page: Page) -> None:
    show(page, CARD, site_css=False)  # Bootstrap alone: the card breaks the long word
    problems = page_problems(page)
    assert any("herhalingsonderzoek" in problem for problem in problems), problems

    show(page, '<div style="width: 1400px">breed</div>')
    assert page_problems(page) == [
        "at 1280px the page is 120px too wide",
        "at 1024px the page is 376px too wide",
    ]


def test_a_label_in_a_narrow_card_stays_whole(page: Page) -> None:
    show(page, CARD)
    assert page_problems(page) == []
    # The value stays beside its label, not under it.
    label = page.get_by_text("Termijn herhalingsonderzoek").bounding_box()
    value = page.get_by_text("8 jaar").bounding_box()
    assert label is not None
    assert value is not None
    assert value["x"] >= label["x"] + label["width"]
    assert abs(value["y"] - label["y"]) < 2
