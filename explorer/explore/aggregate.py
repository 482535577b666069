"""The numpy and pandas work behind the charts: counts, top-N cuts and first rows, on integer codes.

Each function takes rows of a corpus table (already filtered) and returns plain arrays, dicts or a
small DataFrame; :mod:`explorer.explore.charts` draws them. Categorical columns are read through their
codes, so a million rows cost milliseconds and only the labels a chart shows become text.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..vocabulary import NO_CONDITION, SEVERITY_BUCKETS, SEVERITY_LEVELS

def _severity_codes(severity: pd.Series) -> np.ndarray:
    """Severity as integer codes into SEVERITY_LEVELS, -1 where missing (an unrecognised tier)."""
    if isinstance(severity.dtype, pd.CategoricalDtype) and tuple(severity.cat.categories) == SEVERITY_LEVELS:
        return severity.array.codes
    return pd.Categorical(np.asarray(severity.astype(object)), categories=list(SEVERITY_LEVELS)).codes



#: Severity ranks: 0 for an unrecognised tier, then 1 + the index in SEVERITY_LEVELS (least severe first).
_RANKS = len(SEVERITY_LEVELS) + 1
#: SEVERITY_BUCKETS index of each rank.
_BUCKET_OF_RANK = np.array([len(SEVERITY_LEVELS), *range(len(SEVERITY_LEVELS))], dtype=np.int64)


def _ranks(severity: pd.Series) -> np.ndarray:
    """Severity rank of each row (see _RANKS): one pass over the codes, no string conversion."""
    return _severity_codes(severity).astype(np.int64) + 1


def codes_index(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1: missing) and the values they stand for, as an Index: a categorical's own codes
    and categories, else factorised. Only the few labels a chart shows are ever converted to text."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.array.codes.astype(np.int64), values.cat.categories
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64), pd.Index(uniques)


def sorted_unique(values: np.ndarray, counts: bool = False):
    """Sorted distinct values (and how often each occurs), by sorting: numpy 2's hash-based ``np.unique``
    took 3.4 s on a million int64 keys, a sort a tenth of that.

    >>> sorted_unique(np.array([3, 1, 3, 2]), counts=True)
    (array([1, 2, 3]), array([1, 1, 2]))
    """
    values = np.sort(values, kind="stable")
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if len(values) else np.array([], dtype=np.int64)
    if not counts:
        return values[starts]
    return values[starts], np.diff(np.r_[starts, len(values)])


def _raw_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """:func:`codes_index` without widening a categorical's codes (int8 or int16 for most columns)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.array.codes, values.cat.categories
    return codes_index(values)


def commonest(values: pd.Series) -> str | None:
    """The most frequent value (ties: the first category, or the first seen), ``None`` when there is none;
    a bincount of a categorical's codes, a millisecond for a million rows.

    >>> commonest(pd.Series(["b", "a", "b", None], dtype="category")), commonest(pd.Series([], dtype="category"))
    ('b', None)
    """
    codes, uniques = _raw_codes(values)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    return str(uniques[int(np.argmax(counts))]) if counts.any() else None


def labels_of(values: pd.Index, codes: np.ndarray) -> np.ndarray:
    """The values of ``codes`` as an object array (-1, missing, gives NaN as ``astype(object)`` does)."""
    codes = np.asarray(codes, dtype=np.int64)
    out = np.full(len(codes), np.nan, dtype=object)
    ok = codes >= 0
    out[ok] = np.asarray(values.take(codes[ok]).astype(object))
    return out


def values_at(column: pd.Series, rows: np.ndarray) -> np.ndarray:
    """``column`` at positions ``rows`` as an object array (missing: NaN).

    A categorical is read through its codes: converting even a few of its rows with ``astype(object)``
    would convert all of its categories (a hundred thousand file names)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return labels_of(column.cat.categories, column.array.codes[rows])
    return np.asarray(column.take(rows).astype(object))


def _first_per_key(keys: np.ndarray, n_keys: int, k: int, head: int = 8192) -> np.ndarray:
    """Positions of the first ``k`` occurrences of each key, ordered by key, then position.

    Sorts only a prefix of ``keys`` plus the positions of keys the prefix does not cover enough, so
    taking five names per cell of a million rows costs about a millisecond.

    >>> _first_per_key(np.array([2, 0, 2, 2, 0, 1]), 3, 2, head=2).tolist()
    [1, 4, 5, 0, 2]
    """
    head = min(len(keys), head)
    wanted = np.minimum(np.bincount(keys, minlength=n_keys), k)
    short = np.bincount(keys[:head], minlength=n_keys) < wanted
    positions = np.arange(head)
    if short.any():
        positions = np.concatenate([positions, head + np.flatnonzero(short[keys[head:]])])
    sort_keys = keys[positions]
    if n_keys <= np.iinfo(np.uint16).max:
        sort_keys = sort_keys.astype(np.uint16)  # a 16-bit stable sort is a radix sort
    positions = positions[np.argsort(sort_keys, kind="stable")]
    sorted_keys = keys[positions]
    within = np.arange(len(positions)) - np.searchsorted(sorted_keys, sorted_keys, side="left")
    return positions[within < k]


#: Above this many possible combinations, combined keys are factorised instead of counted densely.
_DENSE_LIMIT = 4_000_000


def _combine(a: np.ndarray, b: np.ndarray, nb: int) -> tuple[np.ndarray, int, np.ndarray | None]:
    """One integer key per (a, b) pair: ``(key, n_keys, pair_of_key)``; ``pair_of_key`` is None if dense."""
    key = a * nb + b
    n = (int(a.max(initial=0)) + 1) * nb
    if n <= _DENSE_LIMIT:
        return key, n, None
    codes, uniques = pd.factorize(key)
    return codes.astype(np.int64), len(uniques), np.asarray(uniques)


def _top(counts: np.ndarray, n: int, keys: np.ndarray | None = None) -> np.ndarray:
    """Indices of the ``n`` largest non-zero counts, largest first (ties: lowest index first, or lowest
    ``keys[index]`` when ``keys``, distinct values, are given).

    Linear in the number of keys (a histogram of the counts finds the cut), so a million groups cost
    about a millisecond.

    >>> _top(np.array([0, 5, 2, 5, 1, 2]), 3).tolist()
    [1, 3, 2]
    >>> _top(np.array([0, 5, 2, 5, 1, 2]), 3, keys=np.array([0, 9, 8, 1, 2, 3])).tolist()
    [3, 1, 5]
    """
    nonzero = np.flatnonzero(counts)
    values = counts[nonzero]
    if len(values) > n:
        at_least = np.cumsum(np.bincount(values)[::-1])[::-1]  # at_least[t]: how many counts are >= t
        cut = int(np.flatnonzero(at_least >= n)[-1])
        above, tied = nonzero[values > cut], nonzero[values == cut]
        need = n - len(above)
        if keys is not None and 0 < need < len(tied):
            tied = tied[np.argpartition(keys[tied], need - 1)[:need]]  # the lowest keys, in linear time
        nonzero = np.concatenate([above, tied[:need]])
        values = counts[nonzero]
    order = np.lexsort((nonzero if keys is None else keys[nonzero], -values))
    return nonzero[order][:n]


def first_rows(keys: np.ndarray, rows: np.ndarray, n_keys: int) -> np.ndarray:
    """For each key, the smallest of the ``rows`` carrying it (-1 where none)."""
    big = np.iinfo(np.int64).max
    first = np.full(n_keys, big, dtype=np.int64)
    np.minimum.at(first, keys, rows)
    return np.where(first == big, -1, first)


# --- side effects by severity ---------------------------------------------------------------------

def severity_counts(side_effects: pd.DataFrame, top: int = 25) -> pd.DataFrame:
    """Count side effects per group (condition, or drug and condition) and severity bucket.

    Each row represents one group x severity bucket with at least one side effect. Columns: group
    (the condition, or "Drug · Condition" when several drugs are present), severity (one of
    SEVERITY_BUCKETS), count, names (up to five side-effect names, '; '-joined). Only the ``top``
    groups with most side effects are kept, biggest first; within a group, severity in its order.
    Counting runs on integer codes, so 900,000 rows take a few milliseconds.

    >>> import pandas as pd
    >>> se = pd.DataFrame({"drug": ["D"] * 3, "condition": ["C"] * 3, "name": ["a", "b", "c"],
    ...                    "severity": pd.Categorical(["serious", "common", "serious"])})
    >>> severity_counts(se)[["group", "severity", "count", "names"]].to_dict("records")
    [{'group': 'C', 'severity': 'common', 'count': 1, 'names': 'b'}, {'group': 'C', 'severity': 'serious', 'count': 2, 'names': 'a; c'}]
    """
    return _severity_counts(side_effects, top)[0]


def severity_cells(side_effects: pd.DataFrame, top: int) -> tuple[list[str], np.ndarray, dict[int, str], int]:
    """The kept groups' labels (biggest first), their counts per bucket (groups x SEVERITY_BUCKETS),
    up to five side-effect names '; '-joined per cell ``i * len(SEVERITY_BUCKETS) + bucket``, and the
    number of groups before the top cut. Everything runs on integer codes; only shown labels become text."""
    nb = len(SEVERITY_BUCKETS)
    if side_effects.empty:
        return [], np.zeros((0, nb), dtype=np.int64), {}, 0
    cond, cond_values = codes_index(side_effects["condition"])
    if (cond < 0).any():  # pages that name no condition (general extractor): a group of their own
        cond = np.where(cond < 0, len(cond_values), cond)
        cond_values = cond_values.astype(object).append(pd.Index([NO_CONDITION], dtype=object))
    raw = side_effects["drug"].array.codes if isinstance(side_effects["drug"].dtype, pd.CategoricalDtype) else None
    drug_values = side_effects["drug"].cat.categories if raw is not None else None
    nc = len(cond_values)
    # Several drugs present: min and max of the narrow codes, cheaper than counting every code.
    by_drug = bool(raw.min() != raw.max()) if raw is not None else side_effects["drug"].nunique(dropna=False) > 1
    if by_drug:
        drug, drug_values = codes_index(side_effects["drug"])
        group, n_groups, pair_of = _combine(drug, cond, nc)
    else:
        group, n_groups, pair_of = cond, nc, None
    sizes = np.bincount(group, minlength=n_groups)
    # Ties go to the lowest (drug, condition) codes, also when the pairs were factorised.
    keep = _top(sizes, top, pair_of)
    position = np.full(n_groups, -1, dtype=np.int64)
    position[keep] = np.arange(len(keep))
    rows = np.flatnonzero((position >= 0)[group])  # a one-byte gather: cheaper than the positions themselves
    # Cells are counted by rank, then reordered to bucket order (rank 0, unrecognised, is the last bucket);
    # severity and names are read for the kept rows only.
    cell = position[group[rows]] * _RANKS + _severity_codes(side_effects["severity"])[rows] + 1
    by_rank = np.bincount(cell, minlength=len(keep) * _RANKS).reshape(len(keep), _RANKS)
    counts = np.empty_like(by_rank)
    counts[:, _BUCKET_OF_RANK] = by_rank
    # Names for the hover text: the first five rows of each kept group x severity.
    first = _first_per_key(cell, len(keep) * _RANKS, 5)
    names = values_at(side_effects["name"], rows[first])
    joined: dict[int, list[str]] = {}
    for c, n in zip((cell[first] // _RANKS * nb + _BUCKET_OF_RANK[cell[first] % _RANKS]).tolist(), names):
        joined.setdefault(c, []).append(n)
    if by_drug:
        key = pair_of[keep] if pair_of is not None else keep
        labels = [f"{d} · {c}" for d, c in zip(labels_of(drug_values, key // nc), labels_of(cond_values, key % nc))]
    else:
        labels = [str(c) for c in labels_of(cond_values, keep)]
    return labels, counts, {c: "; ".join(n) for c, n in joined.items()}, int(np.count_nonzero(sizes))


def _severity_counts(side_effects: pd.DataFrame, top: int) -> tuple[pd.DataFrame, int]:
    """severity_counts and the number of groups before the top cut."""
    cols = ["group", "severity", "count", "names"]
    if side_effects.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols}), 0
    labels, counts, names, n_groups = severity_cells(side_effects, top)
    nb = len(SEVERITY_BUCKETS)
    records = [(g, SEVERITY_BUCKETS[b], int(counts[i, b]), names.get(i * nb + b, ""))
               for i, g in enumerate(labels) for b in range(nb) if counts[i, b]]
    return pd.DataFrame.from_records(records, columns=cols), n_groups


# --- condition x side effect matrix ---------------------------------------------------------------


def claim_matrix(side_effects: pd.DataFrame, top: int = 20, top_conditions: int = 25) -> pd.DataFrame:
    """Which side effect is claimed for which condition, and in which tier.

    Each row represents one condition x side-effect name pair claimed by at least one page. Columns:
    condition (:data:`~explorer.vocabulary.NO_CONDITION` for pages that name none), name, severity
    (the most severe bucket any page gives it), tier (as written, of that
    claim), pages (how many rows claim it), description, source_file, line (of one such claim). Only the
    ``top`` side effects claimed for most conditions, and the ``top_conditions`` conditions with most
    of them, are kept.
    """
    cols = ["condition", "name", "severity", "tier", "pages", "description", "source_file", "line"]
    if side_effects.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    cells, _, _ = claim_cells(side_effects, top, top_conditions)
    out = pd.DataFrame(cells)
    out["condition"] = out["condition"].astype(object)
    out["name"] = out["name"].astype(object)
    # Cells come ordered by side effect (most widely claimed first), then by condition rank.
    return out[cols]


def claim_cells(side_effects: pd.DataFrame, top: int, top_conditions: int) -> tuple[dict[str, np.ndarray], int, int]:
    """The columns of claim_matrix as arrays, how many side effects are claimed at all and for how many
    conditions.

    One count of rows per (side effect, condition, severity rank) decides the kept side effects and
    conditions and the most severe claim of each cell; one more pass over the rows finds each cell's
    first row at that rank. Only the shown cells' labels are converted to text. Rows of pages that name
    no condition (read by the general extractor) count as one more condition, :data:`NO_CONDITION`, as
    in :func:`severity_cells`."""
    name, name_values = _raw_codes(side_effects["name"])
    cond, cond_values = _raw_codes(side_effects["condition"])
    if (cond < 0).any():
        cond = np.where(cond < 0, len(cond_values), cond.astype(np.int32))
        cond_values = cond_values.astype(object).append(pd.Index([NO_CONDITION], dtype=object))
    nc = len(cond_values)
    n_pairs = (int(name.max(initial=0)) + 1) * nc
    if n_pairs <= _DENSE_LIMIT:  # the key built in place in 32 bits: half the memory traffic of int64
        key = np.multiply(name, nc * _RANKS, dtype=np.int32)
        key += np.multiply(cond, _RANKS, dtype=np.int32)
        key += _severity_codes(side_effects["severity"])
        key += 1
        pair_of = None
    else:
        pair, n_pairs, pair_of = _combine(name.astype(np.int64), cond.astype(np.int64), nc)
        key = pair * _RANKS + _ranks(side_effects["severity"])
    by_rank = np.bincount(key, minlength=n_pairs * _RANKS).reshape(n_pairs, _RANKS)
    pair_rows = by_rank.sum(axis=1)
    claimed = np.flatnonzero(pair_rows)
    combined = pair_of[claimed] if pair_of is not None else claimed
    name_of_pair, cond_of_pair = combined // nc, combined % nc
    per_name = np.bincount(name_of_pair, minlength=len(name_values))
    names = _top(per_name, top)
    name_pos = np.full(len(name_values), -1, dtype=np.int64)
    name_pos[names] = np.arange(len(names))
    in_names = name_pos[name_of_pair] >= 0
    # Rows per condition among the kept side effects, summed over pairs rather than rows.
    cond_rows = np.bincount(cond_of_pair[in_names], weights=pair_rows[claimed][in_names], minlength=nc)
    conditions = _top(np.rint(cond_rows).astype(np.int64), top_conditions)
    cond_pos = np.full(nc, -1, dtype=np.int64)
    cond_pos[conditions] = np.arange(len(conditions))
    sel = np.flatnonzero(in_names & (cond_pos[cond_of_pair] >= 0))
    cell = name_pos[name_of_pair[sel]] * len(conditions) + cond_pos[cond_of_pair[sel]]
    n_cells = len(names) * len(conditions)
    # Show the most severe claim of each pair; an unrecognised tier (rank 0) ranks below every known one.
    present = by_rank[claimed[sel]] > 0
    best = _RANKS - 1 - np.argmax(present[:, ::-1], axis=1)
    target = np.full(n_pairs * _RANKS, -1, dtype=np.int64)
    target[claimed[sel] * _RANKS + best] = cell
    at = np.flatnonzero((target >= 0)[key])  # a one-byte gather, then the cells of those rows only
    first = first_rows(target[key[at]], at, n_cells)
    pages = np.zeros(n_cells, dtype=np.int64)
    pages[cell] = pair_rows[claimed[sel]]
    bucket = np.zeros(n_cells, dtype=np.int64)
    bucket[cell] = _BUCKET_OF_RANK[best]
    shown = np.flatnonzero(first >= 0)
    picked = first[shown]
    cells = {
        "condition": labels_of(cond_values, cond[picked]),
        "name": labels_of(name_values, name[picked]),
        "severity": np.asarray(SEVERITY_BUCKETS, dtype=object)[bucket[shown]],
        "tier": values_at(side_effects["tier"], picked),
        "pages": pages[shown],
        "description": values_at(side_effects["description"], picked),
        "source_file": values_at(side_effects["source_file"], picked),
        "line": side_effects["line"].take(picked).to_numpy(),
    }
    return cells, int(np.count_nonzero(per_name)), int(np.count_nonzero(np.bincount(cond_of_pair, minlength=nc)))
