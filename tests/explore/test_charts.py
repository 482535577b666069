"""explorer.explore.charts: the figures, checked as objects (traces, values, colours, escaping), no kernel.

The counts a chart draws are checked in test_aggregate.py; here, that the figure draws them: one trace
per severity bucket in a fixed order and colour, whatever the data (the dashboard updates its figures
in place), a legend of what is drawn, titles that fit, a sentence instead of empty axes, page text
escaped, and each figure the same once plotly validates it. That no text overlaps once drawn is checked
in the browser (tests/app/test_browser.py).
"""
from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest

from explorer.display import SUBTITLE_CHARS, TITLE_CHARS, figure_outline
from explorer.explore import charts
from explorer.explore.aggregate import claim_matrix, severity_counts
from explorer.explore.filters import FilterState, filter_rows
from explorer.explore.related import related_counts
from explorer.vocabulary import BUCKET_COLOURS, NO_CONDITION, SEVERITY_BUCKETS, severity_label

BUCKET_NAMES = [severity_label(b) for b in SEVERITY_BUCKETS]
BUCKET_COLOURS_IN_ORDER = [BUCKET_COLOURS[b] for b in SEVERITY_BUCKETS]


def _bars(fig: go.Figure) -> dict[str, dict[str, int]]:
    """{trace name: {group: count}} of a severity bar chart."""
    return {t.name: dict(zip(t.y, t.x)) for t in fig.data}


def title(fig: go.Figure) -> str:
    """The title as read: its lines joined by " / ", markup dropped."""
    return figure_outline(fig).splitlines()[0].removeprefix("title: ")


def sentence(fig: go.Figure) -> str | None:
    """What a chart with nothing to draw says instead (None when it draws something: axes shown)."""
    if fig.layout.xaxis.visible is not False:
        return None
    assert fig.layout.yaxis.visible is False and all(len(t.x or ()) == 0 for t in fig.data)
    return " ".join(a.text.replace("<br>", " ") for a in fig.layout.annotations)


def legend(fig: go.Figure) -> list[str]:
    return [t.name for t in fig.data if t.showlegend is not False]


def _points(fig: go.Figure) -> set[tuple[str, str, str]]:
    """(trace name, x, y) of every point of a scatter chart."""
    return {(t.name, x, y) for t in fig.data for x, y in zip(t.x or (), t.y or ())}


# --- severity bar ---------------------------------------------------------------------------------

def test_severity_bar_of_the_seed(seed_corpus):
    fig = charts.severity_bar(seed_corpus.side_effects)
    assert [t.type for t in fig.data] == ["bar"] * 5
    assert [t.name for t in fig.data] == BUCKET_NAMES
    assert [t.marker.color for t in fig.data] == BUCKET_COLOURS_IN_ORDER
    assert _bars(fig) == {"Common": {"Back Pain": 3}, "Less common": {"Back Pain": 3}, "Rare": {},
                          "Serious": {"Back Pain": 3}, "Unrecognised tier": {}}
    assert fig.layout.barmode == "stack" and list(fig.layout.yaxis.categoryarray) == ["Back Pain"]
    assert "Perforation of the uterus; Infection; Blood clots" in fig.data[3].hovertext[0]


def test_severity_bar_draws_severity_counts(medium):
    se = medium.side_effects
    fig = charts.severity_bar(se, top=8)
    counts = severity_counts(se, top=8)
    drawn = {(severity_label(b), g): n for b, g, n in zip(counts["severity"], counts["group"], counts["count"])}
    assert {(name, g): n for name, bars in _bars(fig).items() for g, n in bars.items()} == drawn
    groups = list(dict.fromkeys(counts["group"]))
    assert list(fig.layout.yaxis.categoryarray) == groups[::-1]  # biggest group on top
    assert title(fig) == f"Side effects by severity / {len(se):,} side effects in 1,458 groups: the 8 with most are drawn"


def test_severity_bar_hover_lists_five_names_then_an_ellipsis():
    se = pd.DataFrame({"drug": ["D"] * 7, "condition": ["C"] * 7, "name": list("abcdefg"),
                       "severity": pd.Categorical(["rare"] * 6 + ["common"])})
    fig = charts.severity_bar(se)
    rare, common = fig.data[2].hovertext[0], fig.data[0].hovertext[0]
    assert "rare: 6 side effects" in rare.lower() and "a; b; c; d; e …" in rare
    assert "1 side effect<br>g" in common


def test_severity_bar_splits_by_drug_when_there_are_several(escaped_corpus):
    fig = charts.severity_bar(escaped_corpus.side_effects)
    groups = list(fig.layout.yaxis.categoryarray)
    assert sorted(groups) == sorted(["Mirena · Back Pain", "Examplin · Itchy &lt;b&gt;Skin&lt;/b&gt;"])
    assert groups[-1] == "Mirena · Back Pain"  # biggest group (9 rows) drawn on top
    assert _bars(fig)["Serious"] == {"Mirena · Back Pain": 3, "Examplin · Itchy &lt;b&gt;Skin&lt;/b&gt;": 1}


def test_unrecognised_tier_gets_its_own_grey_bar_shown_in_the_legend_only_when_present():
    se = pd.DataFrame({"drug": ["D", "D"], "condition": ["C", "C"], "name": ["a", "b"],
                       "severity": pd.Categorical([None, "rare"])})
    fig = charts.severity_bar(se)
    assert list(fig.data[4].x) == [1] and fig.data[4].marker.color == BUCKET_COLOURS["unrecognised tier"]
    assert fig.data[4].showlegend and list(fig.data[2].x) == [1]
    assert not charts.severity_bar(se.iloc[1:]).data[4].showlegend


# --- claim matrix ---------------------------------------------------------------------------------

def test_claim_matrix_figure_of_the_seed(seed_corpus):
    fig = charts.claim_matrix_figure(seed_corpus.side_effects)
    assert [t.type for t in fig.data] == ["scatter"] * 5 and [t.name for t in fig.data] == BUCKET_NAMES
    assert [t.marker.color for t in fig.data] == BUCKET_COLOURS_IN_ORDER
    serious = fig.data[3]
    assert list(serious.x) == ["Perforation of the uterus", "Infection", "Blood clots"]
    assert list(serious.y) == ["Back Pain"] * 3
    assert sum(len(t.x) for t in fig.data) == 9
    hover = serious.hovertext[0]
    assert "In some cases, Mirena can cause the uterus to perforate" in hover
    assert "data/raw/mirena-back-pain.txt:40" in hover and "Tier: Serious" in hover


def test_claim_matrix_figure_draws_claim_matrix(medium):
    se = medium.side_effects
    fig = charts.claim_matrix_figure(se, top=6, top_conditions=5)
    m = claim_matrix(se, top=6, top_conditions=5)
    assert _points(fig) == {(severity_label(s), n, c) for s, n, c in zip(m["severity"], m["name"], m["condition"])}
    assert list(fig.layout.xaxis.categoryarray) == list(dict.fromkeys(m["name"]))
    assert f"the 6 of {se['name'].nunique()} side effects claimed for most conditions" in title(fig)


def test_claim_matrix_figure_keeps_the_top_n_side_effects(seed_corpus):
    fig = charts.claim_matrix_figure(seed_corpus.side_effects, top=4)
    assert len(fig.layout.xaxis.categoryarray) == 4
    assert sum(len(t.x) for t in fig.data) == 4
    assert "the 4 of 9 side effects claimed for most conditions" in title(fig)


# --- related conditions ---------------------------------------------------------------------------

def _related_bars(fig) -> list[tuple[str, str, int]]:
    """(trace, condition, pages) of every bar, top bar first."""
    bars = [(t.name, y, x) for t in fig.data for x, y in zip(t.x, t.y)]
    order = list(fig.layout.yaxis.categoryarray)[::-1]
    return sorted(bars, key=lambda b: order.index(b[1]))


def test_related_chart_ranks_linked_conditions_and_says_how_many_more(medium):
    drug = str(medium.articles["drug"].cat.categories[2])
    shown, linked = related_counts(medium.related, medium.articles, drug, top=25)
    fig = charts.related_map(medium.related, medium.articles, drug)
    assert [(t.type, t.name, t.orientation) for t in fig.data] == [("bar", "has a page", "h"), ("bar", "only linked", "h")]
    assert [(c, k) for _, c, k in _related_bars(fig)] == list(zip(shown["condition"], shown["pages"]))
    assert title(fig) == f"Conditions the pages of {drug} link to / the 25 most linked of {linked:,}"
    assert fig.data[0].marker.color != fig.data[1].marker.color
    whole = charts.related_map(medium.related, medium.articles, drug, top=1000)
    assert len(_related_bars(whole)) == linked and "most linked" not in title(whole)
    assert fig.layout.xaxis.tickformat == ",d"  # pages: whole ticks


def test_related_chart_of_one_page_is_a_sentence_not_25_equal_bars(seed_corpus):
    # the seed's one page links 35 conditions once each: bars of height 1 would rank nothing
    fig = charts.related_map(seed_corpus.related, seed_corpus.articles, "Mirena")
    assert title(fig) == "Conditions the pages of Mirena link to"
    assert sentence(fig) == ("Each of the 35 conditions the pages of Mirena link to is linked from 1 page: "
                             "nothing to rank. None of them has a page in this corpus.")
    assert legend(fig) == []


def test_related_chart_names_the_equally_linked_conditions_that_have_a_page(escaped_corpus):
    related = escaped_corpus.related.assign(related_condition=escaped_corpus.related["related_condition"].cat
                                            .rename_categories({"Dry Skin": "Itchy <b>Skin</b>"}))
    fig = charts.related_map(related, escaped_corpus.articles, "Examplin")
    assert sentence(fig).endswith("1 of them has a page in this corpus: Itchy &lt;b&gt;Skin&lt;/b&gt;.")


def test_related_chart_of_a_drug_whose_pages_link_nothing_says_so_instead_of_empty_axes(seed_corpus):
    none = seed_corpus.related.iloc[:0]
    fig = charts.related_map(none, seed_corpus.articles, "Mirena")
    assert sentence(fig) == "No page of Mirena links to another “Mirena for …” page."
    assert sentence(charts.related_map(none, seed_corpus.articles, None)).startswith("Pick a drug")


def test_related_chart_follows_the_counts_and_highlights_the_selected_conditions(medium):
    drug = str(medium.articles["drug"].cat.categories[2])
    shown, linked = related_counts(medium.related, medium.articles, drug, top=10)
    chosen = (shown["condition"].iloc[0], shown["condition"].iloc[-1].upper())  # any case
    fig = charts.related_map(medium.related, medium.articles, drug, selected=chosen, top=10)
    assert [(c, k) for _, c, k in _related_bars(fig)] == list(zip(shown["condition"], shown["pages"]))
    assert [n == "has a page" for n, _, _ in _related_bars(fig)] == shown["has_page"].tolist()
    assert title(fig).endswith(f"the 10 most linked of {linked:,}")
    outlined = {y for t in fig.data for y, w in zip(t.y, t.marker.line.width) if w}
    assert outlined == {shown["condition"].iloc[0], shown["condition"].iloc[-1]}
    bold = [t for t in fig.layout.yaxis.ticktext if t.startswith("<b>")]
    assert len(bold) == 2


def test_related_chart_cuts_long_names_and_keeps_them_whole_in_the_hover(medium):
    long = "Pseudotumor Cerebri With A Name Far Too Long For Its Axis"
    drug = str(medium.articles["drug"].cat.categories[2])
    first = related_counts(medium.related, medium.articles, drug, top=3)[0]["condition"].iloc[0]
    related = medium.related.assign(related_condition=medium.related["related_condition"].cat.rename_categories(
        lambda c: long if c == first else c))
    fig = charts.related_map(related, medium.articles, drug, top=3)
    ticks = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext))
    assert ticks[long] == long[:charts.LABEL_CHARS - 1] + "…" and len(ticks[long]) == charts.LABEL_CHARS
    assert len(set(fig.layout.yaxis.ticktext)) == 3  # one row per bar: labels never share a line
    assert any(f"<b>{long}</b>" in h for t in fig.data for h in t.hovertext)


def test_related_chart_marks_linked_pages_present_in_the_corpus_and_escapes_names(escaped_corpus):
    related = escaped_corpus.related
    # the page links only Dry Skin, once; a second link from another page ranks it above a new one
    extra = related.iloc[[0, 0]].assign(source_file=["other.txt", "other.txt"], line=[1, 2])
    extra = extra.assign(related_condition=pd.Categorical(["Dry Skin", "Itchy <b>Skin</b>"]))
    more = pd.concat([related.astype(object), extra.astype(object)], ignore_index=True)
    fig = charts.related_map(more, escaped_corpus.articles, "Examplin")
    assert _related_bars(fig) == [("only linked", "Dry Skin", 2), ("has a page", "Itchy &lt;b&gt;Skin&lt;/b&gt;", 1)]
    assert list(fig.layout.yaxis.ticktext)[::-1][0] == "Itchy &lt;b&gt;Skin&lt;/b&gt;"


# --- what every chart guarantees ------------------------------------------------------------------

def _every_chart(corpus, rows=None) -> list[go.Figure]:
    se = corpus.side_effects if rows is None else rows
    drug = str(corpus.articles["drug"].iloc[0])
    return [charts.severity_bar(se), charts.claim_matrix_figure(se),
            charts.related_map(corpus.related, corpus.articles, drug, selected=("Back Pain",)),
            charts.related_map(corpus.related, corpus.articles, None)]


def test_each_chart_keeps_the_same_traces_whatever_the_rows(seed_corpus, escaped_corpus):
    # the dashboard updates each figure in place: trace names, types and colours never change
    empty = seed_corpus.side_effects.iloc[:0]
    shapes = [[(t.type, t.name) for t in fig.data] for fig in _every_chart(seed_corpus)]
    assert shapes[:2] == [[("bar", n) for n in BUCKET_NAMES], [("scatter", n) for n in BUCKET_NAMES]]
    assert shapes[2] == shapes[3] == [("bar", "has a page"), ("bar", "only linked")]
    for figures in (_every_chart(escaped_corpus), _every_chart(seed_corpus, empty)):
        assert [[(t.type, t.name) for t in fig.data] for fig in figures] == shapes
    no_rows, no_drug = _every_chart(seed_corpus, empty)[:2], _every_chart(seed_corpus)[3]
    for fig in no_rows + [no_drug]:
        assert all(len(t.x or ()) == 0 for t in fig.data)


def test_page_markup_is_escaped_in_every_chart(escaped_corpus):
    texts = []
    for fig in _every_chart(escaped_corpus)[:2] + [
            charts.related_map(escaped_corpus.related, escaped_corpus.articles, "Examplin")]:
        for t in fig.data:
            for values in (t.hovertext, t.x, t.y, getattr(t, "text", None)):
                texts += [str(v) for v in (values or ())]
        texts += [str(v) for v in (fig.layout.xaxis.categoryarray or ())]
        texts += [str(v) for v in (fig.layout.yaxis.categoryarray or ())]
        texts += [str(v) for v in (fig.layout.yaxis.ticktext or ())]
    joined = "\n".join(texts)
    for raw in ("<script>", "<img", "<b>Bold", "<b>Skin", "<i>text"):
        assert raw not in joined
    for shown in ("&lt;script&gt;", "&lt;img src=x onerror=", "&lt;b&gt;Bold claim", "&lt;b&gt;Skin"):
        assert shown in joined


def test_charts_are_valid_plotly(seed_corpus, escaped_corpus):
    """Charts are built without plotly's per-property validation; rebuilt with it, they are the same."""
    figures = [fig for corpus in (seed_corpus, escaped_corpus) for fig in _every_chart(corpus)]
    figures += _every_chart(seed_corpus, seed_corpus.side_effects.iloc[:0])[:2]  # no rows
    for fig in figures:
        validated = go.Figure(fig.to_plotly_json())
        assert json.loads(validated.to_json()) == json.loads(fig.to_json())
        assert fig.layout.title.text and validated.layout.title.text == fig.layout.title.text


def test_legends_list_only_the_severities_drawn(seed_corpus):
    serious = filter_rows(seed_corpus.side_effects, FilterState(severities=("serious",)))
    for chart in (charts.severity_bar, charts.claim_matrix_figure):
        assert legend(chart(seed_corpus.side_effects)) == ["Common", "Less common", "Serious"]  # no rare, none unrecognised
        assert legend(chart(serious)) == ["Serious"]
        assert [t.name for t in chart(serious).data] == BUCKET_NAMES  # the traces stay, for updates in place


def test_no_rows_is_a_sentence_not_an_empty_set_of_axes(seed_corpus):
    none = filter_rows(seed_corpus.side_effects, FilterState(search="no such side effect"))
    for chart in (charts.severity_bar, charts.claim_matrix_figure):
        fig = chart(none)
        assert sentence(fig) == "No side effects match these filters." and legend(fig) == []
        assert fig.layout.height < 200  # a line of text, not a tall empty box
    assert sentence(charts.severity_bar(seed_corpus.side_effects)) is None


def test_titles_and_subtitles_are_wrapped_to_fit_the_narrowest_chart(medium):
    drug = "Levonorgestrel-releasing intrauterine system with a long brand name"
    related = medium.related.assign(drug=medium.related["drug"].cat.rename_categories({"Testdrug 002": drug}),
                                    related_drug=medium.related["related_drug"].cat.rename_categories({"Testdrug 002": drug}))
    articles = medium.articles.assign(drug=medium.articles["drug"].cat.rename_categories({"Testdrug 002": drug}))
    figures = [charts.related_map(related, articles, drug), charts.severity_bar(medium.side_effects, top=8),
               charts.claim_matrix_figure(medium.side_effects.assign(  # with a row of pages naming no condition
                   condition=medium.side_effects["condition"].where(medium.side_effects.index % 7 != 0)))]
    for fig in figures:
        lines = fig.layout.title.text.split("<br>")
        heads = [line for line in lines if not line.startswith("<span")]
        subs = [line for line in lines if line.startswith("<span")]
        assert heads and all(len(line) <= TITLE_CHARS for line in heads), heads
        assert all(len(line.split(">", 1)[1].removesuffix("</span>")) <= SUBTITLE_CHARS for line in subs), subs
        # the top margin holds every line: about 21 px a title line and 18 px a subtitle line
        assert fig.layout.margin.t >= 21 * len(heads) + 17 * len(subs)
    assert " ".join(title(figures[0]).split(" / ")).startswith(f"Conditions the pages of {drug} link to")


def test_the_matrix_shows_pages_that_name_no_condition_in_a_last_row_and_says_so(escaped_corpus):
    se = escaped_corpus.side_effects
    nameless = se.assign(condition=se["condition"].where(se["drug"] != "Examplin"))
    fig = charts.claim_matrix_figure(nameless)
    assert list(fig.layout.yaxis.categoryarray) == [NO_CONDITION, "Back Pain"]  # drawn bottom first
    assert sum(len(t.x) for t in fig.data) == len(se)  # no claim left out
    assert "last row: pages that name no condition" in " ".join(title(fig).split(" / "))
    assert "no condition" not in title(charts.claim_matrix_figure(se))


# --- the 100,000-page corpus ----------------------------------------------------------------------

@pytest.mark.slow
def test_big_charts_aggregate_before_plotting(big):
    se = big.side_effects
    assert len(se) == 900_000
    bar = charts.severity_bar(se)
    assert sum(len(t.x) for t in bar.data) <= 25 * 5
    assert 0 < sum(sum(t.x) for t in bar.data) < len(se)  # only the top groups are drawn
    matrix = charts.claim_matrix_figure(se, top=20)
    assert len(matrix.layout.xaxis.categoryarray) == 20
    assert sum(len(t.x) for t in matrix.data) <= 20 * 25
    drug = str(big.articles["drug"].iloc[0])
    related = charts.related_map(big.related, big.articles, drug)
    shown, linked = related_counts(big.related, big.articles, drug, top=25)
    assert sum(len(t.x) for t in related.data) == len(shown) == min(25, linked)


@pytest.mark.slow
def test_big_severity_bar_draws_the_counts_of_a_plain_groupby(big):
    serious = filter_rows(big.side_effects, FilterState(severities=("serious",)))
    fig = charts.severity_bar(serious, top=5)
    expected = (serious.groupby(["drug", "condition"], observed=True).size()
                .sort_values(ascending=False, kind="stable").head(5))
    assert _bars(fig)["Serious"] == {f"{d} · {c}": n for (d, c), n in expected.items()}
    assert all(not t.x for t in fig.data if t.name != "Serious")


@pytest.mark.slow
def test_big_claim_matrix_figure_draws_the_pairs_of_a_plain_groupby(big):
    rows = filter_rows(big.side_effects, FilterState(severities=("serious", "rare")))
    fig = charts.claim_matrix_figure(rows, top=5, top_conditions=4)
    pairs = rows.groupby(["name", "condition"], observed=True).size()
    drawn = [(x, y) for t in fig.data for x, y in zip(t.x, t.y)]
    assert drawn and all(pairs.loc[(x, y)] > 0 for x, y in drawn)
    per_name = pairs.groupby(level="name", observed=True).size().sort_values(ascending=False, kind="stable")
    assert list(fig.layout.xaxis.categoryarray) == list(per_name.index[:5])
