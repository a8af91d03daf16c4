"""Schedule risk analysis: Monte Carlo over the real CPM network. How likely are we to finish
by the date we promised?

Pure functions: DataFrames in, typed results (dataclasses) out. ``simulate`` runs every project
of the tasks given; ``project_p80`` answers one project's P80 finish date in one call.

**Network.** ``cpm.schedules`` builds each project's network (the working-day engine used by
the pages and DCMA: link types, lags, summaries, progress, constraints, status date) and
``cpm_vector`` runs its forward and backward passes with one column per iteration. A project
whose file keeps working minutes (MS Project/P6 files, ``cpm_minutes``) has its spread
simulated on the same working-day network and anchored on the minute engine's CPM finish:
each iteration's finish is that date moved by the iteration's working days more or less than
the deterministic working-day finish (note code ``minutes_anchored``).

**Durations.** What is sampled is each unfinished task's remaining work in working days: an
unstarted task's duration, a started task's remaining duration (finished tasks keep their
dates). A task with a three-point estimate (``duration_optimistic``/``likely``/``pessimistic``,
working days) is sampled between them; a missing likely value is the plan's duration, a
missing optimistic or pessimistic one comes from the default band. For a started task the
estimates are scaled by remaining / likely (its spread, applied to the work left). Every other
task gets the default band: ``(1 - band_low) x d`` to ``(1 + band_high) x d`` around its
duration ``d`` (settings ``risk_band_low`` 10 %, ``risk_band_high`` 25 %). Distribution:
``triangular`` (min, mode, max) or ``pert`` (beta with shape 1 + 4 (m - a)/(b - a),
1 + 4 (b - m)/(b - a), mean (a + 4m + b)/6).

**Risk events.** Every open threat (not closed, impact cost not negative) with a probability,
``impact_days`` > 0 and ``task_ids`` naming tasks of the project occurs in an iteration with
its probability and then adds ``impact_days`` working days to each of those tasks (a summary
task id: to each unfinished task under it). Every open threat with an impact cost adds that
cost to the iteration's cost when it occurs (risks without tasks included).

**Results** (``ProjectRisk``): P50/P80/P90 finish dates (the working-day quantiles of the
iterations' finishes, as calendar dates on the project calendar: weekends and the holidays
of the settings skipped), the probability of finishing on or before the baseline finish and
each milestone's baseline finish (its planned finish when it has no baseline), the
criticality index of each task (share of iterations in which its total float was zero or
less), the sensitivity of the finish to each task and risk (Pearson correlation of its
sampled duration, or the risk's occurrence, with the finish: the tornado) and the cost
(``CostRisk``): EAC per iteration = EAC + burn rate x (finish - deterministic finish) in
working days + the impact costs of the threats that occurred, where the burn rate is the
remaining cost (EAC - AC) over the working days from the start of the remaining work to the
deterministic finish (all of the remaining cost treated as time-dependent).

**Reproducible and bounded.** A fixed default seed (``DEFAULT_SEED``); iterations run in
chunks whose arrays stay within ``MEMORY_BUDGET`` bytes (under 1 GiB with numpy's
temporaries). Same seed and inputs, same output.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ..settings import Settings
from . import cpm_vector
from .columns import column, flags, floats, texts
from .cpm import schedules
from .risk import is_open
from .working_time import DayCalendar, to_days

DEFAULT_SEED = 20261206
DEFAULT_ITERATIONS = 10_000
DISTRIBUTIONS = ("triangular", "pert")
MEMORY_BUDGET = 512 * 2**20  # bytes of the chunks' arrays in flight (numpy's temporaries included)
WORKERS = 2  # chunks run at once (threads)
ARRAYS_PER_CHUNK = 8  # (tasks x chunk) float64 arrays a chunk holds at its peak
PERCENTILES = (50, 80, 90)

TASK_COLUMNS = [
    "project_id",
    "task_id",
    "name",
    "is_milestone",
    "estimate",  # "three_point" (from the file), "band" (the default band), "done", "summary"
    "optimistic",
    "likely",
    "pessimistic",
    "criticality_index",
    "sensitivity",
]
MILESTONE_COLUMNS = ["task_id", "name", "target", "target_kind", "cpm_date", "p50", "p80", "probability"]
RISK_COLUMNS = ["risk_id", "title", "probability", "impact_days", "impact_cost", "tasks", "sensitivity"]


@dataclass(frozen=True)
class RiskOptions:
    """How the simulation runs: iterations, seed, distribution and the default band (shares of
    the remaining duration, e.g. 0.10 and 0.25 for -10 % / +25 %)."""

    iterations: int = DEFAULT_ITERATIONS
    seed: int = DEFAULT_SEED
    distribution: str = "triangular"
    band_low: float = 0.10
    band_high: float = 0.25
    chunk: int | None = None  # iterations per chunk (None: from MEMORY_BUDGET)

    @classmethod
    def from_settings(cls, settings: Settings | None, **changes: object) -> RiskOptions:
        """The options of ``settings`` (distribution and band), with ``changes`` applied."""
        s = settings or Settings()
        base = cls(distribution=s.risk_distribution, band_low=s.risk_band_low, band_high=s.risk_band_high)
        return cls(**{**base.__dict__, **{k: v for k, v in changes.items() if v is not None}})

    def check(self) -> RiskOptions:
        """``ValueError`` naming the option when one is out of range."""
        if self.distribution not in DISTRIBUTIONS:
            raise ValueError(f"distribution must be one of {DISTRIBUTIONS}, not {self.distribution!r}")
        if not 1 <= int(self.iterations) <= 1_000_000:
            raise ValueError(f"iterations must be 1..1000000, not {self.iterations}")
        if not (0 <= self.band_low <= 1 and 0 <= self.band_high <= 10):
            raise ValueError(f"band must be 0..1 below and 0..10 above, not {self.band_low}/{self.band_high}")
        return self


@dataclass(frozen=True)
class CostRisk:
    """Cost at completion with duration risk and the risk register (the project's currency)."""

    eac: float  # the deterministic EAC the simulation starts from (given, else BAC)
    actual_cost: float
    burn_rate: float  # cost per working day of the remaining work (time-dependent cost)
    exposure: float  # sum of probability x impact cost of the open threats (expected value)
    eac_p50: float
    eac_p80: float
    eac_p90: float
    eac_mean: float


@dataclass(frozen=True)
class ProjectRisk:
    """One project's simulation result."""

    project_id: str
    iterations: int
    seed: int
    distribution: str
    band_low: float
    band_high: float
    status_date: date | None
    cpm_finish: date | None  # the deterministic CPM finish
    p50: date | None
    p80: date | None
    p90: date | None
    baseline_finish: date | None
    prob_on_time: float | None  # share of iterations finishing on or before the baseline finish
    finish_days: np.ndarray  # each iteration's finish in working days after the CPM finish (fractional)
    finish_dates: np.ndarray  # each iteration's finish date (datetime64[D])
    tasks: pd.DataFrame  # TASK_COLUMNS, one row per task
    milestones: pd.DataFrame  # MILESTONE_COLUMNS
    risks: pd.DataFrame  # RISK_COLUMNS: the threats sampled on the schedule
    cost: CostRisk | None
    notes: tuple[dict, ...] = ()  # codes with parameters (``schedule_risk.<code>``)

    def percentile(self, q: float) -> date | None:
        """The finish date reached in ``q`` % of the iterations."""
        if not len(self.finish_dates):
            return None
        return _date(_quantile_date(self.finish_dates, q))

    def histogram(self) -> pd.DataFrame:
        """Iterations per finish date: ``finish_date``, ``iterations``, ``share``, ``cumulative``."""
        if not len(self.finish_dates):
            return pd.DataFrame(columns=["finish_date", "iterations", "share", "cumulative"])
        days, counts = np.unique(self.finish_dates, return_counts=True)
        share = counts / counts.sum()
        return pd.DataFrame(
            {
                "finish_date": days.astype("datetime64[s]"),
                "iterations": counts,
                "share": share,
                "cumulative": np.cumsum(share),
            }
        )

    def tornado(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` tasks and risks whose duration (occurrence) moves the finish most:
        ``kind`` ("task"/"risk"), ``id``, ``name``, ``sensitivity``; strongest first."""
        t = self.tasks[self.tasks["sensitivity"].notna()]
        parts = [
            pd.DataFrame(
                {"kind": "task", "id": t["task_id"], "name": t["name"], "sensitivity": t["sensitivity"].astype(float)}
            )
        ]
        r = self.risks[self.risks["sensitivity"].notna()] if len(self.risks) else self.risks
        if len(r):
            parts.append(
                pd.DataFrame(
                    {
                        "kind": "risk",
                        "id": r["risk_id"],
                        "name": r["title"],
                        "sensitivity": r["sensitivity"].astype(float),
                    }
                )
            )
        out = pd.concat(parts, ignore_index=True)
        out = out[out["sensitivity"].abs() > 1e-12]
        out = out.reindex(out["sensitivity"].abs().sort_values(ascending=False, kind="stable").index)
        return out.head(n).reset_index(drop=True)

    def as_json(self) -> dict:
        """JSON-ready summary (the CLI's ``schedule-risk --json``)."""

        def iso(d: date | None) -> str | None:
            return d.isoformat() if d else None

        tasks = []
        for r in self.tasks.itertuples(index=False):
            ci = None if r.criticality_index != r.criticality_index else round(float(r.criticality_index), 4)
            se = None if r.sensitivity != r.sensitivity else round(float(r.sensitivity), 4)
            tasks.append(
                {
                    "task_id": r.task_id,
                    "name": r.name,
                    "estimate": r.estimate,
                    "criticality_index": ci,
                    "sensitivity": se,
                }
            )
        milestones = [
            {
                "task_id": r.task_id,
                "name": r.name,
                "target": iso(_date(r.target)),
                "target_kind": r.target_kind,
                "p80": iso(_date(r.p80)),
                "probability": None if r.probability != r.probability else round(float(r.probability), 4),
            }
            for r in self.milestones.itertuples(index=False)
        ]
        cost = None
        if self.cost is not None:
            cost = {k: round(float(v), 2) for k, v in self.cost.__dict__.items()}
        return {
            "project_id": self.project_id,
            "iterations": self.iterations,
            "seed": self.seed,
            "distribution": self.distribution,
            "band_low": self.band_low,
            "band_high": self.band_high,
            "status_date": iso(self.status_date),
            "cpm_finish": iso(self.cpm_finish),
            "p50": iso(self.p50),
            "p80": iso(self.p80),
            "p90": iso(self.p90),
            "baseline_finish": iso(self.baseline_finish),
            "prob_on_time": None if self.prob_on_time is None else round(self.prob_on_time, 4),
            "milestones": milestones,
            "cost": cost,
            "tasks": tasks,
            "notes": list(self.notes),
        }


# ----------------------------------------------------------------------------- sampling


def sample(
    rng: np.random.Generator, low: np.ndarray, mode: np.ndarray, high: np.ndarray, k: int, distribution: str
) -> np.ndarray:
    """``(len(mode), k)`` samples: triangular(low, mode, high) or PERT-beta; a row with
    ``high <= low`` is its mode in every column."""
    out = np.repeat(np.asarray(mode, dtype=float)[:, None], k, axis=1)
    var = np.flatnonzero(high - low > 1e-12)
    if not len(var):
        return out
    a, m, b = low[var, None], mode[var, None], high[var, None]
    w = b - a
    if distribution == "pert":
        al = 1 + 4 * (m - a) / w
        be = 1 + 4 * (b - m) / w
        out[var] = a + w * rng.beta(np.broadcast_to(al, (len(var), k)), np.broadcast_to(be, (len(var), k)))
        return out
    shape = (len(var), k)
    out[var] = rng.triangular(np.broadcast_to(a, shape), np.broadcast_to(m, shape), np.broadcast_to(b, shape))
    return out


def _bands(
    base: np.ndarray, est: np.ndarray, live: np.ndarray, options: RiskOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(low, mode, high, from_file) of each row's remaining work; ``est`` = (n, 3) estimates."""
    lo_b = base * (1 - options.band_low)
    hi_b = base * (1 + options.band_high)
    o, m, p = est[:, 0], est[:, 1], est[:, 2]
    has = live & ~(np.isnan(o) & np.isnan(m) & np.isnan(p))
    scale = np.where(np.isnan(m) | (m <= 0), 1.0, base / np.where(np.isnan(m) | (m <= 0), 1.0, m))
    mode = np.where(has & ~np.isnan(m), m * scale, base)
    low = np.where(has & ~np.isnan(o), o * scale, np.where(has, mode * (1 - options.band_low), lo_b))
    high = np.where(has & ~np.isnan(p), p * scale, np.where(has, mode * (1 + options.band_high), hi_b))
    low = np.minimum(low, mode)
    high = np.maximum(high, mode)
    low = np.where(live, low, 0.0)
    mode = np.where(live, mode, 0.0)
    high = np.where(live, high, 0.0)
    return low, mode, high, has


def _quantile_date(dates: np.ndarray, q: float) -> np.datetime64:
    idx = np.sort(dates.astype("datetime64[D]").astype(np.int64))
    v = np.quantile(idx, q / 100.0, method="inverted_cdf")
    return np.datetime64(int(v), "D")


def _date(v: object) -> date | None:
    if v is None:
        return None
    ts = pd.to_datetime(v, errors="coerce")
    return None if pd.isna(ts) else ts.date()


# ----------------------------------------------------------------------------- one project


@dataclass
class _Risk:
    risk_id: str
    title: str
    probability: float
    impact_days: float
    impact_cost: float
    rows: np.ndarray  # unfinished work rows it delays
    tasks: str


@dataclass
class _Acc:
    """Sums kept over the chunks."""

    finish: list[np.ndarray] = field(default_factory=list)
    cost: list[np.ndarray] = field(default_factory=list)
    milestones: list[np.ndarray] = field(default_factory=list)
    critical: np.ndarray = field(default_factory=lambda: np.zeros(0))
    sd: np.ndarray = field(default_factory=lambda: np.zeros(0))
    sdd: np.ndarray = field(default_factory=lambda: np.zeros(0))
    sdf: np.ndarray = field(default_factory=lambda: np.zeros(0))
    occ: list[np.ndarray] = field(default_factory=list)


def _task_ids(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, float) and math.isnan(value):
        return []
    if isinstance(value, str):
        items: Iterable = value.replace("；", ";").replace("，", ",").replace(",", ";").split(";")
    elif isinstance(value, Iterable):
        items = value
    else:
        items = [value]
    out = []
    for v in items:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        s = str(v).strip()
        if s.endswith(".0") and s[:-2].isdigit():
            s = s[:-2]
        if s:
            out.append(s)
    return out


def _threats(risks: pd.DataFrame | None, net, live: np.ndarray) -> tuple[list[_Risk], list[dict]]:
    """The open threats of one project's register: those delaying its tasks, and every one
    with a cost (``rows`` empty when it delays nothing)."""
    if risks is None or risks.empty:
        return [], []
    notes: list[dict] = []
    pos = {tid: i for i, tid in enumerate(net.ids)}
    par = net.parent
    kids: dict[int, list[int]] = {}
    for i, p in enumerate(par.tolist()):
        if p >= 0:
            kids.setdefault(p, []).append(i)

    def leaves(i: int) -> list[int]:
        out, stack = [], [i]
        while stack:
            c = stack.pop()
            if net.summary[c]:
                stack.extend(kids.get(c, ()))
            else:
                out.append(c)
        return out

    prob = floats(column(risks, "probability"))
    cost = floats(column(risks, "impact_cost"))
    days = floats(column(risks, "impact_days"))
    opened = is_open(column(risks, "status", None)).to_numpy()
    ids = texts(column(risks, "risk_id", ""))
    titles = texts(column(risks, "title", ""))
    out: list[_Risk] = []
    for i, tids in enumerate(column(risks, "task_ids", None).tolist()):
        c = 0.0 if math.isnan(cost[i]) else float(cost[i])
        p = float(prob[i])
        if not opened[i] or c < 0 or math.isnan(p) or p <= 0:
            continue
        p = min(p, 1.0)
        rows: list[int] = []
        names = _task_ids(tids)
        unknown = [t for t in names if t not in pos]
        if unknown:
            notes.append({"code": "unknown_tasks", "risk": ids[i], "tasks": ", ".join(unknown)})
        d = 0.0 if math.isnan(days[i]) else float(days[i])
        if d > 0:
            for t in names:
                if t in pos:
                    rows.extend(leaves(pos[t]))
        rows_a = np.unique(np.asarray([r for r in rows if live[r]], dtype=np.int64))
        if not len(rows_a) and c == 0:
            continue
        out.append(_Risk(ids[i], titles[i], p, d if len(rows_a) else 0.0, c, rows_a, "; ".join(names)))
    return out, notes


def _chunk_size(n: int, options: RiskOptions) -> int:
    """Iterations per chunk: ``WORKERS`` chunks in flight, each with about ``ARRAYS_PER_CHUNK``
    ``(tasks x chunk)`` float64 arrays, within ``MEMORY_BUDGET`` (independent of the machine, so
    the same seed gives the same output everywhere)."""
    if options.chunk:
        return max(1, int(options.chunk))
    per_iteration = 8 * ARRAYS_PER_CHUNK * WORKERS * max(n, 1)
    return int(max(16, min(options.iterations, MEMORY_BUDGET // per_iteration)))


@dataclass
class _Part:
    """One chunk's share of the sums (combined in chunk order)."""

    finish: np.ndarray
    milestones: np.ndarray
    occ: np.ndarray
    cost: np.ndarray
    critical: np.ndarray
    sd: np.ndarray
    sdd: np.ndarray
    sdf: np.ndarray


def _run_chunk(
    p: cpm_vector.Plan,
    bands: tuple[np.ndarray, np.ndarray, np.ndarray],
    threats: list[_Risk],
    milestone_rows: np.ndarray,
    k: int,
    seed: np.random.SeedSequence,
    distribution: str,
    buffers: dict,
) -> _Part:
    n = p.n
    rng = np.random.default_rng(seed)
    low, mode, high = bands
    dur = sample(rng, low, mode, high, k, distribution)
    sd = dur.sum(axis=1)
    sdd = np.einsum("ij,ij->i", dur, dur)
    occ = np.zeros((len(threats), k), dtype=bool)
    for i, r in enumerate(threats):
        occ[i] = rng.random(k) < r.probability
        if len(r.rows) and r.impact_days > 0:
            dur[r.rows] += r.impact_days * occ[i]
    if buffers.get("k") != k:
        buffers.update(k=k, e=np.full((2 * n, k), np.nan), late=np.empty((2 * n, k)))
    e = cpm_vector.forward(p, dur, out=buffers["e"])
    fin = np.nanmax(e[p.work + n] - p.finish_offset[p.work, None], axis=0) if len(p.work) else np.zeros(k)
    critical = np.zeros(n)
    cpm_vector.backward(p, e, late=buffers["late"], critical=critical)
    # sensitivity: the task's own sampled duration (risk delays taken back out) against the finish
    sdf = dur @ fin
    for i, r in enumerate(threats):
        if len(r.rows) and r.impact_days > 0:
            sdf[r.rows] -= r.impact_days * float(occ[i] @ fin)
    cost = occ.T.astype(float) @ np.array([r.impact_cost for r in threats]) if len(threats) else np.zeros(k)
    ms = e[milestone_rows + n] - p.finish_offset[milestone_rows, None]
    return _Part(fin, ms, occ, cost, critical, sd, sdd, sdf)


def _simulate_net(
    sch,
    est: np.ndarray,
    threats: list[_Risk],
    milestone_rows: np.ndarray,
    options: RiskOptions,
) -> tuple[_Acc, np.ndarray, float, np.ndarray, float]:
    """Run the chunks (``WORKERS`` threads: numpy releases the GIL in its array loops; each
    chunk has its own random stream spawned from the seed, so the result does not depend on
    which thread ran it); returns the sums, the per-row (low, mode, high, from_file) bands,
    the deterministic finish and milestone dates (working-day indexes of the dates,
    fractional) and where the remaining work begins (working-day index)."""
    p = cpm_vector.plan(sch.net)
    n = p.n
    live = np.zeros(n, dtype=bool)
    live[p.work] = True
    live[p.done] = False
    low, mode, high, has = _bands(p.base_duration, est, live, options)
    k_all = int(options.iterations)
    chunk = _chunk_size(n, options)
    sizes = [min(chunk, k_all - i) for i in range(0, k_all, chunk)]
    seeds = np.random.SeedSequence(options.seed).spawn(len(sizes))
    local = threading.local()

    def one(i: int) -> _Part:
        if not hasattr(local, "buffers"):
            local.buffers = {}
        return _run_chunk(
            p, (low, mode, high), threats, milestone_rows, sizes[i], seeds[i], options.distribution, local.buffers
        )

    workers = max(1, min(WORKERS, os.cpu_count() or 1, len(sizes)))
    if workers == 1:
        parts = [one(i) for i in range(len(sizes))]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(one, range(len(sizes))))
    acc = _Acc(
        finish=[q.finish for q in parts],
        cost=[q.cost for q in parts],
        milestones=[q.milestones for q in parts],
        occ=[q.occ for q in parts],
        critical=np.sum([q.critical for q in parts], axis=0),
        sd=np.sum([q.sd for q in parts], axis=0),
        sdd=np.sum([q.sdd for q in parts], axis=0),
        sdf=np.sum([q.sdf for q in parts], axis=0),
    )
    det = cpm_vector.forward(p, p.base_duration[:, None])
    det_x = float(np.nanmax(det[p.work + n, 0] - p.finish_offset[p.work])) if len(p.work) else math.nan
    det_ms = det[milestone_rows + n, 0] - p.finish_offset[milestone_rows]
    # where the remaining work begins: started work at its start base, the rest at its early start
    first = np.where(sch.net.started, p.start_base, det[:n, 0])[live]
    det_start = float(np.nanmin(first)) if len(first) else math.nan
    return acc, np.stack([low, mode, high, has.astype(float)], axis=1), det_x, det_ms, det_start


def _corr(sx: np.ndarray, sxx: np.ndarray, sxf: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Pearson correlation of each row's samples (given by their sums) with ``f``."""
    k = len(f)
    mf, vf = f.mean(), f.var()
    mx = sx / k
    vx = sxx / k - mx * mx
    cov = sxf / k - mx * mf
    with np.errstate(divide="ignore", invalid="ignore"):
        r = cov / np.sqrt(np.maximum(vx, 0) * vf)
    r[(vx <= 1e-12 * np.maximum(1.0, mx * mx)) | (vf <= 1e-18)] = np.nan
    return np.clip(r, -1.0, 1.0)


def _simulate_project(
    pid: str,
    sch,
    tasks: pd.DataFrame,
    risks: pd.DataFrame | None,
    projects: pd.DataFrame | None,
    cal: DayCalendar,
    options: RiskOptions,
    anchor: date | None,
    eac: float | None,
    status: np.datetime64 | None,
) -> ProjectRisk:
    net = sch.net
    n = len(net.ids)
    est = np.full((n, 3), np.nan)
    pos = {t: i for i, t in enumerate(net.ids)}
    rows = np.array([pos.get(t, -1) for t in texts(tasks["task_id"])], dtype=np.int64)
    ok = rows >= 0
    for j, c in enumerate(("duration_optimistic", "duration_likely", "duration_pessimistic")):
        v = floats(column(tasks, c))
        est[rows[ok], j] = v[ok]
    work = np.zeros(n, dtype=bool)
    work[net.work] = True
    live = work & ~net.done
    threats, notes = _threats(risks, net, live)

    # milestones and their targets
    ms_rows = np.flatnonzero(net.milestone & work)
    base_f = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    plan_f = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    base_f[rows[ok]] = to_days(column(tasks, "baseline_finish"))[ok]
    plan_f[rows[ok]] = to_days(column(tasks, "finish"))[ok]

    # cost basis
    proj = None
    if projects is not None and len(projects):
        pr = projects[projects["project_id"].astype(str) == pid]
        proj = pr.iloc[-1] if len(pr) else None
    bac = float(pd.to_numeric(pd.Series([proj.get("bac") if proj is not None else np.nan]), errors="coerce")[0])
    if math.isnan(bac):
        tb = floats(column(tasks, "bac"))
        summ = flags(column(tasks, "is_summary", False))
        bac = float(np.nansum(tb[~summ])) if np.isfinite(tb[~summ]).any() else math.nan
    ac_t = floats(column(tasks, "actual_cost"))
    summ = flags(column(tasks, "is_summary", False))
    ac = float(np.nansum(ac_t[~summ])) if len(ac_t) else 0.0
    base_cost = eac if eac is not None and not math.isnan(eac) else bac
    cost_base = None if math.isnan(base_cost) else (base_cost, ac)

    acc, bands, det_x, det_ms_x, det_start = _simulate_net(sch, est, threats, ms_rows, options)
    fin = np.concatenate(acc.finish) if acc.finish else np.zeros(0)
    k = len(fin)
    det_day = math.ceil(det_x - 1e-9) if not math.isnan(det_x) else 0
    anchor_idx = float(cal.index([anchor], "backward")[0]) if anchor is not None else float(det_day)
    if math.isnan(anchor_idx):
        anchor_idx = float(det_day)
    if anchor is not None:
        notes.append({"code": "minutes_anchored"})
    fin_day = np.ceil(fin - 1e-9) - det_day + anchor_idx
    finish_dates = cal.date(fin_day)
    cpm_finish = _date(cal.date([anchor_idx])[0])

    def pdate(q: float) -> date | None:
        return _date(_quantile_date(finish_dates, q)) if k else None

    # baseline finish: the project's, else the latest task baseline finish
    bl = _date(proj.get("baseline_finish")) if proj is not None else None
    if bl is None:
        tb = to_days(column(tasks, "baseline_finish"))
        tb = tb[~np.isnat(tb)]
        bl = _date(tb.max()) if len(tb) else None
    prob = None
    if bl is not None and k:
        prob = float(np.mean(finish_dates <= np.datetime64(bl, "D")))

    # milestones
    ms_list = []
    if len(ms_rows):
        mx = np.concatenate(acc.milestones, axis=1)
        for i, r in enumerate(ms_rows.tolist()):
            d_idx = np.ceil(mx[i] - 1e-9) - det_day + anchor_idx
            d_dates = cal.date(d_idx)
            det_ms = cal.date([math.ceil(float(det_ms_x[i]) - 1e-9) - det_day + anchor_idx])[0]
            target, kind = base_f[r], "baseline"
            if np.isnat(target):
                target, kind = plan_f[r], "plan"
            probability = float(np.mean(d_dates <= target)) if not np.isnat(target) else math.nan
            ms_list.append(
                {
                    "task_id": net.ids[r],
                    "name": net.names[r],
                    "target": None if np.isnat(target) else pd.Timestamp(target),
                    "target_kind": kind if not np.isnat(target) else "",
                    "cpm_date": pd.Timestamp(det_ms) if not np.isnat(det_ms) else None,
                    "p50": pd.Timestamp(_quantile_date(d_dates, 50)),
                    "p80": pd.Timestamp(_quantile_date(d_dates, 80)),
                    "probability": probability,
                }
            )
    milestones = pd.DataFrame(ms_list, columns=MILESTONE_COLUMNS)
    for c in ("target", "cpm_date", "p50", "p80"):
        milestones[c] = pd.to_datetime(milestones[c])

    # tasks
    ci = np.where(live, acc.critical / max(k, 1), np.nan)
    ci = np.where(work & net.done, 0.0, ci)
    sens = _corr(acc.sd, acc.sdd, acc.sdf, fin) if k else np.full(n, np.nan)
    sens = np.where(live, sens, np.nan)
    est_kind = np.where(
        net.summary, "summary", np.where(net.done, "done", np.where(bands[:, 3] > 0, "three_point", "band"))
    )
    task_frame = pd.DataFrame(
        {
            "project_id": pid,
            "task_id": net.ids,
            "name": net.names,
            "is_milestone": net.milestone.astype(bool),
            "estimate": est_kind,
            "optimistic": np.where(live, bands[:, 0], np.nan),
            "likely": np.where(live, bands[:, 1], np.nan),
            "pessimistic": np.where(live, bands[:, 2], np.nan),
            "criticality_index": ci,
            "sensitivity": sens,
        }
    )[TASK_COLUMNS]

    # risks
    occ = np.concatenate(acc.occ, axis=1) if acc.occ and len(threats) else np.zeros((len(threats), k), dtype=bool)
    r_rows = []
    for i, rk in enumerate(threats):
        o = occ[i].astype(float)
        s = _corr(np.array([o.sum()]), np.array([o.sum()]), np.array([o @ fin]), fin)[0] if k else math.nan
        r_rows.append(
            {
                "risk_id": rk.risk_id,
                "title": rk.title,
                "probability": rk.probability,
                "impact_days": rk.impact_days,
                "impact_cost": rk.impact_cost,
                "tasks": rk.tasks,
                "sensitivity": s if rk.impact_days > 0 else math.nan,
            }
        )
    risk_frame = pd.DataFrame(r_rows, columns=RISK_COLUMNS)

    # cost
    cost = None
    if cost_base is not None and k:
        base_c, ac_c = cost_base
        remaining_days = det_day + 1 - math.floor(det_start) if not math.isnan(det_start) else math.nan
        rate = max(base_c - ac_c, 0.0) / remaining_days if remaining_days and remaining_days > 0 else 0.0
        extra = np.concatenate(acc.cost) if acc.cost else np.zeros(k)
        eacs = base_c + rate * (fin - det_x) + extra
        cost = CostRisk(
            eac=base_c,
            actual_cost=ac_c,
            burn_rate=rate,
            exposure=float(sum(r.probability * r.impact_cost for r in threats)),
            eac_p50=float(np.quantile(eacs, 0.5, method="inverted_cdf")),
            eac_p80=float(np.quantile(eacs, 0.8, method="inverted_cdf")),
            eac_p90=float(np.quantile(eacs, 0.9, method="inverted_cdf")),
            eac_mean=float(eacs.mean()),
        )
    return ProjectRisk(
        project_id=pid,
        iterations=k,
        seed=options.seed,
        distribution=options.distribution,
        band_low=options.band_low,
        band_high=options.band_high,
        status_date=_date(status) if status is not None and not np.isnat(status) else None,
        cpm_finish=cpm_finish,
        p50=pdate(50),
        p80=pdate(80),
        p90=pdate(90),
        baseline_finish=bl,
        prob_on_time=prob,
        finish_days=fin - det_x,
        finish_dates=finish_dates,
        tasks=task_frame,
        milestones=milestones,
        risks=risk_frame,
        cost=cost,
        notes=tuple(notes),
    )


# ----------------------------------------------------------------------------- entry points


def simulate(
    tasks: pd.DataFrame,
    links: pd.DataFrame | None,
    risks: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    *,
    settings: Settings | None = None,
    options: RiskOptions | None = None,
    calendars: pd.DataFrame | None = None,
    project_ids: Iterable[str] | None = None,
    status_date: object = None,
    eac: Mapping[str, float] | None = None,
) -> dict[str, ProjectRisk]:
    """Monte Carlo schedule risk of each project in ``tasks`` (current snapshot; ``links``,
    ``risks``, ``projects`` of the same projects). ``options`` default to the settings'
    (``RiskOptions.from_settings``); ``eac`` per project is the cost basis (default: BAC).
    ``status_date`` defaults to each project's ``status_date`` column. Projects whose links
    form a loop are left out (the Gantt page names the loop)."""
    s = settings or Settings()
    opt = (options or RiskOptions.from_settings(s)).check()
    out: dict[str, ProjectRisk] = {}
    if tasks is None or tasks.empty:
        return out
    wanted = {str(p) for p in project_ids} if project_ids is not None else None
    pid_t = texts(tasks["project_id"])
    if wanted is not None:
        tasks = tasks[np.isin(pid_t, list(wanted))]
        pid_t = texts(tasks["project_id"])
        if links is not None and len(links):
            links = links[links["project_id"].astype(str).isin(wanted)]
    if tasks.empty:
        return out
    cal = DayCalendar(s.holidays)
    errs: list = []
    sch_all = schedules(tasks, links, status_date, s.holidays, s.cpm_remaining, errs)
    anchors = _minute_anchors(tasks, links, calendars, projects, status_date, s, set(sch_all))
    status = _statuses(tasks, status_date)
    for pid in sorted(sch_all):
        own = tasks[pid_t == pid]
        r_own = None
        if risks is not None and len(risks):
            r_own = risks[risks["project_id"].astype(str) == pid]
        out[pid] = _simulate_project(
            pid,
            sch_all[pid],
            own,
            r_own,
            projects,
            cal,
            opt,
            anchors.get(pid),
            (eac or {}).get(pid),
            status.get(pid),
        )
    return out


def _statuses(tasks: pd.DataFrame, status_date: object) -> dict[str, np.datetime64]:
    from .cpm import _status_by_project

    return _status_by_project(tasks, status_date)


def _minute_anchors(tasks, links, calendars, projects, status_date, s: Settings, pids: set[str]) -> dict[str, date]:
    """The minute engine's CPM finish of projects whose file keeps working minutes."""
    from .cpm import _timed_projects, cpm

    timed = _timed_projects(tasks) & pids
    if not timed:
        return {}
    sel = tasks[tasks["project_id"].astype(str).isin(timed)]
    res = cpm(
        sel,
        links,
        status_date,
        s.holidays,
        s.near_critical_days,
        s.cpm_remaining,
        on_error="skip",
        calendars=calendars,
        projects=projects,
    )
    out: dict[str, date] = {}
    for pid, g in res.groupby(res["project_id"].astype(str)):
        f = _date(g["early_finish"].max())
        if f is not None:
            out[str(pid)] = f
    return out


def project_p80(
    project_id: str,
    *,
    tasks: pd.DataFrame,
    links: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    settings: Settings | None = None,
    calendars: pd.DataFrame | None = None,
    iterations: int = DEFAULT_ITERATIONS,
    seed: int = DEFAULT_SEED,
) -> date | None:
    """The schedule-risk P80 finish date of one project (None without a schedule): what a
    status slide shows beside the CPM finish. Current-snapshot frames (other projects' rows are
    ignored); with the defaults (the settings' band and distribution, 10,000 iterations, the
    fixed seed) it is the Schedule risk page's, the CLI's and the workbook's P80."""
    opt = RiskOptions.from_settings(settings, iterations=iterations, seed=seed)
    res = simulate(
        tasks,
        links,
        risks,
        projects,
        settings=settings,
        options=opt,
        calendars=calendars,
        project_ids=[str(project_id)],
    )
    r = res.get(str(project_id))
    return r.p80 if r is not None else None


def from_frames(frames, settings: Settings | None = None, options: RiskOptions | None = None, project_id=None):
    """``simulate`` on the current snapshot of a ``frames.PortfolioFrames`` (one project when
    ``project_id`` is given); the EAC basis is the EVM engine's ``eac_cpi`` at the latest
    status date, else BAC."""
    from .evm import analyse

    s = settings or Settings()
    tasks = frames.current("tasks")
    if project_id is not None:
        tasks = tasks[tasks["project_id"].astype(str) == str(project_id)]
    if tasks.empty:
        return {}
    projects = frames.current("projects")
    eac: dict[str, float] = {}
    try:
        res = analyse(tasks, projects, frames.current("evm_periods"), s)
        m = res.metrics
        if len(m) and "eac_cpi" in m.columns:
            last = m.sort_values("status_date").drop_duplicates("project_id", keep="last")
            eac = {str(p): float(v) for p, v in zip(last["project_id"], last["eac_cpi"], strict=True) if v == v}
    except Exception:  # noqa: BLE001 - the cost basis falls back to BAC
        eac = {}
    cals = frames.current("calendars") if _has_table("calendars") else None
    return simulate(
        tasks,
        frames.current("links"),
        frames.current("risks"),
        projects,
        settings=s,
        options=options,
        calendars=cals,
        project_ids=[str(project_id)] if project_id is not None else None,
        eac=eac,
    )


def _has_table(name: str) -> bool:
    from ..schema import TABLES

    return name in TABLES


# ----------------------------------------------------------------------------- display helpers


def task_table(result: ProjectRisk) -> pd.DataFrame:
    """The tasks still to do (no summaries, nothing finished), most critical first, then the
    strongest sensitivity: what the page's criticality table lists."""
    t = result.tasks
    t = t[~t["estimate"].isin(["summary", "done"])].copy()
    t["_s"] = t["sensitivity"].abs().fillna(-1)
    t = t.sort_values(["criticality_index", "_s"], ascending=False, kind="stable").drop(columns="_s")
    cols = ["task_id", "name", "criticality_index", "sensitivity", "estimate", "optimistic", "likely", "pessimistic"]
    return t[cols].rename(columns={"name": "task_name"}).reset_index(drop=True)


def with_criticality(cpm_result: pd.DataFrame, result: ProjectRisk | None) -> pd.DataFrame:
    """``cpm_result`` with the simulation's ``criticality_index`` beside each task (the Gantt's
    hover); unchanged without a result."""
    if result is None or cpm_result is None or cpm_result.empty:
        return cpm_result
    ci = result.tasks[["project_id", "task_id", "criticality_index"]]
    out = cpm_result.drop(columns=[c for c in ("criticality_index",) if c in cpm_result.columns])
    keys = out[["project_id", "task_id"]].astype(str)
    merged = keys.merge(ci, on=["project_id", "task_id"], how="left")
    out = out.copy()
    out["criticality_index"] = merged["criticality_index"].to_numpy(float)
    return out


def summary_row(result: ProjectRisk) -> dict[str, object]:
    """One line per project for tables and the workbook: project_id, cpm_finish, p50, p80, p90,
    baseline_finish, prob_on_time, eac_p80, iterations."""
    return {
        "project_id": result.project_id,
        "cpm_finish": result.cpm_finish,
        "p50": result.p50,
        "p80": result.p80,
        "p90": result.p90,
        "baseline_finish": result.baseline_finish,
        "prob_on_time": result.prob_on_time,
        "eac_p80": result.cost.eac_p80 if result.cost is not None else None,
        "iterations": result.iterations,
    }


def summary_frame(results: Mapping[str, ProjectRisk], projects: pd.DataFrame | None = None) -> pd.DataFrame:
    """``summary_row`` of every result (project id order), with the project's name when
    ``projects`` has it: the report workbook's Schedule risk sheet."""
    rows = [summary_row(results[k]) for k in sorted(results)]
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for c in ("cpm_finish", "p50", "p80", "p90", "baseline_finish"):
        out[c] = pd.to_datetime(out[c])
    if projects is not None and len(projects) and "name" in projects.columns:
        names = dict(zip(projects["project_id"].astype(str), projects["name"], strict=True))
        out.insert(1, "name", out["project_id"].map(names))
    return out


SUMMARY_COLUMNS = [
    "project_id",
    "cpm_finish",
    "p50",
    "p80",
    "p90",
    "baseline_finish",
    "prob_on_time",
    "eac_p80",
    "iterations",
]
