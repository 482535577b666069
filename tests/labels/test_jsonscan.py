"""Cutting an openFDA document into records: the same records as a JSON parser finds, in any block size;
hostile nesting and sizes refused record by record, the records beside them kept; clear outline errors.

Documents are built here (invented labels); the tricky part is the strings: escaped quotes, runs of
backslashes, brackets and commas inside strings, and all of them split across block boundaries.
"""
from __future__ import annotations

import io
import json
import random

import pytest

from explorer.labels import jsonscan
from explorer.labels.jsonscan import DocumentError, Refused, records


def cut(data: bytes) -> list:
    """The records of ``data`` (their JSON values, or the Refused), then the DocumentError if one ends it."""
    out = []
    try:
        for item in records(io.BytesIO(data)):
            out.append(item if isinstance(item, Refused) else json.loads(item))
    except DocumentError as error:
        out.append(error)
    return out


def tricky_string(rng: random.Random) -> str:
    pieces = ['"', "\\", "\\\\", '\\"', "[", "]", "{", "}", ",", ":", "é", "\u2028", "text ", " "]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))


def tricky_value(rng: random.Random, depth: int = 0):
    kind = rng.randrange(6 if depth < 4 else 3)
    if kind == 0:
        return tricky_string(rng)
    if kind == 1:
        return rng.choice([0, -1.5, 12, True, False, None])
    if kind == 2:
        return "\\" * rng.randint(0, 20) + '"' * rng.randint(0, 2)
    if kind == 3:
        return [tricky_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {tricky_string(rng): tricky_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


@pytest.mark.parametrize("block", [1, 2, 3, 7, 64, 4096])
def test_records_are_what_a_json_parser_reads_whatever_the_block_size(monkeypatch, block):
    monkeypatch.setattr(jsonscan, "BLOCK", block)
    rng = random.Random(block)
    results = [tricky_value(rng) for _ in range(60)]
    doc = {tricky_string(rng): tricky_value(rng), "results": results, "meta": {"results": [1, 2]}}
    data = json.dumps(doc, ensure_ascii=rng.random() < 0.5).encode()
    assert cut(data) == results


def test_a_record_nested_deeper_than_any_label_is_refused_and_its_neighbours_kept():
    good = {"set_id": "s", "adverse_reactions": ["Nausea."]}
    deep = b'{"adverse_reactions": ' + b"[" * 5000 + b'"x"' + b"]" * 5000 + b"}"
    data = b'{"results": [' + json.dumps(good).encode() + b"," + deep + b"," + json.dumps(good).encode() + b"]}"
    first, refused, last = cut(data)
    assert first == good == last
    assert refused.reason.startswith(f"a label nested at most {jsonscan.MAX_DEPTH} levels deep")


def test_nesting_inside_a_string_is_not_nesting():
    record = {"adverse_reactions": ["[" * 10_000 + "{" * 10_000]}
    assert cut(json.dumps({"results": [record]}).encode()) == [record]


def test_a_string_longer_than_the_field_limit_refuses_its_record_without_holding_it(monkeypatch):
    monkeypatch.setattr(jsonscan, "MAX_FIELD_BYTES", 1000)
    monkeypatch.setattr(jsonscan, "BLOCK", 256)
    long = {"adverse_reactions": ["Nausea. " * 200]}  # 1,600 bytes
    short = {"adverse_reactions": ["Nausea. " * 100]}
    (refused, kept) = cut(json.dumps({"results": [long, short]}).encode())
    assert refused.reason.startswith("text fields of at most 1,000 bytes") and kept == short


def test_a_record_larger_than_the_record_limit_is_refused(monkeypatch):
    monkeypatch.setattr(jsonscan, "MAX_RECORD_BYTES", 5000)
    big = {"sections": ["Nausea. " * 100] * 10}  # many short strings, 8 KB in all
    small = {"sections": ["Nausea."]}
    (refused, kept) = cut(json.dumps({"results": [big, small]}).encode())
    assert refused.reason.startswith("a label record of at most 5,000 bytes") and kept == small


def test_a_long_string_costs_linear_time():
    """One 64 MB string: ijson's lexer re-read a token spanning its buffer at every read (3.2 s at 32 MB,
    quadratic); here it is found in one pass and the record refused."""
    import time

    data = b'{"results": [{"adverse_reactions": ["' + b"nausea and vomiting " * (64 << 16) + b'"]}, {"a": 1}]}'
    start = time.perf_counter()
    refused, kept = cut(data)
    assert time.perf_counter() - start < 3 and isinstance(refused, Refused) and kept == {"a": 1}


@pytest.mark.parametrize("data, record, says", [
    (b'[{"set_id": "s"}]', None, "found a list at the top"),
    (b'{"results": {"set_id": "s"}}', None, '"results" is an object'),
    (b'{"results": 5}', None, '"results" is a number'),
    (b'{"meta": {}}', None, 'the object has no "results"'),
    (b"", None, "the file is empty"),
    (b'{"results": [{"a": 1}, {"b":', 1, "reading stopped at this record"),
    (b'{"results": [{"a": 1}', 1, "reading stopped at this record"),
    (b'{"results": []} {}', None, "found more after its end"),
    (b'{"results": [1]]}', None, "found more after its end"),
])
def test_an_outline_that_cannot_be_read_ends_with_one_error_naming_the_record(data, record, says):
    error = cut(data)[-1]
    assert isinstance(error, DocumentError) and error.record == record and says in error.expected


def test_an_empty_results_list_holds_no_record_and_a_trailing_comma_is_an_empty_one():
    assert cut(b'{"results": [ \n ]}') == []
    with pytest.raises(json.JSONDecodeError):
        cut(b'{"results": [1, ]}')  # the empty record is handed on; making it fails (a failed record)
