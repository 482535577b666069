"""The scale benchmark (``explorer bench``): synthetic corpora of 1,000 to 100,000 pages, timed end to end.

For each size it writes a synthetic corpus (:mod:`explorer.devtools.synth`), then measures, each step in a fresh
Python process so that peaks and caches of one step never leak into the next:

- **baseline**: read every page file and split it into lines, in one process (the floor any ingest
  pays for touching the files); run twice, the faster counts, so both it and the ingest read warm files;
- **ingest**: :func:`explorer.corpus.ingest.ingest` with every core, pages per second, its ratio to the
  baseline, and the peak memory of the ingest process and its workers together;
- **load**: :func:`explorer.load` of the stored corpus, and the peak memory of that process;
- **filter + chart**: over varied :class:`~explorer.explore.filters.FilterState` values, the time of
  :func:`~explorer.explore.filters.filter_rows` plus the dashboard's charts (median and 95th percentile).

The table shows each figure next to its target with pass / miss. Figures vary with what else the
machine is doing; the benchmark prints the machine's core count and load so a reader can judge.

Longer than the project's 400-line guide: one benchmark, its steps (each run in a fresh process), its
table and its command line read best together.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from ..vocabulary import SEVERITY_LEVELS
from .synth import GENERATOR_VERSION, synthesize

# Each step imports what it measures inside its own function: a step runs in a fresh process, and the
# ingest's memory must not include the chart libraries the load step needs.

DEFAULT_SIZES = (1_000, 10_000, 100_000)
FILTER_RUNS = 60  # filter states timed per size (after one warm-up)


@dataclass(frozen=True)
class Target:
    """One target: the figure's key in a result row, how it is compared and its limit."""

    key: str
    label: str
    unit: str
    op: str  # ">=" or "<="
    limit: float

    def passes(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value >= self.limit if self.op == ">=" else value <= self.limit


TARGETS: tuple[Target, ...] = (
    Target("ingest_pages_per_s", "ingest speed", "pages/s", ">=", 5_000),
    Target("ingest_vs_baseline", "ingest / read+split baseline", "x", "<=", 3.0),
    Target("load_s", "load stored corpus", "s", "<=", 1.0),
    Target("filter_chart_p50_ms", "filter + chart, median", "ms", "<=", 50.0),
    Target("filter_chart_p95_ms", "filter + chart, 95th pct", "ms", "<=", 50.0),
    Target("dashboard_update_p95_ms", "dashboard model update, 95th pct", "ms", "<=", 50.0),
    Target("ingest_peak_mb", "peak memory, ingest + workers", "MB", "<=", 1_536),
    Target("loaded_peak_mb", "peak memory, loaded process", "MB", "<=", 1_536),
)


# --- measuring memory -----------------------------------------------------------------------------

def _maxrss_mb(who: int) -> float:
    # ru_maxrss is in KiB on Linux, bytes on macOS
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(who).ru_maxrss * scale / 2**20


class TreeMemory:
    """Samples the memory of this process and all its children (PSS when readable, else RSS).

    PSS splits pages shared between a parent and its forked workers, so the sum over the tree is the
    memory the whole ingest really holds; summing RSS would count shared pages once per process.
    """

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak_mb = 0.0
        self.kind = "none"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self, psutil) -> float:
        me = psutil.Process()
        total = 0
        for p in [me] + me.children(recursive=True):
            try:
                if self.kind != "rss":
                    try:
                        total += p.memory_full_info().pss
                        self.kind = "pss"
                        continue
                    except (psutil.AccessDenied, AttributeError):
                        self.kind = "rss"
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total / 2**20

    def _run(self) -> None:
        try:
            import psutil  # comes with distributed; without it only getrusage figures are kept
        except ImportError:
            return
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, self._sample(psutil))
            self._stop.wait(self.interval)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _cpu_s() -> float:
    """User + system CPU seconds of this process and its finished children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


# --- the steps, each run in a child process -------------------------------------------------------

def measure_baseline(pages: Path) -> dict:
    """Read every file under ``pages`` and split it into lines, in this process."""
    from ..corpus.ingest import discover

    start = time.perf_counter()
    files = discover([pages])
    lines = 0
    for path in files:
        with open(path, "rb") as fh:
            lines += len(fh.read().decode("utf-8", "replace").splitlines())
    seconds = time.perf_counter() - start
    return {"baseline_s": seconds, "baseline_files": len(files), "baseline_lines": lines}


def measure_ingest(pages: Path, out: Path, workers: int | None) -> dict:
    """Run :func:`explorer.corpus.ingest.ingest` of ``pages`` into ``out``, with timing and peak memory."""
    from ..corpus.ingest import ingest

    cpu0 = _cpu_s()
    with TreeMemory() as mem:
        start = time.perf_counter()
        report = ingest([pages], out, workers=workers, progress=False, incremental=False)
        seconds = time.perf_counter() - start
    cpu_s = _cpu_s() - cpu0
    counts = report.counts
    self_mb, child_mb = _maxrss_mb(resource.RUSAGE_SELF), _maxrss_mb(resource.RUSAGE_CHILDREN)
    n_workers = workers or os.cpu_count() or 1
    return {
        # CPU seconds of the ingest and its workers: unlike wall time, barely changed by other jobs on
        # the machine, so pages per CPU-second x cores is what the ingest would reach on an idle machine.
        "ingest_cpu_s": cpu_s, "ingest_pages_per_cpu_s": counts["inputs"] / cpu_s if cpu_s else None,
        "ingest_s": seconds, "ingest_ok": counts["ok"], "ingest_failed": counts["failed"],
        "ingest_inputs": counts["inputs"],
        # Sampled peak of the whole process tree when psutil can see it; otherwise the getrusage
        # bound (parent peak + workers x largest worker peak; counts shared pages more than once).
        "ingest_peak_mb": mem.peak_mb if mem.kind != "none" else self_mb + n_workers * child_mb,
        "ingest_peak_kind": mem.kind if mem.kind != "none" else "rusage bound",
        "ingest_maxrss_self_mb": self_mb, "ingest_maxrss_child_mb": child_mb,
    }


def filter_states(corpus, n: int, seed: int = 0) -> list:
    """Varied filter states, as a user would click them: drugs, conditions, severities, text search."""
    from ..explore.filters import FilterState

    rng = random.Random(seed)
    se = corpus.side_effects
    drugs = [str(d) for d in se["drug"].cat.categories]
    conditions = [str(c) for c in se["condition"].cat.categories]
    words = ["head", "dizz", "rash", "sleep", "nausea", "swelling", "zzz-nothing"]
    states = []
    for i in range(n):
        kind = i % 8
        if kind == 0:
            states.append(FilterState(drugs=(rng.choice(drugs),)))
        elif kind == 1:
            states.append(FilterState(conditions=(rng.choice(conditions),)))
        elif kind == 2:
            states.append(FilterState(severities=(rng.choice(SEVERITY_LEVELS),)))
        elif kind == 3:
            states.append(FilterState(drugs=tuple(rng.sample(drugs, 3)),
                                      severities=tuple(rng.sample(SEVERITY_LEVELS, 2))))
        elif kind == 4:
            states.append(FilterState(drugs=(rng.choice(drugs),), conditions=(rng.choice(conditions),)))
        elif kind == 5:
            states.append(FilterState(search=rng.choice(words)))
        elif kind == 6:
            states.append(FilterState(drugs=(rng.choice(drugs),), search=rng.choice(words)))
        else:
            states.append(FilterState())  # everything: the dashboard's opening view
    return states


def chart_update(corpus, state) -> int:
    """Filter the side effects and rebuild the three dashboard charts; returns the number of rows kept.

    Uses :func:`~explorer.explore.filters.filter_rows` and :mod:`explorer.explore.charts` (the
    related-conditions map is drawn, uncached, for the first chosen drug, else the commonest drug among
    the rows, as the dashboard does).
    """
    from ..explore import charts
    from ..explore.aggregate import commonest
    from ..explore.filters import filter_rows

    rows = filter_rows(corpus.side_effects, state)
    charts.severity_bar(rows)
    charts.claim_matrix_figure(rows)
    drug = state.drugs[0] if state.drugs else commonest(rows["drug"])
    if drug is not None:
        charts.related_map(corpus.related, corpus.articles, drug, selected=state.conditions)
    return len(rows)


_KINDS = ("drug", "condition", "severity", "3 drugs x 2 severities", "drug+condition", "search",
          "drug+search", "none")


def _time_updates(update, states) -> tuple[list[float], dict[str, list[float]]]:
    update(states[-1])  # warm-up: the first figure pays for plotly's validators
    times, by_kind = [], {}
    for i, state in enumerate(states):
        t = time.perf_counter()
        update(state)
        ms = (time.perf_counter() - t) * 1e3
        times.append(ms)
        by_kind.setdefault(_KINDS[i % len(_KINDS)], []).append(ms)
    return times, by_kind


def measure_load(out: Path, filter_runs: int = FILTER_RUNS) -> dict:
    """Load the stored corpus, then time filter + chart updates over varied filter states.

    Two timings: the bare functions (``filter_rows`` + the chart functions) and the dashboard model's
    update (``DashboardModel.set_state`` + its three figures), which is what a user waits for after a
    click.
    """
    from ..app.model import DashboardModel
    from ..corpus.dataset import load

    start = time.perf_counter()
    corpus = load(out)
    load_s = time.perf_counter() - start
    loaded_mb = _maxrss_mb(resource.RUSAGE_SELF)
    states = filter_states(corpus, filter_runs)
    times, by_kind = _time_updates(lambda s: chart_update(corpus, s), states)
    result = {
        "load_s": load_s, "pages_loaded": len(corpus.articles), "side_effect_rows": len(corpus.side_effects),
        "filter_chart_p50_ms": statistics.median(times),
        "filter_chart_p95_ms": _percentile(times, 95),
        "filter_chart_max_ms": max(times),
        "filter_chart_by_kind_ms": {k: round(statistics.median(v), 1) for k, v in by_kind.items()},
        "loaded_after_load_mb": loaded_mb,
    }
    model = DashboardModel(corpus)

    def model_update(state) -> None:
        model.set_state(state)
        model.severity_figure()
        model.matrix_figure()
        model.related_figure()

    times, by_kind = _time_updates(model_update, states)
    result.update({
        "dashboard_update_p50_ms": statistics.median(times),
        "dashboard_update_p95_ms": _percentile(times, 95),
        "dashboard_update_by_kind_ms": {k: round(statistics.median(v), 1) for k, v in by_kind.items()},
    })
    result["loaded_peak_mb"] = _maxrss_mb(resource.RUSAGE_SELF)
    return result


def _percentile(values: list[float], q: float) -> float:
    """The q-th percentile by linear interpolation (numpy's default), without numpy."""
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _child(step: str, **kwargs) -> dict:
    """Run one step in a fresh Python process and return its JSON result."""
    spec = json.dumps({"step": step, **{k: str(v) if isinstance(v, Path) else v for k, v in kwargs.items()}})
    proc = subprocess.run([sys.executable, "-m", "explorer.devtools.bench", "--child", spec],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"bench step {step} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _run_child(spec: str) -> int:
    args = json.loads(spec)
    step = args.pop("step")
    if step == "baseline":
        result = measure_baseline(Path(args["pages"]))
    elif step == "ingest":
        result = measure_ingest(Path(args["pages"]), Path(args["out"]), args.get("workers"))
    elif step == "load":
        result = measure_load(Path(args["out"]), int(args.get("filter_runs", FILTER_RUNS)))
    elif step == "extractors":
        from .extractorbench import measure_extractors

        result = measure_extractors(int(args.get("n", 2000)), int(args.get("seed", 0)))
    elif step == "label_import":
        from .labelbench import measure_label_import

        result = measure_label_import(Path(args["part"]), Path(args["store"]), args.get("workers"))
    elif step == "label_audit":
        from .labelbench import measure_label_audit

        result = measure_label_audit(Path(args["corpus"]), Path(args["store"]))
    else:
        raise SystemExit(f"unknown bench step {step!r}")
    print(json.dumps(result))
    return 0


# --- the benchmark --------------------------------------------------------------------------------

def _pages_for(n: int, workdir: Path, seed: int) -> tuple[Path, dict]:
    """The synthetic corpus of ``n`` pages under ``workdir``, reused when already written with the seed."""
    pages = workdir / f"pages-{n}"
    stamp = pages / ".synth.json"  # hidden: ingest skips dot-files
    if stamp.exists():
        summary = json.loads(stamp.read_text())
        if (summary.get("pages"), summary.get("seed"), summary.get("version")) == (n, seed, GENERATOR_VERSION):
            return pages, summary
    if pages.exists():
        # Written by an older generator or another seed: file names differ, so stale pages would stay.
        import shutil

        shutil.rmtree(pages)
    summary = synthesize(n, pages, seed=seed).to_json()
    stamp.write_text(json.dumps(summary))
    return pages, summary


def bench_size(n: int, workdir: Path, *, seed: int = 0, workers: int | None = None,
               filter_runs: int = FILTER_RUNS) -> dict:
    """All measurements for one corpus size; each step in a fresh process."""
    pages, summary = _pages_for(n, workdir, seed)
    out = workdir / f"corpus-{n}"
    # Twice, keeping the faster: the first pass also brings the files into the page cache, so the
    # baseline and the ingest after it both read warm files (a cold first read can take 3x longer).
    baseline = min((_child("baseline", pages=pages) for _ in range(2)), key=lambda b: b["baseline_s"])
    ingest = _child("ingest", pages=pages, out=out, workers=workers)
    loaded = _child("load", out=out, filter_runs=filter_runs)
    row = {"pages": n, "synth_s": summary["seconds"], "expected_side_effects": summary["side_effects"],
           "expected_broken": summary["broken"], **baseline, **ingest, **loaded}
    row["ingest_pages_per_s"] = n / row["ingest_s"]
    row["ingest_vs_baseline"] = row["ingest_s"] / row["baseline_s"]
    # The benchmark doubles as an end-to-end check: the corpus must hold what the generator wrote.
    row["rows_as_expected"] = (row["side_effect_rows"] == summary["side_effects"]
                               and row["ingest_failed"] == summary["broken"])
    return row


def run_bench(sizes: tuple[int, ...] = DEFAULT_SIZES, workdir: Path | None = None,
              json_out: Path | None = None, *, seed: int = 0, workers: int | None = None,
              filter_runs: int = FILTER_RUNS, echo: bool = False) -> list[dict]:
    """Build a synthetic corpus per size and measure ingest, load, filter + chart and memory.

    Parameters
    ----------
    sizes : corpus sizes in pages.
    workdir : folder for the synthetic pages and corpora (kept, so a second run reuses the pages);
        ``None``: a temporary folder, removed at the end.
    json_out : also write the results, targets and machine facts as JSON here.
    seed : synthetic corpus seed.
    workers : ingest processes (default: every core).
    filter_runs : filter states timed per size.
    echo : print each size's row as soon as it is measured.

    Returns
    -------
    list of dict
        One row per size; the keys of :data:`TARGETS` hold the figures that are checked.
    """
    if workdir is None:
        # About 1 GB per 100,000 pages: a folder nobody asked for is removed afterwards.
        import tempfile

        with tempfile.TemporaryDirectory(prefix="explorer-bench-") as tmp:
            return run_bench(sizes, Path(tmp), json_out, seed=seed, workers=workers,
                             filter_runs=filter_runs, echo=echo)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in sizes:
        rows.append(bench_size(n, workdir, seed=seed, workers=workers, filter_runs=filter_runs))
        if echo:
            print(format_table(rows[-1:]), flush=True)
    if json_out is not None:
        Path(json_out).write_text(json.dumps(
            {"machine": machine(), "targets": [asdict(t) for t in TARGETS], "results": rows}, indent=2))
    return rows


def machine() -> dict:
    """Facts that figures depend on: cores, load, Python."""
    return {"cores": os.cpu_count(), "load_avg_1m": os.getloadavg()[0], "python": sys.version.split()[0],
            "platform": sys.platform}


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "pages/s":
        return f"{value:,.0f}"
    if unit == "MB":
        return f"{value:,.0f}"
    if unit == "x":
        return f"{value:.2f}"
    if unit == "s":
        return f"{value:.3f}"
    return f"{value:.1f}"


def format_table(rows: list[dict]) -> str:
    """The results as a plain-text table: one line per size and figure, with target and pass / miss."""
    header = ("pages", "figure", "value", "unit", "target", "result")
    lines = [header]
    for row in rows:
        for t in TARGETS:
            value = row.get(t.key)
            ok = t.passes(value)
            lines.append((f"{row['pages']:,}", t.label, _fmt(value, t.unit), t.unit,
                          f"{t.op} {_fmt(t.limit, t.unit)}", "-" if ok is None else "pass" if ok else "MISS"))
        lines.append((f"{row['pages']:,}", "corpus rows as generated", "yes" if row.get("rows_as_expected") else "NO",
                      "", "yes", "pass" if row.get("rows_as_expected") else "MISS"))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    out = []
    for j, line in enumerate(lines):
        out.append("  ".join(str(c).rjust(w) if i in (0, 2) else str(c).ljust(w)
                             for i, (c, w) in enumerate(zip(line, widths))).rstrip())
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def format_details(rows: list[dict]) -> str:
    """Secondary figures: raw seconds, baseline, filter time by kind of filter, memory sources."""
    out = []
    for r in rows:
        out.append(f"{r['pages']:,} pages: synth {r['synth_s']:.1f} s, baseline read+split {r['baseline_s']:.2f} s, "
                   f"ingest {r['ingest_s']:.2f} s ({r['ingest_ok']} ok, {r['ingest_failed']} failed; "
                   f"{r['ingest_cpu_s']:.1f} CPU-s, {r['ingest_pages_per_cpu_s']:,.0f} pages per CPU-second), "
                   f"load {r['load_s']:.3f} s, {r['side_effect_rows']:,} side-effect rows; "
                   f"ingest peak measured as {r['ingest_peak_kind']}; filter+chart "
                   f"median ms by filter: {r['filter_chart_by_kind_ms']}"
                   + f"; dashboard model update median ms by filter: {r['dashboard_update_by_kind_ms']}"
                   + f"; loaded process {r['loaded_after_load_mb']:,.0f} MB right after load")
    return "\n".join(out)


# --- command line ---------------------------------------------------------------------------------

def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(s.replace("_", "")) for s in text.split(",") if s.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes: expected comma-separated page counts, got {text!r}")
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("--sizes: at least one size, each >= 1")
    return sizes


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``explorer bench`` options to ``parser`` (a subcommand parser)."""
    parser.add_argument("--sizes", type=_sizes, default=DEFAULT_SIZES,
                        help="comma-separated corpus sizes in pages (default: 1000,10000,100000)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for synthetic pages and corpora, kept for reuse: pages already there "
                             "for the same size and seed are not rewritten (default: a temporary folder, "
                             "removed at the end)")
    parser.add_argument("--json", dest="json_out", type=Path, default=None, help="also write the results as JSON")
    parser.add_argument("--seed", type=int, default=0, help="synthetic corpus seed")
    parser.add_argument("--workers", type=int, default=None, help="ingest processes (default: all cores)")
    parser.add_argument("--filter-runs", type=int, default=FILTER_RUNS, help="filter states timed per size")
    parser.add_argument("--labels", type=int, default=0, metavar="N",
                        help="also time importing a synthetic openFDA bulk part of N labels and auditing the "
                             "largest corpus against it (issue 9's targets: 20000)")
    parser.add_argument("--label-drugs", type=int, default=1000, help="drugs the synthetic labels cover (default 1000)")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when any target is missed")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``explorer bench``; prints the table. Exit status 0 (with ``--strict``: 1 when a target is missed)."""
    if getattr(args, "child", None):
        return _run_child(args.child)
    m = machine()
    print(f"explorer bench: {m['cores']} cores, load {m['load_avg_1m']:.2f}, Python {m['python']}; "
          f"sizes {', '.join(f'{s:,}' for s in args.sizes)}", flush=True)
    if getattr(args, "labels", 0) and args.workdir is None:
        # the label steps read the largest corpus: keep the run's folder until they are done
        import tempfile

        with tempfile.TemporaryDirectory(prefix="explorer-bench-") as tmp:
            args.workdir = Path(tmp)
            return run(args)
    rows = run_bench(args.sizes, args.workdir, args.json_out, seed=args.seed, workers=args.workers,
                     filter_runs=args.filter_runs)
    print(format_table(rows))
    print()
    print(format_details(rows))
    from .extractorbench import format_extractors

    extractors = _child("extractors", n=2000, seed=args.seed)
    print(format_extractors(extractors))
    missed = any(t.passes(r.get(t.key)) is False for r in rows for t in TARGETS) or not all(
        r["rows_as_expected"] for r in rows)
    if getattr(args, "labels", 0):
        from .labelbench import describe_label_row, format_label_table, label_targets_missed, run_label_bench

        row = run_label_bench(args.labels, args.label_drugs, args.workdir, args.workdir / f"corpus-{max(args.sizes)}",
                              args.seed, _child)
        print("\n" + describe_label_row(row, max(args.sizes)))
        print(format_label_table(row))
        missed = missed or label_targets_missed(row)
        if args.json_out:
            data = json.loads(Path(args.json_out).read_text())
            Path(args.json_out).write_text(json.dumps({**data, "labels": row}, indent=2))
    if args.json_out:
        print(f"results: {args.json_out}")
    return 1 if missed and getattr(args, "strict", False) else 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m explorer.devtools.bench [--sizes ...]``."""
    parser = add_arguments(argparse.ArgumentParser(prog="explorer bench", description=__doc__.split("\n")[0]))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
