"""The parser's speed work changed no result: recorded digests, cold and warm caches, both line paths,
headings read with a stand-in for the drug.

``parser_digests.json`` holds a digest of what the parser read (``repr`` of the Article, or the
PageError's line and expectation) from each hand-written test page, the seed, and deterministic
mutations of them (lines deleted, duplicated, swapped, re-cased, re-bulleted, cut; separators and
stray bytes inserted). The digests were recorded with the parser as it was before it was made faster.
When the parser's behaviour changes on purpose, review the differences this test lists, then
re-record with ``python tests/test_parser_speed_equivalence.py --write``.
"""
from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import pytest

from explorer import config, parser
from explorer.parser import PageError, parse_bytes, parse_lines, parse_text, text_lines
from explorer.records import Source
from explorer.synth import synth_page

PAGES = Path(__file__).parent / "pages"
DIGESTS = Path(__file__).parent / "parser_digests.json"
MUTATIONS_PER_PAGE = 40
# Caches the speed work added or relies on; cleared to compare cold with warm parsing.
CACHES = ("_short_line_is_heading", "_heading_plain", "_heading_line", "_cued_kind", "_item",
          "_related_pairs", "_subjects", "_drug_title", "_swappable")

_INSERTS = [b":", b": ", b" - ", "\u2014".encode(), b"**", b" | ", b", ", b" and ", b" for ", b"?",
            b"Side Effects", b"Lower Risk", b"\xe9", b"\xff", "\u00a0".encode(), "\u200b".encode()]
_MARKERS = [b"- ", b"* ", "\u2022 ".encode(), "\u2022".encode(), b"1. ", b"(3) ", b"-", b"12) "]


def mutate(rng: random.Random, data: bytes) -> bytes:
    """Damage a page the way crawls and editors do; deterministic for a given ``rng``."""
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 5)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        op = rng.randrange(9)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            lines[i] = rng.choice([bytes.upper, bytes.lower, bytes.title, bytes.swapcase])(lines[i])
        elif op == 4:
            lines[i] = rng.choice(_MARKERS) + lines[i]
        elif op == 5:
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(_INSERTS) + lines[i][at:]
        elif op == 6:
            lines[i] = lines[i].rstrip(b".:?") + rng.choice([b"", b":", b"?", b"."])
        elif op == 7:
            joined = b"\n".join(lines)
            lines = joined[: rng.randint(0, len(joined))].split(b"\n")
        else:
            lines[i] = b"## " + lines[i]
    return b"\n".join(lines)


def cases() -> list[tuple[str, bytes, str]]:
    """(case name, bytes, path given to the parser) for every recorded case."""
    bases = sorted(p for p in PAGES.iterdir() if p.is_file()) + [config.RAW_DIR / "mirena-back-pain.txt"]
    out = []
    for base in bases:
        data = base.read_bytes()
        out.append((base.name, data, base.name))
        rng = random.Random(f"parser-equivalence/{base.name}")
        for k in range(MUTATIONS_PER_PAGE):
            out.append((f"{base.name}#{k}", mutate(rng, data), base.name))
    return out


def outcome(data: bytes, path: str) -> str:
    """What the parser read, as a short digest."""
    try:
        text = repr(parse_bytes(data, path))
    except PageError as e:
        text = repr(("PageError", e.path, e.line, e.expected))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def clear_caches() -> None:
    for name in CACHES:
        getattr(parser, name).cache_clear()


def test_results_match_the_recorded_digests():
    recorded = json.loads(DIGESTS.read_text())
    clear_caches()
    changed = [name for name, data, path in cases() if outcome(data, path) != recorded.pop(name, None)]
    assert not changed, f"{len(changed)} pages parse differently, e.g. {changed[:10]}"
    assert not recorded, f"recorded cases no longer generated: {sorted(recorded)[:10]}"


@pytest.fixture(scope="module")
def synthetic() -> list[tuple[bytes, str]]:
    pages = [synth_page(i, seed=7) for i in range(120)]
    return [(p.data, p.path) for p in pages]


def test_cold_and_warm_caches_give_the_same_articles(synthetic):
    clear_caches()
    cold = [outcome(data, path) for data, path in synthetic]
    warm = [outcome(data, path) for data, path in synthetic]
    assert cold == warm


def test_text_fast_path_matches_parse_lines(synthetic):
    """parse_text reads text pages without building lines; parse_lines on text_lines must agree."""
    for data, path in synthetic + [(d, p) for _, d, p in cases()[:200]]:
        try:
            text, encoding = parser.decode(data, path)
        except PageError:
            continue
        if parser.looks_like_html(text, path):
            continue
        source = Source(path=path, sha256="", encoding=encoding)
        try:
            fast = parse_text(text, source)
        except PageError as e:
            with pytest.raises(PageError) as info:
                parse_lines(text_lines(text), source)
            assert (info.value.line, info.value.expected) == (e.line, e.expected)
            continue
        assert parse_lines(text_lines(text), source) == fast


def test_drug_title_string_match_equals_the_pattern():
    rng = random.Random(3)
    alphabet = "aAfFoOrRkK \t\x0b\x1c.-'xz"
    for _ in range(20000):
        drug = rng.choice(["Mirena", "K", "for", "a.b", "x+y", "(r)", ""]) or "".join(
            rng.choice(alphabet) for _ in range(rng.randint(1, 4)))
        text = "".join([drug if rng.random() < 0.7 else drug.swapcase(), rng.choice(["", " ", "\t ", "\x1c"]),
                        rng.choice(["for", "FOR", "fOr", "fo", "form"]), rng.choice(["", " ", "  ", "\x0b"]),
                        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5)))])
        m = parser._drug_title(drug).match(text)
        assert parser._drug_title_groups(text, drug) == ((m["drug"], m["condition"]) if m else None)


_SWAP_DRUGS = ["Draxquivane", "Mirena", "Include", "Side", "Effects", "Exacts", "Lower", "Tipsy",
               "Related", "Common", "Rare", "Severe", "Serious", "Managing", "Neck", "Pain", "Their",
               "Sied", "Adverse", "Cold", "Zqxjv", "Long", "Possible", "Known", "Other", "Articles",
               "Dose", "Tips", "Doctor"]
_SWAP_CONDITIONS = ["Back Pain", "Lower Back Pain", "Common Cold", "Neck Swelling", "Side Pain", "Tips",
                    "Risk of Falls", "Knee Effects", "Draxquivane Rash"]
_SWAP_WORDS = ("side effects efects effect adverse common less rare serious managing tips doctor reducing "
               "risk lower lowering the your of for and what to do reviews dosage how use related see also "
               "other articles is are can include Side Effects Common Rare Serious Managing Reducing Risk "
               "Lower What How Can Does Understanding Using Who Might Help With Link Between Reviews "
               "Related Articles").split()


def classify_heading(text: str, drug: str, condition: str):
    """None for prose, else the section (kind, label) of a short line without a bullet."""
    if not parser._reads_as_heading(text):
        return None
    plain = text.rstrip(":").strip()
    return parser._subject_free_kind(plain) or parser._page_cued_kind(
        plain, drug, condition, parser._subjects(drug, condition))


def heading(rng: random.Random, drug: str, condition: str) -> str:
    """A heading-like line mixing the drug (whole, possessive, in parentheses, upper-cased, glued to
    a suffix), the condition and the words the heading rules look at."""
    forms = [drug, drug, condition, condition.lower(), "(" + drug, drug.upper(), "for",
             drug + rng.choice(["'s", "?", ":", "s", "_x"])]
    words = [rng.choice(forms) if rng.random() < 0.4 else rng.choice(_SWAP_WORDS)
             for _ in range(rng.randint(1, 9))]
    text = rng.choice([" ", "  ", "-"]).join(words) + rng.choice(["", "", ":", "?", " Side Effects"])
    return text[:1].upper() + text[1:]


def test_headings_read_the_same_with_the_drug_swapped_for_the_stand_in():
    """The parser classifies a heading naming its drug as the heading with a stand-in word instead."""
    rng = random.Random(11)
    swapped = 0
    for _ in range(40000):
        drug, condition = rng.choice(_SWAP_DRUGS), rng.choice(_SWAP_CONDITIONS)
        text = heading(rng, drug, condition).strip()
        if (not text or not parser._swappable(drug, condition) or len(text) > 120
                or text[-1] in ".,;!…" or drug.lower() not in text.lower()):
            continue
        key = parser._swap_drug(text, text.lower(), drug, drug.lower())
        if key is None:
            continue
        swapped += 1
        direct = classify_heading(text, drug, condition)
        assert classify_heading(key, parser._STAND_IN, condition) == direct, text
    assert swapped > 4000
    assert parser._swappable(parser._STAND_IN, "Back Pain")  # the stand-in obeys the rule it stands in for


if __name__ == "__main__":  # re-record the digests (after reviewing an intended change)
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_parser_speed_equivalence.py --write")
    digests = {name: outcome(data, path) for name, data, path in cases()}
    DIGESTS.write_text(json.dumps(digests, indent=0) + "\n")
    print(f"wrote {DIGESTS}")
