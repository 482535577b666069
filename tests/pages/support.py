"""What the tests of ``explorer.pages`` share: finding a line in a test page, small pages, page damage,
and clearing the reading caches."""
from __future__ import annotations

import importlib
import pkgutil
import random
from pathlib import Path

import explorer.pages
from explorer import vocabulary


def line_of(path: Path, fragment: str, encoding: str = "utf-8") -> int:
    """1-based line of the only line of ``path`` that contains ``fragment`` (CRLF counts once)."""
    lines = path.read_bytes().decode(encoding).replace("\r\n", "\n").split("\n")
    hits = [i for i, text in enumerate(lines, start=1) if fragment in text]
    assert len(hits) == 1, (fragment, hits)
    return hits[0]


def page(*lines: str, title: str = "Zelmora for Knee Pain") -> bytes:
    """A small page: drug line, title, then the given lines."""
    return "\n".join(("Zelmora", title, *lines, "")).encode()


def effects(article) -> list[tuple]:
    return [(s.tier, s.severity, s.name, s.description) for s in article.side_effects]


def clear_caches() -> int:
    """Clear every cache of the page readers (``functools.lru_cache`` in ``explorer.pages`` and the
    severity vocabulary); return how many were cleared."""
    modules = [vocabulary] + [importlib.import_module(f"explorer.pages.{m.name}")
                              for m in pkgutil.iter_modules(explorer.pages.__path__)]
    cleared = 0
    for module in modules:
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", None) == module.__name__:
                value.cache_clear()
                cleared += 1
    return cleared


_INSERTS = [b":", b": ", b" - ", "\u2014".encode(), b"**", b" | ", b", ", b" and ", b" for ", b"?",
            b"Side Effects", b"Lower Risk", b"\xe9", b"\xff", "\u00a0".encode(), "\u200b".encode()]
_MARKERS = [b"- ", b"* ", "\u2022 ".encode(), "\u2022".encode(), b"1. ", b"(3) ", b"-", b"12) "]


def mutate(rng: random.Random, data: bytes) -> bytes:
    """Damage a page the way crawls and editors do (lines deleted, duplicated, swapped, re-cased,
    re-bulleted, cut; separators and stray bytes inserted); deterministic for a given ``rng``."""
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 5)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        op = rng.randrange(9)
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3:
            lines[i] = rng.choice([bytes.upper, bytes.lower, bytes.title, bytes.swapcase])(lines[i])
        elif op == 4:
            lines[i] = rng.choice(_MARKERS) + lines[i]
        elif op == 5:
            at = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(_INSERTS) + lines[i][at:]
        elif op == 6:
            lines[i] = lines[i].rstrip(b".:?") + rng.choice([b"", b":", b"?", b"."])
        elif op == 7:
            joined = b"\n".join(lines)
            lines = joined[: rng.randint(0, len(joined))].split(b"\n")
        else:
            lines[i] = b"## " + lines[i]
    return b"\n".join(lines)


def mutated_pages(bases: list[Path], per_page: int) -> list[tuple[str, bytes, str]]:
    """(case name, bytes, path given to the parser): each page and ``per_page`` damaged copies of it."""
    out = []
    for base in bases:
        data = base.read_bytes()
        out.append((base.name, data, base.name))
        rng = random.Random(f"parser-equivalence/{base.name}")
        for k in range(per_page):
            out.append((f"{base.name}#{k}", mutate(rng, data), base.name))
    return out
