"""Helpers of the corpus tests: small folders of pages made from the seed page, and ways to compare
corpus folders and tables."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from explorer import config

SEED = config.RAW_DIR / "mirena-back-pain.txt"
PAGE_TABLES = ("articles", "sections", "side_effects", "advice", "related", "numbers")


def seed_variant(condition: str) -> bytes:
    """The seed page re-titled for another condition (same structure: 9 side effects, 1 number each)."""
    return SEED.read_bytes().replace(b"Back Pain", condition.encode())


def make_pages(folder: Path, conditions: list[str]) -> list[Path]:
    """One seed variant per condition under ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for c in conditions:
        p = folder / f"mirena-{c.lower().replace(' ', '-')}.txt"
        p.write_bytes(seed_variant(c))
        paths.append(p)
    return paths


def digest_tree(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folder``."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def comparable(df: pd.DataFrame) -> pd.DataFrame:
    """A table with categoricals as strings and rows in a fixed order, to compare two corpora's rows."""
    df = df.astype({c: "string" for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)
                    and c != "severity"})
    df = df.assign(severity=df["severity"].astype("string")) if "severity" in df.columns else df
    return df.sort_values(list(df.columns), kind="stable").reset_index(drop=True)
