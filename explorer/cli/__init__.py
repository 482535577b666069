"""The ``explorer`` command.

    explorer parse PAGE                      one page as JSON
    explorer ingest PATH... --out DIR        pages -> corpus folder, with an ingest report
    explorer summary [--data DIR]            counts per drug, condition and severity
    explorer serve [--data DIR] [--port P]   the Voila dashboard on 127.0.0.1 (--max-kernels, --idle-timeout)
    explorer audit [--data DIR]              side-effect claims checked against label facts
    explorer labels import PATH... [--into DIR]   label files (openFDA, SPL, OnSIDES) -> label store
    explorer labels list [--labels DIR]      the label versions held
    explorer labels show DRUG [--labels DIR] the label a drug resolves to, section by section
    explorer synth --pages N --out DIR       synthetic pages for benchmarks and tests
    explorer bench                           the scale benchmark table
    explorer eval PAGES [--misses]           precision, recall, F1 and tier agreement on pages with expected outputs
    explorer label-eval tac FILE | sample|resolution|premises CSV --openfda DIR
                        | incidence --openfda DIR [--sample CSV]   the label check on hand-checked real labels

Exit status: 0 success, 1 some input failed or was skipped (the good input was still processed), 2 usage
or setup error, 128 + the signal's number when interrupted (130: Ctrl-C, 143: SIGTERM).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .labels import cmd_labels_import, cmd_labels_list, cmd_labels_show
from .stops import StopSignals, signal_number
from .util import EXIT_FAILED_INPUT, EXIT_OK, EXIT_USAGE, _error, audit_progress


def _cmd_parse(args: argparse.Namespace) -> int:
    from ..pages.decode import PageError
    from ..pages.read import read_file
    from ..pages.subject import Subject

    status = EXIT_OK
    given = Subject(args.drug, args.condition, "given", "given" if args.condition else None) if args.drug else None
    for page in args.page:
        try:
            article = read_file(page, int(args.max_page_mb * 2**20), given=given, address=args.url)
        except PageError as e:
            print(f"explorer parse: {e}", file=sys.stderr)
            status = EXIT_FAILED_INPUT
            continue
        except OSError as e:
            print(f"explorer parse: {page}: {e.strerror or e}", file=sys.stderr)
            status = EXIT_FAILED_INPUT
            continue
        print(json.dumps(article.to_json(), indent=2, ensure_ascii=False))
    return status


def _cmd_ingest(args: argparse.Namespace) -> int:
    from ..corpus.files import shown
    from ..corpus.ingest import ingest
    from ..corpus.meta import MetaError

    names: list[str] = []
    if args.labels is not None:
        from ..labels.rows import LIST_SEPARATOR
        from ..labels.store import LabelStore

        held = LabelStore(args.labels).labels()
        names = sorted({n.strip() for col in ("brand_names", "generic_names", "substance_names")
                        for cell in held[col].dropna() for n in str(cell).split(LIST_SEPARATOR) if n.strip()})
    existed = (Path(args.out) / "manifest.json").exists()
    try:
        with StopSignals() as stops:
            report = ingest(args.paths, args.out, fmt=args.format, workers=args.workers,
                            progress=args.progress, incremental=not args.full, meta=args.meta,
                            drug=args.drug, condition=args.condition, drug_names=names,
                            max_page_bytes=int(args.max_page_mb * 2**20), page_seconds=args.page_timeout,
                            page_memory=int(args.page_memory_mb * 2**20), stop=stops.check)
    except (FileNotFoundError, MetaError) as e:
        return _error("ingest", e)
    except KeyboardInterrupt as e:  # Ctrl-C or SIGTERM: the writer removed its temporary folder
        kept = "the previous corpus is unchanged" if existed else "no corpus was written"
        _error("ingest", f"interrupted; {kept}")
        return 128 + signal_number(e)
    for line in report.problems():
        print(line, file=sys.stderr)
    print(report.summary_line())
    print(f"report: {shown(str(Path(args.out) / 'report.csv'))}")
    c = report.counts
    return EXIT_FAILED_INPUT if c["failed"] or c["skipped"] else EXIT_OK


def _cmd_summary(args: argparse.Namespace) -> int:
    from ..corpus.dataset import load

    corpus = load(args.data)
    copies = len(corpus.duplicates())
    none = corpus.pages_without_side_effects()
    print(f"{len(corpus.articles)} pages" + (f" ({none} with no side effect)" if none else "")
          + f", {len(corpus.side_effects)} side effects, "
          f"{len(corpus.related)} related links ({corpus.root})"
          + (f"; {copies} page files hold a copy of another's content and are counted once below" if copies else ""))
    for name, table in corpus.summary().items():
        print()
        print(table.to_string())
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from ..app.serve import serve

    return serve(args.data, port=args.port, ip=args.ip, labels=args.labels, max_kernels=args.max_kernels,
                 idle_timeout=args.idle_timeout)


def _cmd_audit(args: argparse.Namespace) -> int:
    from ..audit.audit import Audit
    from ..audit.report import audit_report
    from ..corpus.dataset import load

    labels = None
    if args.labels is not None:
        from ..labels.store import LabelStore

        labels = LabelStore(args.labels)
    corpus = load(args.data)
    with audit_progress(args.progress) as progress:
        audit = Audit.of(corpus, labels, progress=progress, save=args.save)
    if audit.reused:
        print(f"explorer audit: the audit saved in {audit.saved} is current (same corpus, label store and "
              "explorer): shown as saved", file=sys.stderr)
    elif audit.saved is not None:
        print(f"explorer audit: saved in {audit.saved} (the dashboard and notebooks reuse it)", file=sys.stderr)
    elif audit.not_saved:
        print(f"explorer audit: {audit.not_saved}", file=sys.stderr)
    print(audit_report(corpus, args.format, audit=audit))
    return EXIT_OK


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1; got {value}")
    return value


def _positive_number(text: str) -> float:
    """An argparse type: a number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a number above 0; got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"a number above 0; got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from ..app.serve import IDLE_TIMEOUT, MAX_KERNELS  # two numbers; the module imports no server library
    from ..corpus.files import MAX_PAGE_BYTES, PAGE_MEMORY_BYTES, PAGE_SECONDS

    p = argparse.ArgumentParser(prog="explorer", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("parse", help="parse pages and print them as JSON")
    s.add_argument("page", nargs="+", help="page file(s), text or saved HTML")
    s.add_argument("--url", default=None, help="the page's address (its site, and its drug when nothing else names it)")
    s.add_argument("--drug", default=None, help="the drug, for a page outside the template that names none")
    s.add_argument("--condition", default=None, help="the condition, with --drug")
    s.add_argument("--max-page-mb", type=_positive_number, default=MAX_PAGE_BYTES / 2**20,
                   help=f"the largest page file read, in MB (default: {MAX_PAGE_BYTES // 2**20})")
    s.set_defaults(func=_cmd_parse)

    s = sub.add_parser("ingest", help="parse files and folders into a corpus folder")
    s.add_argument("paths", nargs="+", help="page files and folders")
    s.add_argument("--out", required=True, help="corpus folder to write (replaced atomically)")
    s.add_argument("--format", choices=["parquet", "csv"], default="parquet",
                   help="table files: parquet (default, fast) or csv (diffable)")
    s.add_argument("--workers", type=int, default=None, help="parsing processes (default: all cores)")
    s.add_argument("--full", action="store_true", help="re-parse every file, even unchanged ones")
    s.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: on an interactive terminal outside CI)")
    s.add_argument("--meta", type=Path, default=None,
                   help="crawl metadata: a CSV of path, url, drug, condition (paths relative to the CSV)")
    s.add_argument("--drug", default=None, help="the drug of pages that name none (last choice)")
    s.add_argument("--condition", default=None, help="the condition of pages that name none (with --drug)")
    s.add_argument("--labels", type=Path, default=None,
                   help="a label store whose drug names help find the drug of pages outside the template")
    s.add_argument("--max-page-mb", type=_positive_number, default=MAX_PAGE_BYTES / 2**20,
                   help=f"the largest page file read, in MB (default: {MAX_PAGE_BYTES // 2**20}); larger files "
                        "are reported failed, not read")
    s.add_argument("--page-timeout", type=_positive_number, default=PAGE_SECONDS, metavar="SECONDS",
                   help=f"the longest one page's parse may take (default: {PAGE_SECONDS:g}); a page that takes "
                        "longer is reported failed, the pages beside it are read")
    s.add_argument("--page-memory-mb", type=_positive_number, default=PAGE_MEMORY_BYTES / 2**20, metavar="MB",
                   help=f"the most memory one page's parse may take, in MB (default: {PAGE_MEMORY_BYTES // 2**20}); "
                        "a page that needs more is reported failed, the pages beside it are read")
    s.set_defaults(func=_cmd_ingest)

    data_help = "corpus folder written by 'explorer ingest' (default: the embedded data)"
    s = sub.add_parser("summary", help="counts per drug, condition and severity")
    s.add_argument("--data", default=None, help=data_help)
    s.set_defaults(func=_cmd_summary)

    s = sub.add_parser("serve", help="serve the dashboard with Voila on 127.0.0.1")
    s.add_argument("--data", default=None, help=data_help)
    s.add_argument("--port", type=int, default=8866)
    s.add_argument("--ip", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    s.add_argument("--labels", type=Path, default=None,
                   help="label store folder: the Label check tab checks claims against the imported labels")
    s.add_argument("--max-kernels", type=int, default=MAX_KERNELS, metavar="N",
                   help=f"most viewers at once: each page load holds a kernel with the corpus in memory "
                        f"(default {MAX_KERNELS}); past that a viewer is asked to try again in a minute")
    s.add_argument("--idle-timeout", type=int, default=IDLE_TIMEOUT, metavar="SECONDS",
                   help=f"shut down a kernel whose page is closed (or never opened) after this long idle "
                        f"(default {IDLE_TIMEOUT})")
    s.set_defaults(func=_cmd_serve)

    s = sub.add_parser("audit", help="check side-effect claims against the label facts")
    s.add_argument("--data", default=None, help=data_help)
    s.add_argument("--format", choices=["text", "json", "csv"], default="text")
    s.add_argument("--labels", type=Path, default=None,
                   help="label store folder (explorer labels import): check each claim of a drug whose label "
                        "is held against the label's full text (default: the curated facts only)")
    s.add_argument("--save", action=argparse.BooleanOptionalAction, default=None,
                   help="save the audit in the corpus folder's audit/ subfolder, where the dashboard and notebooks "
                        "reuse it until the corpus, the label store or the explorer changes (default: save)")
    s.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: on an interactive terminal outside CI)")
    s.set_defaults(func=_cmd_audit)

    from ..config import LABELS_DIR

    labels = sub.add_parser("labels", help="import drug labels and look at what is held")
    lsub = labels.add_subparsers(dest="labels_command", required=True)
    s = lsub.add_parser("import", help="read label files (openFDA JSON, DailyMed SPL XML, OnSIDES tables, "
                                       "and zips of them) into the label store")
    s.add_argument("paths", nargs="+", help="label files, folders and zips")
    s.add_argument("--into", type=Path, default=LABELS_DIR, help=f"label store folder (default: {LABELS_DIR})")
    s.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress counter (default: on an interactive terminal outside CI)")
    s.add_argument("--workers", type=_positive, default=None,
                   help="processes making the labels of large openFDA files (default: one per core, up to 8)")
    s.set_defaults(func=cmd_labels_import)
    labels_help = f"label store folder (default: {LABELS_DIR})"
    s = lsub.add_parser("list", help="the label versions held: names, set id, version, effective date, file")
    s.add_argument("--labels", type=Path, default=LABELS_DIR, help=labels_help)
    s.set_defaults(func=cmd_labels_list)
    s = lsub.add_parser("show", help="the label a drug name resolves to, section by section")
    s.add_argument("drug", help="a brand, generic or substance name")
    s.add_argument("--labels", type=Path, default=LABELS_DIR, help=labels_help)
    s.set_defaults(func=cmd_labels_show)

    from ..devtools import bench, evaluate, labeleval, synth

    for name, module, text in (("synth", synth, "write synthetic pages (benchmarks and tests only)"),
                               ("bench", bench, "build synthetic corpora and print the scale benchmark"),
                               ("eval", evaluate, "score the extractors on pages with expected outputs"),
                               ("label-eval", labeleval, "score the label check on hand-marked real labels")):
        s = sub.add_parser(name, help=text, description=module.__doc__.split("\n")[0])
        module.add_arguments(s)
        s.set_defaults(func=module.run)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``explorer`` console command."""
    from ..corpus.store import CorpusError
    from ..labels.store import LabelStoreError

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CorpusError, LabelStoreError) as e:
        return _error(args.command, e)
    except BrokenPipeError:
        # the reader went away (`explorer audit | head`): not an error; keep Python from complaining at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
