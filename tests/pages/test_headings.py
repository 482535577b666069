"""Headings (explorer.pages.headings): which lines read as headings, what section a heading opens on
its page (the page's own drug and condition blanked out first), and the stand-in swap that lets
headings naming different drugs share one cache entry without reading differently."""
from __future__ import annotations

import random

import pytest

from explorer.pages import headings
from explorer.pages.classify import classify_line
from explorer.pages.headings import CUED, heading_key, heading_kind, heading_line, page_subject
from explorer.vocabulary import SECTION_KINDS


def kind_on_page(text: str, drug: str = "Zelmora", condition: str = "Knee Pain", hint: str | None = None):
    """(kind, label) of a heading line on the page of ``drug`` for ``condition``, as the parser reads it."""
    subject = page_subject(drug, condition)
    kind, body, key, known = classify_line(text, hint, subject)
    assert kind == "heading", text
    return heading_kind(body, key, known, subject)


@pytest.mark.parametrize("heading, kind, label", [
    ("Common Side Effects", "tier", "Common"),
    ("Uncomon Side Effects", "tier", "Uncomon"),  # the tier as written, typo included
    ("Sied Effects That Are Rare", "side_effects", None),  # one typo per word is allowed
    ("Rare Sied Efects", "tier", "Rare"),
    ("Serious Side-Effects", "tier", "Serious"),
    ("Long-Term Side Effects", "tier", "Long-Term"),  # an unknown tier is kept as written
    ("Frequent Adverse Reactions", "tier", "Frequent"),
    ("Less Serious Side Effects", "tier", "Less Serious"),
    ("Understanding Side Effects", "other", None),  # a gerund does not name a tier
    ("Preventing Side Effects", "advice", "reducing_risk"),
    ("Lowering the Risk", "advice", "reducing_risk"),
    ("Coping With Side Effects", "advice", "managing"),
    ("What to Do About Side Effects", "advice", "managing"),
    ("Copper Coil Side Effects", "tier", "Copper Coil"),  # 'copper' is not 'coping'
    ("Zelmora Side Effects", "side_effects", None),  # the page's drug is no tier
    ("What Are Zelmora’s Side Effects?", "side_effects", None),
    ("Zelmora for Knee Aches Side Effects", "side_effects", None),  # not a tier "for Knee Aches"
    ("See Also", "related", None),
    ("Related articles:", "related", None),
    ("Zelmora Reviews", "reviews", None),
    ("Dosage of Zelmora", "other", None),
    ("Zelmora Interactions", "other", None),
    ("How to Use Zelmora", "other", None),
    ("Tips", "advice", "managing"),
    ("How Zelmora Is Taken", "question", None),  # title case despite its verb
    ("What to expect after the first month", "question", None),  # sentence case without a verb
])
def test_heading_kinds_from_their_cue_words(heading, kind, label):
    assert kind_on_page(heading) == (kind, label)
    assert kind in SECTION_KINDS


@pytest.mark.parametrize("heading, drug, condition, kind, label", [
    ("What Are the Common Side Effects of Brantel?", "Brantel", "Acid Reflux", "tier", "Common"),
    ("Are There Any Serious Side Effects?", "Brantel", "Acid Reflux", "tier", "Serious"),
    ("Does Brantel Cause Side Effects?", "Brantel", "Acid Reflux", "side_effects", None),
    ("How Can I Manage Side Effects?", "Brantel", "Acid Reflux", "advice", "managing"),
    ("Reporting Side Effects", "Brantel", "Acid Reflux", "other", None),
    ("Common side effects of Brantel for acid reflux", "Brantel", "Acid Reflux", "tier", "Common"),
])
def test_question_and_sentence_case_headings_about_side_effects(heading, drug, condition, kind, label):
    assert kind_on_page(heading, drug, condition) == (kind, label)


@pytest.mark.parametrize("heading, condition, kind, label", [
    # the condition holds a cue word ("lower", "management", "common"): blanked out, it decides nothing
    ("Common Side Effects of Zelmora for Lower Back Pain", "Lower Back Pain", "tier", "Common"),
    ("Rare Side Effects of Zelmora for Stress Management", "Stress Management", "tier", "Rare"),
    ("Side Effects of Zelmora for Common Cold", "Common Cold", "side_effects", None),
    ("Common Cold Side Effects", "Common Cold", "side_effects", None),
    # the cue outside the subject still counts
    ("Managing Side Effects of Zelmora for Stress Management", "Stress Management", "advice", "managing"),
    ("Lowering the Risk of Zelmora for Lower Back Pain", "Lower Back Pain", "advice", "reducing_risk"),
])
def test_the_pages_own_condition_is_no_cue(heading, condition, kind, label):
    assert kind_on_page(heading, "Zelmora", condition) == (kind, label)


def test_the_same_heading_reads_by_the_page_it_stands_on():
    # "Mirena Side Effects": no tier on Mirena's page, an unknown tier "Mirena" on another drug's page;
    # caches keyed by the heading must not carry one page's reading to the other, in either order
    for _ in range(2):
        assert kind_on_page("Mirena Side Effects", "Mirena", "Back Pain") == ("side_effects", None)
        assert kind_on_page("Mirena Side Effects", "Kyleena", "Back Pain") == ("tier", "Mirena")
    assert kind_on_page("Common Cold Side Effects", "Zelmora", "Back Pain") == ("tier", "Common Cold")


def test_a_heading_by_markup_gets_its_kind_from_its_text():
    assert kind_on_page("Rare Side Effects", hint="heading") == ("tier", "Rare")
    # markup makes a heading of any text; the kind is still read from the words
    assert kind_on_page("Zelmora is taken twice a day.", hint="heading") == ("question", None)


@pytest.mark.parametrize("line, reads", [
    ("Common Side Effects:", CUED),  # a colon heading that names a section
    ("Related articles:", ("related", None)),
    ("How Veltrane Is Taken", ("question", None)),
    ("Are there risks?", CUED),  # a question is a heading
    ("For example:", None),  # list intros stay prose
    ("These include:", None),
    ("Symptoms include:", None),
    ("Mirena can cause", None),  # a sentence fragment with a verb
    ("side effects in lower case", None),  # a heading starts with a capital, digit or quote
    ("Fine. Then it stops", None),  # two sentences
    ("One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
     "seventeen", None),  # more than 16 words
    ("“Quoted” Headline", ("question", None)),
])
def test_heading_line_tells_headings_from_prose(line, reads):
    assert heading_line(line) == reads


# --- the stand-in swap ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, drug, key", [
    ("Common Side Effects of Mirena", "Mirena", "Common Side Effects of Zqxjv"),
    ("Mirena's Side Effects: Mirena", "Mirena", "Zqxjv's Side Effects: Zqxjv"),
    ("Side effects of mirena", "Mirena", None),  # written in another case than the title
    ("Mirenas Side Effects", "Mirena", None),  # inside a longer word
    ("Mirena_x Side Effects", "Mirena", None),
    ("Mirena Side Effects – Überblick", "Mirena", None),  # not ASCII
    ("Zqxjv and Mirena", "Mirena", None),  # the stand-in already there
    ("Tips Side Effects", "Tips", None),  # a drug spelled like a rule word is never swapped
    ("Side Effects of Abc", "Abc", None),  # shorter than four letters
    ("Side Effects of X-Ray", "X-Ray", None),  # not a plain word
    ("Side Effects of MIRENA", "MIRENA", None),  # not capitalised like a name
])
def test_heading_key_swaps_the_drug_only_where_that_cannot_change_the_reading(text, drug, key):
    assert heading_key(text, page_subject(drug, "Back Pain")) == (key or text)


def test_heading_key_without_a_subject_is_the_text():
    assert heading_key("Common Side Effects of Mirena", None) == "Common Side Effects of Mirena"


def test_the_stand_in_obeys_the_rule_it_stands_in_for():
    assert headings._swappable(headings._STAND_IN, "Back Pain")


_SWAP_DRUGS = ["Draxquivane", "Mirena", "Include", "Side", "Effects", "Exacts", "Lower", "Tipsy",
               "Related", "Common", "Rare", "Severe", "Serious", "Managing", "Neck", "Pain", "Their",
               "Sied", "Adverse", "Cold", "Zqxjv", "Long", "Possible", "Known", "Other", "Articles",
               "Dose", "Tips", "Doctor"]
_SWAP_CONDITIONS = ["Back Pain", "Lower Back Pain", "Common Cold", "Neck Swelling", "Side Pain", "Tips",
                    "Risk of Falls", "Knee Effects", "Draxquivane Rash"]
_SWAP_WORDS = ("side effects efects effect adverse common less rare serious managing tips doctor reducing "
               "risk lower lowering the your of for and what to do reviews dosage how use related see also "
               "other articles is are can include Side Effects Common Rare Serious Managing Reducing Risk "
               "Lower What How Can Does Understanding Using Who Might Help With Link Between Reviews "
               "Related Articles").split()


def classify_heading(text: str, drug: str, condition: str):
    """None for prose, else the section (kind, label) of a short line without a bullet, computed
    without the swap (the page's own subject strings)."""
    if not headings._reads_as_heading(text):
        return None
    plain = text.rstrip(":").strip()
    return headings._subject_free_kind(plain) or headings._page_cued_kind(
        plain, drug, condition, headings._subjects(drug, condition))


def random_heading(rng: random.Random, drug: str, condition: str) -> str:
    """A heading-like line mixing the drug (whole, possessive, in parentheses, upper-cased, glued to
    a suffix), the condition and the words the heading rules look at."""
    forms = [drug, drug, condition, condition.lower(), "(" + drug, drug.upper(), "for",
             drug + rng.choice(["'s", "?", ":", "s", "_x"])]
    words = [rng.choice(forms) if rng.random() < 0.4 else rng.choice(_SWAP_WORDS)
             for _ in range(rng.randint(1, 9))]
    text = rng.choice([" ", "  ", "-"]).join(words) + rng.choice(["", "", ":", "?", " Side Effects"])
    return text[:1].upper() + text[1:]


@pytest.mark.parametrize("tries", [
    10_000,
    pytest.param(200_000, marks=pytest.mark.slow),  # a longer hunt
])
def test_headings_read_the_same_with_the_drug_swapped_for_the_stand_in(tries):
    """A heading naming its page's drug is classified as the heading with the stand-in instead."""
    rng = random.Random(11)
    swapped = 0
    for _ in range(tries):
        drug, condition = rng.choice(_SWAP_DRUGS), rng.choice(_SWAP_CONDITIONS)
        text = random_heading(rng, drug, condition).strip()
        if (not text or not headings._swappable(drug, condition) or len(text) > 120
                or text[-1] in ".,;!…" or drug.lower() not in text.lower()):
            continue
        key = heading_key(text, page_subject(drug, condition))
        if key == text:
            continue
        swapped += 1
        direct = classify_heading(text, drug, condition)
        assert classify_heading(key, headings._STAND_IN, condition) == direct, text
        # and the parser's own path (classify_line, then heading_kind) gives the same
        if direct is not None:
            assert kind_on_page(text, drug, condition) == direct, text
    assert swapped > tries // 10  # the swap was really tried, many times
