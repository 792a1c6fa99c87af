"""Uploaded files waiting for their preview and commit, kept under MEDIA_ROOT/imports/<token>/
with a small JSON description; only the user who uploaded one can see it. Uploads older than a
day are removed whenever a new one arrives."""

import hashlib
import json
import os
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404

MAX_AGE = 24 * 3600


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


@dataclass
class Upload:
    token: str
    meta: dict

    @property
    def folder(self) -> Path:
        return root() / self.token

    @property
    def path(self) -> Path:
        return self.folder / ("file" + Path(self.meta["file_name"]).suffix.lower()[:8])

    @property
    def report_path(self) -> Path:
        return self.folder / "report.json"

    def save_meta(self) -> None:
        (self.folder / "meta.json").write_text(json.dumps(self.meta, ensure_ascii=False))

    def save_report(self, data: dict) -> None:
        self.report_path.write_text(json.dumps(data, ensure_ascii=False, default=str))

    def claim(self, stage: str) -> bool:
        """Claim a stage (the commit) for one request: True for the first caller only, atomically
        across threads and worker processes, so a double click or two tabs write one batch."""
        try:
            os.close(os.open(self.folder / f"{stage}.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True

    def release(self, stage: str) -> None:
        """Give a claim back (the work failed and may be tried again)."""
        (self.folder / f"{stage}.claim").unlink(missing_ok=True)

    def report(self) -> dict | None:
        return json.loads(self.report_path.read_text()) if self.report_path.exists() else None


def save(uploaded, user, options: dict) -> Upload:
    """Store an uploaded file and its SHA-256."""
    clean_old()
    upload = Upload(secrets.token_hex(16), {})
    upload.folder.mkdir(parents=True)
    upload.meta = {"user": user.pk, "file_name": Path(uploaded.name).name[:200], "options": options, "created": time.time()}
    digest = hashlib.sha256()
    with upload.path.open("wb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            out.write(chunk)
    upload.meta["sha256"] = digest.hexdigest()
    upload.meta["size"] = upload.path.stat().st_size
    upload.save_meta()
    return upload


def load(token: str, user) -> Upload:
    if not token.isalnum():
        raise Http404
    try:
        meta = json.loads((root() / token / "meta.json").read_text())
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    if meta.get("user") != user.pk:
        raise Http404
    return Upload(token, meta)


def clean_old() -> None:
    if not root().exists():
        return
    for folder in root().iterdir():
        try:
            if time.time() - folder.stat().st_mtime > MAX_AGE:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


class SizeLimitHandler(FileUploadHandler):
    """Stops receiving an upload once it passes the limit, so a huge file never fills the disk;
    the view then reports the limit."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        request.upload_too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
