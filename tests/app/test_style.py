"""explorer.app.style: one palette, readable by everyone.

Severity is one ordered scale; no label status takes a severity's hue; every two colours that share a
chart (and every severity and status) stay apart for normal vision and for each kind of colour
blindness (simulated); every text/background pair the stylesheet draws meets WCAG AA. The colour
science is written out here (sRGB -> CIELAB, CIEDE2000, Machado et al.'s 2009 simulation), and checked
on published values, so the test does not take the palette's word for it. What the browser draws is
checked in tests/app/test_browser.py (contrast of every rendered text, one colour per meaning).
"""
from __future__ import annotations

import itertools
import math
import re

from urllib.parse import unquote

import pytest

from explorer.app import style
from explorer.audit.vocabulary import STATUS_COLOURS, STATUS_LEVELS
from explorer.display import contrast_ratio, rgb, text_colour
from explorer.explore.charts import HAS_PAGE_COLOUR, LINE_COLOUR, LINKED_ONLY_COLOUR
from explorer.vocabulary import BUCKET_COLOURS, SEVERITY_BUCKETS, SEVERITY_COLOURS, SEVERITY_LEVELS

# --- colour science -------------------------------------------------------------------------------


def _linear(c: int) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _encoded(c: float) -> int:
    c = min(max(c, 0.0), 1.0)
    return round(255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055))


def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour."""
    r, g, b = (_linear(c) for c in rgb(colour))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def lch(colour: str) -> tuple[float, float, float]:
    lightness, a, b = lab(colour)
    return lightness, math.hypot(a, b), math.degrees(math.atan2(b, a)) % 360


def delta_e(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal, 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 if abs(h2 - h1) <= 180 else h2 - h1 - 360 if h2 > h1 else h2 - h1 + 360)
    d_l, d_c, d_h = l2 - l1, c2 - c1, 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_t = (-2 * math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7))
           * math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2)))))
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


#: Machado, Oliveira and Fernandes (2009), severity 1.0, applied to linear sRGB.
SIMULATIONS: dict[str, tuple[tuple[float, ...], ...]] = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
VISIONS = ("normal", *SIMULATIONS)


def seen(colour: str, vision: str) -> str:
    """``colour`` as someone with ``vision`` sees it (simulated)."""
    if vision == "normal":
        return colour
    linear = [_linear(c) for c in rgb(colour)]
    out = [sum(m * c for m, c in zip(row, linear)) for row in SIMULATIONS[vision]]
    return "#" + "".join(f"{_encoded(c):02X}" for c in out)


def difference(a: str, b: str, vision: str) -> float:
    return delta_e(lab(seen(a, vision)), lab(seen(b, vision)))


def test_the_colour_science_gives_the_published_values():
    # CIEDE2000: pairs 1, 7 and 17 of Sharma, Wu and Dalal's test data
    assert delta_e((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert delta_e((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert delta_e((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    assert lab("#FFFFFF") == pytest.approx((100, 0, 0), abs=0.02)
    assert seen("#808080", "deuteranopia") == "#808080"  # greys stay grey
    assert difference("#D55E00", "#009E73", "normal") > 40  # red and green, far apart ...
    assert difference("#E31A1C", "#6A9E00", "deuteranopia") < 10  # ... and a red and a green alike without M cones
    # WCAG 2's examples: black on white, and the grey that just passes AA
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


# --- the palette ----------------------------------------------------------------------------------

def test_severity_is_one_ordered_scale_dark_as_it_rises():
    lightness = [lab(SEVERITY_COLOURS[s])[0] for s in SEVERITY_LEVELS]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == len(lightness)
    steps = [a - b for a, b in zip(lightness, lightness[1:])]
    assert min(steps) >= 15, steps  # each step visible in lightness alone, whatever the hue vision


def test_no_status_takes_a_severitys_hue():
    severity_hues = [lch(c)[2] for c in BUCKET_COLOURS.values() if lch(c)[1] >= 10]
    for status, colour in STATUS_COLOURS.items():
        _, chroma, hue = lch(colour)
        if chroma < 10:  # a grey: no hue to share
            continue
        nearest = min(min(abs(hue - h), 360 - abs(hue - h)) for h in severity_hues)
        assert nearest >= 60, (status, colour, round(nearest))


@pytest.mark.parametrize("vision", VISIONS)
def test_colours_that_share_a_chart_stay_apart_for_every_vision(vision):
    for name, palette, least in (("severity", BUCKET_COLOURS, 12), ("status", STATUS_COLOURS, 11)):
        for (a, ca), (b, cb) in itertools.combinations(palette.items(), 2):
            assert difference(ca, cb, vision) >= least, (name, a, b, vision, round(difference(ca, cb, vision), 1))


@pytest.mark.parametrize("vision", VISIONS)
def test_a_status_never_looks_like_a_severity_for_every_vision(vision):
    # a page view's claim carries both chips side by side
    for (s, cs), (b, cb) in itertools.product(STATUS_COLOURS.items(), BUCKET_COLOURS.items()):
        assert difference(cs, cb, vision) >= 10, (s, b, vision, round(difference(cs, cb, vision), 1))


def test_one_colour_per_meaning():
    colours = {**style.meanings(), "related: has a page": HAS_PAGE_COLOUR, "related: only linked": LINKED_ONLY_COLOUR}
    assert len(set(map(str.upper, colours.values()))) == len(colours)
    assert set(STATUS_COLOURS) == set(STATUS_LEVELS) and set(BUCKET_COLOURS) == set(SEVERITY_BUCKETS)
    neutrals = {c.upper() for c in style.NEUTRALS.values()} | {LINE_COLOUR.upper()}
    assert not neutrals & {c.upper() for c in colours.values()}  # no data colour doubles as the page's


# --- contrast -------------------------------------------------------------------------------------

@pytest.mark.parametrize("where", sorted(style.TEXT_PAIRS))
def test_every_text_background_pair_meets_wcag_aa(where):
    ink, background = style.TEXT_PAIRS[where]
    assert contrast_ratio(style.NEUTRALS[ink], style.NEUTRALS[background]) >= 4.5


@pytest.mark.parametrize("where", sorted(style.GRAPHIC_PAIRS))
def test_every_graphic_meets_wcag_aa_for_interface_components(where):
    colour, background = style.GRAPHIC_PAIRS[where]
    assert contrast_ratio(style.NEUTRALS[colour], style.NEUTRALS[background]) >= 3


@pytest.mark.parametrize("meaning", sorted(style.meanings()))
def test_the_text_on_every_chip_meets_wcag_aa(meaning):
    colour = style.meanings()[meaning]
    assert contrast_ratio(text_colour(colour), colour) >= 4.5, (meaning, colour)


CSS = (style.STATIC_DIR / "explorer.css").read_text(encoding="utf-8")


def test_the_stylesheet_has_no_colour_of_its_own():
    body = re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)
    assert not re.search(r"#[0-9A-Fa-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklch|color-mix)\(", body)
    values = re.findall(r"(?:^|[;{\s])(?:color|background(?:-color)?|border(?:-[a-z]+)*|outline|box-shadow)\s*:\s*([^;}]*)",
                        body)
    named = {"white", "black", "red", "grey", "gray", "silver", "blue", "green", "orange", "yellow", "purple"}
    assert not [v for v in values if set(re.findall(r"[a-z]+", v)) & named]


def test_the_stylesheet_draws_only_the_listed_pairs():
    body = re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)
    inks = set(re.findall(r"(?<![-\w])color:\s*var\(--ex-([\w-]+)\)", body))
    backgrounds = set(re.findall(r"background(?:-color)?:\s*var\(--ex-([\w-]+)\)", body))
    assert inks and inks <= {ink for ink, _ in style.TEXT_PAIRS.values()}
    graphics = {colour for colour, _ in style.GRAPHIC_PAIRS.values()}  # bars and rules that carry no text
    assert backgrounds and backgrounds <= {b for _, b in style.TEXT_PAIRS.values()} | graphics
    # chips take their own pair: the meaning's colour and the text colour chosen for it
    assert re.search(r"background:\s*var\(--chip\);\s*color:\s*var\(--chip-ink\)", body)


def test_the_stylesheet_gives_each_severity_and_status_its_colour_and_text():
    sheet = style.stylesheet()
    for bucket, colour in BUCKET_COLOURS.items():
        assert f".{style.severity_class(bucket)} {{--chip: {colour}; --chip-ink: {text_colour(colour)};}}" in sheet
    for status, colour in STATUS_COLOURS.items():
        assert f".{style.status_class(status)} {{--chip: {colour}; --chip-ink: {text_colour(colour)};}}" in sheet
    assert sheet.startswith("<style>") and sheet.endswith("</style>") and CSS in sheet
    # icons are inline SVG: the stylesheet names no other address
    assert "url(\"data:image/svg+xml," in sheet
    assert re.findall(r"https?:[^\s\"'>)]*", unquote(sheet)) == ["http://www.w3.org/2000/svg"] * 2
