"""SPL/HTML tables read into rows: captions, header rows, group rows, spans, inline markup."""
from __future__ import annotations

import pytest

from explorer.labels.records import LabelTable
from explorer.labels.tables import table_from_html

# ---------------------------------------------------------------------------------------------- tables
ARMS_TABLE = (
    '<table width="100%"><caption>Table 2: Adverse Reactions in at Least 2% of Patients</caption>'
    '<col width="40%"/><thead>'
    '<tr><th rowspan="2">Adverse Reaction</th><th colspan="2"><content styleCode="bold">Drug X</content></th>'
    '<th>Placebo</th></tr>'
    '<tr><th>10 mg<br/>(N=412)<br/>%</th><th>20 mg<br/>(N=398)<br/>%</th><th>(N=405)<br/>%</th></tr></thead>'
    '<tbody><tr><td colspan="4" styleCode="Botrule"><content styleCode="bold">Gastrointestinal Disorders</content>'
    '</td></tr>'
    '<tr><td>Nausea<sup>a</sup></td><td>9</td><td>14</td><td>4</td></tr>'
    '<tr><td>Constipation</td><td>3</td><td>5</td><td>&lt;1</td></tr></tbody>'
    '<tfoot><tr><td colspan="4"><sup>a</sup> Includes retching.</td></tr></tfoot></table>')


def test_table_keeps_caption_header_rows_and_arm_columns():
    table = table_from_html(ARMS_TABLE)
    assert table.caption == "Table 2: Adverse Reactions in at Least 2% of Patients"
    assert table.header == (("Adverse Reaction", "Drug X", "Drug X", "Placebo"),
                            ("Adverse Reaction", "10 mg (N=412) %", "20 mg (N=398) %", "(N=405) %"))
    assert table.rows[1:] == (("Nausea", "9", "14", "4"), ("Constipation", "3", "5", "<1"))


def test_table_group_row_spanning_all_columns_is_one_cell():
    assert table_from_html(ARMS_TABLE).rows[0] == ("Gastrointestinal Disorders",)


def test_table_lone_cell_without_colspan_is_a_group_row_too():
    table = table_from_html("<table><tr><td>Skin</td></tr><tr><td>Rash</td><td>2</td></tr></table>")
    assert table.rows == (("Skin",), ("Rash", "2"))


def test_table_footer_notes_are_not_body_rows():
    assert all("retching" not in " ".join(row) for row in table_from_html(ARMS_TABLE).rows)


def test_table_colspan_inside_body_pads_instead_of_copying_a_value():
    table = table_from_html("<table><tr><th>Term</th><th>A</th><th>B</th></tr>"
                            '<tr><td>Rash</td><td colspan="2">2</td></tr><tr><td>Itch</td></tr></table>')
    assert table.rows == (("Rash", "2", ""), ("Itch",))


def test_table_short_row_is_padded_to_the_column_count():
    table = table_from_html("<table><tr><td>Rash</td><td>2</td><td>1</td></tr><tr><td>Itch</td><td>3</td></tr></table>")
    assert table.rows == (("Rash", "2", "1"), ("Itch", "3", ""))


def test_table_body_rowspan_pads_the_rows_below():
    table = table_from_html('<table><tr><td rowspan="2">GI</td><td>Nausea</td><td>4</td></tr>'
                            '<tr><td>Vomiting</td><td>2</td></tr></table>')
    assert table.rows == (("GI", "Nausea", "4"), ("", "Vomiting", "2"))


def test_table_leading_th_rows_are_the_header_without_thead():
    table = table_from_html("<table><tr><th>Term</th><th>%</th></tr><tr><td>Rash</td><td>2</td></tr></table>")
    assert table.header == (("Term", "%"),) and table.rows == (("Rash", "2"),)


def test_table_inline_markup_and_entities_become_plain_text():
    table = table_from_html(
        '<table><tr><td><content styleCode="bold">Blood</content> <content styleCode="italics">pressure'
        '</content><br/>increase</td><td>&lt;1&nbsp;&amp;&#160;&ge;2</td><td>5 mg/m<sup>2</sup></td>'
        '<td>Rash<footnote ID="f1">Seen in one trial.</footnote><sup>†</sup></td></tr></table>')
    assert table.rows == (("Blood pressure increase", "<1 & ≥2", "5 mg/m2", "Rash"),)


def test_table_with_xml_namespace_prefix_and_xmlns_is_read():
    xml = ('<ns0:table xmlns:ns0="urn:hl7-org:v3"><ns0:caption>Table 4: Rates</ns0:caption><ns0:tbody>'
           '<ns0:tr><ns0:td>Rash</ns0:td><ns0:td>2</ns0:td></ns0:tr></ns0:tbody></ns0:table>')
    plain = '<table xmlns="urn:hl7-org:v3"><tbody><tr><td>Rash</td><td>2</td></tr></tbody></table>'
    assert table_from_html(xml) == LabelTable("Table 4: Rates", (), (("Rash", "2"),))
    assert table_from_html(plain).rows == (("Rash", "2"),)


def test_table_nested_table_rows_stay_inside_their_cell():
    table = table_from_html("<table><tr><td>Outer</td><td><table><tr><td>in</td><td>ner</td></tr></table></td></tr>"
                            "</table>")
    assert table.rows == (("Outer", "in ner"),)


@pytest.mark.parametrize("markup", ["", "not a table", "<table></table>", "<table><tr></tr></table>",
                                    "<table><tr><td>", '<td colspan="x">a</td>', "<<<>>>", "<table>" * 3000,
                                    '<table><tr><td colspan="99999999">a</td><td>b</td></tr></table>'])
def test_table_odd_or_empty_markup_never_raises(markup):
    table = table_from_html(markup)
    assert isinstance(table, LabelTable)
    assert all(len(row) <= 65 for row in table.rows)  # a span counts for at most 64 columns


def test_table_without_rows_is_empty():
    assert table_from_html("<table><caption>Table 9</caption></table>") == LabelTable("Table 9", (), ())
    assert table_from_html("") == LabelTable(None, (), ())
