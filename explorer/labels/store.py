"""The label store: a folder of Parquet tables holding every imported label version and OnSIDES term.

A store folder (written by ``explorer labels import``) holds::

    manifest.json          format version, and each import's part and counts
    part-0001/             one folder per import that added something:
        labels.parquet     one row per label version (identity, names, provenance)
        passages.parquet   one row per section passage (section, number, heading, text)
        table_rows.parquet one row per table row (caption, header or body, cells)
        terms.parquet      one row per OnSIDES term (label, section, MedDRA term)
    reports/import-0001.csv  what each import did with every input and failed record

    .import.lock           held by the import under way (``flock``), so that imports into one store
                           take turns

An import appends a part holding only what the store does not have yet (a label version is known by
its source, set id and version id; OnSIDES terms by their label's set id and version), so importing the
same file again changes nothing. Every version is kept; :meth:`LabelStore.labels` marks, per set id,
the newest (latest effective date, then highest version number) as the one to check against.
Parts are written to a temporary folder and renamed into place, so an interrupted import leaves the
store as it was; the temporary folders an import killed outright leaves behind are removed by the next
import (:func:`remove_leftovers`). Every part is checked when a store is opened: its name (a plain name
inside the store), its tables' schemas and row counts against the manifest; pages carry checksums, and
a table that cannot be read is named in the error with what to do.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .records import SECTION_KEYS, Label
from .rows import EARLIER_SCHEMAS, SCHEMAS, TABLES, arrow_table, label_rows, term_row

FORMAT_VERSION = 1
ROW_GROUP_ROWS = 64 * 1024
LOCK_FILE = ".import.lock"
#: Where an import writes its part before renaming it into place, and its manifest before replacing it.
PART_TMP_PREFIX, MANIFEST_TMP = ".part.tmp-", ".manifest.json.tmp"
#: A part's name in the manifest: a plain folder name inside the store (never a path such as "../x").
_PART_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
#: Page checksums are written, and verified when read: a flipped byte in a table is an error, not a
#: changed label.
_SCAN_FORMAT = ds.ParquetFileFormat(
    default_fragment_scan_options=ds.ParquetFragmentScanOptions(page_checksum_verification=True))
_DAMAGED = "the label store is damaged: import the label files again into a new folder (--into NEW)"


class LabelStoreError(RuntimeError):
    """A label store folder that is missing or not in the expected form."""


class PartWriter:
    """Buffers rows of one import and writes them as a new part of the store on :meth:`commit`.

    Rows come as labels (:meth:`add_label`), OnSIDES terms (:meth:`add_term`) or Arrow tables that
    worker processes built (:meth:`add_tables`); each table is written in row groups of about
    :data:`ROW_GROUP_ROWS` rows, in the order its rows came.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=PART_TMP_PREFIX, dir=self.root))
        self._rows: dict[str, list[tuple]] = {t: [] for t in TABLES}  # rows not yet made Arrow
        self._sealed: dict[str, list[pa.Table]] = {t: [] for t in TABLES}  # Arrow tables not yet written
        self._buffered = {t: 0 for t in TABLES}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self.counts = {t: 0 for t in TABLES}

    def add_label(self, label: Label) -> None:
        """Append one label version with its passages and table rows."""
        for table, rows in label_rows([label]).items():
            self._add(table, rows)

    def add_term(self, term) -> None:
        """Append one OnSIDES term (an :class:`explorer.labels.onsides.LabelTerm`)."""
        self._add("terms", [term_row(term)])

    def add_tables(self, tables: dict[str, pa.Table]) -> None:
        """Append Arrow tables of store rows (as :func:`explorer.labels.rows.arrow_table` makes them)."""
        for table, rows in tables.items():
            if rows.num_rows:
                self._seal(table)
                self._sealed[table].append(rows)
                self._counted(table, rows.num_rows)

    def _add(self, table: str, rows: list[tuple]) -> None:
        self._rows[table].extend(rows)
        self._counted(table, len(rows))

    def _counted(self, table: str, n: int) -> None:
        self.counts[table] += n
        self._buffered[table] += n
        if self._buffered[table] >= ROW_GROUP_ROWS:
            self._flush(table)

    def _seal(self, table: str) -> None:
        if self._rows[table]:
            self._sealed[table].append(arrow_table(table, self._rows[table]))
            self._rows[table] = []

    def _flush(self, table: str) -> None:
        self._seal(table)
        if not self._sealed[table]:
            return
        batch = pa.concat_tables(self._sealed[table])
        writer = self._writers.get(table)
        if writer is None:
            writer = self._writers[table] = pq.ParquetWriter(self.tmp / f"{table}.parquet", SCHEMAS[table],
                                                             compression="zstd", write_page_checksum=True)
        writer.write_table(batch, row_group_size=batch.num_rows)
        self._sealed[table], self._buffered[table] = [], 0

    def commit(self, manifest_entry: dict) -> Path | None:
        """Write what was added as the store's next part; no part (and None) when nothing was added.

        A new store gets its manifest either way, so the folder is a (possibly empty) label store.
        """
        for table in TABLES:
            self._flush(table)
        for w in self._writers.values():
            w.close()
        self._writers.clear()
        if not any(self.counts.values()):
            shutil.rmtree(self.tmp, ignore_errors=True)
            if not (self.root / "manifest.json").exists():  # a new store is a store even when empty
                _write_manifest(self.root, {"format_version": FORMAT_VERSION, "parts": []})
            return None
        for table in TABLES:  # every part holds every table, empty where nothing was added
            path = self.tmp / f"{table}.parquet"
            if not path.exists():
                pq.write_table(SCHEMAS[table].empty_table(), path, write_page_checksum=True)
        manifest = read_manifest(self.root) if (self.root / "manifest.json").exists() else {
            "format_version": FORMAT_VERSION, "parts": []}
        number = len(manifest["parts"]) + 1
        while (self.root / f"part-{number:04d}").exists():  # a part an interrupted import renamed but never listed
            number += 1
        name = f"part-{number:04d}"
        final = self.root / name
        os.replace(self.tmp, final)
        manifest["parts"].append({"name": name, "rows": dict(self.counts), **manifest_entry})
        _write_manifest(self.root, manifest)
        return final

    def abort(self) -> None:
        for w in self._writers.values():
            try:
                w.close()
            except Exception:  # noqa: BLE001 - best effort while already failing
                pass
        self._writers.clear()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _write_manifest(root: Path, manifest: dict) -> None:
    tmp = root / MANIFEST_TMP
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, root / "manifest.json")


def read_manifest(root: Path) -> dict:
    """The manifest of a label store, with a clear error when the folder is not one or the manifest is
    damaged: every part a plain name inside the store holding every table."""
    path = Path(root) / "manifest.json"
    if not path.exists():
        raise LabelStoreError(f"{root}: no manifest.json, so this is not a label store written by "
                              "'explorer labels import' (import label files into it first)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise LabelStoreError(f"{path}: a label store manifest (JSON written by 'explorer labels import'); "
                              f"it cannot be read ({e}); {_DAMAGED}") from None
    if not isinstance(manifest, dict):
        raise LabelStoreError(f"{path}: a label store manifest (a JSON object with format_version and parts); "
                              f"found {type(manifest).__name__}; {_DAMAGED}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise LabelStoreError(f"{path}: format_version {manifest.get('format_version')!r}, expected "
                              f"{FORMAT_VERSION}; import the label files again into a new folder")
    parts = manifest.get("parts")
    if not isinstance(parts, list) or not all(isinstance(p, dict) and isinstance(p.get("name"), str) for p in parts):
        raise LabelStoreError(f"{path}: a label store manifest whose parts is a list of named parts; found "
                              f"{parts!r:.80}; {_DAMAGED}")
    for part in parts:
        name = part["name"]
        if not _PART_NAME.fullmatch(name) or (Path(root) / name).is_symlink():
            raise LabelStoreError(f"{path}: parts named as folders inside the store (such as part-0001); "
                                  f"found {name!r:.80}, which is not (refused: nothing outside the store is read)")
        missing = [t for t in TABLES if not (Path(root) / name / f"{t}.parquet").is_file()]
        if missing:
            raise LabelStoreError(f"{Path(root) / name}: a store part holding {', '.join(TABLES)}; "
                                  f"{', '.join(missing)} missing; {_DAMAGED}")
    return manifest


def check_parts(root: Path, manifest: dict) -> None:
    """Check every table file of every part against its table's schema and the rows the manifest records.

    Reads only each file's footer. Raises :class:`LabelStoreError` naming the first file that is not
    a readable Parquet table of the expected columns (a part of another table copied over it, a file cut
    short or emptied) and what to do.
    """
    for part in manifest["parts"]:
        rows = part.get("rows") if isinstance(part.get("rows"), dict) else {}
        for table in TABLES:
            path = Path(root) / part["name"] / f"{table}.parquet"
            try:
                meta = pq.read_metadata(path)
                schema = meta.schema.to_arrow_schema()
            except (OSError, pa.ArrowException) as e:
                raise LabelStoreError(f"{path}: a Parquet file of the store's {table} table; it cannot be read "
                                      f"({_first_line(e)}); {_DAMAGED}") from None
            if not any(schema.equals(s) for s in (SCHEMAS[table], *EARLIER_SCHEMAS.get(table, ()))):
                raise LabelStoreError(f"{path}: the {table} table's columns ({_columns(SCHEMAS[table])}); "
                                      f"found {_columns(schema)}; {_DAMAGED}")
            if isinstance(rows.get(table), int) and meta.num_rows != rows[table]:
                raise LabelStoreError(f"{path}: the {rows[table]:,} rows the manifest records for this part's "
                                      f"{table} table; the file holds {meta.num_rows:,}; {_DAMAGED}")


def _columns(schema: pa.Schema) -> str:
    return ", ".join(f"{f.name} {f.type}" for f in schema)


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0][:300] if lines else type(error).__name__


@contextmanager
def import_lock(root: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the store's import lock (``flock`` on :data:`LOCK_FILE`) while the block runs.

    A second import into the same store waits for the first to finish (``on_wait`` is told first, with
    what the lock file says of its holder); the lock goes with its process, however it ends. Where
    ``fcntl`` is missing (Windows), imports are not locked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    fd = os.open(Path(root) / LOCK_FILE, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(os.pread(fd, 200, 0).decode("utf-8", "replace").strip())
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_leftovers(root: Path) -> list[str]:
    """Remove what imports that were killed outright left in the store: their temporary part folders, a
    part renamed into place but never listed in the manifest (each holding nothing but table files), and
    their temporary manifest. Call it holding :func:`import_lock`, so that no live import's folder is
    taken. Returns the names removed."""
    root = Path(root)
    listed = {p["name"] for p in read_manifest(root)["parts"]} if (root / "manifest.json").exists() else set()
    removed = []
    for entry in root.iterdir():
        if entry.is_symlink():
            continue
        if entry.name == MANIFEST_TMP and entry.is_file():
            entry.unlink()
        elif (entry.name.startswith(PART_TMP_PREFIX) or re.fullmatch(r"part-\d{4,}", entry.name)
              and entry.name not in listed) and entry.is_dir() and _only_tables(entry):
            shutil.rmtree(entry)
        else:
            continue
        removed.append(entry.name)
    return removed


def _only_tables(folder: Path) -> bool:
    names = {f"{t}.parquet" for t in TABLES}
    return all(child.name in names and child.is_file() and not child.is_symlink() for child in folder.iterdir())


class LabelStore:
    """Reads a label store folder. Tables are read on demand; passages and table rows for given labels only."""

    def __init__(self, root: str | Path):
        self.root = Path(root).expanduser()
        if not self.root.is_dir():
            raise LabelStoreError(f"{self.root}: no such label store folder")
        self.manifest = read_manifest(self.root)
        check_parts(self.root, self.manifest)
        self._labels: pd.DataFrame | None = None

    def _files(self, table: str) -> list[str]:
        return [str(self.root / p["name"] / f"{table}.parquet") for p in self.manifest["parts"]]

    def _read(self, table: str, columns: list[str] | None = None, filter=None) -> pa.Table:
        """Rows of ``table`` from every part; a part that cannot be read is named in a LabelStoreError."""
        try:
            return ds.dataset(self._files(table), schema=SCHEMAS[table], format=_SCAN_FORMAT).to_table(
                columns=columns, filter=filter)
        except (OSError, pa.ArrowException) as error:
            for path in self._files(table):  # which file: each read alone
                try:
                    ds.dataset([path], schema=SCHEMAS[table], format=_SCAN_FORMAT).to_table(columns=columns)
                except (OSError, pa.ArrowException) as e:
                    raise LabelStoreError(f"{path}: a readable Parquet file of the store's {table} table; "
                                          f"reading it failed ({_first_line(e)}); {_DAMAGED}") from None
            raise LabelStoreError(f"{self.root}: a readable label store; reading its {table} table failed "
                                  f"({_first_line(error)}); {_DAMAGED}") from None

    def labels(self) -> pd.DataFrame:
        """Each row represents one label version held: the columns of the labels table, plus ``current``
        (True for the newest version of its set id: latest effective date, then highest version number).
        ``unreadable_sections`` names the kept sections whose text could not be read ("" for a complete label)."""
        if self._labels is None:
            df = self._read("labels").to_pandas() if self.manifest["parts"] else \
                SCHEMAS["labels"].empty_table().to_pandas()
            df = df.drop_duplicates("key").reset_index(drop=True)
            df["unreadable_sections"] = df["unreadable_sections"].fillna("")  # parts written before it was kept
            number = pd.to_numeric(df["version"], errors="coerce").fillna(-1)
            order = df.assign(_n=number).sort_values(["set_id", "effective_time", "_n"], kind="stable")
            df["current"] = False
            df.loc[order.groupby("set_id", sort=False).tail(1).index, "current"] = True
            self._labels = df
        return self._labels

    def keys(self) -> set[str]:
        """The keys of every label version held."""
        if not self.manifest["parts"]:
            return set()
        return set(self._read("labels", columns=["key"])["key"].to_pylist())

    def term_labels(self) -> set[tuple[str, str]]:
        """(set id, version) of every label that has OnSIDES terms held."""
        if not self.manifest["parts"]:
            return set()
        t = self._read("terms", columns=["set_id", "version"])
        return set(zip(t["set_id"].to_pylist(), t["version"].to_pylist()))

    def _rows_of(self, table: str, keys: Iterable[str]) -> pd.DataFrame:
        keys = sorted(set(keys))
        if not keys or not self.manifest["parts"]:
            return SCHEMAS[table].empty_table().to_pandas()
        return self._read(table, filter=ds.field("key").isin(keys)).to_pandas()

    def passages(self, keys: Iterable[str]) -> pd.DataFrame:
        """Each row represents one passage of one of the given labels: key, section, position, number,
        heading, text; in label, section and passage order."""
        df = self._rows_of("passages", keys)
        if not len(df):
            return df
        rank = df["section"].map({s: i for i, s in enumerate(SECTION_KEYS)}).fillna(len(SECTION_KEYS))
        return (df.assign(_rank=rank).sort_values(["key", "_rank", "position"], kind="stable")
                .drop(columns="_rank").reset_index(drop=True))

    def table_rows(self, keys: Iterable[str]) -> pd.DataFrame:
        """Each row represents one row of a table of the given labels: key, section, position (of its
        passage), table, caption, part (header or body), row, cells."""
        return self._rows_of("table_rows", keys)

    def terms(self, set_ids: Iterable[str] | None = None) -> pd.DataFrame:
        """Each row represents one OnSIDES term: source, set_id, version, section, term, meddra_id,
        match_method, product_name, ingredients, file, record (all of them, or of the given set ids)."""
        if not self.manifest["parts"]:
            return SCHEMAS["terms"].empty_table().to_pandas()
        if set_ids is not None:
            set_ids = sorted(set(set_ids))
            if not set_ids:
                return SCHEMAS["terms"].empty_table().to_pandas()
        flt = ds.field("set_id").isin(set_ids) if set_ids is not None else None
        return self._read("terms", filter=flt).to_pandas()
