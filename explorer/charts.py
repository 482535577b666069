"""Charts: pure functions from a corpus table to a ``plotly.graph_objects.Figure``.

Every chart aggregates before it plots, so a figure holds at most a few thousand points whatever the
size of the corpus. Severity always has one colour (:data:`explorer.schema.SEVERITY_COLOURS`) and its
defined order. Each chart keeps a fixed set of traces whatever the data, so the dashboard can update a
``go.FigureWidget`` in place. Page text is third-party: every string from a page (hover text, axis
categories, node labels) is HTML-escaped, so plotly shows its markup as text. This module never imports ipywidgets.
"""
from __future__ import annotations

import html
import math
import textwrap
from functools import lru_cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .schema import SEVERITY_COLOURS, SEVERITY_LEVELS, UNRECOGNISED_COLOUR

#: Label of side effects whose tier was not recognised (severity missing); charted after "serious".
UNRECOGNISED = "unrecognised tier"
#: Every severity bucket a chart shows, in order, with its colour.
SEVERITY_BUCKETS: tuple[str, ...] = SEVERITY_LEVELS + (UNRECOGNISED,)
BUCKET_COLOURS: dict[str, str] = {**SEVERITY_COLOURS, UNRECOGNISED: UNRECOGNISED_COLOUR}
LINKED_ONLY_COLOUR = "#BBBBBB"
HAS_PAGE_COLOUR = "#009E73"
#: How much of a description hover text shows.
HOVER_DESCRIPTION_CHARS = 240

# Colours set directly rather than through a named template: applying a template deep-copies it,
# which alone would cost ~7 ms per figure on every filter change.
_LAYOUT = dict(margin=dict(l=10, r=10, t=50, b=10), hoverlabel=dict(align="left"), plot_bgcolor="#FFFFFF",
               paper_bgcolor="#FFFFFF", font=dict(family="sans-serif"))
_GRID = dict(gridcolor="#EEEEEE", zerolinecolor="#DDDDDD")


def severity_label(severity: str) -> str:
    """How a severity is written in titles and summaries.

    >>> severity_label("less common")
    'Less common'
    """
    return severity[:1].upper() + severity[1:]


def escape_text(text: object, width: int = 60, limit: int = HOVER_DESCRIPTION_CHARS) -> str:
    """Third-party text made safe for plotly hover labels: shortened, escaped and wrapped with <br>.

    >>> escape_text("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> escape_text(None)
    ''
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return ""
    return _escape_wrapped(str(text), width, limit)


@lru_cache(maxsize=65_536)  # descriptions repeat across pages and across filter changes
def _escape_wrapped(text: str, width: int, limit: int) -> str:
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width)) if text else ""


def _severity_codes(severity: pd.Series) -> np.ndarray:
    """Severity as integer codes into SEVERITY_LEVELS, -1 where missing (an unrecognised tier)."""
    if isinstance(severity.dtype, pd.CategoricalDtype) and tuple(severity.cat.categories) == SEVERITY_LEVELS:
        return severity.cat.codes.to_numpy()
    return pd.Categorical(np.asarray(severity.astype(object)), categories=list(SEVERITY_LEVELS)).codes


def _bucket_codes(severity: pd.Series) -> np.ndarray:
    """Severity as integer codes into SEVERITY_BUCKETS (missing -> 'unrecognised tier')."""
    codes = _severity_codes(severity)
    return np.where(codes < 0, len(SEVERITY_LEVELS), codes).astype(np.int64)


#: Severity ranks: 0 for an unrecognised tier, then 1 + the index in SEVERITY_LEVELS (least severe first).
_RANKS = len(SEVERITY_LEVELS) + 1
#: SEVERITY_BUCKETS index of each rank.
_BUCKET_OF_RANK = np.array([len(SEVERITY_LEVELS), *range(len(SEVERITY_LEVELS))], dtype=np.int64)


def _ranks(severity: pd.Series) -> np.ndarray:
    """Severity rank of each row (see _RANKS): one pass over the codes, no string conversion."""
    return _severity_codes(severity).astype(np.int64) + 1


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes and the values they stand for (a categorical's own codes; else factorised)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64), np.asarray(values.cat.categories.astype(object))
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), np.asarray(pd.Index(uniques).astype(object))


def _codes_index(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Like _codes, but the values stay an Index: only the few labels a chart shows are converted."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy().astype(np.int64), values.cat.categories
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), pd.Index(uniques)


def _labels(values: pd.Index, codes: np.ndarray) -> np.ndarray:
    """The values of ``codes`` as an object array (-1, missing, gives NaN as ``astype(object)`` does)."""
    codes = np.asarray(codes, dtype=np.int64)
    out = np.full(len(codes), np.nan, dtype=object)
    ok = codes >= 0
    out[ok] = np.asarray(values.take(codes[ok]).astype(object))
    return out


def _values_at(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    """``column`` at positions ``rows`` as an object array (missing: NaN).

    A categorical is read through its codes: converting even a few of its rows with ``astype(object)``
    would convert all of its categories (a hundred thousand file names)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return _labels(column.cat.categories, column.cat.codes.to_numpy()[rows])
    return np.asarray(column.take(rows).astype(object))


def _first_per_key(keys: np.ndarray, n_keys: int, k: int, head: int = 8192) -> np.ndarray:
    """Positions of the first ``k`` occurrences of each key, ordered by key, then position.

    Sorts only a prefix of ``keys`` plus the positions of keys the prefix does not cover enough, so
    taking five names per cell of a million rows costs about a millisecond.

    >>> _first_per_key(np.array([2, 0, 2, 2, 0, 1]), 3, 2, head=2).tolist()
    [1, 4, 5, 0, 2]
    """
    head = min(len(keys), head)
    wanted = np.minimum(np.bincount(keys, minlength=n_keys), k)
    short = np.bincount(keys[:head], minlength=n_keys) < wanted
    positions = np.arange(head)
    if short.any():
        positions = np.concatenate([positions, head + np.flatnonzero(short[keys[head:]])])
    sort_keys = keys[positions]
    if n_keys <= np.iinfo(np.uint16).max:
        sort_keys = sort_keys.astype(np.uint16)  # a 16-bit stable sort is a radix sort
    positions = positions[np.argsort(sort_keys, kind="stable")]
    sorted_keys = keys[positions]
    within = np.arange(len(positions)) - np.searchsorted(sorted_keys, sorted_keys, side="left")
    return positions[within < k]


#: Above this many possible combinations, combined keys are factorised instead of counted densely.
_DENSE_LIMIT = 4_000_000


def _combine(a: np.ndarray, b: np.ndarray, nb: int) -> tuple[np.ndarray, int, np.ndarray | None]:
    """One integer key per (a, b) pair: ``(key, n_keys, pair_of_key)``; ``pair_of_key`` is None if dense."""
    key = a * nb + b
    n = (int(a.max(initial=0)) + 1) * nb
    if n <= _DENSE_LIMIT:
        return key, n, None
    codes, uniques = pd.factorize(key)
    return codes.astype(np.int64), len(uniques), np.asarray(uniques)


def _top(counts: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` largest non-zero counts, largest first (ties: lowest index first).

    Linear in the number of keys (a histogram of the counts finds the cut), so a million groups cost
    about a millisecond.

    >>> _top(np.array([0, 5, 2, 5, 1, 2]), 3).tolist()
    [1, 3, 2]
    """
    nonzero = np.flatnonzero(counts)
    values = counts[nonzero]
    if len(values) > n:
        at_least = np.cumsum(np.bincount(values)[::-1])[::-1]  # at_least[t]: how many counts are >= t
        cut = int(np.flatnonzero(at_least >= n)[-1])
        above, tied = nonzero[values > cut], nonzero[values == cut]
        nonzero = np.concatenate([above, tied[: n - len(above)]])
        values = counts[nonzero]
    order = np.lexsort((nonzero, -values))
    return nonzero[order][:n]


def _first_rows(keys: np.ndarray, rows: np.ndarray, n_keys: int) -> np.ndarray:
    """For each key, the smallest of the ``rows`` carrying it (-1 where none)."""
    big = np.iinfo(np.int64).max
    first = np.full(n_keys, big, dtype=np.int64)
    np.minimum.at(first, keys, rows)
    return np.where(first == big, -1, first)


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    """One figure from plain dicts, built in one call and not validated property by property.

    Plotly's validation copies and checks every element of every list (5-8 ms a chart, more than the
    aggregation). The dicts here hold only plain lists, numbers and strings, and a test rebuilds each
    chart with validation and checks that the figure is the same (``test_charts_are_valid_plotly``);
    the dashboard's ``FigureWidget`` validates what it receives anyway.
    """
    return go.Figure(data=traces, layout=layout, _validate=False)


# --- side effects by severity ---------------------------------------------------------------------

def severity_counts(side_effects: pd.DataFrame, top: int = 25) -> pd.DataFrame:
    """Count side effects per group (condition, or drug and condition) and severity bucket.

    Each row represents one group x severity bucket with at least one side effect. Columns: group
    (the condition, or "Drug · Condition" when several drugs are present), severity (one of
    SEVERITY_BUCKETS), count, names (up to five side-effect names, '; '-joined). Only the ``top``
    groups with most side effects are kept, biggest first; within a group, severity in its order.
    Counting runs on integer codes, so 900,000 rows take a few milliseconds.

    >>> import pandas as pd
    >>> se = pd.DataFrame({"drug": ["D"] * 3, "condition": ["C"] * 3, "name": ["a", "b", "c"],
    ...                    "severity": pd.Categorical(["serious", "common", "serious"])})
    >>> severity_counts(se)[["group", "severity", "count", "names"]].to_dict("records")
    [{'group': 'C', 'severity': 'common', 'count': 1, 'names': 'b'}, {'group': 'C', 'severity': 'serious', 'count': 2, 'names': 'a; c'}]
    """
    return _severity_counts(side_effects, top)[0]


def _severity_cells(side_effects: pd.DataFrame, top: int) -> tuple[list[str], np.ndarray, dict[int, str], int]:
    """The kept groups' labels (biggest first), their counts per bucket (groups x SEVERITY_BUCKETS),
    up to five side-effect names '; '-joined per cell ``i * len(SEVERITY_BUCKETS) + bucket``, and the
    number of groups before the top cut. Everything runs on integer codes; only shown labels become text."""
    nb = len(SEVERITY_BUCKETS)
    if side_effects.empty:
        return [], np.zeros((0, nb), dtype=np.int64), {}, 0
    rank = _ranks(side_effects["severity"])
    cond, cond_values = _codes_index(side_effects["condition"])
    raw = side_effects["drug"].cat.codes.to_numpy() if isinstance(side_effects["drug"].dtype, pd.CategoricalDtype) \
        else None
    drug, drug_values = _codes_index(side_effects["drug"])
    nc = len(cond_values)
    # Several drugs present: min and max of the narrow codes, cheaper than counting every code.
    by_drug = bool(raw.min() != raw.max()) if raw is not None else len(np.unique(drug)) > 1
    if by_drug:
        group, n_groups, pair_of = _combine(drug, cond, nc)
    else:
        group, n_groups, pair_of = cond, nc, None
    sizes = np.bincount(group, minlength=n_groups)
    keep = _top(sizes, top)
    position = np.full(n_groups, -1, dtype=np.int64)
    position[keep] = np.arange(len(keep))
    rows = np.flatnonzero(position[group] >= 0)
    # Cells are counted by rank, then reordered to bucket order (rank 0, unrecognised, is the last bucket).
    cell = position[group[rows]] * _RANKS + rank[rows]
    by_rank = np.bincount(cell, minlength=len(keep) * _RANKS).reshape(len(keep), _RANKS)
    counts = np.empty_like(by_rank)
    counts[:, _BUCKET_OF_RANK] = by_rank
    # Names for the hover text: the first five rows of each kept group x severity.
    name, name_values = _codes_index(side_effects["name"])
    first = _first_per_key(cell, len(keep) * _RANKS, 5)
    names = _labels(name_values, name[rows[first]])
    joined: dict[int, list[str]] = {}
    for c, n in zip((cell[first] // _RANKS * nb + _BUCKET_OF_RANK[cell[first] % _RANKS]).tolist(), names):
        joined.setdefault(c, []).append(n)
    if by_drug:
        key = pair_of[keep] if pair_of is not None else keep
        labels = [f"{d} · {c}" for d, c in zip(_labels(drug_values, key // nc), _labels(cond_values, key % nc))]
    else:
        labels = [str(c) for c in _labels(cond_values, keep)]
    return labels, counts, {c: "; ".join(n) for c, n in joined.items()}, int(np.count_nonzero(sizes))


def _severity_counts(side_effects: pd.DataFrame, top: int) -> tuple[pd.DataFrame, int]:
    """severity_counts and the number of groups before the top cut."""
    cols = ["group", "severity", "count", "names"]
    if side_effects.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols}), 0
    labels, counts, names, n_groups = _severity_cells(side_effects, top)
    nb = len(SEVERITY_BUCKETS)
    records = [(g, SEVERITY_BUCKETS[b], int(counts[i, b]), names.get(i * nb + b, ""))
               for i, g in enumerate(labels) for b in range(nb) if counts[i, b]]
    return pd.DataFrame.from_records(records, columns=cols), n_groups


def severity_bar(side_effects: pd.DataFrame, top: int = 25) -> go.Figure:
    """Horizontal stacked bars: side effects per condition (or drug · condition), one colour per severity.

    One bar trace per severity bucket, always all five in SEVERITY_BUCKETS order (empty when none), so
    the legend and colours never move. x is the count, y the group, biggest group on top.

    Parameters
    ----------
    side_effects : rows of the ``side_effects`` table (already filtered).
    top : at most this many groups are shown (those with most side effects).
    """
    labels, counts, names, n_groups = _severity_cells(side_effects, top)
    escaped = [html.escape(g) for g in labels]
    groups = list(dict.fromkeys(escaped))
    nb = len(SEVERITY_BUCKETS)
    traces = []
    for b, bucket in enumerate(SEVERITY_BUCKETS):
        shown = np.flatnonzero(counts[:, b]).tolist()
        x = counts[shown, b].tolist()
        label = severity_label(bucket)
        hover = [f"<b>{escaped[i]}</b><br>{label}: {n} side effect{'s' * (n != 1)}"
                 f"<br>{escape_text(names.get(i * nb + b, ''))}{' …' if n > 5 else ''}" for i, n in zip(shown, x)]
        traces.append(dict(
            type="bar", name=label, orientation="h", x=x, y=[escaped[i] for i in shown],
            marker=dict(color=BUCKET_COLOURS[bucket]), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
            legendrank=b, showlegend=bucket != UNRECOGNISED or len(shown) > 0))
    title = f" (top {len(groups)} of {n_groups})" if n_groups > len(groups) else ""
    return _figure(traces, dict(
        **_LAYOUT, barmode="stack", title=dict(text=f"Side effects by severity{title}"),
        height=max(260, 90 + 26 * len(groups)),
        legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom", traceorder="normal"),
        xaxis=dict(title=dict(text="side effects"), rangemode="tozero", **_GRID),
        yaxis=dict(categoryorder="array", categoryarray=groups[::-1], automargin=True)))


# --- condition x side effect matrix ---------------------------------------------------------------

def claim_matrix(side_effects: pd.DataFrame, top: int = 20, top_conditions: int = 25) -> pd.DataFrame:
    """Which side effect is claimed for which condition, and in which tier.

    Each row represents one condition x side-effect name pair claimed by at least one page. Columns:
    condition, name, severity (the most severe bucket any page gives it), tier (as written, of that
    claim), pages (how many rows claim it), description, source_file, line (of one such claim). Only the
    ``top`` side effects claimed for most conditions, and the ``top_conditions`` conditions with most
    of them, are kept.
    """
    cols = ["condition", "name", "severity", "tier", "pages", "description", "source_file", "line"]
    if side_effects.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    cells, _ = _claim_cells(side_effects, top, top_conditions)
    out = pd.DataFrame(cells)
    out["condition"] = out["condition"].astype(object)
    out["name"] = out["name"].astype(object)
    # Cells come ordered by side effect (most widely claimed first), then by condition rank.
    return out[cols]


def _claim_cells(side_effects: pd.DataFrame, top: int, top_conditions: int) -> tuple[dict[str, np.ndarray], int]:
    """The columns of claim_matrix as arrays, and how many side effects are claimed at all.

    One count of rows per (side effect, condition, severity rank) decides the kept side effects and
    conditions and the most severe claim of each cell; one more pass over the rows finds each cell's
    first row at that rank. Only the shown cells' labels are converted to text."""
    name, name_values = _codes_index(side_effects["name"])
    cond, cond_values = _codes_index(side_effects["condition"])
    nc = len(cond_values)
    pair, n_pairs, pair_of = _combine(name, cond, nc)
    key = pair * _RANKS + _ranks(side_effects["severity"])
    by_rank = np.bincount(key, minlength=n_pairs * _RANKS).reshape(n_pairs, _RANKS)
    pair_rows = by_rank.sum(axis=1)
    claimed = np.flatnonzero(pair_rows)
    combined = pair_of[claimed] if pair_of is not None else claimed
    name_of_pair, cond_of_pair = combined // nc, combined % nc
    per_name = np.bincount(name_of_pair, minlength=len(name_values))
    names = _top(per_name, top)
    name_pos = np.full(len(name_values), -1, dtype=np.int64)
    name_pos[names] = np.arange(len(names))
    in_names = name_pos[name_of_pair] >= 0
    # Rows per condition among the kept side effects, summed over pairs rather than rows.
    cond_rows = np.bincount(cond_of_pair[in_names], weights=pair_rows[claimed][in_names], minlength=nc)
    conditions = _top(np.rint(cond_rows).astype(np.int64), top_conditions)
    cond_pos = np.full(nc, -1, dtype=np.int64)
    cond_pos[conditions] = np.arange(len(conditions))
    sel = np.flatnonzero(in_names & (cond_pos[cond_of_pair] >= 0))
    cell = name_pos[name_of_pair[sel]] * len(conditions) + cond_pos[cond_of_pair[sel]]
    n_cells = len(names) * len(conditions)
    # Show the most severe claim of each pair; an unrecognised tier (rank 0) ranks below every known one.
    present = by_rank[claimed[sel]] > 0
    best = _RANKS - 1 - np.argmax(present[:, ::-1], axis=1)
    target = np.full(n_pairs * _RANKS, -1, dtype=np.int64)
    target[claimed[sel] * _RANKS + best] = cell
    hit = target[key]
    at = np.flatnonzero(hit >= 0)
    first = _first_rows(hit[at], at, n_cells)
    pages = np.zeros(n_cells, dtype=np.int64)
    pages[cell] = pair_rows[claimed[sel]]
    bucket = np.zeros(n_cells, dtype=np.int64)
    bucket[cell] = _BUCKET_OF_RANK[best]
    shown = np.flatnonzero(first >= 0)
    picked = first[shown]
    cells = {
        "condition": _labels(cond_values, cond[picked]),
        "name": _labels(name_values, name[picked]),
        "severity": np.asarray(SEVERITY_BUCKETS, dtype=object)[bucket[shown]],
        "tier": _values_at(side_effects["tier"], picked),
        "pages": pages[shown],
        "description": _values_at(side_effects["description"], picked),
        "source_file": _values_at(side_effects["source_file"], picked),
        "line": side_effects["line"].take(picked).to_numpy(),
    }
    return cells, int(np.count_nonzero(per_name))


def claim_matrix_figure(side_effects: pd.DataFrame, top: int = 20, top_conditions: int = 25) -> go.Figure:
    """Condition x side-effect matrix: a square where a page claims that side effect for that condition.

    One scatter trace per severity bucket (SEVERITY_BUCKETS order), coloured like every other chart;
    x is the side-effect name, y the condition. Hover shows the tier as written, the description and
    the file and line of the claim.

    Parameters
    ----------
    side_effects : rows of the ``side_effects`` table (already filtered).
    top : the N side effects claimed for most conditions are shown (adjustable).
    top_conditions : at most this many conditions (rows) are shown.
    """
    if side_effects.empty:
        m: dict[str, np.ndarray] = {c: np.array([], dtype=object) for c in ("name", "condition", "severity")}
        n_names = 0
    else:
        m, n_names = _claim_cells(side_effects, top, top_conditions)
    names = list(dict.fromkeys(m["name"].tolist()))
    conditions = sorted(set(m["condition"].tolist()))
    traces = []
    for bucket in SEVERITY_BUCKETS:
        part = np.flatnonzero(m["severity"] == bucket)
        name = [html.escape(str(n)) for n in m["name"][part]]
        condition = [html.escape(str(c)) for c in m["condition"][part]]
        hover = [
            f"<b>{n}</b> for {c}<br>Tier: {html.escape(str(t))}"
            f"{f' ({p} pages)' if p > 1 else ''}<br>{escape_text(d)}<br><i>{html.escape(str(f))}:{int(ln)}</i>"
            for n, c, t, p, d, f, ln in zip(name, condition, m["tier"][part], m["pages"][part].tolist(),
                                             m["description"][part], m["source_file"][part], m["line"][part])
        ] if len(part) else []
        traces.append(dict(
            type="scatter", name=severity_label(bucket), mode="markers", x=name, y=condition,
            marker=dict(symbol="square", size=16, color=BUCKET_COLOURS[bucket]), hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>", showlegend=bucket != UNRECOGNISED or len(part) > 0))
    shown = f"top {len(names)} of {n_names} side effects" if n_names > len(names) else f"{len(names)} side effects"
    return _figure(traces, dict(
        **_LAYOUT, title=dict(text=f"Which side effect is claimed for which condition ({shown})"),
        height=max(300, 220 + 28 * len(conditions)),
        legend=dict(orientation="h", y=1.02, x=1, xanchor="right", yanchor="bottom"),
        xaxis=dict(categoryorder="array", categoryarray=[html.escape(n) for n in names], tickangle=-35,
                   automargin=True, **_GRID),
        yaxis=dict(categoryorder="array", categoryarray=[html.escape(c) for c in conditions[::-1]],
                   automargin=True, **_GRID)))


# --- related-conditions map -----------------------------------------------------------------------

def _is(values: pd.Series, wanted: str) -> np.ndarray:
    """Case-insensitive ``values == wanted``, computed on the categories of a categorical column."""
    fold = wanted.casefold()
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.cat.categories
        return values.isin(cats[pd.Index(cats.astype("string")).str.casefold() == fold]).to_numpy()
    return (values.astype("string").str.casefold() == fold).fillna(False).to_numpy(bool)


def _rows_of(values: pd.Series, wanted: str) -> np.ndarray:
    """Positions where ``values == wanted`` case-insensitively: the categories are compared, then the
    integer codes are scanned, so a column of millions of rows is never converted to strings."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.cat.categories
        hits = np.flatnonzero(np.asarray(pd.Index(cats.astype("string")).str.casefold() == wanted.casefold(),
                                         dtype=bool))
        codes = values.cat.codes.to_numpy()
        if len(hits) == 1:
            return np.flatnonzero(codes == hits[0])
        return np.flatnonzero(np.isin(codes, hits))
    return np.flatnonzero(_is(values, wanted))


def _links_of(related: pd.DataFrame, drug: str) -> pd.DataFrame:
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
    return _related_conditions(_links_of(related, drug), articles, drug)


def _related_conditions(links: pd.DataFrame, articles: pd.DataFrame, drug: str) -> pd.DataFrame:
    """related_conditions from the drug's links (as _links_of gives them)."""
    pages = articles["condition"].take(_rows_of(articles["drug"], drug))
    page_conditions = list(dict.fromkeys(pages.astype("string")))
    # Per linked condition, in order of first link: how many links, and the first link's file and line
    # (the first non-missing one, as groupby's "first" takes).
    target, target_values = _codes_index(links["related_condition"])
    n = len(target_values)
    linked = target >= 0
    at = np.flatnonzero(linked)
    first = _first_rows(target[at], at, n)
    order = np.flatnonzero(first >= 0)
    order = order[np.argsort(first[order], kind="stable")]
    counts = np.bincount(target[at], minlength=n)
    source = links["source_file"]
    has_source = np.asarray(source.notna().to_numpy(), dtype=bool) & linked
    first_source = _first_rows(target[has_source], np.flatnonzero(has_source), n)
    line = links["line"]
    has_line = np.asarray(line.notna().to_numpy(), dtype=bool) & linked
    first_line = _first_rows(target[has_line], np.flatnonzero(has_line), n)
    conditions = [str(c) for c in pd.Index(target_values.take(order)).astype("string")]
    source_of = _values_at(source, np.maximum(first_source[order], 0))
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


def related_map(related: pd.DataFrame, articles: pd.DataFrame, drug: str | None,
                selected: tuple[str, ...] = (), max_links: int = 400) -> go.Figure:
    """The related-conditions map of one drug: its pages in the middle, linked conditions around them.

    Three traces, always: ``links`` (lines from each page to the conditions it links to), ``has a page``
    (conditions with a page of this drug in the loaded corpus) and ``only linked`` (conditions the
    pages link to that have no page here). Node text is the condition.

    Parameters
    ----------
    related, articles : the corpus tables (not filtered by condition: the map shows the whole drug).
    drug : the drug to map; ``None`` draws an empty map.
    selected : conditions to outline (the current condition filter).
    max_links : at most this many page -> condition lines are drawn (every condition still gets a node).
    """
    links = _links_of(related, drug) if drug else None
    rc = _related_conditions(links, articles, drug) if drug else pd.DataFrame(
        {"condition": pd.Series([], dtype="string"), "has_page": pd.Series([], dtype=bool),
         "links": pd.Series([], dtype=int), "source_file": pd.Series([], dtype="string"),
         "line": pd.Series([], dtype="Int64")})
    has_page = rc["has_page"].to_numpy(dtype=bool)
    inner = rc[has_page].reset_index(drop=True)
    outer = rc[~has_page].reset_index(drop=True)
    pos: dict[str, tuple[float, float]] = {}
    for ring, radius in ((inner, 0.0 if len(inner) == 1 else 0.45), (outer, 1.0)):
        n = len(ring)
        for i, c in enumerate(ring["condition"]):
            angle = 2 * math.pi * i / max(n, 1) + math.pi / 2
            pos[c] = (radius * math.cos(angle), radius * math.sin(angle))
    ex: list[float | None] = []
    ey: list[float | None] = []
    if drug is not None and len(rc):
        # Distinct (page condition, linked condition) pairs in order of first link, on integer codes.
        a, a_values = _codes_index(links["condition"])
        b, b_values = _codes_index(links["related_condition"])
        pairs = pd.unique(a * (len(b_values) + 1) + (b + 1))[:max_links]
        a_of, b_of = pairs // (len(b_values) + 1), pairs % (len(b_values) + 1) - 1
        for x, y in zip(_labels(a_values, a_of), _labels(b_values, b_of)):
            x, y = str(x), str(y)
            if x in pos and y in pos:
                ex += [pos[x][0], pos[y][0], None]
                ey += [pos[x][1], pos[y][1], None]
    traces = [dict(type="scatter", name="links", x=ex, y=ey, mode="lines", hoverinfo="skip", showlegend=False,
                   line=dict(width=0.7, color="#CCCCCC"))]
    chosen = set(selected)
    for name, part, colour in (("has a page", inner, HAS_PAGE_COLOUR), ("only linked", outer, LINKED_ONLY_COLOUR)):
        conditions = part["condition"].tolist()
        hover = [f"<b>{html.escape(c)}</b><br>{'page in the corpus' if name == 'has a page' else 'no page in the corpus'}"
                 f"<br>linked from {k} page{'s' * (k != 1)}"
                 + (f"<br><i>{html.escape(str(f))}:{int(ln)}</i>" if k else "")
                 for c, k, f, ln in zip(conditions, part["links"].tolist(), part["source_file"], part["line"])]
        traces.append(dict(
            type="scatter", name=name, mode="markers+text", x=[pos[c][0] for c in conditions],
            y=[pos[c][1] for c in conditions], text=[html.escape(c) for c in conditions], textposition="top center",
            textfont=dict(size=10), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(size=[18 if c in chosen else 12 for c in conditions], color=colour,
                        line=dict(width=[2 if c in chosen else 0 for c in conditions], color="#000000"))))
    title = (f"Related conditions of {html.escape(drug)}: {len(inner)} with a page, {len(outer)} only linked"
             if drug else "Related conditions: pick a drug")
    return _figure(traces, dict(
        **_LAYOUT, title=dict(text=title), height=520, legend=dict(orientation="h", y=-0.05),
        xaxis=dict(visible=False, range=[-1.35, 1.35]), yaxis=dict(visible=False, range=[-1.2, 1.25], scaleanchor="x")))


# --- label check: claims by status (owned by the label check, explorer/label.py) --------------------

#: One colour per label status (label.STATUS_LEVELS order); grey for "not among the captured label facts".
STATUS_COLOURS: tuple[str, ...] = ("#0072B2", "#E69F00", "#D55E00", "#CC79A7", "#BBBBBB")


def claims_by_status(claims: pd.DataFrame, top: int = 25) -> go.Figure:
    """Stacked horizontal bars: per condition, how many side-effect claims have each label status.

    ``claims`` is the table of :func:`explorer.label.claims_table` (columns condition, status, claim are
    used). One bar per condition (the ``top`` conditions with most claims), one trace per status in the
    order of :data:`explorer.label.STATUS_LEVELS` (always all of them, so the dashboard can update the
    figure in place). Hover text names the commonest claims of each segment, escaped (page text is
    third-party). A note under the chart says that the label facts are partial.
    """
    from .label import STATUS_LEVELS

    statuses = list(STATUS_LEVELS)
    status = pd.Categorical(claims["status"].astype(object), categories=statuses)
    s_codes = np.asarray(status.codes, dtype=np.int64)
    c_codes, conditions = _codes(claims["condition"])
    keep = (s_codes >= 0) & (c_codes >= 0)
    s_codes, c_codes = s_codes[keep], c_codes[keep]
    counts = np.zeros((len(conditions), len(statuses)), dtype=np.int64)
    np.add.at(counts, (c_codes, s_codes), 1)
    order = _top(counts.sum(axis=1), top)  # condition codes, most claims first
    shown = [str(conditions[i]) for i in order]
    cells = pd.DataFrame({"c": c_codes, "s": s_codes,
                          "claim": claims["claim"].astype("string").to_numpy()[keep]})
    cells = cells[np.isin(cells["c"].to_numpy(), order)]
    top_claims = (cells.groupby(["c", "s", "claim"], sort=False).size().rename("n").reset_index()
                  .sort_values(["c", "s", "n", "claim"], ascending=[True, True, False, True])
                  .groupby(["c", "s"], sort=False).head(5))
    examples = {(int(c), int(st)): "<br>".join(f"{escape_text(x, limit=60)} ({n})"
                                               for x, n in zip(g["claim"], g["n"]))
                for (c, st), g in top_claims.groupby(["c", "s"], sort=False)}
    labels = [escape_text(c, width=40, limit=60) for c in shown]
    fig = go.Figure()
    for k, st in enumerate(statuses):
        x = counts[order, k].tolist() if len(order) else []
        hover = [f"<b>{labels[j]}</b><br>{html.escape(st)}: {x[j]} claim{'s' * int(x[j] != 1)}"
                 + (f"<br>{examples[(int(i), k)]}" if (int(i), k) in examples else "")
                 for j, i in enumerate(order)]
        fig.add_trace(go.Bar(name=st, y=labels, x=x, orientation="h", marker_color=STATUS_COLOURS[k],
                             hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))
    more = f", top {len(order)} of {len(conditions)} conditions" if len(conditions) > len(order) else ""
    fig.update_layout(**_LAYOUT, barmode="stack",
                      title=f"Side-effect claims by label status, per condition ({int(keep.sum())} claims{more})",
                      height=200 + 28 * max(len(order), 1), legend=dict(orientation="h", y=-0.25, title_text=""),
                      yaxis=dict(categoryorder="array", categoryarray=labels[::-1], **_GRID),
                      xaxis=dict(title="claims", **_GRID))
    fig.add_annotation(text="Label facts are partial: 'not among the captured label facts' does not mean "
                            "'not in the label'.", showarrow=False, xref="paper", yref="paper", x=0, y=-0.45,
                       xanchor="left", font=dict(size=11, color="#555555"))
    fig.update_layout(margin=dict(l=10, r=10, t=50, b=90))
    return fig
