"""explorer.audit.premises: the conditions pages present their drug as being "for", against the label.

The seed page is "Mirena for Back Pain" and links to 35 other "Mirena for ..." pages; the label approves
Mirena for contraception and heavy menstrual bleeding, warns of ectopic pregnancy, and contraindicates
breast cancer. The question a premise asks is whether the drug is approved for the condition; a warning or
an adverse reaction is a note beside the answer.
"""
from __future__ import annotations

import pandas as pd

from explorer.audit.premises import PREMISE_COLUMNS, premises_table
from explorer.audit.reference import load_label_facts, load_synonyms
from explorer.audit.vocabulary import PREMISE_LEVELS


def _notes(p: pd.DataFrame) -> list:
    return [None if pd.isna(n) else n for n in p["premise_note"]]


def test_seed_premises(seed_corpus, facts, synonyms):
    p = premises_table(seed_corpus.articles, seed_corpus.related, facts, synonyms)
    assert list(p.columns) == list(PREMISE_COLUMNS)
    assert len(p) == 1 + 35
    status = dict(zip(p["premise_condition"], zip(p["status"].astype(str), _notes(p))))
    assert status["Heavy Menstrual Bleeding"] == ("approved indication", None)
    assert status["Birth Control"] == ("approved indication", None)
    # a warning does not answer whether Mirena is approved for it: the facts held name no such indication
    assert status["Ectopic Pregnancy"] == ("not among the captured indications", "also a warning")
    assert status["Breast Cancer"] == ("contraindicated", "also a warning")
    assert status["Amenorrhea"] == ("not among the captured indications", "also an adverse reaction")
    assert status["Back Pain"] == ("not among the captured indications", None)
    assert status["Postpartum Breast Pain"] == ("not among the captured indications", None)  # near miss
    assert set(p["status"].astype(str)) <= set(PREMISE_LEVELS) and str(p["premise_note"].dtype) == "category"


def test_premises_keep_where_they_were_read(seed_corpus, facts, synonyms):
    p = premises_table(seed_corpus.articles, seed_corpus.related, facts, synonyms)
    back = p[p["premise_condition"] == "Back Pain"].iloc[0]
    assert (back["origin"], back["line"]) == ("page", 4)  # the page's title line
    links = p[p["origin"] == "related link"]
    assert links["line"].tolist() == seed_corpus.related["line"].tolist() == list(range(61, 96))
    assert links["premise_condition"].tolist() == seed_corpus.related["related_condition"].astype(str).tolist()
    assert set(p["source_file"].astype(str)) == {"data/raw/mirena-back-pain.txt"}
    breast = p[p["premise_condition"] == "Breast Cancer"].iloc[0]
    assert "contraindication" in breast["label_category"] and "section 4" in breast["citation"]


def test_second_drug_premises_use_its_own_label(two_drugs, fake_corpus):
    p = premises_table(fake_corpus.articles, fake_corpus.related, load_label_facts(two_drugs),
                       load_synonyms(two_drugs))
    assert p.set_index("premise_condition")["status"].astype(str).to_dict() == {
        "Fictional Fatigue": "approved indication", "Imaginary Nosebleeds": "not among the captured indications"}
    assert dict(zip(p["premise_condition"], _notes(p))) == {
        "Fictional Fatigue": None, "Imaginary Nosebleeds": "also a warning"}


def test_without_facts_premises_table_loads_the_reference(seed_corpus, facts, synonyms):
    pd.testing.assert_frame_equal(premises_table(seed_corpus.articles, seed_corpus.related),
                                  premises_table(seed_corpus.articles, seed_corpus.related, facts, synonyms))


def test_a_page_that_names_no_condition_presents_no_premise(tmp_path):
    from explorer.corpus.dataset import load
    from explorer.corpus.ingest import ingest

    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "trazodone.txt").write_text("Trazodone Side Effects\n\nCommon:\n- Drowsiness\n",
                                                    encoding="utf-8")
    corpus = load(ingest([tmp_path / "raw"], tmp_path / "c", workers=1, progress=False).out)
    assert corpus.articles["condition"].isna().all()
    assert premises_table(corpus.articles, corpus.related).empty
