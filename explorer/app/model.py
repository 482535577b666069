"""The dashboard's model: the corpus, the current :class:`~explorer.explore.filters.FilterState` and
everything derived from them (rows, summaries, figures, claims, CSV), without a single widget.

Split as in the ipywidgets tutorial: :class:`DashboardModel` holds state and computes what is shown;
:class:`explorer.app.widgets.Dashboard` only displays it. The model is tested without a kernel.
"""
from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from typing import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..audit.audit import Audit, Progress
from ..audit.charts import claims_by_status
from ..audit.report import claims_csv
from ..corpus.dataset import Corpus
from ..explore import charts
from ..explore.aggregate import commonest
from ..explore.filters import FilterState, filter_mask
from ..explore.related import linking_pages
from .render import rows_csv


#: Filter states whose row mask and figures are kept: a user toggles back and forth between a few views,
#: and the opening (unfiltered) view is the one most returned to. Each state holds a one-byte-per-row
#: mask (1.2 MB at 100,000 pages) and three small figures.
STATE_CACHE = 12


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def summary_line(rows: pd.DataFrame) -> str:
    """What is shown, in one sentence.

    >>> import explorer
    >>> summary_line(explorer.load().side_effects)
    '9 side effects on 1 page, 3 of them Serious'
    """
    n = len(rows)
    if n == 0:
        return "No side effects match these filters"
    pages = int(np.count_nonzero(np.bincount(rows["source_file"].cat.codes.to_numpy()))) \
        if isinstance(rows["source_file"].dtype, pd.CategoricalDtype) else rows["source_file"].nunique()
    serious = int((rows["severity"] == "serious").sum())
    return f"{_plural(n, 'side effect')} on {_plural(pages, 'page')}, {serious:,} of them Serious"


def claims_summary_line(claims: pd.DataFrame) -> str:
    """How many claims are shown, and how many have each label status (in status order).

    >>> import pandas as pd
    >>> claims_summary_line(pd.DataFrame({"status": pd.Categorical(["label warning", "x", "x"])}))
    '3 side-effect claims: 1 label warning, 2 x'
    """
    if len(claims) == 0:
        return "No side-effect claims match these filters"
    counts = claims["status"].value_counts(sort=False)
    parts = ", ".join(f"{int(n):,} {status}" for status, n in counts.items() if n)
    return f"{_plural(len(claims), 'side-effect claim')}: {parts}"


class DashboardModel:
    """The corpus, the current FilterState and everything derived from them; no widgets.

    Parameters
    ----------
    corpus : the loaded corpus.
    state : the filters to start with.
    top : how many side effects the condition x side-effect matrix shows.
    facts : label facts to check claims against; default ``corpus.label_facts``, else the reference
        data (:func:`explorer.audit.reference.load_label_facts`).
    labels : a label store (:class:`explorer.labels.store.LabelStore`): claims of drugs whose label is
        held are checked against the label's full text, with the evidence.
    audit : the :class:`~explorer.audit.audit.Audit` of the corpus; by default the one saved beside the
        corpus (:meth:`Audit.of <explorer.audit.audit.Audit.of>`: computed and saved when missing or stale,
        telling ``progress``), taken on first use.
    """

    def __init__(self, corpus: Corpus, state: FilterState = FilterState(), top: int = 20,
                 facts: pd.DataFrame | None = None, labels=None, audit: Audit | None = None,
                 progress: Progress | None = None):
        self.corpus = corpus
        se = corpus.side_effects
        # Side-effect names repeat across pages: as a categorical, every chart groups on integer codes.
        self.side_effects = se.assign(name=se["name"].astype("category")) if len(se) else se
        self.side_effects = self.side_effects.assign(site=_site_of_rows(self.side_effects, corpus.articles))
        self.sites: tuple[str, ...] = tuple(sorted(map(str, corpus.articles["site"].dropna().unique()))) \
            if "site" in corpus.articles.columns else ()
        # Crawls hold one page under several paths: charts and counts take each content once.
        self._first = corpus.first_copies(self.side_effects) if "sha256" in corpus.articles.columns else \
            np.ones(len(self.side_effects), dtype=bool)
        self._all_first = bool(self._first.all())
        self.drugs: tuple[str, ...] = tuple(sorted(map(str, corpus.articles["drug"].unique())))
        self.conditions: tuple[str, ...] = tuple(sorted(map(str, corpus.articles["condition"].dropna().unique())))
        self.top = top
        self.facts = facts if facts is not None else corpus.label_facts
        self.labels = labels
        self._audit = audit
        self._progress = progress
        self._cache: OrderedDict[FilterState, dict[str, object]] = OrderedDict()
        self._state = state
        self._mask = self._mask_of(state)
        self._rows: pd.DataFrame | None = None
        self._related = lru_cache(maxsize=32)(self._related_figure)
        self._linking: pd.Series | None = None  # pages with links, per drug (linking_pages), on first use
        self._claim_rows: tuple[FilterState, pd.DataFrame] | None = None
        self._curated_drugs: tuple[str, ...] | None = None

    @property
    def state(self) -> FilterState:
        """The current filters (immutable; change them with :meth:`set_state`)."""
        return self._state

    @property
    def rows(self) -> pd.DataFrame:
        """The side effects matching the current filters (selected when first asked for)."""
        if self._rows is None:
            self._rows = self.side_effects if self._mask is None else self.side_effects[self._mask]
        return self._rows

    def _entry(self, state: FilterState) -> dict[str, object]:
        """What is kept for ``state`` (most recently used last; the oldest beyond STATE_CACHE are dropped)."""
        entry = self._cache.pop(state, None)
        self._cache[state] = entry = {} if entry is None else entry
        while len(self._cache) > STATE_CACHE:
            self._cache.popitem(last=False)
        return entry

    def _kept(self, name: str, make: Callable[[], object]) -> object:
        """``make()`` for the current state, computed once while the state is kept."""
        entry = self._entry(self._state)
        if name not in entry:
            entry[name] = make()
        return entry[name]

    def _mask_of(self, state: FilterState) -> np.ndarray | None:
        entry = self._entry(state)
        if "mask" not in entry:
            entry["mask"] = None if state.is_empty else filter_mask(self.side_effects, state)
        return entry["mask"]

    def set_state(self, state: FilterState) -> bool:
        """Apply new filters; return whether anything changed."""
        if state == self._state:
            return False
        self._state = state
        self._mask = self._mask_of(state)
        self._rows = None
        return True

    @property
    def has_copies(self) -> bool:
        """Whether some page of the corpus is a copy of another (the same content under another path)."""
        return not self._all_first

    @property
    def chart_rows(self) -> pd.DataFrame:
        """The shown side effects with each page's content once (copies under other paths left out)."""
        if self._all_first:
            return self.rows
        first = self._first if self._mask is None else self._first[self._mask]
        return self.rows[first]

    def values_with_side_effects(self, column: str) -> int:
        """How many distinct values of ``column`` (drug, condition, site) the pages with side effects name."""
        values = self.side_effects[column] if column in self.side_effects.columns else pd.Series([], dtype=str)
        return int(values.dropna().nunique())

    # -- the side effects
    def summary(self) -> str:
        line = summary_line(self.chart_rows)
        copies = len(self.rows) - len(self.chart_rows)
        return line if not copies else f"{line} (and {_plural(copies, 'row')} of copies of these pages under other paths)"

    def rows_csv(self) -> str:
        """The shown side effects as CSV text (every column of the side_effects table)."""
        return rows_csv(self.rows)

    @property
    def focus_drug(self) -> str | None:
        """The drug whose related-conditions map is shown: the first chosen one, else the shown drug with
        the most pages that link to conditions (:meth:`_commonest_drug`)."""
        if self._state.drugs:
            return self._state.drugs[0]
        return self._kept("focus", self._commonest_drug)

    def _commonest_drug(self) -> str | None:
        """Among the shown drugs, the one whose related chart ranks most (the most pages with links), then
        the one with the most side effects; the first drug when none is shown."""
        drug = self.side_effects["drug"] if self._mask is None else self.side_effects["drug"][self._mask]
        if self._linking is None:
            self._linking = linking_pages(self.corpus.related)
        counts = drug.value_counts(sort=False)
        counts = counts[counts.to_numpy() > 0]
        if not len(counts):
            return commonest(drug) or (self.drugs[0] if self.drugs else None)
        links = self._linking.reindex([str(d) for d in counts.index], fill_value=0).to_numpy()
        best = np.lexsort((-counts.to_numpy(), -links))[0]  # most linking pages, then most side effects
        return str(counts.index[best])

    def severity_figure(self) -> go.Figure:
        return self._kept("severity", lambda: charts.severity_bar(self.chart_rows))

    def matrix_figure(self) -> go.Figure:
        return self._kept("matrix", lambda: charts.claim_matrix_figure(self.chart_rows, top=self.top))

    def related_figure(self) -> go.Figure:
        return self._related(self.focus_drug, self._state.conditions)

    def _related_figure(self, drug: str | None, selected: tuple[str, ...]) -> go.Figure:
        return charts.related_map(self.corpus.related, self.corpus.articles, drug, selected)

    # -- the label check
    @property
    def audit(self) -> Audit:
        """The audit of the corpus (claims, premises, numbers): the one given, else :meth:`Audit.of
        <explorer.audit.audit.Audit.of>` on first use (saved beside the corpus, reused until the corpus,
        the label store or the explorer changes)."""
        if self._audit is None:
            self._audit = Audit.of(self.corpus, self.labels, facts=self.facts, progress=self._progress)
        return self._audit

    @property
    def curated_drugs(self) -> tuple[str, ...]:
        """The drugs the curated label facts name (``facts``, else the reference data's), read on first use."""
        if self._curated_drugs is None:
            from ..audit.reference import load_label_facts

            facts = self.facts if self.facts is not None else load_label_facts()
            self._curated_drugs = tuple(sorted(map(str, facts["product"].dropna().unique())))
        return self._curated_drugs

    @property
    def claims(self) -> pd.DataFrame:
        """Every side-effect claim of the corpus, checked (:attr:`Audit.claims <explorer.audit.audit.Audit>`).

        Row ``i`` is the claim of row ``i`` of :attr:`side_effects`, so the filters select claims with
        the side effects' mask.
        """
        return self.audit.claims

    @property
    def claim_rows(self) -> pd.DataFrame:
        """The claims of the side effects matching the current filters (the same rows as :attr:`rows`)."""
        if self._claim_rows is None or self._claim_rows[0] != self._state:
            claims = self.claims
            self._claim_rows = (self._state, claims if self._mask is None else claims[self._mask])
        return self._claim_rows[1]

    def claims_summary(self) -> str:
        return claims_summary_line(self.claim_rows)

    def claims_figure(self) -> go.Figure:
        return claims_by_status(self.claim_rows)

    def claims_csv(self) -> str:
        """The shown claims as CSV text, headed by the coverage note (:func:`explorer.audit.report.claims_csv`)."""
        return claims_csv(self.claim_rows)


def _site_of_rows(rows: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    """Each row's page's site, as a categorical with sorted categories; worked out on codes (file
    categories -> the articles' files -> their site), never per row or per file name in Python."""
    if "site" not in articles.columns or not len(rows):
        return pd.Series(pd.Categorical([None] * len(rows)), index=rows.index)
    files = rows["source_file"] if isinstance(rows["source_file"].dtype, pd.CategoricalDtype) else \
        rows["source_file"].astype("category")
    page_files = articles["source_file"].astype("category")
    sites = articles["site"].astype(str).astype("category")  # as before: a missing site reads "nan"
    names = sites.cat.categories.sort_values()
    site_of_page = names.get_indexer(sites.cat.categories)[sites.array.codes]
    # the articles' own file categories are usually the very same Index (load shares them): no lookup then
    page_of_file = page_files.cat.categories.get_indexer(files.cat.categories)
    site_of_file = np.full(len(page_files.cat.categories) + 1, -1, dtype=np.int64)  # last: no page
    site_of_file[page_files.array.codes] = site_of_page
    lookup = np.append(site_of_file[page_of_file], -1)  # a missing file (code -1) takes the last entry: -1
    return pd.Series(pd.Categorical.from_codes(lookup[files.array.codes], categories=names), index=rows.index)
