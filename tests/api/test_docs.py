"""The API documentation: the script in docs/api.md is the script in scripts/, and the
documentation pages load nothing from elsewhere and keep the CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_the_script_in_the_docs_is_the_script() -> None:
    docs = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- script:start -->\n```bash\n(.*?)```\n<!-- script:end -->", docs, re.S)
    assert block is not None
    assert block.group(1) == (ROOT / "scripts" / "api_example.sh").read_text(encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["api:docs", "api:redoc"])
def test_documentation_pages_load_only_our_own_files(name: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html  # nothing inline
    assert "<style" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing from elsewhere
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-eval" not in csp
    assert "default-src 'self'" in csp


@pytest.mark.django_db
def test_the_site_keeps_its_strict_style_policy() -> None:
    csp = Client().get(reverse("vik:login"))["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
