"""PDFs as production renders them: DEBUG off and static files collected into a manifest.

With the manifest storage, ``{% static 'vik/pdf.css' %}`` gives a hashed name
(``vik/pdf.<hash>.css``) that the static-file finders do not know. The PDF fetcher must
resolve it to the collected file, or every document loses its stylesheet: no running header,
no "pagina X van Y", no initials boxes after the first page, no hash or classification.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings

from cases import documents, services
from cases.models import LetterKind
from tests.cases.builders import Flow
from tests.cases.test_documents import LONG_TEXT, pages_of
from vik import pdf, pdf_fetcher

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext"),
]

MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """VIK's static files collected once, with hashed names and a manifest (as in production)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(
        STATIC_ROOT=root,
        STORAGES={"staticfiles": {"BACKEND": MANIFEST_STORAGE}},
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (root / "staticfiles.json").exists()
    return root


@pytest.fixture
def production_static(collected: Path) -> Iterator[Path]:
    """The manifest storage for one test, and the finders' source directories out of reach."""
    with override_settings(
        STATIC_ROOT=collected,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
            "staticfiles": {"BACKEND": MANIFEST_STORAGE},
        },
        WHITENOISE_USE_FINDERS=False,
    ):
        assert ".css" in staticfiles_storage.url("vik/pdf.css")
        assert staticfiles_storage.url("vik/pdf.css") != "/static/vik/pdf.css"
        yield collected


def test_every_page_of_a_signed_report_has_its_furniture_with_the_manifest(
    flow: Flow, tmp_path: Path, production_static: Path
) -> None:
    interview = flow.interviewed()
    version = services.create_report_version(
        interview=interview, content=LONG_TEXT, acting_user=flow.investigator
    )
    version = services.send_report_version(
        version=version, sent_on=flow.today, acting_user=flow.investigator
    )
    pages = pages_of(documents.interview_report_pdf(version), tmp_path)
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        flat = " ".join(page.split())
        assert f"pagina {number} van {len(pages)}" in flat
        assert version.content_hash in flat.replace(" ", "")
        assert flat.count("Paraaf") == 3
        assert "Politie — vertrouwelijk" in flat
        assert f"{version.interview.investigation.case.reference} · versie 1" in flat


def test_a_letter_has_its_page_numbers_with_the_manifest(
    flow: Flow, tmp_path: Path, production_static: Path
) -> None:
    flow.started()
    letter = flow.case.investigation.letters.get(kind=LetterKind.NOTIFICATION)  # type: ignore[union-attr]
    text = " ".join(" ".join(pages_of(documents.letter_pdf(letter), tmp_path)).split())
    assert "pagina 1 van 1" in text
    assert "Politie — vertrouwelijk" in text


def test_the_hashed_stylesheet_resolves_to_the_collected_file(production_static: Path) -> None:
    hashed = staticfiles_storage.url("vik/pdf.css").removeprefix("/static/")
    found = pdf.find_static(hashed)
    assert found is not None
    assert Path(found).resolve().is_relative_to(production_static.resolve())


def test_the_fetcher_still_refuses_paths_outside_the_static_files(
    production_static: Path,
) -> None:
    fetcher = pdf_fetcher.StaticOnlyFetcher()
    for url in (
        f"{pdf.PDF_BASE_URL}static/../../etc/passwd",
        f"{pdf.PDF_BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{pdf.PDF_BASE_URL}static/vik/missing.css",
        "https://example.org/static/vik/pdf.css",
    ):
        with pytest.raises(ValueError, match=r"static file|VIK static"):
            fetcher.fetch(url)
