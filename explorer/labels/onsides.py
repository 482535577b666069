"""OnSIDES release tables -> adverse-effect terms per US label and section (:class:`LabelTerm`).

An OnSIDES release (a folder or zip of CSVs, in v3 under ``csv/``) holds the terms a language model
found in drug labels, as linked tables: ``product_label`` (one row per label), ``product_adverse_effect``
(one row per term found in a label section: millions of rows), ``vocab_meddra_adverse_effect`` (term
names), and ``product_to_rxnorm`` -> ``vocab_rxnorm_ingredient_to_product`` -> ``vocab_rxnorm_ingredient``
(the label's ingredients). :func:`read_onsides` holds the small tables in memory as dicts and streams
``product_adverse_effect`` row by row, so memory stays flat whatever its size.

Only US labels are read: their ``source_product_id`` is ``<set_id>.<version>``, the DailyMed identity
the other label sources use. Columns are found by their header names, so column order does not matter.
OnSIDES data is for research: show :data:`ONSIDES_NOTE` wherever its terms are used.
"""
from __future__ import annotations

import csv
import re
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from explorer.labels.records import LabelError

#: Shown wherever OnSIDES terms are used: what kind of data they are.
ONSIDES_NOTE = (
    "OnSIDES terms were pulled out of label text by a machine-learning model for research use; some are "
    "missed or wrong, so they are not a basis for clinical decisions: the label itself is.")

#: The release tables read, and the columns read from each (found by header name).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "product_label": ("label_id", "source", "source_product_name", "source_product_id"),
    "product_adverse_effect": ("product_label_id", "label_section", "effect_meddra_id", "match_method"),
    "vocab_meddra_adverse_effect": ("meddra_id", "meddra_name"),
    "product_to_rxnorm": ("label_id", "rxnorm_product_id"),
    "vocab_rxnorm_ingredient_to_product": ("product_id", "ingredient_id"),
    "vocab_rxnorm_ingredient": ("rxnorm_id", "rxnorm_name"),
}
REQUIRED_TABLES: tuple[str, ...] = tuple(TABLE_COLUMNS)
#: Tables of the release a folder or zip must hold to be taken for one (then a missing one is an error).
MIN_TABLES = 2
#: The longest line read: OnSIDES rows are under a kilobyte; a longer line is a failed row, skipped unread.
MAX_LINE_BYTES = 1 << 20
#: OnSIDES ``label_section`` codes of US labels -> the explorer's section keys (records.SECTION_KEYS).
SECTION_CODES: dict[str, str] = {
    "AR": "adverse_reactions", "WP": "warnings_and_cautions", "BW": "boxed_warning"}
#: ``match_method``: SM, a MedDRA string match only; PMB, a string match the PubMedBERT model kept.
MATCH_METHODS: frozenset[str] = frozenset({"SM", "PMB"})

_US_PRODUCT_ID = re.compile(r"([0-9A-Za-z][0-9A-Za-z-]*)\.([0-9]+)")
_READ_FAULTS = (OSError, EOFError, zipfile.BadZipFile, zlib.error)


@dataclass(frozen=True, slots=True)
class LabelTerm:
    """One adverse-effect term OnSIDES found in one section of one US label version.

    ``file`` is the release path plus ``!product_adverse_effect.csv``; ``record`` is the CSV line
    number of the term's row in that file (the header is line 1, so the first term is line 2).
    """

    set_id: str  # DailyMed set id, from source_product_id "<set_id>.<version>"
    version: str  # the label version number as written ("12")
    product_name: str  # source_product_name, DailyMed's title of the label
    section: str  # "adverse_reactions", "warnings_and_cautions" or "boxed_warning"
    term: str  # the MedDRA term name ("Nausea")
    meddra_id: str  # its MedDRA code, as written ("10028813")
    match_method: str  # "SM" or "PMB"
    ingredients: tuple[str, ...]  # RxNorm ingredient names of the label's products, sorted
    file: str
    record: int


def is_onsides(names: Iterable[str]) -> bool:
    """Whether file names (a folder listing or a zip's member names) hold an OnSIDES release.

    True when at least two of the required tables are there, as ``<table>`` or ``<table>.csv``, in any
    subfolder: a release that lacks some is still a release (reported once, naming the tables it lacks),
    not a folder of files of no known kind.

    >>> is_onsides(["onsides-v3.1.0/csv/" + t + ".csv" for t in REQUIRED_TABLES])
    True
    >>> is_onsides(["product_label.csv", "product_adverse_effect.csv"])
    True
    >>> is_onsides(["product_label.csv", "notes.csv"])
    False
    """
    found = set()
    for name in names:
        base = name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1].lower()
        found.add(base[:-4] if base.endswith(".csv") else base)
    return len(found.intersection(REQUIRED_TABLES)) >= MIN_TABLES


def read_onsides(open_table: Callable[[str], BinaryIO | None], path: str) -> Iterator[LabelTerm | LabelError]:
    """Read the adverse-effect terms of every US label in an OnSIDES release.

    Parameters
    ----------
    open_table
        Opens the release table ``name`` (``"product_label"``, ...; see :data:`REQUIRED_TABLES`) for
        reading in binary (its lines are decoded here, one by one, as UTF-8), or returns None when the
        release lacks it. Each handle is closed here once read.
    path
        The release as the user named it (folder or zip), for provenance and errors.

    Yields
    ------
    LabelTerm | LabelError
        A term per ``product_adverse_effect`` row of a US label, in file order. Rows of other labels
        (source other than US) are skipped. A row that cannot be read (missing columns, an unknown
        label, MedDRA id, section or match method, a line that is not UTF-8 or is longer than
        :data:`MAX_LINE_BYTES`) is a :class:`LabelError` naming ``<path>!<table>.csv``, its line number
        and what was expected; reading goes on. A missing table is one error naming it (record None),
        and then nothing is read.
    """
    handles: dict[str, BinaryIO] = {}
    try:
        missing = []
        for name in REQUIRED_TABLES:
            handle = open_table(name)
            if handle is None:
                missing.append(name)
            else:
                handles[name] = handle
        for name in missing:
            yield LabelError(path, None, f"the OnSIDES table {name}.csv, which this release lacks")
        if not missing:
            yield from _read(handles, path)
    finally:
        for handle in handles.values():
            handle.close()


def _read(handles: dict[str, BinaryIO], path: str) -> Iterator[LabelTerm | LabelError]:
    labels: dict[str, tuple[str, str, str]] = {}  # US label_id -> (set_id, version, product name)
    not_us: set[str] = set()  # label ids skipped: other sources, or US rows already reported as broken
    where = _where(path, "product_label")
    for item in _rows(handles["product_label"], "product_label", where):
        if isinstance(item, LabelError):
            yield item
            continue
        line, (label_id, source, name, product_id) = item
        if not label_id or label_id in labels or label_id in not_us:
            yield LabelError(where, line, f"a label_id not used by an earlier row, found {label_id!r}")
        elif source != "US":
            not_us.add(label_id)
        elif match := _US_PRODUCT_ID.fullmatch(product_id):
            labels[label_id] = (match[1], match[2], name)
        else:
            not_us.add(label_id)  # reported here once, not again for each of its terms
            yield LabelError(where, line, "a US source_product_id of the form <set_id>.<version>, "
                                          f"found {product_id!r}")
    ingredients = yield from _ingredients(handles, path, labels)
    meddra: dict[str, str] = {}
    for item in _rows(handles["vocab_meddra_adverse_effect"], "vocab_meddra_adverse_effect",
                      _where(path, "vocab_meddra_adverse_effect")):
        if isinstance(item, LabelError):
            yield item
        else:
            meddra[item[1][0]] = item[1][1]
    yield from _terms(handles["product_adverse_effect"], _where(path, "product_adverse_effect"),
                      labels, not_us, ingredients, meddra)


def _ingredients(handles: dict[str, BinaryIO], path: str,
                 labels: dict[str, tuple[str, str, str]]
                 ) -> Generator[LabelError, None, dict[str, tuple[str, ...]]]:
    """Errors while joining the ingredient tables; returns US label_id -> sorted ingredient names."""
    products: dict[str, list[str]] = {}
    for item in _rows(handles["product_to_rxnorm"], "product_to_rxnorm", _where(path, "product_to_rxnorm")):
        if isinstance(item, LabelError):
            yield item
        elif item[1][0] in labels:
            products.setdefault(item[1][0], []).append(item[1][1])
    wanted = {product for ids in products.values() for product in ids}
    where = _where(path, "vocab_rxnorm_ingredient_to_product")
    parts: dict[str, list[tuple[str, int]]] = {}  # product id -> (ingredient id, line of the pair)
    for item in _rows(handles["vocab_rxnorm_ingredient_to_product"], "vocab_rxnorm_ingredient_to_product",
                      where):
        if isinstance(item, LabelError):
            yield item
        elif item[1][0] in wanted:
            parts.setdefault(item[1][0], []).append((item[1][1], item[0]))
    names: dict[str, str] = {}
    for item in _rows(handles["vocab_rxnorm_ingredient"], "vocab_rxnorm_ingredient",
                      _where(path, "vocab_rxnorm_ingredient")):
        if isinstance(item, LabelError):
            yield item
        else:
            names[item[1][0]] = item[1][1]
    unnamed: set[str] = set()
    for pairs in parts.values():
        for ingredient, line in pairs:
            if ingredient not in names and ingredient not in unnamed:
                unnamed.add(ingredient)
                yield LabelError(where, line, "an ingredient_id listed in vocab_rxnorm_ingredient.csv, "
                                              f"found {ingredient!r}")
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per distinct ingredient list
    result: dict[str, tuple[str, ...]] = {}
    for label_id, ids in products.items():
        found = tuple(sorted({names[i] for p in ids for i, _ in parts.get(p, ()) if i in names}))
        result[label_id] = shared.setdefault(found, found)
    return result


def _terms(handle: BinaryIO, where: str, labels: dict[str, tuple[str, str, str]], not_us: set[str],
           ingredients: dict[str, tuple[str, ...]], meddra: dict[str, str]
           ) -> Iterator[LabelTerm | LabelError]:
    for item in _rows(handle, "product_adverse_effect", where):
        if isinstance(item, LabelError):
            yield item
            continue
        line, (label_id, code, meddra_id, method) = item
        label = labels.get(label_id)
        section = SECTION_CODES.get(code)
        term = meddra.get(meddra_id)
        if label is None:
            if label_id not in not_us:
                yield LabelError(where, line, "a product_label_id listed in product_label.csv, "
                                              f"found {label_id!r}")
        elif section is None:
            yield LabelError(where, line, f"a label_section AR, WP or BW, found {code!r}")
        elif term is None:
            yield LabelError(where, line, "an effect_meddra_id listed in vocab_meddra_adverse_effect.csv, "
                                          f"found {meddra_id!r}")
        elif method not in MATCH_METHODS:
            yield LabelError(where, line, f"a match_method SM or PMB, found {method!r}")
        else:
            yield LabelTerm(label[0], label[1], label[2], section, term, meddra_id, method,
                            ingredients.get(label_id, ()), where, line)


def _where(path: str, table: str) -> str:
    return f"{path}!{table}.csv"


def _lines(handle: BinaryIO, bad: dict[int, str]) -> Iterator[str]:
    """The handle's lines decoded one by one, so that a byte that is not UTF-8 costs its own line only.

    Such a line, or one longer than :data:`MAX_LINE_BYTES` (skipped unread), is noted in ``bad`` (line
    number -> what is wrong) and given as a line of no fields.
    """
    number = 0
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            while raw and not raw.endswith(b"\n"):  # the rest of the line, unread
                raw = handle.readline(MAX_LINE_BYTES)
            bad[number] = f"a line of at most {MAX_LINE_BYTES:,} bytes; this one is longer (skipped)"
            yield "\n"
            continue
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as e:
            bad[number] = f"UTF-8 text; byte {e.start + 1} of this line is not ({e.reason})"
            yield "\n"


def _rows(handle: BinaryIO, table: str, where: str) -> Iterator[tuple[int, list[str]] | LabelError]:
    """The wanted columns of each row as (CSV line number, values), or a LabelError for a bad row.

    Values are stripped of surrounding spaces; blank lines are passed over. A line that is not UTF-8 is
    one error at its own line number, and the rows after it are read. A file that cannot be read any
    further (a broken zip member) is one error at the line where it stopped.
    """
    columns = TABLE_COLUMNS[table]
    bad: dict[int, str] = {}
    reader = csv.reader(_lines(handle, bad))
    try:
        header = [h.strip().lstrip("\ufeff").strip() for h in next(reader)]
    except StopIteration:
        yield LabelError(where, None, f"a header row naming {', '.join(columns)}; the file is empty")
        return
    except (csv.Error, *_READ_FAULTS) as exc:
        yield LabelError(where, 1, f"a CSV header row naming {', '.join(columns)} ({exc})")
        return
    if bad:
        yield LabelError(where, min(bad), f"a header row naming {', '.join(columns)}: {bad[min(bad)]}")
        return
    absent = [c for c in columns if c not in header]
    if absent:
        yield LabelError(where, 1, f"the columns {', '.join(absent)} in the header, "
                                   f"found {', '.join(header)}")
        return
    index = [header.index(c) for c in columns]
    width, line = len(header), reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # one bad record; the reader starts afresh on the next line
            yield LabelError(where, line + 1, f"a CSV row ({exc})")
            line = reader.line_num
            continue
        except _READ_FAULTS as exc:
            yield LabelError(where, line + 1, f"a readable file; reading stopped here ({type(exc).__name__}: {exc})")
            return
        start, line = line + 1, reader.line_num
        broken = [n for n in range(start, line + 1) if n in bad]
        if broken:
            yield LabelError(where, broken[0], bad.pop(broken[0]) + " (the row is left out)")
            continue
        if not row:
            continue
        if len(row) != width:
            yield LabelError(where, start, f"{width} columns ({', '.join(header)}), found {len(row)}")
            continue
        yield start, [row[i].strip() for i in index]
