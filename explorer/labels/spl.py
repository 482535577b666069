"""DailyMed SPL XML -> :class:`~explorer.labels.records.Label`: one label version per document.

An SPL document (HL7 v3, namespace ``urn:hl7-org:v3``) names its version (``<id root>``), its set
(``<setId root>``), its version number and effective time, the products it covers (brand, generic and
active-substance names) and its sections, each marked with a LOINC code. The sections kept are those of
:data:`~explorer.labels.records.LOINC_SECTIONS`, found at any depth; each is flattened into passages in
document order: the section's own text first, then one passage per subsection (at any depth), numbered
and headed from its ``<title>``. A subsection keeps its kept ancestor's section key, whatever its own
code. Tables stay tables (:func:`~explorer.labels.tables.table_from_html`), never copied into the text.
A section or subsection with neither text nor a table (a heading over subsections only) gives no
passage, as in the openFDA reader (:func:`~explorer.labels.text.split_passages`).

What is left out, and why: a section's ``<excerpt>`` (the Highlights summary, which restates the section)
and images (``<renderMultiMedia>``). Footnotes written in running text are moved to the end of their
passage, as the label prints them.

The XML is third-party input: it is parsed with defusedxml, which refuses entity declarations (the
"billion laughs" expansion) and external references; such a file is a :class:`LabelError`. Opening
DailyMed's zips is the importer's job (:mod:`explorer.labels.importer`): this module reads one document.
"""
from __future__ import annotations

import copy
import re
from datetime import datetime
from xml.etree.ElementTree import Element, ParseError, tostring

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from .products import spl_product
from .records import LOINC_SECTIONS, Label, LabelError, LabelTable, Passage
from .tables import table_from_html

HL7_NAMESPACE = "urn:hl7-org:v3"
#: The code system of LOINC, which SPL uses for document and section codes.
LOINC_SYSTEM = "2.16.840.1.113883.6.1"
_NS = "{" + HL7_NAMESPACE + "}"
#: Elements that start and end a line of a passage's text (list items are one line each).
_BLOCKS = frozenset({"paragraph", "list", "item", "text"})
#: A title's leading section number: "6", "6.1", "5.2.1", optionally followed by a dot.
_NUMBERED_TITLE = re.compile(r"(\d{1,2}(?:\.\d{1,3})*)\.?(?:\s+(.*))?")
#: What each identity element of a document gives the label, for messages.
_IDENTITY = {"id": "version id", "setId": "set id", "versionNumber": "version number",
             "effectiveTime": "effective date"}
#: A superscript that marks a footnote ("nausea<sup>a</sup>"), left out so the word stays whole; a
#: superscript value ("m<sup>2</sup>") is kept.
_FOOTNOTE_MARK = re.compile(r"\s*(?:[*†‡§¶#]+|[a-z])\s*")
_KEPT_CODES = ", ".join(f"{code} {key}" for code, key in LOINC_SECTIONS.items())


def read_spl(data: bytes, path: str, record: int = 0) -> Label:
    """Read one DailyMed SPL XML document into a :class:`~explorer.labels.records.Label`.

    Parameters
    ----------
    data
        The document's bytes (an ``.xml`` file, or a member of DailyMed's zip of per-label zips).
    path
        Where it came from, for messages and the label's ``file`` ("part1.zip!x.zip!x.xml").
    record
        Its position in that file (0 for a file holding one document).

    Returns
    -------
    Label
        ``source="spl"``; names from the document's product data (``names_from="label text"``); one
        passage per kept section and per subsection that has text or a table, in document order.

    Raises
    ------
    LabelError
        Not well-formed XML; XML declaring entities or referring to external ones (refused unread);
        not an HL7 v3 ``<document>``; no ``<id>``, ``<setId>``, ``<versionNumber>`` or
        ``<effectiveTime>``; no kept section with any text or table.
    """
    root = _parse(data, path, record)
    if root.tag != _NS + "document":
        namespace, _, name = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
        found = f"<{name}> in namespace {namespace}" if namespace else f"<{name}> in no namespace"
        raise LabelError(path, record, f"an SPL document (<document> in the HL7 v3 namespace {HL7_NAMESPACE}); "
                                       f"found {found}")
    try:
        return _label(root, path, record)
    except RecursionError:
        raise LabelError(path, record, "an SPL document nested no deeper than a real label") from None


def _parse(data: bytes | str, path: str, record: int) -> Element:
    try:
        return safe_xml.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as e:
        raise LabelError(path, record, "an SPL XML document without entity declarations or external "
                                       f"references (refused unread: {type(e).__name__})") from None
    except ParseError as e:
        raise LabelError(path, record, f"an SPL XML document; this is not well-formed XML ({e})") from None


def _label(root: Element, path: str, record: int) -> Label:
    version_id = _required(root, "id", "root", path, record)
    set_id = _required(root, "setId", "root", path, record)
    version = _required(root, "versionNumber", "value", path, record)
    effective = _required(root, "effectiveTime", "value", path, record)
    if not _is_date(effective[:8]):
        raise LabelError(path, record, f"an <effectiveTime value> starting with a date YYYYMMDD; found {effective!r}")
    brands, generics, substances = _names(root)
    passages, kept = _passages(root, path, record)
    if not passages:
        found = f"{kept}, none with text or a table" if kept else "none"
        raise LabelError(path, record, f"at least one section with text or a table under a kept LOINC code "
                                       f"({_KEPT_CODES}); found {found}")
    product = spl_product(root, HL7_NAMESPACE, brands, generics)
    return Label(source="spl", set_id=set_id, version_id=version_id, version=version,
                 effective_time=effective[:8], brand_names=brands, generic_names=generics,
                 substance_names=substances, names_from="label text", passages=passages, file=path,
                 record=record, product_type=_product_type(root), application_numbers=product.application_numbers,
                 routes=product.routes, dosage_forms=product.dosage_forms)


def _required(root: Element, tag: str, attribute: str, path: str, record: int) -> str:
    """The attribute of the document's own child element ``tag``, or a LabelError saying it is missing."""
    element = root.find(_NS + tag)
    value = (element.get(attribute) or "").strip() if element is not None else ""
    if not value:
        where = "missing" if element is None else f"without a {attribute}"
        raise LabelError(path, record, f"an SPL document with <{tag} {attribute}=...> (the label's "
                                       f"{_IDENTITY[tag]}); it is {where}")
    return value


def _is_date(text: str) -> bool:
    if len(text) != 8 or not text.isdigit():
        return False
    try:
        datetime.strptime(text, "%Y%m%d")
    except ValueError:
        return False
    return True


def _product_type(root: Element) -> str | None:
    """The document type as openFDA writes product_type ("HUMAN PRESCRIPTION DRUG"), from its code's name."""
    code = root.find(_NS + "code")
    name = " ".join((code.get("displayName") or "").split()).upper() if code is not None else ""
    return name.removesuffix(" LABEL") or None


# -- names ------------------------------------------------------------------------------------------

def _names(root: Element) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Brand, generic and active-substance names of the products the document covers, first seen first.

    Products are ``<manufacturedProduct>`` roles holding a ``<manufacturedProduct>`` entity (or, in
    older documents, a ``<manufacturedMedicine>``). Active substances are ``<ingredient>`` with an
    active class code (ACTIB, ACTIM, ACTIR) or, in older documents, ``<activeIngredient>``; a kit's
    parts (``<part><partProduct>``) add theirs. Inactive ingredients are not names of the drug.
    """
    brands: dict[str, str] = {}
    generics: dict[str, str] = {}
    substances: dict[str, str] = {}
    for role in root.iter(_NS + "manufacturedProduct"):
        for entity in role:
            if entity.tag not in (_NS + "manufacturedProduct", _NS + "manufacturedMedicine"):
                continue
            _add(brands, entity.find(_NS + "name"))
            for name in entity.iterfind(f"{_NS}asEntityWithGeneric/{_NS}genericMedicine/{_NS}name"):
                _add(generics, name)
            for product in (entity, *entity.iterfind(f"{_NS}part/{_NS}partProduct")):
                for name in product.iterfind(f"{_NS}activeIngredient/{_NS}activeIngredientSubstance/{_NS}name"):
                    _add(substances, name)
                for ingredient in product.iterfind(_NS + "ingredient"):
                    if (ingredient.get("classCode") or "").startswith("ACTI"):
                        _add(substances, ingredient.find(f"{_NS}ingredientSubstance/{_NS}name"))
    return tuple(brands.values()), tuple(generics.values()), tuple(substances.values())


def _add(names: dict[str, str], element: Element | None) -> None:
    """Add a name element's text (its suffix included: "Parvoline XR"), once whatever its case."""
    if element is None:
        return
    name = " ".join("".join(element.itertext()).split())
    if name:
        names.setdefault(name.casefold(), name)


# -- sections and passages --------------------------------------------------------------------------

def _passages(root: Element, path: str, record: int) -> tuple[tuple[Passage, ...], int]:
    """Every kept section, at any depth, flattened with its subsections into passages in document order.

    Returns the passages (those with text or a table) and how many kept sections were found.
    """
    passages: list[Passage] = []
    positions: dict[str, int] = {}
    kept = 0
    for key, section in _kept_sections(root):
        kept += 1
        for number, heading, text, tables in _flatten(section, path, record):
            if not text and not tables:  # a heading over subsections only, as openFDA's reader leaves it out
                continue
            position = positions.get(key, 0)
            positions[key] = position + 1
            passages.append(Passage(section=key, number=number, heading=heading, text=text,
                                    position=position, tables=tables))
    return tuple(passages), kept


def _kept_sections(element: Element):
    """(section key, section) for each kept section under ``element``, not looking inside kept ones."""
    for child in element:
        if child.tag == _NS + "section":
            key = _section_key(child)
            if key is not None:
                yield key, child
                continue
        yield from _kept_sections(child)


def _section_key(section: Element) -> str | None:
    code = section.find(_NS + "code")
    if code is None or code.get("codeSystem", LOINC_SYSTEM) != LOINC_SYSTEM:
        return None
    return LOINC_SECTIONS.get((code.get("code") or "").strip())


def _flatten(section: Element, path: str, record: int):
    """(number, heading, text, tables) for the section itself, then for each subsection, depth first."""
    number, heading = _split_title(_title(section))
    text, tables = _own_text(section, path, record, number or heading)
    yield number, heading, text, tables
    for subsection in section.iterfind(f"{_NS}component/{_NS}section"):
        yield from _flatten(subsection, path, record)


def _title(section: Element) -> str:
    title = section.find(_NS + "title")
    return " ".join("".join(title.itertext()).split()) if title is not None else ""


def _split_title(title: str) -> tuple[str | None, str | None]:
    """A section title's number and heading, as the label writes them.

    >>> _split_title("6.1 Clinical Trials Experience")
    ('6.1', 'Clinical Trials Experience')
    >>> _split_title("WARNINGS")
    (None, 'WARNINGS')
    >>> _split_title("5.2.1. Fainting")
    ('5.2.1', 'Fainting')
    >>> _split_title("")
    (None, None)
    """
    match = _NUMBERED_TITLE.fullmatch(title)
    if match:
        return match.group(1), match.group(2) or None
    return None, title or None


def _own_text(section: Element, path: str, record: int,
              where: str | None) -> tuple[str, tuple[LabelTable, ...]]:
    """The section's own ``<text>`` (not its subsections'): one line per paragraph or list item, and its tables."""
    text = section.find(_NS + "text")
    if text is None:
        return "", ()
    writer = _TextWriter()
    writer.walk(text)
    writer.flush()
    tables = []
    for table in writer.tables:
        try:
            tables.append(table_from_html(_table_markup(table)))
        except Exception as e:  # a table the table reader cannot read is this label's error, named as such
            raise LabelError(path, record, f"a readable table in section {where or '(untitled)'} "
                                           f"({type(e).__name__}: {e})") from None
    return "\n".join(writer.lines + writer.notes), tuple(tables)


class _TextWriter:
    """Collects an SPL ``<text>`` element's lines, setting aside its tables and running-text footnotes."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.notes: list[str] = []
        self.tables: list[Element] = []
        self._line: list[str] = []

    def flush(self) -> None:
        line = " ".join("".join(self._line).split())
        self._line = []
        if line:
            self.lines.append(line)

    def walk(self, element: Element) -> None:
        tag = _local(element.tag)
        if tag == "table":
            self.flush()
            self.tables.append(element)
            return
        if tag == "footnote":
            note = " ".join("".join(element.itertext()).split())
            if note:
                self.notes.append(note)
            return
        if tag == "renderMultiMedia" or tag == "sup" and _FOOTNOTE_MARK.fullmatch("".join(element.itertext())):
            return
        block = tag in _BLOCKS
        if block or tag == "br":
            self.flush()
        if element.text:
            self._line.append(element.text)
        for child in element:
            self.walk(child)
            if child.tail:
                self._line.append(child.tail)
        if block:
            self.flush()
        elif tag == "caption":  # a list item's or paragraph's label: "(c) severe asthma"
            self._line.append(" ")


def _table_markup(table: Element) -> str:
    """An SPL ``<table>`` as markup without namespaces, as the table reader (BeautifulSoup) expects."""
    plain = copy.deepcopy(table)
    for element in plain.iter():
        if isinstance(element.tag, str):
            element.tag = _local(element.tag)
        element.attrib = {_local(k): v for k, v in element.attrib.items()}
    return tostring(plain, encoding="unicode")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""
