"""The report of an import: one row per input, per failed record and per label imported incomplete."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from ..display import csv_cell

REPORT_COLUMNS = ("path", "record", "status", "key", "reason")
#: Statuses of the report rows the user must look at: the exit status is 1 when there are any.
FLAGGED = ("failed", "incomplete")


@dataclass
class ImportReport:
    """What an import did: one row per input and per failed record (the columns of REPORT_COLUMNS)."""

    rows: list[tuple] = field(default_factory=list)
    into: Path | None = None
    part: Path | None = None
    workers: int = 1  # processes that made labels: more than 1 when a large openFDA document was read

    def add(self, path: str, status: str, record: int | None = None, key: str = "", reason: str = "") -> None:
        self.rows.append((path, record, status, key, reason))

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for row in self.rows:
            out[row[2]] = out.get(row[2], 0) + 1
        return out

    @property
    def failed(self) -> list[tuple]:
        return [r for r in self.rows if r[2] == "failed"]

    @property
    def flagged(self) -> list[tuple]:
        """Rows of inputs or records that failed, and of labels imported incomplete."""
        return [r for r in self.rows if r[2] in FLAGGED]

    def summary_line(self) -> str:
        c = self.counts
        parts = ", ".join(f"{n:,} {status}" for status, n in sorted(c.items()))
        return f"{parts or 'nothing read'} -> {self.into}"

    def write_csv(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(REPORT_COLUMNS)
            # Paths and reasons are third-party text (file names, a record's words): neutralised as every
            # CSV the explorer writes, so that a spreadsheet runs none of it as a formula
            w.writerows(("" if v is None else csv_cell(v) for v in row) for row in self.rows)
