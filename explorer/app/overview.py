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
from ..audit.findings import REGISTRY, Finding
from ..corpus.sentences import read_sentences
from ..corpus.dataset import Corpus
from ..corpus.store import CorpusError, read_report
from ..explore.boilerplate import page_boilerplate
from . import findings as _content_findings  # noqa: F401  (registers the content findings)
from .model import DashboardModel
from .pageview import PageText, page_html, read_page


#: The findings shown, in order: the audit's registry, with the content findings of :mod:`.findings` added.
FINDINGS: tuple[Finding, ...] = tuple(REGISTRY.values())
FINDING_KEYS = tuple(REGISTRY)


def _pages_in(rows: pd.DataFrame) -> set[str]:
    files = rows["source_file"]
    if isinstance(files.dtype, pd.CategoricalDtype):
        used = np.bincount(files.cat.codes.to_numpy()[files.cat.codes.to_numpy() >= 0],
                           minlength=len(files.cat.categories)) > 0
        return set(map(str, files.cat.categories[used]))
    return set(map(str, files.unique()))


@dataclass(frozen=True)
class PageCounts:
    """The corpus's pages, counted once for the whole dashboard: every page given to the ingest is in
    exactly one part, so ``loaded = with_side_effects + without_side_effects + copies + failed``.

    ``with_side_effects`` and ``without_side_effects`` count each content once (the first path holding
    it); ``copies`` are the other paths of a content held more than once (:meth:`Corpus.duplicates
    <explorer.corpus.dataset.Corpus.duplicates>`); ``failed`` are the report's failed inputs (0 for a corpus
    built in memory; ``report_problem`` says why when the report could not be read).
    """

    with_side_effects: int
    without_side_effects: int
    copies: int
    failed: int
    report_problem: str | None = None

    @property
    def loaded(self) -> int:
        return self.with_side_effects + self.without_side_effects + self.copies + self.failed

    @property
    def read(self) -> int:
        """Pages read (copies included): the pages whose drugs, conditions and sites the pickers list."""
        return self.loaded - self.failed

    @classmethod
    def of(cls, corpus: Corpus) -> "PageCounts":
        articles = corpus.articles
        copies = set(corpus.duplicates()["source_file"]) if "sha256" in articles.columns else set()
        first = articles["source_file"][corpus.first_copies(articles, copies)] if copies else articles["source_file"]
        with_side_effects = int(first.isin(corpus.side_effects["source_file"].unique()).sum()) if len(first) else 0
        failed, problem = 0, None
        if corpus.root is not None:
            try:
                failed = int((read_report(corpus.root)["status"] == "failed").sum())
            except CorpusError as exc:
                problem = str(exc)
        return cls(with_side_effects, len(first) - with_side_effects, len(copies), failed, problem)

    def sentence(self) -> str:
        """The count in words, each part named: "31 pages loaded: 22 read with side effects, ..."."""
        parts = [f"{self.with_side_effects:,} read with side effects", f"{self.without_side_effects:,} read with none",
                 f"{self.copies:,} cop{'y of another page' if self.copies == 1 else 'ies of other pages'}",
                 f"{self.failed:,} failed" + (" (see the corpus's report.csv)" if self.failed else "")]
        unknown = f"; failed pages unknown: {self.report_problem}" if self.report_problem else ""
        return f"{self.loaded:,} page{'s' * (self.loaded != 1)} loaded: {', '.join(parts)}{unknown}"


class OverviewModel:
    """Counts, headline, findings and page views over a :class:`DashboardModel` (no widgets).

    Parameters
    ----------
    model : the dashboard's model (its filters apply here too; its :attr:`~DashboardModel.audit` gives the
        claims, premises and number checks).

    It is the :class:`explorer.audit.findings.View` the findings are computed over.
    """

    def __init__(self, model: DashboardModel):
        self.model = model
        self._cache: dict[tuple, object] = {}
        self._sentences: pd.DataFrame | None = None
        #: Why the boilerplate finding is empty (a corpus ingested before sentence hashes were kept), if so.
        self.sentences_problem: str | None = None
        self._line_text: dict[tuple[str, int], str] = {}
        self._page_counts: PageCounts | None = None

    @property
    def page_counts(self) -> PageCounts:
        """:class:`PageCounts` of the corpus (the filters do not change it)."""
        if self._page_counts is None:
            self._page_counts = PageCounts.of(self.model.corpus)
        return self._page_counts

    # -- what the findings are computed over (explorer.audit.findings.View)
    @property
    def claims(self) -> pd.DataFrame:
        return self.model.claim_rows

    @property
    def premises(self) -> pd.DataFrame:
        """The premise checks of the pages the current filters show."""
        return self._shown("premises")

    @property
    def numbers(self) -> pd.DataFrame:
        """The number checks of the pages the current filters show."""
        return self._shown("numbers")

    @property
    def side_effects(self) -> pd.DataFrame:
        return self.model.chart_rows

    @property
    def articles(self) -> pd.DataFrame:
        return self.model.corpus.articles

    def _shown(self, name: str) -> pd.DataFrame:
        return self._cached(name, lambda: self._of_shown_pages(getattr(self.model.audit, name)))

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
        return self._cached("headline", lambda: findings.headline(self.claims, self.premises, self.numbers))

    # -- the findings
    def finding(self, key: str) -> Finding:
        try:
            return REGISTRY[key]
        except KeyError:
            raise KeyError(f"no finding {key!r}; expected one of {', '.join(REGISTRY)}") from None

    def ranked(self, key: str) -> pd.DataFrame:
        """The ranked list of one finding (see :data:`FINDINGS`) for the current filters."""
        finding = self.finding(key)
        return self._cached(f"ranked:{key}", lambda: finding.ranked(self))

    def entry_labels(self, key: str, limit: int = 200) -> list[str]:
        """One line per entry of a ranked list (the first ``limit``), for a list a viewer picks from."""
        finding = self.finding(key)
        return [finding.entry_label(entry, self) for entry in self.ranked(key).head(limit).itertuples()]

    def entry_rows(self, key: str, index: int) -> pd.DataFrame:
        """The rows behind entry ``index`` of a ranked list, with source_file and line."""
        return self.finding(key).entry_rows(self, self.ranked(key), index)

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
    def page_choices(self) -> dict[str, str]:
        """Each page as the page picker lists it ("path — title"), to its source_file; by path."""
        if "page_choices" not in self._cache:
            art = self.model.corpus.articles
            files = art["source_file"].astype(str).tolist()
            titles = art["title"].astype(object).tolist() if "title" in art.columns else [None] * len(files)
            pairs = sorted(zip(files, titles))
            self._cache["page_choices"] = {(f"{f} — {' '.join(str(t).split())}" if isinstance(t, str) and t.strip()
                                            else f): f for f, t in pairs}
        return self._cache["page_choices"]

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
