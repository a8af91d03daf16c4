"""mypy over ``pmo_analytics/`` against a baseline of known errors that may only shrink.

``tools/mypy-baseline.txt`` lists the errors mypy reported when type checking came to CI, one
per line as ``path: error: message  [code]`` without line numbers (so editing a file above an old
error does not make it "new"). A line may repeat: the file holds each error as often as it
occurs. The check:

- an error not in the baseline (or more occurrences than the baseline holds) fails, printed with
  its line number;
- a baseline error that no longer occurs is fine: a note says how many, and
  ``python -m tools.mypy_baseline --shrink`` rewrites the baseline without them.

``--shrink`` only ever removes lines, never adds: a new error is fixed, or (with a reason in
review) added to the file by hand.

    python -m tools.mypy_baseline            # make typecheck
    python -m tools.mypy_baseline --shrink   # drop the errors that are gone
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
_ERROR = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+)(?::\d+)?: error: (?P<rest>.*)$")
_LINE_REF = re.compile(r"\bline \d+\b")


def normalize(line: str) -> str | None:
    """``path: error: message  [code]`` for one mypy output line, or None for notes/summaries."""
    m = _ERROR.match(line.rstrip())
    if not m:
        return None
    path = m["path"].replace("\\", "/")
    return f"{path}: error: {_LINE_REF.sub('line N', m['rest'])}"


def parse(output: str) -> tuple[Counter[str], dict[str, list[str]]]:
    """The errors of a mypy run (as a multiset of normalized lines) and their original lines."""
    found: Counter[str] = Counter()
    original: dict[str, list[str]] = {}
    for line in output.splitlines():
        key = normalize(line)
        if key is not None:
            found[key] += 1
            original.setdefault(key, []).append(line.rstrip())
    return found, original


def read_baseline(path: Path | None = None) -> Counter[str]:
    path = path or BASELINE
    if not path.exists():
        return Counter()
    lines = path.read_text(encoding="utf-8").splitlines()
    return Counter(ln for ln in lines if ln.strip() and not ln.startswith("#"))


def write_baseline(errors: Counter[str], path: Path | None = None) -> None:
    path = path or BASELINE
    head = "# Known mypy errors (tools/mypy_baseline.py). This file may only shrink.\n"
    path.write_text(head + "".join(f"{e}\n" for e in sorted(errors.elements())), encoding="utf-8")


def compare(found: Counter[str], baseline: Counter[str]) -> tuple[Counter[str], Counter[str]]:
    """(new errors, fixed baseline errors), each as a multiset."""
    return found - baseline, baseline - found


def run_mypy() -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--no-pretty", "--show-column-numbers"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if proc.returncode not in (0, 1):  # 2: mypy itself failed (bad config, crash)
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"mypy failed with exit code {proc.returncode}")
    return proc.stdout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shrink", action="store_true", help="drop baseline errors that no longer occur")
    ap.add_argument("--output", type=Path, help="read mypy's output from this file instead of running mypy")
    args = ap.parse_args(argv)

    output = args.output.read_text(encoding="utf-8") if args.output else run_mypy()
    found, original = parse(output)
    baseline = read_baseline()
    new, fixed = compare(found, baseline)
    if args.shrink:
        baseline = baseline - fixed
        write_baseline(baseline)
        print(f"mypy baseline: removed {sum(fixed.values())} fixed errors, {sum(baseline.values())} remain")
    elif fixed:
        print(
            f"mypy: {sum(fixed.values())} error(s) in the baseline are fixed - shrink it: "
            "python -m tools.mypy_baseline --shrink"
        )
    if new:
        print(f"mypy: {sum(new.values())} new error(s) (not in tools/mypy-baseline.txt):")
        for key, n in sorted(new.items()):
            lines = original[key]
            # which occurrence is new cannot be told apart: show them all when the count grew
            for line in lines if n < len(lines) else lines[:n]:
                print(f"  {line}")
        return 1
    print(f"mypy: no new errors ({sum(found.values())} known, baseline {sum(baseline.values())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
