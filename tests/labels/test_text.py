"""Label text: section text -> numbered passages, passages -> sentences (tables: tests/labels/test_tables.py)."""
from __future__ import annotations

import pytest

from explorer.labels.records import LabelTable
from explorer.labels.text import sentences, split_passages

# -------------------------------------------------------------------------------------------- passages
NUMBERED = (
    "5 WARNINGS AND PRECAUTIONS 5.1 Ectopic Pregnancy Evaluate any woman who becomes pregnant for an ectopic "
    "pregnancy (see 5.4). 5.2 Somnolence The drug causes drowsiness; it led to stopping treatment in 5.3% of "
    "patients and the mean dose was 5.5 mg. Sections 5.3 and 5.4 describe infections. 5.3 Pelvic Inflammatory "
    "Disease (PID) and Endometritis Mirena and other IUDs have been linked to PID. 5.3.1 Risk in Younger Women "
    "Women under 25 are at higher risk. 5.4 Risk of Perforation Perforation (total or partial) may occur. "
    "5.5 Clinical Considerations for Use and Removal Examine the patient after insertion.")


def test_passages_split_at_subsection_numbers_with_headings():
    passages = split_passages("warnings_and_cautions", NUMBERED)
    assert [(p.number, p.heading) for p in passages] == [
        ("5.1", "Ectopic Pregnancy"), ("5.2", "Somnolence"),
        ("5.3", "Pelvic Inflammatory Disease (PID) and Endometritis"), ("5.3.1", "Risk in Younger Women"),
        ("5.4", "Risk of Perforation"), ("5.5", "Clinical Considerations for Use and Removal")]
    assert [p.position for p in passages] == list(range(6))
    assert {p.section for p in passages} == {"warnings_and_cautions"}


def test_passages_numbers_inside_sentences_are_not_subsections():
    passages = split_passages("warnings_and_cautions", NUMBERED)
    assert passages[0].text.endswith("(see 5.4).")
    assert passages[1].text == ("The drug causes drowsiness; it led to stopping treatment in 5.3% of patients and the "
                                "mean dose was 5.5 mg. Sections 5.3 and 5.4 describe infections.")


def test_passages_numbers_of_another_section_are_not_subsections():
    passages = split_passages("adverse_reactions", "6 ADVERSE REACTIONS Ectopic Pregnancy [see Warnings and "
                                                   "Precautions (5.1)] 5.2 Somnolence is discussed. 6.1 Clinical "
                                                   "Trials Experience Rates vary.")
    assert [p.number for p in passages] == ["6", "6.1"]


def test_passages_two_digit_and_skipped_numbers_continue_the_sequence():
    text = ("5 WARNINGS AND PRECAUTIONS 5.1 Rash Rash can occur. 5.3 Fever Fever can occur. 5.9 Itch Itch occurs. "
            "5.10 Cough Cough occurs.")
    assert [p.number for p in split_passages("warnings_and_cautions", text)] == ["5.1", "5.3"]
    text = text.replace("5.3 Fever", "5.8 Fever")
    assert [p.number for p in split_passages("warnings_and_cautions", text)] == ["5.1"]
    steps = " ".join(f"5.{n} Heading{n} Text follows here." for n in range(1, 12))
    assert [p.number for p in split_passages("warnings_and_cautions", "5 WARNINGS " + steps)] == [
        f"5.{n}" for n in range(1, 12)]


def test_passages_number_out_of_order_is_not_a_subsection():
    passages = split_passages("adverse_reactions", "6 ADVERSE REACTIONS 6.1 Clinical Trials Rates vary. "
                                                   "6.9 Patients Stopped early. 6.2 Postmarketing Experience "
                                                   "The following were seen.")
    assert [p.number for p in passages] == ["6.1", "6.2"]
    assert "6.9 Patients Stopped early." in passages[0].text


def test_passages_number_followed_by_a_sentence_is_not_a_subsection():
    passages = split_passages("adverse_reactions", "6 ADVERSE REACTIONS Dosing: 6.1 Patients should take it "
                                                   "daily. 6.1 Clinical Trials Experience Rates vary.")
    assert [(p.number, p.heading) for p in passages] == [("6", "ADVERSE REACTIONS"),
                                                         ("6.1", "Clinical Trials Experience")]
    assert passages[0].text == "Dosing: 6.1 Patients should take it daily."


def test_passages_section_text_before_first_subsection_is_its_own_passage():
    passages = split_passages("adverse_reactions", "6  ADVERSE REACTIONS The following are described elsewhere: "
                                                   "• Perforation [see (5.5)]\n6.1 Clinical Trials Experience "
                                                   "Because clinical trials vary, rates differ.")
    assert (passages[0].number, passages[0].heading, passages[0].position) == ("6", "ADVERSE REACTIONS", 0)
    assert passages[0].text == "The following are described elsewhere: • Perforation [see (5.5)]"
    assert (passages[1].heading, passages[1].text) == ("Clinical Trials Experience", "Because clinical trials vary, "
                                                                                      "rates differ.")


def test_passages_capitals_heading_stops_before_a_brand_in_capitals():
    passages = split_passages("indications_and_usage", "1 INDICATIONS AND USAGE MIRENA is indicated for contraception.")
    assert passages[0].heading == "INDICATIONS AND USAGE"
    assert passages[0].text == "MIRENA is indicated for contraception."
    other = split_passages("overdosage", "10 OVERDOSE INFORMATION ZEDRA can cause sleepiness.")
    assert (other[0].heading, other[0].text) == ("OVERDOSE INFORMATION", "ZEDRA can cause sleepiness.")


def test_passages_title_case_section_heading_is_read():
    passages = split_passages("adverse_reactions", "6 Adverse Reactions The most common reaction was rash.")
    assert (passages[0].number, passages[0].heading) == ("6", "Adverse Reactions")


def test_passages_text_starting_with_a_subsection_has_no_section_passage():
    passages = split_passages("adverse_reactions", "6.1 Clinical Trials Experience Rash was seen. 6.2 Postmarketing "
                                                   "Experience Hair loss was reported.")
    assert [(p.number, p.heading) for p in passages] == [("6.1", "Clinical Trials Experience"),
                                                         ("6.2", "Postmarketing Experience")]


def test_passages_heading_stops_where_the_sentence_starts():
    cases = {
        "5.1 Expulsion Partial or complete expulsion can occur.": "Expulsion",
        "5.1 Perforation Perforation (total or partial) may occur.": "Perforation",
        "5.1 Discontinuation Due to Adverse Reactions About 6% of patients stopped.":
            "Discontinuation Due to Adverse Reactions",
        "5.1 Use in Patients With Type 2 Diabetes Check glucose.": "Use in Patients With Type 2 Diabetes",
        "5.1 Hepatotoxicity: Monitor liver tests.": "Hepatotoxicity",
        "5.1 Rash • Stop the drug at the first sign of rash.": "Rash",
    }
    for text, heading in cases.items():
        assert split_passages("warnings_and_cautions", "5 WARNINGS AND PRECAUTIONS " + text)[0].heading == heading, text


def test_passages_older_label_without_numbers_is_one_passage_headed_by_its_capitals():
    passages = split_passages("warnings", "WARNINGS Quellidrone may cause drowsiness. Information for Patients "
                                          "Tell patients 5.1 times a day is too much.")
    assert len(passages) == 1
    assert (passages[0].number, passages[0].heading) == (None, "WARNINGS")
    assert passages[0].text.startswith("Quellidrone may cause drowsiness.")


def test_passages_leading_dose_is_not_a_section_number():
    for text in ("2 mg tablets are taken daily. 2.1 Mild Cases Use less.", "2.5 mg twice daily is the usual dose."):
        assert [(p.number, p.heading, p.text) for p in split_passages("precautions", text)] == [(None, None, text)]


def test_passages_older_label_without_heading_keeps_all_text():
    passages = split_passages("precautions", "General: use with care in kidney impairment.")
    assert [(p.number, p.heading, p.text) for p in passages] == [
        (None, None, "General: use with care in kidney impairment.")]


def test_passages_boxed_warning_heading_keeps_its_title():
    passages = split_passages("boxed_warning", "WARNING: RISK OF SERIOUS INFECTIONS Patients treated with it may "
                                               "develop infections.")
    assert passages[0].heading == "WARNING: RISK OF SERIOUS INFECTIONS"
    assert passages[0].text == "Patients treated with it may develop infections."


def test_passages_tables_attach_to_the_passage_naming_their_table_number():
    table_2 = LabelTable("Table 2: Adverse Reactions", (), (("Rash", "2"),))
    table_3 = LabelTable("Table 3. Reactions Leading to Discontinuation", (), (("Rash", "1"),))
    loose = LabelTable(None, (), (("Itch", "1"),))
    text = ("6 ADVERSE REACTIONS Read below. 6.1 Clinical Trials Experience Table 2 shows rates. "
            "6.2 Discontinuations Table 3 lists reasons; Table 22 is elsewhere. 6.3 Postmarketing Experience Rash.")
    passages = split_passages("adverse_reactions", text, [table_2, table_3, loose])
    assert [p.tables for p in passages] == [(), (table_2,), (table_3,), (loose,)]


def test_passages_table_whose_number_is_not_mentioned_goes_to_the_last_passage():
    table = LabelTable("Table 10: Laboratory Changes", (), (("ALT", "3"),))
    passages = split_passages("adverse_reactions", "6 ADVERSE REACTIONS Table 1 is below. 6.1 Clinical Trials "
                                                   "Experience Rates vary.", [table])
    assert passages[-1].tables == (table,) and passages[0].tables == ()


def test_passages_tables_without_text_get_a_passage_of_their_own():
    table = LabelTable(None, (), (("Rash", "2"),))
    assert [(p.text, p.tables) for p in split_passages("adverse_reactions", "", [table])] == [("", (table,))]
    assert split_passages("adverse_reactions", "   ") == []


# ------------------------------------------------------------------------------------------- sentences
def test_sentences_split_at_sentence_ends():
    assert sentences("Rash was common. Nausea occurred in 5% of patients! Was it severe? No.") == [
        "Rash was common.", "Nausea occurred in 5% of patients!", "Was it severe?", "No."]


def test_sentences_do_not_split_inside_abbreviations_decimals_or_references():
    text = ("Some reactions (e.g. rash, i.e. mild) occurred in approx. 5.3% vs. 1.2% on placebo [see Warnings and "
            "Precautions (5.4)]. The U.S. trials enrolled 600 patients; Dr. Smith led them. Ectopic pregnancy (5.1) "
            "is rare.")
    assert sentences(text) == [
        "Some reactions (e.g. rash, i.e. mild) occurred in approx. 5.3% vs. 1.2% on placebo [see Warnings and "
        "Precautions (5.4)].", "The U.S. trials enrolled 600 patients; Dr. Smith led them.",
        "Ectopic pregnancy (5.1) is rare."]


def test_sentences_split_bullet_items_and_keep_closing_brackets():
    assert sentences("The following are described elsewhere: • Perforation [see (5.5)] • Expulsion (a) (see 5.6.) "
                     "Next one.") == ["The following are described elsewhere:", "Perforation [see (5.5)]",
                                      "Expulsion (a) (see 5.6.)", "Next one."]


def test_sentences_of_empty_text_are_none():
    assert sentences("") == [] and sentences("   ") == []


# -- line structure (issue 17) ------------------------------------------------------------------------

def test_lines_and_line_bullets_are_sentence_boundaries():
    """TAC's and SPL's text keep one list item or text-table row a line; joined, a whole list was one
    'sentence' and a guard word anywhere in it set aside every item."""
    text = "Adverse reactions (placebo-controlled):\n *  Rare: thrombocytopenia\n - Nausea    12    3\n• Rash"
    assert sentences(text) == ["Adverse reactions (placebo-controlled):", "Rare: thrombocytopenia",
                               "Nausea 12 3", "Rash"]


def test_a_passage_keeps_its_line_breaks_and_its_heading_ends_at_its_line():
    [own, sub] = split_passages("adverse_reactions", "6 ADVERSE REACTIONS\n\n  Rash was seen.\n\n"
                                "6.1 Clinical Studies\n\nPheochromocytoma\nDizziness   0.6\n")
    assert (own.heading, own.text) == ("ADVERSE REACTIONS", "Rash was seen.")
    assert (sub.number, sub.heading, sub.text) == ("6.1", "Clinical Studies", "Pheochromocytoma\nDizziness 0.6")
