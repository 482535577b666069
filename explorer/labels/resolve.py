"""From a page's drug name to the label to check it against.

A page names its drug the way readers know it: a brand ("Mirena"), a generic ("levonorgestrel") or a
salt ("sertraline hydrochloride"). Names are compared case-insensitively with punctuation folded and
salt words dropped (the words are data: ``data/reference/salt_words.csv``, each with a note). Among the
current label versions held:

1. a brand name prefers that brand's labels;
2. otherwise generic and substance names match (dozens of generics may share one substance);
3. several matching labels: the most recent effective date wins, then the highest version number;
   the others are recorded as alternatives;
4. nothing matches: "no label held for this drug".
"""
from __future__ import annotations

import csv
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import config
from .rows import LIST_SEPARATOR

NO_LABEL = "no label held for this drug"  # the same words as explorer.audit.vocabulary.NO_LABEL
SALT_WORDS_FILE = "salt_words.csv"
_NON_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=8)
def salt_words(reference_dir: Path = config.REFERENCE_DIR) -> frozenset[str]:
    """The salt and hydrate words a drug name is compared without (``salt_words.csv``)."""
    path = Path(reference_dir) / SALT_WORDS_FILE
    if not path.exists():
        return frozenset()
    with open(path, newline="", encoding="utf-8") as fh:
        return frozenset(row["word"].strip().casefold() for row in csv.DictReader(fh) if row.get("word"))


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
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().casefold()
    words = [w for w in _NON_WORD.split(text) if w]
    return " ".join([w for w in words if w not in salts] or words)


@dataclass(frozen=True)
class Resolution:
    """Which label a drug was checked against, how it was chosen, and what else matched."""

    drug: str
    key: str | None  # the chosen label version's store key; None: no label held
    set_id: str | None
    matched_by: str  # "brand", "generic", "substance" or "none"
    note: str  # why this label, in words
    alternatives: tuple[str, ...] = ()  # keys of the other matching labels

    @property
    def found(self) -> bool:
        return self.key is not None


class LabelIndex:
    """Names of the current label versions of a store, for :meth:`resolve`.

    Parameters
    ----------
    labels : the store's labels table (:meth:`explorer.labels.store.LabelStore.labels`); only rows with
        ``current`` are indexed.
    """

    KINDS = (("brand", "brand_names"), ("generic", "generic_names"), ("substance", "substance_names"))

    def __init__(self, labels: pd.DataFrame, salts: frozenset[str] | None = None):
        self.salts = salt_words() if salts is None else salts
        current = labels[labels["current"]] if "current" in labels.columns else labels
        self.labels = current.set_index("key", drop=False).rename_axis(None)
        self._by_name: dict[tuple[str, str], list[str]] = {}
        self._resolved: dict[str, Resolution] = {}  # per index: a cache on the class would keep indexes alive
        self._rank: dict[str, tuple[str, float]] | None = None
        for kind, column in self.KINDS:
            for key, names in zip(current["key"], current[column].fillna("")):
                for name in str(names).split(LIST_SEPARATOR):
                    k = name_key(name, self.salts)
                    if k:
                        self._by_name.setdefault((kind, k), []).append(key)

    def _newest(self, keys: list[str]) -> list[str]:
        """The keys, most recent first: latest effective date, then highest version number, then key."""
        if self._rank is None:  # (effective date, version number) per key, built on first use
            self._rank = {k: (str(e), _version_number(v)) for k, e, v in
                          zip(self.labels["key"], self.labels["effective_time"], self.labels["version"])}
        return sorted(sorted(set(keys)), key=self._rank.__getitem__, reverse=True)  # stable: keys ascending

    def resolve(self, drug: str) -> Resolution:
        """The label version to check ``drug`` against (see the module's rules)."""
        found = self._resolved.get(drug)
        if found is None:
            found = self._resolved[drug] = self._resolve(drug)
        return found

    def _resolve(self, drug: str) -> Resolution:
        key = name_key(drug, self.salts)
        for kind, _ in self.KINDS:
            keys = self._by_name.get((kind, key))
            if keys:
                ranked = self._newest(keys)
                chosen = self.labels.loc[ranked[0], ["effective_time", "set_id"]]
                how = f"{kind} name {drug!r}"
                note = (f"matched by {how}" if len(ranked) == 1 else
                        f"matched by {how}; {len(ranked)} labels match, the most recent (effective "
                        f"{chosen['effective_time']}) is used")
                return Resolution(drug, ranked[0], str(chosen["set_id"]), kind, note, tuple(ranked[1:]))
        return Resolution(drug, None, None, "none", NO_LABEL)


def _version_number(version: object) -> float:
    """A version as a number for ordering ("12" -> 12.0); -1 when it is not one."""
    try:
        number = float(str(version))
    except ValueError:
        return -1.0
    return number if math.isfinite(number) else -1.0
