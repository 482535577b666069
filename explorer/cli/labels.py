"""The ``explorer labels`` commands: import label files, list what is held, show a label.

Every way a labels command ends is one line: Ctrl-C (exit 130) or SIGTERM (143) with what became of the
store, a full disk or an unwritable folder (2), never a traceback.
"""
from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from .stops import StopSignals, signal_number
from .util import EXIT_FAILED_INPUT, EXIT_OK, EXIT_USAGE


def labels_command(run):
    """A ``labels`` command whose every way of ending is one line: Ctrl-C (exit 130) or SIGTERM (143) with
    what became of the store, a full disk or an unwritable folder (2), never a traceback."""
    import errno
    import functools

    @functools.wraps(run)
    def command(args: argparse.Namespace) -> int:
        name = f"explorer labels {args.labels_command}"
        importing = args.labels_command == "import"
        parts_before = _store_parts(args.into) if importing else None
        try:
            with StopSignals() as args.stop:
                code = run(args)
                args.stop.check()  # a signal raised where Python could not pass it on
                return code
        except KeyboardInterrupt as e:
            signum = signal_number(e)
            done = ""
            if importing:
                done = ("; the label store is as it was before this import" if _store_parts(args.into) == parts_before
                        else "; this import's labels had been stored (its report may be missing)")
            print(f"{name}: stopped ({signal.Signals(signum).name}){done}", file=sys.stderr)
            return 128 + signum
        except OSError as e:
            where = f" ({e.filename})" if e.filename else ""
            if e.errno == errno.ENOSPC:
                print(f"{name}: the disk is full{where}; nothing was added to the label store: free some space "
                      "and import again", file=sys.stderr)
            else:
                print(f"{name}: {e.strerror or e}{where}", file=sys.stderr)
            return EXIT_USAGE
    return command


def _store_parts(folder: Path) -> list | None:
    """The parts a label store's manifest lists (None when it has none that can be read)."""
    try:
        return json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8")).get("parts")
    except (OSError, ValueError, AttributeError):
        return None


@labels_command
def cmd_labels_import(args: argparse.Namespace) -> int:
    from ..labels.importer import import_labels
    from ..labels.records import LabelError

    def waiting(holder: str) -> None:
        print(f"explorer labels import: another import into {args.into} is under way ({holder or 'process unknown'}); "
              "waiting for it to finish", file=sys.stderr)

    try:
        report = import_labels(args.paths, args.into, progress=args.progress, workers=args.workers, on_wait=waiting,
                               stop=args.stop.check)
    except LabelError as e:
        print(f"explorer labels import: {e}", file=sys.stderr)
        return EXIT_USAGE
    for path, record, status, _, reason in report.flagged:
        where = path if record is None else f"{path} record {record}"
        print(f"{status}: {where}: {reason}", file=sys.stderr)
    print(report.summary_line())
    return EXIT_FAILED_INPUT if report.flagged else EXIT_OK


@labels_command
def cmd_labels_list(args: argparse.Namespace) -> int:
    from ..labels.store import LabelStore

    labels = LabelStore(args.labels).labels()
    if labels.empty:
        print(f"no labels held in {args.labels}")
        return EXIT_OK
    shown = labels.assign(names=labels["brand_names"].where(labels["brand_names"] != "", labels["generic_names"]),
                          held=labels["current"].map({True: "current", False: "older version"}))
    cols = ["names", "generic_names", "set_id", "version", "effective_time", "held", "source", "file"]
    print(shown.sort_values(["names", "effective_time"]).loc[:, cols].to_string(index=False))
    print(f"\n{len(labels):,} label versions, {int(labels['current'].sum()):,} current ({args.labels})")
    return EXIT_OK


@labels_command
def cmd_labels_show(args: argparse.Namespace) -> int:
    import textwrap

    from ..labels.records import DAILYMED_URL
    from ..labels.resolve import LabelIndex
    from ..labels.store import LabelStore

    store = LabelStore(args.labels)
    found = LabelIndex(store.labels()).resolve(args.drug)
    if not found.found:
        print(f"{args.drug}: {found.note} ({args.labels})")
        return EXIT_FAILED_INPUT
    label = store.labels().set_index("key").loc[found.key]
    print(f"{args.drug}: {found.note}")
    print(f"label {label['brand_names'] or label['generic_names']} ({label['generic_names']}), set id {label['set_id']}, "
          f"version {label['version']}, effective {label['effective_time']}, from {label['file']}")
    print(DAILYMED_URL.format(set_id=label["set_id"]))
    if found.alternatives:
        print(f"also matching: {', '.join(found.alternatives)}")
    if label["unreadable_sections"]:
        print(f"incomplete: {label['unreadable_sections']} could not be read from the label's file")
    rows = store.table_rows([found.key])
    for p in store.passages([found.key]).itertuples():
        title = " ".join(str(x) for x in (p.number, p.heading) if isinstance(x, str) and x)
        print(f"\n[{p.section}] {title}")
        for line in str(p.text).splitlines():  # a list item per line, as the label has it
            print(textwrap.indent(textwrap.fill(line, 100), "  "))
        mine = rows[(rows["position"] == p.position) & (rows["section"] == p.section)]
        for (table, caption), t in mine.groupby(["table", "caption"], dropna=False, sort=True):
            print(f"  table {table + 1}: {caption or '(no caption)'}")
            for cells in t.sort_values(["part", "row"], ascending=[False, True])["cells"]:
                print("    " + " | ".join(cells))
    return EXIT_OK
