"""The overview, the findings and the page view, as state without widgets (beside :class:`DashboardModel`).

:class:`OverviewModel` reads the dashboard model's filtered rows and claims and derives what the
"Overview" and "Page" tabs show: the counts, the audit's headline, each finding's ranked list and the
rows behind an entry, and one page with its claims. Ranked lists are computed once per filter state.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..audit import findings
from ..corpus.sentences import read_sentences
from ..corpus.store import CorpusError
from ..explore.boilerplate import page_boilerplate, shared_sentences
from ..explore.consistency import conflict_rows, tier_conflicts
from .model import DashboardModel
from .pageview import PageText, page_html, read_page


@dataclass(frozen=True)
class Finding:
    """One ranked list: its key, title, what an entry is, and which tab its rows open in."""

    key: str
    title: str
    explain: str


FINDINGS: tuple[Finding, ...] = (
    Finding("serious", "Serious claims without label support",
            "claims a page calls serious that the label text does not list (whole label searched), or that are "
            "not among the captured label facts (only curated facts held: the label may still list them)"),
    Finding("tiers", "Tiers that disagree with the label",
            "claims whose tier (common, rare, ...) disagrees with the incidence the label gives"),
    Finding("consistency", "Different tiers on different pages",
            "the same side effect of the same drug given different tiers by different pages"),
    Finding("indications", "Conditions the label does not approve",
            "pages presenting the drug as being for a condition that is not among the approved indications held"),
    Finding("stale", "Superseded figures",
            "durations and percentages on pages that only a superseded label gives"),
    Finding("boilerplate", "Text shared across pages",
            "sentences that stand on several pages once each page's drug and condition are masked: template "
            "text, not page-specific writing"),
)
FINDING_KEYS = tuple(f.key for f in FINDINGS)


def _pages_in(rows: pd.DataFrame) -> set[str]:
    files = rows["source_file"]
    if isinstance(files.dtype, pd.CategoricalDtype):
        used = np.bincount(files.cat.codes.to_numpy()[files.cat.codes.to_numpy() >= 0],
                           minlength=len(files.cat.categories)) > 0
        return set(map(str, files.cat.categories[used]))
    return set(map(str, files.unique()))


class OverviewModel:
    """Counts, headline, findings and page views over a :class:`DashboardModel` (no widgets).

    Parameters
    ----------
    model : the dashboard's model (its filters apply here too).
    premises, numbers : functions giving the page-premise and number-check tables of the whole corpus
        (called once, on first use); default: checked against the curated label facts.
    """

    def __init__(self, model: DashboardModel, premises: Callable[[], pd.DataFrame] | None = None,
                 numbers: Callable[[], pd.DataFrame] | None = None):
        self.model = model
        self._premises_fn = premises or self._curated_premises
        self._numbers_fn = numbers or self._curated_numbers
        self._audit: dict[str, pd.DataFrame] = {}
        self._cache: dict[tuple, object] = {}
        self._sentences: pd.DataFrame | None = None
        #: Why the boilerplate finding is empty (a corpus ingested before sentence hashes were kept), if so.
        self.sentences_problem: str | None = None
        self._line_text: dict[tuple[str, int], str] = {}

    # -- the whole corpus's premise and number checks, once
    def _curated_premises(self) -> pd.DataFrame:
        from ..audit.premises import premises_table

        corpus = self.model.corpus
        return premises_table(corpus.articles, corpus.related.iloc[:0], self.model.facts)

    def _curated_numbers(self) -> pd.DataFrame:
        from ..audit.numbers import number_checks
        from ..audit.reference import load_label_numbers

        return number_checks(self.model.corpus.numbers, load_label_numbers(), self.model.facts)

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._audit:
            self._audit[name] = (self._premises_fn if name == "premises" else self._numbers_fn)()
        return self._audit[name]

    def _shown(self, name: str) -> pd.DataFrame:
        """The premise or number checks of the pages the current filters show."""
        return self._cached(name, lambda: self._of_shown_pages(self._table(name)))

    def _of_shown_pages(self, table: pd.DataFrame) -> pd.DataFrame:
        if self.model.state.is_empty or not len(table):
            return table
        pages = _pages_in(self.model.rows)
        return table[table["source_file"].astype(str).isin(pages).to_numpy()]

    def _cached(self, key: str, compute: Callable[[], object]):
        full = (key, self.model.state)
        if full not in self._cache:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[full] = compute()
        return self._cache[full]

    # -- the sentences (read on first use: only the boilerplate finding needs them)
    def _all_sentences(self) -> pd.DataFrame:
        if self._sentences is None:
            root = self.model.corpus.root
            try:
                if root is None:
                    raise CorpusError("this corpus was built in memory: no sentences table")
                self._sentences = read_sentences(root, ["source_file", "sha256", "line", "hash", "n_chars"])
            except CorpusError as exc:
                self.sentences_problem = str(exc)
                self._sentences = pd.DataFrame({"source_file": pd.Categorical([]), "sha256": pd.Categorical([]),
                                                "line": [], "hash": [], "n_chars": []})
        return self._sentences

    def sentences(self) -> pd.DataFrame:
        """The sentence hashes of the shown pages (each content once)."""
        def compute():
            table = self._all_sentences()
            if self.model.state.is_empty and not self.model.has_copies or not len(table):
                return table
            return table[table["source_file"].isin(_pages_in(self.model.chart_rows)).to_numpy()]
        return self._cached("sentences", compute)

    def boilerplate_pages(self) -> pd.DataFrame:
        """:func:`explorer.explore.boilerplate.page_boilerplate` of the shown pages."""
        return self._cached("boilerplate_pages", lambda: page_boilerplate(self.sentences()))

    def line_text(self, source_file: str, line: int) -> str:
        """The text of one line of a page as read (for showing a shared sentence)."""
        key = (source_file, int(line))
        if key not in self._line_text:
            text, _ = self.page(source_file, claims=False)
            for found in text.lines:
                self._line_text[(source_file, found.number)] = found.text
            self._line_text.setdefault(key, f"({text.problem or 'line not found'})")
        return self._line_text[key]

    # -- the overview
    def counts(self) -> dict[str, int]:
        """Pages (each content once), drugs, conditions, sites and side-effect claims shown."""
        def compute():
            rows = self.model.chart_rows
            out = {"pages": len(_pages_in(rows)) if len(rows) else 0}
            for key, col in (("drugs", "drug"), ("conditions", "condition"), ("sites", "site")):
                out[key] = int(rows[col].nunique()) if col in rows.columns and len(rows) else 0
            out["claims"] = len(rows)
            return out
        return self._cached("counts", compute)

    def headline(self) -> dict:
        """:func:`explorer.audit.findings.headline` of the shown claims, premises and numbers."""
        return self._cached("headline", lambda: findings.headline(self.model.claim_rows, self._shown("premises"),
                                                                  self._shown("numbers")))

    # -- the findings
    def ranked(self, key: str) -> pd.DataFrame:
        """The ranked list of one finding (see :data:`FINDINGS`) for the current filters."""
        def compute():
            claims = self.model.claim_rows
            if key == "serious":
                return findings.serious_unsupported(claims)
            if key == "tiers":
                return findings.tier_disagreements(claims)
            if key == "consistency":
                return tier_conflicts(self.model.chart_rows)
            if key == "indications":
                return findings.not_approved_pages(self._shown("premises"))
            if key == "stale":
                numbers = self._shown("numbers")
                return numbers[numbers["status"].astype(str).isin(findings.STALE).to_numpy()].reset_index(drop=True)
            if key == "boilerplate":
                return shared_sentences(self.sentences(), top=None)
            raise KeyError(f"no finding {key!r}; expected one of {', '.join(FINDING_KEYS)}")
        return self._cached(f"ranked:{key}", compute)

    def entry_labels(self, key: str, limit: int = 200) -> list[str]:
        """One line per entry of a ranked list (the first ``limit``), for a list a viewer picks from."""
        ranked = self.ranked(key).head(limit)
        if key in ("serious", "tiers"):
            extra = "status" if key == "serious" else "tier"
            return [f"{r.drug}: {r.claim} ({getattr(r, extra)}) · {r.n_pages:,} page{'s' * (r.n_pages != 1)}"
                    for r in ranked.itertuples()]
        if key == "consistency":
            return [f"{r.drug}: {r.side_effect} ({r.tiers}) · {r.n_pages:,} pages" for r in ranked.itertuples()]
        if key == "indications":
            return [f"{r.drug} for {r.condition} ({r.status}) · {r.source_file}:{r.line}" for r in ranked.itertuples()]
        if key == "boilerplate":
            return [f"{r.n_pages:,} pages ({r.page_share:.0%}): “{self.line_text(str(r.source_file), r.line)[:120]}”"
                    for r in ranked.itertuples()]
        return [f"{r.drug}: “{r.text}” ({r.label_value}) · {r.source_file}:{r.line}" for r in ranked.itertuples()]

    def entry_rows(self, key: str, index: int) -> pd.DataFrame:
        """The rows behind entry ``index`` of a ranked list, with source_file and line."""
        entry = self.ranked(key).iloc[index]
        if key == "serious":
            return findings.finding_rows(self.model.claim_rows, entry["drug"], entry["claim"], status=entry["status"])
        if key == "tiers":
            return findings.finding_rows(self.model.claim_rows, entry["drug"], entry["claim"], tier=entry["tier"])
        if key == "consistency":
            return conflict_rows(self.model.chart_rows, entry["drug"], entry["side_effect"])
        if key == "boilerplate":
            sentences = self.sentences()
            rows = sentences[(sentences["hash"] == entry["hash"]).to_numpy()][["source_file", "line"]]
            articles = self.model.corpus.articles[["source_file", "drug", "condition"]]
            rows = rows.assign(source_file=rows["source_file"].astype(str))
            return rows.merge(articles.assign(source_file=articles["source_file"].astype(str)), how="left")
        return self.ranked(key).iloc[[index]]

    def boilerplate_summary(self) -> str:
        """How much of the shown pages' prose other pages share, in a sentence."""
        if self.sentences_problem:
            return self.sentences_problem
        pages = self.boilerplate_pages()
        if not len(pages):
            return "No prose sentences on the shown pages."
        share = pages["shared_share"]
        return (f"{len(pages):,} page{'s' * (len(pages) != 1)} with prose: the median page shares {share.median():.0%} of its prose "
                f"with other pages; {int((share > 0.5).sum()):,} share more than half.")

    # -- the page view

    def page(self, source_file: str, claims: bool = True) -> tuple[PageText, pd.DataFrame]:
        """A page read from its file, and its claims (checked against the labels, each row with its line)."""
        articles = self.model.corpus.articles
        match = articles[(articles["source_file"] == source_file).to_numpy()]  # categorical: compares codes
        if not len(match):
            return PageText(source_file, problem=f"{source_file}: not a page of this corpus"), pd.DataFrame()
        roots = [Path(self.model.corpus.root).parent] if self.model.corpus.root is not None else []
        text = read_page(source_file, str(match["sha256"].iloc[0]), roots)
        if not claims:
            return text, pd.DataFrame()
        table = self.model.claims
        return text, table[(table["source_file"] == source_file).to_numpy()]

    def page_html(self, source_file: str, line: int | None = None) -> str:
        text, claims = self.page(source_file)
        return page_html(text, claims, focus_line=line)
