"""What a label becomes in the label store: the store's table schemas, and the rows of labels and terms.

Kept apart from :mod:`explorer.labels.store` (which reads stores with pandas) so that the worker
processes of an import build Arrow tables with pyarrow alone: a batch of labels crosses back to the
importing process as a few Arrow buffers rather than as thousands of small Python objects.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyarrow as pa

from .records import Label

LIST_SEPARATOR = "; "

_STR = pa.string()
SCHEMAS: dict[str, pa.Schema] = {
    "labels": pa.schema([("key", _STR), ("source", _STR), ("set_id", _STR), ("version_id", _STR),
                         ("version", _STR), ("effective_time", _STR), ("brand_names", _STR),
                         ("generic_names", _STR), ("substance_names", _STR), ("names_from", _STR),
                         ("rxcui", _STR), ("product_type", _STR), ("file", _STR), ("record", pa.int64()),
                         ("unreadable_sections", _STR),
                         # product facts for resolving a page's drug (nullable: stores written before
                         # them read these as missing)
                         ("application_numbers", _STR), ("routes", _STR), ("dosage_forms", _STR),
                         ("product_names", _STR)]),
    "passages": pa.schema([("key", _STR), ("section", _STR), ("position", pa.int32()), ("number", _STR),
                           ("heading", _STR), ("text", _STR)]),
    "table_rows": pa.schema([("key", _STR), ("section", _STR), ("position", pa.int32()), ("table", pa.int32()),
                             ("caption", _STR), ("part", _STR), ("row", pa.int32()),
                             ("cells", pa.list_(_STR))]),
    "terms": pa.schema([("source", _STR), ("set_id", _STR), ("version", _STR), ("section", _STR),
                        ("term", _STR), ("meddra_id", _STR), ("match_method", _STR), ("product_name", _STR),
                        ("ingredients", _STR), ("file", _STR), ("record", pa.int64())]),
}
TABLES = tuple(SCHEMAS)
#: The labels' product facts (application numbers, routes, dose forms, product names), kept since label resolution
#: weighs what a page says of its product.
PRODUCT_COLUMNS = ("application_numbers", "routes", "dosage_forms", "product_names")
#: Earlier schemas a store's parts may still have, per table: labels without ``unreadable_sections`` (parts
#: written before it was kept; read as complete labels), without the product facts (read as missing), or
#: without either.
EARLIER_SCHEMAS: dict[str, tuple[pa.Schema, ...]] = {
    "labels": tuple(pa.schema([f for f in SCHEMAS["labels"] if f.name not in dropped])
                    for dropped in ({"unreadable_sections"}, set(PRODUCT_COLUMNS),
                                    {"unreadable_sections", *PRODUCT_COLUMNS}))}
#: The tables a label's rows go to (terms come from OnSIDES, not from a label's text).
LABEL_TABLES = ("labels", "passages", "table_rows")


def joined(values: Iterable[str]) -> str:
    """A list of names as one cell ("Mirena; Kyleena"), empty names left out."""
    return LIST_SEPARATOR.join(v for v in values if v)


def label_rows(labels: Iterable[Label]) -> dict[str, list[tuple]]:
    """The rows of ``labels`` for each of :data:`LABEL_TABLES`, in their schema's column order."""
    out: dict[str, list[tuple]] = {t: [] for t in LABEL_TABLES}
    labels_rows, passage_rows, table_rows = out["labels"], out["passages"], out["table_rows"]
    for label in labels:
        key = label.key
        labels_rows.append((key, label.source, label.set_id, label.version_id, label.version,
                            label.effective_time, joined(label.brand_names), joined(label.generic_names),
                            joined(label.substance_names), label.names_from, joined(label.rxcui),
                            label.product_type, label.file, label.record, joined(label.unreadable_sections),
                            joined(label.application_numbers), joined(label.routes), joined(label.dosage_forms),
                            joined(label.product_names)))
        for p in label.passages:
            passage_rows.append((key, p.section, p.position, p.number, p.heading, p.text))
            for t, table in enumerate(p.tables):
                for part, rows in (("header", table.header), ("body", table.rows)):
                    table_rows.extend((key, p.section, p.position, t, table.caption, part, r, list(cells))
                                      for r, cells in enumerate(rows))
    return out


def term_row(term) -> tuple:
    """The terms-table row of one OnSIDES term (an :class:`explorer.labels.onsides.LabelTerm`)."""
    return ("onsides", term.set_id, term.version, term.section, term.term, term.meddra_id, term.match_method,
            term.product_name, joined(term.ingredients), term.file, term.record)


def arrow_table(table: str, rows: Sequence[tuple]) -> pa.Table:
    """Rows of the store table ``table`` (tuples in its column order) as an Arrow table of its schema."""
    schema = SCHEMAS[table]
    if not rows:
        return schema.empty_table()
    return pa.Table.from_arrays([pa.array(column, type=f.type) for column, f in zip(zip(*rows), schema)],
                                schema=schema)
