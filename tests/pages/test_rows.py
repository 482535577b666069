"""explorer.pages.rows: the lines the general extractor reads: citations dropped, wraps joined, items found."""
from __future__ import annotations

from explorer.pages.lines import Line
from explorer.pages.rows import prepare


def rows(text: str, indents: bool = True):
    out = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            indent = len(line) - len(line.lstrip()) if indents else 0
            out.append(Line(number, line.strip(), None, indent))
    return prepare(out)


def test_citations_glued_to_text_are_dropped():
    got = rows("- Headache[1]\n- Nausea or vomiting[2, 3]\nReported most often.[Ref]")
    assert [r.body for r in got] == ["Headache", "Nausea or vomiting", "Reported most often."]


def test_items_get_their_depth_from_indentation_and_o_markers():
    got = rows("  • Liver damage. Symptoms can include:\n    • yellow skin\n  • Rash\n"
               "• Changes in the colour of your urine\no Pink urine\no Black stools\n• Vomiting")
    assert [(r.body, r.depth) for r in got] == [
        ("Liver damage. Symptoms can include:", 0), ("yellow skin", 1), ("Rash", 0),
        ("Changes in the colour of your urine", 0), ("Pink urine", 1), ("Black stools", 1), ("Vomiting", 0)]


def test_a_number_glued_to_its_item_counts_inside_a_numbered_list_only():
    got = rows("7. Drowsiness\n8.feeling of being full\n9. Gas")
    assert [(r.bullet, r.body) for r in got] == [(True, "Drowsiness"), (True, "feeling of being full"), (True, "Gas")]
    assert not rows("2.5 milligrams a day")[0].bullet


def test_a_wrapped_sentence_is_joined_but_a_short_line_after_a_long_item_is_not():
    got = rows("When an asthma flare does not settle with your reliever inhaler, your doctor may\n"
               "prescribe a short course of tablets.\n"
               "New or worsening heart problems, including high blood pressure and a racing heart\n"
               "Seizures")
    assert [r.text for r in got] == [
        "When an asthma flare does not settle with your reliever inhaler, your doctor may prescribe a short "
        "course of tablets.", "New or worsening heart problems, including high blood pressure and a racing heart",
        "Seizures"]


def test_faq_marks_are_dropped():
    assert [r.text for r in rows("Q: What are the side effects?\nA: Side effects include:")] == [
        "What are the side effects?", "Side effects include:"]
