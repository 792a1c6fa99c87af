"""Backups as one portable file: a zip holding a JSON dump of every table and a manifest (see
core.backup_format for why JSON, and how timestamps keep their microseconds).

The same file restores into SQLite or PostgreSQL, so it also moves a platform between the two.
"""

import json
import tempfile
import zipfile
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

import peiyu
from peiyu.core import history
from peiyu.core.caching import new_data_generation

# Rebuilt by migrations or meaningless outside one process.
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]
FORMAT = "peiyu-backup/2"
# Version 1 held an XML dump, which restores as it always did.
DUMPS = {"peiyu-backup/1": ("data.xml", "xml"), FORMAT: ("data.json", "peiyu-json")}


def _register_format():
    serializers.register_serializer("peiyu-json", "peiyu.core.backup_format")


def model_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.managed and not model._meta.proxy and label.split(".")[0] not in {"contenttypes", "sessions"} and label != "auth.permission":
            counts[label] = model._base_manager.count()
    return counts


def write_backup(path: Path) -> dict:
    """Counts and dump come from one transaction (one snapshot on PostgreSQL; on SQLite the
    transaction holds the write lock), so a backup taken while people work still restores."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _write_backup(path)


def _write_backup(path: Path) -> dict:
    manifest = {
        "format": FORMAT,
        "version": peiyu.__version__,
        "created": timezone.now().isoformat(),
        "database": connection.vendor,
        "counts": model_counts(),
    }
    name, serialization = DUMPS[FORMAT]
    _register_format()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / name
        call_command(
            "dumpdata", "--all", "--natural-foreign", "--natural-primary", "--format", serialization, exclude=EXCLUDED,
            output=str(dump), verbosity=0,
        )
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
            archive.write(dump, name)
    return manifest


class BackupError(Exception):
    pass


def read_manifest(path: Path) -> dict:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as exc:
        raise BackupError(f"{path} is not a Peiyu backup ({exc})") from exc
    if manifest.get("format") not in DUMPS:
        raise BackupError(f"{path} has unknown format {manifest.get('format')!r}")
    return manifest


def restore_backup(path: Path) -> dict:
    """Replace every row with the backup's, in one transaction: on any error nothing changes.
    Cached figures (the dashboard's) are keyed by a data generation that starts anew afterwards:
    the restored rows may have the same ids as the replaced ones, so ids cannot tell them apart."""
    manifest = _restore(path)
    new_data_generation()
    return manifest


@transaction.atomic
def _restore(path: Path) -> dict:
    manifest = read_manifest(path)
    name, serialization = DUMPS[manifest["format"]]
    _register_format()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(path) as archive:
        # loaddata reads the format from the file's extension.
        dump = Path(tmp) / f"data.{serialization}"
        dump.write_bytes(archive.read(name))
        call_command("flush", "--no-input", verbosity=0)  # post_migrate re-creates content types
        ContentType.objects.clear_cache()  # ids may have changed; dumps refer to them by natural key
        with history.muted():
            call_command("loaddata", str(dump), verbosity=0)
    counts = model_counts()
    missing = {label: n for label, n in manifest["counts"].items() if counts.get(label) != n}
    if missing:
        raise BackupError(f"restored counts differ from the backup: {missing}")
    return manifest
