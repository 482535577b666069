"""``explorer label-eval``: how right the label check is on real labels, measured two ways.

``explorer label-eval tac FILE`` scores the label check on labels whose every adverse reaction was
marked by hand (the TAC 2017 adverse-reaction gold standard, in the OnSIDES project's JSON form: one
record per label section with ``label_id``, ``section_name``, ``section_text`` and ``adverse_events``,
each ``[mention, preferred term, PT code, lowest-level term, LLT code, offset, length, annotator]``).
Each label is imported as an openFDA record; each marked effect is asked for three ways: by its
lowest-level term (LLT), by its preferred term (PT) and by its mention as written; and effects the label
does not mention (terms marked on other labels that share no word of four or more letters with this
label's text) are asked for too. Printed per way: listed precision, recall and F1, and how often the
status names the most serious section the effect is marked in (boxed warning > warnings and
precautions > adverse reactions).

``explorer label-eval sample CSV --openfda DIR`` re-checks a hand-checked sample (drug, claim and the
expected verdict a careful reader of the whole label gave; see ``tests/fixtures/handchecked``) against
the labels of ``DIR`` and prints how many verdicts are right, overall and per expected verdict; with
``--write OUT`` it writes the sample with the tool's verdict, its evidence and right/wrong per row.

``explorer label-eval resolution CSV --openfda DIR`` and ``premises CSV --openfda DIR`` re-check the
hand-checked label resolution and premises (:mod:`explorer.devtools.premiseeval`); ``incidence --openfda
DIR`` the drug's incidence read from label tables (:mod:`explorer.devtools.incidenceeval`).

All import the labels into a temporary store and check (drug, claim) pairs with
:class:`explorer.audit.labelcheck.LabelChecker`, the engine ``explorer audit --labels`` uses.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import tempfile
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import premiseeval

#: TAC section names -> the openFDA section keys they are imported as.
TAC_SECTIONS = {"boxed warnings": "boxed_warning", "warnings and precautions": "warnings_and_cautions",
                "adverse reactions": "adverse_reactions"}
#: How serious each marked section is, and each listing status.
SECTION_RANK = {"boxed_warning": 3, "warnings_and_cautions": 2, "adverse_reactions": 1}
STATUS_RANK = {"label boxed warning": 3, "label warning": 2, "label contraindication": 2,
               "label adverse reaction": 1}
#: The hand-checked sample's verdicts, from the label check's statuses.
VERDICT_OF_STATUS = {"label boxed warning": "boxed warning", "label contraindication": "contraindication",
                     "label warning": "warning", "label adverse reaction": "adverse reaction",
                     "label indication": "indication", "not found in the label text": "not in label",
                     "not specific": "not specific"}
ASKED_BY = ("lowest-level term", "preferred term", "mention")
NEGATIVES_PER_LABEL = 10


@dataclass
class Tally:
    """Counts of one way of asking: found, missed and falsely listed effects, and the right section."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    negatives: int = 0
    section_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{4,}", text.casefold()))


def read_tac(path: Path) -> dict[str, dict]:
    """label id -> {"sections": {key: text}, "effects": {ask: {name folded: (name, {sections})}}}."""
    labels: dict[str, dict] = {}
    for i, entry in enumerate(json.loads(Path(path).read_text(encoding="utf-8"))):
        try:
            lab = labels.setdefault(entry["label_id"], {"sections": {}, "effects": {a: {} for a in ASKED_BY}})
            key = TAC_SECTIONS[entry["section_name"]]
            lab["sections"][key] = entry["section_text"]
            for ae in entry["adverse_events"]:
                mention, pt, llt = ae[0], ae[1], ae[3]
                for ask, name in zip(ASKED_BY, (llt or pt or mention, pt or llt or mention, mention)):
                    name = str(name).strip().replace(":", " ")
                    lab["effects"][ask].setdefault(name.casefold(), (name, set()))[1].add(key)
        except (KeyError, IndexError, TypeError) as e:
            raise ValueError(f"{path}: record {i}: expected label_id, section_name (one of "
                             f"{sorted(TAC_SECTIONS)}), section_text and adverse_events ({e!r})") from None
    return labels


def _label_record(label_id: str, sections: dict[str, str]) -> dict:
    """An openFDA record for one TAC label (its name as the brand name, so a page's drug resolves to it)."""
    record = {"set_id": str(uuid.uuid5(uuid.NAMESPACE_URL, "tac/" + label_id)),
              "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "tac-version/" + label_id)), "version": "1",
              "effective_time": "20170101", "openfda": {"brand_name": [label_id]}}
    record.update({key: [text] for key, text in sections.items()})
    return record


def _checker(records: list[dict], workdir: Path):
    from ..audit.labelcheck import LabelChecker
    from ..labels.importer import import_labels
    from ..labels.store import LabelStore

    files = []
    for i, record in enumerate(records):
        f = workdir / f"{i:04d}.json"
        f.write_text(json.dumps({"results": [record]}), encoding="utf-8")
        files.append(f)
    store = workdir / "store"
    import_labels(files, store, progress=False, workers=1)
    return LabelChecker(LabelStore(store))


def score_tac(path: Path, limit: int | None = None, seed: int = 11) -> dict[str, Tally]:
    """The label check's tallies on the TAC labels of ``path``, per way of asking (see the module docstring)."""
    labels = read_tac(path)
    ids = sorted(labels)[:limit] if limit else sorted(labels)
    all_terms = sorted({name for lab in labels.values() for name, _ in lab["effects"]["lowest-level term"].values()})
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="label-eval-") as tmp:
        checker = _checker([_label_record(i, labels[i]["sections"]) for i in ids], Path(tmp))
        tallies = {}
        for ask in ASKED_BY + ("not mentioned",):
            pairs, expected = [], []
            for label_id in ids:
                lab = labels[label_id]
                if ask == "not mentioned":
                    text_words = _words(" ".join(lab["sections"].values()))
                    known = lab["effects"]["lowest-level term"]
                    negatives = [t for t in rng.sample(all_terms, min(300, len(all_terms)))
                                 if t.casefold() not in known and _words(t) and not _words(t) & text_words]
                    items = [(t, None) for t in negatives[:NEGATIVES_PER_LABEL]]
                else:
                    items = [(name, max(sections, key=SECTION_RANK.get))
                             for name, sections in lab["effects"][ask].values()]
                pairs += [(label_id, name) for name, _ in items]
                expected += [(label_id, name, section) for name, section in items]
            results = checker.check_many(pairs)
            tally = Tally()
            for (label_id, name, section), result in zip(expected, results):
                status = result.get("status")
                listed = status in STATUS_RANK
                if section is not None and listed:
                    tally.tp += 1
                    tally.section_right += STATUS_RANK[status] == SECTION_RANK[section]
                    if STATUS_RANK[status] != SECTION_RANK[section]:
                        tally.misses.append(f"{label_id}: {name}: marked in {section}, status {status}")
                elif section is not None:
                    tally.fn += 1
                    tally.misses.append(f"{label_id}: {name}: marked in {section}, not listed ({status})")
                else:
                    tally.negatives += 1
                    if listed:
                        tally.fp += 1
                        tally.misses.append(f"{label_id}: {name}: not marked, but {status}: "
                                            f"{result.get('evidence_text')!r}")
            tallies[ask] = tally
    # effects not mentioned are false listings of every way of asking
    negative = tallies.pop("not mentioned")
    for tally in tallies.values():
        tally.fp += negative.fp
        tally.negatives = negative.negatives
    tallies["not mentioned"] = negative
    return tallies


def _openfda_names(record: dict) -> list[str]:
    names = record.get("openfda", {}) or {}
    return [n for k in ("brand_name", "generic_name", "substance_name") for n in names.get(k, []) or []]


def check_sample(sample: Path, openfda: Path) -> list[dict]:
    """Each row of the hand-checked ``sample`` with the tool's ``verdict``, ``evidence`` and ``right``.

    The sample's labels (its ``label_file`` column, files of ``openfda``) are imported together, so a
    drug name resolves among them as it would in a user's store holding those labels.
    """
    with open(sample, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    missing = [c for c in ("label_file", "drug", "claim", "expected") if rows and c not in rows[0]]
    if missing:
        raise ValueError(f"{sample}: missing columns {missing}")
    files = sorted({r["label_file"] for r in rows})
    with tempfile.TemporaryDirectory(prefix="label-sample-") as tmp:
        from ..audit.labelcheck import LabelChecker
        from ..labels.importer import import_labels
        from ..labels.store import LabelStore

        absent = [f for f in files if not (openfda / f).is_file()]
        if absent:
            raise FileNotFoundError(f"{openfda}: no {absent[0]} (named in {sample})")
        import_labels([openfda / f for f in files], Path(tmp) / "store", progress=False, workers=1)
        checker = LabelChecker(LabelStore(Path(tmp) / "store"))
        results = checker.check_many([(r["drug"], r["claim"]) for r in rows])
    out = []
    for row, result in zip(rows, results):
        status = result.get("status") or ""
        verdict = VERDICT_OF_STATUS.get(status, status)
        out.append({**row, "verdict": verdict, "tool_evidence": result.get("evidence_text") or "",
                    "tool_note": result.get("match_note") or result.get("resolution") or "",
                    "right": "yes" if verdict == row["expected"].strip() else "no"})
    return out


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="what", required=True)
    s = sub.add_parser("tac", help="score on hand-marked labels (TAC 2017, OnSIDES JSON form)")
    s.add_argument("file", type=Path, help="e.g. ../shared/labels/tac2017-train.json")
    s.add_argument("--limit", type=int, default=None, help="only the first N labels (by label id)")
    s.add_argument("--misses", action="store_true", help="list every miss and false listing")
    s = sub.add_parser("sample", help="re-check a hand-checked sample of verdicts")
    s.add_argument("file", type=Path, help="e.g. tests/fixtures/handchecked/claims.csv")
    s.add_argument("--openfda", type=Path, required=True, help="the folder of the sample's openFDA label files")
    s.add_argument("--write", type=Path, default=None, help="write the sample with the verdicts to this CSV")
    s.add_argument("--misses", action="store_true", help="list every wrong verdict")
    premiseeval.add_arguments(sub)
    from . import incidenceeval  # ``incidence``: the drug's incidence from label tables (its own module)

    incidenceeval.add_arguments(sub)


def run(args: argparse.Namespace) -> int:
    if args.what in ("resolution", "premises"):
        return premiseeval.run(args)
    if args.what == "incidence":
        from . import incidenceeval

        return incidenceeval.run(args)
    if args.what == "tac":
        tallies = score_tac(args.file, args.limit)
        print(f"{'asked by':<20} {'precision':>9} {'recall':>7} {'F1':>6} {'found':>6} {'missed':>6} "
              f"{'false':>6} {'section right':>14}")
        for ask, t in tallies.items():
            if ask == "not mentioned":
                print(f"{'(not mentioned)':<20} {t.negatives:>6} asked, {t.fp} listed")
                continue
            share = t.section_right / t.tp if t.tp else 0.0
            print(f"{ask:<20} {t.precision:>9.3f} {t.recall:>7.3f} {t.f1:>6.3f} {t.tp:>6} {t.fn:>6} "
                  f"{t.fp:>6} {t.section_right:>6}/{t.tp:<5} {share:.3f}")
        if args.misses:
            for ask, t in tallies.items():
                for miss in t.misses:
                    print(f"  [{ask}] {miss}")
        return 0
    rows = check_sample(args.file, args.openfda)
    by = Counter((r["expected"], r["right"]) for r in rows)
    right = sum(r["right"] == "yes" for r in rows)
    print(f"{right}/{len(rows)} verdicts right ({right / max(len(rows), 1):.1%}) over "
          f"{len({r['label_file'] for r in rows})} labels")
    for expected in sorted({r["expected"] for r in rows}):
        n = by[(expected, "yes")] + by[(expected, "no")]
        print(f"  expected {expected:<18} {by[(expected, 'yes')]:>4}/{n:<4} right")
    said = Counter(r["verdict"] for r in rows)
    said_right = Counter(r["verdict"] for r in rows if r["right"] == "yes")
    for verdict in sorted(said):
        print(f"  said {verdict:<22} {said_right[verdict]:>4}/{said[verdict]:<4} right")
    if args.misses:
        for r in rows:
            if r["right"] == "no":
                print(f"  {r['drug']}: {r['claim']!r}: expected {r['expected']}, said {r['verdict']} "
                      f"({r['tool_evidence'][:160]!r})")
    if args.write:
        with open(args.write, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_arguments(parser)
    sys.exit(run(parser.parse_args()))
