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
