"""Charts: pure functions from a corpus table to a ``plotly.graph_objects.Figure``.

Every chart aggregates before it plots, so a figure holds at most a few thousand points whatever the
size of the corpus. Severity always has one colour (:data:`explorer.schema.SEVERITY_COLOURS`) and its
defined order. Each chart keeps a fixed set of traces whatever the data, so the dashboard can update a
``go.FigureWidget`` in place. Page text is third-party: it is HTML-escaped before it goes into hover
text. This module never imports ipywidgets.
"""
from __future__ import annotations

import html
import math
import textwrap

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

_LAYOUT = dict(template="plotly_white", margin=dict(l=10, r=10, t=50, b=10), hoverlabel=dict(align="left"))


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
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width)) if text else ""


def _buckets(severity: pd.Series) -> pd.Categorical:
    """Severity as a categorical over SEVERITY_BUCKETS (missing -> 'unrecognised tier')."""
    if isinstance(severity.dtype, pd.CategoricalDtype) and tuple(severity.cat.categories) == SEVERITY_LEVELS:
        codes = severity.cat.codes.to_numpy()
    else:
        codes = pd.Categorical(np.asarray(severity.astype(object)), categories=list(SEVERITY_LEVELS)).codes
    codes = np.where(codes < 0, len(SEVERITY_LEVELS), codes)
    return pd.Categorical.from_codes(codes, categories=list(SEVERITY_BUCKETS), ordered=True)


def _groups(side_effects: pd.DataFrame) -> list[str]:
    """Columns a severity count is split by: condition, and drug too when there are several."""
    return ["drug", "condition"] if side_effects["drug"].nunique() > 1 else ["condition"]


def _label(values: tuple | str) -> str:
    return " · ".join(map(str, values)) if isinstance(values, tuple) else str(values)


# --- side effects by severity ---------------------------------------------------------------------

def severity_counts(side_effects: pd.DataFrame, top: int = 25) -> pd.DataFrame:
    """Count side effects per group (condition, or drug and condition) and severity bucket.

    Each row represents one group x severity bucket with at least one side effect. Columns: group
    (the condition, or "Drug · Condition" when several drugs are present), severity (one of
    SEVERITY_BUCKETS), count, names (up to five side-effect names, '; '-joined). Only the ``top``
    groups with most side effects are kept, biggest first; within a group, severity in its order.

    >>> import pandas as pd
    >>> se = pd.DataFrame({"drug": ["D"] * 3, "condition": ["C"] * 3, "name": ["a", "b", "c"],
    ...                    "severity": pd.Categorical(["serious", "common", "serious"])})
    >>> severity_counts(se)[["group", "severity", "count", "names"]].to_dict("records")
    [{'group': 'C', 'severity': 'common', 'count': 1, 'names': 'b'}, {'group': 'C', 'severity': 'serious', 'count': 2, 'names': 'a; c'}]
    """
    cols = ["group", "severity", "count", "names"]
    if side_effects.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    keys = _groups(side_effects)
    # Group on the categorical columns themselves: at 900,000 rows this is what keeps it fast.
    work = pd.DataFrame({k: side_effects[k] for k in keys})
    work["severity"] = _buckets(side_effects["severity"])
    sizes = work.groupby(keys, observed=True, sort=False).size().sort_values(ascending=False, kind="stable")
    keep = sizes.index[:top]
    if len(sizes) > len(keep):
        inside = pd.MultiIndex.from_frame(work[keys]).isin(keep) if len(keys) > 1 else work[keys[0]].isin(keep)
        work = work[np.asarray(inside)]
    work["name"] = side_effects["name"].to_numpy()[work.index.to_numpy()] if len(work) != len(side_effects) \
        else side_effects["name"].to_numpy()
    grouped = work.groupby(keys + ["severity"], observed=True, sort=False)
    counts = grouped.size().rename("count")
    names = work[grouped.cumcount().to_numpy() < 5].groupby(keys + ["severity"], observed=True, sort=False)[
        "name"].agg("; ".join)
    out = counts.to_frame().join(names.rename("names")).reset_index()
    order = {g: i for i, g in enumerate(keep)}
    group_key = list(zip(*(out[k] for k in keys))) if len(keys) > 1 else list(out[keys[0]])
    out["_order"] = [order[g] for g in group_key]
    out["group"] = [_label(g) for g in group_key]
    out["severity"] = out["severity"].astype("string")
    out["_sev"] = out["severity"].map({b: i for i, b in enumerate(SEVERITY_BUCKETS)})
    out = out.sort_values(["_order", "_sev"], kind="stable")
    return out.reset_index(drop=True)[cols].astype({"group": object, "severity": object, "count": int})


def severity_bar(side_effects: pd.DataFrame, top: int = 25) -> go.Figure:
    """Horizontal stacked bars: side effects per condition (or drug · condition), one colour per severity.

    One bar trace per severity bucket, always all five in SEVERITY_BUCKETS order (empty when none), so
    the legend and colours never move. x is the count, y the group, biggest group on top.

    Parameters
    ----------
    side_effects : rows of the ``side_effects`` table (already filtered).
    top : at most this many groups are shown (those with most side effects).
    """
    counts = severity_counts(side_effects, top=top)
    groups = list(dict.fromkeys(counts["group"])) if len(counts) else []
    fig = go.Figure()
    for bucket in SEVERITY_BUCKETS:
        part = counts[counts["severity"] == bucket] if len(counts) else counts
        hover = [f"<b>{html.escape(str(g))}</b><br>{severity_label(bucket)}: {n} side effect{'s' * (n != 1)}"
                 f"<br>{escape_text(names)}{' …' if n > 5 else ''}"
                 for g, n, names in zip(part["group"], part["count"], part["names"])]
        fig.add_trace(go.Bar(
            name=severity_label(bucket), orientation="h", x=list(part["count"].astype(int)),
            y=list(part["group"]), marker=dict(color=BUCKET_COLOURS[bucket]), hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>", legendrank=SEVERITY_BUCKETS.index(bucket),
            showlegend=bucket != UNRECOGNISED or len(part) > 0))
    n_groups = side_effects.groupby(_groups(side_effects), observed=True).ngroups if len(side_effects) else 0
    shown = f" (top {len(groups)} of {n_groups})" if n_groups > len(groups) else ""
    fig.update_layout(
        **_LAYOUT, barmode="stack", title=f"Side effects by severity{shown}",
        height=max(260, 90 + 26 * len(groups)), legend=dict(orientation="h", y=-0.15, traceorder="normal"),
        xaxis=dict(title="side effects", rangemode="tozero"),
        yaxis=dict(categoryorder="array", categoryarray=groups[::-1], automargin=True))
    return fig


# --- condition x side effect matrix ---------------------------------------------------------------

def claim_matrix(side_effects: pd.DataFrame, top: int = 30, top_conditions: int = 40) -> pd.DataFrame:
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
    se = side_effects
    pairs = se.groupby(["name", "condition"], observed=True, sort=False).size()
    per_name = pairs.groupby(level="name", observed=True, sort=False).size()
    names = per_name.sort_values(ascending=False, kind="stable").index[:top]
    se = se[se["name"].isin(names).to_numpy()]
    per_condition = se.groupby("condition", observed=True, sort=False).size()
    conditions = per_condition.sort_values(ascending=False, kind="stable").index[:top_conditions]
    se = se[se["condition"].isin(conditions).to_numpy()]
    # Show the most severe claim of each pair; an unrecognised tier ranks below every known one.
    codes = _buckets(se["severity"]).codes
    rank = pd.Series(np.where(codes == len(SEVERITY_LEVELS), -1, codes), index=se.index)
    keys = [se["condition"], se["name"]]
    best = rank.groupby(keys, observed=True, sort=False).idxmax()
    pages = rank.groupby(keys, observed=True, sort=False).size()
    rows = se.loc[best.to_numpy()]
    out = pd.DataFrame({
        "condition": rows["condition"].astype("string").to_numpy(dtype=object),
        "name": rows["name"].astype("string").to_numpy(dtype=object),
        "severity": np.asarray(_buckets(rows["severity"]).astype(object)),
        "tier": rows["tier"].astype("string").to_numpy(dtype=object),
        "pages": pages.to_numpy(),
        "description": rows["description"].astype(object).to_numpy(),
        "source_file": rows["source_file"].astype("string").to_numpy(dtype=object),
        "line": rows["line"].to_numpy(),
    })
    order = {n: i for i, n in enumerate(names)}
    out["_name"] = out["name"].map(order)
    out = out.sort_values(["_name", "condition"], kind="stable")
    return out.reset_index(drop=True)[cols]


def claim_matrix_figure(side_effects: pd.DataFrame, top: int = 30, top_conditions: int = 40) -> go.Figure:
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
    m = claim_matrix(side_effects, top=top, top_conditions=top_conditions)
    names = list(dict.fromkeys(m["name"])) if len(m) else []
    conditions = sorted(set(m["condition"])) if len(m) else []
    fig = go.Figure()
    for bucket in SEVERITY_BUCKETS:
        part = m[m["severity"] == bucket] if len(m) else m
        hover = [
            f"<b>{html.escape(str(n))}</b> for {html.escape(str(c))}<br>Tier: {html.escape(str(t))}"
            f"{f' ({p} pages)' if p > 1 else ''}<br>{escape_text(d)}<br><i>{html.escape(str(f))}:{int(ln)}</i>"
            for n, c, t, p, d, f, ln in zip(part["name"], part["condition"], part["tier"], part["pages"],
                                             part["description"], part["source_file"], part["line"])]
        fig.add_trace(go.Scatter(
            name=severity_label(bucket), mode="markers", x=list(part["name"]), y=list(part["condition"]),
            marker=dict(symbol="square", size=16, color=BUCKET_COLOURS[bucket]), hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>", showlegend=bucket != UNRECOGNISED or len(part) > 0))
    n_names = side_effects["name"].nunique() if len(side_effects) else 0
    shown = f"top {len(names)} of {n_names} side effects" if n_names > len(names) else f"{len(names)} side effects"
    fig.update_layout(
        **_LAYOUT, title=f"Which side effect is claimed for which condition ({shown})",
        height=max(300, 220 + 28 * len(conditions)), legend=dict(orientation="h", y=1.02, x=1, xanchor="right",
                                                                  yanchor="bottom"),
        xaxis=dict(categoryorder="array", categoryarray=names, tickangle=-35, automargin=True, side="bottom"),
        yaxis=dict(categoryorder="array", categoryarray=conditions[::-1], automargin=True))
    return fig


# --- related-conditions map -----------------------------------------------------------------------

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
    fold = drug.casefold()
    pages = articles.loc[articles["drug"].astype("string").str.casefold() == fold, "condition"]
    page_conditions = list(dict.fromkeys(pages.astype("string")))
    links = related[(related["drug"].astype("string").str.casefold() == fold)
                    & (related["related_drug"].astype("string").str.casefold() == fold)]
    linked = pd.DataFrame({"condition": links["related_condition"].astype("string").to_numpy(),
                           "source_file": links["source_file"].astype("string").to_numpy(),
                           "line": links["line"].to_numpy()})
    agg = linked.groupby("condition", sort=False).agg(
        links=("line", "size"), source_file=("source_file", "first"), line=("line", "first"))
    have = {c.casefold() for c in page_conditions}
    rows = [(c, True, int(agg["links"].get(c, 0)), agg["source_file"].get(c, pd.NA),
             agg["line"].get(c, pd.NA)) for c in page_conditions]
    rows += [(c, c.casefold() in have, int(r.links), r.source_file, r.line)
             for c, r in agg.iterrows() if c not in set(page_conditions)]
    out = pd.DataFrame(rows, columns=["condition", "has_page", "links", "source_file", "line"])
    out["has_page"] = out["has_page"].astype(bool)
    out["line"] = out["line"].astype("Int64")
    return out


def related_map(related: pd.DataFrame, articles: pd.DataFrame, drug: str | None,
                selected: tuple[str, ...] = ()) -> go.Figure:
    """The related-conditions map of one drug: its pages in the middle, linked conditions around them.

    Three traces, always: ``links`` (lines from each page to the conditions it links to), ``has a page``
    (conditions with a page of this drug in the loaded corpus) and ``only linked`` (conditions the
    pages link to that have no page here). Node text is the condition.

    Parameters
    ----------
    related, articles : the corpus tables (not filtered by condition: the map shows the whole drug).
    drug : the drug to map; ``None`` draws an empty map.
    selected : conditions to outline (the current condition filter).
    """
    rc = related_conditions(related, articles, drug) if drug else pd.DataFrame(
        {"condition": [], "has_page": [], "links": [], "source_file": [], "line": []})
    inner = rc[rc["has_page"]].reset_index(drop=True)
    outer = rc[~rc["has_page"]].reset_index(drop=True)
    pos: dict[str, tuple[float, float]] = {}
    for ring, radius in ((inner, 0.0 if len(inner) == 1 else 0.45), (outer, 1.0)):
        n = len(ring)
        for i, c in enumerate(ring["condition"]):
            angle = 2 * math.pi * i / max(n, 1) + math.pi / 2
            pos[c] = (radius * math.cos(angle), radius * math.sin(angle))
    ex: list[float | None] = []
    ey: list[float | None] = []
    if drug is not None and len(rc):
        fold = drug.casefold()
        links = related[(related["drug"].astype("string").str.casefold() == fold)
                        & (related["related_drug"].astype("string").str.casefold() == fold)]
        pairs = links[["condition", "related_condition"]].astype("string").drop_duplicates()
        for a, b in zip(pairs["condition"], pairs["related_condition"]):
            if a in pos and b in pos:
                ex += [pos[a][0], pos[b][0], None]
                ey += [pos[a][1], pos[b][1], None]
    fig = go.Figure()
    fig.add_trace(go.Scatter(name="links", x=ex, y=ey, mode="lines", hoverinfo="skip", showlegend=False,
                             line=dict(width=0.7, color="#CCCCCC")))
    chosen = set(selected)
    for name, part, colour in (("has a page", inner, HAS_PAGE_COLOUR), ("only linked", outer, LINKED_ONLY_COLOUR)):
        hover = [f"<b>{html.escape(c)}</b><br>{'page in the corpus' if name == 'has a page' else 'no page in the corpus'}"
                 f"<br>linked from {k} page{'s' * (k != 1)}"
                 + (f"<br><i>{html.escape(str(f))}:{int(ln)}</i>" if k else "")
                 for c, k, f, ln in zip(part["condition"], part["links"], part["source_file"], part["line"])]
        fig.add_trace(go.Scatter(
            name=name, mode="markers+text", x=[pos[c][0] for c in part["condition"]],
            y=[pos[c][1] for c in part["condition"]], text=list(part["condition"]), textposition="top center",
            textfont=dict(size=10), hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
            marker=dict(size=[18 if c in chosen else 12 for c in part["condition"]], color=colour,
                        line=dict(width=[2 if c in chosen else 0 for c in part["condition"]], color="#000000"))))
    title = (f"Related conditions of {html.escape(drug)}: {len(inner)} with a page, {len(outer)} only linked"
             if drug else "Related conditions: pick a drug")
    fig.update_layout(**_LAYOUT, title=title, height=520, legend=dict(orientation="h", y=-0.05),
                      xaxis=dict(visible=False, range=[-1.35, 1.35]),
                      yaxis=dict(visible=False, range=[-1.2, 1.25], scaleanchor="x"))
    return fig
