"""From a page's drug name to a label: how names are compared, brand before generic and substance, the
most recent of several labels with the others kept as alternatives, no match, current versions only."""
from __future__ import annotations

import gc
import weakref

import pandas as pd
import pytest

from explorer.labels.importer import import_labels
from explorer.labels.resolve import NO_LABEL, LabelIndex, Resolution, name_key, salt_words
from explorer.labels.rows import LIST_SEPARATOR
from explorer.labels.store import LabelStore

from ..helpers import FIXTURES

SALTS = frozenset({"hydrochloride", "sodium"})


def labels_frame(*rows: dict) -> pd.DataFrame:
    """A labels table as :meth:`LabelStore.labels` gives it, from rows naming only what a test needs."""
    defaults = {"source": "openfda", "version": "1", "effective_time": "20200101", "brand_names": "",
                "generic_names": "", "substance_names": "", "current": True}
    full = [{**defaults, **row} for row in rows]
    for row in full:
        row.setdefault("set_id", row["key"])
    return pd.DataFrame(full)


# -- how names are compared ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, key", [
    ("ZENTRAVIX", "zentravix"), ("Zentravix®", "zentravix"), ("  zentravix\t", "zentravix"),  # case, marks, space
    ("Éstradiol", "estradiol"), ("fluoxétine", "fluoxetine"),  # accents
    ("Co-Trimoxazole", "co trimoxazole"), ("Brand/Name (oral)", "brand name oral"),  # punctuation to spaces
    ("Sertraline Hydrochloride", "sertraline"), ("sertraline HCl", "sertraline"),  # salt words from the file
    ("Losartan-Potassium", "losartan"), ("doxycycline hyclate monohydrate", "doxycycline"),
    ("Potassium Chloride", "potassium chloride"),  # nothing but salt words: the name is the drug
    # inorganic drugs are salts through and through: the whole name stays, never one half of it
    ("Calcium Carbonate", "calcium carbonate"), ("Sodium Bicarbonate", "sodium bicarbonate"),
    ("Ferrous Sulfate", "ferrous sulfate"), ("sodium fluoride", "sodium fluoride"),
    ("Magnesium Oxide", "magnesium oxide"), ("Lithium Carbonate", "lithium"),
])
def test_name_key_folds_case_accents_punctuation_and_salt_words(name, key):
    assert name_key(name) == key


def test_salt_words_come_from_the_reference_file_with_a_note_per_row(tmp_path):
    words = salt_words()
    assert {"hydrochloride", "hydrobromide", "sodium", "maleate"} <= words
    (tmp_path / "salt_words.csv").write_text("word,note\nZylate,invented for this test\n")
    assert salt_words(tmp_path) == frozenset({"zylate"})
    assert name_key("Brivolan zylate", salt_words(tmp_path)) == "brivolan"
    assert salt_words(tmp_path / "none") == frozenset()  # no file: no salt words, names compared whole


def test_only_the_given_salt_words_are_dropped():
    assert name_key("Naproxen Sodium Maleate", SALTS) == "naproxen maleate"


# -- which label ----------------------------------------------------------------------------------------

def test_a_brand_name_prefers_that_brands_label_over_newer_generics():
    index = LabelIndex(labels_frame(
        {"key": "mirena", "brand_names": "Mirena", "generic_names": "levonorgestrel", "effective_time": "20200101"},
        {"key": "kyleena", "brand_names": "Kyleena", "generic_names": "levonorgestrel", "effective_time": "20230101"},
        {"key": "generic", "generic_names": "Mirena", "effective_time": "20240101"},  # a generic named like it
    ), SALTS)
    found = index.resolve("MIRENA")
    assert (found.key, found.matched_by, found.alternatives) == ("mirena", "brand", ())
    assert found.note == "matched by brand name 'MIRENA'"
    generic = index.resolve("Levonorgestrel")
    assert (generic.key, generic.matched_by, generic.alternatives) == ("kyleena", "generic", ("mirena",))


def test_several_labels_of_one_substance_use_the_most_recent_and_record_the_others():
    index = LabelIndex(labels_frame(
        {"key": "maker-a", "generic_names": "sertraline hydrochloride", "effective_time": "20190301"},
        {"key": "maker-b", "generic_names": "Sertraline HCl", "effective_time": "20240611"},
        {"key": "maker-c", "generic_names": "SERTRALINE", "effective_time": "20221105"},
        {"key": "other", "generic_names": "citalopram", "effective_time": "20250101"},
    ), salt_words())
    found = index.resolve("sertraline")
    assert found == Resolution(
        drug="sertraline", key="maker-b", set_id="maker-b", matched_by="generic",
        note="matched by generic name 'sertraline'; 3 labels match, the most recent (effective 20240611) is used",
        alternatives=("maker-c", "maker-a"))
    assert found.found


def test_on_the_same_date_the_highest_version_number_wins():
    index = LabelIndex(labels_frame(
        {"key": "v9", "generic_names": "quenfadil", "version": "9", "effective_time": "20240101"},
        {"key": "v12", "generic_names": "quenfadil", "version": "12", "effective_time": "20240101"},
    ), SALTS)
    assert index.resolve("quenfadil").key == "v12"  # 12 > 9 as numbers, though "9" > "12" as text


def test_a_substance_name_matches_when_no_brand_or_generic_does():
    index = LabelIndex(labels_frame(
        {"key": "combo", "brand_names": "Plenexa", "generic_names": "calmorine and deltoprex",
         "substance_names": LIST_SEPARATOR.join(["CALMORINE SODIUM", "DELTOPREX"])}), SALTS)
    found = index.resolve("deltoprex")
    assert (found.key, found.matched_by) == ("combo", "substance")
    assert index.resolve("Calmorine").matched_by == "substance"


def test_a_label_listing_one_name_twice_is_one_match_not_two():
    index = LabelIndex(labels_frame(
        {"key": "only", "brand_names": LIST_SEPARATOR.join(["Corvanex", "CORVANEX"])}), SALTS)
    assert index.resolve("corvanex").alternatives == () and "labels match" not in index.resolve("corvanex").note


def test_no_match_says_no_label_held_for_this_drug():
    index = LabelIndex(labels_frame({"key": "a", "brand_names": "Zentravix"}), SALTS)
    assert index.resolve("Unheardofin") == Resolution("Unheardofin", None, None, "none", NO_LABEL)
    assert NO_LABEL == "no label held for this drug" and not index.resolve("").found
    assert not LabelIndex(labels_frame({"key": "a"}).iloc[:0], SALTS).resolve("Zentravix").found


def test_only_current_versions_are_indexed():
    index = LabelIndex(labels_frame(
        {"key": "old", "set_id": "s", "brand_names": "Brivolan", "version": "1", "current": False},
        {"key": "new", "set_id": "s", "brand_names": "Brivolan XR", "version": "2", "current": True},
    ), SALTS)
    assert not index.resolve("Brivolan").found  # only the older version carried that name
    found = index.resolve("brivolan xr")
    assert (found.key, found.alternatives) == ("new", ())


def test_an_index_is_freed_with_its_last_reference():
    index = LabelIndex(labels_frame({"key": "a", "brand_names": "Zentravix"}), SALTS)
    assert index.resolve("zentravix").key == "a"
    ref = weakref.ref(index)
    del index
    gc.collect()
    assert ref() is None  # its answers are cached on the index, not in a cache that outlives it


def test_resolving_against_a_store_of_the_test_labels(tmp_path):
    import_labels([FIXTURES / "labels" / "openfda" / "zentravix.json", FIXTURES / "labels" / "spl" / "zentravix.xml"],
                  tmp_path, progress=False)
    index = LabelIndex(LabelStore(tmp_path).labels())
    by_brand = index.resolve("Zentravix")  # both labels carry the brand; the SPL one is the more recent
    assert by_brand.key.startswith("spl:") and len(by_brand.alternatives) == 1
    assert by_brand.alternatives[0].startswith("openfda:")
    assert index.resolve("dorazepine").key.startswith("openfda:")  # DORAZEPINE HYDROBROMIDE, salt dropped
    assert index.resolve("Zentravolol Hydrochloride").key.startswith("spl:")
