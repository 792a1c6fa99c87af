"""What may be attached: office documents, PDF/OFD, images and plain text, up to a size limit.
The extension must match the file's first bytes, so a renamed executable is refused."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office and WPS files
ZIP = b"PK\x03\x04"  # OOXML, OFD and zip archives
# Extension → the signatures its content may start with (None: text, checked for NUL bytes).
SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF-",),
    ".ofd": (ZIP,),
    ".doc": (OLE,),
    ".xls": (OLE,),
    ".ppt": (OLE,),
    ".wps": (OLE,),
    ".et": (OLE,),
    ".docx": (ZIP,),
    ".xlsx": (ZIP,),
    ".pptx": (ZIP,),
    ".zip": (ZIP,),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".txt": None,
    ".csv": None,
}


def validate_upload(upload) -> None:
    """Raise ValidationError with a message in the user's language when `upload` may not be kept."""
    name = upload.name or ""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in SIGNATURES:
        allowed = "、".join(s.lstrip(".") for s in SIGNATURES)
        raise ValidationError(_("“%(name)s”: files of this type cannot be attached. Allowed types: %(allowed)s.") % {"name": name, "allowed": allowed})
    limit = settings.PEIYU_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; attachments may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    signatures = SIGNATURES[suffix]
    if signatures is None:
        matches = b"\x00" not in head
    else:
        matches = any(head.startswith(sig) for sig in signatures)
    if not matches:
        raise ValidationError(_("“%(name)s” is not really a %(type)s file.") % {"name": name, "type": suffix.lstrip(".").upper()})
