"""The corpus tables' schemas: one pandera ``DataFrameModel`` per table, checked when a corpus is loaded.

Each class's docstring says what a row represents and lists its columns (the column order is
:data:`explorer.corpus.tables.TABLE_COLUMNS`).
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ..vocabulary import SECTION_KINDS, SEVERITY_LEVELS

#: Categorical columns checked by a custom check: pandera's own categorical dtype check walks every
#: category, and these hold one category per page or per distinct text (100,000 pages: 0.2 s a table).
LARGE_CATEGORICALS = ("source_file", "sha256", "name", "description")


class _Provenance(pa.DataFrameModel):
    source_file: Series = pa.Field(nullable=False)
    sha256: Series = pa.Field(nullable=False, str_length={"min_value": 64, "max_value": 64})
    line: Series[int] = pa.Field(ge=1)

    @pa.dataframe_check(name="columns with one category per page or text are categorical")
    @classmethod
    def _large_categoricals(cls, df: pd.DataFrame) -> bool:
        return all(isinstance(df[c].dtype, pd.CategoricalDtype) for c in LARGE_CATEGORICALS if c in df.columns)

    class Config:
        strict = True
        ordered = True


class ArticlesSchema(_Provenance):
    """Each row represents one page. ``line`` is the line of its '<Drug> for <Condition>' title.

    Columns: source_file, sha256, line, drug, condition, title, active_ingredients and drug_classes
    ('; '-joined, empty when the page lists none), encoding (how the bytes were decoded), format (text
    or html), truncated (page cut off mid-sentence), synthetic (made by ``explorer synth``), and the
    counts n_sections, n_side_effects, n_advice, n_related.
    """

    drug: Series[pd.CategoricalDtype]
    condition: Series[pd.CategoricalDtype]
    title: Series[pd.StringDtype]
    active_ingredients: Series[pd.StringDtype]
    drug_classes: Series[pd.StringDtype]
    encoding: Series[pd.CategoricalDtype]
    format: Series[pd.CategoricalDtype] = pa.Field(isin=["text", "html"])
    truncated: Series[bool]
    synthetic: Series[bool]
    n_sections: Series[int] = pa.Field(ge=0)
    n_side_effects: Series[int] = pa.Field(ge=0)
    n_advice: Series[int] = pa.Field(ge=0)
    n_related: Series[int] = pa.Field(ge=0)


class SectionsSchema(_Provenance):
    """Each row represents one heading of a page, in document order.

    Columns: source_file, sha256, line, drug, condition, position (0-based order on the page), heading
    (as written), kind (header, title, question, side_effects, tier, advice, reviews, related, other),
    label (tier sections: the tier as written; advice sections: managing or reducing_risk).
    """

    drug: Series[pd.CategoricalDtype]
    condition: Series[pd.CategoricalDtype]
    position: Series[int] = pa.Field(ge=0)
    heading: Series[pd.StringDtype]
    kind: Series[pd.CategoricalDtype] = pa.Field(dtype_kwargs={"categories": list(SECTION_KINDS)})
    label: Series[pd.StringDtype] = pa.Field(nullable=True)


class SideEffectsSchema(_Provenance):
    """Each row represents one side effect claimed by one page.

    Columns: source_file, sha256, line, drug, condition, tier (as written on the page), severity
    (ordered: common < less common < rare < serious; missing when the tier is not recognised), name,
    description (missing when the page gives only a name).
    """

    drug: Series[pd.CategoricalDtype]
    condition: Series[pd.CategoricalDtype]
    tier: Series[pd.CategoricalDtype]
    severity: Series[pd.CategoricalDtype] = pa.Field(
        nullable=True, dtype_kwargs={"categories": list(SEVERITY_LEVELS), "ordered": True})
    name: Series = pa.Field(nullable=False)
    description: Series = pa.Field(nullable=True)


class AdviceSchema(_Provenance):
    """Each row represents one tip for managing side effects or reducing their risk.

    Columns: source_file, sha256, line, drug, condition, kind (managing or reducing_risk), name,
    description.
    """

    drug: Series[pd.CategoricalDtype]
    condition: Series[pd.CategoricalDtype]
    kind: Series[pd.CategoricalDtype]
    name: Series = pa.Field(nullable=False)
    description: Series = pa.Field(nullable=True)


class RelatedSchema(_Provenance):
    """Each row represents one 'Related Articles' link of a page to another '<Drug> for <Condition>'.

    Columns: source_file, sha256, line, drug and condition (of the linking page), related_drug,
    related_condition, has_page (True when a page for that drug and condition is in the loaded corpus).
    """

    drug: Series[pd.CategoricalDtype]
    condition: Series[pd.CategoricalDtype]
    related_drug: Series[pd.CategoricalDtype]
    related_condition: Series[pd.CategoricalDtype]
    has_page: Series[bool]




class NumbersSchema(_Provenance):
    """Each row represents one duration or percentage written on one page (for the label check).

    Columns: source_file, sha256, line, drug, condition, quantity (duration or percentage), text (as
    written: "five to seven years"), low, high (the number, or both ends of a range), unit (year, month,
    week, day or percent), sentence (the sentence it stands in, at most 300 characters).
    """

    drug: Series[pd.CategoricalDtype]
    condition: Series[pd.CategoricalDtype]
    quantity: Series[pd.CategoricalDtype] = pa.Field(isin=["duration", "percentage"])
    text: Series[pd.StringDtype]
    low: Series[float] = pa.Field(ge=0)
    high: Series[float] = pa.Field(ge=0)
    unit: Series[pd.CategoricalDtype] = pa.Field(isin=["year", "month", "week", "day", "percent"])
    sentence: Series[pd.StringDtype]


SCHEMAS: dict[str, type[pa.DataFrameModel]] = {
    "articles": ArticlesSchema,
    "sections": SectionsSchema,
    "side_effects": SideEffectsSchema,
    "advice": AdviceSchema,
    "related": RelatedSchema,
    "numbers": NumbersSchema,
}
