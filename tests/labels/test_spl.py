"""DailyMed SPL XML -> Label: identity, names, kept sections at any depth, passages, tables, bad input.

The test documents in tests/fixtures/labels/spl/ are written for these tests (invented drugs, own
words) with the real SPL element structure: ``zentravix.xml`` in the current (numbered) format,
``parvoline-old-format.xml`` in the older one (WARNINGS and PRECAUTIONS, no numbers), and
``broken-*.xml`` for each way a file can fail.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from explorer.labels import spl
from explorer.labels.records import LabelError, SECTION_KEYS
from explorer.labels.spl import read_spl

SPL = Path(__file__).resolve().parents[1] / "fixtures" / "labels" / "spl"
ZENTRAVIX = SPL / "zentravix.xml"
PARVOLINE = SPL / "parvoline-old-format.xml"


def _read(path: Path, **kw):
    return read_spl(path.read_bytes(), str(path), **kw)


def _passage(label, number):
    return next(p for p in label.passages if p.number == number)


def _edited(old: str, new: str) -> bytes:
    """The Zentravix document with one piece of markup replaced (it must be there)."""
    text = ZENTRAVIX.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new).encode("utf-8")


def _minimal(body: str, head: str = "") -> bytes:
    """A small SPL document holding ``body`` inside its structuredBody."""
    return (f'<?xml version="1.0"?>{head}<document xmlns="urn:hl7-org:v3"><id root="v-1"/>'
            '<effectiveTime value="20240101"/><setId root="s-1"/><versionNumber value="1"/>'
            f'<component><structuredBody>{body}</structuredBody></component></document>').encode()


def _section(code: str, title: str, text: str, inner: str = "") -> str:
    return (f'<component><section><code code="{code}" codeSystem="2.16.840.1.113883.6.1"/>'
            f'<title>{title}</title><text>{text}</text>{inner}</section></component>')


# -- identity and names -------------------------------------------------------------------------------

def test_identity_comes_from_id_setid_versionnumber_and_effectivetime():
    label = _read(ZENTRAVIX)
    assert label.source == "spl"
    assert label.version_id == "5d2f0c1e-7a44-4b9e-9c31-0e8a6f1b2c3d"
    assert label.set_id == "a1b2c3d4-0000-4e5f-8a9b-112233445566"
    assert label.version == "7"
    assert label.effective_time == "20240312"
    assert (label.file, label.record) == (str(ZENTRAVIX), 0)
    assert label.key == "spl:a1b2c3d4-0000-4e5f-8a9b-112233445566:5d2f0c1e-7a44-4b9e-9c31-0e8a6f1b2c3d"
    assert label.dailymed_url.endswith("setid=a1b2c3d4-0000-4e5f-8a9b-112233445566")


def test_effective_time_with_a_clock_time_keeps_the_date():
    assert _read(PARVOLINE).effective_time == "20091105"  # written 20091105120000-0500


def test_zip_member_path_and_record_are_kept_as_given():
    path = "dm_spl_release_human_rx_part1.zip!20240101_abcd.zip!abcd.xml"
    label = read_spl(ZENTRAVIX.read_bytes(), path, record=3)
    assert (label.file, label.record) == (path, 3)


def test_product_type_is_the_document_type_as_openfda_names_it():
    assert _read(ZENTRAVIX).product_type == "HUMAN PRESCRIPTION DRUG"


def test_names_come_from_the_product_data_once_each():
    label = _read(ZENTRAVIX)  # two strengths repeat the same names
    assert label.brand_names == ("Zentravix",)
    assert label.generic_names == ("zentravolol hydrochloride",)
    assert label.substance_names == ("ZENTRAVOLOL HYDROCHLORIDE",)  # lactose is inactive: not a name
    assert label.names_from == "label text"


def test_older_product_markup_gives_names_with_suffix_and_active_ingredient():
    label = _read(PARVOLINE)  # <manufacturedMedicine>, <name>Parvoline <suffix>XR</suffix></name>
    assert label.brand_names == ("Parvoline XR",)
    assert label.generic_names == ("Parvoline Sodium",)
    assert label.substance_names == ("PARVOLINE SODIUM",)  # the corn starch is an inactive ingredient


# -- sections and passages ----------------------------------------------------------------------------

def test_every_kept_section_is_found_at_any_depth():
    label = _read(ZENTRAVIX)
    found = {p.section for p in label.passages}
    assert found == {"boxed_warning", "indications_and_usage", "contraindications", "warnings_and_cautions",
                     "adverse_reactions", "drug_interactions", "overdosage"}
    assert found <= set(SECTION_KEYS)
    # drug interactions sits inside an unclassified "Other Information" section
    assert _passage(label, "7").section == "drug_interactions"


def test_sections_not_kept_leave_no_text():
    label = _read(ZENTRAVIX)
    text = "\n".join(p.text for p in label.passages)
    assert "DOSING TEXT NOT KEPT" not in text  # 34068-7 dosage and administration
    assert "Example Pharmaceuticals" not in text


def test_passages_follow_the_document_with_numbers_and_headings():
    label = _read(ZENTRAVIX)
    assert [(p.section, p.position, p.number, p.heading) for p in label.passages] == [
        ("boxed_warning", 0, None, "WARNING: SEVERE LIVER INJURY"),
        ("indications_and_usage", 0, "1", "INDICATIONS AND USAGE"),
        ("contraindications", 0, "4", "CONTRAINDICATIONS"),
        ("warnings_and_cautions", 0, "5.1", "Liver Injury"),
        ("warnings_and_cautions", 1, "5.2", "Slow Heart Rate"),
        ("warnings_and_cautions", 2, "5.2.1", "Fainting in Older Patients"),
        ("adverse_reactions", 0, "6", "ADVERSE REACTIONS"),
        ("adverse_reactions", 1, "6.1", "Clinical Trials Experience"),
        ("adverse_reactions", 2, "6.2", "Postmarketing Experience"),
        ("drug_interactions", 0, "7", "DRUG INTERACTIONS"),
        ("overdosage", 0, "10", "OVERDOSAGE"),
    ]


def test_a_section_heading_over_subsections_only_gives_no_empty_passage():
    label = _read(ZENTRAVIX)  # "5 WARNINGS AND PRECAUTIONS" has no text of its own
    assert all(p.text or p.tables for p in label.passages)
    assert "5" not in [p.number for p in label.passages]


def test_older_format_sections_have_headings_without_numbers():
    label = _read(PARVOLINE)
    assert [(p.section, p.number, p.heading) for p in label.passages] == [
        ("indications_and_usage", None, "INDICATIONS AND USAGE"),
        ("contraindications", None, "CONTRAINDICATIONS"),
        ("warnings", None, "WARNINGS"),
        ("precautions", None, "General"),
        ("precautions", None, "Drug Interactions"),
        ("precautions", None, "Pregnancy"),
        ("adverse_reactions", None, "ADVERSE REACTIONS"),
    ]


def test_a_subsection_keeps_its_parents_section_key_whatever_its_own_code():
    new = _read(ZENTRAVIX)  # 6.1 is itself coded 34084-4: read once, within section 6
    assert [p.number for p in new.passages].count("6.1") == 1
    old = _read(PARVOLINE)  # a 34073-7 drug interactions subsection inside PRECAUTIONS
    interactions = next(p for p in old.passages if p.heading == "Drug Interactions")
    assert interactions.section == "precautions"
    assert "drug_interactions" not in {p.section for p in old.passages}


def test_subsection_text_is_not_repeated_in_its_parent():
    label = _read(ZENTRAVIX)
    parent, child = _passage(label, "5.2"), _passage(label, "5.2.1")
    assert "Fainting was reported" in child.text
    assert "Fainting" not in parent.text
    section_6 = _passage(label, "6")
    assert "placebo-controlled" not in section_6.text and "after approval" not in section_6.text
    everything = "\n".join(p.text for p in label.passages)
    assert everything.count("Fainting was reported") == 1


def test_paragraphs_and_list_items_are_one_line_each_with_inline_markup_as_words():
    label = _read(ZENTRAVIX)
    assert _passage(label, "4").text.splitlines() == [
        "Do not use Zentravix in patients with:",
        "active liver disease",
        "a known allergy to zentravolol or any part of the tablet",
        "(c) severe asthma",
    ]
    assert _passage(label, "1").text.splitlines()[0] == (
        "Zentravix is a selective blocker indicated for the treatment of chronic migraine in adults.")


def test_the_highlights_excerpt_is_not_read_as_section_text():
    boxed = _read(ZENTRAVIX).passages[0]
    assert boxed.section == "boxed_warning"
    assert "HIGHLIGHT SUMMARY" not in boxed.text
    assert boxed.text.startswith("Zentravix can injure the liver")


def test_running_text_footnotes_go_to_the_end_and_footnote_marks_leave_words_whole():
    doc = _minimal(_section("34084-4", "6 ADVERSE REACTIONS",
                            "<paragraph>Nausea<sup>a</sup> was common at 2 mg/m<sup>2</sup>."
                            '<footnote ID="f">Graded by the investigator.</footnote> It passed.</paragraph>'
                            '<renderMultiMedia referencedObject="img1"/>'))
    passage = read_spl(doc, "x.xml").passages[0]
    assert passage.text.splitlines() == ["Nausea was common at 2 mg/m2. It passed.",
                                         "Graded by the investigator."]


def test_a_section_without_a_title_has_no_number_or_heading():
    doc = _minimal('<component><section><code code="34070-3" codeSystem="2.16.840.1.113883.6.1"/>'
                   "<text><paragraph>Do not use in pregnancy.</paragraph></text></section></component>")
    passage = read_spl(doc, "x.xml").passages[0]
    assert (passage.section, passage.number, passage.heading) == ("contraindications", None, None)


def test_a_section_code_from_another_code_system_is_not_a_loinc_section():
    doc = _minimal('<component><section><code code="34084-4" codeSystem="2.16.840.1.113883.6.96"/>'
                   "<title>ELSEWHERE</title><text><paragraph>Text.</paragraph></text></section></component>"
                   + _section("34067-9", "1 INDICATIONS AND USAGE", "<paragraph>For pain.</paragraph>"))
    assert [p.section for p in read_spl(doc, "x.xml").passages] == ["indications_and_usage"]


# -- tables ---------------------------------------------------------------------------------------------

def test_tables_are_kept_on_the_passage_they_stand_in():
    label = _read(ZENTRAVIX)
    assert [len(p.tables) for p in label.passages if p.tables] == [2]
    assert _passage(label, "6.1").tables[0].caption.startswith("Table 2: Adverse Reactions Reported")
    assert _passage(label, "6.1").tables[1].caption == "Table 3: Adverse Reactions Leading to Discontinuation"


def test_a_table_keeps_its_header_rows_group_rows_and_values():
    table = _passage(_read(ZENTRAVIX), "6.1").tables[0]
    assert table.header == (("Adverse Reaction", "Zentravix 10 mg", "Zentravix 20 mg", "Placebo"),
                            ("", "(N=605) %", "(N=605) %", "(N=598) %"))
    assert table.rows == (("Gastrointestinal Disorders",),
                          ("Nausea", "9", "12", "4"),
                          ("Constipation", "3", "5", "<1"),
                          ("Nervous System Disorders",),
                          ("Dizziness", "6", "8", "2"))  # "Dizziness<sup>a</sup>": the mark is left out


def test_a_header_of_td_cells_in_thead_is_the_header():
    table = _passage(_read(ZENTRAVIX), "6.1").tables[1]
    assert table.header == (("Adverse Reaction", "Zentravix (N=1,210) %", "Placebo (N=598) %"),)
    assert table.rows == (("Fatigue", "2", "<1"),)


def test_table_text_is_not_copied_into_the_passage_text():
    passage = _passage(_read(ZENTRAVIX), "6.1")
    assert passage.text.splitlines() == [
        "In two placebo-controlled trials, 1,210 adults took Zentravix for up to 24 weeks.",
        "Tiredness was the reaction that most often led to stopping treatment."]
    for word in ("Nausea", "Gastrointestinal", "Table 2", "Includes dizziness", "N=605"):
        assert word not in passage.text


def test_a_section_with_only_a_table_is_usable():
    table = ("<table><caption>Table 1: Reactions</caption><thead><tr><th>Reaction</th><th>%</th></tr></thead>"
             "<tbody><tr><td>Rash</td><td>&lt;1</td></tr></tbody></table>")
    label = read_spl(_minimal(_section("34084-4", "6 ADVERSE REACTIONS", table)), "x.xml")
    assert label.passages[0].text == ""
    assert label.passages[0].tables[0].rows == (("Rash", "<1"),)


def test_a_table_the_table_reader_cannot_read_is_a_label_error_naming_the_section(monkeypatch):
    def broken(html):
        raise ValueError("no rows")

    monkeypatch.setattr(spl, "table_from_html", broken)
    with pytest.raises(LabelError) as caught:
        _read(ZENTRAVIX)
    assert caught.value.path == str(ZENTRAVIX)
    assert "a readable table in section 6.1" in caught.value.expected and "no rows" in caught.value.expected


# -- bad input ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("broken-not-xml.xml", "not well-formed XML"),
    ("broken-not-spl.xml", "an SPL document (<document> in the HL7 v3 namespace urn:hl7-org:v3); found <rss>"),
    ("broken-missing-setid.xml", "<setId root=...> (the label's set id); it is missing"),
    ("broken-no-usable-section.xml", "at least one section with text or a table under a kept LOINC code"),
    ("broken-billion-laughs.xml", "without entity declarations or external references"),
])
def test_a_broken_file_is_a_label_error_naming_the_file_and_what_was_expected(name, expected):
    path = SPL / name
    with pytest.raises(LabelError) as caught:
        read_spl(path.read_bytes(), str(path), record=2)
    assert (caught.value.path, caught.value.record) == (str(path), 2)
    assert expected in caught.value.expected
    assert str(caught.value).startswith(f"{path} record 2: ")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('<versionNumber value="7"/>', "", "<versionNumber value=...> (the label's version number); it is missing"),
    ('<effectiveTime value="20240312"/>\n  <setId', "<setId", "<effectiveTime value=...>"),
    ('<id root="5d2f0c1e-7a44-4b9e-9c31-0e8a6f1b2c3d"/>', "", "<id root=...> (the label's version id)"),
    ('<setId root="a1b2c3d4-0000-4e5f-8a9b-112233445566"/>', '<setId root=" "/>', "it is without a root"),
    ('<effectiveTime value="20240312"/>\n  <setId', '<effectiveTime value="2024-03-12"/><setId',
     "starting with a date YYYYMMDD; found '2024-03-12'"),
    ('<effectiveTime value="20240312"/>\n  <setId', '<effectiveTime value="20241345"/><setId', "YYYYMMDD"),
])
def test_missing_or_malformed_identity_is_a_label_error(old, new, expected):
    with pytest.raises(LabelError) as caught:
        read_spl(_edited(old, new), "edited.xml")
    assert caught.value.path == "edited.xml"
    assert expected in caught.value.expected


def test_a_document_outside_the_hl7_namespace_is_not_spl():
    with pytest.raises(LabelError, match=r"found <document> in no namespace"):
        read_spl(b'<document><setId root="s"/></document>', "plain.xml")


def test_empty_bytes_are_not_xml():
    with pytest.raises(LabelError, match="not well-formed XML"):
        read_spl(b"", "empty.xml")


def test_kept_sections_with_no_text_are_no_usable_section():
    doc = _minimal(_section("34084-4", "6 ADVERSE REACTIONS", "   ",
                            inner=_section("42229-5", "6.1 Clinical Trials Experience", "<paragraph/>")))
    with pytest.raises(LabelError, match="; found 1, none with text or a table"):
        read_spl(doc, "empty-sections.xml")


def test_an_external_entity_is_refused_unread():
    head = '<!DOCTYPE document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    doc = _minimal(_section("34084-4", "6 ADVERSE REACTIONS", "<paragraph>&secret;</paragraph>"), head)
    with pytest.raises(LabelError) as caught:
        read_spl(doc, "external.xml")
    assert "refused unread" in caught.value.expected


def test_an_internal_entity_is_refused_even_when_small():
    head = '<!DOCTYPE document [<!ENTITY name "Zentravix">]>'
    doc = _minimal(_section("34084-4", "6 ADVERSE REACTIONS", "<paragraph>&name; causes rash.</paragraph>"), head)
    with pytest.raises(LabelError, match="EntitiesForbidden"):
        read_spl(doc, "entity.xml")


def test_absurdly_deep_nesting_is_a_label_error_not_a_crash():
    depth = 5000
    body = "<component><section>" * depth + "</section></component>" * depth
    with pytest.raises(LabelError, match="nested no deeper than a real label"):
        read_spl(_minimal(body), "deep.xml")
