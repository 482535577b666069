"""The corpus tables' schemas: one pandera ``DataFrameSchema`` per table, checked when a corpus is loaded.

Each schema's description says what a row represents and lists its columns (the column order is
:data:`explorer.corpus.tables.TABLE_COLUMNS`). They are schema objects rather than ``DataFrameModel``
classes: building a model from its type annotations makes pandera import its Dask integration (about
0.9 s whenever dask is installed, as it is with the ``scale`` extra), in every process that loads a
corpus; the objects check exactly the same columns, types and values.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..vocabulary import SECTION_KINDS, SEVERITY_LEVELS

#: Categorical columns checked by a custom check: pandera's own categorical dtype check walks every
#: category, and these hold one category per page or per distinct text (100,000 pages: 0.2 s a table).
LARGE_CATEGORICALS = ("source_file", "sha256", "name", "description")


def _large_categoricals(df: pd.DataFrame) -> bool:
    return all(isinstance(df[c].dtype, pd.CategoricalDtype) for c in LARGE_CATEGORICALS if c in df.columns)


def _table(name: str, description: str, columns: dict[str, pa.Column]) -> pa.DataFrameSchema:
    """A page table's schema: provenance first (source_file, sha256, line), then ``columns``, nothing else."""
    provenance = {"source_file": pa.Column(None, nullable=False),
                  "sha256": pa.Column(None, pa.Check.str_length(min_value=64, max_value=64), nullable=False),
                  "line": pa.Column(int, pa.Check.ge(1))}
    return pa.DataFrameSchema({**provenance, **columns}, strict=True, ordered=True, name=name,
                              description=description,
                              checks=[pa.Check(_large_categoricals,
                                               name="columns with one category per page or text are categorical")])


def _category(**checks) -> pa.Column:
    return pa.Column(pd.CategoricalDtype, **checks)


ARTICLES = _table("articles", """Each row represents one page. ``line`` is the line of its '<Drug> for <Condition>' title.

    Columns: source_file, sha256, line, drug, condition, title, active_ingredients and drug_classes
    ('; '-joined, empty when the page lists none), encoding (how the bytes were decoded), format (text
    or html), truncated (page cut off mid-sentence), synthetic (made by ``explorer synth``), the
    counts n_sections, n_side_effects, n_advice, n_related, extractor (template: the meds.is parser;
    general: any other site), drug_from and condition_from (meta, title, address, text or given;
    the condition is missing when the page names none), and site (the address's host, else the folder).""", {
    "drug": _category(), "condition": _category(nullable=True), "title": pa.Column(pd.StringDtype),
    "active_ingredients": pa.Column(pd.StringDtype), "drug_classes": pa.Column(pd.StringDtype),
    "encoding": _category(), "format": _category(checks=pa.Check.isin(["text", "html"])),
    "truncated": pa.Column(bool), "synthetic": pa.Column(bool),
    "n_sections": pa.Column(int, pa.Check.ge(0)), "n_side_effects": pa.Column(int, pa.Check.ge(0)),
    "n_advice": pa.Column(int, pa.Check.ge(0)), "n_related": pa.Column(int, pa.Check.ge(0)),
    "extractor": _category(checks=pa.Check.isin(["template", "general"])),
    "drug_from": _category(checks=pa.Check.isin(["meta", "title", "address", "text", "given"])),
    "condition_from": _category(nullable=True, checks=pa.Check.isin(["meta", "title", "address", "text", "given"])),
    "site": _category()})

SECTIONS = _table("sections", """Each row represents one heading of a page, in document order.

    Columns: source_file, sha256, line, drug, condition, position (0-based order on the page), heading
    (as written), kind (header, title, question, side_effects, tier, advice, reviews, related, other),
    label (tier sections: the tier as written; advice sections: managing or reducing_risk).""", {
    "drug": _category(), "condition": _category(nullable=True), "position": pa.Column(int, pa.Check.ge(0)),
    "heading": pa.Column(pd.StringDtype), "kind": pa.Column(pd.CategoricalDtype(categories=list(SECTION_KINDS))),
    "label": pa.Column(pd.StringDtype, nullable=True)})

SIDE_EFFECTS = _table("side_effects", """Each row represents one side effect claimed by one page.

    Columns: source_file, sha256, line, drug, condition, tier (as written on the page), severity
    (ordered: common < less common < rare < serious; missing when the tier is not recognised), name,
    description (missing when the page gives only a name), from_prose (read out of a sentence rather
    than a list or table).""", {
    "drug": _category(), "condition": _category(nullable=True), "tier": _category(),
    "severity": pa.Column(pd.CategoricalDtype(categories=list(SEVERITY_LEVELS), ordered=True), nullable=True),
    "name": pa.Column(None, nullable=False), "description": pa.Column(None, nullable=True),
    "from_prose": pa.Column(bool)})

ADVICE = _table("advice", """Each row represents one tip for managing side effects or reducing their risk.

    Columns: source_file, sha256, line, drug, condition, kind (managing or reducing_risk), name,
    description.""", {
    "drug": _category(), "condition": _category(nullable=True), "kind": _category(),
    "name": pa.Column(None, nullable=False), "description": pa.Column(None, nullable=True)})

RELATED = _table("related", """Each row represents one 'Related Articles' link of a page to another '<Drug> for <Condition>'.

    Columns: source_file, sha256, line, drug and condition (of the linking page), related_drug,
    related_condition, has_page (True when a page for that drug and condition is in the loaded corpus).""", {
    "drug": _category(), "condition": _category(nullable=True), "related_drug": _category(), "related_condition": _category(),
    "has_page": pa.Column(bool)})

NUMBERS = _table("numbers", """Each row represents one duration or percentage written on one page (for the label check).

    Columns: source_file, sha256, line, drug, condition, quantity (duration or percentage), text (as
    written: "five to seven years"), low, high (the number, or both ends of a range), unit (year, month,
    week, day or percent), sentence (the sentence it stands in, at most 300 characters).""", {
    "drug": _category(), "condition": _category(nullable=True),
    "quantity": _category(checks=pa.Check.isin(["duration", "percentage"])), "text": pa.Column(pd.StringDtype),
    "low": pa.Column(float, pa.Check.ge(0)), "high": pa.Column(float, pa.Check.ge(0)),
    "unit": _category(checks=pa.Check.isin(["year", "month", "week", "day", "percent"])),
    "sentence": pa.Column(pd.StringDtype)})

SENTENCES = _table("sentences", """Each row represents one prose sentence of one page, kept as a hash (no text).

    Columns: source_file, sha256, line (where the sentence stands), hash (signed 64-bit BLAKE2b of the
    sentence casefolded, whitespace collapsed, edge punctuation stripped, the page's drug and condition
    masked as <drug> and <condition>; :mod:`explorer.pages.sentences`), n_chars (its length, unmasked).
    Read with :func:`explorer.corpus.sentences.read_sentences`; not part of a loaded ``Corpus``.""", {
    "hash": pa.Column("int64"), "n_chars": pa.Column("int64", pa.Check.ge(1))})

#: The schema of each table of a loaded ``Corpus``, by table name (``SENTENCES`` is read on its own).
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "articles": ARTICLES, "sections": SECTIONS, "side_effects": SIDE_EFFECTS, "advice": ADVICE,
    "related": RELATED, "numbers": NUMBERS,
}
