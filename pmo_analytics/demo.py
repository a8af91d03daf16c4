"""Deterministic demo portfolio: 12 projects in 3 programs, four monthly status snapshots.

The demo is written as the files a person would upload (one canonical-template workbook per
status date, ``data/demo/portfolio_YYYY-MM-DD.xlsx``) and imported through the same path a
user's file takes (``importing.parse_upload`` then ``Store.import_parsed``). Everything comes from
one ``numpy`` Generator per project with a fixed seed, so the files are byte-identical on
every run.

How progress is modelled (so the indices land where ``DEMO_HEALTH`` says): each project has a
baseline schedule computed by the CPM engine's forward pass over its links (``metrics.cpm``),
in working days (Mon-Fri), and a planned-value curve PV(t) (each task's budget spread linearly
over its baseline working days).
Work advances as a front in baseline time: at real time t the project has achieved baseline
time E(t) with PV(E(t)) = k(t) * PV(t), where k is the intended SPI at each status date
(interpolated in between; E never goes backwards). A task's percent complete is the share of
its baseline duration behind the front, so EV = PV(E) and SPI = k at every status date and
E(t) is the earned schedule. Actual dates are when the front passed; the remaining work is
forecast at the average rate so far, SPI(t) = (E - start) / (t - start), so late projects slip
further at each snapshot. Actual cost is earned value divided by a per-task cost efficiency
around the project's intended CPI.

Summary tasks carry dates and a duration-weighted percent complete but no budget or cost
(only work tasks do), so summing ``bac``/``actual_cost`` over tasks never counts twice.

The files are written in the import template's layout (``template.workbook_bytes``).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from .metrics import working_time
from .metrics.cpm import schedules
from .metrics.working_time import DayCalendar
from .template import SHEET_ORDER, workbook_bytes, write_template_files

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "data" / "demo"
SEED = 20260731
PORTFOLIO = "Enterprise Portfolio 2026"

# Month-end status dates of the four snapshots (the status date is in each file name).
DEMO_STATUS_DATES: tuple[date, ...] = (date(2026, 7, 31), date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31))
FILE_PREFIX = "portfolio_"

# Exchange rates the demo ships (CNY per USD, from the first of each month; each status
# date's file carries the rates known by then) so the demo's two USD projects convert.
DEMO_FX_RATES: tuple[tuple[str, float, date], ...] = (
    ("USD", 7.14, date(2026, 7, 1)),
    ("USD", 7.13, date(2026, 8, 1)),
    ("USD", 7.11, date(2026, 9, 1)),
    ("USD", 7.09, date(2026, 10, 1)),
)

ProgressFn = Callable[[float, str], None]


# ---------------------------------------------------------------------------- the projects


@dataclass(frozen=True)
class DemoProject:
    """One demo project and the health it is meant to show."""

    project_id: str
    name: str
    program: str
    department: str
    manager: str
    sponsor: str
    priority: str
    currency: str
    start: date  # baseline start (a Monday)
    months: float  # baseline duration
    n_tasks: int  # approximate number of schedule rows
    spi: tuple[float, float, float, float]  # intended SPI at each status date
    cpi: float  # intended CPI at the first status date
    health: str  # "late", "over budget", "late and over budget", "watch", "healthy", "closed"
    kind: str = "software"  # phase template: "software" or "business"
    cpi_drift: float = 0.0  # > 0: later work is less efficient (the CPI falls from one snapshot to the next)
    agile_key: str | None = None  # Jira project key when the project also runs sprints
    change_requests: tuple[str, ...] = ()  # tasks added (without baseline) from the third snapshot
    team: tuple[tuple[str, float], ...] = ()  # (person, planned hours per week)
    closed: bool = False
    day_rate: float = 2600.0  # budget per person-day (project currency)


DEMO_PROJECTS: tuple[DemoProject, ...] = (
    DemoProject(
        "PRJ-101", "Mobile App Relaunch", "Digital Channels", "Marketing", "Alice Wang", "Zhang Hua (CMO)",
        "High", "CNY", date(2026, 1, 5), 14, 150, (0.90, 0.87, 0.84, 0.81), 0.97, "late",
        agile_key="DCH", change_requests=("CR-031: Dark mode", "CR-031: Dark mode QA", "CR-032: Accessibility fixes"),
        team=(("Zhang Wei", 20), ("Emily Carter", 28), ("Lin Yan", 16), ("Olivia Brown", 16), ("Zhao Lei", 12)),
    ),
    DemoProject(
        "PRJ-102", "客户门户 Customer Portal", "Digital Channels", "IT", "陈晨", "Li Ming (CIO)",
        "High", "CNY", date(2025, 11, 3), 15, 140, (1.00, 1.01, 0.99, 1.00), 1.02, "healthy",
        agile_key="CPT", team=(("Li Na", 28), ("Raj Patel", 20), ("Gao Yu", 16), ("Zhao Lei", 12)),
    ),
    DemoProject(
        "PRJ-103", "Marketing Automation", "Digital Channels", "Marketing", "Maria Rossi", "Zhang Hua (CMO)",
        "Medium", "CNY", date(2026, 2, 2), 12, 110, (0.98, 0.97, 0.97, 0.96), 0.84, "over budget",
        kind="business", cpi_drift=0.4,
        team=(("He Qiang", 24), ("Luo Ting", 16), ("Olivia Brown", 16), ("Chen Jing", 16)),
    ),
    DemoProject(
        "PRJ-104", "E-commerce Checkout Revamp", "Digital Channels", "IT", "James Lee", "Zhang Hua (CMO)",
        "High", "USD", date(2025, 12, 1), 14, 130, (0.88, 0.85, 0.83, 0.81), 0.82, "late and over budget",
        cpi_drift=0.3, day_rate=480.0,
        change_requests=("CR-207: Alipay and WeChat Pay", "CR-207: Payment provider certification", "CR-211: Address autocomplete"),
        team=(("Zhang Wei", 16), ("Wang Fang", 28), ("Tom Becker", 20), ("Lin Yan", 16), ("Gao Yu", 16)),
    ),
    DemoProject(
        "PRJ-105", "数据中台 Data Platform", "Core Platform", "IT", "王磊", "Li Ming (CIO)",
        "High", "CNY", date(2025, 10, 6), 18, 195, (0.97, 0.96, 0.95, 0.95), 0.83, "over budget",
        cpi_drift=0.2, agile_key="DPL",
        team=(("Liu Yang", 32), ("Chen Jing", 24), ("Sun Li", 24), ("Huang Min", 8)),
    ),
    DemoProject(
        "PRJ-106", "ERP Upgrade", "Core Platform", "Finance", "Peter Novak", "Helen Zhou (CFO)",
        "High", "CNY", date(2025, 9, 1), 20, 160, (0.88, 0.86, 0.84, 0.82), 0.96, "late",
        kind="business",
        change_requests=("CR-118: Extra tax interface", "CR-118: Tax interface testing", "CR-121: Legacy archive"),
        team=(("Huang Min", 20), ("Sarah Jones", 28), ("Zhou Jie", 20), ("Tom Becker", 12), ("Li Na", 8)),
    ),
    DemoProject(
        "PRJ-107", "Cloud Migration", "Core Platform", "IT", "Daniel Kim", "Li Ming (CIO)",
        "Medium", "USD", date(2026, 1, 12), 12, 120, (1.02, 1.01, 1.00, 0.99), 1.01, "healthy",
        day_rate=500.0, team=(("Raj Patel", 16), ("Zhao Lei", 8), ("Liu Yang", 8), ("Wang Fang", 8)),
    ),
    DemoProject(
        "PRJ-108", "Identity & Access Management", "Core Platform", "IT", "孙悦", "Li Ming (CIO)",
        "Medium", "CNY", date(2025, 3, 3), 10, 85, (1.00, 1.00, 1.00, 1.00), 0.97, "closed",
        closed=True, team=(("Sun Li", 16), ("Tom Becker", 12)),
    ),
    DemoProject(
        "PRJ-109", "财务共享中心 Finance Shared Services", "Operations Excellence", "Finance", "赵敏",
        "Helen Zhou (CFO)", "Medium", "CNY", date(2025, 12, 1), 16, 130, (1.00, 1.01, 0.99, 1.00), 0.99, "healthy",
        kind="business", team=(("Zhou Jie", 12), ("Sarah Jones", 8), ("Huang Min", 8), ("Xu Ming", 8)),
    ),
    DemoProject(
        "PRJ-110", "HR Onboarding Redesign", "Operations Excellence", "HR", "Laura Smith", "Grace Liu (CHRO)",
        "Low", "CNY", date(2026, 3, 2), 10, 100, (0.93, 0.92, 0.91, 0.90), 0.91, "watch",
        kind="business", team=(("Wu Xia", 32), ("Anna Schmidt", 20), ("Xu Ming", 24), ("Chen Jing", 8)),
    ),
    DemoProject(
        "PRJ-111", "Warehouse Automation", "Operations Excellence", "Operations", "周强", "Robert Brown (COO)",
        "High", "CNY", date(2025, 11, 3), 18, 120, (0.84, 0.81, 0.79, 0.77), 0.90, "late",
        kind="business", day_rate=3200.0,
        team=(("Ma Jun", 32), ("Hu Bin", 32), ("Carlos Ruiz", 20), ("Emily Carter", 8)),
    ),
    DemoProject(
        "PRJ-112", "供应链可视化 Supply Chain Visibility", "Operations Excellence", "Operations", "杨雪",
        "Robert Brown (COO)", "Medium", "CNY", date(2026, 2, 16), 13, 100, (0.99, 0.98, 1.00, 0.98), 0.98,
        "healthy", agile_key="SCV", team=(("Guo Hong", 24), ("Carlos Ruiz", 12), ("Liu Yang", 8), ("He Qiang", 8)),
    ),
)  # fmt: skip

# What each project is meant to show at the latest status date (for README, browser tests).
DEMO_HEALTH: dict[str, str] = {p.project_id: p.health for p in DEMO_PROJECTS}

# People in the weekly assignments: (name, department, capacity hours per week).
PEOPLE: tuple[tuple[str, str, float], ...] = (
    ("Zhang Wei", "IT", 40), ("Li Na", "IT", 40), ("Wang Fang", "IT", 40), ("Liu Yang", "IT", 40),
    ("Chen Jing", "IT", 40), ("Emily Carter", "IT", 40), ("Raj Patel", "IT", 40), ("Zhao Lei", "IT", 40),
    ("Sun Li", "IT", 32), ("Tom Becker", "IT", 40),
    ("Huang Min", "Finance", 40), ("Sarah Jones", "Finance", 40), ("Zhou Jie", "Finance", 40),
    ("Wu Xia", "HR", 40), ("Anna Schmidt", "HR", 24), ("Xu Ming", "HR", 40),
    ("Ma Jun", "Operations", 40), ("Hu Bin", "Operations", 40), ("Carlos Ruiz", "Operations", 40),
    ("Guo Hong", "Operations", 32),
    ("Lin Yan", "Marketing", 40), ("He Qiang", "Marketing", 40), ("Olivia Brown", "Marketing", 40),
    ("Gao Yu", "Marketing", 40), ("Luo Ting", "Marketing", 20),
)  # fmt: skip

# Involvement limited to some weeks (person, project) -> (first Monday, last Monday), and
# crunch weeks with extra planned hours that push these people over capacity.
_WINDOWS = {
    ("Chen Jing", "PRJ-110"): (date(2026, 8, 3), date(2026, 9, 28)),
    ("Liu Yang", "PRJ-107"): (date(2026, 9, 7), date(2026, 10, 26)),
}
_CRUNCH = {
    ("Zhang Wei", "PRJ-104"): (date(2026, 8, 10), date(2026, 9, 14), 16.0),
    ("Sarah Jones", "PRJ-106"): (date(2026, 10, 12), date(2026, 11, 9), 12.0),
}
_ASSIGNMENT_FIRST_WEEK = date(2026, 6, 1)
_ASSIGNMENT_WEEKS_AHEAD = 8
# National Day (1-7 Oct 2026): share of a normal week's capacity that is available.
_HOLIDAY_WEEKS = {date(2026, 9, 28): 0.6, date(2026, 10, 5): 0.4}

_SOFTWARE_PHASES = (
    ("Initiation", "项目启动", 0.05),
    ("Requirements", "需求分析", 0.12),
    ("Design", "设计", 0.15),
    ("Build", "开发", 0.33),
    ("Testing", "测试", 0.18),
    ("Deployment", "部署上线", 0.10),
    ("Closure", "项目收尾", 0.05),
)
_BUSINESS_PHASES = (
    ("Initiation", "项目启动", 0.05),
    ("Planning", "规划", 0.12),
    ("Process design", "流程设计", 0.16),
    ("Implementation", "实施", 0.32),
    ("Pilot", "试点", 0.12),
    ("Rollout", "推广", 0.16),
    ("Closure", "项目收尾", 0.05),
)
_WORK_PACKAGES = {
    "Initiation": ("Project charter", "Stakeholder analysis", "Business case"),
    "Requirements": ("Business requirements", "User research", "Non-functional requirements", "Data requirements",
                     "Process mapping"),
    "Design": ("Solution architecture", "UX design", "Data model", "Security design", "Integration design",
               "Infrastructure design"),
    "Build": ("Backend services", "Frontend", "Integration layer", "Data migration", "Reporting", "Mobile client",
              "API gateway", "Batch jobs", "Notifications", "Search"),
    "Testing": ("System testing", "Integration testing", "Performance testing", "User acceptance testing",
                "Security testing", "Regression testing"),
    "Deployment": ("Release preparation", "Cutover", "Training", "Hypercare"),
    "Closure": ("Handover to operations", "Lessons learned", "Contract closure"),
    "Planning": ("Scope and schedule", "Budget and procurement", "Resource plan", "Communication plan"),
    "Process design": ("Current-state analysis", "Target process", "Roles and controls", "Policy updates",
                       "System requirements"),
    "Implementation": ("Vendor selection", "System configuration", "Data cleansing", "Interfaces", "Reports",
                       "Equipment installation", "Site preparation", "Master data", "Organisation changes"),
    "Pilot": ("Pilot site", "Pilot evaluation", "Process fixes"),
    "Rollout": ("Wave 1 rollout", "Wave 2 rollout", "Training", "Communication"),
}  # fmt: skip
_STEPS = ("Kick-off", "Analysis", "Design", "Build", "Configuration", "Review", "Testing", "Fixes", "Documentation",
          "Sign-off")  # fmt: skip
_GATES = {"Deployment": ("Go-live", "上线"), "Rollout": ("Go-live", "上线"), "Closure": ("Project closed", "项目关闭")}

_STREAMS = 3  # work packages of a phase that run in parallel

_WD_EPOCH = np.datetime64("2024-01-01", "D")  # a Monday


# ---------------------------------------------------------------------------- working days


_WD_CAL = DayCalendar()  # Mon-Fri, no holidays
_WD_ZERO = int(_WD_CAL.count(working_time.EPOCH, _WD_EPOCH))


def _wd_index(d: date) -> int:
    """Working days (Mon-Fri) from the epoch up to, not including, ``d``."""
    return int(_WD_CAL.count(_WD_EPOCH, np.datetime64(d, "D")))


def _wd_date(i: int) -> date:
    """The date of working day number ``i``."""
    return _WD_CAL.date([_WD_ZERO + int(i)])[0].astype(object)


def _status_time(d: date) -> int:
    """Working-day time at the end of status date ``d``."""
    return _wd_index(d + timedelta(days=1))


_STATUS_TIMES = tuple(_status_time(d) for d in DEMO_STATUS_DATES)


# ---------------------------------------------------------------------------- schedule truth


@dataclass
class _Task:
    idx: int
    wbs: str
    name: str
    level: int
    kind: str  # "summary", "task", "milestone"
    parent: int | None
    d: int = 0  # baseline duration, working days
    preds: list[tuple[int, str, int]] = field(default_factory=list)  # (pred idx, type, lag days)
    s: float = 0.0  # baseline start time (working days)
    bac: float = 0.0
    eff: float = 1.0  # cost efficiency (EV / AC) of this task
    resources: str | None = None
    constraint: tuple[str, date] | None = None
    added_at: int = 0  # first snapshot index that shows the task (added tasks have no baseline)

    @property
    def f(self) -> float:
        return self.s + self.d

    @property
    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(x) for x in self.wbs.split("."))


@dataclass
class _ProjectTruth:
    spec: DemoProject
    tasks: list[_Task]
    p0: int  # baseline start time
    grid: np.ndarray = field(default_factory=lambda: np.zeros(0))  # real working-day times p0, p0+1, ...
    front: np.ndarray = field(default_factory=lambda: np.zeros(0))  # baseline time achieved at each grid time

    def fit_front(self) -> None:
        """Solve PV(E(t)) = k(t) * PV(t) for the front E on a daily grid up to the last status date."""
        work = [t for t in self.tasks if t.kind == "task" and not t.added_at]
        s = np.array([t.s for t in work])
        d = np.array([t.d for t in work], dtype=float)
        bac = np.array([t.bac for t in work])
        end = max(int(max(t.f for t in self.tasks)), _STATUS_TIMES[-1]) + 1
        grid = np.arange(self.p0, end + 1, dtype=float)
        pv = (bac[None, :] * np.clip((grid[:, None] - s[None, :]) / d[None, :], 0.0, 1.0)).sum(axis=1)
        knots = [float(self.p0), *map(float, _STATUS_TIMES)]
        k = np.interp(grid, knots, [self.spec.spi[0], *self.spec.spi])
        target = k * pv
        i = np.searchsorted(pv, target - 1e-9, side="left")
        i = np.clip(i, 1, len(grid) - 1)
        lo, hi = pv[i - 1], pv[i]
        frac = np.where(hi > lo, (target - lo) / np.where(hi > lo, hi - lo, 1.0), 1.0)
        front = np.where(target <= pv[0] + 1e-9, grid[0], grid[i - 1] + np.clip(frac, 0.0, 1.0))
        self.grid, self.front = grid, np.maximum.accumulate(front)

    def achieved(self, t: float) -> float:
        """Baseline time achieved by real time ``t`` (the history, up to the last status date)."""
        return float(np.interp(t, self.grid, self.front))

    def real_time(self, b: float, snap: int) -> float:
        """Real time at which baseline time ``b`` was reached, or (as seen at snapshot ``snap``)
        is forecast to be reached at the average rate so far."""
        t_s = _STATUS_TIMES[snap]
        e_s = self.achieved(t_s)
        if b > e_s + 1e-9:
            rate = max((e_s - self.p0) / (t_s - self.p0), 0.05)
            return t_s + (b - e_s) / rate
        n = int(t_s - self.p0) + 1
        i = int(np.searchsorted(self.front[:n], b - 1e-9, side="left"))
        if i == 0:
            return float(self.grid[0])
        lo, hi = self.front[i - 1], self.front[i]
        return float(self.grid[i - 1] + ((b - lo) / (hi - lo) if hi > lo else 1.0))


def _forward_pass(tasks: list[_Task], p0: int) -> None:
    """Early start of every non-summary task from its predecessors: the CPM engine's forward
    pass (``metrics.cpm.schedules``) over the baseline network, every task starting no earlier
    than ``p0``, with no progress and no constraints."""
    work = [t for t in tasks if t.kind != "summary"]
    first = _wd_date(p0)
    frame = pd.DataFrame(
        {
            "project_id": "demo",
            "task_id": [str(t.idx) for t in work],
            "is_milestone": [t.kind == "milestone" for t in work],
            "start": [first] * len(work),
            "finish": [_wd_date(p0 + max(t.d, 1) - 1) for t in work],
        }
    )
    links = pd.DataFrame(
        [(str(pi), str(t.idx), typ, float(lag)) for t in work for pi, typ, lag in t.preds],
        columns=["pred_task_id", "succ_task_id", "type", "lag_days"],
    ).assign(project_id="demo")
    es = schedules(frame, links)["demo"].es
    for t, e in zip(work, es.tolist(), strict=True):
        t.s = float(e - _WD_ZERO)


def _pick(rng: np.random.Generator, items: Sequence, n: int | None = None):
    if n is None:
        return items[int(rng.integers(len(items)))]
    order = rng.permutation(len(items))[:n]
    return [items[i] for i in sorted(order)]


def _build_project(spec: DemoProject, k: int) -> _ProjectTruth:
    rng = np.random.default_rng([SEED, k])
    zh = any("\u4e00" <= ch <= "\u9fff" for ch in spec.name)
    phases = _SOFTWARE_PHASES if spec.kind == "software" else _BUSINESS_PHASES
    tasks: list[_Task] = []

    def add(**kw) -> _Task:
        t = _Task(idx=len(tasks), **kw)
        tasks.append(t)
        return t

    def label(en: str, cn: str) -> str:
        return f"{cn} {en}" if zh else en

    kickoff = add(wbs="1", name=label("Project kickoff", "项目启动会"), level=1, kind="milestone", parent=None)
    budget = spec.n_tasks - 1 - 2 * len(phases)
    total_w = sum(w for *_, w in phases)
    prev_gate, prev_lasts = kickoff, []
    for p, (en, cn, w) in enumerate(phases):
        wbs_p = str(p + 2)
        phase = add(wbs=wbs_p, name=label(en, cn), level=1, kind="summary", parent=None)
        rows = int(round(budget * w / total_w))
        names = list(_WORK_PACKAGES[en])
        rng.shuffle(names)
        lasts: list[int] = []
        leaves: list[int] = []
        n_wp = 0
        while rows >= 3 or n_wp == 0:
            m = int(min(rng.integers(3, 9), max(rows - 1, 2)))
            wp_name = names[n_wp % len(names)] + ("" if n_wp < len(names) else f" {n_wp // len(names) + 1}")
            n_wp += 1
            wp = add(wbs=f"{wbs_p}.{n_wp}", name=wp_name, level=2, kind="summary", parent=phase.idx)
            prev = None
            for j, step in enumerate(_pick(rng, _STEPS, m)):
                d = int(np.clip(round(math.exp(rng.normal(math.log(7), 0.55))), 1, 40))
                if rng.random() < 0.02:
                    d = int(rng.integers(45, 61))  # a few long tasks (DCMA high duration)
                t = add(wbs=f"{wbs_p}.{n_wp}.{j + 1}", name=f"{wp_name}: {step}", level=3, kind="task",
                        parent=wp.idx, d=d)  # fmt: skip
                if prev is None:
                    if n_wp > _STREAMS:  # the team's stream moves on from its previous work package
                        t.preds.append((lasts[n_wp - 1 - _STREAMS], "FS", 0))
                    elif prev_lasts and rng.random() < 0.3:  # overlap with the previous phase
                        lag = int(rng.integers(-3, -1)) if rng.random() < 0.25 else 0
                        t.preds.append((int(_pick(rng, prev_lasts)), "FS", lag))
                    else:
                        lag = int(rng.integers(1, 6)) if rng.random() < 0.1 else 0
                        t.preds.append((prev_gate.idx, "FS", lag))
                else:
                    u = rng.random()
                    if u < 0.05:
                        t.preds.append((prev.idx, "SS", int(rng.integers(2, 6))))
                    elif u < 0.10:
                        t.preds.append((prev.idx, "FF", int(rng.integers(0, 3))))
                    else:
                        t.preds.append((prev.idx, "FS", int(rng.integers(1, 4)) if rng.random() < 0.08 else 0))
                    others = [x for x in leaves if x not in {prev.idx}]
                    if others and rng.random() < 0.08:
                        t.preds.append((int(_pick(rng, others)), "FS", 0))
                prev = t
            leaves.extend(range(wp.idx + 1, prev.idx + 1))
            lasts.append(prev.idx)
            rows -= 1 + m
        gate_en, gate_cn = _GATES.get(en, (f"{en} complete", f"{cn}完成"))
        gate = add(wbs=f"{wbs_p}.{n_wp + 1}", name=label(gate_en, gate_cn), level=2, kind="milestone",
                   parent=phase.idx, preds=[(x, "FS", 0) for x in lasts[-_STREAMS:]])  # fmt: skip
        prev_gate, prev_lasts = gate, lasts[-_STREAMS:]

    # A phase lasts in proportion to its share of the work; its work packages run in at most
    # _STREAMS parallel streams and take a similar time, so planned value grows smoothly.
    summaries = [t for t in tasks if t.kind == "summary" and t.level == 1]
    for phase, (*_, w) in zip(summaries, phases, strict=True):
        chains = [
            [c for c in tasks if c.parent == wp.idx] for wp in tasks if wp.parent == phase.idx and wp.kind == "summary"
        ]
        span = spec.months * 21.75 * w / total_w / math.ceil(len(chains) / _STREAMS)
        for chain in chains:
            factor = span * rng.uniform(0.75, 1.0) / sum(c.d for c in chain)
            for c in chain:
                c.d = max(1, int(round(c.d * factor)))

    # Baseline: forward pass, then scale durations and lags to the intended length.
    p0 = _wd_index(spec.start)
    _forward_pass(tasks, p0)
    length = max(t.f for t in tasks) - p0
    target = spec.months * 21.75
    scale = target / length
    for t in tasks:
        if t.kind == "task":
            t.d = max(1, int(round(t.d * scale)))
        t.preds = [(pi, typ, int(round(lag * scale))) for pi, typ, lag in t.preds]
    _forward_pass(tasks, p0)
    finish = max(t.f for t in tasks)

    # Budgets, cost efficiency, resources.
    people = [n for n, _ in spec.team]
    weights = np.array([h for _, h in spec.team], dtype=float)
    weights /= weights.sum()
    build_phase = str(next(i for i, ph in enumerate(phases) if ph[0] in ("Build", "Implementation")) + 2)
    for t in tasks:
        if t.kind != "task":
            continue
        n_res = 1 if rng.random() < 0.6 else 2
        chosen = sorted({people[int(i)] for i in rng.choice(len(people), size=n_res, replace=False, p=weights)})
        t.resources = "; ".join(chosen)
        cost = t.d * spec.day_rate * n_res * rng.uniform(0.8, 1.2)
        if t.wbs.split(".")[0] == build_phase and rng.random() < 0.08:
            cost += spec.day_rate * rng.uniform(20, 60)  # licences, hardware, vendor lump sums
        t.bac = float(round(cost, -2))
        frac = (t.s - p0) / (finish - p0)
        t.eff = float(spec.cpi * math.exp(rng.normal(0, 0.07)) * (1 + spec.cpi_drift * (0.5 - frac)))

    work = [t for t in tasks if t.kind == "task"]
    # Constraints: go-live must finish on its baseline date; a few soft constraints.
    gates = [t for t in tasks if t.kind == "milestone" and t.level == 2]
    golive = next((t for t in gates if t.name.endswith("Go-live")), gates[-1])
    golive.constraint = ("Must Finish On", _milestone_date(golive.s, p0))
    for t in _pick(rng, work, 2):
        t.constraint = ("Start No Earlier Than", _wd_date(int(t.s)))
    early_gate = _pick(rng, gates[:-2])
    early_gate.constraint = ("Finish No Later Than", _wd_date(int(early_gate.s) + 4))

    truth = _ProjectTruth(spec, tasks, p0)
    truth.fit_front()

    # Cost efficiencies scaled so that the CPI at the first status date is the intended one
    # (with a drift, later work is less efficient and the CPI falls from there).
    e0 = truth.achieved(_STATUS_TIMES[0])
    pcts = [_progress(t, e0) for t in work]
    ev = sum(t.bac * p for t, p in zip(work, pcts, strict=True))
    ac = sum(t.bac * p / t.eff for t, p in zip(work, pcts, strict=True))
    for t in work:
        t.eff *= spec.cpi * ac / ev

    if spec.change_requests:
        _add_change_requests(truth, rng)
    return truth


def _add_change_requests(truth: _ProjectTruth, rng: np.random.Generator) -> None:
    """Tasks added from the third snapshot on (no baseline), in a work package not yet started,
    parallel to its chain between its first task and the phase gate (so logic stays sound)."""
    snap = 2
    e_s = truth.achieved(_STATUS_TIMES[snap])
    tasks = truth.tasks
    wps = [t for t in tasks if t.kind == "summary" and t.level == 2]
    candidates = []
    for wp in wps:
        kids = [t for t in tasks if t.parent == wp.idx]
        gate = next(t for t in tasks if t.parent == wp.parent and t.kind == "milestone")
        first = kids[0]
        room = gate.s - first.f
        if first.s > e_s + 10 and room >= 6:
            candidates.append((room, wp, first, gate, kids))
    if not candidates:
        return
    room, wp, first, gate, kids = min(candidates, key=lambda c: (c[3].s, -c[0]))
    n = len(truth.spec.change_requests)
    total = max(int(room * 0.8), n)
    durations = [max(1, total // n)] * n
    prev = first
    for j, name in enumerate(truth.spec.change_requests):
        t = _Task(
            idx=len(tasks),
            wbs=f"{wp.wbs}.{len(kids) + j + 1}",
            name=name,
            level=3,
            kind="task",
            parent=wp.idx,
            d=durations[j],
            preds=[(prev.idx, "FS", 0)],
            resources=kids[-1].resources,
            added_at=snap,
        )
        t.s = prev.f
        t.bac = float(round(t.d * truth.spec.day_rate * rng.uniform(1.0, 1.6), -2))
        t.eff = truth.spec.cpi * 0.95
        tasks.append(t)
        prev = t
    gate.preds.append((prev.idx, "FS", 0))


def _milestone_date(s: float, p0: int) -> date:
    """Display date of a milestone at time ``s``: the end of the working day before, or the start day."""
    return _wd_date(max(int(math.ceil(s)) - 1, p0))


def _round_pct(p: float) -> float:
    """Whole percent; a started task never shows 0% and an unfinished one never 100%."""
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    return min(max(round(p * 100), 1), 99) / 100


def _progress(t: _Task, achieved: float) -> float:
    if t.d == 0:
        return 1.0 if achieved >= t.s - 1e-9 else 0.0
    return _round_pct((achieved - t.s) / t.d)


def _cost(t: _Task, pct: float) -> float:
    return round(t.bac * pct / t.eff, 2) if pct > 0 else 0.0


def _task_rows(truth: _ProjectTruth, snap: int) -> tuple[list[dict], list[dict]]:
    """Tasks and links of one project as seen at snapshot ``snap``."""
    pid = truth.spec.project_id
    t_s = _STATUS_TIMES[snap]
    e_s = truth.achieved(t_s)
    shown = [t for t in truth.tasks if t.added_at <= snap]
    rows: dict[int, dict] = {}
    for t in shown:
        if t.kind == "summary":
            continue
        pct = _progress(t, e_s)
        xs = truth.real_time(t.s, snap)
        if t.d == 0:
            start = finish = _milestone_date(xs, truth.p0)
            b_start = b_finish = _milestone_date(t.s, truth.p0)
        else:
            xf = truth.real_time(t.f, snap)
            start = _wd_date(math.floor(xs))
            finish = _wd_date(max(math.ceil(xf) - 1, math.floor(xs)))
            b_start, b_finish = _wd_date(int(t.s)), _wd_date(int(t.s) + t.d - 1)
        if t.added_at:
            b_start = b_finish = None
        rows[t.idx] = {
            "project_id": pid,
            "task_id": str(t.idx + 1),
            "wbs": t.wbs,
            "name": t.name,
            "outline_level": t.level,
            "is_summary": False,
            "is_milestone": t.d == 0,
            "start": start,
            "finish": finish,
            "baseline_start": b_start,
            "baseline_finish": b_finish,
            "actual_start": start if pct > 0 else None,
            "actual_finish": finish if pct >= 1 else None,
            "percent_complete": pct,
            "bac": t.bac if t.kind == "task" else 0.0,
            "actual_cost": _cost(t, pct) if t.kind == "task" else 0.0,
            "resource_names": t.resources,
            "constraint_type": t.constraint[0] if t.constraint else None,
            "constraint_date": t.constraint[1] if t.constraint else None,
            **_three_point(t),
            "_d": t.d,
        }
    # Summaries: dates span their children; percent complete weighted by duration.
    for t in sorted((t for t in shown if t.kind == "summary"), key=lambda t: -t.level):
        kids = [rows[c.idx] for c in shown if c.parent == t.idx]
        dur = sum(k["_d"] for k in kids)
        done = sum(k["_d"] * k["percent_complete"] for k in kids)
        pct = _round_pct(done / dur) if dur else 0.0
        started = [k["actual_start"] for k in kids if k["actual_start"]]
        b_starts = [k["baseline_start"] for k in kids if k["baseline_start"]]
        b_finishes = [k["baseline_finish"] for k in kids if k["baseline_finish"]]
        rows[t.idx] = {
            "project_id": pid,
            "task_id": str(t.idx + 1),
            "wbs": t.wbs,
            "name": t.name,
            "outline_level": t.level,
            "is_summary": True,
            "is_milestone": False,
            "start": min(k["start"] for k in kids),
            "finish": max(k["finish"] for k in kids),
            "baseline_start": min(b_starts) if b_starts else None,
            "baseline_finish": max(b_finishes) if b_finishes else None,
            "actual_start": min(started) if started else None,
            "actual_finish": max(k["finish"] for k in kids) if all(k["actual_finish"] for k in kids) else None,
            "percent_complete": pct,
            "bac": None,
            "actual_cost": None,
            "resource_names": None,
            "constraint_type": None,
            "constraint_date": None,
            "duration_optimistic": None,
            "duration_likely": None,
            "duration_pessimistic": None,
            "_d": dur,
        }
    out = []
    for t in sorted(shown, key=lambda t: t.sort_key):
        row = rows[t.idx]
        row.pop("_d")
        out.append(row)
    links = [
        {
            "project_id": pid,
            "pred_task_id": str(pi + 1),
            "succ_task_id": str(t.idx + 1),
            "type": typ,
            "lag_days": float(lag),
        }
        for t in shown
        for pi, typ, lag in t.preds
        if truth.tasks[pi].added_at <= snap
    ]
    return out, links


def _three_point(t: _Task) -> dict:
    """Three-point estimates (working days) for every third work task of at least 3 days, as a
    planner gives them for schedule risk analysis: optimistic 80 %, likely the plan, pessimistic
    130-190 % (decided by the task number: no random draw, the other columns keep their values)."""
    if t.kind != "task" or t.d < 3 or t.idx % 3:
        return {"duration_optimistic": None, "duration_likely": None, "duration_pessimistic": None}
    stretch = 1.3 + 0.15 * (t.idx % 5)
    return {
        "duration_optimistic": float(max(1, round(t.d * 0.8))),
        "duration_likely": float(t.d),
        "duration_pessimistic": float(round(t.d * stretch)),
    }


def _project_row(truth: _ProjectTruth, tasks: list[dict], snap: int) -> dict:
    spec = truth.spec
    e_s = truth.achieved(_STATUS_TIMES[snap])
    work = [t for t in tasks if not t["is_summary"]]
    done = (e_s - truth.p0) / max(max(t.f for t in truth.tasks) - truth.p0, 1)
    if spec.closed:
        stage = "Closure"
    elif done < 0.12:
        stage = "Planning"
    else:
        stage = "Execution"
    return {
        "project_id": spec.project_id,
        "name": spec.name,
        "program": spec.program,
        "portfolio": PORTFOLIO,
        "department": spec.department,
        "manager": spec.manager,
        "sponsor": spec.sponsor,
        "stage": stage,
        "priority": spec.priority,
        "currency": spec.currency,
        "bac": round(sum(t["bac"] or 0.0 for t in work), 2),
        "start": min(t["start"] for t in work),
        "finish": max(t["finish"] for t in work),
        "baseline_start": min(t["baseline_start"] for t in work if t["baseline_start"]),
        "baseline_finish": max(t["baseline_finish"] for t in work if t["baseline_finish"]),
        "status": "Closed" if spec.closed else "Active",
    }


def _evm_period_rows(truth: _ProjectTruth, snap: int) -> list[dict]:
    """Monthly cumulative PV/EV/AC as a finance system reports them: PV for every month of the
    baseline, EV and AC up to the status date. Same model as the task data."""
    work = [t for t in truth.tasks if t.kind == "task" and not t.added_at]
    start = _wd_date(truth.p0)
    end = _wd_date(int(max(t.f for t in truth.tasks)))
    status = DEMO_STATUS_DATES[snap]
    rows = []
    month = date(start.year, start.month, 1)
    while month <= end:
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        period_end = nxt - timedelta(days=1)
        t_m = _status_time(period_end)
        pv = sum(t.bac * min(max((t_m - t.s) / t.d, 0.0), 1.0) for t in work)
        row = {
            "project_id": truth.spec.project_id,
            "period_end": period_end,
            "pv": round(pv, 2),
            "ev": None,
            "ac": None,
        }
        if period_end <= status:
            e_m = truth.achieved(t_m)
            pcts = [_progress(t, e_m) for t in work]
            row["ev"] = round(sum(t.bac * p for t, p in zip(work, pcts, strict=True)), 2)
            row["ac"] = round(sum(_cost(t, p) for t, p in zip(work, pcts, strict=True)), 2)
        rows.append(row)
        month = nxt
    return rows


# ---------------------------------------------------------------------------- risks

_RISK_TITLES = {
    "Technical": (
        "Legacy system interfaces are poorly documented",
        "Performance targets may not be met at peak load",
        "源系统数据质量问题 Data quality issues in source systems",
        "Third-party API rate limits",
        "Integration with the ERP may need custom middleware",
    ),
    "Schedule": (
        "Key milestone depends on a late vendor delivery",
        "UAT window overlaps with the year-end change freeze",
        "Dependency on another project's release",
        "Procurement lead time longer than planned",
    ),
    "Resource": (
        "核心开发人员流失 Key developer may leave",
        "Business subject-matter experts have limited availability",
        "Shared DBA team is over-allocated",
        "Contractor onboarding takes longer than planned",
    ),
    "Vendor": (
        "Vendor contract not signed on time",
        "Vendor's offshore team ramps up slower than planned",
        "Licence price increase at renewal",
    ),
    "Financial": ("Exchange-rate movement on USD contracts", "Budget cut in the next fiscal year"),
    "Compliance": (
        "个人信息保护法合规 PIPL rules may require a redesign",
        "Audit findings may delay go-live",
        "Data residency requirements for cloud hosting",
    ),
    "Scope": ("Scope creep from new business requests", "Unclear acceptance criteria for reports"),
    "Security": ("Penetration test may find critical issues", "Privileged access not yet reviewed"),
}
_OPPORTUNITIES = (
    ("PRJ-107", "Reuse of platform components from the Data Platform"),
    ("PRJ-106", "Vendor volume discount if licence contracts are bundled"),
    ("PRJ-112", "Early cloud credits from the provider"),
)
_RESPONSES = {
    "Technical": "Mitigate: proof of concept and early load test; architecture review board sign-off.",
    "Schedule": "Mitigate: re-sequence work, add buffer before the milestone, weekly vendor check-ins.",
    "Resource": "Mitigate: knowledge transfer, backfill plan agreed with the line manager.",
    "Vendor": "Transfer: penalty clauses in the contract; escalate through procurement.",
    "Financial": "Accept: monitor monthly with finance; contingency reserve held by the sponsor.",
    "Compliance": "Avoid: legal review of the design before build; privacy impact assessment.",
    "Scope": "Mitigate: change control board; every request needs a signed change request.",
    "Security": "Mitigate: security testing in every sprint; fix criticals before go-live.",
}
_RISK_COUNTS = {
    "PRJ-101": 7, "PRJ-102": 4, "PRJ-103": 5, "PRJ-104": 7, "PRJ-105": 6, "PRJ-106": 6,
    "PRJ-107": 3, "PRJ-108": 3, "PRJ-109": 4, "PRJ-110": 5, "PRJ-111": 7, "PRJ-112": 3,
}  # fmt: skip
_MISSING_OWNER = {"RSK-009", "RSK-023", "RSK-038", "RSK-051"}


def _probability_score(p: float) -> int:
    return 1 if p <= 0.1 else 2 if p <= 0.3 else 3 if p <= 0.5 else 4 if p <= 0.7 else 5


def _impact_score(share: float) -> int:
    """1-5 from the impact as a share of the project budget."""
    return 1 if share < 0.01 else 2 if share < 0.03 else 3 if share < 0.06 else 4 if share < 0.10 else 5


@dataclass
class _Risk:
    project_id: str
    risk_id: str
    title: str
    category: str
    probability: float
    impact_cost: float
    budget: float
    owner: str | None
    response: str
    raised: date
    due: date
    closed: date | None
    task_ids: list[str] | None = None  # the tasks a threat delays (schedule risk analysis)
    impact_days: float | None = None  # by how many working days when it occurs

    def row(self, snap: int) -> dict | None:
        status_date = DEMO_STATUS_DATES[snap]
        if self.raised > status_date:
            return None
        closed = self.closed is not None and self.closed <= status_date
        return {
            "project_id": self.project_id,
            "risk_id": self.risk_id,
            "title": self.title,
            "category": self.category,
            "probability": self.probability,
            "impact_cost": self.impact_cost,
            "probability_score": _probability_score(self.probability),
            "impact_score": _impact_score(abs(self.impact_cost) / self.budget),
            "owner": self.owner,
            "status": "Closed" if closed else "Open",
            "response": self.response,
            "due_date": self.due,
            "raised_date": self.raised,
            "task_ids": self.task_ids,
            "impact_days": self.impact_days,
        }


def _build_risks(truths: list[_ProjectTruth]) -> list[_Risk]:
    rng = np.random.default_rng([SEED, 100])
    risks: list[_Risk] = []
    n = 0
    probs = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    p_weights = np.array([1, 3, 4, 4, 4, 3, 3, 2, 1], dtype=float)
    categories = list(_RISK_TITLES)
    first_status = DEMO_STATUS_DATES[0]
    last_status = DEMO_STATUS_DATES[-1]
    for truth in truths:
        spec = truth.spec
        budget = sum(t.bac for t in truth.tasks if not t.added_at)
        end = _wd_date(int(max(t.f for t in truth.tasks)))
        people = [spec.manager, *[p for p, _ in spec.team]]
        items = []
        for _ in range(_RISK_COUNTS[spec.project_id]):
            cat = _pick(rng, categories)
            items.append((cat, _pick(rng, _RISK_TITLES[cat]), False))
        items += [("Commercial", title, True) for pid, title in _OPPORTUNITIES if pid == spec.project_id]
        for cat, title, opportunity in items:
            n += 1
            rid = f"RSK-{n:03d}"
            if spec.closed:
                raised = spec.start + timedelta(days=int(rng.integers(10, 200)))
                closed = min(raised + timedelta(days=int(rng.integers(30, 120))), end)
            else:
                late = rng.random() < 0.2
                lo = first_status if late else spec.start + timedelta(days=14)
                hi = last_status if late else first_status
                raised = lo + timedelta(days=int(rng.integers(0, max((hi - lo).days, 1))))
                closed = None
                if rng.random() < 0.45 and raised < first_status - timedelta(days=45):
                    closed = raised + timedelta(days=int(rng.integers(45, 200)))
            prob = float(rng.choice(probs, p=p_weights / p_weights.sum()))
            share = float(np.clip(math.exp(rng.normal(math.log(0.03), 0.8)), 0.003, 0.15))
            impact = float(round(budget * share, -3))
            if opportunity:
                impact, prob = -impact, 0.5
            due = raised + timedelta(days=int(rng.integers(30, 150)))
            if due < last_status and (closed is None or closed > due) and rng.random() < 0.8:
                due = last_status + timedelta(days=int(rng.integers(7, 120)))  # re-planned response
            owner = None if rid in _MISSING_OWNER else _pick(rng, people)
            response = (
                "Exploit: agree terms with the vendor and book the saving."
                if opportunity
                else _RESPONSES.get(cat, "Mitigate.")
            )
            risks.append(
                _Risk(spec.project_id, rid, title, cat, prob, impact, budget, owner, response, raised, due, closed)
            )
            if not opportunity:
                risks[-1].task_ids, risks[-1].impact_days = _schedule_impact(truth, n)
    return risks


def _schedule_impact(truth: _ProjectTruth, n: int) -> tuple[list[str] | None, float | None]:
    """The tasks two threats in three delay (one or two work tasks not yet started at the last
    status date, else any) and by how many working days (3-15): an own random stream per
    risk, so the register's other columns keep their values."""
    rng = np.random.default_rng([SEED, 180, n])
    if rng.random() < 1 / 3:
        return None, None
    work = [t for t in truth.tasks if t.kind == "task" and t.d > 0 and not t.added_at]
    later = [t for t in work if t.s > _STATUS_TIMES[-1]] or work
    if not later:
        return None, None
    picked = sorted(
        int(i) for i in rng.choice(len(later), size=min(len(later), int(rng.integers(1, 3))), replace=False)
    )
    return [str(later[i].idx + 1) for i in picked], float(rng.integers(3, 16))


# ---------------------------------------------------------------------------- agile work items

_STORY_ACTIONS = (
    "log in with my phone number", "reset my password", "see my order history", "save a payment method",
    "export the report to Excel", "filter by date range", "receive push notifications", "change my address",
    "see delivery status on a map", "approve requests on mobile", "search with Chinese keywords",
    "compare monthly trends", "upload an invoice", "see stock levels per warehouse", "download statements",
    "set alert thresholds", "share a dashboard", "track shipment ETA", "manage user roles", "view audit history",
)  # fmt: skip
_TECH_TASKS = (
    "Set up the CI pipeline", "Upgrade the database driver", "Write API documentation", "Configure monitoring alerts",
    "Refactor the authentication module", "Load test the order service", "Move secrets to the vault",
    "Clean up feature flags", "Prepare release notes", "Automate the regression suite",
)  # fmt: skip
_ROLES = ("customer", "store manager", "finance analyst", "planner", "administrator", "data analyst")
_BUG_AREAS = ("Login", "Checkout", "Report", "Dashboard", "API", "Data sync", "Search", "Notifications")
_BUG_SYMPTOMS = (
    "times out under load", "shows wrong totals", "fails for Chinese characters", "crashes on Android 14",
    "duplicates records", "ignores the time zone", "returns HTTP 500", "layout breaks on small screens",
)  # fmt: skip
_EPICS = (
    "User onboarding", "Payments", "Notifications", "Reporting", "Data ingestion", "Data governance",
    "Search", "Performance", "Mobile experience", "Integrations",
)  # fmt: skip


@dataclass
class _Item:
    key: str
    title: str
    type: str
    priority: str
    points: float | None
    created: date
    parent: str | None
    sprints: list[tuple[str, date, date]] = field(default_factory=list)  # (name, start, end)
    resolved: date | None = None
    started: date | None = None  # work begins (in the last sprint)
    assignee: str | None = None
    fix_version: str | None = None


def _build_work_items(spec: DemoProject, k: int) -> tuple[list[_Item], list[_Item]]:
    """(epics, issues) of one agile project, simulated sprint by sprint up to the last status date."""
    rng = np.random.default_rng([SEED, 200 + k])
    key = spec.agile_key
    team = [p for p, _ in spec.team]
    counter = 100
    last = DEMO_STATUS_DATES[-1]

    def next_key() -> str:
        nonlocal counter
        counter += 1
        return f"{key}-{counter}"

    epic_names = _pick(rng, _EPICS, 6)
    epics = [
        _Item(next_key(), name, "Epic", "High", None, spec.start + timedelta(days=int(rng.integers(3, 20))), None)
        for name in epic_names
    ]
    issues: list[_Item] = []
    backlog: list[_Item] = []
    sprint_start = spec.start + timedelta(weeks=4)
    sprint_start -= timedelta(days=sprint_start.weekday())
    velocity = 34.0 if spec.health == "healthy" else 28.0
    finish_rate = 0.9 if spec.health == "healthy" else 0.72 if "late" in spec.health else 0.82
    points_choice = np.array([1, 2, 3, 5, 8, 13], dtype=float)
    points_w = np.array([2, 4, 5, 5, 3, 1], dtype=float)
    priorities = ("Highest", "High", "Medium", "Low")

    def new_story(created: date) -> _Item:
        role, action = _pick(rng, _ROLES), _pick(rng, _STORY_ACTIONS)
        typ = "Story" if rng.random() < 0.8 else "Task"
        pts = float(rng.choice(points_choice, p=points_w / points_w.sum()))
        if typ == "Task" and rng.random() < 0.5:
            pts = None
        article = "an" if role[0] in "aeiou" else "a"
        title = f"As {article} {role}, I can {action}" if typ == "Story" else _pick(rng, _TECH_TASKS)
        return _Item(
            next_key(), title, typ, priorities[int(rng.choice(4, p=[0.05, 0.3, 0.5, 0.15]))], pts, created,
            _pick(rng, epics).key,
        )  # fmt: skip

    for _ in range(20):
        backlog.append(new_story(spec.start + timedelta(days=int(rng.integers(3, 28)))))
    carried: list[_Item] = []
    seen: set[str] = set()
    n = 0
    while sprint_start <= last:
        n += 1
        name = f"{key} Sprint {n}"
        end = sprint_start + timedelta(days=11)  # two weeks, ends on a Friday
        version = f"{key} {1 + (n - 1) // 6}.{(n - 1) % 6 // 2}"
        while len(backlog) < 25:
            backlog.append(new_story(sprint_start - timedelta(days=int(rng.integers(1, 15)))))
        committed = list(carried)
        load = sum(i.points or 1 for i in committed)
        while backlog and load < velocity:
            item = backlog.pop(0)
            committed.append(item)
            load += item.points or 1
        for _ in range(int(rng.integers(1, 4))):  # bugs found during the sprint
            area, symptom = _pick(rng, _BUG_AREAS), _pick(rng, _BUG_SYMPTOMS)
            bug = _Item(
                next_key(), f"{area} {symptom}", "Bug", priorities[int(rng.choice(4, p=[0.15, 0.35, 0.4, 0.1]))],
                float(rng.choice([1.0, 2.0, 3.0])) if rng.random() < 0.6 else None,
                sprint_start + timedelta(days=int(rng.integers(0, 9))), None if rng.random() < 0.7 else _pick(rng, epics).key,
            )  # fmt: skip
            issues.append(bug)
            seen.add(bug.key)
            if rng.random() < 0.6:
                committed.append(bug)
            else:
                backlog.insert(0, bug)
        carried = []
        for item in committed:
            begin = max(sprint_start, item.created)
            item.assignee = item.assignee or _pick(rng, team)
            item.fix_version = version
            # Work carried over from the last sprint continues at once; new work starts within days.
            item.started = sprint_start if item.sprints else begin + timedelta(days=int(rng.integers(0, 5)))
            item.sprints.append((name, sprint_start, end))
            if rng.random() < finish_rate:
                item.resolved = min(item.started + timedelta(days=int(rng.integers(1, 8))), end)
            else:
                carried.append(item)
            if item.key not in seen:
                seen.add(item.key)
                issues.append(item)
        sprint_start += timedelta(weeks=2)
    issues.extend(i for i in backlog if i.key not in seen)
    issues.sort(key=lambda i: int(i.key.split("-")[1]))
    return epics, issues


_STATUS_CATEGORY = {"Backlog": "To Do", "To Do": "To Do", "In Progress": "In Progress", "In Review": "In Progress",
                    "Done": "Done"}  # fmt: skip


def _work_item_rows(spec: DemoProject, epics: list[_Item], issues: list[_Item], snap: int) -> list[dict]:
    status_date = DEMO_STATUS_DATES[snap]
    rows = []
    views: dict[str, tuple[str, list[str], date | None]] = {}
    for it in issues:
        if it.created > status_date:
            continue
        sprints = [s for s in it.sprints if s[1] <= status_date]
        resolved = it.resolved if it.resolved and it.resolved <= status_date else None
        if resolved:
            status = "Done"
        elif sprints:
            _, s_start, s_end = sprints[-1]
            if it.started and it.started <= status_date:
                status = "In Review" if it.resolved and (it.resolved - status_date).days <= 2 else "In Progress"
            else:
                status = "To Do"
        else:
            status = "Backlog"
        views[it.key] = (status, [s[0] for s in sprints], resolved)
        rows.append(
            {
                "project_id": spec.project_id,
                "key": it.key,
                "title": it.title,
                "type": it.type,
                "status": status,
                "status_category": _STATUS_CATEGORY[status],
                "priority": it.priority,
                "story_points": it.points,
                "sprint": sprints[-1][0] if sprints else None,
                "sprints": [s[0] for s in sprints] or None,
                "fix_version": it.fix_version if sprints else None,
                "created": it.created,
                "resolved": resolved,
                "assignee": it.assignee if sprints else None,
                "parent": it.parent,
            }
        )
    epic_rows = []
    for ep in epics:
        if ep.created > status_date:
            continue
        kids = [views[i.key] for i in issues if i.parent == ep.key and i.key in views]
        if kids and all(v[0] == "Done" for v in kids):
            status, resolved = "Done", max(v[2] for v in kids)
        elif any(v[1] for v in kids):
            status, resolved = "In Progress", None
        else:
            status, resolved = "To Do", None
        epic_rows.append(
            {
                "project_id": spec.project_id,
                "key": ep.key,
                "title": ep.title,
                "type": "Epic",
                "status": status,
                "status_category": _STATUS_CATEGORY[status],
                "priority": ep.priority,
                "story_points": None,
                "sprint": None,
                "sprints": None,
                "fix_version": None,
                "created": ep.created,
                "resolved": resolved,
                "assignee": spec.manager,
                "parent": None,
            }
        )
    return epic_rows + rows


# ---------------------------------------------------------------------------- assignments


def _half_hours(h: float) -> float:
    return round(h * 2) / 2


def _assignment_rows(snap: int) -> list[dict]:
    """Weekly planned hours (from the first week to 8 weeks past the status date) and actual
    hours (weeks that ended by the status date), per person and project."""
    status_date = DEMO_STATUS_DATES[snap]
    last_week = status_date + timedelta(weeks=_ASSIGNMENT_WEEKS_AHEAD)
    weeks = []
    w = _ASSIGNMENT_FIRST_WEEK
    while w <= last_week:
        weeks.append(w)
        w += timedelta(weeks=1)
    dept = {p: d for p, d, _ in PEOPLE}
    capacity = {p: c for p, _, c in PEOPLE}
    rows = []
    for k, spec in enumerate(DEMO_PROJECTS):
        if spec.closed:
            continue
        for j, (person, hours) in enumerate(spec.team):
            # One stream per (project, person, week): the value of a week never depends on the snapshot.
            lo, hi = _WINDOWS.get((person, spec.project_id), (date.min, date.max))
            crunch = _CRUNCH.get((person, spec.project_id))
            for week in weeks:
                if not lo <= week <= hi:
                    continue
                rng = np.random.default_rng([SEED, 300 + k, j, (week - _ASSIGNMENT_FIRST_WEEK).days])
                planned = hours + (float(rng.choice([-4.0, 4.0])) if rng.random() < 0.2 else 0.0)
                if crunch and crunch[0] <= week <= crunch[1]:
                    planned += crunch[2]
                share = _HOLIDAY_WEEKS.get(week, 1.0)
                planned = _half_hours(planned * share)
                actual = None
                if week + timedelta(days=4) <= status_date:
                    actual = max(0.0, _half_hours(planned * rng.normal(1.0, 0.12)))
                rows.append(
                    {
                        "person": person,
                        "department": dept[person],
                        "project_id": spec.project_id,
                        "week_start": week,
                        "planned_hours": planned,
                        "actual_hours": actual,
                        "capacity_hours": _half_hours(capacity[person] * share),
                    }
                )
    rows.sort(key=lambda r: (r["person"], r["week_start"], r["project_id"]))
    return rows


# ---------------------------------------------------------------------------- deliverables and lessons


def _deliverable_rows(truth: _ProjectTruth, tasks: list[dict], snap: int) -> list[dict]:
    """One deliverable per phase gate (the level-2 milestones), due on the gate's baseline
    date. A gate that is reached is submitted; the sponsor accepts it a few days later (late
    projects: the first submission of every second gate is rejected and accepted two weeks on).
    Gates not reached are open, so overdue and due-soon deliverables follow the schedule."""
    spec = truth.spec
    status = DEMO_STATUS_DATES[snap]
    gates = [t for t in tasks if t["is_milestone"] and t["outline_level"] == 2 and t["baseline_finish"]]
    rows = []
    for n, g in enumerate(gates, start=1):
        row = {
            "project_id": spec.project_id,
            "deliverable_id": f"D{spec.project_id[-3:]}-{n:02d}",
            "name": g["name"],
            "due_date": g["baseline_finish"],
            "acceptance_status": "Open",
            "accepted_by": None,
            "accepted_on": None,
        }
        done = g["actual_finish"]
        if done is not None:
            rejected_first = "late" in spec.health and n % 2 == 0
            accepted_on = done + timedelta(days=(16 if rejected_first else 2) + n % 3)
            if accepted_on <= status:
                row.update(acceptance_status="Accepted", accepted_by=spec.sponsor, accepted_on=accepted_on)
            elif rejected_first and done + timedelta(days=5) <= status:
                row.update(acceptance_status="Rejected")
            else:
                row.update(acceptance_status="Submitted")
        rows.append(row)
    return rows


# (project, first snapshot shown, phase, category, what happened, recommendation, owner, date)
_LESSONS: tuple[tuple[str, int, str, str, str, str, str, date], ...] = (
    ("PRJ-108", 0, "Planning", "Scope", "Single sign-on scope grew by 14 applications after kickoff.",
     "Freeze the application list at the planning gate; route additions through change control.",
     "孙悦", date(2025, 5, 16)),
    ("PRJ-108", 0, "Testing", "Quality", "Directory sync defects were found late because test data had no "
     "leavers or transfers.", "Build identity test data from real joiner/mover/leaver cases before test starts.",
     "Sun Li", date(2025, 9, 12)),
    ("PRJ-108", 0, "Closure", "Vendor", "The vendor's licence true-up arrived after closure and was not "
     "budgeted.", "Agree true-up terms in the contract and add them to the cost baseline.", "孙悦",
     date(2026, 1, 23)),
    ("PRJ-104", 1, "Build", "Schedule", "Payment provider certification took six weeks instead of two.",
     "Start external certifications in design; keep a float buffer on every third-party gate.", "James Lee",
     date(2026, 8, 21)),
    ("PRJ-106", 2, "Design", "Resources", "Key finance users were unavailable during month-end close, "
     "delaying design sign-off.", "Plan business workshops around the finance calendar; book backups.",
     "Peter Novak", date(2026, 9, 18)),
    ("PRJ-101", 3, "Testing", "Quality", "Regression testing on old devices was not in the plan.",
     "Keep a device matrix in the test plan and automate the smoke suite per release.", "Alice Wang",
     date(2026, 10, 23)),
)  # fmt: skip


def _lesson_rows(snap: int) -> list[dict]:
    """Lessons recorded so far: the closed project's close-out, then lessons from live projects."""
    rows, counters = [], {}
    for pid, first, phase, category, what, recommendation, owner, when in _LESSONS:
        counters[pid] = counters.get(pid, 0) + 1
        if first > snap:
            continue
        rows.append(
            {
                "project_id": pid,
                "lesson_id": f"L-{counters[pid]:03d}",
                "phase": phase,
                "category": category,
                "what_happened": what,
                "recommendation": recommendation,
                "owner": owner,
                "date": when,
            }
        )
    return rows


# ---------------------------------------------------------------------------- the snapshots

_CACHE: dict[str, object] = {}


def _truth() -> tuple[list[_ProjectTruth], list[_Risk], dict[str, tuple[list[_Item], list[_Item]]]]:
    if "truth" not in _CACHE:
        truths = [_build_project(spec, k) for k, spec in enumerate(DEMO_PROJECTS)]
        risks = _build_risks(truths)
        agile = {s.project_id: _build_work_items(s, k) for k, s in enumerate(DEMO_PROJECTS) if s.agile_key}
        _CACHE["truth"] = (truths, risks, agile)
    return _CACHE["truth"]  # type: ignore[return-value]


def demo_tables(snap: int) -> dict[str, list[dict]]:
    """Rows of every canonical table for snapshot ``snap`` (0 = first status date)."""
    truths, risks, agile = _truth()
    out: dict[str, list[dict]] = {name: [] for name in SHEET_ORDER}
    for truth in truths:
        tasks, links = _task_rows(truth, snap)
        out["projects"].append(_project_row(truth, tasks, snap))
        out["tasks"].extend(tasks)
        out["links"].extend(links)
        if truth.spec.project_id == "PRJ-109":
            out["evm_periods"].extend(_evm_period_rows(truth, snap))
        out["deliverables"].extend(_deliverable_rows(truth, tasks, snap))
    out["risks"] = [r for r in (risk.row(snap) for risk in risks) if r is not None]
    for spec in DEMO_PROJECTS:
        if spec.agile_key:
            out["work_items"].extend(_work_item_rows(spec, *agile[spec.project_id], snap))
    out["assignments"] = _assignment_rows(snap)
    out["lessons"] = _lesson_rows(snap)
    out["fx_rates"] = [
        {"currency": c, "rate": r, "valid_from": d, "base": "CNY"}
        for c, r, d in DEMO_FX_RATES
        if d <= DEMO_STATUS_DATES[snap]
    ]
    return out


# ---------------------------------------------------------------------------- the files


def demo_file_name(status_date: date) -> str:
    """``portfolio_YYYY-MM-DD.xlsx``."""
    return f"{FILE_PREFIX}{status_date.isoformat()}.xlsx"


def status_date_from_name(name: str | Path) -> date | None:
    """The status date written in a demo file name (``portfolio_2026-07-31.xlsx``), else None."""
    from .importing import date_in_name

    return date_in_name(Path(name).name)


def demo_paths(out_dir: Path | None = None) -> list[Path]:
    """Where the demo files are (or will be), in status-date order."""
    out_dir = Path(out_dir) if out_dir is not None else DEMO_DIR
    return [out_dir / demo_file_name(d) for d in DEMO_STATUS_DATES]


def demo_file_bytes(snap: int) -> bytes:
    """The workbook of snapshot ``snap`` (0 = first status date)."""
    return workbook_bytes(demo_tables(snap))


def write_demo_files(out_dir: Path = DEMO_DIR) -> list[Path]:
    """Write one template workbook per status date; returns the paths in status-date order."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = demo_paths(out_dir)
    for snap, path in enumerate(paths):
        data = demo_file_bytes(snap)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    return paths


def build_demo(store, out_dir: Path | None = None, progress: ProgressFn | None = None) -> list:
    """Write the demo files if missing and import each one as a user's upload would be
    (``importing.parse_upload`` then ``store.import_parsed``) with the status date in its name.
    Files already imported with that status date (same sha256) are skipped, so calling this
    twice imports nothing new. Returns the ``ImportResult`` of each new import."""
    from .importing import parse_upload

    paths = demo_paths(out_dir)
    if not all(p.exists() for p in paths):
        write_demo_files(paths[0].parent)
    results = []
    n = len(paths)
    for i, (path, status_date) in enumerate(zip(paths, DEMO_STATUS_DATES, strict=True)):
        if progress:
            progress(i / n, path.name)
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if store.find_import(sha, status_date) is not None:
            continue
        parsed = parse_upload(path.name, path.read_bytes(), isolated=False)  # our own files: no child process
        results.append(store.import_parsed(parsed, status_date))
    if progress:
        progress(1.0, "done")
    return results


if __name__ == "__main__":  # python -m pmo_analytics.demo: regenerate the committed files (demo and template)
    for p in [*write_demo_files(), *write_template_files()]:
        print(p.relative_to(ROOT), p.stat().st_size, "bytes")
