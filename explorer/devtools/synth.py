"""Synthetic '<Drug> for <Condition>' pages for benchmarks and tests (``explorer synth``).

Every page is made up: the drug names are invented ("Zorvalex", "Quorbedine", ...), the wording is
generic filler, and each readable page says in a prose line that it is synthetic
(:data:`explorer.pages.template.SYNTHETIC_MARKER`), so the parser flags it. Synthetic pages never belong in
``data/``.

The pages follow the template of the real page (drug header, title, question sections, a side-effects
block of tiers, managing / reducing-risk advice, reviews, related articles) with the variations seen in
the wild: tiers written several ways, bullet styles ``- `` / ``1. `` / ``• ``, separators ``:``,
`` - ``, `` – ``, `` — ``, names without description, Dosage / Interactions sections whose
``Name: text`` bullets are not side effects, header values present or empty, CRLF line ends, byte-order
marks, a few saved-HTML pages, pages cut off mid-sentence, and a small share of broken pages (empty,
binary, no title).

Page ``i`` of seed ``s`` depends only on ``(s, i)`` (see :func:`synth_page`), so the output is
byte-for-byte reproducible and any single page's expectation can be recomputed without the others.

Longer than the project's 400-line guide: about 200 lines are the word pools and page templates the
generator draws from, kept beside the code that uses them.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..pages.template import SYNTHETIC_MARKER

#: Bumped whenever the same seed starts giving different bytes (the benchmark re-generates its pages).
GENERATOR_VERSION = 2
#: Pages per sub-folder: keeps directory listings short for 100,000-page corpora.
PAGES_PER_FOLDER = 1000

# Shares of page variants (per page, independent draws).
P_EMPTY = 0.003
P_BINARY = 0.003
P_NO_TITLE = 0.004
P_HTML = 0.01
P_TRUNCATED = 0.03
P_CRLF = 0.05
P_BOM = 0.03

# --- vocabulary -----------------------------------------------------------------------------------
# Invented syllables chosen so no combination spells a real medicine and none starts with a word the
# parser reads as a section cue (manage, cope, deal, tips, reduce, prevent, avoid, lower, review...).
_PREFIX = ("Zor", "Quor", "Xen", "Vry", "Kelo", "Tryz", "Oxy", "Plu", "Jex", "Wyn", "Yzo", "Drax",
           "Fyl", "Gorm", "Hux", "Ixo", "Nyv", "Brel", "Czy", "Smor")
_MIDDLE = ("va", "be", "lo", "ra", "ne", "tu", "qui", "zi")
_SUFFIX = ("lex", "dine", "zor", "trin", "max", "vane", "quil", "phex")
DRUGS: tuple[str, ...] = tuple(p + m + s.lower() for p in _PREFIX for m in _MIDDLE for s in _SUFFIX)

_PLACES = ("Back", "Knee", "Neck", "Shoulder", "Jaw", "Wrist", "Ankle", "Elbow", "Hip", "Scalp",
           "Foot", "Hand", "Chest", "Eye", "Ear")
_SYMPTOMS = ("Pain", "Stiffness", "Itch", "Cramps", "Soreness", "Tingling", "Swelling", "Ache",
             "Numbness", "Weakness")
# Two conditions hold words that are also section cues ("lower" = reducing risk, "management" =
# managing): in "Common Side Effects of X for Lower Back Pain" the parser must see a tier, not advice.
_OTHER_CONDITIONS = ("Insomnia", "Fatigue", "Hay Fever", "Motion Sickness", "Dry Skin", "Hiccups",
                     "Restless Sleep", "Seasonal Sniffles", "Mild Fever", "Nail Brittleness",
                     "Sun Sensitivity", "Jet Lag", "Chapped Lips", "Night Sweats", "Low Appetite",
                     "Lower Back Pain", "Stress Management")
CONDITIONS: tuple[str, ...] = tuple(f"{p} {s}" for p in _PLACES for s in _SYMPTOMS) + _OTHER_CONDITIONS

#: Tier headings as sites write them; the parser keeps the words and maps them to a severity.
TIERS: tuple[str, ...] = ("Common", "Less Common", "Uncommon", "Rare", "Severe", "Serious",
                          "Less Common but Serious", "Very Common", "Infrequent")
_TIER_ORDER = {t: i for i, t in enumerate(("Very Common", "Common", "Less Common", "Uncommon",
                                           "Infrequent", "Rare", "Less Common but Serious",
                                           "Severe", "Serious"))}

_EFFECTS = ("Headache", "Dizziness", "Nausea", "Dry mouth", "Drowsiness", "Mild rash", "Itching",
            "Tiredness", "Upset stomach", "Blurred vision", "Hair thinning", "Muscle twitching",
            "Restlessness", "Trouble sleeping", "Flushing", "Increased thirst", "Appetite changes",
            "Mood changes", "Weight gain", "Ringing in the ears", "Cold hands", "Vivid dreams",
            "Hiccups", "Metallic taste", "Sneezing", "Joint stiffness", "Mild swelling",
            "Skin dryness", "Light sensitivity", "Sweating", "Chest tightness", "Fainting",
            "Severe allergic reaction", "Irregular heartbeat", "Unusual bruising",
            "Shortness of breath")
_EFFECT_DESCRIPTIONS = (
    "In this made-up example, some users report {e} during the first weeks of use.",
    "{E} was mentioned by a few people in the invented reviews used for this test page.",
    "Placeholder text: {e} may come and go; this sentence is not medical information.",
    "Some fictional users of {drug} describe {e}, which usually fades without any change.",
    "Test wording only: {e} is listed here so the parser has a description to read.",
    "{E} appears in this synthetic list; talk to a real professional about real medicines.",
)
_ADVICE_MANAGING = (
    ("Talk to your doctor",
     "If you notice anything unusual, a healthcare provider can help you decide what to do next."),
    ("Keep a symptom diary", "Writing down when a symptom starts makes it easier to describe at an appointment."),
    ("Stay hydrated", "Drinking water through the day is generic advice that suits this placeholder page."),
    ("Rest when needed", "Giving yourself time to recover is sensible, whatever the made-up medicine."),
    ("Follow the leaflet", "The instructions that come with a real product always take precedence."),
)
_ADVICE_REDUCING = (
    ("Follow the recommended schedule", "Taking something exactly as directed is the usual first step."),
    ("Get regular check-ups", "Routine visits help spot problems early, when they are easier to deal with."),
    ("Share your full history", "Tell your provider about other products you use, including supplements."),
    ("Avoid doubling up", "If a dose is missed, ask a pharmacist rather than guessing."),
)
_OTHER_SECTIONS = (
    ("Dosage of {drug}", (("Typical schedule", "Once a day in this invented example, not a real dosing instruction."),
                          ("Missed dose", "Ask a pharmacist what to do; this page is only test content."),
                          ("Maximum amount", "Never exceed what a real label says; this one has no label."))),
    ("{drug} Interactions", (("Other fictional products", "This sentence exists so the page has an interactions list."),
                             ("Alcohol", "Generic caution applies; this page makes no real claim."),
                             ("Herbal supplements", "Mention everything you take to a real professional."))),
    ("Warnings and Precautions", (("Pregnancy", "Ask a healthcare provider; this synthetic page gives no advice."),
                                  ("Driving", "Generic wording: see how you feel before doing anything demanding."))),
)
_QUESTIONS = (
    "How Does {drug} Relate to {condition}?",
    "What Causes {condition} in {drug} Users?",
    "Can {drug} Help with {condition}?",
    "What to Expect When Using {drug} for {condition}",
    "Alternatives to {drug} for {condition}",
    "Understanding the Link Between {drug} and {condition}",
    "Who Might Consider {drug}?",
    "How Long Does {drug} Take to Work?",
    "Conclusion",
)
# Generic filler: every sentence ends with a full stop, so no paragraph reads as a heading.
_PARAGRAPHS = (
    "{drug} is an invented product used only to exercise this software. People in these made-up "
    "stories sometimes mention {cond} when they talk about it, but nothing here describes a real "
    "medicine, a real study or a real outcome. The wording is deliberately generic and should never "
    "be read as advice about any treatment.",
    "Some fictional users of {drug} say that their {cond} changed after they started, while others "
    "noticed no difference at all. This mix of reports is typical of the kind of page the explorer "
    "reads, and it is reproduced here so the parser meets long paragraphs, commas and quotes like "
    "“these ones” in realistic places.",
    "Anyone thinking about a real treatment for {cond} should speak with a qualified healthcare "
    "provider, who can look at their history and explain the options. A synthetic page such as this "
    "one cannot weigh benefits and risks, and it does not try to; it only fills the space where such "
    "a discussion would normally appear.",
    "The invented mechanism of {drug} is not described anywhere, because it does not exist. Pages of "
    "this template often include a paragraph about how a product might work, so this paragraph takes "
    "that place with neutral wording, about the length and rhythm of the real thing.",
    "Several factors can shape how a person experiences {cond}, including sleep, stress, activity and "
    "other conditions. In the world of this test page, {drug} is just one more factor in the list, and "
    "the sentences around it are placeholders rather than findings.",
    "If you are reading this outside a test suite, you have found generated text. It was written by a "
    "program that assembles paragraphs from a small pool, swaps in an invented drug name and a generic "
    "condition, and writes thousands of pages so that ingest and loading can be timed.",
    "It is also common for pages like this to close with a reminder that everyone responds "
    "differently. That reminder applies here in the most literal way, since {drug} has never been "
    "taken by anyone and no experience of {cond} has ever been linked to it.",
    "Reviews of {drug} on this imaginary site range from enthusiastic to disappointed, as reviews "
    "usually do. Some reviewers mention {cond} improving over a few weeks; others say the change was "
    "too small to notice. None of these reviewers are real people.",
    "A healthcare provider may suggest other approaches for {cond}, such as rest, gentle exercise, "
    "changes to daily routine or a different product. On this synthetic page the list is only an "
    "example of the structure, not a recommendation of any option.",
    "Long-term use of {drug} is a topic that real pages of this kind discuss at length. Here the "
    "paragraph only keeps the page close to the size of a real one, around nine kilobytes, so that "
    "timing figures measured on synthetic pages carry over to crawled ones.",
)
_TIER_INTROS = (
    "In the context of {cond}, some commonly reported side effects of {drug} in this invented example include:",
    "In addition to the effects mentioned above, some fictional users of {drug} for {cond} have reported "
    "the following:",
    "While unusual, a few made-up reports about {drug} for {cond} describe the following effects:",
    "The synthetic reviews on this page mention these effects of {drug} as well:",
)
_HEADER_CLASSES = ("Fictional analgesics", "Imaginary modulators", "Test-only agents", "Made-up relaxants")


@dataclass(frozen=True)
class SynthPage:
    """One generated page and what the parser should read from it.

    ``side_effects`` holds ``(tier, name, description)`` in page order; ``broken`` names why the page
    cannot be parsed ("empty", "binary", "no_title") or is ``None`` for a readable page.
    """

    path: str  # relative to the corpus folder, with "/" separators
    data: bytes
    drug: str | None
    condition: str | None
    broken: str | None
    format: str  # "text" or "html"
    truncated: bool
    side_effects: tuple[tuple[str, str, str | None], ...]
    n_advice: int
    n_related: int


@dataclass(frozen=True)
class SynthSummary:
    """Counts of what :func:`synthesize` wrote and what the parser should find."""

    out: str
    seed: int
    pages: int
    bytes: int
    side_effects: int  # expected side-effect rows over all readable pages
    broken: int  # pages expected to raise PageError
    html: int
    truncated: int
    advice: int
    related: int
    seconds: float
    version: int = GENERATOR_VERSION  # of the generator that wrote the pages

    def to_json(self) -> dict:
        """The summary as a JSON-ready dict."""
        return asdict(self)


# --- page building --------------------------------------------------------------------------------

def _fill(template: str, drug: str, condition: str) -> str:
    return (template.replace("{drug}", drug).replace("{condition}", condition)
            .replace("{cond}", condition.lower()))


def _slug(text: str) -> str:
    return "-".join(text.lower().split())


def _separator(rng: random.Random) -> str:
    return rng.choice((": ", ": ", ": ", " - ", " – ", " — "))


def _bullet_marker(style: str, k: int) -> str:
    return f"{k}. " if style == "1." else style + " "


_Line = tuple  # (kind, text, role): kind in header/title/heading/prose/bullet/blank,
# role "side_effect" / "advice" / "related" for the bullets the parser should turn into rows.


def _page_lines(rng: random.Random, drug: str, condition: str) -> tuple[list[_Line], list]:
    """The readable page as (kind, text, role) lines, and its side effects in page order."""
    lines: list[_Line] = []

    def add(line: tuple) -> None:
        lines.append(line if len(line) == 3 else (*line, None))

    side_effects: list[tuple[str, str, str | None]] = []
    style = rng.choice(("-", "-", "-", "1.", "•"))
    blank_between = rng.random() < 0.15  # some sites put an empty line after every block

    def para() -> None:
        add(("prose", _fill(rng.choice(_PARAGRAPHS), drug, condition)))
        if blank_between:
            add(("blank", ""))

    # header block: present with values, present but empty, or missing
    header = rng.random()
    if header < 0.85:
        add(("header", drug))
        ingredient = drug.lower()[:-2] + "ine"
        if header < 0.35:
            add(("header", "Active Ingredients"))
            add(("header", "Drug Classes"))
        elif header < 0.6:
            add(("header", f"Active Ingredients: {ingredient}"))
            add(("header", f"Drug Classes: {rng.choice(_HEADER_CLASSES)}"))
        else:
            add(("header", "Active Ingredients"))
            add(("header", ingredient))
            add(("header", "Drug Classes"))
            add(("header", rng.choice(_HEADER_CLASSES)))
    add(("title", f"{drug} for {condition}"))
    add(("heading", f"What is {drug}?"))
    add(("prose", f"{SYNTHETIC_MARKER}. {drug} is a fictional product invented for software tests, "
                  f"and nothing on this page describes a real medicine or real {condition.lower()}."))
    para()
    para()
    for q in rng.sample(_QUESTIONS, rng.randint(5, 8)):
        add(("heading", _fill(q, drug, condition)))
        para()
        if rng.random() < 0.85:
            para()
    if rng.random() < 0.5:
        heading, items = rng.choice(_OTHER_SECTIONS)
        add(("heading", _fill(heading, drug, condition)))
        for k, (name, text) in enumerate(items, 1):
            add(("bullet", f"{_bullet_marker(style, k)}{name}{_separator(rng)}{text}"))
    # side effects: a parent heading, then two to four tiers in order of severity
    add(("heading", rng.choice((f"{drug} for {condition} Side Effects", f"Side Effects of {drug}",
                                "Possible Side Effects"))))
    tiers = sorted(rng.sample(TIERS, rng.randint(2, 4)), key=_TIER_ORDER.__getitem__)
    effects = rng.sample(_EFFECTS, 24)  # up to 4 tiers x 6 items, no repeats
    for tier in tiers:
        form = rng.random()
        word = "Side Efects" if rng.random() < 0.02 else "Side Effects"  # a typo the parser allows
        if form < 0.5:
            heading = f"{tier} {word} of {drug} for {condition}"
        elif form < 0.75 or len(tier.split()) > 2:
            heading = f"{tier} {word} of {drug}"
        else:
            heading = f"{tier} {word}:"
        add(("heading", heading))
        add(("prose", _fill(rng.choice(_TIER_INTROS), drug, condition)))
        for k in range(1, rng.randint(2, 6) + 1):
            name = effects.pop()
            if rng.random() < 0.2:
                description = None
                add(("bullet", f"{_bullet_marker(style, k)}{name}", "side_effect"))
            else:
                description = rng.choice(_EFFECT_DESCRIPTIONS).replace("{drug}", drug).replace(
                    "{e}", name.lower()).replace("{E}", name)
                add(("bullet", f"{_bullet_marker(style, k)}{name}{_separator(rng)}{description}",
                     "side_effect"))
            side_effects.append((tier, name, description))
    for heading, pool in ((f"Managing Side Effects of {drug} for {condition}", _ADVICE_MANAGING),
                          (f"Reducing the Risk of Side Effects of {drug} for {condition}", _ADVICE_REDUCING)):
        if rng.random() < 0.8:
            add(("heading", heading))
            add(("prose", "There are several generic steps mentioned on pages like this one, listed here as "
                          "placeholder text:"))
            for k, (name, text) in enumerate(rng.sample(pool, rng.randint(2, len(pool))), 1):
                add(("bullet", f"{_bullet_marker(style, k)}{name}{_separator(rng)}{text}", "advice"))
    add(("heading", f"{drug} for {condition} Reviews"))
    for _ in range(rng.randint(2, 4)):
        para()
    if rng.random() < 0.3:
        add(("prose", f"You can also read {drug}"))  # cut-off sentence mid-page, as on the real page
    others = rng.sample(CONDITIONS, rng.randint(8, 30))
    add(("heading", "Related Articles:"))
    for c in others:
        if c != condition:
            add(("bullet", f"- {drug} for {c}", "related"))
    return lines, side_effects


def _truncate(rng: random.Random, lines: list[_Line]) -> list[_Line]:
    """Cut the page inside a prose paragraph after the marker line, as a crawl cut short would."""
    prose = [i for i, (kind, text, _) in enumerate(lines)
             if kind == "prose" and i > 3 and SYNTHETIC_MARKER not in text and len(text.split()) > 24]
    cut = rng.choice(prose)
    words = lines[cut][1].split()
    # At least 17 words, so the fragment never reads as a heading; no closing punctuation, so the
    # parser sees a sentence cut off.
    fragment = " ".join(words[: rng.randint(17, len(words) - 2)]).rstrip(".,;:!?”’\"')")
    return lines[:cut] + [("prose", fragment, None)]


def _render_text(rng: random.Random, lines: list[_Line]) -> bytes:
    newline = "\r\n" if rng.random() < P_CRLF else "\n"
    text = newline.join(t for _, t, _ in lines) + ("" if rng.random() < 0.3 else newline)
    if rng.random() < P_BOM:
        text = "\ufeff" + text
    return text.encode("utf-8")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _render_html(lines: list[_Line], title: str) -> bytes:
    out = ["<!DOCTYPE html>", "<html>", f"<head><meta charset=\"utf-8\"><title>{_esc(title)}</title>",
           "<script>var analytics = 'synthetic';</script></head>", "<body>", "<article>"]
    open_list: str | None = None
    for kind, text, _ in lines:
        if kind == "bullet":
            marker, body = text.split(" ", 1)
            tag = "ol" if marker[0].isdigit() else "ul"
            if open_list != tag:
                if open_list:
                    out.append(f"</{open_list}>")
                out.append(f"<{tag}>")
                open_list = tag
            out.append(f"<li>{_esc(body)}</li>")
            continue
        if open_list:
            out.append(f"</{open_list}>")
            open_list = None
        if kind == "header":
            out.append(f"<div class=\"drug-header\">{_esc(text)}</div>")
        elif kind == "title":
            out.append(f"<h1>{_esc(text)}</h1>")
        elif kind == "heading":
            out.append(f"<h2>{_esc(text)}</h2>")
        elif kind == "prose":
            out.append(f"<p>{_esc(text)}</p>")
    if open_list:
        out.append(f"</{open_list}>")
    out += ["</article>", "</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")


def _broken_page(rng: random.Random, kind: str, drug: str) -> bytes:
    if kind == "empty":
        return rng.choice((b"", b"\n", b"  \r\n\r\n"))
    if kind == "binary":
        # An image saved under a page name: a PNG signature (with NUL bytes) and noise.
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(rng.randint(200, 4000))
    # A readable page without a '<Drug> for <Condition>' title: a site's error page.
    return "\n".join((
        "Page not found",
        f"{SYNTHETIC_MARKER}. The page you asked for has moved or never existed, and no article "
        "about any product is shown here.",
        f"You searched the site index of {drug}. Try the search box, or go back to the home page.",
        "Popular topics",
        "- Contact us",
        "- Site map",
        "",
    )).encode("utf-8")


def synth_page(i: int, seed: int = 0) -> SynthPage:
    """Generate page ``i`` of the corpus with seed ``seed`` (depends on nothing else).

    Parameters
    ----------
    i : index of the page (0-based); it also fixes the file's folder and name.
    seed : corpus seed; the same ``(seed, i)`` always gives the same bytes.

    Returns
    -------
    SynthPage
        The page's bytes, relative path and what the parser should read from it.
    """
    rng = random.Random(f"explorer-synth/{seed}/{i}")
    drug = rng.choice(DRUGS)
    condition = rng.choice(CONDITIONS)
    folder = f"{i // PAGES_PER_FOLDER:04d}"
    stem = f"{i:07d}-{_slug(drug)}-for-{_slug(condition)}"
    r = rng.random()
    broken = ("empty" if r < P_EMPTY else "binary" if r < P_EMPTY + P_BINARY
              else "no_title" if r < P_EMPTY + P_BINARY + P_NO_TITLE else None)
    if broken:
        return SynthPage(f"{folder}/{stem}.txt", _broken_page(rng, broken, drug), None, None, broken,
                         "text", False, (), 0, 0)
    lines, side_effects = _page_lines(rng, drug, condition)
    truncated = rng.random() < P_TRUNCATED
    if truncated:
        lines = _truncate(rng, lines)
    roles = [role for _, _, role in lines]
    # Side effects are emitted in page order, so a cut page keeps a prefix of them.
    side_effects = side_effects[: roles.count("side_effect")]
    n_advice, n_related = roles.count("advice"), roles.count("related")
    if rng.random() < P_HTML:
        data = _render_html(lines, f"{drug} for {condition}")
        return SynthPage(f"{folder}/{stem}.html", data, drug, condition, None, "html", truncated,
                         tuple(side_effects), n_advice, n_related)
    return SynthPage(f"{folder}/{stem}.txt", _render_text(rng, lines), drug, condition, None, "text",
                     truncated, tuple(side_effects), n_advice, n_related)


def synthesize(n: int, out: Path, seed: int = 0) -> SynthSummary:
    """Write ``n`` synthetic pages under ``out`` (``PAGES_PER_FOLDER`` per sub-folder).

    Parameters
    ----------
    n : number of pages.
    out : folder to write into (created if missing); files of the same names are overwritten, other
        files are left alone (use an empty folder to get exactly ``n`` pages).
    seed : the same seed and ``n`` give byte-identical files.

    Returns
    -------
    SynthSummary
        Counts of pages written and of what the parser should find in them.
    """
    start = time.perf_counter()
    out = Path(out)
    made: set[str] = set()
    totals = dict(bytes=0, side_effects=0, broken=0, html=0, truncated=0, advice=0, related=0)
    for i in range(n):
        page = synth_page(i, seed)
        folder = page.path.split("/", 1)[0]
        if folder not in made:
            (out / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        # os.open/os.write: a third faster than Path.write_bytes for many small files
        fd = os.open(out / page.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, page.data)
        finally:
            os.close(fd)
        totals["bytes"] += len(page.data)
        totals["side_effects"] += len(page.side_effects)
        totals["broken"] += page.broken is not None
        totals["html"] += page.format == "html"
        totals["truncated"] += page.truncated
        totals["advice"] += page.n_advice
        totals["related"] += page.n_related
    if n == 0:
        out.mkdir(parents=True, exist_ok=True)
    return SynthSummary(out=str(out), seed=seed, pages=n, version=GENERATOR_VERSION,
                        seconds=round(time.perf_counter() - start, 3),
                        **totals)


# --- command line ---------------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``explorer synth`` options to ``parser`` (a subcommand parser)."""
    parser.add_argument("--pages", type=int, required=True, help="number of pages to write")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the pages into")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0); same seed, same bytes")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument("--general-share", type=float, default=0.0, metavar="F",
                        help="share of the pages written in other sites' shapes, under general/ "
                             "(explorer.devtools.synthgeneral; default 0: template pages only)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``explorer synth`` with parsed arguments; return the exit status."""
    if args.pages < 0:
        print("explorer synth: --pages must be >= 0", file=sys.stderr)
        return 2
    share = getattr(args, "general_share", 0.0) or 0.0
    if not 0 <= share <= 1:
        print("explorer synth: --general-share must be between 0 and 1", file=sys.stderr)
        return 2
    general = round(args.pages * share)
    if general:
        from .synthgeneral import write_general

        written = write_general(general, Path(args.out) / "general", seed=args.seed)
        print(f"wrote {general} pages in other sites' shapes to {Path(args.out) / 'general'}: "
              f"{written} side effects expected (read them with the drug names of explorer.devtools.synthgeneral)")
    summary = synthesize(args.pages - general, args.out, seed=args.seed)
    if getattr(args, "json", False):
        print(json.dumps(summary.to_json(), indent=2))
    else:
        print(f"wrote {summary.pages} synthetic pages ({summary.bytes / 1e6:.1f} MB) to {summary.out} "
              f"in {summary.seconds:.1f} s: {summary.side_effects} side effects expected, "
              f"{summary.broken} broken pages, {summary.html} HTML, {summary.truncated} truncated")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m explorer.devtools.synth --pages N --out DIR``."""
    parser = add_arguments(argparse.ArgumentParser(prog="explorer synth", description=__doc__.split("\n")[0]))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
