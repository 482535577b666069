"""From a page's drug name (and what else the page says) to the label to check it against.

A page names its drug as a brand ("Mirena"), a product variant ("Zofran ODT"), a generic, a salt
("metoprolol tartrate"), a form ("Diazepam Rectal Gel", "Venlafaxine ER") or a combination. Names are
compared folded; salt words (``data/reference/salt_words.csv``) and dose-form words (``dose_forms.csv``)
are set apart and used as conditions. Among the current label versions, the first way that finds a
fitting label decides:

1. **brand**: the label's brand field, when it is a brand ("Diazepam" on a rectal gel, "Fluorouracil
   Cream", only repeat the generic name and count as generic names);
2. **product**: a product name the label gives besides its brand (:mod:`explorer.labels.products`);
3. **application**: a brand tied to the label's application by ``brand_applications.csv`` (Toprol XL is
   NDA 019962), when the label's generic name agrees;
4. **brand family**: "Pristiq" for "Pristiq Extended-Release" (an abbreviated "Depakote ER" is a product
   of its own);
5. **generic**: generic and substance names; a single drug matches only single-ingredient labels, a
   combination the label with exactly its ingredients; citalopram is not escitalopram;
6. **alias**: other names of a generic (``drug_aliases.csv``: valproate, paracetamol).

The page's **salt** must fit (a label with the page's salt beats one that names none), and so must its
**route and dose form** (every dose-form tag of the page among the label's). Labels of one product (same
brands, nested dose forms: generics of several makers) give the most recent (latest effective date, then
highest version); labels of different products that fit equally make the resolution **ambiguous**: it
lists them all (``candidates``) and the label check uses the most recent. Then the page's **condition**
breaks the tie, before any date: only the products whose indications include it are kept (``approves``,
given by the label check). Nothing matches: "no label held for this drug".
"""
from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import config
from .products import brand_applications, dose_tags, drug_aliases, split_dose_words
from .rows import LIST_SEPARATOR

NO_LABEL = "no label held for this drug"  # the same words as explorer.audit.vocabulary.NO_LABEL
SALT_WORDS_FILE = "salt_words.csv"
_NON_WORD = re.compile(r"[^0-9a-z]+")
#: Water of crystallisation and its absence: part of a substance's name, never what tells products apart.
_HYDRATES = re.compile(r"^(?:\w*hydrate|anhydrous)$")
#: How a combination is written: "a and b", "a, b and c", "a/b", "a & b", "a with b", "a plus b".
_COMBINATION = re.compile(r"\s*(?:,|/|&|\+|\band\b|\bwith\b|\bplus\b)\s*", re.I)
_PARENTHESES = re.compile(r"\(([^()]*)\)")
#: Release forms: spelled out in a brand ("Extended-Release") a form of its family; abbreviated ("ER") a product.
_RELEASE = frozenset({"extended-release", "delayed-release", "immediate-release"})
#: The ways of matching, most specific first (see the module docstring).
KINDS = ("brand", "product", "application", "brand family", "generic", "alias")


@lru_cache(maxsize=8)
def salt_words(reference_dir: Path = config.REFERENCE_DIR) -> frozenset[str]:
    """The salt and hydrate words a drug name is compared without (``salt_words.csv``)."""
    path = Path(reference_dir) / SALT_WORDS_FILE
    if not path.exists():
        return frozenset()
    with open(path, newline="", encoding="utf-8") as fh:
        return frozenset(row["word"].strip().casefold() for row in csv.DictReader(fh) if row.get("word"))


def _words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().casefold()
    return [w for w in _NON_WORD.split(text) if w]


def name_key(name: str, salts: frozenset[str] | None = None) -> str:
    """How a drug name is compared: folded, de-accented, punctuation to spaces, salt words dropped.

    A name made of salt words only ("potassium chloride", "magnesium sulfate") is the drug itself and
    keeps them.

    >>> name_key("Sertraline Hydrochloride"), name_key("  MIRENA® "), name_key("Naproxen-Sodium")
    ('sertraline', 'mirena', 'naproxen')
    >>> name_key("Potassium Chloride")
    'potassium chloride'
    """
    salts = salt_words() if salts is None else salts
    words = _words(name)
    return " ".join([w for w in words if w not in salts] or words)


def salts_of(name: str, salts: frozenset[str] | None = None) -> frozenset[str]:
    """The salt words of a name that tell products apart (hydrate words are not among them).

    >>> sorted(salts_of("Metoprolol Tartrate")), sorted(salts_of("formoterol fumarate dihydrate"))
    (['tartrate'], ['fumarate'])
    """
    salts = salt_words() if salts is None else salts
    words = _words(name)
    found = [w for w in words if w in salts and not _HYDRATES.match(w)]
    return frozenset(found) if len(found) < len(words) else frozenset()


@lru_cache(maxsize=1 << 16)  # label names repeat across labels and versions
def ingredients(name: str, salts: frozenset[str] | None = None) -> tuple[str, ...]:
    """The ingredient keys of a name, dose-form words and salts dropped: one for a single drug, several
    for a combination ("sofosbuvir and velpatasvir").

    >>> ingredients("Hydralazine Hydrochloride and Isosorbide Dinitrate")
    ('hydralazine', 'isosorbide dinitrate')
    """
    out = []
    for part in _COMBINATION.split(str(name)):
        base, _ = split_dose_words(part)
        key = name_key(base, salts)
        if key:
            out.append(key)
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Resolution:
    """Which label a drug was checked against, how it was chosen, and what else matched."""

    drug: str
    key: str | None  # the chosen label version's store key; None: no label held
    set_id: str | None
    matched_by: str  # one of KINDS, or "none"
    note: str  # why this label, in words
    alternatives: tuple[str, ...] = ()  # keys of the other matching labels (of the same product, or tied)
    candidates: tuple[str, ...] = ()  # ambiguous: every label that fits equally, most recent first

    @property
    def found(self) -> bool:
        return self.key is not None

    @property
    def ambiguous(self) -> bool:
        """Several labels of different products fit equally (all are in ``candidates``)."""
        return len(self.candidates) > 1


@dataclass
class _Entry:
    """What the index knows of one current label version."""

    key: str
    set_id: str
    rank: tuple[str, float]  # (effective date, version number), for "most recent"
    title: str  # how the label is named in notes
    ingredients: frozenset[str] = frozenset()
    salts: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    brands: frozenset[str] = frozenset()  # brand and product keys: what tells its product apart
    applications: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Query:
    name: str
    full: str  # the whole name's key
    base: str  # the name's key without dose-form words
    tags: frozenset[str]  # dose-form tags of the name
    salts: frozenset[str]
    parts: tuple[str, ...]  # ingredient keys
    hint_tags: frozenset[str] = field(default=frozenset())


class LabelIndex:
    """Names of the current label versions of a store, for :meth:`resolve`.

    Parameters
    ----------
    labels : the store's labels table (:meth:`explorer.labels.store.LabelStore.labels`); only rows with
        ``current`` are indexed. Stores written before the product columns (application numbers, routes,
        dose forms, product names) existed are read with those missing.
    salts : the salt words (default: ``salt_words.csv``).
    approves : ``approves(key, condition) -> bool``, whether the label ``key``'s indications include the
        condition; the label check gives it (:mod:`explorer.audit.labelpremises`). Without it the
        page's condition does not narrow the labels found.
    reference_dir : where the data files are.
    """

    def __init__(self, labels: pd.DataFrame, salts: frozenset[str] | None = None,
                 approves: Callable[[str, str], bool] | None = None,
                 reference_dir: Path = config.REFERENCE_DIR):
        self.salts = salt_words() if salts is None else salts
        self.approves = approves
        self.reference_dir = Path(reference_dir)
        current = labels[labels["current"]] if "current" in labels.columns else labels
        self.labels = current.set_index("key", drop=False).rename_axis(None)
        self._resolved: dict[tuple, Resolution] = {}  # per index: a cache on the class would keep indexes alive
        self._narrowed: dict[tuple, str] = {}  # what a page's salt or form ruled out, per resolution by name
        self._by: dict[str, dict[object, set[str]]] = {kind: {} for kind in KINDS}
        self._entries: dict[str, _Entry] = {}
        self._brand_applications: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for brand, application, generic in brand_applications(self.reference_dir):
            self._brand_applications.setdefault(name_key(brand, self.salts), []).append(
                (application, frozenset(ingredients(generic, self.salts))))
        self._aliases: dict[str, list[str]] = {}
        for name, means in drug_aliases(self.reference_dir):
            self._aliases.setdefault(name_key(name, self.salts), []).append(means)
        columns = {c: (current[c] if c in current.columns else pd.Series([None] * len(current), index=current.index))
                   for c in ("key", "set_id", "effective_time", "version", "brand_names", "generic_names",
                             "substance_names", "application_numbers", "routes", "dosage_forms", "product_names")}
        for row in zip(*columns.values()):
            self._add(dict(zip(columns, row)))

    # -- building the index ---------------------------------------------------------------------------

    def _add(self, row: dict) -> None:
        def names(column: str) -> list[str]:
            value = row[column]
            if not isinstance(value, str):
                return []
            return [n.strip() for n in value.split(LIST_SEPARATOR) if n.strip()]

        key = row["key"]
        brands, generics, substances = names("brand_names"), names("generic_names"), names("substance_names")
        products, applications = names("product_names"), names("application_numbers")
        tags = set(names("dosage_forms")) | dose_tags(" ".join(names("routes") + brands + generics), names=True)
        # The label's ingredients: its substances when it names several, else the parts of its generic names
        by_substance = {k for s in substances for k in ingredients(s, self.salts)}
        by_generic = {k for g in generics for k in ingredients(g, self.salts)}
        parts = frozenset(by_substance if len(by_substance) > 1 else (by_generic or by_substance))
        salts = frozenset().union(*(salts_of(n, self.salts) for n in generics + substances)) if (
            generics or substances) else frozenset()
        generic_keys = {name_key(split_dose_words(n)[0], self.salts) for n in generics + substances}
        title_brand = next(iter(brands), "")
        entry = _Entry(key, str(row["set_id"]), (str(row["effective_time"]), _version_number(row["version"])),
                       title=title_brand or next(iter(generics), key), ingredients=parts, salts=salts)
        own: set[str] = set()
        for brand in brands:
            base, brand_tags = split_dose_words(brand)
            base_key = name_key(base, self.salts)
            if base_key in generic_keys or (len(parts) > 1 and frozenset(ingredients(brand, self.salts)) == parts):
                tags |= brand_tags  # a brand field that only repeats the generic name: "Fluorouracil Cream"
                continue
            own.add(name_key(brand, self.salts))
            self._index("brand", name_key(brand, self.salts), key)
            removed = set(_words(brand)) - set(_words(base))
            if brand_tags and not (brand_tags & _RELEASE and any(len(w) <= 3 for w in removed)):
                self._index("brand family", base_key, key)  # "Pristiq Extended-Release" is Pristiq; "Depakote ER" is not Depakote
        for product in products:
            own.add(name_key(product, self.salts))
            self._index("product", name_key(product, self.salts), key)
        for application in applications:
            self._index("application", application.upper().replace(" ", ""), key)
        if len(parts) > 1:
            self._index("generic", parts, key)
        else:
            for generic in generic_keys:
                self._index("generic", generic, key)
        entry.tags, entry.brands, entry.applications = frozenset(tags), frozenset(own), frozenset(applications)
        self._entries[key] = entry

    def _index(self, kind: str, name: object, key: str) -> None:
        if name:
            self._by[kind].setdefault(name, set()).add(key)

    # -- resolving ------------------------------------------------------------------------------------

    def resolve(self, drug: str, condition: str | None = None, route: str | None = None,
                form: str | None = None) -> Resolution:
        """The label version to check ``drug`` against (see the module's rules).

        ``condition``, ``route`` and ``form`` are what else the page says (free words: "Anxiety",
        "rectal", "orally disintegrating tablet"); a route or form given in the drug name itself
        ("Diazepam Rectal Gel") counts the same.
        """
        by_name = self._resolved.get((drug, None, route, form))
        if by_name is None:
            by_name = self._resolved[(drug, None, route, form)] = self._resolve(drug, route, form)
        if not condition or not by_name.ambiguous or self.approves is None:
            return by_name  # the condition only breaks ties between labels of different products
        found = self._resolved.get((drug, condition, route, form))
        if found is None:
            found = self._resolved[(drug, condition, route, form)] = self._by_condition(
                by_name, condition, self._narrowed[(drug, route, form)])
        return found

    def _query(self, name: str, hint_tags: frozenset[str]) -> _Query:
        base, tags = split_dose_words(name)
        return _Query(name, name_key(name, self.salts), name_key(base, self.salts), tags, salts_of(name, self.salts),
                      ingredients(name, self.salts), hint_tags)

    def _resolve(self, drug: str, route: str | None, form: str | None) -> Resolution:
        hint_tags = dose_tags(route or "") | dose_tags(form or "")
        names = [drug]
        inside = _PARENTHESES.findall(str(drug))
        if inside:  # "BiDil (isosorbide dinitrate/hydralazine)": the name outside, then the one inside
            names = [_PARENTHESES.sub(" ", str(drug))] + inside
        for name in names:
            query = self._query(name, hint_tags)
            if not query.full:
                continue
            # the whole name as a brand, product or application brand; then without its dose-form words
            for whole, kind in [(True, k) for k in KINDS[:3]] + [(False, k) for k in KINDS]:
                keys, filtered = self._lookup(kind, query, whole)
                if keys:
                    self._narrowed[(drug, route, form)] = filtered
                    return self._choose(drug, kind, keys, filtered)
        return Resolution(drug, None, None, "none", NO_LABEL)

    def _lookup(self, kind: str, q: _Query, whole: bool) -> tuple[list[str], str]:
        """The labels ``kind`` finds for the query (its ``whole`` name, else its name without dose-form
        words, whose tags the labels must then have) that fit its salt and dose forms, and what narrowed them."""
        table = self._by.get(kind, {})
        name = q.full if whole else q.base
        need = q.hint_tags if whole else q.hint_tags | q.tags
        found: set[str] = set()
        if not whole and name == q.full and kind in ("brand", "product", "application"):
            return [], ""  # no dose-form words: the whole name was looked up already
        if kind in ("brand", "product", "brand family"):
            found = set(table.get(name, ()))
        elif kind == "application":
            for application, generic in self._brand_applications.get(name, ()):
                found |= {k for k in table.get(application, ()) if self._entries[k].ingredients == generic}
        elif kind == "generic":
            found = self._generic(q.parts)
        elif kind == "alias":
            for target in self._aliases.get(q.base, ()):
                found |= self._generic(ingredients(target, self.salts))
        if not found:
            return [], ""
        fits = [k for k in found if need <= self._entries[k].tags]
        narrowed = []
        if len(fits) < len(found):
            narrowed.append(f"dose form {', '.join(sorted(need))}")
        if q.salts and kind in ("generic", "alias"):
            same = [k for k in fits if self._entries[k].salts & q.salts]
            unsalted = [k for k in fits if not self._entries[k].salts]
            fits = same or unsalted
            narrowed.append(f"salt {', '.join(sorted(q.salts))}")
        return sorted(fits), "; ".join(narrowed)

    def _generic(self, parts: tuple[str, ...]) -> set[str]:
        if len(parts) > 1:
            return set(self._by["generic"].get(frozenset(parts), ()))
        return set(self._by["generic"].get(parts[0], ())) if parts else set()

    def _choose(self, drug: str, kind: str, keys: list[str], narrowed: str, notes=()) -> Resolution:
        how = f"{kind} name {drug!r}" + (f" ({narrowed})" if narrowed else "")
        ranked = self._newest(keys)
        chosen = self._entries[ranked[0]]
        if len(self._products(ranked)) > 1:
            listed = "; ".join(self._describe(k) for k in ranked)
            note = (f"ambiguous: matched by {how}; {len(ranked)} labels of different products fit equally "
                    f"({listed}); checked against the most recent, {chosen.title}")
            return Resolution(drug, chosen.key, chosen.set_id, kind, "; ".join([note, *notes]), tuple(ranked[1:]),
                              tuple(ranked))
        note = f"matched by {how}"
        if len(ranked) > 1:
            note += f"; {len(ranked)} labels match, the most recent (effective {chosen.rank[0]}) is used"
        return Resolution(drug, chosen.key, chosen.set_id, kind, "; ".join([note, *notes]), tuple(ranked[1:]))

    def _by_condition(self, found: Resolution, condition: str, narrowed: str) -> Resolution:
        """An ambiguous resolution narrowed to the products whose labels approve ``condition`` (each
        product asked once, by its most recent label); unchanged when none or all do."""
        products = self._products(list(found.candidates))
        approved = [group for group in products if self.approves(group[0], condition)]
        if not approved or len(approved) == len(products):
            return found
        keys = [k for group in approved for k in group]
        note = f"{len(approved)} of the {len(products)} products found are approved for {condition!r}"
        return self._choose(found.drug, found.matched_by, keys, narrowed, (note,))

    def _products(self, ranked: list[str]) -> list[list[str]]:
        """The keys grouped by product (see :meth:`_same_product`), each group most recent first."""
        groups: list[list[str]] = []
        for key in ranked:
            for group in groups:
                if self._same_product(group[0], key):
                    group.append(key)
                    break
            else:
                groups.append([key])
        return groups

    def _same_product(self, a: str, b: str) -> bool:
        """Labels of one product: the same brands (none for generics of several makers), and dose forms of
        which one label names no more than the other (a label may name fewer of them)."""
        x, y = self._entries[a], self._entries[b]
        return x.brands == y.brands and (x.tags <= y.tags or y.tags <= x.tags)

    def _describe(self, key: str) -> str:
        e = self._entries[key]
        forms = ", ".join(sorted(e.tags)) or "no dose form named"
        return f"{e.title} [{forms}; effective {e.rank[0]}; {key}]"

    def _newest(self, keys: Iterable[str]) -> list[str]:
        """The keys, most recent first: latest effective date, then highest version number, then key."""
        return sorted(sorted(set(keys)), key=lambda k: self._entries[k].rank, reverse=True)  # stable: keys ascending


def _version_number(version: object) -> float:
    """A version as a number for ordering ("12" -> 12.0); -1 when it is not one."""
    try:
        number = float(str(version))
    except ValueError:
        return -1.0
    return number if math.isfinite(number) else -1.0
