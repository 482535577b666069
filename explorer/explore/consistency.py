"""Cross-page consistency: the same side effect of the same drug given different tiers on different pages.

A side effect is known by its drug and its name's key (:func:`explorer.text.name_key`: case, spacing and end
punctuation ignored, each word's lemma), so "Headache" on one page and "headaches." on another are the same
claim. Side effects whose tier was not
recognised (severity missing) take no part: they state no tier to disagree with. Pass rows with each
page's content once (the dashboard's ``chart_rows``) so that copies of a page do not count as pages.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..text import name_key
from ..vocabulary import SEVERITY_LEVELS
from .aggregate import codes_index, sorted_unique

#: Columns of :func:`tier_conflicts`.
CONFLICT_COLUMNS = ("drug", "side_effect", "n_pages", "n_tiers", "tiers", *(f"pages_{s.replace(' ', '_')}"
                                                                            for s in SEVERITY_LEVELS))


def _folded_codes(names: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of the names' keys (each distinct name keyed once, not per row)."""
    codes, values = codes_index(names)
    folded = pd.Index([name_key(c) for c in values])
    uniques = pd.Index(folded.unique())
    lookup = np.append(uniques.get_indexer(folded), -1)
    return lookup[codes], uniques


def _severity_codes(severity: pd.Series) -> np.ndarray:
    """Positions in SEVERITY_LEVELS (-1 when missing), from the categorical's codes when it has them."""
    if isinstance(severity.dtype, pd.CategoricalDtype):
        return pd.Categorical(severity).set_categories(list(SEVERITY_LEVELS)).codes.astype(np.int64)
    return pd.Categorical(severity, categories=list(SEVERITY_LEVELS)).codes.astype(np.int64)


def tier_conflicts(rows: pd.DataFrame, min_pages: int = 2) -> pd.DataFrame:
    """Side effects of one drug given more than one severity across pages, most pages first.

    Columns: drug, side_effect (its key: folded, each word's lemma), n_pages (pages stating it with a severity), n_tiers (distinct
    severities), tiers (the severities, in order, " | "-joined), and pages_<severity> per severity.

    >>> rows = pd.DataFrame({"drug": ["D", "D", "D", "E"], "name": ["Rash", "rash", "Nausea", "Rash"],
    ...     "severity": ["common", "serious", "common", "rare"], "source_file": ["a", "b", "a", "c"]})
    >>> tier_conflicts(rows)[["drug", "side_effect", "n_pages", "tiers"]].to_dict("records")
    [{'drug': 'D', 'side_effect': 'rash', 'n_pages': 2, 'tiers': 'common | serious'}]
    """
    known = rows[rows["severity"].notna().to_numpy()] if len(rows) else rows
    if not len(known):
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith(("n_", "pages_")) else object)
                             for c in CONFLICT_COLUMNS})
    name_codes, names = _folded_codes(known["name"])
    drug_codes, drugs = codes_index(known["drug"])
    page, _ = codes_index(known["source_file"])
    severity = _severity_codes(known["severity"])
    # One int64 key per (drug, name, severity, page): a sort is the whole group-by.
    n_names, n_pages, n_sev = len(names) + 1, int(page.max()) + 2, len(SEVERITY_LEVELS)
    pair = drug_codes * n_names + name_codes
    key = sorted_unique((pair * n_sev + severity) * n_pages + page)
    claim = key // n_pages  # (pair, severity), one per page stating it
    pair_sev, pages_per = sorted_unique(claim, counts=True)
    pairs = sorted_unique(pair_sev // n_sev)
    counts = np.zeros((len(pairs), n_sev), dtype=np.int64)
    counts[np.searchsorted(pairs, pair_sev // n_sev), pair_sev % n_sev] = pages_per
    distinct = sorted_unique(key // (n_pages * n_sev) * n_pages + key % n_pages)  # (pair, page)
    pages = np.bincount(np.searchsorted(pairs, distinct // n_pages), minlength=len(pairs))
    n_tiers = (counts > 0).sum(axis=1)
    keep = (n_tiers >= 2) & (pages >= min_pages)
    pairs, counts, pages, n_tiers = pairs[keep], counts[keep], pages[keep], n_tiers[keep]
    out = pd.DataFrame({
        "drug": drugs.astype(str).to_numpy()[pairs // n_names],
        "side_effect": names.to_numpy()[pairs % n_names] if len(pairs) else np.array([], dtype=object),
        "n_pages": pages.astype("int64"), "n_tiers": n_tiers.astype("int64"),
        "tiers": [" | ".join(s for s, n in zip(SEVERITY_LEVELS, row) if n) for row in counts],
        **{f"pages_{s.replace(' ', '_')}": counts[:, i] for i, s in enumerate(SEVERITY_LEVELS)}})
    return out.sort_values(["n_pages", "n_tiers", "drug", "side_effect"], ascending=[False, False, True, True],
                           kind="stable").reset_index(drop=True)


def conflict_rows(rows: pd.DataFrame, drug: str, side_effect: str) -> pd.DataFrame:
    """The rows behind one conflict of :func:`tier_conflicts`, side by side: most serious first, then by page
    and line.

    >>> rows = pd.DataFrame({"drug": ["D", "D"], "name": ["Rash", "rash."], "severity": ["common", "serious"],
    ...                      "source_file": ["a", "b"], "line": [3, 9]})
    >>> conflict_rows(rows, "D", "rash")[["severity", "source_file", "line"]].to_dict("records")
    [{'severity': 'serious', 'source_file': 'b', 'line': 9}, {'severity': 'common', 'source_file': 'a', 'line': 3}]
    """
    mine = rows[(rows["drug"] == drug).to_numpy()]
    if not len(mine):
        return mine
    codes, names = _folded_codes(mine["name"])
    position = names.get_indexer([name_key(side_effect)])[0]
    mine = mine[(codes == position) & (position >= 0)]
    order = _severity_codes(mine["severity"])
    return (mine.assign(_order=-order.astype(np.int64))
            .sort_values(["_order", "source_file", "line"], kind="stable").drop(columns="_order"))
