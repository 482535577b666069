"""The parser on the real page and on hand-written test pages (tests/pages/), one concern per page.

Expected values were read off the pages themselves; line numbers are looked up in the file's own
lines (``line_of``) or, for the real page, counted by hand from the file.
"""
from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from explorer import config
from explorer.parser import (
    NO_TIER, SYNTHETIC_MARKER, PageError, decode, looks_like_html, parse_bytes, parse_file,
)

PAGES = Path(__file__).parent / "pages"
SEED = config.RAW_DIR / "mirena-back-pain.txt"


def line_of(path: Path, fragment: str, encoding: str = "utf-8") -> int:
    """1-based line of the only line of ``path`` that contains ``fragment`` (CRLF counts once)."""
    lines = path.read_bytes().decode(encoding).replace("\r\n", "\n").split("\n")
    hits = [i for i, text in enumerate(lines, start=1) if fragment in text]
    assert len(hits) == 1, (fragment, hits)
    return hits[0]


def effects(article) -> list[tuple]:
    return [(s.tier, s.severity, s.name, s.description) for s in article.side_effects]


def page(*lines: str, title: str = "Zelmora for Knee Pain") -> bytes:
    """A small page: drug line, title, then the given lines."""
    return "\n".join(("Zelmora", title, *lines, "")).encode()


# --- the real page --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed():
    return parse_file(SEED)


def test_seed_header_and_title(seed):
    assert (seed.drug, seed.condition, seed.title, seed.title_line) == (
        "Mirena", "Back Pain", "Mirena for Back Pain", 4)
    # "Active Ingredients" and "Drug Classes" are on the page but followed by no value
    assert seed.active_ingredients == () and seed.drug_classes == ()
    assert seed.truncated is False and seed.synthetic is False
    assert (seed.source.encoding, seed.source.format) == ("utf-8", "text")


def test_seed_side_effects_exact(seed):
    got = [(s.tier, s.severity, s.name, s.line) for s in seed.side_effects]
    assert got == [
        ("Common", "common", "Mirena’s hormonal effects", 30),
        ("Common", "common", "Weight gain", 31),
        ("Common", "common", "Mood changes", 32),
        ("Less Common", "less common", "Headaches", 35),
        ("Less Common", "less common", "Dizziness", 36),
        ("Less Common", "less common", "Nausea and vomiting", 37),
        ("Serious", "serious", "Perforation of the uterus", 40),
        ("Serious", "serious", "Infection", 41),
        ("Serious", "serious", "Blood clots", 42),
    ]
    by_name = {s.name: s.description for s in seed.side_effects}
    assert by_name["Mirena’s hormonal effects"] == (
        "The hormone progestin in Mirena can cause changes in the body that may lead to back pain. "
        "This is because the hormone can cause the uterus to contract, which can put pressure on the "
        "surrounding muscles and tissues, leading to pain.")
    assert by_name["Weight gain"] == (
        "Mirena can cause weight gain, which can put additional strain on the back and lead to pain.")
    assert by_name["Nausea and vomiting"] == (
        "Some users have reported experiencing nausea and vomiting while using Mirena for back pain.")
    assert by_name["Blood clots"] == (
        "Mirena can increase the risk of blood clots, which can be life-threatening if they travel to "
        "the lungs or brain.")


def test_seed_every_item_is_its_line_of_the_file(seed):
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for s in seed.side_effects:
        assert lines[s.line - 1] == f"- {s.name}: {s.description}"
    for a in seed.advice:
        assert lines[a.line - 1] == f"- {a.name}: {a.description}"


def test_seed_sections_in_document_order(seed):
    tiers = [(s.heading, s.label, s.line) for s in seed.sections if s.kind == "tier"]
    assert tiers == [("Common Side Effects of Mirena for Back Pain", "Common", 28),
                     ("Less Common Side Effects of Mirena for Back Pain", "Less Common", 33),
                     ("Serious Side Effects of Mirena for Back Pain", "Serious", 38)]
    lines = [s.line for s in seed.sections]
    assert lines == sorted(lines)
    kinds = {s.heading: s.kind for s in seed.sections}
    assert kinds["Mirena for Back Pain Side Effects"] == "side_effects"
    assert kinds["Managing Side Effects of Mirena for Back Pain"] == "advice"
    assert kinds["Reducing the Risk of Side Effects of Mirena for Back Pain"] == "advice"
    assert kinds["Mirena for Back Pain Reviews"] == "reviews"
    assert kinds["Related Articles:"] == "related"
    # "What is Mirena?" stands twice on the page: both are kept
    assert [s.line for s in seed.sections if s.heading == "What is Mirena?"] == [5, 54]
    assert [(a.kind, a.name) for a in seed.advice] == [
        ("managing", "Talk to your doctor"), ("managing", "Take medication as directed"),
        ("managing", "Get regular check-ups"), ("reducing_risk", "Follow the recommended dosage"),
        ("reducing_risk", "Get regular check-ups")]


def test_seed_related_conditions(seed):
    assert len(seed.related_conditions) == 35
    assert seed.related_conditions[:3] == ["Birth Control", "Endometriosis", "Breast Cancer"]
    assert seed.related_conditions[-2:] == ["Headache", "Hot Flashes"]
    assert [r.line for r in seed.related] == list(range(61, 96))
    assert {r.drug for r in seed.related} == {"Mirena"}


def test_seed_json_is_serialisable_with_the_promised_keys(seed):
    data = json.loads(json.dumps(seed.to_json()))
    assert {"drug", "condition", "title", "active_ingredients", "drug_classes", "sections",
            "side_effects", "related_conditions", "truncated", "source"} <= set(data)
    assert data["side_effects"][3] == {
        "tier": "Less Common", "severity": "less common", "name": "Headaches", "line": 35,
        "description": "Some users have reported experiencing headaches while using Mirena for back pain."}


# --- tiers, bullets, separators, extra sections --------------------------------------------------

def test_tiers_bullets_and_separators():
    path = PAGES / "tiers-and-bullets.txt"
    a = parse_file(path)
    assert (a.drug, a.condition) == ("Veltrane", "Migraine")
    assert a.active_ingredients == ("zelotrix", "mavocaine")
    assert a.drug_classes == ("Fictional triptans", "Test-only analgesics")
    assert effects(a) == [
        ("Common", "common", "Drowsiness", "Feeling sleepy for an hour or two after a dose."),
        ("Common", "common", "Dry mouth", "A parched feeling; sipping water helps in the story."),
        ("Common", "common", "Tingling", None),
        ("Less Common", "less common", "Flushing", "Warm, red cheeks shortly after the tablet."),
        ("Less Common", "less common", "Stiff neck", "Tightness that eases by itself."),
        ("Less Common", "less common", "Ringing ears", "Noted by a few: usually gone by evening."),
        ("Uncommon", "less common", "Hiccups", "Bouts of hiccups lasting a few minutes."),
        ("Less Common but Serious", "serious", "Chest tightness",
         "Seek help at once in real life; this is a made-up entry."),
        ("Less Common but Serious", "serious", "Fainting", None),
        ("Severe", "serious", "Allergic reaction", "Swelling of the face or lips."),
        ("Serious", "serious", "Vision changes", "Blurred or dim sight that needs a doctor."),
        ("Mild", None, "Yawning", "Frequent yawning in the first week."),
    ]
    assert [s.line for s in a.side_effects][:3] == [line_of(path, "Drowsiness"),
                                                    line_of(path, "Dry mouth"), line_of(path, "Tingling")]
    assert a.side_effects[5].line == line_of(path, "3) Ringing ears")


def test_prose_only_tier_keeps_its_section_but_gives_no_items():
    a = parse_file(PAGES / "tiers-and-bullets.txt")
    rare = [s for s in a.sections if s.kind == "tier" and s.label == "Rare"]
    assert len(rare) == 1 and rare[0].heading == "Rare Side Effects of Veltrane"
    assert not [s for s in a.side_effects if s.tier == "Rare"]
    assert "itchy palms" not in {s.name for s in a.side_effects}


def test_other_sections_bullets_are_not_side_effects():
    a = parse_file(PAGES / "tiers-and-bullets.txt")
    names = {s.name for s in a.side_effects} | {x.name for x in a.advice}
    assert not names & {"Starting amount", "Maximum per day", "Alcohol", "Other tablets"}
    kinds = {s.heading: s.kind for s in a.sections}
    assert kinds["Dosage of Veltrane"] == kinds["Veltrane Interactions"] == "other"
    assert kinds["How Veltrane Is Taken"] == "question"  # title-case heading despite its verb
    assert [(x.kind, x.name) for x in a.advice] == [
        ("managing", "Rest in a dark room"), ("managing", "Drink water"), ("managing", "Keep a diary")]


def test_related_of_other_drugs_are_kept_but_not_related_conditions():
    a = parse_file(PAGES / "tiers-and-bullets.txt")
    assert [(r.drug, r.condition) for r in a.related] == [
        ("Veltrane", "Cluster Headache"), ("Veltrane", "Tension Headache"), ("Other Drug", "Migraine")]
    assert a.related_conditions == ["Cluster Headache", "Tension Headache"]


# --- messy text: BOM, CRLF, blank lines, trailing spaces, curly quotes, order, typos ---------------

def test_messy_format_page():
    path = PAGES / "messy-format.txt"
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # the page really is messy
    a = parse_file(path)
    assert (a.drug, a.condition, a.title) == ("Dormelin", "Insomnia", "Dormelin for Insomnia")
    assert a.active_ingredients == ("melatrozine",) and a.drug_classes == ()
    assert a.title_line == line_of(path, "Dormelin for Insomnia  ")
    assert effects(a) == [
        ("Comon", "common", "Grogginess", "A heavy, “foggy” feeling on waking."),
        ("Comon", "common", "Vivid dreams", "Dreams that feel unusually real; they fade after a week."),
        ("Serious", "serious", "Sleepwalking", "Getting up at night without remembering it."),
        ("Serious", "serious", "Confusion", "Not knowing where you are, in this made-up story."),
    ]
    for s in a.side_effects:
        assert line_of(path, f"- {s.name}:") == s.line
    # the repeated heading is kept twice, in page order, tiers before the questions
    headings = [s.heading for s in a.sections]
    assert headings.count("Serious Side Effects of Dormelin for Insomnia") == 2
    assert headings.index("Comon Side Efects of Dormelin for Insomnia") < headings.index("What Is Dormelin?")
    assert a.related_conditions == ["Jet Lag"] and not a.truncated


def test_line_endings_bom_and_spaces_do_not_change_the_article():
    raw = (PAGES / "messy-format.txt").read_bytes()
    plain = raw[3:].replace(b"\r\n", b"\n").replace(b"   \n", b"\n")
    old_mac = raw.replace(b"\r\n", b"\r")
    a, b, c = (parse_bytes(x, "p.txt").to_json() for x in (raw, plain, old_mac))
    for j in (a, b, c):
        del j["source"]
    assert a == b == c


# --- cut-off pages -------------------------------------------------------------------------------

def test_page_cut_mid_description_is_truncated_and_keeps_earlier_items():
    a = parse_file(PAGES / "cut-off.txt")
    assert a.truncated is True
    assert [s.name for s in a.side_effects] == ["Bloating", "Burping", "Chalky taste"]
    assert a.side_effects[-1].description == "A dry, mineral flavour that lingers after each"


@pytest.mark.parametrize("cut_after, truncated", [
    ("- Drowsiness: Feeling sleepy for an hour", True),  # inside a description
    ("How Veltrane Is Taken", True),  # right after a heading
    ("Rare effects are described only in words here: a handful", True),  # inside prose
    ("- Dry mouth: A parched feeling; sipping water helps in the story.", False),  # a whole item
    ("- Ting", True),  # a bare name after items that all had descriptions
    ("- Veltrane for Cluster Headache", False),  # inside the related list: nothing tells
])
def test_truncation_points(cut_after, truncated):
    raw = (PAGES / "tiers-and-bullets.txt").read_bytes()
    cut = raw[: raw.index(cut_after.encode()) + len(cut_after)]
    a = parse_bytes(cut, "cut.txt")
    assert a.truncated is truncated
    # the items before the cut are kept whole; the last one may itself be cut short
    full = parse_file(PAGES / "tiers-and-bullets.txt").side_effects
    n = len(a.side_effects)
    if n:
        assert a.side_effects[:-1] == full[: n - 1]
        last, whole = a.side_effects[-1], full[n - 1]
        assert whole.name.startswith(last.name) and (whole.description or "").startswith(last.description or "")


def test_full_pages_are_not_truncated():
    for name in ("tiers-and-bullets.txt", "messy-format.txt", "related-plain.txt", "questions.txt",
                 "page.html"):
        assert parse_file(PAGES / name).truncated is False, name


def test_utf8_cut_inside_a_character_stays_utf8():
    raw = (PAGES / "messy-format.txt").read_bytes()
    at = raw.index("“foggy”".encode()) + 1  # inside the three bytes of the opening quote
    a = parse_bytes(raw[:at], "cut.txt")
    assert a.source.encoding == "utf-8" and a.truncated is True
    assert a.side_effects[-1].description == "A heavy,"


# --- related lists -------------------------------------------------------------------------------

def test_related_list_without_bullets_and_with_separators():
    path = PAGES / "related-plain.txt"
    a = parse_file(path)
    assert [(r.drug, r.condition) for r in a.related] == [
        ("Sorvina", "Sinus Pressure"), ("Sorvina", "Nasal Polyps"), ("Sorvina", "Dust Allergy"),
        ("Sorvina", "Pet Allergy"), ("Clarivex", "Hay Fever"), ("sorvina", "itchy eyes")]
    assert a.related_conditions == ["Sinus Pressure", "Nasal Polyps", "Dust Allergy", "Pet Allergy",
                                    "itchy eyes"]
    assert a.related[3].line == a.related[2].line == line_of(path, "| Sorvina for Pet Allergy")
    # the footer after the list is not an entry and does not make the page look cut off
    assert not a.truncated
    assert not [s for s in a.sections if s.heading.startswith("Sorvina for") and s.kind != "title"]


# --- headings: questions, intros, sentence case, Markdown ----------------------------------------

def test_question_headings_about_side_effects():
    a = parse_file(PAGES / "questions.txt")
    kinds = {s.heading: (s.kind, s.label) for s in a.sections}
    assert kinds["What Are the Common Side Effects of Brantel?"] == ("tier", "Common")
    assert kinds["Are There Any Serious Side Effects?"] == ("tier", "Serious")
    assert kinds["Does Brantel Cause Side Effects?"] == ("side_effects", None)
    assert kinds["How Can I Manage Side Effects?"] == ("advice", "managing")
    assert kinds["Reporting Side Effects"] == ("other", None)
    assert kinds["Common side effects of Brantel for acid reflux"] == ("tier", "Common")
    assert kinds["Rare Side Effects"] == ("tier", "Rare")  # from "## Rare Side Effects"
    # "Lower Back Pain" is a condition, not advice about lowering a risk
    assert kinds["Side Effects of Copper Spirals for Lower Back Pain"] == ("side_effects", None)


def test_list_intros_do_not_end_a_tier():
    a = parse_file(PAGES / "questions.txt")
    assert effects(a) == [
        ("Common", "common", "Hoarse voice", "A rough voice for a few days."),
        ("Common", "common", "Sore throat", None),
        ("Serious", "serious", "Black stools", "Dark stools that need a doctor's opinion."),
        (NO_TIER, None, "Mild cramps", "Short cramps in the first week."),
        ("Common", "common", "Gas", "Passing more wind than usual."),
        ("Rare", "rare", "Hair loss", "Thinning that stops when the tablets stop."),
    ]
    headings = {s.heading for s in a.sections}
    assert "Symptoms include:" not in headings
    assert "Some of the common side effects are listed below" not in headings
    assert [x.name for x in a.advice] == ["Eat smaller meals"]  # not "Call the helpline"


@pytest.mark.parametrize("heading, kind, label, severity", [
    ("Uncomon Side Effects", "tier", "Uncomon", "less common"),
    ("Sied Effects That Are Rare", "side_effects", None, None),
    ("Rare Sied Efects", "tier", "Rare", "rare"),
    ("Serious Side-Effects", "tier", "Serious", "serious"),
    ("Long-Term Side Effects", "tier", "Long-Term", None),
    ("Frequent Adverse Reactions", "tier", "Frequent", "common"),
    ("Less Serious Side Effects", "tier", "Less Serious", None),
    ("Understanding Side Effects", "other", None, None),
    ("Preventing Side Effects", "advice", "reducing_risk", None),
    ("Lowering the Risk", "advice", "reducing_risk", None),
    ("Coping With Side Effects", "advice", "managing", None),
    ("Copper Coil Side Effects", "tier", "Copper Coil", None),  # 'copper' is not 'coping'
    ("Zelmora Side Effects", "side_effects", None, None),
    ("What Are Zelmora’s Side Effects?", "side_effects", None, None),
    ("See Also", "related", None, None),
    ("Zelmora for Knee Aches Side Effects", "side_effects", None, None),  # not a tier "for Knee Aches"
])
def test_heading_kinds(heading, kind, label, severity):
    a = parse_bytes(page(heading, "- Item one: A first item."), "h.txt")
    section = a.sections[-1]
    assert (section.heading, section.kind, section.label) == (heading, kind, label)
    if kind in ("tier", "side_effects"):
        assert [(s.tier, s.severity, s.name) for s in a.side_effects] == [
            (label or NO_TIER, severity, "Item one")]
    else:
        assert a.side_effects == ()


@pytest.mark.parametrize("line, kind", [
    ("Common Side Effects:", "tier"),  # a colon heading that names a section
    ("Related articles:", "related"),
    ("For example:", None),  # list intros stay prose
    ("These include:", None),
    ("Mirena can cause", None),  # a sentence fragment with a verb
    ("What to expect after the first month", "question"),  # sentence-case heading
])
def test_heading_or_prose(line, kind):
    a = parse_bytes(page("Rare Side Effects", line, "- Item one: A first item.", "Conclusion"), "h.txt")
    last = [s for s in a.sections if s.heading == line]
    assert (last[0].kind if last else None) == kind


def test_separators_and_bullet_styles():
    a = parse_bytes(page(
        "Common Side Effects",
        "- Dash item - described after a spaced hyphen.",
        "- En item – described after an en dash.",
        "- Em item — described after an em dash.",
        "- Tight em item—described after an unspaced em dash.",
        "- **Bold item:** described after Markdown bold.",
        "1. Numbered item: with a colon: inside the description.",
        "(2) Bracketed item: also numbered.",
        "• Round bullet item",
        "- Check-ups and 5–7 years: hyphens and en dashes inside a name stay.",
        "- Name only.",
    ), "s.txt")
    assert [(s.name, s.description) for s in a.side_effects] == [
        ("Dash item", "described after a spaced hyphen."),
        ("En item", "described after an en dash."),
        ("Em item", "described after an em dash."),
        ("Tight em item", "described after an unspaced em dash."),
        ("Bold item", "described after Markdown bold."),
        ("Numbered item", "with a colon: inside the description."),
        ("Bracketed item", "also numbered."),
        ("Round bullet item", None),
        ("Check-ups and 5–7 years", "hyphens and en dashes inside a name stay."),
        ("Name only", None),
    ]


def test_header_with_values_on_their_own_lines_and_a_class_with_for():
    raw = "\n".join(("Zelmora", "Active Ingredients", "zelmorine", "Drug Classes",
                     "Agents for Joint Pain", "Topical gels", "Zelmora for Knee Pain",
                     "Common Side Effects", "- Warmth: A warm feeling.", "")).encode()
    a = parse_bytes(raw, "h.txt")
    assert (a.drug, a.condition, a.title_line) == ("Zelmora", "Knee Pain", 7)
    assert a.active_ingredients == ("zelmorine",)
    assert a.drug_classes == ("Agents for Joint Pain", "Topical gels")


def test_synthetic_marker_is_noticed():
    a = parse_bytes(page(f"{SYNTHETIC_MARKER}. Nothing here is real."), "s.txt")
    assert a.synthetic is True
    assert parse_bytes(page("Nothing here is marked."), "s.txt").synthetic is False


# --- HTML ----------------------------------------------------------------------------------------

def test_html_page():
    path = PAGES / "page.html"
    a = parse_file(path)
    assert a.source.format == "html"
    assert (a.drug, a.condition, a.title_line) == ("Nimbrax", "Back Pain", line_of(path, "<h1>"))
    assert a.active_ingredients == ("nimbracaine",)
    assert a.drug_classes == ("Invented muscle relaxants",)
    assert effects(a) == [
        ("Common", "common", "Headaches", "Dull pain behind the eyes."),
        ("Common", "common", "Stomach upset", "Mild queasiness after a dose."),
        ("Common", "common", "Muscle twitching", "Small jumps in the calves; they stop within days."),
        ("Rare", "rare", "Rash that itches", "Red patches on the arms."),
    ]
    # line numbers are lines of the HTML file, where each item's text starts
    assert [s.line for s in a.side_effects] == [
        line_of(path, "<strong>Head</strong>"), line_of(path, "<b>Stomach upset</b>"),
        line_of(path, "Muscle <i>twitching</i>"), line_of(path, "Rash<br>")]
    assert a.related_conditions == ["Neck Pain", "Leg Cramps"]
    assert [r.line for r in a.related] == [line_of(path, "nimbrax-neck"), line_of(path, "nimbrax-cramps")]


def test_html_drops_scripts_styles_comments_and_menus():
    a = parse_file(PAGES / "page.html")
    text = json.dumps(a.to_json())
    for dropped in ("trackMe", "color: red", "Commented Out", "Everything", "Script Injection", "Home"):
        assert dropped not in text
    assert [s.kind for s in a.sections].count("tier") == 2


def test_html_detected_by_content_and_by_name():
    assert looks_like_html("<!DOCTYPE html><html>", "page.txt")
    assert looks_like_html("Zelmora\n", "saved.HTML")
    assert not looks_like_html("Zelmora\nZelmora for Knee Pain\n", "page.txt")


# --- encodings and bad input ---------------------------------------------------------------------

def test_cp1252_page():
    a = parse_file(PAGES / "cp1252.txt")
    assert a.source.encoding == "cp1252"
    assert effects(a) == [
        ("Common", "common", "Stinging", "A “prickly” feeling for a minute."),
        ("Common", "common", "Dry patches", "Skin that flakes near the café-au-lait mark.")]


def test_latin1_page():
    a = parse_file(PAGES / "latin1.txt")
    assert a.source.encoding == "latin-1"
    assert a.side_effects[0].description == "Pink\x81 skin after the gel, as naïve users note."


def test_utf16_page_with_byte_order_mark():
    raw = (PAGES / "cp1252.txt").read_bytes().decode("cp1252").encode("utf-16")
    a = parse_bytes(raw, "u16.txt")
    assert a.source.encoding == "utf-16" and len(a.side_effects) == 2


def test_bom_with_invalid_utf8_falls_back_without_the_bom():
    text, encoding = decode(b"\xef\xbb\xbfZelmora\nZelmora for Knee Pain \x92ok\x92\n")
    assert encoding == "cp1252" and text.startswith("Zelmora\n") and "’ok’" in text


@pytest.mark.parametrize("name, line, expected", [
    ("empty.txt", 1, "empty file"),
    ("blank.txt", 1, "empty file"),
    ("binary.bin", 1, "binary data"),
    ("no-title.txt", 3, "'<Drug> for <Condition>' title"),
])
def test_bad_pages_raise_page_error_naming_file_and_line(name, line, expected):
    path = PAGES / name
    with pytest.raises(PageError) as err:
        parse_file(path)
    e = err.value
    assert (e.path, e.line) == (str(path), line)
    assert expected in e.expected
    assert str(e).startswith(f"{path}:{line}: ")
    again = pickle.loads(pickle.dumps(e))
    assert (again.path, again.line, again.expected) == (e.path, e.line, e.expected)


def test_binary_without_nul_bytes_is_rejected_with_its_line():
    raw = b"Zelmora\nZelmora for Knee Pain\n" + bytes(range(1, 32)) * 20
    with pytest.raises(PageError) as err:
        parse_bytes(raw, "noise.dat")
    assert "binary data" in err.value.expected and err.value.line == 3


def test_title_too_far_down_is_an_error_at_the_last_line_searched():
    raw = "\n".join(["Zelmora"] + [f"Filler line number {i}." for i in range(20)]
                    + ["Zelmora for Knee Pain"]).encode()
    with pytest.raises(PageError) as err:
        parse_bytes(raw, "far.txt")
    assert err.value.line == 15


def test_bom_only_file_is_an_error():
    with pytest.raises(PageError) as err:
        parse_bytes(b"\xef\xbb\xbf\r\n", "bom.txt")
    assert err.value.line == 1
