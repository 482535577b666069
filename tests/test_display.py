"""Third-party text made safe for HTML, and the outline notebooks check figures by."""
from __future__ import annotations

import plotly.graph_objects as go

from explorer.display import HOVER_DESCRIPTION_CHARS, escape_text, figure_outline


def test_markup_is_escaped_and_long_text_shortened_and_wrapped():
    text = "<img src=x onerror=alert(1)> " + "word " * 200
    shown = escape_text(text, width=40)
    assert "<img" not in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown
    assert all(len(line) <= 60 for line in shown.replace("&lt;", "<").replace("&gt;", ">").split("<br>"))
    assert shown.endswith("…") and len(shown.replace("<br>", " ")) <= HOVER_DESCRIPTION_CHARS + 20


def test_missing_values_become_empty_text():
    import pandas as pd

    assert [escape_text(v) for v in (None, float("nan"), pd.NA, "")] == ["", "", "", ""]


def test_outline_names_title_traces_and_their_sizes():
    fig = go.Figure([go.Bar(name="Common", x=[1, 2, 3], y=["a", "b", "c"]), go.Scatter(name="links", x=[])],
                    layout=dict(title=dict(text="Side effects by severity")))
    assert figure_outline(fig) == ("title: Side effects by severity\n"
                                   "bar 'Common': 3 points\nscatter 'links': 0 points")
    assert figure_outline(go.FigureWidget(fig)) == figure_outline(fig)
    assert figure_outline(go.Figure()).startswith("title: None")


# --- CSV exports: spreadsheet formula injection (issue 16, item 7) ----------------------------------

FORMULAS = ["=HYPERLINK(\"http://x.test\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]


def test_text_that_a_spreadsheet_would_run_as_a_formula_gets_a_quote_prefix():
    from explorer.display import csv_cell

    assert [csv_cell(text) for text in FORMULAS] == ["'" + text for text in FORMULAS]


def test_plain_text_numbers_and_missing_values_are_left_alone():
    from explorer.display import csv_cell

    for value in ("Headache", "a = b", " =1", "", "-5", "+1.5", "-0.25e3", "'quoted'", 12, -3, -2.5, True, None):
        assert csv_cell(value) == value
    nan = float("nan")
    assert csv_cell(nan) is nan  # stays an empty cell


def test_csv_text_neutralises_text_cells_of_every_kind_and_keeps_numbers_numbers():
    import io

    import pandas as pd

    from explorer.display import csv_text

    frame = pd.DataFrame({
        "name": pd.Series(["=1+1", "Rash", "@cmd", None], dtype=object),
        "tier": pd.Series(["-Serious", "Common", "-Serious", "Rare"], dtype="category"),
        "text": pd.Series(["+x", "ok", pd.NA, "\tx"], dtype="string"),
        "line": [-1, 2, 3, 4], "score": [-0.5, 1.0, float("nan"), 2.0],
        "mixed": pd.Series([-7, "=A1", "-7", 1.5], dtype=object)})
    back = pd.read_csv(io.StringIO(csv_text(frame)), keep_default_na=False, dtype=str)
    assert back["name"].tolist() == ["'=1+1", "Rash", "'@cmd", ""]
    assert back["tier"].tolist() == ["'-Serious", "Common", "'-Serious", "Rare"]
    assert back["text"].tolist() == ["'+x", "ok", "", "'\tx"]
    assert back["line"].tolist() == ["-1", "2", "3", "4"] and back["score"].tolist() == ["-0.5", "1.0", "", "2.0"]
    assert back["mixed"].tolist() == ["-7", "'=A1", "-7", "1.5"]
    assert frame["name"].iloc[0] == "=1+1" and frame["tier"].dtype == "category"  # the frame is not changed


def test_csv_text_of_colliding_categories_and_of_no_rows():
    import pandas as pd

    from explorer.display import csv_text

    frame = pd.DataFrame({"tier": pd.Series(["=x", "'=x"], dtype="category")})
    # "'=x" gets a quote of its own: the two stay apart, and each reads back as it was (csv_uncell)
    assert csv_text(frame).splitlines() == ["tier", "'=x", "''=x"]
    assert csv_text(frame.iloc[:0]) == "tier\n"
