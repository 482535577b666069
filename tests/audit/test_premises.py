"""explorer.audit.premises: the conditions pages present their drug as being "for", against the label.

The seed page is "Mirena for Back Pain" and links to 35 other "Mirena for ..." pages; the label approves
Mirena for contraception and heavy menstrual bleeding, warns of ectopic pregnancy, and contraindicates
breast cancer.
"""
from __future__ import annotations

import pandas as pd

from explorer.audit.premises import PREMISE_COLUMNS, premises_table
from explorer.audit.reference import load_label_facts, load_synonyms


def test_seed_premises(seed_corpus, facts, synonyms):
    p = premises_table(seed_corpus.articles, seed_corpus.related, facts, synonyms)
    assert list(p.columns) == list(PREMISE_COLUMNS)
    assert len(p) == 1 + 35
    status = dict(zip(p["premise_condition"], p["status"].astype(str)))
    assert status["Heavy Menstrual Bleeding"] == "approved indication"
    assert status["Birth Control"] == "approved indication"
    assert status["Ectopic Pregnancy"] == "label warning"
    assert status["Breast Cancer"] == "label contraindication"
    assert status["Back Pain"] == "none of the captured label facts"
    assert status["Postpartum Breast Pain"] == "none of the captured label facts"  # near miss


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
        "Fictional Fatigue": "approved indication", "Imaginary Nosebleeds": "label warning"}


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
