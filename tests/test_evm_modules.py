"""The earned value package split by job: each part imports only the parts before it, and
``metrics.evm`` re-exports the public names, so callers use one module."""

from __future__ import annotations

import ast
from pathlib import Path

from pmo_analytics.metrics import evm, evm_formulas, evm_phasing, evm_rollup, evm_sources

METRICS = Path(__file__).resolve().parent.parent / "pmo_analytics" / "metrics"
ORDER = ["evm_formulas", "evm_phasing", "evm_sources", "evm_rollup", "evm"]


def test_public_names_are_re_exported_from_evm():
    for mod in (evm_formulas, evm_phasing, evm_sources, evm_rollup):
        tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
        public = [
            n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef) and not n.name.startswith("_")
        ]
        assert public, mod.__name__
        for name in public:
            assert getattr(evm, name) is getattr(mod, name), (mod.__name__, name)
            assert name in evm.__all__
    assert evm.analyse.__module__ == "pmo_analytics.metrics.evm"
    assert evm.portfolio_rollup.__module__ == "pmo_analytics.metrics.evm_rollup"
    assert evm.earned_schedule.__module__ == "pmo_analytics.metrics.evm_formulas"


def test_parts_import_only_earlier_parts():
    for i, name in enumerate(ORDER):
        tree = ast.parse((METRICS / f"{name}.py").read_text(encoding="utf-8"))
        deps = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 1 and n.module}
        later = {d for d in deps if d in ORDER[i:]}
        assert not later, (name, later)
