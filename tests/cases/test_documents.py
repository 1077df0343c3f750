"""The PDFs: what is on every page, what is in the report, and what never is."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cases import documents, services
from cases.models import Channel, LetterKind
from tests.cases.builders import Flow

PDFTOTEXT = shutil.which("pdftotext") or "pdftotext"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext"),
]

LONG_TEXT = "\n\n".join(
    f"Alinea {n}. De geïnterviewde verklaart uitgebreid over de gang van zaken op de dag in "
    "kwestie, over de raadplegingen, over de collega's die aanwezig waren en over de reden "
    "waarom hij de registratie opende. " * 3
    for n in range(1, 40)
)


def pages_of(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_every_page_of_an_interview_report_has_hash_page_number_and_initials(
    flow: Flow, tmp_path: Path
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
        assert flat.count("Paraaf") == 3  # the interviewee and both investigators
        assert f"{version.interview.investigation.case.reference} · versie 1" in flat
    assert "Ondertekening" in pages[-1]


def test_a_draft_says_so_and_has_no_hash(flow: Flow, tmp_path: Path) -> None:
    version = services.create_report_version(
        interview=flow.interviewed(), content="Kort verslag.", acting_user=flow.investigator
    )
    text = " ".join(pages_of(documents.interview_report_pdf(version), tmp_path))
    assert "CONCEPT" in text
    assert "geen inhoudshash" in text


def test_the_end_states_show_in_the_report(flow: Flow, tmp_path: Path) -> None:
    version = flow.sent_version()
    version = services.record_version_refused_to_sign(
        version=version,
        responded_on=flow.today,
        reason="Tekent uit principe niet.",
        acting_user=flow.investigator,
    )
    text = " ".join(" ".join(pages_of(documents.interview_report_pdf(version), tmp_path)).split())
    assert "weigert te ondertekenen" in text
    assert "Tekent uit principe niet." in text


def test_the_letters_are_dutch_documents(flow: Flow, tmp_path: Path) -> None:
    flow.started()
    letter = flow.case.investigation.letters.get(kind=LetterKind.NOTIFICATION)  # type: ignore[union-attr]
    text = " ".join(" ".join(pages_of(documents.letter_pdf(letter), tmp_path)).split())
    assert "Kennisgeving van een integriteitsonderzoek" in text
    assert f"Geachte {flow.world.subject.full_name}" in text
    assert "vertrouwenspersoon" in text
    assert "pagina 1 van 1" in text


def test_the_investigation_report_has_all_its_parts(flow: Flow, tmp_path: Path) -> None:
    flow.submitted()
    assert flow.case is not None
    steps: list[tuple[int, str]] = []
    pdf, count = documents.investigation_report_pdf(
        flow.case, progress=lambda percent, step: steps.append((percent, step))
    )
    pages = pages_of(pdf, tmp_path)
    assert len(pages) == count
    text = " ".join(" ".join(pages).split())
    for part in (
        "Onderzoeksrapport",
        "Inhoud",
        "Aanleiding en opdracht",
        "Onderzoeksvragen",
        "Verantwoording van de informatievergaring",
        "Journaal",
        "Verhoren",
        "Wederhoor",
        "Bevindingen en conclusie",
        "Betrokkene erkent de raadplegingen.",  # the hearing's reaction
    ):
        assert part in text, part
    # The table of contents has page numbers from the layout (not zeros).
    toc = " ".join(pages[1].split())
    assert "Wederhoor . ." in toc
    assert not toc.rstrip().endswith(" 0")
    assert [percent for percent, _step in steps] == sorted(percent for percent, _step in steps)
    assert steps[-1][0] == 100


def test_the_reporter_is_named_only_with_consent(flow: Flow, tmp_path: Path) -> None:
    flow.reported(
        channel=Channel.WHISTLEBLOWER,
        reporter_identity=services.ReporterDetails(name="Karel Klokkenluider"),
    )
    flow.submitted()
    assert flow.case is not None
    text = " ".join(pages_of(documents.investigation_report_pdf(flow.case)[0], tmp_path))
    assert "Klokkenluider" not in text
    assert "afgeschermd" in text
    services.record_reporter_consent(
        case=flow.case, consent_to_disclose=True, acting_user=flow.head
    )
    text = " ".join(pages_of(documents.investigation_report_pdf(flow.case)[0], tmp_path))
    assert "Karel Klokkenluider" in text


def test_a_report_filed_without_agreement_has_no_signature_lines(
    flow: Flow, tmp_path: Path
) -> None:
    version = flow.sent_version()
    version = services.record_version_not_agreed(
        version=version,
        reaction="Dat heb ik niet gezegd.",
        responded_on=flow.today,
        note="De opname bevestigt het verslag.",
        acting_user=flow.investigator,
    )
    text = " ".join(" ".join(pages_of(documents.interview_report_pdf(version), tmp_path)).split())
    assert "Niet ondertekend" in text
    assert "Reactie van de geïnterviewde Dat heb ik niet gezegd." in text
    assert "Voor akkoord ondertekend" not in text
