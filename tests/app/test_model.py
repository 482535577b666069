"""The dashboard's model without a widget: summaries, filtered rows, the focus drug, claims and CSV.

Expected values come from the seed page (data/raw/mirena-back-pain.txt: three tiers of three side
effects each, the Serious ones on lines 40-42) or from frames built here by hand.
"""
from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from explorer.app import model as model_module
from explorer.app.model import DashboardModel, claims_summary_line, summary_line
from explorer.audit.reference import load_label_facts
from explorer.audit.vocabulary import COVERAGE_NOTE, NOT_CAPTURED, STATUS_DTYPE, STATUS_LEVELS
from explorer.explore.filters import FilterState
from explorer.vocabulary import NO_CONDITION

SERIOUS = ["Perforation of the uterus", "Infection", "Blood clots"]  # seed page, lines 40-42


def side_effect_rows(files: list[str], severities: list[str], categorical: bool) -> pd.DataFrame:
    source = pd.Categorical(files, categories=sorted(set(files)) + ["unused.txt"]) if categorical else files
    return pd.DataFrame({"source_file": source, "severity": severities})


# --- summary lines --------------------------------------------------------------------------------

@pytest.mark.parametrize("categorical", [True, False])
def test_summary_line_counts_rows_distinct_pages_and_serious(categorical):
    rows = side_effect_rows(["a.txt", "a.txt", "b.txt", "b.txt", "b.txt"],
                            ["serious", "common", "serious", "rare", "serious"], categorical)
    # Two pages are present; a category with no row ("unused.txt") is not a page shown.
    assert summary_line(rows) == "5 side effects on 2 pages, 3 of them Serious"


def test_summary_line_is_singular_for_one_and_says_when_nothing_matches():
    one = side_effect_rows(["a.txt"], ["common"], categorical=True)
    assert summary_line(one) == "1 side effect on 1 page, 0 of them Serious"
    assert summary_line(one.iloc[:0]) == "No side effects match these filters"


def test_summary_line_writes_thousands_with_separators():
    rows = side_effect_rows([f"p{i}.txt" for i in range(1200)], ["serious"] * 1200, categorical=True)
    assert summary_line(rows) == "1,200 side effects on 1,200 pages, 1,200 of them Serious"


def test_claims_summary_line_lists_statuses_in_status_order_and_skips_absent_ones():
    claims = pd.DataFrame({"status": pd.Series([NOT_CAPTURED, "label warning", NOT_CAPTURED], dtype=STATUS_DTYPE)})
    # "label warning" comes before NOT_CAPTURED in STATUS_LEVELS, whatever the rows' order.
    assert STATUS_LEVELS.index("label warning") < STATUS_LEVELS.index(NOT_CAPTURED)
    assert claims_summary_line(claims) == f"3 side-effect claims: 1 label warning, 2 {NOT_CAPTURED}"
    assert claims_summary_line(claims.iloc[:1]) == f"1 side-effect claim: 1 {NOT_CAPTURED}"
    assert claims_summary_line(claims.iloc[:0]) == "No side-effect claims match these filters"


# --- state and rows -------------------------------------------------------------------------------

def test_model_starts_with_the_given_filters(seed_corpus):
    model = DashboardModel(seed_corpus, FilterState(severities=("serious",)))
    assert model.state == FilterState(severities=("serious",))
    assert list(model.rows["name"]) == SERIOUS and list(model.rows["line"]) == [40, 41, 42]
    assert model.summary() == "3 side effects on 1 page, 3 of them Serious"


def test_model_lists_the_corpus_drugs_and_conditions_sorted(escaped_corpus):
    model = DashboardModel(escaped_corpus)
    assert model.drugs == ("Examplin", "Mirena")
    assert model.conditions == ("Back Pain", "Itchy <b>Skin</b>")


def test_set_state_says_whether_anything_changed(seed_corpus):
    model = DashboardModel(seed_corpus)
    assert len(model.rows) == 9
    assert model.set_state(FilterState(search="dizz"))
    assert list(model.rows["name"]) == ["Dizziness"]
    assert not model.set_state(FilterState(search="dizz"))  # the same filters again: nothing to redo
    assert model.set_state(FilterState())
    assert len(model.rows) == 9


def test_a_state_seen_again_reuses_its_figures_until_it_is_dropped(seed_corpus, monkeypatch):
    from explorer.app import model as model_module

    monkeypatch.setattr(model_module, "STATE_CACHE", 2)
    model = DashboardModel(seed_corpus)
    serious, dizzy = FilterState(severities=("serious",)), FilterState(search="dizz")
    model.set_state(serious)
    bar, matrix = model.severity_figure(), model.matrix_figure()
    model.set_state(dizzy)
    assert model.severity_figure() is not bar and list(model.rows["name"]) == ["Dizziness"]
    model.set_state(serious)  # back: the same figures, not redrawn
    assert model.severity_figure() is bar and model.matrix_figure() is matrix
    assert list(model.rows["name"]) == SERIOUS
    model.set_state(dizzy)
    model.set_state(FilterState(search="head"))  # a third state: the oldest (serious) is dropped
    model.set_state(serious)
    redrawn = model.severity_figure()
    assert redrawn is not bar and redrawn.to_plotly_json() == bar.to_plotly_json()


def test_focus_drug_is_the_chosen_drug_else_the_one_whose_links_rank_something(dashboard_corpus_dir,
                                                                                  escaped_corpus):
    import explorer

    dashboard = explorer.load(dashboard_corpus_dir[0])
    # With no drug chosen, the related chart shows the shown drug with the most pages that link to
    # conditions (one page's links tie at 1: nothing to rank); more side effects break a tie.
    related = dashboard.related
    pages = related.groupby("drug", observed=True)["source_file"].nunique()
    counts = dashboard.side_effects["drug"].value_counts()
    best = max(counts.index[counts > 0], key=lambda d: (int(pages.get(d, 0)), int(counts[d])))
    assert pages[best] >= 2 and pages[best] > pages.get(counts.index[0], 0)  # the corpus tells the rules apart
    assert DashboardModel(dashboard).focus_drug == best
    model = DashboardModel(escaped_corpus)
    model.set_state(FilterState(drugs=("Mirena",)))
    assert model.focus_drug == "Mirena"
    model.set_state(FilterState(search="no such side effect"))
    assert model.focus_drug == model.drugs[0]


def test_rows_csv_holds_every_column_of_the_shown_rows(seed_corpus):
    model = DashboardModel(seed_corpus, FilterState(severities=("serious",)))
    rows = pd.read_csv(io.StringIO(model.rows_csv()))
    assert list(rows.columns) == [*seed_corpus.side_effects.columns, "site"]  # the page's site beside each row
    assert set(rows["site"]) == {"folder: raw"}  # the embedded page's folder (no address known)
    assert list(rows["name"]) == SERIOUS and list(rows["line"]) == [40, 41, 42]


def test_figures_show_only_the_filtered_rows(seed_corpus):
    model = DashboardModel(seed_corpus, FilterState(severities=("serious",)))
    severity = {t.name: list(t.x) for t in model.severity_figure().data}
    assert severity["Serious"] == [3] and severity["Common"] == [] and severity["Less common"] == []
    matrix = {t.name: sorted(t.x) for t in model.matrix_figure().data}
    assert matrix["Serious"] == sorted(SERIOUS) and matrix["Common"] == []


def test_focus_drug_is_the_chosen_one_else_the_commonest_shown_else_the_first(escaped_corpus):
    # Mirena's page claims 9 side effects, Examplin's 4 (one of them Serious).
    model = DashboardModel(escaped_corpus)
    assert model.focus_drug == "Mirena"
    model.set_state(FilterState(drugs=("Examplin",)))
    assert model.focus_drug == "Examplin"
    model.set_state(FilterState(search="script tag"))
    assert list(model.rows["drug"]) == ["Examplin"] and model.focus_drug == "Examplin"
    model.set_state(FilterState(search="nothing on any page says this"))
    assert len(model.rows) == 0 and model.focus_drug == "Examplin"  # first in alphabetical order


# --- claims ---------------------------------------------------------------------------------------

def test_claims_are_matched_once_per_corpus_then_filtered(seed_corpus, monkeypatch):
    from explorer.audit.audit import Audit

    calls = []
    real = Audit.compute.__func__
    monkeypatch.setattr(Audit, "compute", classmethod(lambda *a, **k: calls.append(1) or real(*a, **k)))
    model = DashboardModel(dataclasses.replace(seed_corpus, root=None))  # in memory: never a saved audit
    assert calls == []  # nothing is matched until claims are asked for
    for state in (FilterState(severities=("serious",)), FilterState(), FilterState(search="dizz")):
        model.set_state(state)
        assert list(model.claim_rows["line"]) == list(model.rows["line"])
        model.claims_figure(), model.claims_summary(), model.claims_csv()
    assert calls == [1]


def test_claims_are_checked_against_the_reference_facts_when_the_corpus_has_none(seed_corpus):
    assert seed_corpus.label_facts is None  # explorer.load() attaches none
    claims = DashboardModel(seed_corpus).claims.set_index("claim")
    # The label warns of uterine perforation; the coverage note says blood clots were not captured.
    assert claims.loc["Perforation of the uterus", "status"] == "label warning"
    assert claims.loc["Blood clots", "status"] == NOT_CAPTURED


def test_claims_use_the_facts_given_before_the_corpus_facts(seed_corpus):
    facts = load_label_facts()
    without_perforation = facts[~facts["term"].astype(str).str.contains("perforation")]
    corpus = dataclasses.replace(seed_corpus, label_facts=without_perforation)
    attached = DashboardModel(corpus).claims.set_index("claim")
    assert attached.loc["Perforation of the uterus", "status"] == NOT_CAPTURED
    given = DashboardModel(corpus, facts=facts).claims.set_index("claim")
    assert given.loc["Perforation of the uterus", "status"] == "label warning"


def test_claims_summary_figure_and_csv_follow_the_filters(seed_corpus):
    model = DashboardModel(seed_corpus, FilterState(severities=("serious",)))
    assert model.claims_summary() == f"3 side-effect claims: 2 label warning, 1 {NOT_CAPTURED}"
    figure = model.claims_figure()
    assert {t.name: list(t.x) for t in figure.data}["label warning"] == [2]
    assert sum(sum(t.x) for t in figure.data) == 3
    text = model.claims_csv()
    assert text.splitlines()[0] == f"# {COVERAGE_NOTE}"
    assert list(pd.read_csv(io.StringIO(text), skiprows=1)["claim"]) == SERIOUS


# --- no widgets -----------------------------------------------------------------------------------

WIDGET_MODULES = ("ipywidgets", "anywidget", "traitlets")


@pytest.mark.slow  # a fresh process loads the whole stack (4-5 s); tests/test_architecture.py checks the imports statically
def test_the_model_runs_without_importing_a_widget_library():
    """In a fresh interpreter: build a model on the embedded data and use all of it, then look at
    sys.modules; importing the widgets module afterwards shows the check does see widget imports."""
    code = textwrap.dedent(f"""
        import sys
        import explorer
        from explorer.app.model import DashboardModel
        from explorer.explore.filters import FilterState
        model = DashboardModel(explorer.load(), FilterState(severities=("serious",)))
        model.severity_figure(), model.matrix_figure(), model.related_figure(), model.rows_csv()
        model.claims_figure(), model.claims_summary(), model.claims_csv()
        print(sorted(m for m in {WIDGET_MODULES!r} if m in sys.modules))
        import explorer.app.widgets
        print(sorted(m for m in {WIDGET_MODULES!r} if m in sys.modules))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    model_only, with_widgets = out.stdout.strip().splitlines()
    assert model_only == "[]"
    assert with_widgets == str(sorted(WIDGET_MODULES))


def test_site_and_prose_filters_select_rows_by_the_pages_site_and_how_they_were_read(tmp_path):
    from explorer.corpus.ingest import ingest
    from explorer.corpus.dataset import load

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "trazodone.txt").write_text(
        "Trazodone Side Effects\n\nCommon side effects include drowsiness, dry mouth and headache.\n\n"
        "Rare:\n- Fainting\n", encoding="utf-8")
    (tmp_path / "b" / "gabapentin.txt").write_text("Gabapentin Side Effects\n\nCommon:\n- Dizziness\n",
                                                   encoding="utf-8")
    corpus = load(ingest([tmp_path / "a", tmp_path / "b"], tmp_path / "corpus", workers=1, progress=False).out)
    model = DashboardModel(corpus)
    assert model.sites == ("folder: a", "folder: b")  # no address known: labelled as the folders they are
    model.set_state(FilterState(sites=("folder: a",)))
    assert list(model.rows["name"]) == ["drowsiness", "dry mouth", "headache", "Fainting"]
    model.set_state(FilterState(sites=("folder: a",), prose=False))
    assert list(model.rows["name"]) == ["Fainting"]  # prose-derived rows hidden, list items kept
    model.set_state(FilterState(prose=False))
    assert sorted(model.rows["name"]) == ["Dizziness", "Fainting"]


def test_charts_and_the_summary_count_a_page_copied_under_several_paths_once(tmp_path):
    from explorer.corpus.dataset import load
    from explorer.corpus.ingest import ingest

    from ..corpus.builders import make_pages

    raw = tmp_path / "raw"
    (original,) = make_pages(raw, ["Back Pain"])
    (raw / "z-mirror.txt").write_bytes(original.read_bytes())
    model = DashboardModel(load(ingest([raw], tmp_path / "c", workers=1, progress=False).out))
    assert len(model.rows) == 18 and len(model.chart_rows) == 9  # the table keeps both paths
    assert model.summary() == ("9 side effects on 1 page, 3 of them Serious (and 9 rows of copies of these "
                               "pages under other paths)")
    assert sum(sum(t.x) for t in model.severity_figure().data) == 9
    model.set_state(FilterState(severities=("serious",)))
    assert (len(model.rows), len(model.chart_rows)) == (6, 3)


def test_pages_that_name_no_condition_are_charted_in_a_row_of_their_own(tmp_path):
    from explorer.corpus.dataset import load
    from explorer.corpus.ingest import ingest

    from ..corpus.builders import make_pages

    raw = tmp_path / "raw"
    make_pages(raw, ["Back Pain"])
    (raw / "trazodone.txt").write_text("Trazodone Side Effects\n\nCommon:\n- Drowsiness\n", encoding="utf-8")
    (raw / "mirena.txt").write_text("Mirena Side Effects\n\nRare:\n- Cramping\n", encoding="utf-8")
    model = DashboardModel(load(ingest([raw], tmp_path / "c", workers=1, progress=False).out))
    assert model.conditions == ("Back Pain",)  # no "nan" condition offered
    matrix = model.matrix_figure()  # the condition x side-effect matrix: their row comes last, and is named
    assert {(x, y) for t in matrix.data for x, y in zip(t.x, t.y) if x in ("Drowsiness", "Cramping")} == {
        ("Drowsiness", NO_CONDITION), ("Cramping", NO_CONDITION)}
    assert list(matrix.layout.yaxis.categoryarray)[0] == NO_CONDITION
    model.set_state(FilterState(drugs=("Mirena",)))
    assert "Cramping" in set(model.rows["name"])
    related = model.related_figure()  # Mirena has a page with a condition and one without
    assert related is not None and len(model.severity_figure().data) > 0
    labels = [str(y) for t in model.severity_figure().data for y in t.y]
    assert any("(no condition named)" in y for y in labels)  # the page without a condition has a bar
