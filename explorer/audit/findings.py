"""The audit's findings, ranked: what an auditor reads first.

Built from the tables of :func:`explorer.audit.report.audit_tables` (claims, premises, numbers):

- :func:`headline`: claims by label status, pages whose condition is not an approved indication, stale
  figures;
- :func:`serious_unsupported`: claims a page calls serious that the label does not list: "not found in
  the label text" when a whole label was searched, "not among the captured label facts" when only the
  curated facts were (the two are never merged: the second does not mean the label lacks it);
- :func:`tier_disagreements`: claims whose tier disagrees with the label's incidence.

Each ranked list groups claims by drug and folded name (:func:`explorer.vocabulary.fold_name`), counts
distinct pages, and :func:`finding_rows` gives the claims behind one entry.

The findings an auditor reads are classes (:class:`Finding`) in one registry (:data:`REGISTRY`, in the
order they are shown): each has its key, title, explanation, ranked list and the rows behind an entry,
computed over a :class:`View` (the shown part of an :class:`~explorer.audit.audit.Audit` and its corpus).
Adding a finding is one class with :func:`register`; the dashboard only renders them.
"""
from __future__ import annotations

from typing import ClassVar, Protocol

import numpy as np
import pandas as pd

from ..vocabulary import fold_name
from .matching import factorised
from .vocabulary import APPROVED, NO_LABEL, NOT_CAPTURED, NOT_FOUND, STATUS_LEVELS, UNCHECKED, NumberStatus, TierCheck

#: The statuses of a claim that no label fact or label text supports (a label was searched, or not).
UNSUPPORTED = (NOT_FOUND, NOT_CAPTURED)
#: Number-check statuses that name a figure the current label no longer gives.
STALE = (NumberStatus.SUPERSEDED,)


def _pages(frame: pd.DataFrame) -> int:
    return int(frame["source_file"].nunique()) if len(frame) else 0


def headline(claims: pd.DataFrame, premises: pd.DataFrame | None = None,
             numbers: pd.DataFrame | None = None) -> dict:
    """The audit in a few numbers.

    Returns a dict: ``claims`` (how many), ``by_status`` (status -> claims, every status in
    :data:`STATUS_LEVELS` order, zeros kept), ``serious_unsupported`` (serious claims with an unsupported
    status), ``tier_disagreements``, ``pages_checked`` (pages whose own condition was checked),
    ``pages_not_approved`` (of those, pages whose condition is not an approved indication of the drug,
    by the facts held; "no label held" pages are counted apart as ``pages_no_label``) and ``stale_figures``
    (figures on pages that only a superseded label gives).
    """
    status = claims["status"] if len(claims) else pd.Series([], dtype=str)
    counts = status.value_counts()  # of a categorical: per category, without turning 1M rows into strings
    by_status = {s: int(counts.get(s, 0)) for s in STATUS_LEVELS}
    serious = (claims["severity"] == "serious").to_numpy() if len(claims) else np.zeros(0, dtype=bool)
    out = {"claims": len(claims), "by_status": by_status,
           "serious_unsupported": int((serious & status.isin(UNSUPPORTED).to_numpy()).sum()),
           "tier_disagreements": int((claims["tier_check"] == TierCheck.DISAGREES).sum()) if len(claims) else 0,
           "pages_checked": 0, "pages_not_approved": 0, "pages_no_label": 0, "stale_figures": 0}
    if premises is not None and len(premises):
        own = premises[(premises["origin"] == "page").to_numpy()]
        pstatus = own["status"].astype(str)
        out["pages_checked"] = _pages(own)
        out["pages_no_label"] = _pages(own[(pstatus == NO_LABEL).to_numpy()])
        out["pages_not_approved"] = _pages(own[(~pstatus.isin([APPROVED, NO_LABEL, UNCHECKED])).to_numpy()])
    if numbers is not None and len(numbers):
        out["stale_figures"] = int(numbers["status"].astype(str).isin(STALE).sum())
    return out


def not_approved_pages(premises: pd.DataFrame) -> pd.DataFrame:
    """Pages whose own condition is not an approved indication of the drug (by the facts held), one row
    each: source_file, line, drug, condition, status, label_term; by drug, then condition."""
    own = premises[(premises["origin"] == "page").to_numpy()]
    own = own[(~own["status"].astype(str).isin([APPROVED, NO_LABEL, UNCHECKED])).to_numpy()]
    cols = [c for c in ("source_file", "line", "drug", "condition", "status", "label_term") if c in own.columns]
    return own[cols].sort_values(["drug", "condition", "source_file"], kind="stable").reset_index(drop=True)


def _ranked(claims: pd.DataFrame, keep: np.ndarray, extra: tuple[str, ...]) -> pd.DataFrame:
    """The kept claims grouped by drug, folded claim and ``extra`` columns; pages and claims counted.

    Grouped on integer codes (categoricals' own, names folded once per distinct name), not on strings.
    """
    cols = ("drug", "claim", *extra, "n_pages", "n_claims")
    chosen = claims[keep]
    if not len(chosen):
        return pd.DataFrame({c: pd.Series(dtype="int64" if c.startswith("n_") else object) for c in cols})
    name_codes, names = factorised(chosen["claim"])
    folded = pd.Index([fold_name(n) for n in names])
    fold_codes, fold_values = pd.factorize(folded)
    keys = {"drug": factorised(chosen["drug"]), **{c: factorised(chosen[c]) for c in extra}}
    frame = pd.DataFrame({"drug": keys["drug"][0], "claim": np.append(fold_codes, -1)[name_codes],
                          **{c: keys[c][0] for c in extra}, "page": factorised(chosen["source_file"])[0]})
    grouped = frame.groupby(["drug", "claim", *extra], sort=False)["page"]
    out = pd.DataFrame({"n_pages": grouped.nunique(), "n_claims": grouped.size()}).reset_index()

    def values(col: str, uniques) -> np.ndarray:
        return np.append(np.asarray(uniques, dtype=object), None)[out[col].to_numpy()]  # code -1: missing

    out["drug"] = values("drug", keys["drug"][1])
    out["claim"] = values("claim", fold_values)
    for c in extra:
        out[c] = values(c, keys[c][1])
    return (out.sort_values(["n_pages", "n_claims", "drug", "claim"], ascending=[False, False, True, True],
                            kind="stable").reset_index(drop=True).loc[:, list(cols)])


def serious_unsupported(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims a page calls serious whose status is unsupported (:data:`UNSUPPORTED`), ranked by pages.

    Columns: drug, claim (folded), status, n_pages, n_claims.

    >>> claims = pd.DataFrame({"drug": ["M", "M", "M"], "claim": ["Blood clots", "blood clots", "Acne"],
    ...     "severity": ["serious", "serious", "serious"], "source_file": ["a", "b", "a"],
    ...     "status": ["not among the captured label facts"] * 2 + ["label warning"]})
    >>> serious_unsupported(claims).to_dict("records")
    [{'drug': 'M', 'claim': 'blood clots', 'status': 'not among the captured label facts', 'n_pages': 2, 'n_claims': 2}]
    """
    if not len(claims):
        return _ranked(claims, np.zeros(0, dtype=bool), ("status",))
    keep = ((claims["severity"] == "serious") & claims["status"].isin(UNSUPPORTED)).to_numpy()
    return _ranked(claims, keep, ("status",))


def tier_disagreements(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims whose tier disagrees with the label's incidence, ranked by pages.

    Columns: drug, claim (folded), tier (as written), tier_note (why: the page's tier and the label's
    figure), n_pages, n_claims.
    """
    if not len(claims):
        return _ranked(claims, np.zeros(0, dtype=bool), ("tier", "tier_note"))
    return _ranked(claims, (claims["tier_check"] == TierCheck.DISAGREES).to_numpy(), ("tier", "tier_note"))


def finding_rows(claims: pd.DataFrame, drug: str, claim: str, **equal: str) -> pd.DataFrame:
    """The claims behind one entry of a ranked list: the drug, the folded claim and any other column
    equal to the value given (``status=...``, ``tier=...``), by page and line."""
    mine = claims[(claims["drug"] == drug).to_numpy()]
    if len(mine):
        codes, names = factorised(mine["claim"])
        wanted = np.append(np.asarray([fold_name(n) == claim for n in names], dtype=bool), False)
        mine = mine[wanted[codes]]
    for col, value in equal.items():
        mine = mine[(mine[col].astype(str) == value).to_numpy()]
    return mine.sort_values(["source_file", "line"], kind="stable")


# -- the registry of findings -------------------------------------------------------------------------

class View(Protocol):
    """What findings are computed over: the rows of the audit and the corpus the current filters show."""

    claims: pd.DataFrame     #: side-effect claims shown (:attr:`explorer.audit.audit.Audit.claims` rows)
    premises: pd.DataFrame   #: premise checks of the shown pages
    numbers: pd.DataFrame    #: number checks of the shown pages
    side_effects: pd.DataFrame  #: side effects shown, each page's content once
    articles: pd.DataFrame   #: the corpus's pages

    def sentences(self) -> pd.DataFrame: ...   # sentence hashes of the shown pages (each content once)

    def line_text(self, source_file: str, line: int) -> str: ...


class Finding:
    """One ranked list of the audit. Subclass it, set :attr:`key`, :attr:`title`, :attr:`explain` and
    :attr:`order`, write :meth:`ranked` and :meth:`entry_label` (and :meth:`entry_rows` when an entry
    stands for more rows than its own), and :func:`register` it."""

    key: ClassVar[str]
    title: ClassVar[str]
    #: What an entry is, in a sentence shown under the title.
    explain: ClassVar[str]
    #: Where it is shown among the findings (smaller first).
    order: ClassVar[int]

    def ranked(self, view: View) -> pd.DataFrame:
        """The entries, most important first."""
        raise NotImplementedError

    def entry_label(self, entry, view: View) -> str:
        """One line for an entry (a row of :meth:`ranked`, as from ``itertuples``)."""
        raise NotImplementedError

    def entry_rows(self, view: View, ranked: pd.DataFrame, index: int) -> pd.DataFrame:
        """The rows behind entry ``index`` of ``ranked``, each with source_file and line."""
        return ranked.iloc[[index]]


#: key -> finding, in the order shown.
REGISTRY: dict[str, Finding] = {}


def register(cls: type[Finding]) -> type[Finding]:
    """Add a finding class to :data:`REGISTRY` (kept sorted by its ``order``)."""
    if cls.key in REGISTRY and type(REGISTRY[cls.key]) is not cls:
        raise ValueError(f"two findings with the key {cls.key!r}: {type(REGISTRY[cls.key]).__name__} and {cls.__name__}")
    REGISTRY[cls.key] = cls()
    ordered = sorted(REGISTRY.values(), key=lambda f: f.order)
    REGISTRY.clear()
    REGISTRY.update((f.key, f) for f in ordered)
    return cls


def _pages_word(n: int) -> str:
    return f"{n:,} page{'s' * (n != 1)}"


@register
class SeriousUnsupported(Finding):
    key, order = "serious", 10
    title = "Serious claims without label support"
    explain = ("claims a page calls serious that the label text does not list (whole label searched), or that are "
               "not among the captured label facts (only curated facts held: the label may still list them)")

    def ranked(self, view: View) -> pd.DataFrame:
        return serious_unsupported(view.claims)

    def entry_label(self, entry, view: View) -> str:
        return f"{entry.drug}: {entry.claim} ({entry.status}) · {_pages_word(entry.n_pages)}"

    def entry_rows(self, view: View, ranked: pd.DataFrame, index: int) -> pd.DataFrame:
        entry = ranked.iloc[index]
        return finding_rows(view.claims, entry["drug"], entry["claim"], status=entry["status"])


@register
class TierDisagreements(Finding):
    key, order = "tiers", 20
    title = "Tiers that disagree with the label"
    explain = "claims whose tier (common, rare, ...) disagrees with the incidence the label gives"

    def ranked(self, view: View) -> pd.DataFrame:
        return tier_disagreements(view.claims)

    def entry_label(self, entry, view: View) -> str:
        return f"{entry.drug}: {entry.claim} ({entry.tier}) · {_pages_word(entry.n_pages)}"

    def entry_rows(self, view: View, ranked: pd.DataFrame, index: int) -> pd.DataFrame:
        entry = ranked.iloc[index]
        return finding_rows(view.claims, entry["drug"], entry["claim"], tier=entry["tier"])


@register
class NotApproved(Finding):
    key, order = "indications", 40
    title = "Conditions the label does not approve"
    explain = "pages presenting the drug as being for a condition that is not among the approved indications held"

    def ranked(self, view: View) -> pd.DataFrame:
        return not_approved_pages(view.premises)

    def entry_label(self, entry, view: View) -> str:
        return f"{entry.drug} for {entry.condition} ({entry.status}) · {entry.source_file}:{entry.line}"


@register
class StaleFigures(Finding):
    key, order = "stale", 50
    title = "Superseded figures"
    explain = "durations and percentages on pages that only a superseded label gives"

    def ranked(self, view: View) -> pd.DataFrame:
        numbers = view.numbers
        return numbers[numbers["status"].astype(str).isin(STALE).to_numpy()].reset_index(drop=True)

    def entry_label(self, entry, view: View) -> str:
        return f"{entry.drug}: “{entry.text}” ({entry.label_value}) · {entry.source_file}:{entry.line}"
