"""The extractors' speed side by side (a line of ``explorer bench``): template pages through the template
parser, and pages of other sites' shapes through the general extractor, in the same process and run.

Both sets are synthetic and held in memory (:func:`explorer.devtools.synth.synth_page`,
:func:`explorer.devtools.synthgeneral.general_page`), each read with
:func:`explorer.pages.read.read_bytes` (the ingest's reader, which chooses the extractor) three times;
the median pass gives pages per second.
"""
from __future__ import annotations

import statistics
import time


def measure_extractors(n: int = 2000, seed: int = 0, passes: int = 3) -> dict:
    """Pages per second of each extractor on ``n`` synthetic pages of its kind."""
    from ..pages.decode import PageError
    from ..pages.read import read_bytes
    from .synth import synth_page
    from .synthgeneral import DRUGS, general_page

    template = [(p.data, p.path) for p in (synth_page(i, seed) for i in range(n)) if p.broken is None]
    general = [(p.data, p.name) for p in (general_page(i, seed) for i in range(n))]

    def rate(pages: list[tuple[bytes, str]], **kwargs) -> tuple[float, dict[str, int]]:
        times, kinds = [], {}
        for _ in range(passes):
            kinds = {}
            start = time.perf_counter()
            for data, path in pages:
                try:
                    kind = read_bytes(data, path, **kwargs).extractor
                except PageError:
                    kind = "failed"
                kinds[kind] = kinds.get(kind, 0) + 1
            times.append(time.perf_counter() - start)
        return len(pages) / statistics.median(times), kinds

    template_rate, template_kinds = rate(template)
    general_rate, general_kinds = rate(general, drug_names=DRUGS)
    return {"extractor_pages": n, "template_pages_per_s": template_rate, "general_pages_per_s": general_rate,
            "template_read_by": template_kinds, "general_read_by": general_kinds}


def format_extractors(row: dict) -> str:
    """One line: both rates, and which extractor read each set (all of a set by its own, or a warning)."""
    return (f"extractors ({row['extractor_pages']:,} synthetic pages each, one process, median of 3): template "
            f"parser {row['template_pages_per_s']:,.0f} pages/s; general extractor {row['general_pages_per_s']:,.0f} "
            f"pages/s ({row['general_pages_per_s'] / row['template_pages_per_s']:.2f}x); read by "
            f"{row['template_read_by']} and {row['general_read_by']}")
