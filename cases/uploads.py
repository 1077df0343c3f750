"""Checks on uploaded evidence: an allowed type, recognised by its content, and a size limit.

The browser's content type and the file name are claims; the first bytes are checked
against the type the extension promises, so a renamed executable is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    content_type: str
    signatures: tuple[bytes, ...] = ()  # accepted leading bytes; empty means UTF-8 text
    offset: int = 0
    # Text that may also come in Windows-1252 (a spreadsheet's CSV export); never binary.
    legacy_text: bool = False


_OFFICE = (b"PK\x03\x04",)
ALLOWED_TYPES: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", (b"%PDF-",)),
    ".png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _OFFICE
    ),
    ".xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _OFFICE),
    ".txt": FileType("text/plain"),
    # A logging extract (who looked at what) is naturally a CSV export: UTF-8 text.
    ".csv": FileType("text/csv", legacy_text=True),
    ".eml": FileType("message/rfc822"),
    ".mp3": FileType("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    ".wav": FileType("audio/wav", (b"RIFF",)),
    ".m4a": FileType("audio/mp4", (b"ftyp",), offset=4),
}


def _utf8_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the 4 KiB boundary is still text.
        return error.start >= len(head) - 3
    return True


def _legacy_text(file_type: FileType, head: bytes) -> bool:
    if not file_type.legacy_text:
        return False
    try:
        head.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int
    sha256: str
    original_name: str


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """Refuse what is too big, of a type not on the list, or not what its name says."""
    name = PurePosixPath((upload.name or "").replace("\\", "/")).name
    suffix = PurePosixPath(name).suffix.lower()
    file_type = ALLOWED_TYPES.get(suffix)
    if file_type is None:
        raise ValidationError(
            _("Files of this type are not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(ALLOWED_TYPES))},
            code="file_type",
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (at most %(max)s).")
            % {"max": filesizeformat(MAX_UPLOAD_BYTES)},
            code="file_size",
        )
    digest = hashlib.sha256()
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 4096:
            head += chunk[: 4096 - len(head)]
        digest.update(chunk)
    upload.seek(0)
    if file_type.signatures:
        start = head[file_type.offset :]
        if not any(start.startswith(signature) for signature in file_type.signatures):
            raise ValidationError(
                _("The content of the file does not match its type (%(suffix)s).")
                % {"suffix": suffix},
                code="file_content",
            )
    elif b"\x00" in head or not (_utf8_text(head) or _legacy_text(file_type, head)):
        # Text never holds NUL bytes; a CSV export from a spreadsheet may be Windows-1252.
        raise ValidationError(
            _("The content of the file does not match its type (%(suffix)s).") % {"suffix": suffix},
            code="file_content",
        )
    return CheckedUpload(
        content_type=file_type.content_type,
        size=size,
        sha256=digest.hexdigest(),
        original_name=name[:200],
    )
