"""What may be attached to a journal entry: a size limit and a content-type allow-list by file content."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# The first bytes of each allowed type; the name and the browser's claim are not trusted.
_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]
ALLOWED_TYPES = ("application/pdf", "image/png", "image/jpeg", "text/plain")


def check_upload(upload: UploadedFile) -> str:
    """Return the file's real content type, or raise a ValidationError saying what is wrong."""
    limit = settings.CONTINUUM_MAX_UPLOAD_MB * 1024 * 1024
    if (upload.size or 0) > limit:
        raise ValidationError(
            {"attachments": _("A file may be at most %(size)s MB.") % {"size": settings.CONTINUUM_MAX_UPLOAD_MB}}
        )
    if not upload.size:
        raise ValidationError({"attachments": _("The file is empty.")})
    head = upload.read(2048)
    upload.seek(0)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # The chunk may end inside a multi-byte character; judge on all but the last few bytes.
        try:
            head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if b"\x00" not in head:
                return "text/plain"
    else:
        if b"\x00" not in head:
            return "text/plain"
    raise ValidationError({"attachments": _("Only PDF, PNG, JPEG and plain text files can be attached.")})
