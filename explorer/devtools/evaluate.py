"""``explorer eval PAGES``: how well the extractors read a folder of pages with expected outputs.

Each page ``NAME.txt`` or ``NAME.html`` has ``NAME.expected.json`` beside it (drug, condition, shapes,
side_effects with name, tier, severity, from_prose) and a row in ``meta.csv`` (path, url, drug,
condition) when the folder has one. A side effect is found when a side effect of the same page has the
same name (:func:`explorer.text.fold`: case, spacing, quotes, dashes and end punctuation folded); each expected one is matched at most once. Printed per shape tag
and in total: precision, recall and F1 of side-effect names, and tier agreement (the share of found side
effects whose severity is the expected one); and the drug and condition found right.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..pages.decode import PageError
from ..text import fold
from ..pages.read import read_file
from ..pages.subject import Subject

PAGE_SUFFIXES = (".txt", ".html", ".htm", ".md")


@dataclass
class Score:
    """Counts over some pages: expected, predicted and matched side effects, severities that agree."""

    pages: int = 0
    expected: int = 0
    predicted: int = 0
    matched: int = 0
    severity_agrees: int = 0
    drug_right: int = 0
    condition_right: int = 0
    failed: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name in ("pages", "expected", "predicted", "matched", "severity_agrees", "drug_right", "condition_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failed += other.failed

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def tier_agreement(self) -> float:
        return self.severity_agrees / self.matched if self.matched else 1.0


def _key(name: str) -> str:
    return fold(name)


def score_page(page: Path, expected: dict, meta: dict[str, str] | None = None) -> tuple[Score, list[tuple]]:
    """The page's score, and its mismatches as (kind, text) pairs for the report."""
    meta = meta or {}
    given = Subject(meta.get("drug") or None, meta.get("condition") or None) if meta.get("drug") else None
    score = Score(pages=1, expected=len(expected["side_effects"]))
    misses: list[tuple] = []
    try:
        article = read_file(page, meta=given, address=meta.get("url") or None)
    except PageError as e:
        score.failed.append(f"{page.name}: {e.expected}")
        score.drug_right = int(expected["drug"] is None)
        score.condition_right = int(expected["condition"] is None)
        return score, [("failed", e.expected)]
    score.predicted = len(article.side_effects)
    score.drug_right = int(_key(article.drug or "") == _key(expected["drug"] or ""))
    score.condition_right = int(_key(article.condition or "") == _key(expected["condition"] or ""))
    if not score.drug_right:
        misses.append(("drug", f"{article.drug!r}, expected {expected['drug']!r}"))
    if not score.condition_right:
        misses.append(("condition", f"{article.condition!r}, expected {expected['condition']!r}"))
    wanted: dict[str, list[dict]] = {}
    for item in expected["side_effects"]:
        wanted.setdefault(_key(item["name"]), []).append(item)
    for found in article.side_effects:
        options = wanted.get(_key(found.name))
        if not options:
            misses.append(("extra", f"{found.name!r} line {found.line} tier {found.tier!r}"))
            continue
        item = options.pop(0)
        score.matched += 1
        if item["severity"] == found.severity:
            score.severity_agrees += 1
        else:
            misses.append(("severity", f"{found.name!r}: {found.severity!r} (tier {found.tier!r}), expected "
                                       f"{item['severity']!r} (tier {item['tier']!r})"))
    misses += [("missed", f"{i['name']!r} tier {i['tier']!r}") for items in wanted.values() for i in items]
    return score, misses


def evaluate(folder: Path) -> tuple[Score, dict[str, Score], dict[str, list[tuple]]]:
    """Score every page of ``folder``: the total, the score per shape tag, and each page's mismatches."""
    folder = Path(folder)
    if not folder.is_dir():
        return Score(), {}, {}
    meta: dict[str, dict[str, str]] = {}
    if (folder / "meta.csv").exists():
        with open(folder / "meta.csv", newline="", encoding="utf-8") as fh:
            meta = {row["path"]: row for row in csv.DictReader(fh)}
    total, by_shape, misses = Score(), {}, {}
    for page in sorted(p for p in folder.iterdir() if p.suffix in PAGE_SUFFIXES and ".expected" not in p.name):
        expected_path = page.with_name(page.stem + ".expected.json")
        if not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        score, page_misses = score_page(page, expected, meta.get(page.name))
        total.add(score)
        for shape in expected.get("shapes", []):
            by_shape.setdefault(shape, Score()).add(score)
        if page_misses:
            misses[page.name] = page_misses
    return total, dict(sorted(by_shape.items())), misses


def format_scores(total: Score, by_shape: dict[str, Score]) -> str:
    """The table ``explorer eval`` prints: one line per shape, then the total."""
    head = f"{'shape':28s} {'pages':>5s} {'expected':>8s} {'found':>6s} {'precision':>9s} {'recall':>7s} " \
           f"{'F1':>5s} {'tier agr.':>9s} {'drug':>5s} {'cond.':>5s}"
    rows = [head, "-" * len(head)]
    for name, s in [*by_shape.items(), ("TOTAL", total)]:
        rows.append(f"{name:28s} {s.pages:5d} {s.expected:8d} {s.predicted:6d} {s.precision:9.3f} {s.recall:7.3f} "
                    f"{s.f1:5.3f} {s.tier_agreement:9.3f} {s.drug_right:5d} {s.condition_right:5d}")
    return "\n".join(rows)


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``explorer eval`` options to ``parser``."""
    parser.add_argument("pages", type=Path, help="a folder of pages, each with NAME.expected.json beside it "
                                                 "(and meta.csv: path, url, drug, condition)")
    parser.add_argument("--misses", action="store_true", help="also list each page's mismatches")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``explorer eval``: print the table (and the mismatches); exit 2 when the folder holds no
    expected files."""
    total, by_shape, misses = evaluate(args.pages)
    if not total.pages:
        print(f"explorer eval: {args.pages}: no page with a NAME.expected.json beside it", file=sys.stderr)
        return 2
    print(format_scores(total, by_shape))
    kinds = Counter(kind for page in misses.values() for kind, _ in page)
    print(f"\nmismatches: {dict(kinds) or 'none'}")
    if args.misses:
        for page, items in misses.items():
            print(f"\n{page}")
            for kind, text in items:
                print(f"  {kind:9s} {text}")
    return 0
