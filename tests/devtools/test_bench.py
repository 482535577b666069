"""The benchmark runs end to end on a tiny corpus and reports every figure with its target (no timing
asserts: speed is judged by reading the table, not by a test)."""
from __future__ import annotations

import argparse
import json

import pytest

import explorer.devtools.bench as bench
from explorer.devtools.bench import TARGETS, _pages_for, _sizes, add_arguments, format_table, run, run_bench


@pytest.mark.slow  # about 10 s: four fresh Python processes load the whole package
def test_tiny_run_measures_every_figure_and_writes_json(tmp_path):
    rows = run_bench(sizes=(40,), workdir=tmp_path / "work", json_out=tmp_path / "b.json", filter_runs=8)
    (row,) = rows
    assert row["pages"] == 40
    for t in TARGETS:
        assert isinstance(row[t.key], float) and row[t.key] > 0, t.key
    # the stored corpus holds exactly what the generator wrote
    assert row["rows_as_expected"] is True
    assert row["ingest_inputs"] == 40
    assert row["pages_loaded"] + row["ingest_failed"] == 40
    saved = json.loads((tmp_path / "b.json").read_text())
    assert saved["results"][0]["side_effect_rows"] == row["side_effect_rows"]
    assert {t["key"] for t in saved["targets"]} == {t.key for t in TARGETS}
    assert saved["machine"]["cores"] >= 1
    # a second run reuses the pages written for the same size and seed, and rewrites for another seed
    stamp = tmp_path / "work" / "pages-40" / ".synth.json"
    before = stamp.stat().st_mtime_ns
    _pages_for(40, tmp_path / "work", seed=0)
    assert stamp.stat().st_mtime_ns == before
    (tmp_path / "work" / "pages-40" / "0000" / "stale-page.txt").write_text("left by an older run")
    _pages_for(40, tmp_path / "work", seed=1)
    assert json.loads(stamp.read_text())["seed"] == 1
    assert len([p for p in (tmp_path / "work" / "pages-40").rglob("*.*") if p.name != ".synth.json"]) == 40


def test_table_shows_each_figure_with_its_target_and_pass_or_miss():
    row = {"pages": 100_000, "ingest_pages_per_s": 6_000.0, "ingest_vs_baseline": 4.0, "load_s": 0.5,
           "filter_chart_p50_ms": 10.0, "filter_chart_p95_ms": 80.0, "ingest_peak_mb": 900.0,
           "loaded_peak_mb": 2_000.0, "rows_as_expected": True}
    table = format_table([row])
    lines = {line.split("  ")[1].strip(): line for line in table.splitlines()[2:]}
    assert lines["ingest speed"].rstrip().endswith("pass") and ">= 5,000" in lines["ingest speed"]
    assert lines["ingest / read+split baseline"].rstrip().endswith("MISS")
    assert lines["filter + chart, 95th pct"].rstrip().endswith("MISS")
    assert lines["filter + chart, median"].rstrip().endswith("pass")
    assert lines["peak memory, loaded process"].rstrip().endswith("MISS")
    assert "100,000" in table


def test_sizes_option_takes_comma_separated_page_counts_and_refuses_others():
    parser = add_arguments(argparse.ArgumentParser())
    assert parser.parse_args([]).sizes == (1_000, 10_000, 100_000)
    assert parser.parse_args(["--sizes", "500,2_000"]).sizes == (500, 2_000)
    with pytest.raises(argparse.ArgumentTypeError):
        _sizes("ten")
    with pytest.raises(argparse.ArgumentTypeError):
        _sizes("0")


ROW = {"pages": 1_000, "ingest_pages_per_s": 6_000.0, "ingest_vs_baseline": 2.0, "load_s": 0.5,
       "filter_chart_p50_ms": 10.0, "filter_chart_p95_ms": 20.0, "ingest_peak_mb": 900.0,
       "loaded_peak_mb": 800.0, "rows_as_expected": True, "synth_s": 1.0, "baseline_s": 1.0,
       "ingest_s": 1.0, "ingest_cpu_s": 1.8, "ingest_pages_per_cpu_s": 555.0, "ingest_ok": 990, "ingest_failed": 10, "side_effect_rows": 11_000,
       "ingest_peak_kind": "pss", "filter_chart_by_kind_ms": {}, "dashboard_update_p95_ms": 30.0,
       "dashboard_update_by_kind_ms": {}, "loaded_after_load_mb": 700.0}


def test_run_prints_the_table_and_fails_only_when_strict(tmp_path, capsys, monkeypatch):
    rows = [dict(ROW)]
    monkeypatch.setattr(bench, "run_bench", lambda *a, **k: rows)  # the measuring is tested above
    parser = add_arguments(argparse.ArgumentParser())
    assert run(parser.parse_args(["--sizes", "1000", "--strict"])) == 0
    out = capsys.readouterr().out
    assert "ingest speed" in out and "target" in out and "pages/s" in out and "MISS" not in out
    rows[0]["load_s"] = 1.5
    assert run(parser.parse_args(["--sizes", "1000"])) == 0
    assert "MISS" in capsys.readouterr().out
    assert run(parser.parse_args(["--sizes", "1000", "--strict"])) == 1


def test_a_step_runs_in_a_fresh_process_of_the_bench_module(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text("one\ntwo\n")
    (pages / "b.txt").write_text("three\r\nfour\nfive")
    (pages / ".hidden").write_text("not a page\n")
    result = bench._child("baseline", pages=pages)
    assert (result["baseline_files"], result["baseline_lines"]) == (2, 5)


def test_percentile_interpolates_like_numpy():
    import numpy
    values = [12.0, 3.0, 7.5, 40.0, 1.0, 9.0, 9.0]
    for q in (0, 50, 90, 95, 100):
        assert bench._percentile(values, q) == pytest.approx(numpy.percentile(values, q))
