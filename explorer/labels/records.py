"""What reading one drug label produces, whatever its source: a :class:`Label` with its sections.

Sources differ in shape (openFDA JSON, DailyMed SPL XML), not in what the label check needs: the
label's identity (set id, version, effective date), the names it is sold under, and the text of the
sections that matter, split into numbered passages ("6.1 Clinical Trials Experience") with their tables
kept as tables. Records are frozen: nothing downstream changes what a label says.
"""
from __future__ import annotations

from dataclasses import dataclass

#: The label sections the explorer keeps, by the key openFDA gives them, in the label's usual order: the
#: professional sections, then those written for patients (Medication Guide, patient package insert,
#: patient counselling, patient medication information), whose plain words the label check uses as a
#: bridge to the professional terms (:mod:`explorer.audit.plainwords`).
SECTION_KEYS: tuple[str, ...] = (
    "boxed_warning", "indications_and_usage", "contraindications", "warnings_and_cautions", "warnings",
    "precautions", "adverse_reactions", "drug_interactions", "overdosage", "spl_medguide",
    "spl_patient_package_insert", "information_for_patients", "patient_medication_information")
#: The LOINC code of each kept section, as SPL documents mark them.
LOINC_SECTIONS: dict[str, str] = {
    "34066-1": "boxed_warning", "34067-9": "indications_and_usage", "34070-3": "contraindications",
    "43685-7": "warnings_and_cautions", "34071-1": "warnings", "42232-9": "precautions",
    "34084-4": "adverse_reactions", "34073-7": "drug_interactions", "34088-5": "overdosage",
    "42231-1": "spl_medguide", "42230-3": "spl_patient_package_insert", "34076-0": "information_for_patients",
    "68498-5": "patient_medication_information"}
#: Sections that can give a claim its status; drug interactions and overdosage are kept as context only.
LISTING_SECTIONS: tuple[str, ...] = (
    "boxed_warning", "indications_and_usage", "contraindications", "warnings_and_cautions", "warnings",
    "precautions", "adverse_reactions")
#: Sections written for patients: they restate the label in plain words and list nothing of their own.
PATIENT_SECTIONS: tuple[str, ...] = SECTION_KEYS[9:]
#: Where to read a label on DailyMed, from its set id.
DAILYMED_URL = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid={set_id}"


class LabelError(ValueError):
    """A label that cannot be read: names the file, the record (its position in the file) and what was expected."""

    def __init__(self, path: str, record: int | None, expected: str):
        self.path, self.record, self.expected = str(path), record, expected
        where = f"{self.path}" if record is None else f"{self.path} record {record}"
        super().__init__(f"{where}: {expected}")

    def __reduce__(self):
        return (LabelError, (self.path, self.record, self.expected))


@dataclass(frozen=True)
class LabelTable:
    """One table of a section: its caption and its rows of cell texts (header rows first)."""

    caption: str | None
    header: tuple[tuple[str, ...], ...]  # rows of the table head (arms, N, units)
    rows: tuple[tuple[str, ...], ...]  # body rows; a group row ("Gastrointestinal Disorders") has one cell


@dataclass(frozen=True)
class Passage:
    """A section, or one numbered subsection of it, as plain text.

    ``number`` and ``heading`` are as the label writes them ("6.1", "Clinical Trials Experience");
    either may be missing. ``position`` is the passage's order within its section.
    """

    section: str  # one of SECTION_KEYS
    number: str | None
    heading: str | None
    text: str
    position: int = 0
    tables: tuple[LabelTable, ...] = ()


@dataclass(frozen=True)
class Label:
    """One version of one drug label."""

    source: str  # "openfda" or "spl"
    set_id: str  # stable across versions
    version_id: str  # this version's id
    version: str  # the version number as written ("12")
    effective_time: str  # YYYYMMDD
    brand_names: tuple[str, ...]
    generic_names: tuple[str, ...]
    substance_names: tuple[str, ...]
    names_from: str  # "openfda" or "label text" (openFDA's names were empty)
    passages: tuple[Passage, ...]
    file: str  # the file it was read from (a zip member as "archive.zip!member")
    record: int  # its position in that file (0-based)
    rxcui: tuple[str, ...] = ()
    product_type: str | None = None
    #: Kept sections whose text could not be read (wrongly typed in the file): the label is incomplete,
    #: so a claim it does not list may still be in it. ``problems`` says, per field, what was expected.
    unreadable_sections: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    # What the label says of its product (explorer.labels.products): for resolving a page's drug
    application_numbers: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    dosage_forms: tuple[str, ...] = ()  # dose-form tags ("tablet", "odt", "extended-release", ...)
    product_names: tuple[str, ...] = ()  # variants the label names besides its brand ("Bactrim DS")

    @property
    def key(self) -> str:
        """The label version's identity in the store: source, set id and version id."""
        return f"{self.source}:{self.set_id}:{self.version_id}"

    @property
    def dailymed_url(self) -> str:
        return DAILYMED_URL.format(set_id=self.set_id)
