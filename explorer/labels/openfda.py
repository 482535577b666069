"""openFDA drug-label JSON -> :class:`~explorer.labels.records.Label` records, read as a stream.

An API response and a bulk part share one shape, ``{"meta": {...}, "results": [label, ...]}``; a bulk
part unzips to about 1 GB, so :func:`read_openfda` reads it with ijson one label at a time and memory
stays flat whatever the file size. A record that cannot be used becomes a
:class:`~explorer.labels.records.LabelError` naming the file and the record, and reading goes on; a
document that breaks off (truncated or malformed JSON) yields one error naming the record where reading
stopped, after the labels before it.

Zip handling is the importer's: it passes an open binary stream and a display path such as
``"drug-label-0001-of-0002.json.zip!drug-label-0001-of-0002.json"``.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from datetime import datetime
from decimal import Decimal
from typing import Any, BinaryIO

import ijson

from explorer.labels.products import openfda_product
from explorer.labels.records import SECTION_KEYS, Label, LabelError, Passage
from explorer.labels.tables import table_from_html
from explorer.labels.text import split_passages
from explorer.labels.workers import LabelBatch, made_in_pool

#: Other names openFDA has used for a kept section (its documentation once said warnings_and_precautions).
SECTION_ALIASES: dict[str, str] = {"warnings_and_precautions": "warnings_and_cautions"}
_IDENTITY = ("set_id", "id", "version", "effective_time")
#: Errors a stream can raise while being read: a broken zip member, a failing disk.
_STREAM_ERRORS = (OSError, EOFError, zlib.error, zipfile.BadZipFile)
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
        Worker processes to make the labels in (:func:`label_from_openfda` is most of an import's time):
        this process parses the JSON and sends batches of :data:`~explorer.labels.workers.BATCH` records to the pool, at most
        ``window`` batches at a time, so memory stays flat. The labels then come back as
        :class:`LabelBatch` items (store rows), in file order.
    window : int
        How many batches may be in the pool at once (twice its workers keeps them busy).

    Yields
    ------
    Label or LabelError
        A :class:`Label` per usable record, in file order. A :class:`LabelError` (not raised) for a record
        that is not an object, lacks ``set_id``, ``id``, ``version`` or ``effective_time``, has an
        ``effective_time`` that is not a YYYYMMDD date, or has no kept section with text; reading then
        goes on. A document that is not an object with a ``results`` list gives one error with record
        None; one that breaks off gives one error naming the record where reading stopped, and ends.
    """
    start = _tell(stream)
    read = [0]  # records read to their end
    try:
        # ijson's C parser builds each record itself: three times as fast as watching the events from Python
        records = ijson.items(stream, "results.item")
        yield from (_made_here(records, path, read) if pool is None
                    else made_in_pool(label_from_openfda, records, path, read, pool, max(window, 1)))
    except (ijson.JSONError, UnicodeDecodeError, *_STREAM_ERRORS) as error:
        shape = _diagnose(stream, start)
        stopped_at = shape.stopped_at if shape is not None else read[0]
        if isinstance(error, ijson.JSONError):
            expected = f"a complete JSON document; reading stopped at this record ({_reason(error)})"
        elif isinstance(error, UnicodeDecodeError):
            expected = f"UTF-8 JSON text: reading stopped ({error.reason})"
        else:
            expected = f"a readable file: reading stopped ({type(error).__name__}: {error})"
        yield LabelError(path, stopped_at, expected)
        return
    if not read[0]:  # nothing read: an empty "results" list, or a document of another shape
        shape = _diagnose(stream, start)
        if shape is not None and shape.problem:
            yield LabelError(path, None, shape.problem)


def _label_or_error(raw: Any, path: str, record: int) -> Label | LabelError:
    try:
        return label_from_openfda(raw, path, record)
    except LabelError as error:
        return error


def _made_here(records: Iterable[Any], path: str, read: list[int]) -> Iterator[Label | LabelError]:
    for record, raw in enumerate(records):
        read[0] = record + 1
        yield _label_or_error(raw, path, record)


def _tell(stream: BinaryIO) -> int | None:
    """Where the document starts in ``stream`` (after a byte-order mark the caller skipped); None when the
    stream cannot seek."""
    try:
        return stream.tell() if stream.seekable() else None
    except (OSError, ValueError, AttributeError):
        return None


def _diagnose(stream: BinaryIO, start: int | None) -> _Shape | None:
    """Read the document again, watching its outline, to say where and why reading stopped.

    Only for a document that failed or held no record, so the slower event-by-event reading is paid
    by broken input alone. None when the stream cannot be read again.
    """
    if start is None:
        return None
    shape = _Shape()
    try:
        stream.seek(start)
        for _ in shape.watch(ijson.parse(stream)):
            pass
    except (ijson.JSONError, UnicodeDecodeError, *_STREAM_ERRORS):
        pass
    return shape


class _Shape:
    """Watches the parse events for the document's outline: a top-level object with a ``results`` list.

    ``done`` counts the records of ``results`` read to their end, so an error can name the record where
    reading stopped (the first one not read to its end).
    """

    def __init__(self) -> None:
        self.top: str | None = None  # the event that opened the document
        self.results: str | None = None  # the event that opened "results", once seen
        self.in_results = False
        self.done = 0

    def watch(self, events: Iterable[tuple[str, str, Any]]) -> Iterator[tuple[str, str, Any]]:
        for prefix, event, value in events:
            if prefix == "results.item":
                if event not in _RECORD_OPENS and event != "map_key":  # a record's end, or a lone value
                    self.done += 1
            elif prefix == "results":
                self.results = self.results or event
                self.in_results = event == "start_array" or (self.in_results and event != "end_array")
            elif not prefix and self.top is None:
                self.top = event
            yield prefix, event, value

    @property
    def stopped_at(self) -> int | None:
        """The record where reading stopped, or None when it stopped outside the ``results`` list."""
        return self.done if self.in_results else None

    @property
    def problem(self) -> str | None:
        expected = 'an openFDA drug-label document: a JSON object with a "results" list of labels'
        if self.top != "start_map":
            return f"{expected}; found {_json_type(self.top)} at the top"
        if self.results is None:
            return f'{expected}; the object has no "results"'
        if self.results != "start_array":
            return f'{expected}; "results" is {_json_type(self.results)}'
        return None


#: The events that open a record of ``results`` that is an object or a list (it ends at end_map/end_array).
_RECORD_OPENS = frozenset({"start_map", "start_array"})


def _json_type(event: str | None) -> str:
    names = {"start_map": "an object", "map": "an object", "start_array": "a list", "array": "a list",
             "string": "a string", "number": "a number", "boolean": "a boolean", "null": "null"}
    return names.get(event or "", "nothing")


def _reason(error: Exception) -> str:
    """The first line of a parser's message (yajl gives bytes and a caret drawing below it)."""
    message = error.args[0] if error.args else ""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    lines = str(message).strip().splitlines()
    return lines[0][:200] if lines else type(error).__name__


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
        raise LabelError(path, record, f"a label object; found {_json_type(_event_of(raw))}")
    missing = [key for key in _IDENTITY if not _scalar(raw.get(key))]
    if missing:
        raise LabelError(path, record, f"a label with {', '.join(_IDENTITY)}; missing {', '.join(missing)}")
    effective_time = _scalar(raw["effective_time"])
    if not _is_date(effective_time):
        raise LabelError(path, record, f"effective_time as YYYYMMDD; found {effective_time[:40]!r}")
    passages: list[Passage] = []
    for key in SECTION_KEYS:
        source = key if key in raw else next((alias for alias, canonical in SECTION_ALIASES.items()
                                              if canonical == key and alias in raw), key)
        text = " ".join(_strings(raw.get(source)))
        if not text.strip():
            continue
        tables = [table_from_html(html) for html in _strings(raw.get(f"{source}_table"))]
        passages.extend(split_passages(key, text, tables))
    if not passages:
        raise LabelError(path, record, "at least one section with text among " + ", ".join(SECTION_KEYS)
                         + " (or warnings_and_precautions)")
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


def _event_of(value: Any) -> str:
    if isinstance(value, list):
        return "start_array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    return "boolean" if isinstance(value, bool) else "number"


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


def _names(value: Any) -> tuple[str, ...]:
    """Distinct non-empty names, in the order given."""
    return tuple(dict.fromkeys(name.strip() for name in _strings(value) if name.strip()))
