"""The data lake: one immutable Parquet file per import batch, per source.

    KAOHE_HOME/lake/<source>/batch-000001.parquet
    KAOHE_HOME/lake/<source>/manifest.json      the batches, in order, with their counts

A batch holds only the records that were new or changed when it was imported; a changed
record's newest version wins. DuckDB reads the files in place.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class BatchInfo:
    seq: int
    file: str  # the Parquet file, relative to the source's folder; "" when nothing was new
    source_file: str  # the name of the file imported
    checksum: str  # sha256 of the imported file
    rows_read: int
    accepted: int  # new records
    replaced: int  # records that changed and replace their older version
    unchanged: int  # records already in the lake exactly so
    rejected: int  # bad rows (only with quarantine; otherwise the file is refused)
    imported_at: str
    by: str = ""
    quarantine_file: str = ""
    report_file: str = ""
    unknown_employees: dict[str, int] = field(default_factory=dict)


class Lake:
    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, source: str) -> Path:
        return self.root / source

    def batches(self, source: str) -> list[BatchInfo]:
        path = self.folder(source) / "manifest.json"
        if not path.is_file():
            return []
        return [BatchInfo(**item) for item in json.loads(path.read_text(encoding="utf-8"))]

    def files(self, source: str) -> list[Path]:
        return [self.folder(source) / b.file for b in self.batches(source) if b.file]

    def has_replacements(self, source: str) -> bool:
        return any(b.replaced for b in self.batches(source))

    def current(self, source: str, columns: str = "*") -> str | None:
        """SQL for the source's current records (the newest version of each), or None."""
        files = self.files(source)
        if not files:
            return None
        listed = ", ".join(f"'{path.as_posix()}'" for path in files)
        scan = f"read_parquet([{listed}], union_by_name = true)"
        if not self.has_replacements(source):
            # No record was ever replaced, so every key appears once: skip the window.
            return f"(SELECT {columns} FROM {scan})"
        from ._sources import SOURCES

        key = SOURCES[source].key
        return (
            f"(SELECT {columns} FROM {scan} "
            f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _batch DESC) = 1)"
        )

    @contextmanager
    def locked(self, source: str) -> Iterator[None]:
        """One import at a time per source, across processes."""
        folder = self.folder(source)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / ".lock").open("w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def record(self, source: str, info: BatchInfo) -> None:
        """Add a batch to the manifest, atomically (call while locked)."""
        batches = [*self.batches(source), info]
        path = self.folder(source) / "manifest.json"
        temporary = path.with_suffix(".json.tmp")
        temporary.write_text(
            json.dumps([asdict(b) for b in batches], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        os.replace(temporary, path)

    def next_seq(self, source: str) -> int:
        return max((b.seq for b in self.batches(source)), default=0) + 1
