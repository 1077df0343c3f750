"""Site-wide page parts: the icon (no 404 on every page) and the marker on required fields."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from vik.roles import Role


@pytest.mark.django_db
def test_every_page_links_an_icon_that_exists(client_for) -> None:
    client = client_for(Role.ANALYST)
    page = client.get(reverse("vik:home")).content.decode()
    assert 'rel="icon" href="/static/vik/favicon.svg"' in page
    icon = client.get("/static/vik/favicon.svg")
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
    # What asks for /favicon.ico anyway (the admin, the API docs) is sent to it.
    answer = client.get("/favicon.ico")
    assert (answer.status_code, answer["Location"]) == (301, "/static/vik/favicon.svg")


class _Form(forms.Form):
    name = forms.CharField(label="Naam")
    note = forms.CharField(label="Toelichting", required=False)
    agree = forms.BooleanField(label="Akkoord")


def test_required_fields_carry_a_marker_and_the_form_explains_it_once() -> None:
    with translation.override("nl"):
        html = str(_Form())
    marker = '<span class="required-marker text-danger" aria-hidden="true">*</span>'
    assert f"Naam{marker}</label>" in html.replace(" <span", "<span")
    assert f"Akkoord{marker}</label>" in html.replace(" <span", "<span")
    assert "Toelichting</label>" in html
    assert html.count("verplicht veld") == 1
    assert re.search(r'<input[^>]*name="name"[^>]*required', html)  # read out as required


def test_a_form_without_required_fields_says_nothing_about_them() -> None:
    class Filter(forms.Form):
        q = forms.CharField(label="Zoeken", required=False)

    assert "required-marker" not in str(Filter())


@pytest.mark.django_db
def test_pages_with_personal_data_are_never_stored_by_the_browser(world, client_for) -> None:
    # A shared workstation: after sign-out, the back button or the disk cache must not show
    # an employee's record, a case or a signal queue. Static files keep their lifetimes.
    client = client_for(Role.INVESTIGATOR)
    for url in (
        reverse("vik:employee_detail", args=[world.subject.pk]),
        reverse("vik:employee_list") + "?q=Subject",
        reverse("vik:home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
    assert client.get("/favicon.ico")["Cache-Control"] == "no-store"
    static = client.get("/static/vik/favicon.svg")
    assert "no-store" not in static.get("Cache-Control", "")
