"""The label store: a folder of Parquet tables holding every imported label version and OnSIDES term.

A store folder (written by ``explorer labels import``) holds::

    manifest.json          format version, and each import's part and counts
    part-0001/             one folder per import that added something:
        labels.parquet     one row per label version (identity, names, provenance)
        passages.parquet   one row per section passage (section, number, heading, text)
        table_rows.parquet one row per table row (caption, header or body, cells)
        terms.parquet      one row per OnSIDES term (label, section, MedDRA term)
    reports/import-0001.csv  what each import did with every input and failed record

An import appends a part holding only what the store does not have yet (a label version is known by
its source, set id and version id; OnSIDES terms by their label's set id and version), so importing the
same file again changes nothing. Every version is kept; :meth:`LabelStore.labels` marks, per set id,
the newest (latest effective date, then highest version number) as the one to check against.
Parts are written to a temporary folder and renamed into place, so an interrupted import leaves the
store as it was.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .records import SECTION_KEYS, Label
from .rows import SCHEMAS, TABLES, arrow_table, label_rows, term_row

FORMAT_VERSION = 1
ROW_GROUP_ROWS = 64 * 1024


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
        self.tmp = Path(tempfile.mkdtemp(prefix=".part.tmp-", dir=self.root))
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
                                                             compression="zstd")
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
                pq.write_table(SCHEMAS[table].empty_table(), path)
        manifest = read_manifest(self.root) if (self.root / "manifest.json").exists() else {
            "format_version": FORMAT_VERSION, "parts": []}
        name = f"part-{len(manifest['parts']) + 1:04d}"
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
    tmp = root / ".manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, root / "manifest.json")


def read_manifest(root: Path) -> dict:
    """The manifest of a label store, with a clear error when the folder is not one."""
    path = Path(root) / "manifest.json"
    if not path.exists():
        raise LabelStoreError(f"{root}: no manifest.json, so this is not a label store written by "
                              "'explorer labels import' (import label files into it first)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise LabelStoreError(f"{path}: a label store manifest (JSON written by 'explorer labels import'); "
                              f"it cannot be read ({e})") from None
    if not isinstance(manifest, dict):
        raise LabelStoreError(f"{path}: a label store manifest (a JSON object with format_version and parts); "
                              f"found {type(manifest).__name__}")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise LabelStoreError(f"{path}: format_version {manifest.get('format_version')!r}, expected "
                              f"{FORMAT_VERSION}; import the label files again into a new folder")
    parts = manifest.get("parts")
    if not isinstance(parts, list) or not all(isinstance(p, dict) and isinstance(p.get("name"), str) for p in parts):
        raise LabelStoreError(f"{path}: a label store manifest whose parts is a list of named parts; found "
                              f"{parts!r:.80}")
    for part in parts:
        missing = [t for t in TABLES if not (Path(root) / part["name"] / f"{t}.parquet").is_file()]
        if missing:
            raise LabelStoreError(f"{Path(root) / part['name']}: a store part holding {', '.join(TABLES)}; "
                                  f"{', '.join(missing)} missing (import the label files again into a new folder)")
    return manifest


class LabelStore:
    """Reads a label store folder. Tables are read on demand; passages and table rows for given labels only."""

    def __init__(self, root: str | Path):
        self.root = Path(root).expanduser()
        if not self.root.is_dir():
            raise LabelStoreError(f"{self.root}: no such label store folder")
        self.manifest = read_manifest(self.root)
        self._labels: pd.DataFrame | None = None

    def _files(self, table: str) -> list[str]:
        return [str(self.root / p["name"] / f"{table}.parquet") for p in self.manifest["parts"]]

    def _dataset(self, table: str) -> ds.Dataset:
        return ds.dataset(self._files(table), schema=SCHEMAS[table], format="parquet")

    def labels(self) -> pd.DataFrame:
        """Each row represents one label version held: the columns of the labels table, plus ``current``
        (True for the newest version of its set id: latest effective date, then highest version number)."""
        if self._labels is None:
            df = self._dataset("labels").to_table().to_pandas() if self.manifest["parts"] else \
                SCHEMAS["labels"].empty_table().to_pandas()
            df = df.drop_duplicates("key").reset_index(drop=True)
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
        return set(self._dataset("labels").to_table(columns=["key"])["key"].to_pylist())

    def term_labels(self) -> set[tuple[str, str]]:
        """(set id, version) of every label that has OnSIDES terms held."""
        if not self.manifest["parts"]:
            return set()
        t = self._dataset("terms").to_table(columns=["set_id", "version"])
        return set(zip(t["set_id"].to_pylist(), t["version"].to_pylist()))

    def _rows_of(self, table: str, keys: Iterable[str]) -> pd.DataFrame:
        keys = sorted(set(keys))
        if not keys or not self.manifest["parts"]:
            return SCHEMAS[table].empty_table().to_pandas()
        return self._dataset(table).to_table(filter=ds.field("key").isin(keys)).to_pandas()

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
        return self._dataset("terms").to_table(filter=flt).to_pandas()
