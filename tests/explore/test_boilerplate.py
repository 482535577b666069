"""explorer.explore.boilerplate: shared (template) text per page and the most shared sentences, on pages
ingested for the test and on made-up sentence tables checked against plain pandas groupbys.

The pages here were written for these tests.
"""
from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from explorer.corpus.ingest import ingest
from explorer.corpus.sentences import read_sentences
from explorer.explore.boilerplate import PAGE_COLUMNS, SHARED_COLUMNS, page_boilerplate, shared_sentences
from explorer.pages.sentences import mask, normalise, sentence_hash

PAGE = """{drug} for {condition}
About {drug}
{drug} is a tablet taken once a day with water. Most people take it in the morning.
{own}
Common Side Effects of {drug} for {condition}
- Headache: a dull ache that usually passes within a few days.
- Dry mouth: sipping water through the day helps with this.
"""
TEMPLATE = "{drug} is a tablet taken once a day with water"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Three pages of one template about two made-up drugs, each with a sentence of its own, and a copy
    of the third page under another path."""
    raw = tmp_path_factory.mktemp("raw")
    pages = {
        "calmora-anxiety.txt": ("Calmora", "Anxiety", "Calmora was first sold in Norway in the spring."),
        "calmora-insomnia.txt": ("Calmora", "Insomnia", "Some readers take it an hour before bedtime instead."),
        "restivan-restless-legs.txt": ("Restivan", "Restless Legs", "Restivan tablets are coloured a pale green."),
    }
    for name, (drug, condition, own) in pages.items():
        (raw / name).write_text(PAGE.format(drug=drug, condition=condition, own=own), encoding="utf-8")
    (raw / "mirror").mkdir()
    shutil.copy(raw / "restivan-restless-legs.txt", raw / "mirror" / "restivan-copy.txt")
    out = tmp_path_factory.mktemp("corpus") / "c"
    ingest([raw], out, workers=1, progress=False)
    return raw, read_sentences(out)


def test_each_page_shares_its_template_text_but_not_its_own_sentence(corpus):
    raw, sentences = corpus
    pages = page_boilerplate(sentences)
    assert tuple(pages.columns) == PAGE_COLUMNS
    assert len(pages) == 4  # the copy keeps its row
    by_file = pages.assign(source_file=pages["source_file"].astype(str)).set_index("source_file")
    own = {"calmora-anxiety.txt": "Calmora was first sold in Norway in the spring",
           "calmora-insomnia.txt": "Some readers take it an hour before bedtime instead",
           "restivan-restless-legs.txt": "Restivan tablets are coloured a pale green",
           "mirror/restivan-copy.txt": "Restivan tablets are coloured a pale green"}
    for name, sentence in own.items():
        row = by_file.loc[str(raw / name)]
        assert row["n_sentences"] == 5
        assert row["chars"] - row["shared_chars"] == len(sentence)  # only its own sentence is not shared
        assert row["shared_share"] == pytest.approx(row["shared_chars"] / row["chars"])


def test_a_copy_of_a_page_under_another_path_does_not_make_its_sentences_shared(corpus):
    _, sentences = corpus
    green = sentence_hash(mask(normalise("Restivan tablets are coloured a pale green."), "Restivan", "Restless Legs"))
    assert (sentences["hash"] == green).sum() == 2  # on the page and on its copy
    assert green not in set(shared_sentences(sentences, top=None)["hash"])


def test_the_most_shared_sentence_is_the_template_one_and_its_example_line_holds_it(corpus):
    raw, sentences = corpus
    top = shared_sentences(sentences, top=1)
    assert tuple(top.columns) == SHARED_COLUMNS
    template = sentence_hash(mask(normalise(TEMPLATE.format(drug="Calmora")), "Calmora", "Anxiety"))
    # every masked sentence of the template is on the 3 contents; the tie goes to the first row's
    assert top.loc[0, ["hash", "n_pages", "n_rows"]].tolist() == [template, 3, 4]
    assert top.loc[0, "page_share"] == 1.0
    line = (raw / "calmora-anxiety.txt").read_text(encoding="utf-8").split("\n")[top.loc[0, "line"] - 1]
    assert str(top.loc[0, "source_file"]) == str(raw / "calmora-anxiety.txt")
    assert line.startswith(TEMPLATE.format(drug="Calmora"))
    assert len(shared_sentences(sentences, top=None)) == 4  # line 3's two sentences and the two items


def test_min_pages_raises_the_bar_for_shared(corpus):
    _, sentences = corpus
    assert (page_boilerplate(sentences, min_pages=4)["shared_chars"] == 0).all()  # 3 contents at most
    assert shared_sentences(sentences, min_pages=4).empty
    with pytest.raises(ValueError, match="at least 2"):
        page_boilerplate(sentences, min_pages=1)


def made_up_sentences(n_pages: int, per_page: int, seed: int = 0) -> pd.DataFrame:
    """Random sentence rows: template hashes from a small pool, the rest unique, one page in ten a copy."""
    rng = np.random.default_rng(seed)
    page = np.repeat(np.arange(n_pages), per_page)
    content = np.where(page % 10 == 9, page - 1, page)
    hashes = np.where(rng.random(len(page)) < 0.5, rng.integers(0, 30, len(page)) - 15,
                      rng.integers(-2**63, 2**63 - 1, len(page), dtype=np.int64))
    return pd.DataFrame({"source_file": pd.Categorical([f"p/{i:04d}.txt" for i in page]),
                         "sha256": pd.Categorical([f"{c:064x}" for c in content]),
                         "line": np.tile(np.arange(1, per_page + 1), n_pages), "hash": hashes,
                         "n_chars": rng.integers(10, 100, len(page))})


def expected_pages(s: pd.DataFrame, min_pages: int) -> pd.DataFrame:
    """The rule in plain pandas: a sentence is shared when its hash is on min_pages distinct sha256 or more."""
    n_pages = s.groupby("hash")["sha256"].nunique()
    shared = s["hash"].map(n_pages) >= min_pages
    g = s.assign(shared_chars=s["n_chars"].where(shared, 0)).groupby("source_file", observed=True)
    out = pd.DataFrame({"n_sentences": g.size(), "chars": g["n_chars"].sum(), "shared_chars": g["shared_chars"].sum()})
    return out.assign(shared_share=out["shared_chars"] / out["chars"])


@pytest.mark.parametrize("min_pages", [2, 3])
def test_page_boilerplate_equals_the_plain_pandas_rule(min_pages):
    s = made_up_sentences(300, 12)
    got = page_boilerplate(s, min_pages=min_pages)
    assert got["shared_share"].is_monotonic_decreasing
    got = got.assign(source_file=got["source_file"].astype(str)).set_index("source_file")
    expected = expected_pages(s, min_pages)
    expected.index = expected.index.astype(str)
    pd.testing.assert_frame_equal(got.drop(columns="sha256").sort_index(), expected.sort_index(), check_names=False)


def test_shared_sentences_equals_the_plain_pandas_rule():
    s = made_up_sentences(300, 12, seed=1)
    got = shared_sentences(s, top=10)
    n_pages = s.groupby("hash")["sha256"].nunique()
    n_rows = s.groupby("hash").size()
    first = s.drop_duplicates("hash").set_index("hash")
    ranked = (pd.DataFrame({"n_pages": n_pages, "n_rows": n_rows, "first": first.index.get_indexer(n_pages.index)})
              .sort_values(["n_pages", "n_rows", "first"], ascending=[False, False, True]).head(10))
    assert got["hash"].tolist() == ranked.index.tolist()
    assert got["n_pages"].tolist() == ranked["n_pages"].tolist()
    assert got["line"].tolist() == first.loc[ranked.index, "line"].tolist()
    assert got["source_file"].astype(str).tolist() == first.loc[ranked.index, "source_file"].astype(str).tolist()


def test_no_sentences_give_empty_tables_with_every_column(corpus):
    _, sentences = corpus
    none = sentences.iloc[:0]
    assert page_boilerplate(none).empty and tuple(page_boilerplate(none).columns) == PAGE_COLUMNS
    assert shared_sentences(none).empty and tuple(shared_sentences(none).columns) == SHARED_COLUMNS
