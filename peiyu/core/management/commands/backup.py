from pathlib import Path

from django.core.management.base import BaseCommand

from peiyu.core.backup import write_backup


class Command(BaseCommand):
    help = "Write the whole database to one backup file (.zip) that `peiyu restore` reads back."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, file: Path, **options):
        manifest = write_backup(file)
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"Backup written to {file}: {rows} rows from {manifest['database']}."))
