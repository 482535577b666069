"""Synthetic pages in the shapes of other sites (``explorer synth --general-share F``), for benchmarks and tests.

The template generator (:mod:`explorer.devtools.synth`) writes meds.is-style pages; real crawls mix in
pages of other sites. :func:`general_page` writes one in one of six shapes: a leaflet ("More common:"
labels over plain lines), a "<Drug> for <Condition>: subtitle" article with tier headings and "Name:
description" bullets, a question headline with navigation, a byline and lead-in sentences over numbered
items, a pipe table with a frequency column, an HTML page in site chrome (menu, cookie banner, footer),
and an article whose side effects are a prose enumeration. Each carries traps (a benefits list, dosage
bullets, related links) and says it is synthetic (:data:`explorer.pages.template.SYNTHETIC_MARKER`).

Drug names are the invented ones of the template generator, so a reader must be told them
(``drug_names``, as an imported label store would); :data:`DRUGS` lists them. The side effects each page
presents are returned with it, so a test or benchmark can check what was read.
"""
from __future__ import annotations

import html
import random
from dataclasses import dataclass
from pathlib import Path

from ..pages.template import SYNTHETIC_MARKER
from .synth import CONDITIONS, DRUGS

SHAPES = ("leaflet", "subtitle", "question", "table", "html", "prose")
_EFFECTS = ("Drowsiness", "Dry mouth", "Headache", "Nausea", "Dizziness", "Blurred vision", "Constipation",
            "Fatigue", "Sweating", "Tremor", "Skin rash", "Muscle aches", "Loss of appetite", "Ringing in the ears",
            "Fast heartbeat", "Swollen ankles", "Confusion", "Fainting", "Trouble breathing", "Chest pain")
_TIERS = (("More common", "common"), ("Less common", "less common"), ("Rare", "rare"))
_FILLER = (f"{SYNTHETIC_MARKER}. The drug on this page is invented for software tests and nothing here "
           "describes a real medicine.")


@dataclass(frozen=True)
class GeneralPage:
    """One synthetic page of another site's shape, and the side effects it presents."""

    name: str  # file name
    data: bytes
    shape: str
    drug: str
    condition: str | None
    side_effects: tuple[tuple[str, str | None], ...]  # (name, severity), in page order


def _pick(rng: random.Random, k: int) -> list[str]:
    return rng.sample(_EFFECTS, k)


def _traps(drug: str) -> list[str]:
    return ["", f"How {drug} may help:", "- Steadier days", "- Better sleep", "", "Dosage", "- Adults: one tablet daily",
            "- Take it with water", "", "Related articles", f"- {drug} for Back Pain", f"- {drug} for Acne", ""]


def general_page(i: int, seed: int = 0) -> GeneralPage:
    """Page ``i`` of ``seed``: the same bytes every time (see the module docstring for the shapes)."""
    rng = random.Random(f"general-{seed}-{i}")
    shape = SHAPES[i % len(SHAPES)]
    drug, condition = rng.choice(DRUGS), rng.choice(CONDITIONS)
    effects = _pick(rng, 9)
    tiers = [(effects[k * 3:(k + 1) * 3], tier, severity) for k, (tier, severity) in enumerate(_TIERS)]
    found: list[tuple[str, str | None]] = []
    lines: list[str]
    slug = f"{drug.lower()}-{condition.lower().replace(' ', '-')}"
    if shape == "leaflet":
        lines = ["Print | Email | Share", f"{drug} Side Effects", "", _FILLER, "", "Side effects needing attention", ""]
        for names, tier, severity in tiers:
            lines += [f"{tier}:", *(f"    {n}" for n in names), ""]
            found += [(n, severity) for n in names]
        condition = None
    elif shape == "subtitle":
        lines = [f"{drug} for {condition}: Uses, Side Effects and Warnings", "", _FILLER, *_traps(drug)]
        for names, tier, severity in tiers:
            lines += [f"{tier} side effects", *(f"- {n}: reported by some people in made-up stories" for n in names), ""]
            found += [(n, severity) for n in names]
    elif shape == "question":
        lines = ["Home | Medicines | Conditions | About", "By A. Writer", "- 4 min read", "",
                 f"How does {drug.lower()} work for {condition}?", "", _FILLER, "",
                 "The most common side effects include:"]
        lines += [f"{k + 1}. {n}" for k, n in enumerate(effects[:5])] + ["", "Call your doctor right away if you have:"]
        lines += [f"{k + 1}) {n}" for k, n in enumerate(effects[5:8])] + _traps(drug)
        found = [(n, "common") for n in effects[:5]] + [(n, "serious") for n in effects[5:8]]
    elif shape == "table":
        lines = [f"{drug} for {condition}", "", _FILLER, "", "| Side effect | Frequency | Note |",
                 "|---|---|---|"]
        for names, tier, severity in tiers:
            lines += [f"| {n} | {tier} | ask a pharmacist |" for n in names]
            found += [(n, severity) for n in names]
        lines += _traps(drug)
        lines[0] = f"{drug} for {condition}: What to Know"
    elif shape == "html":
        items = "".join(f"<li>{html.escape(n)}</li>" for n in effects[:4])
        serious = "".join(f"<li>{html.escape(n)}</li>" for n in effects[4:7])
        lines = ["<!DOCTYPE html>", "<html><head><title>Synthetic page</title></head><body>",
                 '<div class="cookie-banner">We use cookies. <button>Accept</button></div>',
                 '<nav><ul><li><a href="/">Home</a></li><li><a href="/a">Drugs</a></li></ul></nav>',
                 "<main><article>", f"<h1>{html.escape(drug)} for {html.escape(condition)}</h1>",
                 f"<p>{html.escape(_FILLER)}</p>", "<h2>Common side effects</h2>", f"<ul>{items}</ul>",
                 "<h2>Serious side effects</h2>", f"<ul>{serious}</ul>", "<h2>Dosage</h2>",
                 "<ul><li>Adults: one tablet daily</li></ul>", "</article></main>",
                 '<aside class="sidebar"><h3>Related</h3><ul><li>Headache relief tips</li></ul></aside>',
                 "<footer><p>Contact us</p></footer>", "</body></html>"]
        found = [(n, "common") for n in effects[:4]] + [(n, "serious") for n in effects[4:7]]
        return GeneralPage(f"{i:07d}-{slug}.html", ("\n".join(lines) + "\n").encode(), shape, drug, condition,
                           tuple(found))
    else:  # prose
        a, b, c = (n.lower() for n in effects[:3])
        lines = ["Wellness Notes | Blog | Newsletter", f"{drug} for {condition}", "", _FILLER, "", "Side effects", "",
                 f"Common side effects include {a}, {b} and {c}.", "", "Rare side effects", "- " + effects[3]]
        found = [(n.lower(), "common") for n in effects[:3]] + [(effects[3], "rare")]
        lines += _traps(drug)
    return GeneralPage(f"{i:07d}-{slug}.txt", ("\n".join(lines) + "\n").encode(), shape, drug, condition,
                       tuple(found))


def write_general(n: int, out: Path, seed: int = 0) -> int:
    """Write pages ``0 .. n-1`` of ``seed`` into the folder ``out``; return the side effects they present."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(n):
        page = general_page(i, seed)
        (out / page.name).write_bytes(page.data)
        total += len(page.side_effects)
    return total
