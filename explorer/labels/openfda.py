"""openFDA drug-label JSON -> :class:`~explorer.labels.records.Label` records, read as a stream.

An API response and a bulk part share one shape, ``{"meta": {...}, "results": [label, ...]}``; a bulk
part unzips to about 1 GB, so :func:`read_openfda` cuts it into records as it reads
(:mod:`explorer.labels.jsonscan`: nesting and size bounded, linear time) and makes one label at a time;
memory stays flat whatever the file size. A record that cannot be used becomes a
:class:`~explorer.labels.records.LabelError` naming the file and the record, and reading goes on; a
document that breaks off yields one error naming the record where reading stopped, after the labels
before it.

Zip handling is the importer's: it passes an open binary stream and a display path such as
``"drug-label-0001-of-0002.json.zip!drug-label-0001-of-0002.json"``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from concurrent.futures import Executor
from datetime import datetime
from decimal import Decimal
from typing import Any, BinaryIO

from explorer.labels.jsonscan import DocumentError, Refused, records
from explorer.labels.products import openfda_product
from explorer.labels.records import SECTION_KEYS, Label, LabelError, Passage
from explorer.labels.tables import table_from_html
from explorer.labels.text import split_passages
from explorer.labels.workers import LabelBatch, made_in_pool

#: Other names openFDA has used for a kept section (its documentation once said warnings_and_precautions).
SECTION_ALIASES: dict[str, str] = {"warnings_and_precautions": "warnings_and_cautions"}
_IDENTITY = ("set_id", "id", "version", "effective_time")
#: Dosage-form words that end a name in "X tablets are indicated" and are not part of the drug's name.
_DOSAGE_FORMS = frozenset({
    "tablet", "tablets", "capsule", "capsules", "injection", "injectable", "solution", "suspension", "cream",
    "ointment", "gel", "patch", "spray", "oral", "extended-release", "delayed-release", "film-coated",
    "chewable", "usp", "for", "topical", "ophthalmic", "system"})
_NOT_NAMES = frozenset({"It", "This", "These", "The", "A", "An", "Treatment", "Therapy", "Use", "Its"})
_INDICATED = re.compile(
    r"^(?P<name>[A-Z][\w\-®™]*(?: [\w\-®™]+){0,4}?)(?: \((?P<paren>[^()]{2,80})\))? (?:is|are) indicated\b")


def read_openfda(stream: BinaryIO, path: str, pool: Executor | None = None,
                 window: int = 4) -> Iterator[Label | LabelError | LabelBatch]:
    """Read an openFDA drug-label document, one label at a time.

    Parameters
    ----------
    stream : binary file object
        The JSON document ``{"meta": ..., "results": [label, ...]}``, opened for reading in binary.
    path : str
        The name to give in records and errors (a zip member as ``"archive.zip!member"``).
    pool : concurrent.futures.Executor, optional
        Worker processes to make the labels in (:func:`label_from_json` is most of an import's time):
        this process cuts the document into records (:mod:`explorer.labels.jsonscan`) and sends them in
        batches to the pool, at most ``window`` batches at a time, so memory stays flat. The labels then
        come back as :class:`LabelBatch` items (store rows), in file order.
    window : int
        How many batches may be in the pool at once (twice its workers keeps them busy).

    Yields
    ------
    Label or LabelError
        A :class:`Label` per usable record, in file order. A :class:`LabelError` (not raised) for a record
        that is not well-formed JSON, is nested deeper or is larger than any real label (refused unread:
        :mod:`explorer.labels.jsonscan`), is not an object, lacks ``set_id``, ``id``, ``version`` or
        ``effective_time``, has an ``effective_time`` that is not a YYYYMMDD date, or has no kept section
        with text; reading then goes on. A document that is not an object with a ``results`` list gives
        one error with record None; one that breaks off gives one error naming the record where reading
        stopped, and ends.
    """
    source = records(stream)
    try:
        if pool is None:
            for record, raw in enumerate(source):
                yield _label_or_error(raw, path, record)
        else:
            yield from made_in_pool(label_from_json, source, path, pool, max(window, 1))
    except DocumentError as error:
        yield LabelError(path, error.record, error.expected)


def _label_or_error(raw: Any, path: str, record: int) -> Label | LabelError:
    try:
        return label_from_json(raw, path, record)
    except LabelError as error:
        return error


def label_from_json(raw: bytes | Refused, path: str, record: int) -> Label:
    """:func:`label_from_openfda` of one record as :func:`explorer.labels.jsonscan.records` gives it (its
    bytes, or why it was refused unread); a record that is not UTF-8 JSON is a :class:`LabelError`."""
    if isinstance(raw, Refused):
        raise LabelError(path, record, raw.reason)
    try:
        value = _DECODER.decode(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise LabelError(path, record, f"UTF-8 JSON text; byte {error.start} of this record is not UTF-8 "
                                       f"({error.reason})") from None
    except json.JSONDecodeError as error:
        raise LabelError(path, record, f"a well-formed JSON record; {error.msg} at character {error.pos} "
                                       "of this one") from None
    except ValueError as error:  # NaN or Infinity, which JSON does not have
        raise LabelError(path, record, f"a well-formed JSON record; {error}") from None
    return label_from_openfda(value, path, record)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON value")


#: Numbers with a fraction as Decimal (as identity fields are compared as text); NaN and Infinity refused.
_DECODER = json.JSONDecoder(parse_float=Decimal, parse_constant=_no_constant)


def _type_name(value: Any) -> str:
    """A value's JSON type, as messages say it ("a number")."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, Decimal, float)):
        return "a number"
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(type(value), "a value")


def label_from_openfda(raw: Any, path: str, record: int) -> Label:
    """Make a :class:`Label` from one openFDA label object, or raise :class:`LabelError` saying why not.

    Parameters
    ----------
    raw : object
        One item of the document's ``results`` list.
    path, record : str, int
        Where it was read: the display path and its 0-based position in ``results``.

    Returns
    -------
    Label
        With the kept sections (``records.SECTION_KEYS``; ``warnings_and_precautions`` read as
        ``warnings_and_cautions``) split into passages, and their ``*_table`` twins attached.
    """
    if not isinstance(raw, dict):
        raise LabelError(path, record, f"a label object; found {_type_name(raw)}")
    missing = [key for key in _IDENTITY if not _scalar(raw.get(key))]
    if missing:
        raise LabelError(path, record, f"a label with {', '.join(_IDENTITY)}; missing {', '.join(missing)}")
    effective_time = _scalar(raw["effective_time"])
    if not _is_date(effective_time):
        raise LabelError(path, record, f"effective_time as YYYYMMDD; found {effective_time[:40]!r}")
    passages: list[Passage] = []
    unreadable: list[str] = []
    problems: list[str] = []
    for key in SECTION_KEYS:
        source = key if key in raw else next((alias for alias, canonical in SECTION_ALIASES.items()
                                              if canonical == key and alias in raw), key)
        texts, problem = _section_strings(raw, source)
        markup, table_problem = _section_strings(raw, f"{source}_table")
        if problem or table_problem:
            unreadable.append(key)
            problems.extend(p for p in (problem, table_problem) if p)
        text = " ".join(texts)
        if not text.strip():
            continue
        tables = [table_from_html(html) for html in markup]
        passages.extend(split_passages(key, text, tables))
    if not passages:
        raise LabelError(path, record, "at least one section with text among " + ", ".join(SECTION_KEYS)
                         + " (or warnings_and_precautions)" + "".join(f"; {p}" for p in problems))
    openfda = raw.get("openfda") if isinstance(raw.get("openfda"), dict) else {}
    brands, generics, substances = (_names(openfda.get(field)) for field in
                                    ("brand_name", "generic_name", "substance_name"))
    names_from = "openfda"
    if not (brands or generics or substances):
        brands, generics = names_from_text(raw)
        names_from = "label text"
    product_types = _strings(openfda.get("product_type"))
    product = openfda_product(raw, brands, generics, substances)
    return Label(
        source="openfda", set_id=_scalar(raw["set_id"]), version_id=_scalar(raw["id"]),
        version=_scalar(raw["version"]), effective_time=effective_time, brand_names=brands,
        generic_names=generics, substance_names=substances, names_from=names_from, passages=tuple(passages),
        file=str(path), record=record, rxcui=_names(openfda.get("rxcui")),
        product_type=product_types[0].strip() if product_types and product_types[0].strip() else None,
        unreadable_sections=tuple(unreadable), problems=tuple(problems),
        application_numbers=product.application_numbers, routes=product.routes,
        dosage_forms=product.dosage_forms, product_names=product.product_names)


def names_from_text(raw: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Brand and generic names read from a label's own text, for labels whose ``openfda`` names are empty.

    The rule is conservative; a name it cannot read with confidence is left out, never guessed:

    1. ``spl_product_data_elements`` (first item) lists the product name, then the generic name, then
       the ingredients in capitals ("Mirena levonorgestrel LEVONORGESTREL SILICONE ..."). When its first
       word is not all lower case and a word all in lower case follows within four words, the words
       before that one are the brand and the run of words from it up to the first word without lower-case
       letters is the generic name. A brand equal to the generic name is kept as the generic name only.
    2. Otherwise the first sentence of ``indications_and_usage`` (after its heading), when it reads
       "NAME (generic) is indicated" or "NAME are indicated": with a parenthesis, NAME is the brand and
       the parenthesis the generic name; without, NAME (less dosage-form words such as "tablets") is
       kept as a generic name, since the text does not say which it is.

    Returns
    -------
    tuple
        ``(brand_names, generic_names)``; both empty when neither rule applies.
    """
    elements = _strings(raw.get("spl_product_data_elements"))
    words = elements[0].split() if elements else []
    lower = next((i for i, w in enumerate(words[:5]) if w == w.lower() and any(c.isalpha() for c in w)), None)
    if words and lower:
        end = next((i for i in range(lower, len(words)) if not any(c.islower() for c in words[i])), len(words))
        brand, generic = " ".join(words[:lower]), " ".join(words[lower:min(end, lower + 4)])
        if brand.lower() == generic.lower():
            return (), (generic,)
        return (brand,), (generic,) if generic else ()
    indications = " ".join(_strings(raw.get("indications_and_usage")))
    passages = split_passages("indications_and_usage", indications) if indications.strip() else []
    first = passages[0].text if passages else ""
    match = _INDICATED.match(first.replace("®", "").replace("™", ""))
    if match is None or match.group("name").split()[0] in _NOT_NAMES:
        return (), ()
    name_words = match.group("name").split()
    if match.group("paren"):
        return (" ".join(name_words),), (match.group("paren").strip(),)
    while name_words and name_words[-1].lower() in _DOSAGE_FORMS:
        name_words.pop()
    return (), ((" ".join(name_words),) if name_words else ())


def _scalar(value: Any) -> str:
    """An identity field as text ("12" for a version given as 12); "" when missing or not a scalar."""
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        return ""
    return str(value).strip()


def _is_date(value: str) -> bool:
    if not re.fullmatch(r"\d{8}", value):
        return False
    try:
        datetime.strptime(value, "%Y%m%d")
    except ValueError:
        return False
    return True


def _strings(value: Any) -> list[str]:
    """A section or name field as a list of strings (openFDA gives lists; a lone string is accepted)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _section_strings(raw: dict[str, Any], field: str) -> tuple[list[str], str | None]:
    """A section's (or its tables') strings, and what was wrong with the field when it is not a list of
    strings (a lone string is accepted): ``"adverse_reactions: a list of strings; found a number"``.
    The strings of a list are kept even when other items of it are not strings."""
    if field not in raw:
        return [], None
    value = raw[field]
    if isinstance(value, str):
        return [value], None
    if not isinstance(value, list):
        return [], f"{field}: a list of strings; found {_type_name(value)}"
    texts = [item for item in value if isinstance(item, str)]
    if len(texts) == len(value):
        return texts, None
    first = next(i for i, item in enumerate(value) if not isinstance(item, str))
    return texts, (f"{field}: a list of strings; item {first} is {_type_name(value[first])}"
                   + (f" ({len(value) - len(texts)} items are not strings)" if len(value) - len(texts) > 1 else ""))


def _names(value: Any) -> tuple[str, ...]:
    """Distinct non-empty names, in the order given."""
    return tuple(dict.fromkeys(name.strip() for name in _strings(value) if name.strip()))
