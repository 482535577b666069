"""Reference data for the label check, loaded from ``data/reference`` (:data:`explorer.config.REFERENCE_DIR`).

- ``*_label_facts.csv``   label facts, one file per drug or one long table (column ``product``)
- ``*_label_numbers.csv`` label figures that are not rows of the facts table (approved durations)
- ``synonyms.csv``        page wording -> label term, each row with a note saying why

All of it is data, never code: a new drug needs a new file. A value that breaks a schema is an error
naming the file and line.
"""
from __future__ import annotations

import hashlib
import os
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .. import config
from .matching import normalise
from .vocabulary import CATEGORIES, EVIDENCE_LEVELS, LABEL_VERSIONS

FACTS_PATTERN = "*_label_facts.csv"
NUMBERS_PATTERN = "*_label_numbers.csv"
SYNONYMS_FILE = "synonyms.csv"


def _text(min_length: int | None = None) -> pa.Column:
    return pa.Column(pd.StringDtype, pa.Check.str_length(min_value=min_length) if min_length else None)


def _choice(values) -> pa.Column:
    return pa.Column(pd.CategoricalDtype(categories=list(values)))


# Schema objects, not DataFrameModel classes: see explorer.corpus.schemas for why.
LABEL_FACTS = pa.DataFrameSchema({
    "product": pa.Column(pd.CategoricalDtype), "term": _text(1), "category": _choice(CATEGORIES),
    "incidence_percent": pa.Column(float, [pa.Check.ge(0), pa.Check.le(100)], nullable=True),
    "label_version": _choice(LABEL_VERSIONS), "label_section": _text(), "evidence": _choice(EVIDENCE_LEVELS),
    "source_url": _text(1), "reference_file": pa.Column(pd.CategoricalDtype),
    "reference_line": pa.Column(int, pa.Check.ge(2)),
}, strict=True, ordered=True, name="label_facts", description="""\
Each row represents one fact read from a drug's official label.

Columns: product (the brand), term (the label's wording), category (indication, adverse_reaction,
warning or contraindication), incidence_percent (crude incidence in the label's trial table, missing
when the label gives none), label_version (current or superseded), label_section, evidence
(verified or secondary), source_url (where the fact was read), reference_file (the CSV it came from)
and reference_line (its 1-based line there).""")

LABEL_NUMBERS = pa.DataFrameSchema({
    "product": pa.Column(pd.CategoricalDtype), "quantity": _choice(["duration"]), "use": _text(),
    "value": pa.Column(float, pa.Check.gt(0)), "unit": _choice(["year"]), "label_version": _choice(LABEL_VERSIONS),
    "source_url": _text(), "source_note": _text(1), "reference_file": pa.Column(pd.CategoricalDtype),
    "reference_line": pa.Column(int, pa.Check.ge(2)),
}, strict=True, ordered=True, name="label_numbers", description="""\
Each row represents one figure a label states outside the facts table (an approved duration).

Columns: product, quantity (duration), use (what the figure is for), value, unit (year),
label_version (current or superseded), source_url (may be empty), source_note (where it was stated),
reference_file, reference_line.""")

SYNONYMS = pa.DataFrameSchema({
    "phrase": _text(1), "label_term": _text(1), "note": _text(1), "key": _text(1),
}, strict=True, ordered=True, name="synonyms", description="""\
Each row represents one page phrase that means a label term.

Columns: phrase (as pages write it), label_term (exactly as in the facts), note (why they are the
same), key (the phrase's normalised key, see :func:`explorer.audit.matching.normalise`).""")


_FACT_COLUMNS = ("product", "term", "category", "incidence_percent", "label_version", "label_section",
                 "evidence", "source_url")
_NUMBER_COLUMNS = ("product", "quantity", "use", "value", "unit", "label_version", "source_url",
                   "source_note")


def reference_name(df: pd.DataFrame, i: int) -> str:
    """'file:line' of row ``i`` of a reference table (for error messages)."""
    return f"{df['reference_file'].iloc[i]}:{int(df['reference_line'].iloc[i])}"


#: Validated reference tables by (files with their modification time and size, columns): the dashboard's
#: overview checks claims, premises and figures against the same facts at start, and validating them
#: each time cost 0.2 s. A changed file has a new key.
_READ: dict[tuple, pd.DataFrame] = {}


#: Where the digests of reference contents that passed validation are kept (one empty file per digest).
#: pandera's first validation in a process costs about 0.8 s (its backends are imported then), a third of
#: the dashboard's start: a content that passed once is not validated again, in this or another process.
VALIDATED_DIR = Path(os.environ.get("EXPLORER_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or
                                                                   Path.home() / ".cache") / "explorer") / "validated"


def _digest(schema: pa.DataFrameSchema, files: list[Path]) -> str:
    """What a validation depends on: the schemas' code (this module), pandera's version and each file's bytes."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(f"{version('pandera')}\0{schema.name}\0".encode())
    for path in files:
        h.update(f"{path.name}\0{path.stat().st_size}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _validated(schema: pa.DataFrameSchema, df: pd.DataFrame, files: list[Path], **kwargs) -> pd.DataFrame:
    """``schema.validate(df)``, unless this content passed before (:data:`VALIDATED_DIR`); a folder that cannot
    be written costs only the saving."""
    marker = VALIDATED_DIR / _digest(schema, files)
    if marker.exists():
        return df
    out = schema.validate(df, **kwargs)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass
    return out


def _read_reference(files: list[Path], columns: tuple[str, ...], schema: pa.DataFrameSchema,
                    categoricals: dict[str, tuple[str, ...] | None], floats: set[str]) -> pd.DataFrame:
    stats = [p.stat() for p in files]
    key = (tuple((str(p), st.st_mtime_ns, st.st_size) for p, st in zip(files, stats)), columns)
    if key not in _READ:
        if len(_READ) > 16:
            _READ.clear()
        _READ[key] = _read_reference_files(files, columns, schema, categoricals, floats)
    return _READ[key].copy()  # callers may change their table; the kept one stays as read


def _read_reference_files(files: list[Path], columns: tuple[str, ...], schema: pa.DataFrameSchema,
                          categoricals: dict[str, tuple[str, ...] | None], floats: set[str]) -> pd.DataFrame:
    parts = []
    for path in files:
        df = pd.read_csv(path, dtype="string", keep_default_na=False)
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise ValueError(f"{path}:1: expected columns {list(columns)}, missing {missing}")
        df = df.loc[:, list(columns)].copy()
        for col in floats:
            raw = df[col].str.strip()
            num = pd.to_numeric(raw.replace("", pd.NA), errors="coerce")
            bad = raw.ne("") & num.isna()
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise ValueError(f"{path}:{i + 2}: expected a number in column {col!r}, found {raw.iloc[i]!r}")
            df[col] = num.astype("float64")
        df["reference_file"] = path.name
        df["reference_line"] = np.arange(2, len(df) + 2, dtype="int64")
        parts.append(df)
    if parts:
        df = pd.concat(parts, ignore_index=True)
    else:
        df = pd.DataFrame({c: pd.Series([], dtype="float64" if c in floats else "string")
                           for c in columns + ("reference_file",)})
        df["reference_line"] = pd.Series([], dtype="int64")
    for col in schema.columns:
        if col in floats or col == "reference_line":
            continue
        text = df[col].astype("string").str.strip()
        if col in categoricals or col == "reference_file":
            cats = categoricals.get(col)
            bad = ~text.isin(cats) if cats else pd.Series(False, index=text.index)
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise ValueError(f"{reference_name(df, i)}: expected {col} one of {list(cats)}, "
                                 f"found {text.iloc[i]!r}")
            df[col] = text.astype(pd.CategoricalDtype(list(cats)) if cats else "category")
        else:
            df[col] = text
    try:
        return _validated(schema, df, files, lazy=True)
    except pa.errors.SchemaErrors as e:
        cases = e.failure_cases
        row = cases[cases["index"].notna()].head(1)
        if len(row):
            i = int(row["index"].iloc[0])
            where = reference_name(df, i)
            raise ValueError(f"{where}: column {row['column'].iloc[0]!r} {row['check'].iloc[0]}, "
                             f"found {row['failure_case'].iloc[0]!r}") from e
        raise


def load_label_facts(reference_dir: Path = config.REFERENCE_DIR) -> pd.DataFrame:
    """Load every ``*_label_facts.csv`` under ``reference_dir`` into one table (LABEL_FACTS).

    Each row represents one fact from a drug's label; see :data:`LABEL_FACTS` for the columns.
    A new drug needs only a new file (or more rows with its ``product``), no code.

    Raises
    ------
    ValueError
        Naming the file and line of a value that breaks the schema.
    """
    files = sorted(Path(reference_dir).glob(FACTS_PATTERN))
    return _read_reference(files, _FACT_COLUMNS, LABEL_FACTS,
                           {"product": None, "category": CATEGORIES, "label_version": LABEL_VERSIONS,
                            "evidence": EVIDENCE_LEVELS}, {"incidence_percent"})


def load_label_numbers(reference_dir: Path = config.REFERENCE_DIR) -> pd.DataFrame:
    """Load every ``*_label_numbers.csv`` under ``reference_dir`` (LABEL_NUMBERS).

    Each row represents one figure stated by a label but not held in the facts table (for Mirena the
    approved durations of use); see :data:`LABEL_NUMBERS` for the columns.
    """
    files = sorted(Path(reference_dir).glob(NUMBERS_PATTERN))
    return _read_reference(files, _NUMBER_COLUMNS, LABEL_NUMBERS,
                           {"product": None, "quantity": ("duration",), "unit": ("year",),
                            "label_version": LABEL_VERSIONS}, {"value"})


def load_synonyms(reference_dir: Path = config.REFERENCE_DIR) -> pd.DataFrame:
    """Load ``synonyms.csv`` (SYNONYMS); an empty table when the folder has none.

    Each row represents one page phrase that means a label term: phrase, label_term, note, key.
    """
    path = Path(reference_dir) / SYNONYMS_FILE
    if path.exists():
        df = pd.read_csv(path, dtype="string", keep_default_na=False)
        missing = [c for c in ("phrase", "label_term", "note") if c not in df.columns]
        if missing:
            raise ValueError(f"{path}:1: expected columns phrase, label_term, note; missing {missing}")
        df = df.loc[:, ["phrase", "label_term", "note"]].apply(lambda s: s.str.strip())
    else:
        df = pd.DataFrame({c: pd.Series([], dtype="string") for c in ("phrase", "label_term", "note")})
    df["key"] = pd.Series([normalise(p) for p in df["phrase"]], dtype="string", index=df.index)
    try:
        return _validated(SYNONYMS, df, [path] if path.exists() else [])
    except pa.errors.SchemaError as e:
        raise ValueError(f"{path}: {e}") from e
