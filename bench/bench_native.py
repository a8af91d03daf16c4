"""Import time of an MS Project ``.mpp`` (MPXJ, Java) beside the MSPDI XML of the same project
(the hand-written reader), the JVM's start counted apart.

The shared samples ``mpxj__legacy_sample.mpp`` and ``mpxj__junit_data_legacy_sample.xml`` are the
same project saved both ways. Printed: the JVM start (once per parse child), the parse of each
file with the JVM already up (best of N, in one capped child like the parse child), and the
whole isolated import as the Import page runs it (child start + JVM + parse), best of 3.

    python -m bench.bench_native [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MPP = "mpxj__legacy_sample.mpp"
XML = "mpxj__junit_data_legacy_sample.xml"


def _samples() -> Path:
    return Path(os.environ.get("PMO_SHARED") or ROOT.parent / "shared") / "samples"


def _child(repeat: int) -> dict:
    """Inside a capped child: JVM start, then best-of-N parse times of both files."""
    from pmo_analytics.ingest import jvm, parse_bytes

    mpp, xml = (_samples() / MPP).read_bytes(), (_samples() / XML).read_bytes()
    t0 = time.perf_counter()
    jvm.start(MPP)
    jvm_s = time.perf_counter() - t0
    out = {"jvm_start_s": jvm_s}
    for key, name, data in (("mpp_parse_s", MPP, mpp), ("xml_parse_s", XML, xml)):
        best = float("inf")
        for _ in range(repeat):
            t = time.perf_counter()
            parse_bytes(name, data)
            best = min(best, time.perf_counter() - t)
        out[key] = best
    return out


def _isolated(name: str) -> float:
    from pmo_analytics.importing import parse_upload

    data = (_samples() / name).read_bytes()
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        parse_upload(name, data)
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.repeat)))
        return 0
    if not (_samples() / MPP).exists():
        print("skipped: ../shared/samples is not beside this checkout")
        return 0
    from pmo_analytics.ingest.jvm import java_status

    if not java_status().ok:
        print("skipped: Java or the mpxj package is not installed (make jre)")
        return 0
    import resource
    import subprocess

    from pmo_analytics.ingest.safety import DEFAULT_MEMORY_MB

    cap = int(float(os.environ.get("PMO_PARSE_MEMORY_MB", DEFAULT_MEMORY_MB)))

    def limit() -> None:  # pragma: no cover - runs in the child
        resource.setrlimit(resource.RLIMIT_AS, (cap * 2**20, cap * 2**20))

    env = dict(os.environ, PMO_PARSE_CHILD_MB=str(cap), PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_native", "--child", "--repeat", str(args.repeat)],
        env=env,
        cwd=ROOT,
        preexec_fn=limit,
        capture_output=True,
        text=True,
        check=True,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    iso_mpp, iso_xml = _isolated(MPP), _isolated(XML)
    print(f"JVM start (once per parse child)     {r['jvm_start_s']:.2f} s")
    print(f".mpp parse (MPXJ, JVM up)            {r['mpp_parse_s'] * 1000:.0f} ms")
    print(f"MSPDI parse (hand-written reader)    {r['xml_parse_s'] * 1000:.0f} ms")
    print(f"  ratio .mpp / MSPDI                 {r['mpp_parse_s'] / r['xml_parse_s']:.2f}x")
    print(f"isolated import .mpp (child + JVM)   {iso_mpp:.2f} s")
    print(f"isolated import MSPDI (child)        {iso_xml:.2f} s")
    print(f"  ratio                              {iso_mpp / iso_xml:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
