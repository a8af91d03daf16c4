"""``copy-store``: copy one store into another, whole (DuckDB file -> PostgreSQL, and back).

Everything the program stores is copied, withdrawn imports included: the imports and their
rows in every canonical table (history), saved documents (column mappings, board lists),
manager's notes, edits (they are imports), the audit trail, grants, organisation settings and
the reporting tables. The source is read in one transaction (one consistent state); the
target is written in one transaction (all or nothing), then the rows of every table are
counted on both sides and must agree. A target holding any row is refused unless ``replace``
(its rows are then deleted in the same transaction). Import numbers are kept, so audit
entries and notes still name the right imports; the target's next import number follows the
highest copied. Both stores are migrated to this program's schema when opened.

No streamlit import (library code).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import StoreError


@dataclass(frozen=True)
class CopyReport:
    """Rows per table copied (``rows``, equal on both sides once verified)."""

    source: str
    target: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def copy_store(source: Any, target: Any, *, replace: bool = False) -> CopyReport:
    """Copy every stored table of ``source`` into ``target`` (two ``Store`` objects of either
    backend) and verify the row counts per table. Raises ``StoreError`` when the target is
    the source, holds rows (without ``replace``), or a count differs after the copy."""
    if str(source.path) == str(target.path):
        raise StoreError(key="copy.same_store", params={"path": str(source.path)})
    tables = source.read_stored()
    expected = {name: t.num_rows for name, t in tables.items()}
    target.write_stored(tables, replace=replace)
    got = target.stored_counts()
    wrong = {n: (expected[n], got.get(n, 0)) for n in expected if got.get(n, 0) != expected[n]}
    if wrong:
        raise StoreError(
            key="copy.count_mismatch",
            params={"tables": ", ".join(f"{n}: {a} -> {b}" for n, (a, b) in wrong.items())},
        )
    return CopyReport(str(source.path), str(target.path), expected)
