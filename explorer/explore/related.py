"""The related conditions of a drug: which conditions its pages link to, counted on integer codes.

:func:`related_counts` ranks the linked conditions for the chart (:func:`explorer.explore.charts.related_map`);
:func:`related_conditions` lists every condition of the drug's pages and links, for exploring.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .aggregate import codes_index, first_rows, labels_of, values_at

RELATED_COLUMNS = ["condition", "pages", "has_page", "source_file", "line"]


def related_counts(related: pd.DataFrame, articles: pd.DataFrame, drug: str, top: int = 25) -> tuple[pd.DataFrame, int]:
    """The conditions the pages of ``drug`` link to (as '<drug> for <condition>'), ranked by how many pages
    link them, and how many conditions they link at all.

    Each row represents one linked condition, most linked first (ties: the first linked first), at most
    ``top`` rows. Columns: condition, pages (how many of the drug's pages link to it), has_page (a page
    for this drug and condition is in the loaded corpus), source_file, line (of its first link). Only
    the drug's link rows are touched (found through the category codes), so the cost does not grow
    with the corpus.

    >>> import explorer
    >>> c = explorer.load()
    >>> shown, linked = related_counts(c.related, c.articles, "Mirena", top=3)
    >>> shown["condition"].tolist(), shown["pages"].tolist(), linked
    (['Birth Control', 'Endometriosis', 'Breast Cancer'], [1, 1, 1], 35)
    """
    rows = _rows_of(related["drug"], drug)
    rows = rows[_is(related["related_drug"].take(rows), drug)]
    target, values = codes_index(related["related_condition"].take(rows))
    at = np.flatnonzero(target >= 0)
    target = target[at]
    file, _ = codes_index(related["source_file"].take(rows[at]))
    # distinct (condition, page) pairs: a page that links a condition twice counts once
    pairs = np.unique(target * (int(file.max(initial=0)) + 2) + file + 1)
    pages = np.bincount(pairs // (int(file.max(initial=0)) + 2), minlength=len(values))
    first = first_rows(target, np.arange(len(target)), len(values))
    linked = np.flatnonzero(pages)
    shown = linked[np.lexsort((first[linked], -pages[linked]))][:top]
    conditions = [str(c) for c in labels_of(values, shown)]
    have = {str(c).casefold() for c in articles["condition"].take(_rows_of(articles["drug"], drug)).dropna()}
    link_rows = rows[at[first[shown]]]
    out = pd.DataFrame({
        "condition": conditions, "pages": pages[shown].astype(np.int64),
        "has_page": np.array([c.casefold() in have for c in conditions], dtype=bool),
        "source_file": values_at(related["source_file"], link_rows),
        "line": related["line"].take(link_rows).to_numpy(dtype=np.int64)}, columns=RELATED_COLUMNS)
    return out, len(linked)


def linking_pages(related: pd.DataFrame) -> pd.Series:
    """How many pages of each drug link to a condition of the same drug (what its related-conditions chart
    counts: it ranks something only from two such pages on), indexed by drug; drugs without such links
    are left out. One pass over the codes (a page has one drug): about 0.1 s for 3.5 million links.

    >>> import explorer
    >>> linking_pages(explorer.load().related).to_dict()
    {'Mirena': 1}
    """
    drug, drugs = codes_index(related["drug"])
    target, targets = codes_index(related["related_drug"])
    folded = pd.Index([str(d).casefold() for d in drugs])
    same_of = np.append(folded.get_indexer([str(t).casefold() for t in targets]), -1)  # target code -> drug code
    file, files = codes_index(related["source_file"])
    keep = (drug >= 0) & (file >= 0) & (same_of[target] == drug)
    page_drug = np.full(len(files), -1, dtype=np.int64)
    page_drug[file[keep]] = drug[keep]  # each linking page once, with its drug
    counts = np.bincount(page_drug[page_drug >= 0], minlength=len(drugs))
    have = np.flatnonzero(counts)
    return pd.Series(counts[have].astype(np.int64), index=pd.Index([str(d) for d in labels_of(drugs, have)]))


def _matching(categories: pd.Index, wanted: str) -> np.ndarray:
    """Which categories equal ``wanted`` case-insensitively, one flag per category plus a last False for
    code -1 (missing). Plain Python over the category strings: pandas' string methods cost about 3 ms
    for a thousand drug names, more than the rest of the chart."""
    fold = wanted.casefold()
    return np.array([isinstance(c, str) and c.casefold() == fold for c in categories.tolist()] + [False], dtype=bool)


def _is(values: pd.Series, wanted: str) -> np.ndarray:
    """Case-insensitive ``values == wanted``, computed on the categories of a categorical column."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return _matching(values.cat.categories, wanted)[values.array.codes]
    return (values.astype("string").str.casefold() == wanted.casefold()).fillna(False).to_numpy(bool)


def _rows_of(values: pd.Series, wanted: str) -> np.ndarray:
    """Positions where ``values == wanted`` case-insensitively: the categories are compared, then the
    integer codes are scanned, so a column of millions of rows is never converted to strings."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        hits = np.flatnonzero(_matching(values.cat.categories, wanted))
        codes = values.array.codes
        if len(hits) == 1:
            return np.flatnonzero(codes == hits[0])
        return np.flatnonzero(np.isin(codes, hits))
    return np.flatnonzero(_is(values, wanted))


def links_of(related: pd.DataFrame, drug: str) -> pd.DataFrame:
    """Related-article links from pages of ``drug`` to other pages of the same drug (only the columns
    the map uses: condition, related_condition, source_file, line)."""
    rows = _rows_of(related["drug"], drug)
    rows = rows[_is(related["related_drug"].take(rows), drug)]
    return pd.DataFrame({c: related[c].take(rows).reset_index(drop=True)
                         for c in ("condition", "related_condition", "source_file", "line")})


def related_conditions(related: pd.DataFrame, articles: pd.DataFrame, drug: str) -> pd.DataFrame:
    """Every condition the pages of ``drug`` link to, and the conditions those pages are about.

    Each row represents one condition of the drug's map. Columns: condition, has_page (a page for this
    drug and condition is in the loaded corpus), links (how many of the drug's pages link to it),
    source_file, line (of the first link to it; missing for a page nobody links to).

    >>> import explorer
    >>> c = explorer.load()
    >>> rc = related_conditions(c.related, c.articles, "Mirena")
    >>> int(rc["has_page"].sum()), int((~rc["has_page"]).sum())
    (1, 35)
    """
    return conditions_of_links(links_of(related, drug), articles, drug)


def conditions_of_links(links: pd.DataFrame, articles: pd.DataFrame, drug: str) -> pd.DataFrame:
    """:func:`related_conditions` from the drug's links (as :func:`links_of` gives them)."""
    pages = articles["condition"].take(_rows_of(articles["drug"], drug))
    page_conditions = list(dict.fromkeys(pages.dropna().astype("string")))  # a page may name no condition
    # Per linked condition, in order of first link: how many links, and the first link's file and line
    # (the first non-missing one, as groupby's "first" takes).
    target, target_values = codes_index(links["related_condition"])
    n = len(target_values)
    linked = target >= 0
    at = np.flatnonzero(linked)
    first = first_rows(target[at], at, n)
    order = np.flatnonzero(first >= 0)
    order = order[np.argsort(first[order], kind="stable")]
    counts = np.bincount(target[at], minlength=n)
    source = links["source_file"]
    has_source = np.asarray(source.notna().to_numpy(), dtype=bool) & linked
    first_source = first_rows(target[has_source], np.flatnonzero(has_source), n)
    line = links["line"]
    has_line = np.asarray(line.notna().to_numpy(), dtype=bool) & linked
    first_line = first_rows(target[has_line], np.flatnonzero(has_line), n)
    conditions = [str(c) for c in pd.Index(target_values.take(order)).astype("string")]
    source_of = values_at(source, np.maximum(first_source[order], 0))
    line_of = line.take(np.maximum(first_line[order], 0)).tolist()
    agg = {c: (int(counts[g]), source_of[k] if first_source[g] >= 0 else pd.NA,
               line_of[k] if first_line[g] >= 0 else pd.NA)
           for k, (c, g) in enumerate(zip(conditions, order.tolist()))}
    have = {c.casefold() for c in page_conditions}
    rows = [(c, True, agg[c][0] if c in agg else 0, agg[c][1] if c in agg else pd.NA,
             agg[c][2] if c in agg else pd.NA) for c in page_conditions]
    on_page = set(page_conditions)
    rows += [(c, c.casefold() in have, k, f, ln) for c, (k, f, ln) in agg.items() if c not in on_page]
    out = pd.DataFrame(rows, columns=["condition", "has_page", "links", "source_file", "line"])
    out["has_page"] = out["has_page"].astype(bool)
    out["line"] = out["line"].astype("Int64")
    return out
