"""The CI helpers in tools/: the pip-audit summary never claims a clean result for packages it
could not audit; the mypy baseline fails on new errors only and only ever shrinks."""

from __future__ import annotations

from collections import Counter

from tools import audit_summary, mypy_baseline

NOT_FOUND = "Dependency not found on PyPI and could not be audited: {} (1.0)"


def test_audit_summary_says_nothing_was_audited_when_every_package_was_skipped():
    # what pip-audit -f json gives here, with no advisory database reachable
    report = {"dependencies": [{"name": n, "skip_reason": NOT_FOUND.format(n)} for n in ("streamlit", "pandas")]}
    code, lines = audit_summary.summarize(report)
    assert code == 2
    assert "NOT AUDITED" in lines[-1] and "none of the 2 packages" in lines[-1]
    assert not any("no known vulnerabilities" in ln.lower() for ln in lines)


def test_audit_summary_partial_clean_and_vulnerable():
    ok = {"name": "pandas", "version": "3.1.1", "vulns": []}
    skipped = {"name": "duckdb", "skip_reason": NOT_FOUND.format("duckdb")}
    bad = {"name": "streamlit", "version": "1.0", "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["1.54"]}]}
    assert audit_summary.summarize({"dependencies": [ok]}) == (
        0,
        ["pip-audit: no known vulnerabilities in the 1 packages audited"],
    )
    code, lines = audit_summary.summarize({"dependencies": [ok, skipped]})
    assert code == 2 and lines[0] == "pip-audit: 1 of 2 packages could NOT be audited: duckdb"
    code, lines = audit_summary.summarize({"dependencies": [ok, bad]})
    assert code == 1 and lines == ["pip-audit: VULNERABLE streamlit 1.0: GHSA-xxxx"]
    assert audit_summary.summarize({"dependencies": []})[0] == 2


MYPY_OUT = """\
pmo_analytics/a.py:10:5: error: Need type annotation for "out"  [var-annotated]
pmo_analytics/a.py:12: note: See https://mypy.readthedocs.io
pmo_analytics/b.py:3:1: error: Name "f" already defined on line 1  [no-redef]
pmo_analytics/b.py:9:1: error: Name "f" already defined on line 1  [no-redef]
"""


def test_mypy_output_is_keyed_without_line_numbers():
    found, original = mypy_baseline.parse(MYPY_OUT)
    assert found == Counter(
        {
            'pmo_analytics/a.py: error: Need type annotation for "out"  [var-annotated]': 1,
            'pmo_analytics/b.py: error: Name "f" already defined on line N  [no-redef]': 2,
        }
    )
    assert original['pmo_analytics/a.py: error: Need type annotation for "out"  [var-annotated]'] == [
        'pmo_analytics/a.py:10:5: error: Need type annotation for "out"  [var-annotated]'
    ]


def test_mypy_baseline_new_errors_fail_fixed_ones_shrink(tmp_path, monkeypatch, capsys):
    found, _ = mypy_baseline.parse(MYPY_OUT)
    base = tmp_path / "baseline.txt"
    monkeypatch.setattr(mypy_baseline, "BASELINE", base)
    mypy_baseline.write_baseline(found, base)
    out = tmp_path / "mypy.txt"
    # same errors, moved to other lines: nothing new
    out.write_text(MYPY_OUT.replace(":10:5:", ":40:5:").replace(":9:1:", ":90:1:"))
    assert mypy_baseline.main(["--output", str(out)]) == 0
    # one more no-redef in b.py than the baseline holds: fails, shows the lines
    out.write_text(MYPY_OUT + 'pmo_analytics/b.py:20:1: error: Name "f" already defined on line 1  [no-redef]\n')
    assert mypy_baseline.main(["--output", str(out)]) == 1
    assert "1 new error(s)" in capsys.readouterr().out
    # a.py fixed: passes with a note; --shrink drops it and adds nothing
    out.write_text(MYPY_OUT.splitlines()[2] + "\n" + MYPY_OUT.splitlines()[3] + "\n")
    assert mypy_baseline.main(["--output", str(out)]) == 0
    assert "1 error(s) in the baseline are fixed" in capsys.readouterr().out
    assert mypy_baseline.main(["--output", str(out), "--shrink"]) == 0
    assert mypy_baseline.read_baseline(base) == Counter(
        {'pmo_analytics/b.py: error: Name "f" already defined on line N  [no-redef]': 2}
    )
