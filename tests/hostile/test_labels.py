"""Hostile input to ``explorer labels``, run as the real command under a 1 GB memory cap and a 30 s time cap.

One test per defect of issue 16's label part (numbered as in the issue), then the inputs that already
held (zip bombs, XXE and billion laughs, traversal names, truncated JSON, ...), so that a regression in
either shows. Every file is written here, in our own words, with the real structure.
"""
from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from explorer.labels.store import LabelStore

from ..helpers import FIXTURES
from ..labels.test_importer import openfda_document, openfda_label, zip_bytes
from ..labels.test_store import damage
from .limits import EXPLORER, MEMORY_LIMIT, Outcome, explorer, run_limited

LABELS = FIXTURES / "labels"
ONSIDES = LABELS / "onsides"
ZENTRAVIX_JSON = LABELS / "openfda" / "zentravix.json"
MIRENA_JSON = LABELS / "openfda" / "mirena.json"


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def report(store: Path, n: int = 1) -> list[dict]:
    """The rows of the store's n-th import report."""
    with open(store / "reports" / f"import-{n:04d}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def labels_stored(store: Path) -> int:
    """Label rows written to the store, every part counted (a label stored twice counts twice)."""
    return sum(p["rows"]["labels"] for p in json.loads((store / "manifest.json").read_text())["parts"])


def one_line(outcome: Outcome) -> str:
    """The one line a command printed on stderr (it fails when there are more)."""
    outcome.assert_clean()
    (line,) = outcome.stderr.strip().splitlines()
    return line


def import_into(store: Path, *inputs: Path | str, **kwargs) -> Outcome:
    outcome = explorer("labels", "import", *map(str, inputs), "--into", str(store), **kwargs)
    outcome.assert_clean()
    assert outcome.peak_mb < MEMORY_LIMIT / 2**20
    return outcome


def deep_label(depth: int) -> bytes:
    return b'{"set_id": "deep", "id": "deep-1", "version": "1", "effective_time": "20200101", ' \
           b'"adverse_reactions": ' + b"[" * depth + b'"Nausea."' + b"]" * depth + b"}"


def document(*records: bytes) -> bytes:
    return b'{"meta": {}, "results": [' + b",".join(records) + b"]}"


def label_bytes(i: int) -> bytes:
    return json.dumps(openfda_label(i)).encode()


# -- 2. nesting that took all memory --------------------------------------------------------------------

@pytest.mark.parametrize("depth", [20_000, 100_000])
def test_2_a_label_nested_deep_fails_alone_and_the_rest_is_imported(tmp_path, depth):
    """Before: 40 KB at depth 20,000 took 1.1 GB, 200 KB at depth 100,000 22 GB (a MemoryError here)."""
    bad = write(tmp_path / "deep.json", document(label_bytes(0), deep_label(depth), label_bytes(2)))
    outcome = import_into(tmp_path / "store", bad, ZENTRAVIX_JSON)
    assert outcome.returncode == 1
    rows = report(tmp_path / "store")
    assert [(r["record"], r["status"]) for r in rows] == [("0", "imported"), ("1", "failed"), ("2", "imported"),
                                                         ("0", "imported")]
    assert rows[1]["path"] == str(bad) and rows[1]["reason"].startswith("a label nested at most 32 levels deep")


# -- 5. a long string cost quadratic time ---------------------------------------------------------------

@pytest.mark.slow
def test_5_a_128_mb_section_is_refused_in_linear_time_and_leaves_no_temporary_folder(tmp_path):
    """Before: 38 s for 128 MB (2.3 s for 32 MB), over the time cap."""
    section = b'{"set_id": "long", "id": "long-1", "version": "1", "effective_time": "20200101", ' \
              b'"adverse_reactions": ["' + b"Nausea and vomiting were reported. " * ((128 << 20) // 35) + b'"]}'
    bad = write(tmp_path / "long.json", document(label_bytes(0), section, label_bytes(2)))
    del section
    outcome = import_into(tmp_path / "store", bad)
    assert outcome.returncode == 1 and outcome.seconds < 30
    rows = report(tmp_path / "store")
    assert [(r["record"], r["status"]) for r in rows] == [("0", "imported"), ("1", "failed"), ("2", "imported")]
    assert rows[1]["reason"].startswith("text fields of at most 16,777,216 bytes")
    assert not list((tmp_path / "store").glob(".part.tmp-*"))


def test_5_a_12_mb_section_under_the_field_limit_is_still_read(tmp_path):
    """A guard for the limit, not a defect: a long real section is read (ijson too read this one, in 0.5 s)."""
    text = b"Nausea and vomiting were reported. " * ((12 << 20) // 35)
    section = b'{"set_id": "long", "id": "long-1", "version": "1", "effective_time": "20200101", ' \
              b'"openfda": {"brand_name": ["Longadrin"]}, "warnings": ["' + text + b'"]}'
    outcome = import_into(tmp_path / "store", write(tmp_path / "long.json", document(section)))
    assert outcome.returncode == 0 and outcome.seconds < 30, outcome.output


# -- 6, 11, 17. killed, interrupted and stopped imports -------------------------------------------------

def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def start_import(store: Path, *inputs: Path, workers: int = 2) -> subprocess.Popen:
    """``explorer labels import`` started in its own process group (as a terminal runs it), not waited for."""
    return subprocess.Popen([*EXPLORER, "labels", "import", *map(str, inputs), "--into", str(store),
                             "--workers", str(workers)], env={**os.environ, "CI": "true"}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=_capped, start_new_session=True)


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def bulk_part(tmp_path_factory) -> Path:
    """An openFDA bulk-part-shaped document of 1,500 synthetic labels (51 MB): workers make its labels."""
    from explorer.devtools.labelsynth import write_openfda_part

    return write_openfda_part(tmp_path_factory.mktemp("bulk") / "drug-label-0001-of-0001.json", 1500, zipped=False)


@pytest.fixture
def ended():
    """Processes a test started, ended by their PID if the test left any running."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if running(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the workers")
def test_6_17_workers_end_with_a_killed_import_and_the_next_import_cleans_its_leftovers(tmp_path, bulk_part, ended):
    """Before: the workers lived on under init, and the .part.tmp-* folder stayed for good."""
    store = tmp_path / "store"
    proc = start_import(store, bulk_part)
    ended.append(proc.pid)
    assert wait_for(lambda: len(children(proc.pid)) >= 2), proc.communicate()
    workers = children(proc.pid)
    ended.extend(workers)
    assert wait_for(lambda: list(store.glob(".part.tmp-*")))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)  # not communicate(): workers living on would hold its pipes open
    proc.stdout.close()
    proc.stderr.close()
    assert wait_for(lambda: not any(running(w) for w in workers), 10), [w for w in workers if running(w)]
    leftover = list(store.glob(".part.tmp-*"))
    assert leftover  # what a kill leaves
    foreign = store / ".part.tmp-notes"  # not ours: a folder of other files under the same prefix
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    outcome = import_into(store, ZENTRAVIX_JSON)
    assert outcome.returncode == 0
    assert sorted(store.glob(".part.tmp-*")) == [foreign] and (foreign / "notes.txt").read_text() == "keep me"


@pytest.mark.slow
@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_6_11_ctrl_c_or_sigterm_stops_the_import_and_its_workers_with_one_line(tmp_path, bulk_part, ended,
                                                                                signum, code):
    """Before: Ctrl-C printed tracebacks (the importer's and each worker's); SIGTERM left the temporary
    folder and the workers."""
    store = tmp_path / "store"
    assert import_into(store, MIRENA_JSON).returncode == 0
    manifest = (store / "manifest.json").read_bytes()
    proc = start_import(store, bulk_part)
    ended.append(proc.pid)
    assert wait_for(lambda: len(children(proc.pid)) >= 2 and list(store.glob(".part.tmp-*"))), proc.communicate()
    workers = children(proc.pid)
    ended.extend(workers)
    os.killpg(proc.pid, signum) if signum == signal.SIGINT else os.kill(proc.pid, signum)  # Ctrl-C: the group
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert err.decode().splitlines() == [f"explorer labels import: stopped ({signal.Signals(signum).name}); the "
                                         "label store is as it was before this import"]
    assert wait_for(lambda: not any(running(w) for w in workers), 10)
    assert (store / "manifest.json").read_bytes() == manifest and not list(store.glob(".part.tmp-*"))
    assert len(list((store / "reports").iterdir())) == 1


# -- 9. a part of the wrong schema ----------------------------------------------------------------------

def test_9_a_part_with_another_tables_schema_is_refused_naming_the_file(tmp_path):
    """Before: terms copied over labels were read as labels (empty columns), and the results changed."""
    store = tmp_path / "store"
    import_into(store, MIRENA_JSON, ONSIDES)
    part = store / "part-0001"
    shutil.copy(part / "terms.parquet", part / "labels.parquet")
    outcome = explorer("labels", "list", "--labels", str(store))
    assert outcome.returncode == 2
    assert one_line(outcome).startswith(f"explorer labels: {part / 'labels.parquet'}: the labels table's columns "
                                        "(key string, source string, set_id string")


# -- 10. two imports at once ----------------------------------------------------------------------------

@pytest.mark.slow
def test_10_two_imports_of_one_file_at_once_store_each_label_once(tmp_path, bulk_part, ended):
    """Before: both imports read the manifest before either wrote, and every label was stored twice."""
    store = tmp_path / "store"
    first = start_import(store, bulk_part, workers=1)
    ended.append(first.pid)
    assert wait_for(lambda: list(store.glob(".part.tmp-*")))  # the first is under way
    second = import_into(store, bulk_part, "--workers", "1")
    first.communicate(timeout=60)
    assert (first.returncode, second.returncode) == (0, 0)
    # whether the second had to wait depends on the machine's speed; the labels are stored once either way
    assert labels_stored(store) == 1500 == len(LabelStore(store).keys())
    assert {r["status"] for r in report(store, 2)} == {"unchanged"}


def test_10_an_import_into_a_store_another_holds_waits_and_says_so(tmp_path, ended):
    """The second import waits for the lock (held here, so the wait does not depend on timing) and says why."""
    import threading

    from explorer.labels.store import import_lock

    store = tmp_path / "store"
    import_into(store, MIRENA_JSON)
    with import_lock(store):
        waiting = start_import(store, MIRENA_JSON, workers=1)
        ended.append(waiting.pid)
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.extend(waiting.stderr), daemon=True)
        reader.start()
        assert wait_for(lambda: any(b"waiting for it to finish" in line for line in lines), seconds=60), lines
        assert waiting.poll() is None  # still waiting while the lock is held
    stdout, _ = waiting.communicate(timeout=60)
    reader.join(timeout=10)
    message = b"".join(lines).decode()
    assert waiting.returncode == 0, message
    assert f"another import into {store} is under way (process {os.getpid()})" in message
    assert b"unchanged" in stdout


# -- 11. damaged store files, a full disk --------------------------------------------------------------

@pytest.fixture
def store(tmp_path) -> Path:
    root = tmp_path / "store"
    import_into(root, MIRENA_JSON, ZENTRAVIX_JSON)
    return root


@pytest.mark.parametrize("how, says, command", [
    ("empty", "it cannot be read (Parquet file size is 0 bytes)", ["list"]),
    ("cut", "it cannot be read (Parquet magic bytes not found in footer", ["show", "Mirena"]),
    ("page", "reading it failed", ["show", "Mirena"]),  # found when its pages are read: list reads none
    ("manifest", "a label store manifest (JSON written by 'explorer labels import'); it cannot be read", ["list"]),
])
def test_11_a_damaged_store_is_one_line_naming_the_file_and_what_to_do(store, how, says, command):
    """Before: each of these printed pyarrow's or json's traceback."""
    file = store / "part-0001" / "passages.parquet"
    if how == "manifest":
        file = store / "manifest.json"
        file.write_bytes(file.read_bytes()[:40])
    else:
        damage(file, how)
    outcome = explorer("labels", *command, "--labels", str(store))
    line = one_line(outcome)
    assert outcome.returncode == 2 and line.startswith(f"explorer labels: {file}: ") and says in line
    assert line.endswith("import the label files again into a new folder (--into NEW)")


def test_11_an_import_into_a_damaged_store_is_one_line_and_changes_nothing(store):
    (store / "part-0001" / "labels.parquet").write_bytes(b"PAR1")
    before = sorted(p.name for p in store.rglob("*"))
    outcome = explorer("labels", "import", str(ZENTRAVIX_JSON), "--into", str(store))
    assert outcome.returncode == 2 and "labels.parquet: a Parquet file of the store's labels table" in one_line(outcome)
    assert sorted(p.name for p in store.rglob("*")) == before


def test_11_a_full_disk_is_one_line(store, tmp_path):
    """ENOSPC simulated where the part is written (a real full disk needs a file system to fill)."""
    new_label = write(tmp_path / "new.json", openfda_document([openfda_label(3)]))
    snippet = (
        "import errno, sys\n"
        "from explorer.labels import store\n"
        "class FullDisk:\n"
        "    def __init__(self, path, *args, **kwargs):\n"
        "        raise OSError(errno.ENOSPC, 'No space left on device', str(path))\n"
        "store.pq.ParquetWriter = FullDisk\n"
        "from explorer.cli import main\n"
        f"sys.exit(main(['labels', 'import', {str(new_label)!r}, '--into', {str(store)!r}]))\n")
    manifest = (store / "manifest.json").read_bytes()
    outcome = run_limited([EXPLORER[0], "-c", snippet])
    assert outcome.returncode == 2
    assert one_line(outcome).startswith("explorer labels import: the disk is full (")
    assert (store / "manifest.json").read_bytes() == manifest and not list(store.glob(".part.tmp-*"))


# -- 12. OnSIDES reports --------------------------------------------------------------------------------

@pytest.fixture
def release(tmp_path) -> Path:
    return Path(shutil.copytree(ONSIDES, tmp_path / "onsides-v3" / "csv"))


def test_12_a_bad_table_is_one_failed_row_not_a_failed_row_and_an_unchanged_one(tmp_path, release):
    table = release / "product_adverse_effect.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("match_method", "method"), encoding="utf-8")
    import_into(tmp_path / "store", release)
    rows = report(tmp_path / "store")
    assert [(r["path"], r["record"], r["status"]) for r in rows] == [(f"{release}!product_adverse_effect.csv", "1",
                                                                     "failed")]


def test_12_a_bad_byte_late_in_a_table_is_reported_at_its_line_and_the_rest_imported(tmp_path, release):
    table = release / "product_adverse_effect.csv"
    lines = table.read_bytes().splitlines(keepends=True)
    lines[12] = lines[12].replace(b"PMB", b"P\xffB")
    table.write_bytes(b"".join(lines))
    import_into(tmp_path / "store", release)
    rows = report(tmp_path / "store")
    assert [(r["record"], r["status"]) for r in rows] == [("13", "failed"), ("", "imported")]
    assert rows[0]["reason"].startswith("UTF-8 text; byte ") and rows[1]["reason"] == "10 OnSIDES terms"


def test_12_a_missing_table_is_reported_once_by_its_name(tmp_path, release):
    (release / "vocab_meddra_adverse_effect.csv").unlink()
    import_into(tmp_path / "store", release.parent)
    rows = report(tmp_path / "store")
    assert [(r["path"], r["status"], r["reason"]) for r in rows] == [
        (str(release), "failed", "the OnSIDES table vocab_meddra_adverse_effect.csv, which this release lacks")]


# -- 13. documents holding no labels --------------------------------------------------------------------

def test_13_a_document_with_an_empty_results_list_gets_a_row(tmp_path):
    empty = write(tmp_path / "empty.json", b'{"meta": {}, "results": []}')
    outcome = import_into(tmp_path / "store", empty)
    assert outcome.returncode == 0 and outcome.stdout.strip() == f"1 empty -> {tmp_path / 'store'}"
    assert report(tmp_path / "store")[0]["reason"] == "an openFDA document holding labels; its results list is empty"


def test_13_a_zip_of_10000_empty_documents_gets_a_row_each_at_bounded_cost(tmp_path):
    archive = write(tmp_path / "empties.zip", zip_bytes({f"q/{i}.json": b'{"results": []}' for i in range(10_000)}))
    outcome = import_into(tmp_path / "store", archive)
    assert outcome.returncode == 0 and outcome.seconds < 30 and outcome.peak_mb < 500, (outcome.seconds,
                                                                                        outcome.peak_mb)
    rows = report(tmp_path / "store")
    assert len(rows) == 10_000 and {r["status"] for r in rows} == {"empty"}


# -- 14. wrongly typed sections -------------------------------------------------------------------------

def test_14_a_wrongly_typed_section_is_reported_and_the_audit_never_says_not_found(tmp_path):
    """Before: the label counted as imported whole, and its claims read "not found in the label text"."""
    mirena = json.loads(MIRENA_JSON.read_text())["results"][0]
    broken = {**mirena, "adverse_reactions": 12345, "adverse_reactions_table": [{"rows": 3}]}
    doc = write(tmp_path / "mirena-typed.json", json.dumps({"results": [broken]}).encode())
    outcome = import_into(tmp_path / "store", doc)
    assert outcome.returncode == 1
    assert outcome.stderr.strip() == (f"incomplete: {doc} record 0: imported without what could not be read: "
                                      "adverse_reactions: a list of strings; found a number; adverse_reactions_table: "
                                      "a list of strings; item 0 is an object")
    audit = explorer("audit", "--labels", str(tmp_path / "store"), "--format", "csv")
    audit.assert_clean()
    rows = csv.DictReader(line for line in audit.stdout.splitlines() if not line.startswith("#"))
    statuses = {row["status"] for row in rows if row["drug"] == "Mirena"}
    assert "not found in the label text" not in statuses and "label could not be fully read" in statuses


# -- 17. a part named outside the store -----------------------------------------------------------------

def test_17_a_manifest_part_outside_the_store_is_refused_unread(tmp_path, store):
    outside = tmp_path / "elsewhere"
    import_into(outside, write(tmp_path / "other.json", openfda_document([openfda_label(7)])))
    manifest = json.loads((store / "manifest.json").read_text())
    manifest["parts"].append({**manifest["parts"][0], "name": "../elsewhere/part-0001"})
    (store / "manifest.json").write_text(json.dumps(manifest))
    outcome = explorer("labels", "list", "--labels", str(store))
    assert outcome.returncode == 2 and "Bulkadrin" not in outcome.stdout
    assert "found '../elsewhere/part-0001', which is not (refused: nothing outside the store is read)" in one_line(outcome)


# -- inputs that hold (a regression in any shows here) --------------------------------------------------

def test_holds_a_zip_bomb_member_is_refused_unread_and_the_good_member_imported(tmp_path):
    bomb = write(tmp_path / "bomb.zip", zip_bytes({"bomb.json": b'{"results": [' + b" " * (200 << 20) + b"]}",
                                                   "good.json": ZENTRAVIX_JSON.read_bytes()}))
    outcome = import_into(tmp_path / "store", bomb)
    assert outcome.returncode == 1 and outcome.peak_mb < 400
    rows = report(tmp_path / "store")
    assert [r["status"] for r in rows] == ["failed", "imported"]
    assert rows[0]["reason"].startswith("a member that inflates like text (at most 200x)")


def test_holds_zips_nested_inside_zips_stop_at_the_depth_of_a_dailymed_download(tmp_path):
    inner = zip_bytes({"label.json": ZENTRAVIX_JSON.read_bytes()})
    for level in range(12):
        inner = zip_bytes({f"level{level}.zip": inner})
    outcome = import_into(tmp_path / "store", write(tmp_path / "deep.zip", inner))
    assert outcome.returncode == 1 and "nested deeper (not read)" in outcome.stderr


@pytest.mark.parametrize("head", [
    '<!DOCTYPE document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
])
def test_holds_xxe_and_billion_laughs_in_spl_are_refused_unread(tmp_path, head):
    spl = (LABELS / "spl" / "zentravix.xml").read_text(encoding="utf-8")
    body = spl.split("?>", 1)[1] if spl.startswith("<?xml") else spl
    doc = write(tmp_path / "entity.xml", (head + body.replace("Zentravix", "&" + ("secret" if "secret" in head
                                                                                   else "d") + ";", 1)).encode())
    outcome = import_into(tmp_path / "store", doc)
    assert outcome.returncode == 1 and "without entity declarations or external references" in outcome.stderr
    assert LabelStore(tmp_path / "store").labels().empty


def test_holds_traversal_names_in_a_zip_are_display_names_only(tmp_path):
    archive = write(tmp_path / "x" / "evil.zip" if (tmp_path / "x").mkdir() is None else tmp_path,
                    zip_bytes({"../../evil.json": ZENTRAVIX_JSON.read_bytes(), "/abs/evil2.json": MIRENA_JSON.read_bytes()}))
    before = sorted(p.name for p in tmp_path.parent.iterdir())
    outcome = import_into(tmp_path / "store", archive)
    assert outcome.returncode == 0
    assert sorted(p.name for p in tmp_path.parent.iterdir()) == before  # nothing written beside or above
    assert [r["path"] for r in report(tmp_path / "store")] == [f"{archive}!../../evil.json", f"{archive}!/abs/evil2.json"]


def test_holds_a_truncated_document_keeps_the_labels_before_the_break(tmp_path):
    full = openfda_document([openfda_label(i) for i in range(5)])
    cut = write(tmp_path / "cut.json", full[:full.index(b'"set_id": "00000000-0000-4000-8000-000000000003"')])
    outcome = import_into(tmp_path / "store", cut)
    assert outcome.returncode == 1
    assert [(r["record"], r["status"]) for r in report(tmp_path / "store")] == [
        ("0", "imported"), ("1", "imported"), ("2", "imported"), ("3", "failed")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_holds_a_fifo_a_device_link_and_a_link_loop_in_a_folder_are_rows_not_hangs(tmp_path):
    """Before: the FIFO blocked the import for ever (opened and read)."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    os.mkfifo(folder / "labels.json")
    (folder / "zeros.json").symlink_to("/dev/zero")
    (folder / "loop").symlink_to(folder / "loop")
    shutil.copy(ZENTRAVIX_JSON, folder / "zentravix.json")
    outcome = import_into(tmp_path / "store", folder)
    rows = {Path(r["path"]).name: (r["status"], r["reason"]) for r in report(tmp_path / "store")}
    assert rows["labels.json"] == ("failed", "a regular file or a folder; this is a FIFO (named pipe) (not read)")
    assert rows["zeros.json"] == ("failed", "a regular file or a folder; this is a character device (not read)")
    assert rows["loop"][0] == "failed" and rows["zentravix.json"][0] == "imported"
    assert outcome.returncode == 1


def test_holds_two_million_records_that_are_not_labels_stop_after_a_run_of_10000(tmp_path):
    ones = write(tmp_path / "ones.json", b'{"results": [' + b",".join([b"1"] * 2_000_000) + b"]}")
    outcome = import_into(tmp_path / "store", ones, ZENTRAVIX_JSON)
    assert outcome.returncode == 1 and outcome.seconds < 30
    rows = report(tmp_path / "store")
    assert len(rows) == 10_002 and rows[-2]["reason"].endswith("records in a row were not labels, so the rest "
                                                               "was not read")


@pytest.mark.parametrize("into", ["file", "notes"])
def test_holds_importing_into_a_file_or_a_folder_of_other_things_is_refused_and_changes_nothing(tmp_path, into):
    target = tmp_path / into
    if into == "file":
        target.write_text("keep me")
    else:
        target.mkdir()
        (target / "todo.txt").write_text("keep me")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    outcome = explorer("labels", "import", str(ZENTRAVIX_JSON), "--into", str(target))
    assert outcome.returncode == 2 and one_line(outcome).startswith(f"explorer labels import: {target}: ")
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
