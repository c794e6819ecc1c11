"""Files people upload to be checked and imported: one place that saves and removes them.

An upload is kept in ``settings.UPLOADS_DIR`` under a random token (never the name the
browser sent), with a suffix from ``kaohe.tabular.SUFFIXES``. Nothing here reads the file
into memory: Django spools a large upload to a temporary file, which is moved (or, across
file systems, copied in chunks) into place. A file that is checked but never imported is
removed after ``settings.UPLOAD_RETENTION_HOURS``; ``sweep_uploads`` runs when kaohe starts
and whenever a new file is uploaded.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.move import file_move_safe
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kaohe.tabular import SUFFIXES

log = logging.getLogger("kaohe.uploads")

_TOKEN = re.compile(r"^[0-9a-f]{32}\.[a-z]+$")


class UploadRefused(ValueError):
    """The upload cannot be kept; the message is for the person who sent it."""


@dataclass(frozen=True)
class SavedUpload:
    path: Path  # where it is kept
    name: str  # the name it had on the uploader's computer, without any folder

    @property
    def token(self) -> str:
        return self.path.name


def uploads_dir() -> Path:
    return Path(settings.UPLOADS_DIR)


def save_upload(upload: UploadedFile) -> SavedUpload:
    """Keep an uploaded file under a random token; refuses a type ``tabular`` cannot read.
    Sweeps old uploads first, so that the folder never outgrows a day of work."""
    name = Path(upload.name or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise UploadRefused(_("%(name)s is not a CSV or XLSX file.") % {"name": name})
    folder = uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    sweep_uploads()
    target = folder / (secrets.token_hex(16) + suffix)
    temporary = getattr(upload, "temporary_file_path", None)
    if temporary is not None:
        upload.file.flush()
        file_move_safe(temporary(), str(target), allow_overwrite=False)
    else:  # a small upload Django kept in memory
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
    return SavedUpload(target, name)


def upload_path(token: str) -> Path | None:
    """The kept file for a token a page or job stored, or None when it is gone or the
    token is not one ``save_upload`` made (never a path outside the uploads folder)."""
    if not _TOKEN.match(token):
        return None
    path = uploads_dir() / token
    return path if path.is_file() else None


def remove_upload(token: str) -> None:
    path = upload_path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def sweep_uploads(max_age_hours: float | None = None) -> list[Path]:
    """Remove uploads older than the retention time; returns what it removed."""
    hours = settings.UPLOAD_RETENTION_HOURS if max_age_hours is None else max_age_hours
    cutoff = time.time() - hours * 3600
    folder = uploads_dir()
    removed = []
    for path in folder.iterdir() if folder.is_dir() else ():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue  # another process swept it first
    if removed:
        log.info("removed %d upload(s) older than %g hours", len(removed), hours)
    return removed
