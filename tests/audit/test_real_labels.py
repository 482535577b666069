"""The label check on every real openFDA label of ``../shared/labels/openfda/`` (issue 17, item 1).

All 357 labels are imported into one store, as a user would import them; then, for each label, a page's
claims are checked: a few effects the label's own adverse-reaction tables list (a row's first cell) and
a few effects no label lists. No label may stop the import or the check, every listed verdict carries
its evidence (the label's sentence or row, its section, the citation), and the made-up effects are
never listed. Slow (about a minute); skipped with a message where the shared data is absent.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from explorer.audit.labelcheck import LabelChecker
from explorer.audit.vocabulary import NOT_FOUND, NOT_SPECIFIC, UNCHECKED
from explorer.labels.importer import import_labels
from explorer.labels.store import LabelStore

OPENFDA = Path(__file__).resolve().parents[2].parent / "shared" / "labels" / "openfda"
LISTED = {"label boxed warning", "label contraindication", "label warning", "label adverse reaction",
          "label indication"}
#: Effects no drug label lists, in our own words.
MADE_UP = ("purple fingernails", "glowing skin", "singing voice deepening", "eyebrow curling")
_PLAIN_CELL = re.compile(r"[A-Za-z][A-Za-z ,'/-]{2,40}")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> LabelStore:
    files = sorted(OPENFDA.glob("*.json"))
    if not files:
        pytest.skip(f"{OPENFDA} is not here (it comes with the project's shared data, not with a clone)")
    root = tmp_path_factory.mktemp("real-labels") / "store"
    report = import_labels(files, root, progress=False, workers=2)
    assert not report.failed, f"labels that failed to import: {report.failed[:5]}"
    return LabelStore(root)


def listed_effects(store: LabelStore, key: str, n: int = 3) -> list[str]:
    """Up to ``n`` first cells of the label's adverse-reaction table rows that are plain words."""
    rows = store.table_rows([key])
    rows = rows[(rows["section"] == "adverse_reactions") & (rows["part"] != "header")]
    out = []
    for cells in rows["cells"]:
        first = str(cells[0]).strip() if len(cells) else ""
        if _PLAIN_CELL.fullmatch(first) and len(cells) > 1 and first.casefold() not in {c.casefold() for c in out}:
            out.append(first)
        if len(out) == n:
            break
    return out


def test_every_real_label_is_checked_and_every_listing_has_its_evidence(store):
    checker = LabelChecker(store)
    labels = checker.labels
    pairs, asked = [], []
    for key, set_id, brands, generics in zip(labels["key"], labels["set_id"], labels["brand_names"],
                                              labels["generic_names"]):
        drug = str(brands or generics or "").split("|")[0].strip()
        if not drug or checker.index.resolve(drug).key != key:
            continue  # a name another label also goes by: that label is checked under it
        for claim in listed_effects(store, key):
            pairs.append((drug, claim))
            asked.append((set_id, claim, True))
        for claim in MADE_UP:
            pairs.append((drug, claim))
            asked.append((set_id, claim, False))
    assert len({a[0] for a in asked}) >= 200, "most real labels are checked under a name of their own"
    results = checker.check_many(pairs)
    unchecked = [(a, r["match_note"]) for a, r in zip(asked, results) if r["status"] == UNCHECKED]
    assert not unchecked, f"labels that could not be checked: {unchecked[:3]}"
    found = 0
    for (set_id, claim, listed), r in zip(asked, results):
        assert r["label_set_id"] == set_id and r.get("resolution")
        if r["status"] in LISTED:
            assert r["evidence_text"] and r["evidence_section"] and r["citation"].startswith(r["evidence_text"])
        if listed:
            found += r["status"] in LISTED
        else:
            assert r["status"] in (NOT_FOUND, NOT_SPECIFIC), (set_id, claim, r["status"], r["evidence_text"])
    n = sum(a[2] for a in asked)
    assert found >= 0.97 * n, f"{found} of {n} table rows found as listings"
