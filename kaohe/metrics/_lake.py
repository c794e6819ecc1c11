"""The data lake: one immutable Parquet file per import batch, per source.

    KAOHE_HOME/lake/<source>/batch-000001.parquet
    KAOHE_HOME/lake/<source>/manifest.json      the batches, in order, with their counts

A batch holds only the records that were new or changed when it was imported; a changed
record's newest version wins. DuckDB reads the files in place.

A batch is written in steps, so that the lake and the app database that records each batch
agree even when a process dies half-way (see ``import_file``): the batch file is placed,
the manifest lists it as *pending*, the caller records it in its database, and only then
is it marked *committed*. Everything that reads the lake — the catalog, and the dedupe of
later imports — sees committed batches only. ``reconcile`` settles what a dead process
left behind, against the set of batches the database records.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from kaohe.core import Text

from ._errors import RowProblem

PENDING, COMMITTED = "pending", "committed"
MANIFEST = "manifest.json"

# What the database records: (source, seq) of every batch it knows.
Recorded = Callable[[], AbstractSet[tuple[str, int]]]


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
    # The sentiment model that scored the batch's texts (transcripts, survey comments);
    # each row names it too, in its sentiment_model column. "" when nothing was scored.
    sentiment_model: str = ""
    # Manifests written before batches had states hold committed batches only.
    state: str = COMMITTED
    # The first problems of a quarantined import or a preview; not kept in the manifest.
    problems: list[RowProblem] = field(default_factory=list, compare=False, repr=False)


@dataclass(frozen=True)
class LakeFinding:
    """One thing ``reconcile`` found, and what it did about it."""

    source: str
    seq: int | None
    file: str
    action: str  # committed, removed, reported (a person must look), skipped (busy)
    text: Text

    @property
    def needs_person(self) -> bool:
        return self.action == "reported"

    def __str__(self) -> str:
        return f"{self.source}: {self.text.en}"


class Lake:
    def __init__(self, root: Path, logger: logging.Logger | None = None) -> None:
        self.root = root
        self.log = logger or logging.getLogger("kaohe.metrics")

    def folder(self, source: str) -> Path:
        return self.root / source

    def entries(self, source: str) -> list[BatchInfo]:
        """Every batch in the manifest, pending ones too."""
        path = self.folder(source) / MANIFEST
        if not path.is_file():
            return []
        return [BatchInfo(**item) for item in json.loads(path.read_text(encoding="utf-8"))]

    def batches(self, source: str) -> list[BatchInfo]:
        """The committed batches: what metrics and later imports see."""
        return [b for b in self.entries(source) if b.state == COMMITTED]

    def pending(self, source: str) -> list[BatchInfo]:
        return [b for b in self.entries(source) if b.state == PENDING]

    def files(self, source: str) -> list[Path]:
        return [self.folder(source) / b.file for b in self.batches(source) if b.file]

    def has_replacements(self, source: str) -> bool:
        return any(b.replaced for b in self.batches(source))

    def current(self, source: str, columns: str = "*") -> str | None:
        """SQL for the source's current records (the newest version of each), or None."""
        files = self.files(source)
        if not files:
            return None
        from ._sources import SOURCES

        listed = ", ".join(f"'{path.as_posix()}'" for path in files)
        scan = f"read_parquet([{listed}], union_by_name = true)"
        missing = _missing_columns(SOURCES[source].derived, files)
        if missing:
            # Batches written before the import added these columns: theirs are null.
            nulls = ", ".join(f"NULL::{kind} AS {name}" for name, kind in missing)
            scan = f"(SELECT *, {nulls} FROM {scan})"
        if not self.has_replacements(source):
            # No record was ever replaced, so every key appears once: skip the window.
            return f"(SELECT {columns} FROM {scan})"
        key = SOURCES[source].key_sql()
        return (
            f"(SELECT {columns} FROM {scan} "
            f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY _batch DESC) = 1)"
        )

    @contextmanager
    def locked(self, source: str, *, wait: bool = True) -> Iterator[bool]:
        """One writer at a time per source, across processes; yields whether the lock is
        held (always, when ``wait``). A process that dies lets go of it."""
        folder = self.folder(source)
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / ".lock").open("w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def next_seq(self, source: str) -> int:
        return max((b.seq for b in self.entries(source)), default=0) + 1

    # --- writing (call while locked) ------------------------------------------------------

    def add_pending(self, source: str, info: BatchInfo) -> None:
        """List a placed batch file in the manifest, not yet visible to readers."""
        info.state = PENDING
        self._write(source, [*self.entries(source), info])

    def commit(self, source: str, seq: int) -> None:
        """Make a pending batch visible: its database record exists."""
        entries = self.entries(source)
        for entry in entries:
            if entry.seq == seq:
                entry.state = COMMITTED
        self._write(source, entries)

    def discard(self, source: str, seq: int) -> None:
        """Remove a batch, file and manifest entry (for one no database records)."""
        entries = self.entries(source)
        for entry in entries:
            if entry.seq == seq and entry.file:
                (self.folder(source) / entry.file).unlink(missing_ok=True)
        self._write(source, [e for e in entries if e.seq != seq])

    def _write(self, source: str, entries: list[BatchInfo]) -> None:
        """Replace the manifest atomically and durably: readers see the old one or the new."""
        path = self.folder(source) / MANIFEST
        temporary = path.with_suffix(".json.tmp")
        with temporary.open("w", encoding="utf-8") as handle:
            kept = [{k: v for k, v in asdict(b).items() if k != "problems"} for b in entries]
            json.dump(kept, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        sync_folder(path.parent)

    # --- reconciling with the database ----------------------------------------------------

    def reconcile(self, recorded: Recorded) -> list[LakeFinding]:
        """Settle every source's half-written batches against the database's records.

        ``recorded`` is asked only once every source's lock is held, so that no import can
        record a batch between the question and the answer. A source another process is
        importing into is skipped. Pending batches the database records are committed, the
        others removed, with stray batch and staging files; a committed batch the database
        does not record, or a recorded batch the lake lacks, is reported, never deleted.
        """
        findings: list[LakeFinding] = []
        with ExitStack() as stack:
            held = []
            for folder in sorted(p for p in self.root.glob("*") if p.is_dir()):
                if stack.enter_context(self.locked(folder.name, wait=False)):
                    held.append(folder.name)
                else:
                    findings.append(_busy(folder.name))
            known = recorded()
            for source in held:
                findings += self.settle(source, {seq for s, seq in known if s == source})
            busy = {f.source for f in findings if f.action == "skipped"}
            for source in sorted({s for s, _seq in known} - set(held) - busy):
                findings += _missing(source, sorted(seq for s, seq in known if s == source))
        for finding in findings:
            level = logging.WARNING if finding.action != "skipped" else logging.INFO
            self.log.log(level, "lake %s", finding)
        return findings

    def settle(self, source: str, recorded: AbstractSet[int]) -> list[LakeFinding]:
        """``reconcile`` for one source whose lock the caller holds; ``recorded`` are the
        seqs the database records for it."""
        findings = []
        for entry in self.pending(source):
            if entry.seq in recorded:
                self.commit(source, entry.seq)
                findings.append(_found(source, entry, "committed"))
            else:
                self.discard(source, entry.seq)
                findings.append(_found(source, entry, "removed"))
        findings += self._remove_strays(source)
        committed = self.batches(source)
        for entry in committed:
            if entry.seq not in recorded:
                findings.append(_found(source, entry, "unrecorded"))
            elif entry.file and not (self.folder(source) / entry.file).is_file():
                findings.append(_found(source, entry, "lost"))
        listed = {entry.seq for entry in committed}
        findings += _missing(source, sorted(set(recorded) - listed))
        return findings

    def _remove_strays(self, source: str) -> list[LakeFinding]:
        """Batch files no manifest entry names, staging files, a half-written manifest."""
        folder = self.folder(source)
        named = {entry.file for entry in self.entries(source) if entry.file}
        findings = []
        for path in sorted(folder.iterdir()):
            stray = (path.name.startswith("batch-") and path.name not in named) or (
                path.name.startswith(".staging-") or path.name == MANIFEST + ".tmp"
            )
            if stray and path.is_file():
                path.unlink()
                findings.append(
                    LakeFinding(
                        source, None, path.name, "removed",
                        Text(
                            f"删除了未登记的文件 {path.name}（中断的导入留下的）",
                            f"removed {path.name}, which no batch lists (left by an "
                            "interrupted import)",
                        ),
                    )
                )  # fmt: skip
        return findings


def _missing_columns(
    wanted: tuple[tuple[str, str], ...], files: list[Path]
) -> list[tuple[str, str]]:
    """The wanted columns no batch file holds. Every batch written since a column was
    added holds it, so the newest file nearly always answers at once."""
    missing = dict(wanted)
    for path in reversed(files):
        if not missing:
            break
        for name in pq.read_schema(path).names:
            missing.pop(name, None)
    return list(missing.items())


def sync_folder(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` survive a power cut."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _found(source: str, entry: BatchInfo, kind: str) -> LakeFinding:
    seq, name = entry.seq, entry.source_file
    texts = {
        "committed": (
            "committed",
            Text(
                f"第 {seq} 批（{name}）已在数据库中登记，补全了数据湖中的提交",
                f"batch {seq} ({name}) is recorded in the database; completed its commit",
            ),
        ),
        "removed": (
            "removed",
            Text(
                f"第 {seq} 批（{name}）在数据库中没有记录，已删除这次中断的导入",
                f"batch {seq} ({name}) has no database record; removed the interrupted import",
            ),
        ),
        "unrecorded": (
            "reported",
            Text(
                f"第 {seq} 批（{name}）在数据湖中，但数据库没有它的记录（数据库是否从旧备份恢复？）"
                "；未作改动，请核查",
                f"batch {seq} ({name}) is in the lake but the database has no record of it "
                "(was the database restored from an older backup?); left as it is — check it",
            ),
        ),
        "lost": (
            "reported",
            Text(
                f"第 {seq} 批（{name}）的数据文件 {entry.file} 不见了；请从备份恢复",
                f"batch {seq} ({name}): its file {entry.file} is missing; restore it from a backup",
            ),
        ),
    }
    action, text = texts[kind]
    return LakeFinding(source, seq, entry.file, action, text)


def _missing(source: str, seqs: list[int]) -> list[LakeFinding]:
    return [
        LakeFinding(
            source, seq, "", "reported",
            Text(
                f"数据库记录了第 {seq} 批，但数据湖中没有它；请从备份恢复数据湖",
                f"the database records batch {seq}, but the lake does not hold it; restore "
                "the lake from a backup",
            ),
        )
        for seq in seqs
    ]  # fmt: skip


def _busy(source: str) -> LakeFinding:
    return LakeFinding(
        source, None, "", "skipped",
        Text("正在导入，本次未检查；稍后再运行检查", "an import is running; not checked this time"),
    )  # fmt: skip
