"""What a label says about its product: application numbers, routes, dose forms and product names.

A page names a product the way readers know it ("Zofran ODT", "Diazepam Rectal Gel", "Metoprolol
Succinate ER", "Toprol XL"); to find the label of that product, :mod:`explorer.labels.resolve` needs to
know more of each label than its brand, generic and substance names:

- **application numbers** (``NDA019962``): a brand relabelled under its generic name is tied to its
  brand only by the application (``data/reference/brand_applications.csv``);
- **routes** as the source gives them (openFDA's ``route``, SPL's ``routeCode``);
- **dose forms** as tags (``tablet``, ``odt``, ``injection``, ``gel``, ``rectal``, ``extended-release``,
  ...), read with the vocabulary of ``data/reference/dose_forms.csv`` (a phrase, its tags, where it may be
  read and a note per row) from the label's names, routes and the passages that describe the product
  (dosage forms and strengths, the package label, how supplied, the first sentence of
  the indications);
- **product names** the label gives besides its brand field: variants such as "Bactrim DS" (the SPL
  product data elements), "ZOFRAN ODT orally disintegrating tablets" or "PREVACID SoluTab" (a brand
  followed by a capitalised word and a dose form), and "Authorized generic of Harvoni".

The same vocabulary reads a page's words (:func:`dose_tags`, :func:`split_dose_words`), so a page's
"rectal gel" and a label's "Diazepam Rectal Gel" give the same tags. Abbreviations (ER, XR, ODT, ...)
are read in names only, never in label prose, where they mean other things.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .. import config

DOSE_FORMS_FILE = "dose_forms.csv"
BRAND_APPLICATIONS_FILE = "brand_applications.csv"
ALIASES_FILE = "drug_aliases.csv"
#: How many characters of each descriptive passage are read for dose forms (the product is described first).
TEXT_CHARS = 3000
#: openFDA fields that describe the product (besides its names and route).
PRODUCT_FIELDS = ("dosage_forms_and_strengths", "package_label_principal_display_panel", "how_supplied")
#: Words that follow a brand on a package label without naming a product variant: regulatory marks and
#: schedule symbols ("USP", "Rx", "CII"), and words that start a sentence about the product.
_NOT_VARIANTS = frozenset({"usp", "nf", "rx", "ndc", "cii", "ciii", "civ", "cv", "only", "for", "is", "are", "and",
                           "or", "the", "in", "of", "with", "contains", "each", "tm", "r", "brand", "label",
                           "package", "carton", "bottle", "blister", "principal", "display", "panel", "kit",
                           "once", "daily", "pharmacist", "medication", "guide", "patient", "information"})
_WORD = re.compile(r"[a-z0-9]+")
_AUTHORIZED = re.compile(r"authori[sz]ed\s+generic\s+(?:of|for|version\s+of)\s+"
                         r"([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,2})", re.I)


@dataclass(frozen=True)
class DoseWords:
    """The dose-form vocabulary: phrase (as words) -> tags, for names and for label prose."""

    in_names: dict[tuple[str, ...], frozenset[str]]
    in_text: dict[tuple[str, ...], frozenset[str]]
    longest: int


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    return _WORD.findall(folded)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


@lru_cache(maxsize=8)
def dose_words(reference_dir: Path = config.REFERENCE_DIR) -> DoseWords:
    """The vocabulary of ``dose_forms.csv`` (phrase, tags, scope ``any`` or ``names``, note)."""
    in_names: dict[tuple[str, ...], frozenset[str]] = {}
    in_text: dict[tuple[str, ...], frozenset[str]] = {}
    path = Path(reference_dir) / DOSE_FORMS_FILE
    if path.exists():
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                phrase = tuple(_singular(w) for w in _words(row["phrase"]))
                tags = frozenset(row["tags"].split())
                if not phrase or not tags:
                    continue
                in_names[phrase] = tags
                if row.get("scope", "any").strip() != "names":
                    in_text[phrase] = tags
    longest = max((len(p) for p in in_names), default=1)
    return DoseWords(in_names, in_text, longest)


def _scan(words: list[str], vocabulary: dict[tuple[str, ...], frozenset[str]], longest: int):
    """(start, end, tags) of each vocabulary phrase in ``words``, longest first, not overlapping."""
    folded = [_singular(w) for w in words]
    i = 0
    while i < len(folded):
        for n in range(min(longest, len(folded) - i), 0, -1):
            tags = vocabulary.get(tuple(folded[i:i + n]))
            if tags is not None:
                yield i, i + n, tags
                i += n
                break
        else:
            i += 1


def dose_tags(text: str, names: bool = True, reference_dir: Path = config.REFERENCE_DIR) -> frozenset[str]:
    """The dose-form tags of a text: a page's words or a name (``names``), or label prose.

    >>> sorted(dose_tags("Diazepam Rectal Gel")), sorted(dose_tags("Metoprolol Succinate ER"))
    (['gel', 'rectal'], ['extended-release'])
    >>> sorted(dose_tags("the ER was busy", names=False))  # abbreviations are read in names only
    []
    """
    vocabulary = dose_words(reference_dir)
    table = vocabulary.in_names if names else vocabulary.in_text
    out: set[str] = set()
    for _, _, tags in _scan(_words(text), table, vocabulary.longest):
        out |= tags
    return frozenset(out)


@lru_cache(maxsize=1 << 16)
def split_dose_words(name: str, reference_dir: Path = config.REFERENCE_DIR) -> tuple[str, frozenset[str]]:
    """A name without its dose-form words, and their tags.

    >>> split_dose_words("Desmopressin Acetate Injection")
    ('desmopressin acetate', frozenset({'injection'}))
    >>> split_dose_words("Tegretol XR")
    ('tegretol', frozenset({'extended-release'}))
    """
    vocabulary = dose_words(reference_dir)
    words = _words(name)
    keep = [True] * len(words)
    tags: set[str] = set()
    for start, end, found in _scan(words, vocabulary.in_names, vocabulary.longest):
        tags |= found
        keep[start:end] = [False] * (end - start)
    rest = [w for w, k in zip(words, keep) if k]
    return " ".join(rest), frozenset(tags)


@dataclass(frozen=True)
class ProductFacts:
    """What one label says about its product (see the module docstring)."""

    application_numbers: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    dosage_forms: tuple[str, ...] = ()  # dose-form tags, sorted
    product_names: tuple[str, ...] = ()


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for v in values:
        v = " ".join(str(v).split())
        if v:
            seen.setdefault(v.casefold(), v)
    return tuple(seen.values())


def openfda_product(raw: dict, brands: Iterable[str], generics: Iterable[str],
                    substances: Iterable[str]) -> ProductFacts:
    """The :class:`ProductFacts` of one openFDA label object, given the names already read from it."""
    from .openfda import _strings  # openFDA's field reader (the openfda module imports this one)

    openfda = raw.get("openfda") if isinstance(raw.get("openfda"), dict) else {}
    routes = _distinct(_strings(openfda.get("route")))
    brands, generics, substances = list(brands), list(generics), list(substances)
    texts = [" ".join(_strings(raw.get(f)))[:TEXT_CHARS] for f in PRODUCT_FIELDS]
    indications = " ".join(_strings(raw.get("indications_and_usage")))[:600]
    tags = set(dose_tags(" ".join([*routes, *brands, *generics]), names=True))
    tags |= dose_tags(" ".join(texts + [indications]), names=False)
    elements = " ".join(_strings(raw.get("spl_product_data_elements")))[:TEXT_CHARS]
    products = _variants_in_elements(elements, brands, generics)
    products += _variants_in_text(" ".join(texts[:2] + [indications]), brands, generics + substances)
    products += _authorized_generic_of(" ".join(texts))
    known = {b.casefold() for b in brands}
    return ProductFacts(_distinct(_strings(openfda.get("application_number"))), routes, tuple(sorted(tags)),
                        tuple(p for p in _distinct(products) if p.casefold() not in known))


def spl_product(root, namespace: str, brands: Iterable[str], generics: Iterable[str]) -> ProductFacts:
    """The :class:`ProductFacts` of an SPL document: its products' ``formCode``, ``routeCode`` and
    ``approval`` ids (product names are already its brand names, suffix included)."""
    ns = "{" + namespace + "}"
    forms, routes, applications = [], [], []
    for role in root.iter(ns + "manufacturedProduct"):
        for code in role.iter(ns + "formCode"):
            forms.append(code.get("displayName") or "")
        for code in role.iter(ns + "routeCode"):
            routes.append(code.get("displayName") or "")
        for approval in role.iter(ns + "approval"):
            for ident in approval.iter(ns + "id"):
                if ident.get("extension"):
                    applications.append(ident.get("extension"))
    routes = list(_distinct(routes))
    tags = dose_tags(" ".join(routes + list(brands) + list(generics)), names=True)
    tags |= dose_tags(" ".join(forms), names=False)
    return ProductFacts(_distinct(applications), tuple(routes), tuple(sorted(tags)), ())


def _variants_in_elements(elements: str, brands: list[str], generics: list[str]) -> list[str]:
    """Product names of the SPL product data elements: a brand, one or two more words, then the generic
    name ("Bactrim DS sulfamethoxazole and Trimethoprim ...")."""
    out = []
    for brand in brands:
        for generic in generics:
            pattern = re.compile(rf"\b{re.escape(brand)}((?:\s+[A-Za-z][\w\-]*){{1,2}}?)\s+{re.escape(generic)}\b", re.I)
            for m in pattern.finditer(elements):
                extra = m.group(1).split()
                brand_words = set(_words(brand))
                if extra and all(_is_variant_word(w, generics) and not set(_words(w)) & brand_words for w in extra):
                    out.append(f"{brand} {' '.join(extra)}")
    return out


def _variants_in_text(text: str, brands: list[str], generics: list[str]) -> list[str]:
    """Product names written as a brand and one more word in capitals (or with a capital inside:
    "SoluTab"), followed by a dose form, a number, "(" or "and"/"are"/"is" ("ZOFRAN ODT orally
    disintegrating tablets", "PREVACID SoluTab are", "AUSTEDO XR and AUSTEDO are indicated")."""
    out = []
    vocabulary = dose_words()
    for brand in brands:
        pattern = re.compile(rf"\b({re.escape(brand)})\s*[®™]?\s+([A-Z][A-Za-z]{{1,11}})\b(?=\s*[®™]?\s*(\S+(?:\s+\S+){{0,2}}))",
                             re.I)
        for m in pattern.finditer(text):
            written, word, after = m.group(1), m.group(2), m.group(3)
            if text[m.end(2):m.end(2) + 1] == ":":
                continue  # "DEPAKENE PACKAGING: 30 in 1": a field name of a package label
            capitals = word.isupper() and len(word) > 1
            if not (capitals or any(c.isupper() for c in word[1:])):
                continue  # "ZOFRAN Tablets", "BLINCYTO Single-dose": a word of the sentence, not of the name
            if not _is_variant_word(word, generics) or set(_words(word)) & set(_words(brand)):
                continue
            nxt = _words(after)
            if (after.startswith("(") or (nxt and (nxt[0].isdigit() or nxt[0] in ("and", "are", "is")))
                    or any(True for _ in _scan(nxt[:3], vocabulary.in_text, vocabulary.longest))):
                out.append(f"{brand} {word}")
    return out


def _is_variant_word(word: str, generics: list[str]) -> bool:
    """A word that can end a product name: not a word of the generic name, a regulatory mark or a dose
    form written in prose (an abbreviation such as "ODT" or "XR" can: "Zofran ODT"), nor the first word
    of a dose-form phrase ("Delayed" of "Delayed-Release")."""
    folded = _words(word)
    if len(folded) != 1:
        return False
    w = _singular(folded[0])
    generic_words = {x for g in generics for x in _words(g)}
    vocabulary = dose_words()
    starts = {p[0] for p in vocabulary.in_text}
    return (folded[0] not in _NOT_VARIANTS and folded[0] not in generic_words and not w.isdigit()
            and (w,) not in vocabulary.in_text and w not in starts)


def _authorized_generic_of(text: str) -> list[str]:
    """Brands a label calls itself the authorized generic of ("Authorized generic of Harvoni ®"): the
    capitalised words after it, up to a dose-form word ("PERFOROMIST ® Inhalation Solution")."""
    out = []
    vocabulary = dose_words()
    for m in _AUTHORIZED.finditer(text):
        name = []
        for word in m.group(1).split():
            folded = _words(word)
            if not folded or (_singular(folded[0]),) in vocabulary.in_names or folded[0] in _NOT_VARIANTS:
                break
            name.append(word)
        if name:
            out.append(" ".join(name))
    return out


@lru_cache(maxsize=8)
def brand_applications(reference_dir: Path = config.REFERENCE_DIR) -> tuple[tuple[str, str, str], ...]:
    """(brand, application number, generic name) rows of ``brand_applications.csv``: brands that only the
    application number ties to a label named by its generic name (a relabelled brand, an authorized
    generic). Each row has a note; the resolver uses a row only when the label's generic name agrees."""
    return tuple((r["brand"].strip(), r["application"].strip().upper().replace(" ", ""), r["generic"].strip())
                 for r in _rows(Path(reference_dir) / BRAND_APPLICATIONS_FILE, ("brand", "application", "generic")))


@lru_cache(maxsize=8)
def drug_aliases(reference_dir: Path = config.REFERENCE_DIR) -> tuple[tuple[str, str], ...]:
    """(name, generic name it stands for) rows of ``drug_aliases.csv`` ("valproate", "valproic acid")."""
    return tuple((r["name"].strip(), r["means"].strip())
                 for r in _rows(Path(reference_dir) / ALIASES_FILE, ("name", "means")))


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict]:
    """The rows of a data file (none when it is absent), or an error naming the file and line."""
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for line, row in enumerate(rows, start=2):
        if any(not (row.get(c) or "").strip() for c in columns):
            raise ValueError(f"{path}:{line}: expected {', '.join(columns)} and note; found {row!r:.120}")
    return rows
