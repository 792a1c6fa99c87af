from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from peiyu.core.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Replace all data with a backup written by `peiyu backup` (asks first unless --no-input)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")

    def handle(self, file: Path, no_input: bool, **options):
        try:
            manifest = read_manifest(file)
            if not no_input:
                answer = input(f"Replace ALL data with the backup of {manifest['created']}? Type 'yes': ")
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled.")
            restore_backup(file)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored {sum(manifest['counts'].values())} rows from {file}."))
