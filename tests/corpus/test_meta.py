"""Crawl metadata: ``explorer ingest --meta FILE`` gives pages their address, drug and condition."""
from __future__ import annotations

import pytest

import explorer
from explorer.corpus.ingest import ingest
from explorer.corpus.meta import MetaError, load_meta, page_key

PAGE = """Side effects you should know about

Common
- Drowsiness
- Dry mouth
"""


def test_rows_are_keyed_by_the_page_path_relative_to_the_csv(tmp_path):
    (tmp_path / "meta.csv").write_text("path,url,drug,condition\npages/a.txt,https://www.shop.test/x,Gabapentin,"
                                       "Hot Flashes\npages/b.txt,https://blog.test/y,,\n", encoding="utf-8")
    meta = load_meta(tmp_path / "meta.csv")
    a, b = meta[page_key(tmp_path / "pages" / "a.txt")], meta[page_key(tmp_path / "pages" / "b.txt")]
    assert a.url == "https://www.shop.test/x" and a.subject[:4] == ("Gabapentin", "Hot Flashes", "meta", "meta")
    assert b.url == "https://blog.test/y" and b.subject is None  # no drug given: the page's own title decides


@pytest.mark.parametrize("text, line, says", [
    ("url,drug\nx,y\n", 1, "a 'path' column"),
    ("path,url\n,https://a.test\n", 2, "it is empty"),
])
def test_a_bad_metadata_file_names_the_file_and_the_line(tmp_path, text, line, says):
    (tmp_path / "meta.csv").write_text(text, encoding="utf-8")
    with pytest.raises(MetaError) as e:
        load_meta(tmp_path / "meta.csv")
    assert (e.value.line, e.value.path) == (line, str(tmp_path / "meta.csv")) and says in e.value.expected


def test_ingest_with_metadata_records_the_drug_the_site_and_where_each_came_from(tmp_path):
    raw = tmp_path / "crawl"
    raw.mkdir()
    (raw / "page-1.txt").write_text(PAGE, encoding="utf-8")
    (raw / "page-2.txt").write_text(PAGE, encoding="utf-8")
    (raw / "page-3.txt").write_text(PAGE, encoding="utf-8")
    (raw / "meta.csv").write_text("path,url,drug,condition\n"
                                  "page-1.txt,https://www.pharmacy.test/blog/p1,Gabapentin,Hot Flashes\n"
                                  "page-2.txt,https://clinic.test/drugs/trazodone/insomnia,,\n", encoding="utf-8")
    report = ingest([raw], tmp_path / "corpus", workers=1, progress=False, meta=raw / "meta.csv",
                    drug="Metformin")
    assert report.counts["ok"] == 3 and report.counts["inputs"] == 3  # the metadata file is not a page
    articles = explorer.load(tmp_path / "corpus").articles.set_index("source_file")
    rows = {k.rsplit("/", 1)[-1]: r for k, r in articles.iterrows()}
    assert tuple(rows["page-1.txt"][["drug", "condition", "drug_from", "condition_from", "site"]]) == (
        "Gabapentin", "Hot Flashes", "meta", "meta", "pharmacy.test")
    assert tuple(rows["page-2.txt"][["drug", "condition", "drug_from", "condition_from", "site"]]) == (
        "Trazodone", "Insomnia", "address", "address", "clinic.test")
    page3 = rows["page-3.txt"]  # nothing names the drug but --drug; no condition is invented
    assert (page3["drug"], page3["drug_from"], page3["site"]) == ("Metformin", "given", "folder: crawl")
    assert page3[["condition", "condition_from"]].isna().all()
    assert set(articles["extractor"]) == {"general"}


def test_drug_names_of_a_label_store_find_drugs_the_shipped_list_does_not_know(tmp_path):
    from explorer.cli import main
    from explorer.labels.importer import import_labels

    fixtures = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "labels" / "openfda"
    import_labels([fixtures / "zentravix.json"], tmp_path / "labels", progress=False)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.txt").write_text("Side Effects of Zentravix\n\nCommon:\n- Headache\n", encoding="utf-8")
    assert main(["ingest", str(raw), "--out", str(tmp_path / "without"), "--workers", "1", "--no-progress"]) == 1
    assert main(["ingest", str(raw), "--out", str(tmp_path / "with"), "--workers", "1", "--no-progress",
                 "--labels", str(tmp_path / "labels")]) == 0
    articles = explorer.load(tmp_path / "with").articles
    assert list(articles["drug"]) == ["Zentravix"] and list(articles["drug_from"]) == ["title"]
