"""What an import found and did: one result per data row, every problem, and the counts that go
into the batch record, the preview page and the command's JSON report."""

from collections import Counter
from dataclasses import asdict, dataclass, field

from .errors import Problem

NEW, CHANGED, UNCHANGED, ERROR, DUPLICATE = "new", "changed", "unchanged", "error", "duplicate"
STATUSES = (NEW, CHANGED, UNCHANGED, ERROR, DUPLICATE)


@dataclass
class RowResult:
    """One data row: its status, the record it concerns, what changes (field, old, new) and its
    problems as text."""

    sheet: str
    row: int
    status: str
    key: str = ""
    label: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    file_name: str = ""
    sha256: str = ""
    kind: str = ""
    strict: bool = False
    dry_run: bool = True
    sheets: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    written: bool = False
    batch: str = ""
    created_enterprises: int = 0
    skipped_rows: int = 0
    rejected: list[dict] = field(default_factory=list)  # rows with errors, cells in the template's columns

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    @property
    def counts(self) -> dict:
        statuses = Counter(row.status for row in self.rows)
        return {
            "rows": len(self.rows),
            **{status: statuses.get(status, 0) for status in STATUSES},
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "skipped_rows": self.skipped_rows,
            "enterprises_created": self.created_enterprises,
        }

    def as_dict(self, rows: bool = True) -> dict:
        data = {
            "file": self.file_name,
            "sha256": self.sha256,
            "kind": self.kind,
            "strict": self.strict,
            "dry_run": self.dry_run,
            "written": self.written,
            "batch": self.batch,
            "counts": self.counts,
            "sheets": self.sheets,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
        }
        if rows:
            data["rejected"] = self.rejected
            data["rows"] = [row.as_dict() for row in self.rows]
        return data
