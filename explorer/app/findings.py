"""The two findings about the pages' content rather than their labels, added to the audit's registry of
findings (:data:`explorer.audit.findings.REGISTRY`): they are computed by :mod:`explorer.explore`, which
the audit layer does not import, so they are registered here, above both.
"""
from __future__ import annotations

import pandas as pd

from ..audit.findings import Finding, View, register
from ..explore.boilerplate import shared_sentences
from ..explore.consistency import conflict_rows, tier_conflicts


@register
class DifferentTiers(Finding):
    key, order = "consistency", 30
    title = "Different tiers on different pages"
    explain = "the same side effect of the same drug given different tiers by different pages"

    def ranked(self, view: View) -> pd.DataFrame:
        return tier_conflicts(view.side_effects)

    def entry_label(self, entry, view: View) -> str:
        return f"{entry.drug}: {entry.side_effect} ({entry.tiers}) · {entry.n_pages:,} pages"

    def entry_rows(self, view: View, ranked: pd.DataFrame, index: int) -> pd.DataFrame:
        entry = ranked.iloc[index]
        return conflict_rows(view.side_effects, entry["drug"], entry["side_effect"])


@register
class SharedText(Finding):
    key, order = "boilerplate", 60
    title = "Text shared across pages"
    explain = ("sentences that stand on several pages once each page's drug and condition are masked: template "
               "text, not page-specific writing")

    def ranked(self, view: View) -> pd.DataFrame:
        return shared_sentences(view.sentences(), top=None)

    def entry_label(self, entry, view: View) -> str:
        return (f"{entry.n_pages:,} pages ({entry.page_share:.0%} of the pages with prose shown): "
                f"“{view.line_text(str(entry.source_file), entry.line)[:120]}”")

    def entry_rows(self, view: View, ranked: pd.DataFrame, index: int) -> pd.DataFrame:
        entry = ranked.iloc[index]
        sentences = view.sentences()
        rows = sentences[(sentences["hash"] == entry["hash"]).to_numpy()][["source_file", "line"]]
        articles = view.articles[["source_file", "drug", "condition"]]
        rows = rows.assign(source_file=rows["source_file"].astype(str))
        return rows.merge(articles.assign(source_file=articles["source_file"].astype(str)), how="left")
