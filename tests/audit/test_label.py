"""The label check: reference loading, claim matching, tier check, premises, numbers, reports, chart."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import Corpus, parse_file
from explorer import label
from explorer.config import PROJECT_ROOT, REFERENCE_DIR
from explorer.label import (CLAIM_COLUMNS, CLAIM_PRECEDENCE, COVERAGE_NOTE, LabelFactsSchema, Matcher,
                            audit_report, claim_matches, claims_csv, claims_table, load_label_facts,
                            load_label_numbers, load_synonyms, normalise, premises_table, tier_check)
from explorer.label_numbers import extract_numbers, number_checks

SEED = PROJECT_ROOT / "data" / "raw" / "mirena-back-pain.txt"
REFERENCE_CSV = REFERENCE_DIR / "mirena_label_facts.csv"

# A clearly made-up drug, used only here to show a second drug needs data, not code.
FAKE_FACTS = """product,term,category,incidence_percent,label_version,label_section,evidence,source_url
Testozanib (FAKE),made-up itching,adverse_reaction,12.5,current,6.1,verified,https://example.invalid/fake-label
Testozanib (FAKE),made-up itching,adverse_reaction,3.0,superseded,6.1,verified,https://example.invalid/fake-old-label
Testozanib (FAKE),imaginary nosebleeds,warning,,current,5.1,secondary,https://example.invalid/fake-label
Testozanib (FAKE),fictional fatigue,indication,,current,1.1,verified,https://example.invalid/fake-label
"""
FAKE_PAGE = """Testozanib (FAKE)
Testozanib (FAKE) for Fictional Fatigue
What is Testozanib?
This page is made up for a test. It lasts up to 9 years, they say, and 12.5% of users report itching.
Testozanib (FAKE) for Fictional Fatigue Side Effects
Common Side Effects
- Made-up itching: a made-up claim.
- Imaginary nosebleed: another made-up claim.
- Headaches: Mirena's label must not be used for this drug.
Related Articles:
- Testozanib (FAKE) for Imaginary Nosebleeds
"""


@pytest.fixture(scope="module")
def seed() -> Corpus:
    return Corpus.from_articles([parse_file(SEED)])


@pytest.fixture(scope="module")
def facts() -> pd.DataFrame:
    return load_label_facts()


@pytest.fixture(scope="module")
def synonyms() -> pd.DataFrame:
    return load_synonyms()


@pytest.fixture(scope="module")
def claims(seed, facts, synonyms) -> pd.DataFrame:
    return claims_table(seed.side_effects, facts, synonyms)


@pytest.fixture(scope="module")
def matcher(facts, synonyms) -> Matcher:
    return Matcher(facts, synonyms, "Mirena", tuple(CLAIM_PRECEDENCE))


def claim(claims: pd.DataFrame, name: str) -> pd.Series:
    rows = claims[claims["claim"] == name]
    assert len(rows) == 1, name
    return rows.iloc[0]


# --- reference data -------------------------------------------------------------------------------

def test_label_facts_keep_every_row_and_column(facts):
    raw = pd.read_csv(REFERENCE_CSV, dtype=str, keep_default_na=False)
    assert len(facts) == len(raw) == 43
    assert list(facts.columns[: len(raw.columns)]) == list(raw.columns)
    for col in raw.columns:
        got = facts[col].astype("string").fillna("")
        want = raw[col] if col != "incidence_percent" else raw[col].map(lambda v: f"{float(v):g}" if v else "")
        if col == "incidence_percent":
            got = facts[col].map(lambda v: "" if pd.isna(v) else f"{v:g}")
        assert got.tolist() == want.tolist(), col
    assert facts["reference_line"].tolist() == list(range(2, 45))
    LabelFactsSchema.validate(facts)


def test_second_drug_needs_a_file_not_code(tmp_path):
    shutil.copy(REFERENCE_CSV, tmp_path)
    (tmp_path / "testozanib_label_facts.csv").write_text(FAKE_FACTS, encoding="utf-8")
    facts = load_label_facts(tmp_path)
    assert set(facts["product"].astype(str)) == {"Mirena", "Testozanib (FAKE)"}
    page = tmp_path / "testozanib-fatigue.txt"
    page.write_text(FAKE_PAGE, encoding="utf-8")
    corpus = Corpus.from_articles([parse_file(page)])
    claims = claims_table(corpus.side_effects, facts, load_synonyms(tmp_path))
    by_name = claims.set_index("claim")
    assert by_name.loc["Made-up itching", "status"] == "label adverse reaction"
    assert by_name.loc["Made-up itching", "incidence_current"] == 12.5
    assert by_name.loc["Made-up itching", "incidence_superseded"] == 3.0
    assert by_name.loc["Imaginary nosebleed", "status"] == "label warning"  # plural on one side only
    # another drug's label is never used: Mirena lists headache, this drug does not
    assert by_name.loc["Headaches", "status"] == "not among the captured label facts"
    premises = premises_table(corpus.articles, corpus.related, facts)
    assert premises.set_index("premise_condition")["status"].to_dict() == {
        "Fictional Fatigue": "approved indication", "Imaginary Nosebleeds": "label warning"}


def test_one_long_table_works_too(tmp_path):
    long = REFERENCE_CSV.read_text(encoding="utf-8") + "".join(FAKE_FACTS.splitlines(True)[1:])
    (tmp_path / "all_label_facts.csv").write_text(long, encoding="utf-8")
    facts = load_label_facts(tmp_path)
    assert len(facts) == 43 + 4
    assert facts["reference_file"].astype(str).unique().tolist() == ["all_label_facts.csv"]


@pytest.mark.parametrize("old, new, message", [
    ("adverse_reaction,31.9", "adverse,31.9", "mirena_label_facts.csv:4: expected category"),
    ("adverse_reaction,31.9", "adverse_reaction,131.9", "mirena_label_facts.csv:4: column 'incidence_percent'"),
    ("adverse_reaction,31.9", "adverse_reaction,lots", "mirena_label_facts.csv:4: expected a number"),
    ("current,6.1 Table 1,verified,https://mdtodate.com/mirena-side-effects/\nMirena,decreased",
     "current,6.1 Table 1,verified,\nMirena,decreased", "mirena_label_facts.csv:4: column 'source_url'"),
])
def test_bad_reference_rows_name_file_and_line(tmp_path, old, new, message):
    text = REFERENCE_CSV.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "mirena_label_facts.csv").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        load_label_facts(tmp_path)


def test_every_synonym_points_at_a_real_label_term(facts, synonyms):
    terms = set(facts["term"].astype(str))
    unknown = sorted(set(synonyms["label_term"].astype(str)) - terms)
    assert unknown == []
    assert synonyms["note"].str.len().min() > 10  # each synonym says why


def test_label_numbers_come_from_data_with_a_source():
    numbers = load_label_numbers()
    current = numbers[numbers["label_version"] == "current"].set_index("use")["value"].to_dict()
    assert current == {"contraception": 8.0, "heavy menstrual bleeding": 5.0}
    assert sorted(numbers.loc[numbers["label_version"] == "superseded", "value"]) == [5.0, 6.0, 7.0]
    assert numbers["source_note"].str.contains("Known facts not in the rows").all()


# --- matching -------------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, terms, method", [
    ("Headaches", ["headache/migraine"], "normalised"),  # plural
    ("HEADACHE", ["headache/migraine"], "normalised"),  # case
    ("Migraines", ["headache/migraine"], "normalised"),  # one side of a slash
    ("Pelvic pain", ["abdominal/pelvic pain"], "normalised"),  # slash between words
    ("Uterus perforation", ["uterine perforation"], "synonym"),  # word order + synonym
    ("Perforation of the uterus", ["uterine perforation"], "synonym"),
    ("Mood changes", ["depressed/altered mood"], "synonym"),
    ("Breast pain", ["breast tenderness/pain"], "normalised"),  # near miss of "breast cancer"
    ("Amenorhea", ["amenorrhea"], "fuzzy"),  # a typo
    ("Perforation of the uterous", ["uterine perforation"], "fuzzy"),  # a typo of a synonym
    ("Infection", ["pelvic inflammatory disease (PID) / endometritis", "sepsis (Group A streptococcal)"],
     "synonym"),  # several matches, see the module docstring
])
def test_claims_match_label_terms(matcher, phrase, terms, method):
    found = matcher.match(phrase)
    assert [m.term for m in found] == terms
    assert {m.method for m in found} == {method}
    assert all(m.score >= label.FUZZY_THRESHOLD for m in found)


@pytest.mark.parametrize("phrase", [
    "Blood clots", "Weight gain", "Dizziness", "Nausea and vomiting", "Back pain", "Pain", "Bleeding",
    "Mirena’s hormonal effects",
    "Increased uterine bleeding",  # fuzzy-close to "decreased uterine bleeding": must not match
    "Breast swelling", "Acme", "Vaginal infection", "",
])
def test_no_match_is_better_than_a_wrong_one(matcher, phrase):
    assert matcher.match(phrase) == []


def test_breast_pain_never_matches_breast_cancer(matcher):
    assert "breast cancer" not in [m.term for m in matcher.match("Breast pain")]
    assert "breast tenderness/pain" not in [m.term for m in matcher.match("Breast cancer")]


def test_fuzzy_score_is_recorded_and_below_100(matcher):
    (m,) = matcher.match("Amenorhea")
    assert 90 <= m.score < 100


def test_claims_never_match_indications(facts, synonyms):
    se = pd.DataFrame({"drug": ["Mirena"], "name": ["Contraception"]})
    assert claim_matches(se, facts, synonyms)["match_method"].tolist() == ["none"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9), min_size=1, max_size=5),
       st.randoms(use_true_random=False))
def test_normalise_ignores_word_order_and_case(word_list, rnd):
    shuffled = list(word_list)
    rnd.shuffle(shuffled)
    assert normalise(" ".join(word_list)) == normalise(" ".join(shuffled).upper())


# --- the claims table on the seed -----------------------------------------------------------------

SEED_STATUS = {
    "Mirena’s hormonal effects": "not among the captured label facts",
    "Weight gain": "not among the captured label facts",
    "Mood changes": "superseded label only",
    "Headaches": "label adverse reaction",
    "Dizziness": "not among the captured label facts",
    "Nausea and vomiting": "not among the captured label facts",
    "Perforation of the uterus": "label warning",
    "Infection": "label warning",
    "Blood clots": "not among the captured label facts",
}


def test_each_seed_claim_has_its_status(claims):
    assert dict(zip(claims["claim"], claims["status"].astype(str))) == SEED_STATUS
    assert list(claims.columns) == list(CLAIM_COLUMNS)


def test_seed_claims_carry_their_citations(claims):
    perforation = claim(claims, "Perforation of the uterus")
    assert perforation["label_term"] == "uterine perforation"
    assert perforation["label_section"] == "5.5"
    assert perforation["source_url"] == "https://docslib.org/doc/7138861/mirena-safely-and-effectively"
    headaches = claim(claims, "Headaches")
    assert headaches["label_term"] == "headache/migraine"
    assert headaches["label_section"] == "6.1 Table 1 | 6.1"
    assert (headaches["incidence_current"], headaches["incidence_superseded"]) == (16.3, 7.7)
    assert "16.3%; current label, section 6.1 Table 1" in headaches["citation"]
    assert "https://mdtodate.com/mirena-side-effects/" in headaches["citation"]
    mood = claim(claims, "Mood changes")
    assert np.isnan(mood["incidence_current"]) and mood["incidence_superseded"] == 6.4
    infection = claim(claims, "Infection")
    assert infection["label_section"] == "5.4 | 5.3"
    assert "broader than any label term" in infection["match_note"]
    for name, status in SEED_STATUS.items():
        row = claim(claims, name)
        assert pd.isna(row["citation"]) == (status == "not among the captured label facts")


def test_claims_keep_provenance(seed, claims):
    se = seed.side_effects
    for col in ("source_file", "sha256", "line", "drug", "condition", "tier"):
        assert claims[col].astype(str).tolist() == se[col].astype(str).tolist()
    assert claims["claim"].tolist() == se["name"].tolist()


def test_tier_check_on_the_seed(claims):
    check = dict(zip(claims["claim"], claims["tier_check"].astype(str)))
    assert check["Headaches"] == "disagrees"  # less common on the page, 16.3% in the current label
    assert check["Mood changes"] == "agrees"
    assert check["Perforation of the uterus"] == check["Infection"] == "agrees"
    assert check["Blood clots"] == "not comparable"
    assert "16.3%" in claim(claims, "Headaches")["tier_note"]


@pytest.mark.parametrize("args, expected", [
    (("serious", "label adverse reaction", 16.3, 7.7, "adverse_reaction"), "disagrees"),
    (("serious", "label warning", np.nan, np.nan, "warning"), "agrees"),
    (("common", "label warning", np.nan, np.nan, "warning"), "disagrees"),  # common, no incidence
    (("less common", "label warning", np.nan, np.nan, "warning"), "not comparable"),
    (("common", "label adverse reaction", 22.6, 12.8, "adverse_reaction"), "agrees"),
    (("common", "label adverse reaction", 0.5, np.nan, "adverse_reaction"), "disagrees"),
    (("rare", "label adverse reaction", 3.5, np.nan, "adverse_reaction"), "disagrees"),
    (("rare", "label adverse reaction", 0.05, np.nan, "adverse_reaction"), "agrees"),
    (("less common", "superseded label only", np.nan, 4.9, "adverse_reaction"), "agrees"),
    ((None, "label adverse reaction", 16.3, np.nan, "adverse_reaction"), "not comparable"),
    (("serious", "not among the captured label facts", np.nan, np.nan, None), "not comparable"),
])
def test_tier_rule(args, expected):
    assert tier_check(*args)[0] == expected


def test_common_claim_without_incidence_is_worded_with_care():
    _, note = tier_check("common", "label warning", np.nan, np.nan, "warning")
    assert "captured label facts give no incidence" in note
    assert "not in the label" not in note


def test_matching_runs_once_per_unique_claim_and_scales(seed, facts, synonyms, monkeypatch):
    se = seed.side_effects
    big = pd.concat([se] * 3000, ignore_index=True)  # 27,000 rows, 9 unique claims
    calls = []
    real = Matcher.match
    monkeypatch.setattr(Matcher, "match", lambda self, p: calls.append(p) or real(self, p))
    out = claims_table(big, facts, synonyms)
    assert len(calls) == 9
    assert len(out) == len(big)
    small = claims_table(se, facts, synonyms)
    pd.testing.assert_frame_equal(out.iloc[-9:].reset_index(drop=True), small)


# --- premises -------------------------------------------------------------------------------------

def test_seed_premises(seed, facts, synonyms):
    p = premises_table(seed.articles, seed.related, facts, synonyms)
    assert len(p) == 36
    status = dict(zip(p["premise_condition"], p["status"].astype(str)))
    assert status["Heavy Menstrual Bleeding"] == "approved indication"
    assert status["Birth Control"] == "approved indication"
    assert status["Ectopic Pregnancy"] == "label warning"
    assert status["Breast Cancer"] == "label contraindication"
    assert status["Back Pain"] == "none of the captured label facts"
    assert status["Postpartum Breast Pain"] == "none of the captured label facts"  # near miss
    back = p[p["premise_condition"] == "Back Pain"].iloc[0]
    assert (back["origin"], back["line"]) == ("page", 4)
    assert p.loc[p["origin"] == "related link", "line"].tolist() == list(range(61, 96))
    breast = p[p["premise_condition"] == "Breast Cancer"].iloc[0]
    assert "contraindication" in breast["label_category"] and "section 4" in breast["citation"]


# --- numbers --------------------------------------------------------------------------------------

def test_seed_number_flag(seed):
    n = number_checks(seed.articles)
    flagged = n[n["flagged"]]
    assert len(flagged) == 1
    row = flagged.iloc[0]
    assert (row["line"], row["text"], row["low"], row["high"]) == (14, "five to seven years", 5.0, 7.0)
    assert row["status"] == "matches superseded label"
    assert "contraception up to 8 years" in row["label_value"]
    assert SEED.read_text(encoding="utf-8").splitlines()[row["line"] - 1].count("five to seven years") == 1


@pytest.mark.parametrize("text, expected", [
    ("It is removed after five to seven years.", [(5.0, 7.0, "year")]),
    ("Replace it after 8 years.", [(8.0, 8.0, "year")]),
    ("It lasts up to eight-years.", [(8.0, 8.0, "year")]),
    ("About twenty-five percent of users, 16.3 % of others and 3 per cent more.",
     [(25.0, 25.0, "percent"), (16.3, 16.3, "percent"), (3.0, 3.0, "percent")]),
    ("Bleeding may last 3-6 months.", [(3.0, 6.0, "month")]),
    ("One of the side effects is acne.", []),
    ("Version 2.0 of the page.", []),
])
def test_extract_numbers(text, expected):
    assert [(m.low, m.high, m.unit) for m in extract_numbers(text)] == expected


def _page(tmp_path: Path, body: str) -> Corpus:
    page = tmp_path / "mirena-test.txt"
    page.write_text("Mirena for Testing\nWhat is it?\n" + body + "\n", encoding="utf-8")
    return Corpus.from_articles([parse_file(page)])


@pytest.mark.parametrize("body, status", [
    ("Mirena can stay in place for up to 8 years.", "matches current label"),
    ("Mirena lasts up to 96 months.", "matches current label"),
    ("Mirena must be removed after 7 years.", "matches superseded label"),
    ("Mirena must be removed after 10 years.", "differs from the label"),
    ("Headaches were reported by 16.3% of users.", "matches current label"),
    ("Headaches were reported by 7.7% of users.", "matches superseded label"),
    ("Headaches were reported by 40% of users.", "differs from the label"),
    ("Mirena is over 99% effective.", "not compared"),
    ("Women aged over 30 years can use it.", "not compared"),
    ("Acne and headaches were reported by 7% of users.", "not compared"),  # two terms: ambiguous
])
def test_numbers_against_the_label(tmp_path, body, status):
    n = number_checks(_page(tmp_path, body).articles)
    assert n["status"].astype(str).tolist() == [status]
    assert n["flagged"].tolist() == [status in ("matches superseded label", "differs from the label")]
    assert n["line"].tolist() == [3]


def test_unreadable_or_changed_sources_are_reported_not_dropped(tmp_path):
    corpus = _page(tmp_path, "Mirena must be removed after 7 years.")
    page = tmp_path / "mirena-test.txt"
    page.write_text(page.read_text() + "Changed.\n")
    with pytest.warns(UserWarning, match="sha256 differs"):
        n = number_checks(corpus.articles)
    assert n.empty and n.attrs["skipped"][0][0] == str(page)
    page.unlink()
    with pytest.warns(UserWarning, match="source file not found"):
        n = number_checks(corpus.articles)
    report = audit_report(corpus)
    assert "not read for the number check" in report and "source file not found" in report


def test_numbers_in_html_pages_get_their_source_line(tmp_path):
    page = tmp_path / "mirena.html"
    page.write_text("<html><body>\n<h1>Mirena for Testing</h1>\n<h2>What is it?</h2>\n"
                    "<p>It is removed\nafter five years.</p>\n<p>Replace it after 7 years.</p>\n</body></html>\n")
    corpus = Corpus.from_articles([parse_file(page)])
    n = number_checks(corpus.articles)
    assert list(zip(n["line"], n["status"].astype(str))) == [(5, "matches current label"),
                                                             (6, "matches superseded label")]


# --- reports --------------------------------------------------------------------------------------

def test_text_report(seed):
    text = audit_report(seed)
    assert text.startswith("LABEL CHECK\nNote: " + COVERAGE_NOTE)
    assert "label adverse reaction 1, label warning 2, superseded label only 1, " \
           "not among the captured label facts 5" in text
    assert "data/raw/mirena-back-pain.txt:14 'five to seven years'" in text
    assert "Breast Cancer" in text and "label contraindication" in text
    # "not in the label" is only ever said to deny it
    assert "not in the label" not in text.replace(COVERAGE_NOTE, "")


def test_json_and_csv_reports(seed):
    data = json.loads(audit_report(seed, "json"))
    assert data["coverage_note"] == COVERAGE_NOTE
    assert [len(data[k]) for k in ("claims", "premises", "numbers")] == [9, 36, 1]
    assert data["claims"][6]["status"] == "label warning" and data["claims"][6]["line"] == 40
    text = audit_report(seed, "csv")
    assert text.splitlines()[0] == f"# {COVERAGE_NOTE}"
    assert [line for line in text.splitlines() if line in ("# claims", "# premises", "# numbers")] == [
        "# claims", "# premises", "# numbers"]
    with pytest.raises(ValueError, match="unknown format"):
        audit_report(seed, "xml")


def test_claims_csv_round_trip(claims):
    text = claims_csv(claims)
    assert text.startswith("# " + COVERAGE_NOTE)
    back = pd.read_csv(io.StringIO(text), skiprows=1)
    assert list(back.columns) == list(CLAIM_COLUMNS)
    assert back["status"].tolist() == claims["status"].astype(str).tolist()
    assert back["citation"].fillna("").tolist() == claims["citation"].fillna("").tolist()


def test_reports_use_corpus_label_facts_when_present(seed, tmp_path):
    (tmp_path / "mirena_label_facts.csv").write_text(
        REFERENCE_CSV.read_text(encoding="utf-8").replace("uterine perforation,warning", "uterine perforation,contraindication"))
    corpus = Corpus(**{**seed.__dict__, "label_facts": load_label_facts(tmp_path)})
    data = json.loads(audit_report(corpus, "json"))
    assert data["claims"][6]["status"] == "label contraindication"


# --- the chart ------------------------------------------------------------------------------------

def test_claims_by_status_chart(claims):
    from explorer.charts import claims_by_status

    fig = claims_by_status(claims)
    assert [t.type for t in fig.data] == ["bar"] * 5
    assert [t.name for t in fig.data] == list(label.STATUS_LEVELS)
    assert all(list(t.y) == ["Back Pain"] for t in fig.data)  # one bar per condition
    assert [list(t.x) for t in fig.data] == [[1], [2], [0], [1], [5]]
    assert "partial" in fig.layout.annotations[0].text
    # two conditions: a bar each, most claims first, statuses counted per condition
    two = pd.concat([claims, claims.iloc[:3].assign(condition="Acne")], ignore_index=True)
    fig = claims_by_status(two)
    assert list(fig.data[0].y) == ["Back Pain", "Acne"]
    totals = np.sum([list(t.x) for t in fig.data], axis=0)
    assert totals.tolist() == [9, 3]


def test_claims_by_status_escapes_page_text(claims):
    from explorer.charts import claims_by_status

    evil = claims.copy()
    evil["claim"] = evil["claim"].astype("string").replace("Blood clots", "<img src=x onerror=alert(1)>")
    fig = claims_by_status(evil)
    hover = " ".join(h for t in fig.data for h in t.hovertext)
    assert "<img" not in hover and "&lt;img" in hover
