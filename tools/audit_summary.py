"""Read ``pip-audit --format json`` on stdin and say plainly what it could and could not check.

pip-audit prints "No known vulnerabilities found" even when it audited nothing (every package
"not found on PyPI" because no advisory service is reachable, as on an offline machine). This
summary counts audited and skipped packages and never claims a clean result for a package that
was not audited. Exit status: 0 when every package was audited and none is vulnerable, 1 when a
known vulnerability was found, 2 when some or all packages could not be audited (CI reports it
and goes on; see .ci/run).

    pip-audit -r requirements.txt -f json | python -m tools.audit_summary
"""

from __future__ import annotations

import json
import sys
from typing import Any


def summarize(report: dict[str, Any]) -> tuple[int, list[str]]:
    """Exit status and the lines to print for one pip-audit JSON report."""
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if d.get("skip_reason")]
    audited = [d for d in deps if not d.get("skip_reason")]
    vulnerable = [d for d in audited if d.get("vulns")]
    lines: list[str] = []
    for d in vulnerable:
        ids = ", ".join(v.get("id", "?") for v in d["vulns"])
        lines.append(f"pip-audit: VULNERABLE {d['name']} {d.get('version', '')}: {ids}")
    if not deps:
        lines.append("pip-audit: NOT AUDITED - the report lists no packages")
        return 2, lines
    if not audited:
        reason = skipped[0]["skip_reason"]
        lines.append(
            f"pip-audit: NOT AUDITED - none of the {len(deps)} packages could be checked "
            f"(no advisory database reachable?). First reason: {reason}"
        )
        return 2, lines
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        lines.append(f"pip-audit: {len(skipped)} of {len(deps)} packages could NOT be audited: {names}")
    if vulnerable:
        return 1, lines
    lines.append(f"pip-audit: no known vulnerabilities in the {len(audited)} packages audited")
    return (2 if skipped else 0), lines


def main() -> int:
    raw = sys.stdin.read()
    try:
        report = json.loads(raw)
    except json.JSONDecodeError:
        print("pip-audit: NOT AUDITED - pip-audit gave no report:", raw.strip()[-500:] or "(no output)")
        return 2
    code, lines = summarize(report)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main())
