"""One audit of a corpus: the claims, premises and number checks, whatever the facts come from, computed
once and saved beside the corpus.

:class:`Audit` is what ``explorer audit``, the notebooks and the dashboard all use, so the three give the
same answers: with a label store, every claim and premise of a drug whose label is held is checked
against the label's full text and the others against the curated facts; without one, everything is
checked against the curated facts. The findings (:mod:`explorer.audit.findings`) are read from it.

Saved once: :meth:`Audit.of` reuses the audit saved in the corpus folder's ``audit/`` subfolder when it
was computed from the same corpus, the same label store (or none) and the same explorer code and
reference data (:func:`audit_key`); otherwise it computes the audit and saves it there. A changed corpus,
label store, reference file or explorer release is noticed by its key, never served stale. A corpus built
in memory, or in a folder that cannot be written, is audited without being saved (the reason is kept in
:attr:`Audit.not_saved`).
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from .. import config
from ..corpus.folder import AUDIT_FILES, AUDIT_FOLDER, CORPUS_FILES

#: The tables of an audit, in the order every view shows them.
TABLES: tuple[str, ...] = ("claims", "premises", "numbers")
#: ``off`` in this environment variable: audits are always computed, never saved nor read back (the test
#: suite sets it; ``Audit.of(save=True)`` still saves).
SAVED_ENV = "EXPLORER_SAVED_AUDIT"
#: Bumped when the saved form changes (older saved audits are then computed again).
SAVED_FORMAT = 1
KEY_FILE = "audit.json"
_LOCK_FILE = "audit.lock"

#: ``progress(step, done, total)``: told as the audit goes. Steps: "claims" (done and total: the distinct
#: drug-claim pairs checked against labels; 0 and 1, then 1 and 1, without a label store), "premises",
#: "numbers" (0 and 1 when begun, 1 and 1 when done).
Progress = Callable[[str, int, int], None]


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "little"))
        h.update(p)
    return h.hexdigest()


def corpus_version(root: Path | None) -> str | None:
    """What identifies a corpus folder's content: its manifest's bytes and each table file's size and
    modification time (an ingest writes new files; it never edits one in place). None for a corpus
    built in memory."""
    if root is None:
        return None
    root = Path(root)
    parts = [(root / "manifest.json").read_bytes()]
    with os.scandir(root) as entries:
        for e in sorted(entries, key=lambda e: e.name):
            if e.name in CORPUS_FILES and e.is_file(follow_symlinks=False):
                st = e.stat(follow_symlinks=False)
                parts.append(f"{e.name} {st.st_size} {st.st_mtime_ns}".encode())
    return _digest(*parts)


def store_version(labels) -> str | None:
    """What identifies a label store's content: its manifest (every import rewrites it, listing the parts
    it added). None without a store."""
    if labels is None:
        return None
    mf = Path(labels.root) / "manifest.json"
    st = mf.stat()
    return _digest(mf.read_bytes(), f"{st.st_size} {st.st_mtime_ns}".encode())


def code_version(reference_dir: Path | None = None) -> str:
    """What identifies the checking itself: the explorer's own files (code and data) and the reference
    data used. Any change to either gives another audit."""
    package = Path(__file__).resolve().parent.parent
    ref = Path(config.REFERENCE_DIR if reference_dir is None else reference_dir)
    files = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".csv", ".json") and p.is_file())
    files += sorted(p for p in ref.glob("*.csv") if p.is_file())
    return _digest(*(str(p.relative_to(p.anchor)).encode() + b"\0" + p.read_bytes() for p in files))


def audit_key(corpus, labels=None, reference_dir: Path | None = None) -> dict[str, object]:
    """The versions an audit of ``corpus`` (with ``labels``) is computed from (see the module's note)."""
    return {"format": SAVED_FORMAT, "corpus": corpus_version(corpus.root), "labels": store_version(labels),
            "code": code_version(reference_dir)}


@dataclass
class Audit:
    """The label check of one corpus: claims, premises and numbers, and what they rest on.

    Build it with :meth:`of` (saved audits reused) or :meth:`compute`.

    Attributes
    ----------
    claims : one row per side-effect claim, row ``i`` the claim of row ``i`` of ``corpus.side_effects``.
    premises : one row per condition a page presents its drug as being for (its own condition, origin
        "page", and the conditions of its related links, origin "related").
    numbers : durations and percentages of the pages, compared with the label's figures.
    key : the versions it was computed from (:func:`audit_key`).
    labels : the label store used, or None (curated facts only).
    saved : where it was read from or saved to; None when not saved (:attr:`not_saved` says why).
    """

    claims: pd.DataFrame
    premises: pd.DataFrame
    numbers: pd.DataFrame
    key: dict = field(default_factory=dict)
    labels: object = None
    saved: Path | None = None
    not_saved: str | None = None
    reused: bool = False

    # -- building
    @classmethod
    def compute(cls, corpus, labels=None, *, facts: pd.DataFrame | None = None, reference_dir: Path | None = None,
                progress: Progress | None = None) -> "Audit":
        """Check every claim, premise and number of ``corpus`` (nothing read from or saved to disk).

        The curated label facts are ``facts``, else ``corpus.label_facts``, else the reference data's."""
        from .claims import claims_table
        from .numbers import number_checks
        from .premises import premises_table
        from .reference import load_label_facts, load_label_numbers, load_synonyms

        ref = config.REFERENCE_DIR if reference_dir is None else Path(reference_dir)
        if facts is None:
            facts = corpus.label_facts if corpus.label_facts is not None else load_label_facts(ref)
        synonyms = load_synonyms(ref)
        tell = progress or (lambda step, done, total: None)
        tell("claims", 0, 1)
        if labels is not None:
            from .labelcheck import label_claims_table
            from .labelpremises import label_premises_table

            claims = label_claims_table(corpus.side_effects, labels, facts, synonyms, reference_dir=ref,
                                        progress=lambda done, total: tell("claims", done, total))
            tell("premises", 0, 1)
            premises = label_premises_table(corpus.articles, corpus.related, labels, facts, synonyms,
                                            reference_dir=ref)
        else:
            claims = claims_table(corpus.side_effects, facts, synonyms)
            tell("claims", 1, 1)
            tell("premises", 0, 1)
            premises = premises_table(corpus.articles, corpus.related, facts, synonyms)
        tell("premises", 1, 1)
        tell("numbers", 0, 1)
        numbers = number_checks(corpus.numbers, load_label_numbers(ref), facts, synonyms)
        tell("numbers", 1, 1)
        return cls(claims, premises, numbers, key={}, labels=labels)

    @classmethod
    def of(cls, corpus, labels=None, *, facts: pd.DataFrame | None = None, reference_dir: Path | None = None,
           progress: Progress | None = None, save: bool | None = None) -> "Audit":
        """The audit of ``corpus``: the one saved beside it when its key matches, else computed (and
        saved beside the corpus when ``save`` and the corpus has a folder that can be written). ``save``
        None: saved and reused unless ``$EXPLORER_SAVED_AUDIT`` is ``off``; False: computed, not saved,
        a saved one still reused.

        Label facts given in memory (``facts``, or attached as ``corpus.label_facts``) are not part of
        any saved audit's key: the audit is then computed, and not saved."""
        if facts is not None or corpus.label_facts is not None:
            audit = cls.compute(corpus, labels, facts=facts, reference_dir=reference_dir, progress=progress)
            audit.not_saved = "label facts given in memory: the audit is not saved"
            return audit
        if save is None and os.environ.get(SAVED_ENV, "").strip().lower() == "off":
            audit = cls.compute(corpus, labels, reference_dir=reference_dir, progress=progress)
            audit.not_saved = f"${SAVED_ENV} is off: the audit is not saved"
            return audit
        key = audit_key(corpus, labels, reference_dir)
        folder = None if corpus.root is None else Path(corpus.root) / AUDIT_FOLDER
        if folder is not None:
            found = _read_saved(folder, key)
            if found is not None:
                return cls(*found, key=key, labels=labels, saved=folder, reused=True)
        audit = cls.compute(corpus, labels, reference_dir=reference_dir, progress=progress)
        audit.key = key
        if folder is None:
            audit.not_saved = "this corpus was built in memory: its audit is not saved"
        elif save is not False:
            audit.save(folder)
        else:
            audit.not_saved = "not saved (save=False)"
        return audit

    @classmethod
    def is_saved(cls, corpus, labels=None, *, reference_dir: Path | None = None) -> bool:
        """Whether :meth:`of` would read the audit saved beside ``corpus`` instead of computing it (only its
        key is read)."""
        if corpus.root is None or corpus.label_facts is not None \
                or os.environ.get(SAVED_ENV, "").strip().lower() == "off":
            return False
        try:
            saved = json.loads((Path(corpus.root) / AUDIT_FOLDER / KEY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(saved, dict) and saved.get("key") == audit_key(corpus, labels, reference_dir)

    # -- saving
    def save(self, folder: Path) -> None:
        """Write the three tables and the key into ``folder`` (the corpus's ``audit/``), replacing only an
        audit saved there before. A folder that cannot be written leaves the audit unsaved, with the reason
        in :attr:`not_saved`."""
        try:
            _write_saved(Path(folder), self.key, {name: getattr(self, name) for name in TABLES})
        except OSError as exc:
            self.not_saved = f"{folder}: the audit could not be saved ({exc.strerror or exc}); it is computed at each start"
            return
        self.saved, self.not_saved = Path(folder), None

    # -- reading
    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLES}

    @property
    def coverage_note(self) -> str:
        """What the claims' statuses rest on, in words (:func:`explorer.audit.report.coverage_note`)."""
        from .report import coverage_note

        return coverage_note(self.claims)

    def headline(self) -> dict:
        """:func:`explorer.audit.findings.headline` of the whole audit."""
        from .findings import headline

        return headline(self.claims, self.premises, self.numbers)


def _read_saved(folder: Path, key: dict) -> tuple[pd.DataFrame, ...] | None:
    """The saved tables when ``folder`` holds an audit of exactly ``key`` whose files are whole, else None."""
    try:
        saved = json.loads((folder / KEY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("key") != key or not isinstance(saved.get("rows"), dict):
        return None
    try:
        tables = tuple(pd.read_parquet(folder / f"{name}.parquet") for name in TABLES)
    except (OSError, ValueError, ImportError, RuntimeError):  # pyarrow's errors are OSError/ValueError kinds
        return None
    if [len(t) for t in tables] != [saved["rows"].get(name) for name in TABLES]:
        return None
    return tables


def _write_saved(folder: Path, key: dict, tables: dict[str, pd.DataFrame]) -> None:
    """Write an audit into ``folder`` under its lock: the key file removed first and written last, so a
    reader never takes tables of one audit for another; each file written whole to a temporary name
    and renamed into place."""
    import fcntl

    folder.mkdir(exist_ok=True)
    if folder.is_symlink() or not folder.is_dir():
        raise NotADirectoryError(f"{folder} is not a folder")
    fd = os.open(folder / _LOCK_FILE, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        for leftover in folder.glob("*.tmp-*"):  # of a writer killed mid-way (we hold the lock)
            if leftover.is_file() and not leftover.is_symlink():
                leftover.unlink()
        (folder / KEY_FILE).unlink(missing_ok=True)
        for name, table in tables.items():
            tmp = folder / f"{name}.parquet.tmp-{secrets.token_hex(4)}"
            _to_parquet(table, tmp)
            os.replace(tmp, folder / f"{name}.parquet")
        tmp = folder / f"{KEY_FILE}.tmp-{secrets.token_hex(4)}"
        tmp.write_text(json.dumps({"key": key, "rows": {n: len(t) for n, t in tables.items()}}, indent=1),
                       encoding="utf-8")
        os.replace(tmp, folder / KEY_FILE)
    finally:
        os.close(fd)


def _to_parquet(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` as it is; when Parquet cannot hold an object column of mixed Python values (numbers
    beside text), write it with those columns as text, missing values kept (converted once, not twice)."""
    import pyarrow as pa

    table = table.reset_index(drop=True)
    try:
        table.to_parquet(path, index=False)
        return
    except (pa.ArrowException, TypeError, ValueError):
        pass
    out = table.copy()
    for col in out.columns:
        if out[col].dtype == object:
            try:
                pa.array(out[col], from_pandas=True)
            except (pa.ArrowException, TypeError, ValueError):
                out[col] = out[col].astype("string")
    out.to_parquet(path, index=False)


__all__ = ["Audit", "AUDIT_FILES", "TABLES", "audit_key", "code_version", "corpus_version", "store_version"]
