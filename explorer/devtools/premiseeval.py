"""``explorer label-eval resolution`` and ``premises``: label resolution and premises scored on hand-checked tables.

``resolution CSV --openfda DIR``: each row names a drug as a page writes it (``name``), what else the page
says (``page_hint``: a condition, a route or a dose form), the file(s) of ``DIR`` it should resolve to
(``expected_files``, joined by ``;``; empty when no label held is that product) and whether several
labels fit equally (``ambiguous``). Every label file of ``DIR`` is imported, since "no label held" is
only true of the whole folder. A row is right when the tool finds the expected label and is not
ambiguous, or reports exactly the expected labels as ambiguous, or finds none when none is expected.

``premises CSV --openfda DIR``: each row is a premise (``drug``, ``condition``) with the verdict a
careful reader gave (``expected``: approved indication, contraindicated or not among the indications)
and its ``note`` (empty, also a warning, also an adverse reaction; "not checked" leaves it out of the
notes' tally). The rows' label files are imported
together and each premise is checked with :func:`explorer.audit.labelpremises.check_premise`. Printed:
verdicts right, overall and per expected verdict, notes right, and premises checked against another
label than the row's.

Both import into a temporary store, as ``explorer label-eval sample`` does.
"""
from __future__ import annotations

import argparse
import csv
import tempfile
from collections import Counter
from pathlib import Path

#: A ``note`` cell saying the row's note was not decided by hand (only its verdict was).
NOT_CHECKED = "not checked"
#: Statuses the premise check gave before issue 18, read as the verdicts they meant.
_OLD_STATUSES = {"label contraindication": "contraindicated"}


def _read(sample: Path, columns: tuple[str, ...]) -> list[dict]:
    with open(sample, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    missing = [c for c in columns if rows and c not in rows[0]]
    if missing:
        raise ValueError(f"{sample}: missing columns {missing} (expected {', '.join(columns)})")
    return rows


def _store(files: list[Path], workdir: Path):
    from ..labels.importer import import_labels
    from ..labels.store import LabelStore

    absent = [f for f in files if not f.is_file()]
    if absent:
        raise FileNotFoundError(f"no {absent[0]}")
    import_labels(files, workdir / "store", progress=False, workers=1)
    return LabelStore(workdir / "store")


def _file_of(labels, key: str | None) -> str:
    if key is None:
        return ""
    return Path(str(labels.loc[labels["key"] == key, "file"].iloc[0])).name


def check_resolution(sample: Path, openfda: Path) -> list[dict]:
    """Each row of the hand-checked resolution ``sample`` with the tool's answer and ``right`` (yes/no)."""
    from ..audit.labelcheck import LabelChecker
    from ..audit.labelpremises import with_condition_tie_breaker
    from ..labels.products import dose_tags

    rows = _read(sample, ("name", "page_hint", "expected_files", "ambiguous"))
    with tempfile.TemporaryDirectory(prefix="label-resolution-") as tmp:
        checker = with_condition_tie_breaker(LabelChecker(_store(sorted(Path(openfda).glob("*.json")), Path(tmp))))
        labels, index = checker.labels, checker.index
        out = []
        for row in rows:
            hint = row["page_hint"].strip()
            # a hint in dose-form words is the page's route or form; any other is the page's condition
            hints = {"form": hint} if dose_tags(hint) else ({"condition": hint} if hint else {})
            r = index.resolve(row["name"], **hints)
            candidates = getattr(r, "candidates", ())
            ambiguous = bool(getattr(r, "ambiguous", False))
            got = sorted(_file_of(labels, k) for k in candidates) if ambiguous else (
                [_file_of(labels, r.key)] if r.found else [])
            expected = sorted(f.strip() for f in row["expected_files"].split(";") if f.strip())
            right = got == expected and ambiguous == (row["ambiguous"].strip() == "yes")
            out.append({**row, "tool_files": ";".join(got), "tool_ambiguous": "yes" if ambiguous else "no",
                        "tool_note": r.note, "right": "yes" if right else "no"})
    return out


def check_premises(sample: Path, openfda: Path) -> list[dict]:
    """Each row of the hand-checked premises ``sample`` with the tool's ``verdict``, ``tool_note``,
    ``right`` (the verdict) and ``note_right``, and ``label_right`` (checked against the row's label)."""
    from ..audit.labelcheck import LabelChecker
    from ..audit.labelpremises import check_premise

    rows = _read(sample, ("label_file", "drug", "condition", "expected", "note"))
    files = sorted({r["label_file"] for r in rows})
    with tempfile.TemporaryDirectory(prefix="label-premises-") as tmp:
        checker = LabelChecker(_store([Path(openfda) / f for f in files], Path(tmp)))
        by_set = dict(zip(checker.labels["set_id"], checker.labels["file"]))
        out = []
        for row in rows:
            result = check_premise(checker, row["drug"], row["condition"])
            status = str(result.get("status") or "")
            verdict = _OLD_STATUSES.get(status, status)
            note = str(result.get("premise_note") or "")
            label_file = Path(str(by_set.get(result.get("label_set_id"), ""))).name
            out.append({**row, "verdict": verdict, "tool_note": note,
                        "tool_evidence": result.get("evidence_text") or "", "tool_label": label_file,
                        "right": "yes" if verdict == row["expected"].strip() else "no",
                        "note_right": ("n/a" if row["note"].strip() == NOT_CHECKED else
                                       "yes" if note == row["note"].strip() else "no"),
                        "label_right": "yes" if label_file == row["label_file"] else "no"})
    return out


def add_arguments(sub) -> None:
    """The ``resolution`` and ``premises`` subcommands, on ``explorer label-eval``'s subparsers."""
    for name, help_, example in (
            ("resolution", "re-check which label each page name resolves to",
             "tests/fixtures/handchecked/resolution.csv"),
            ("premises", "re-check premises (is the drug approved for the condition?)",
             "tests/fixtures/handchecked/premises.csv")):
        s = sub.add_parser(name, help=help_)
        s.add_argument("file", type=Path, help=f"e.g. {example}")
        s.add_argument("--openfda", type=Path, required=True, help="the folder of the openFDA label files")
        s.add_argument("--write", type=Path, default=None, help="write the table with the tool's answers to this CSV")
        s.add_argument("--misses", action="store_true", help="list every wrong answer")


def run(args: argparse.Namespace) -> int:
    if args.what == "resolution":
        rows = check_resolution(args.file, args.openfda)
        _print_share(rows, "right", "names resolved right")
        for kind in ("single label", "ambiguous", "no label held"):
            of_kind = [r for r in rows if _kind(r) == kind]
            _print_share(of_kind, "right", f"  {kind}", indent=True)
        if args.misses:
            for r in rows:
                if r["right"] == "no":
                    print(f"  {r['name']!r} [{r['page_hint']}]: expected {r['expected_files'] or 'none'}"
                          f"{' (ambiguous)' if r['ambiguous'] == 'yes' else ''}, got {r['tool_files'] or 'none'}"
                          f"{' (ambiguous)' if r['tool_ambiguous'] == 'yes' else ''}: {r['tool_note']}")
    else:
        rows = check_premises(args.file, args.openfda)
        _print_share(rows, "right", f"premise verdicts right over {len({r['label_file'] for r in rows})} labels")
        for expected in sorted({r["expected"] for r in rows}):
            _print_share([r for r in rows if r["expected"] == expected], "right", f"  expected {expected}",
                         indent=True)
        said = Counter(r["verdict"] for r in rows)
        for verdict in sorted(said):
            _print_share([r for r in rows if r["verdict"] == verdict], "right", f"  said {verdict}", indent=True)
        _print_share([r for r in rows if r["note_right"] != "n/a"], "note_right",
                     "notes right (also a warning / also an adverse reaction / none)")
        wrong_label = sum(r["label_right"] == "no" for r in rows)
        print(f"{wrong_label} premises checked against another label than the row's")
        if args.misses:
            for r in rows:
                if r["right"] == "no" or r["note_right"] == "no":
                    print(f"  {r['drug']}: {r['condition']!r}: expected {r['expected']} [{r['note']}], said "
                          f"{r['verdict']} [{r['tool_note']}] ({r['tool_evidence'][:160]!r})")
    if args.write and rows:
        with open(args.write, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    return 0


def _kind(row: dict) -> str:
    if row["ambiguous"].strip() == "yes":
        return "ambiguous"
    return "single label" if row["expected_files"].strip() else "no label held"


def _print_share(rows: list[dict], column: str, what: str, indent: bool = False) -> None:
    right = sum(r[column] == "yes" for r in rows)
    share = f"{right / len(rows):.1%}" if rows else "-"
    print(f"{what:<{44 if indent else 0}} {right:>4}/{len(rows):<4} ({share})" if indent else
          f"{right}/{len(rows)} {what} ({share})")
