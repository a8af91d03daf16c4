"""Critical path method (CPM) on the canonical ``tasks`` and ``links`` tables (milestone slip is
in ``milestones.py``).

Pure functions: DataFrames in, DataFrames out.

Time model (working days on a Mon-Fri calendar with holidays, see ``working_time.py``):
a task occupies whole working days. Internally day ``k`` is the ``k``-th working day; a task
with early start ``ES`` and duration ``d`` has early finish ``EF = ES + d`` (the boundary
after its last day), so the finish *date* shown is day ``EF - 1``. Relationships, with lag
``L`` in working days (negative = lead):

- FS: ``ES(succ) >= EF(pred) + L``      SS: ``ES(succ) >= ES(pred) + L``
- FF: ``EF(succ) >= EF(pred) + L``      SF: ``EF(succ) >= ES(pred) + L``

Milestones have zero duration. A milestone with predecessors is a *finish* milestone: it
sits at the end of its date (like MS Project's 17:00), so its date is day ``k - 1``; one
without predecessors is a *start* milestone at the beginning of its date (day ``k``).

Progress (status date ``s`` = the first day on which remaining work can happen, P6's
data date): finished tasks keep their actual dates and take no part in the backward
pass; started tasks keep their actual start and finish ``max(s, start) + remaining`` where
remaining = ``ceil(duration * (1 - percent_complete))``; unstarted work starts no earlier
than ``s``. Start-type logic (FS, SS) into a started task is ignored (progress override).

Unlinked tasks start on their own start date; tasks with predecessors start as early as
logic allows (not before the project's first start). Constraints: Start/Finish No Earlier
Than raise early dates, Start/Finish No Later Than cap late dates, Must Start/Finish On fix
early dates and cap late dates (so conflicts show as negative float, as in MS Project).
Every task must finish by the project finish (latest early finish of the project).

The tools' critical-path options, as MS Project and P6 apply them (the same in the CPM in
working minutes): a task's ``deadline`` caps its late finish like a "finish no later than"
without moving its early dates (a missed deadline gives negative float); a task is critical
when its total float is at most the project's ``critical_slack_limit_days`` (empty = 0,
``critical_slack_at``); with ``multiple_critical_paths`` a task without successors has its
late finish at its own early finish instead of the project finish (MS Project's "calculate
multiple critical paths": the end of every chain is critical).

Summary tasks do not take part in the network: a link to a summary applies to every leaf
task under it (MS Project's rule); a link from a summary is taken from every leaf under it
(exact for FS/FF; for SS/SF slightly conservative). Summaries then roll up from their
children: earliest start, latest finish, smallest float.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ScheduleError
from .columns import column, flags, floats, texts
from .working_time import DayCalendar, to_days

FS, SS, FF, SF = 0, 1, 2, 3
LINK_TYPES = {"FS": FS, "SS": SS, "FF": FF, "SF": SF}
_LINK_ALIASES = {
    "fs": FS,
    "finishtostart": FS,
    "ss": SS,
    "starttostart": SS,
    "ff": FF,
    "finishtofinish": FF,
    "sf": SF,
    "starttofinish": SF,
    "完成开始": FS,
    "开始开始": SS,
    "完成完成": FF,
    "开始完成": SF,
}

# MS Project pjConstraint codes (see ../shared/reference/dcma14.md)
ASAP, ALAP, MSO, MFO, SNET, SNLT, FNET, FNLT = range(8)
HARD_CONSTRAINTS = frozenset({MSO, MFO, SNLT, FNLT})
CONSTRAINT_NAMES = {
    ASAP: "As Soon As Possible",
    ALAP: "As Late As Possible",
    MSO: "Must Start On",
    MFO: "Must Finish On",
    SNET: "Start No Earlier Than",
    SNLT: "Start No Later Than",
    FNET: "Finish No Earlier Than",
    FNLT: "Finish No Later Than",
}
_CONSTRAINT_ALIASES: dict[str, int] = {}
for _code, _names in {
    ASAP: ["as soon as possible", "asap", "none", "越早越好", "尽早"],
    ALAP: ["as late as possible", "alap", "越晚越好", "尽晚"],
    MSO: ["must start on", "mso", "start on", "mandatory start", "必须开始于"],
    MFO: ["must finish on", "mfo", "finish on", "mandatory finish", "必须完成于"],
    SNET: ["start no earlier than", "snet", "start on or after", "不得早于开始", "不得早于...开始"],
    SNLT: ["start no later than", "snlt", "start on or before", "不得晚于开始", "不得晚于...开始"],
    FNET: ["finish no earlier than", "fnet", "finish on or after", "不得早于完成", "不得早于...完成"],
    FNLT: ["finish no later than", "fnlt", "finish on or before", "不得晚于完成", "不得晚于...完成"],
}.items():
    for _n in _names:
        _CONSTRAINT_ALIASES[re.sub(r"[\W_]+", "", _n.casefold())] = _code

_NEG_INF = -math.inf

CPM_COLUMNS = [
    "project_id",
    "task_id",
    "name",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_float_days",
    "free_float_days",
    "critical",
    "near_critical",
    "duration_days",
]


def _project_value(project, name: str):
    """``project[name]`` (a projects row as a dict or Series), None when absent or empty."""
    v = None if project is None else project.get(name)
    try:
        return None if v is None or pd.isna(v) else v
    except (TypeError, ValueError):  # a list or other non-scalar: not empty
        return v


def critical_slack_at(project, per_day: float, tolerance: float) -> float:
    """The total slack at or below which a task is critical, in the engine's unit (``per_day``
    of them make a day, plus the engine's ``tolerance``): the tool's critical slack limit of the
    ``project`` row (``projects.critical_slack_limit_days``: MS Project "tasks are critical if
    slack is less than or equal to", P6's critical float threshold), 0 when empty."""
    limit = _project_value(project, "critical_slack_limit_days")
    try:
        days = float(limit) if limit is not None else 0.0
    except (TypeError, ValueError):
        days = 0.0
    return (days if math.isfinite(days) else 0.0) * per_day + tolerance


def multiple_critical_paths(project) -> bool:
    """True when the ``project`` row asks for MS Project's "calculate multiple critical paths"
    (``projects.multiple_critical_paths``): a task without successors finishes late at its own
    early finish."""
    v = _project_value(project, "multiple_critical_paths")
    if isinstance(v, str):
        return v.strip().casefold() in ("1", "true", "yes", "y", "是")
    return bool(v) if v is not None else False


def project_rows(projects: pd.DataFrame | None) -> dict[str, dict]:
    """Each project's row by ``project_id`` (the last row of a project in frame order wins:
    pass the latest status date last)."""
    if projects is None or not len(projects) or "project_id" not in projects.columns:
        return {}
    return {str(r["project_id"]): r for r in projects.to_dict("records")}


def constraint_code(value: object) -> int | None:
    """MS Project constraint code 0-7 for a name ("Must Start On", "MSO", "必须开始于"...),
    a P6 name ("Start On or Before") or a numeric code; None when empty or unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (int, np.integer)) or (isinstance(value, float) and value.is_integer()):
        code = int(value)
        return code if 0 <= code <= 7 else None
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(\.0+)?", text):
        code = int(float(text))
        return code if 0 <= code <= 7 else None
    return _CONSTRAINT_ALIASES.get(re.sub(r"[\W_]+", "", text.casefold()))


def link_type_code(value: object) -> int:
    """FS/SS/FF/SF (or "Finish-to-Start", "完成-开始") -> code; missing means FS."""
    if isinstance(value, str) and value in LINK_TYPES:
        return LINK_TYPES[value]
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return FS
    key = re.sub(r"[\W_]+", "", str(value).casefold())
    if not key:
        return FS
    if key not in _LINK_ALIASES:
        raise ScheduleError(key="schedule.link_type", params={"value": value}, hint_key="hint.link_types")
    return _LINK_ALIASES[key]


# ----------------------------------------------------------------------------- inputs


def _groups(keys) -> dict:
    """Row positions of each key, keys in order of first appearance, rows in input order (one
    stable argsort instead of a boolean mask per key). Missing keys (NaN) are left out."""
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object) if isinstance(keys, np.ndarray) else keys)
    codes = np.asarray(codes)
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    start = int((codes < 0).sum())
    out = {}
    for key, cnt in zip(uniques, counts.tolist(), strict=True):
        out[key] = order[start : start + cnt]
        start += cnt
    return out


def _link_arrays(links: pd.DataFrame) -> dict:
    """The link columns the schedule and DCMA need, converted once for the whole frame.

    ``type`` holds the type code of each link, or -1 where the type is unknown (the project
    using it raises ``link_type_code``'s error when it is built)."""
    types = column(links, "type", None)
    codes: dict = {}
    tcode = np.empty(len(links), dtype=np.int64)
    for i, v in enumerate(types):
        key = (type(v), v) if isinstance(v, str) or v is None else None
        c = codes.get(key) if key is not None else None
        if c is None:
            try:
                c = link_type_code(v)
            except ScheduleError:
                c = -1
            if key is not None:
                codes[key] = c
        tcode[i] = c
    return {
        "pred": texts(links["pred_task_id"]),
        "succ": texts(links["succ_task_id"]),
        "type_value": types,
        "type": tcode,
        "lag": np.nan_to_num(floats(column(links, "lag_days")), nan=0.0),
    }


def _link_types(lk: dict, rows: np.ndarray) -> np.ndarray:
    """Type codes of these links; an unknown type raises as ``link_type_code`` does."""
    codes = lk["type"][rows]
    bad = np.flatnonzero(codes < 0)
    if len(bad):
        link_type_code(lk["type_value"].iloc[int(rows[bad[0]])])  # raises ScheduleError
    return codes


def _status_by_project(tasks: pd.DataFrame, status_date) -> dict[str, np.datetime64]:
    pids = texts(tasks["project_id"])
    if status_date is not None:
        sd = to_days([status_date])[0]
        return {p: sd for p in set(pids)}
    if "status_date" not in tasks.columns:
        return {}
    latest = pd.Series(to_days(tasks["status_date"])).groupby(pids, sort=False).max()
    return {str(p): np.datetime64(d, "D") for p, d in latest.items() if pd.notna(d)}


def _natural_key(text: str) -> tuple:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part)


def parents(wbs: Iterable[str], outline_level: Iterable[float]) -> np.ndarray:
    """Parent row of each task (-1 for none): by WBS code prefix ("1.2.3" under "1.2"), or,
    when WBS codes give no hierarchy, by outline level in row order."""
    wbs = ["" if w is None or (isinstance(w, float) and math.isnan(w)) else str(w).strip() for w in wbs]
    levels = [float(x) if x is not None and x == x else math.nan for x in outline_level]
    n = len(wbs)
    out = np.full(n, -1, dtype=np.int64)
    if n and all(wbs):
        pos = {w: i for i, w in enumerate(wbs)}
        found = 0
        for i, w in enumerate(wbs):
            parts = w.split(".")
            while len(parts) > 1:
                parts = parts[:-1]
                j = pos.get(".".join(parts))
                if j is not None and j != i:
                    out[i] = j
                    found += 1
                    break
        if found:
            return out
    if n and not any(math.isnan(x) for x in levels):
        stack: list[tuple[float, int]] = []
        for i, lv in enumerate(levels):
            while stack and stack[-1][0] >= lv:
                stack.pop()
            out[i] = stack[-1][1] if stack else -1
            stack.append((lv, i))
    return out


@dataclass
class _Net:
    """One project's network, ready for the passes (positions are rows of the project frame)."""

    project_id: str
    ids: list[str]
    names: list[str]
    summary: np.ndarray
    milestone: np.ndarray
    finish_ms: np.ndarray  # finish milestone (has predecessors)
    done: np.ndarray
    started: np.ndarray
    dur: np.ndarray  # working days (0 for milestones)
    rem: np.ndarray  # remaining working days of started work
    ef_fc: np.ndarray  # kept forecast finish of started work (remaining="forecast"), else NaN
    es_fixed: np.ndarray
    ef_fixed: np.ndarray
    es_own: np.ndarray  # own start (used when the task has no start-driving predecessor)
    es_min: np.ndarray  # status date and SNET floors
    ef_min: np.ndarray  # FNET floor
    es_force: np.ndarray  # MSO
    ef_force: np.ndarray  # MFO
    lf_cap: np.ndarray  # SNLT/FNLT/MSO/MFO caps on late finish
    status: float
    project_start: float
    parent: np.ndarray
    work: list[int]  # rows of non-summary tasks
    multiple: bool = False  # MS Project's "multiple critical paths" (module doc)
    order: list[int] = field(default_factory=list)
    lp: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ls_: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    lt: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    lg: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=float))
    ins: list[list[tuple[int, int, float]]] = field(default_factory=list)
    outs: list[list[tuple[int, int, float]]] = field(default_factory=list)


def _build(
    pid: str,
    t: dict[str, np.ndarray],
    rows: np.ndarray,
    lk: dict | None,
    lrows: np.ndarray | None,
    status: np.datetime64 | None,
    cal: DayCalendar,
    remaining: str = "percent",
    multiple: bool = False,
) -> _Net:
    n = len(rows)
    ids = list(t["task_id"][rows])
    names = list(t["name"][rows])
    summary = t["summary"][rows].copy()
    milestone = t["milestone"][rows] & ~summary
    pc = t["pc"][rows]
    i_start = t["i_start"][rows]
    i_finish = t["i_finish"][rows]
    i_as = t["i_as"][rows]
    i_af = t["i_af"][rows]
    ccode = t["ccode"][rows]
    i_cd_f = t["i_cd_f"][rows]
    i_cd_b = t["i_cd_b"][rows]
    # missing start/finish: take the other one
    i_start = np.where(np.isnan(i_start), i_finish, i_start)
    i_finish = np.where(np.isnan(i_finish), i_start, i_finish)
    done = (~np.isnan(i_af)) | (pc >= 1.0 - 1e-9)
    started = done | (~np.isnan(i_as)) | (pc > 0)
    st = (
        float(cal.index(np.array([status], dtype="datetime64[D]"))[0])
        if status is not None and not np.isnat(status)
        else math.nan
    )
    work_rows = np.flatnonzero(~summary)
    ps = np.nanmin(i_start[work_rows]) if len(work_rows) and not np.all(np.isnan(i_start[work_rows])) else math.nan
    if math.isnan(ps):
        ps = st if not math.isnan(st) else 0.0
    i_start = np.where(np.isnan(i_start), ps, i_start)
    i_finish = np.where(np.isnan(i_finish), i_start, i_finish)

    dur = np.where(milestone, 0.0, np.maximum(i_finish - i_start + 1, 1.0))
    par = parents(t["wbs"][rows], t["outline"][rows])

    # --- links (this project), summary endpoints expanded to leaves
    pos = {tid: i for i, tid in enumerate(ids)}
    children: dict[int, list[int]] = {}
    for i, p in enumerate(par.tolist()):
        if p >= 0:
            children.setdefault(p, []).append(i)
    leaf_cache: dict[int, list[int]] = {}

    def leaves(i: int) -> list[int]:
        if not summary[i]:
            return [i]
        if i not in leaf_cache:
            out: list[int] = []
            stack = list(children.get(i, ()))
            while stack:
                c = stack.pop()
                if summary[c]:
                    stack.extend(children.get(c, ()))
                else:
                    out.append(c)
            leaf_cache[i] = out
        return leaf_cache[i]

    lp: list[int] = []
    lsu: list[int] = []
    lt: list[int] = []
    lg: list[float] = []
    if lk is not None and lrows is not None and len(lrows):
        types = _link_types(lk, lrows).tolist()
        preds = lk["pred"][lrows].tolist()
        succs = lk["succ"][lrows].tolist()
        lags = np.floor(lk["lag"][lrows] + 0.5)  # whole working days
        for a, b, ty, lag in zip(preds, succs, types, lags, strict=True):
            ia, ib = pos.get(a), pos.get(b)
            if ia is None or ib is None:
                continue  # a link to a task outside this project/snapshot
            if ia == ib:
                raise _cycle_error(pid, [ia, ia], ids, names)
            if not summary[ia] and not summary[ib]:
                lp.append(ia)
                lsu.append(ib)
                lt.append(ty)
                lg.append(float(lag))
                continue
            for x in leaves(ia):
                for y in leaves(ib):
                    if x != y:
                        lp.append(x)
                        lsu.append(y)
                        lt.append(ty)
                        lg.append(float(lag))
    has_pred = np.zeros(n, dtype=bool)
    has_pred[np.array(lsu, dtype=np.int64)] = True
    finish_ms = milestone & has_pred

    # --- fixed dates of finished work; floors and caps of the rest
    off = np.where(finish_ms, 1.0, 0.0)  # a finish milestone sits at the end of its date
    es_fixed = np.full(n, math.nan)
    ef_fixed = np.full(n, math.nan)
    a_s = np.where(np.isnan(i_as), i_start, i_as)
    a_f = np.where(np.isnan(i_af), i_finish, i_af)
    es_fixed[done] = np.where(milestone[done], a_f[done] + off[done], a_s[done])
    ef_fixed[done] = np.where(milestone[done], a_f[done] + off[done], np.maximum(a_f[done] + 1, a_s[done] + 1))
    es_fixed[started & ~done] = a_s[started & ~done]
    rem = np.where(started & ~done, np.maximum(np.ceil(dur * (1 - pc) - 1e-9), 1.0), dur)
    # "forecast": keep the source tool's finish of started work when it is not before the status date
    ef_fc = np.full(n, math.nan)
    if remaining == "forecast":
        keep = started & ~done & ~milestone & ((i_finish + 1 > st) if not math.isnan(st) else True)
        ef_fc[keep] = np.maximum(i_finish[keep] + 1, a_s[keep] + 1)
    elif remaining != "percent":
        raise ValueError(f"remaining must be 'percent' or 'forecast', not {remaining!r}")
    es_own = np.where(milestone, i_start + off, i_start)
    es_min = np.full(n, _NEG_INF)
    if not math.isnan(st):
        es_min = np.full(n, st) + off
    ef_min = np.full(n, _NEG_INF)
    es_force = np.full(n, math.nan)
    ef_force = np.full(n, math.nan)
    lf_cap = np.full(n, math.inf)
    cs = np.where(milestone, i_cd_b + off, i_cd_f)  # a start-type constraint date as a boundary
    cf = np.where(milestone, i_cd_b + off, i_cd_b + 1)  # a finish-type one
    for code in (SNET, FNET, MSO, MFO, SNLT, FNLT):
        m = (ccode == code) & ~np.isnan(i_cd_f)
        if not m.any():
            continue
        if code == SNET:
            es_min[m] = np.maximum(es_min[m], cs[m])
        elif code == FNET:
            ef_min[m] = cf[m]
        elif code == MSO:
            es_force[m] = cs[m]
            lf_cap[m] = cs[m] + dur[m]
        elif code == MFO:
            ef_force[m] = cf[m]
            lf_cap[m] = cf[m]
        elif code == SNLT:
            lf_cap[m] = cs[m] + dur[m]
        else:
            lf_cap[m] = cf[m]
    # a deadline caps the late finish as a "finish no later than" does (early dates untouched)
    dl = t["i_dl_b"][rows]
    m = ~np.isnan(dl) & ~summary
    lf_cap[m] = np.minimum(lf_cap[m], np.where(milestone, dl + off, dl + 1)[m])

    net = _Net(
        project_id=pid,
        ids=ids,
        names=names,
        summary=summary,
        milestone=milestone,
        finish_ms=finish_ms,
        done=done,
        started=started,
        dur=dur,
        rem=rem,
        ef_fc=ef_fc,
        es_fixed=es_fixed,
        ef_fixed=ef_fixed,
        es_own=es_own,
        es_min=es_min,
        ef_min=ef_min,
        es_force=es_force,
        ef_force=ef_force,
        lf_cap=lf_cap,
        status=st,
        project_start=float(ps),
        parent=par,
        work=[int(i) for i in work_rows],
        multiple=multiple,
    )
    net.lp = np.array(lp, dtype=np.int64)
    net.ls_ = np.array(lsu, dtype=np.int64)
    net.lt = np.array(lt, dtype=np.int64)
    net.lg = np.array(lg, dtype=float)
    net.ins = [[] for _ in range(n)]
    net.outs = [[] for _ in range(n)]
    for a, b, ty, lag in zip(lp, lsu, lt, lg, strict=True):
        net.ins[b].append((a, ty, lag))
        net.outs[a].append((b, ty, lag))
    net.order = _topo(net)
    return net


def _topo(net: _Net) -> list[int]:
    """Topological order of the work tasks (Kahn); a loop raises ``ScheduleError`` naming it."""
    indeg = [0] * len(net.ids)
    for b in net.ls_.tolist():
        indeg[b] += 1
    queue = deque(i for i in net.work if indeg[i] == 0)
    order: list[int] = []
    outs = net.outs
    while queue:
        i = queue.popleft()
        order.append(i)
        for b, _, _ in outs[i]:
            indeg[b] -= 1
            if indeg[b] == 0:
                queue.append(b)
    if len(order) < len(net.work):
        left = {i for i in net.work if indeg[i] > 0}
        raise _cycle_error(net.project_id, _find_cycle(left, outs), net.ids, net.names)
    return order


def _find_cycle(left: set[int], outs) -> list[int]:
    """One loop among the nodes Kahn's algorithm could not order (each has a predecessor in ``left``)."""
    preds: dict[int, int] = {}
    for a in left:
        for b, _, _ in outs[a]:
            if b in left:
                preds.setdefault(b, a)
    node = next(iter(sorted(left)))
    seen: dict[int, int] = {}
    path: list[int] = []
    while node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = preds[node]
    loop = path[seen[node] :]
    loop.reverse()  # walk predecessors backwards, so reverse into successor order
    return [*loop, loop[0]]


def _cycle_error(pid: str, loop: list[int], ids: list[str], names: list[str]) -> ScheduleError:
    desc = " -> ".join(f"{ids[i]} ({names[i]})" if names[i] else ids[i] for i in loop)
    return ScheduleError(
        key="schedule.loop",
        params={"project": pid, "loop": desc},
        project_id=pid,
        cycle=[ids[i] for i in loop],
        hint_key="hint.break_loop",
    )


# ----------------------------------------------------------------------------- passes


def _forward(net: _Net, extra: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    n = len(net.ids)
    es = np.full(n, math.nan)
    ef = np.full(n, math.nan)
    esl = es.tolist()
    efl = ef.tolist()
    dur = (net.dur if extra is None else net.dur + extra).tolist()
    rem = (net.rem if extra is None else net.rem + extra).tolist()
    ef_fc = (net.ef_fc if extra is None else net.ef_fc + extra).tolist()
    done = net.done.tolist()
    started = net.started.tolist()
    es_fixed = net.es_fixed.tolist()
    ef_fixed = net.ef_fixed.tolist()
    es_own = net.es_own.tolist()
    es_min = net.es_min.tolist()
    ef_min = net.ef_min.tolist()
    es_force = net.es_force.tolist()
    ef_force = net.ef_force.tolist()
    st = net.status
    ps = net.project_start
    ins = net.ins
    for j in net.order:
        if done[j]:
            esl[j] = es_fixed[j]
            efl[j] = ef_fixed[j]
            continue
        links = ins[j]
        efloor = ef_min[j]
        if started[j]:
            s = es_fixed[j]
            for p, ty, lag in links:
                if ty == FF:
                    efloor = max(efloor, efl[p] + lag)
                elif ty == SF:
                    efloor = max(efloor, esl[p] + lag)
            base = s if math.isnan(st) else max(st, s)
            if ef_fc[j] == ef_fc[j]:  # not NaN
                f = ef_fc[j]
            else:
                f = base + (rem[j] if not math.isnan(st) else dur[j])
            esl[j] = s
            efl[j] = max(f, efloor)
            continue
        d = dur[j]
        e = _NEG_INF
        if not links:
            e = es_own[j]
        else:
            for p, ty, lag in links:
                if ty == FS:
                    v = efl[p] + lag
                    if v > e:
                        e = v
                elif ty == SS:
                    v = esl[p] + lag
                    if v > e:
                        e = v
                elif ty == FF:
                    v = efl[p] + lag
                    if v > efloor:
                        efloor = v
                else:
                    v = esl[p] + lag
                    if v > efloor:
                        efloor = v
            if e == _NEG_INF:
                e = ps
        if es_min[j] > e:
            e = es_min[j]
        f = e + d
        if efloor > f:
            f = efloor
        e = f - d
        if es_force[j] == es_force[j]:  # not NaN
            e = es_force[j]
            f = e + d
        elif ef_force[j] == ef_force[j]:
            f = ef_force[j]
            e = f - d
        esl[j] = e
        efl[j] = f
    return np.array(esl), np.array(efl)


def _project_finish(net: _Net, ef: np.ndarray) -> float:
    vals = ef[net.work]
    vals = vals[~np.isnan(vals)]
    return float(vals.max()) if len(vals) else math.nan


def _backward(net: _Net, es: np.ndarray, ef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(net.ids)
    pf = _project_finish(net, ef)
    lsl = [math.nan] * n
    lfl = [math.nan] * n
    esl = es.tolist()
    efl = ef.tolist()
    done = net.done.tolist()
    started = net.started.tolist()
    cap = net.lf_cap.tolist()
    outs = net.outs
    for i in reversed(net.order):
        if done[i]:
            continue
        d = efl[i] - esl[i]
        lf = efl[i] if net.multiple and not outs[i] else pf
        own_started = started[i]
        for s, ty, lag in outs[i]:
            if done[s]:
                continue
            if started[s] and (ty == FS or ty == SS):
                continue
            if ty == FS:
                v = lsl[s] - lag
            elif ty == FF:
                v = lfl[s] - lag
            elif own_started:
                continue
            elif ty == SS:
                v = lsl[s] - lag + d
            else:
                v = lfl[s] - lag + d
            if v < lf:
                lf = v
        if cap[i] < lf:
            lf = cap[i]
        lfl[i] = lf
        lsl[i] = lf - d
    return np.array(lsl), np.array(lfl)


def _free_float(net: _Net, es: np.ndarray, ef: np.ndarray, tf: np.ndarray) -> np.ndarray:
    """Free float: the smallest slack on any outgoing link (project finish when none), vectorised."""
    n = len(net.ids)
    pf = _project_finish(net, ef)
    ff = np.full(n, math.inf)
    if len(net.lp):
        a, b, ty, lag = net.lp, net.ls_, net.lt, net.lg
        slack = np.select(
            [ty == FS, ty == SS, ty == FF],
            [es[b] - (ef[a] + lag), es[b] - (es[a] + lag), ef[b] - (ef[a] + lag)],
            ef[b] - (es[a] + lag),
        )
        use = (
            ~net.done[b] & ~(net.started[b] & ((ty == FS) | (ty == SS))) & ~(net.started[a] & ((ty == SS) | (ty == SF)))
        )
        np.minimum.at(ff, a[use], slack[use])
    ff = np.where(np.isinf(ff), pf - ef, ff)
    ff = np.minimum(ff, tf)
    ff[net.done | net.summary] = math.nan
    return ff


@dataclass
class ProjectSchedule:
    """One project's CPM result in working-day indexes (used by the DCMA checks)."""

    net: _Net
    es: np.ndarray
    ef: np.ndarray
    ls: np.ndarray
    lf: np.ndarray
    tf: np.ndarray
    ff: np.ndarray
    finish: float  # project finish boundary (working-day index)

    def slip_test(self, row: int, slip: float) -> float:
        """How far the project finish moves when task ``row`` takes ``slip`` more working days."""
        extra = np.zeros(len(self.net.ids))
        extra[row] = slip
        es, ef = _forward(self.net, extra)
        return _project_finish(self.net, ef) - self.finish


def _solve(net: _Net) -> ProjectSchedule:
    es, ef = _forward(net)
    ls, lf = _backward(net, es, ef)
    tf = lf - ef
    tf[net.done | net.summary] = math.nan
    ff = _free_float(net, es, ef, tf)
    return ProjectSchedule(net, es, ef, ls, lf, tf, ff, _project_finish(net, ef))


def _task_arrays(tasks: pd.DataFrame, cal: DayCalendar) -> dict[str, np.ndarray]:
    cd = column(tasks, "constraint_date")
    return {
        "project_id": texts(tasks["project_id"]),
        "task_id": texts(tasks["task_id"]),
        "name": texts(column(tasks, "name", "")),
        "wbs": texts(column(tasks, "wbs", "")),
        "outline": floats(column(tasks, "outline_level")),
        "summary": flags(column(tasks, "is_summary", False)),
        "milestone": flags(column(tasks, "is_milestone", False)),
        "pc": np.nan_to_num(floats(column(tasks, "percent_complete")), nan=0.0),
        "i_start": cal.index(column(tasks, "start"), "forward"),
        "i_finish": cal.index(column(tasks, "finish"), "backward"),
        "i_as": cal.index(column(tasks, "actual_start"), "forward"),
        "i_af": cal.index(column(tasks, "actual_finish"), "backward"),
        "ccode": np.array(
            [-1 if (c := constraint_code(v)) is None else c for v in column(tasks, "constraint_type", None)]
        ),
        "i_cd_f": cal.index(cd, "forward"),
        "i_cd_b": cal.index(cd, "backward"),
        "i_dl_b": cal.index(column(tasks, "deadline"), "backward"),
    }


def schedules(
    tasks: pd.DataFrame,
    links: pd.DataFrame | None,
    status_date=None,
    holidays: Iterable = (),
    remaining: str = "percent",
    errors: list | None = None,
    projects: pd.DataFrame | None = None,
) -> dict[str, ProjectSchedule]:
    """CPM per project, in working-day indexes (``cpm`` turns these into dates). A project
    whose links form a loop raises ``ScheduleError``, or, when an ``errors`` list is given,
    is left out and its error appended to the list. ``projects``: rows whose
    ``multiple_critical_paths`` applies (module doc)."""
    cal = DayCalendar(holidays)
    if tasks is None or tasks.empty:
        return {}
    t = _task_arrays(tasks, cal)
    status = _status_by_project(tasks, status_date)
    lk: dict | None = None
    link_groups: dict[str, np.ndarray] = {}
    if links is not None and len(links):
        lk = _link_arrays(links)
        link_groups = {str(k): g for k, g in _groups(links["project_id"].astype(str)).items()}
    out: dict[str, ProjectSchedule] = {}
    prow = project_rows(projects)
    for pid, rows in _groups(t["project_id"]).items():
        try:
            multi = multiple_critical_paths(prow.get(str(pid)))
            net = _build(str(pid), t, rows, lk, link_groups.get(str(pid)), status.get(str(pid)), cal, remaining, multi)
        except ScheduleError as exc:
            if errors is None:
                raise
            errors.append(exc)
            continue
        out[str(pid)] = _solve(net)
    return out


def cpm(
    tasks: pd.DataFrame,
    links: pd.DataFrame | None,
    status_date=None,
    holidays: Iterable = (),
    near_critical_days: float = 5.0,
    remaining: str = "percent",
    on_error: str = "raise",
    calendars: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Critical path per project: early/late dates, total and free float (working days).

    Projects whose tasks keep working-time durations (``duration_minutes``: MS Project and P6
    files) are computed in working minutes on their own calendars (``cpm_minutes``; their
    ``calendars`` rows and ``projects`` row give calendars, day length, project start and the
    tool's rules) and report float in days of the project's own day length; the others on the
    working-day axis below.

    ``status_date`` defaults to each project's ``status_date`` column. Returns one row per
    task (columns ``CPM_COLUMNS``; dates as ``datetime64``). Raises ``ScheduleError`` when
    links form a loop. Finished tasks keep their actual dates and have no float.
    ``remaining``: "percent" (started work finishes ``ceil(duration x (1 - % complete))``
    working days after the status date) or "forecast" (keep the source tool's finish of
    started work unless it lies before the status date; use this when % complete is a
    physical/cost measure rather than duration complete).
    ``on_error="skip"``: projects whose links form a loop are left out and their messages
    listed in ``result.attrs["errors"]`` instead of raising.
    """
    if tasks is None or tasks.empty:
        return _empty_cpm()
    cal = DayCalendar(holidays)
    parts: list[dict] = []
    errs: list | None = [] if on_error == "skip" else None
    timed = _timed_projects(tasks)
    if timed:
        minute_frames = _minute_cpm(tasks, links, calendars, projects, status_date, near_critical_days, timed, errs)
        tasks = tasks[~tasks["project_id"].astype(str).isin(timed)]
        parts.extend(
            {c: f[c].to_numpy() if c not in ("project_id", "task_id", "name") else f[c].tolist() for c in CPM_COLUMNS}
            for f in minute_frames
        )
        for p in parts:
            p["project_id"] = p["project_id"][0] if len(p["project_id"]) else ""
    prow = project_rows(projects)
    for pid, sch in (
        schedules(tasks, links, status_date, holidays, remaining, errs, projects).items() if len(tasks) else ()
    ):
        parts.append(_to_columns(pid, sch, cal, near_critical_days, critical_slack_at(prow.get(pid), 1.0, 1e-9)))
    if parts:
        # one frame from the concatenated columns (a frame per project and pd.concat cost more)
        cols = {
            c: np.concatenate([p[c] for p in parts]) for c in CPM_COLUMNS if c not in ("project_id", "task_id", "name")
        }
        out = pd.DataFrame(
            {
                "project_id": [p["project_id"] for p in parts for _ in p["task_id"]],
                "task_id": [x for p in parts for x in p["task_id"]],
                "name": [x for p in parts for x in p["name"]],
                **cols,
            }
        )[CPM_COLUMNS]
    else:
        out = _empty_cpm()
    out.attrs["errors"] = [str(e) for e in errs or []]
    out.attrs["error_codes"] = [e.code() for e in errs or []]
    return out


def _timed_projects(tasks: pd.DataFrame) -> set[str]:
    """Projects whose tasks keep working-time durations (read from a scheduling tool's file)."""
    if "duration_minutes" not in tasks.columns or tasks["duration_minutes"].isna().all():
        return set()
    from .cpm_minutes import has_minutes

    return {str(pid) for pid, g in tasks.groupby(tasks["project_id"].astype(str), sort=False) if has_minutes(g)}


def _minute_cpm(tasks, links, calendars, projects, status_date, near, timed: set[str], errs) -> list[pd.DataFrame]:
    from .cpm_minutes import project_cpm

    out = []
    pid_t = tasks["project_id"].astype(str)
    pid_l = links["project_id"].astype(str) if links is not None and len(links) else None
    pid_c = calendars["project_id"].astype(str) if calendars is not None and len(calendars) else None
    prow = project_rows(projects)
    status = _status_by_project(tasks, status_date)
    for pid in sorted(timed):
        try:
            out.append(
                project_cpm(
                    tasks[pid_t == pid],
                    links[pid_l == pid] if pid_l is not None else None,
                    calendars[pid_c == pid] if pid_c is not None else None,
                    prow.get(pid),
                    status.get(pid),
                    near,
                )
            )
        except ScheduleError as exc:
            if errs is None:
                raise
            errs.append(exc)
    return out


def _empty_cpm() -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in CPM_COLUMNS})
    for c in ("early_start", "early_finish", "late_start", "late_finish"):
        df[c] = df[c].astype("datetime64[s]")
    for c in ("total_float_days", "free_float_days", "duration_days"):
        df[c] = df[c].astype(float)
    df["critical"] = df["critical"].astype(bool)
    df["near_critical"] = df["near_critical"].astype(bool)
    return df


def _to_columns(pid: str, sch: ProjectSchedule, cal: DayCalendar, near: float, crit_at: float = 1e-9) -> dict:
    """One project's CPM columns (``CPM_COLUMNS``) as arrays and lists; critical at a total
    float of at most ``crit_at`` days (``critical_slack_at``)."""
    net = sch.net
    ms = net.milestone
    # display: a finish milestone's date is the day before its boundary; a task's finish is EF - 1
    s_off = np.where(net.finish_ms, 1.0, 0.0)
    f_off = np.where(ms, s_off, 1.0)
    es = cal.date(sch.es - s_off)
    ef = cal.date(sch.ef - f_off)
    ls = cal.date(sch.ls - s_off)
    lf = cal.date(sch.lf - f_off)
    tf = sch.tf.copy()
    ff = sch.ff.copy()
    dur = np.where(net.summary, np.nan, sch.ef - sch.es)
    _rollup(net, [es, ls], [ef, lf], [tf, ff])
    if net.summary.any():
        ds = cal.index(es)
        df_ = cal.index(ef)
        dur = np.where(net.summary, df_ - ds + 1, dur)
    crit = np.nan_to_num(tf, nan=math.inf) <= crit_at
    near_c = (~crit) & (np.nan_to_num(tf, nan=math.inf) <= near)
    return {
        "project_id": pid,
        "task_id": net.ids,
        "name": net.names,
        "early_start": es.astype("datetime64[s]"),
        "early_finish": ef.astype("datetime64[s]"),
        "late_start": ls.astype("datetime64[s]"),
        "late_finish": lf.astype("datetime64[s]"),
        "total_float_days": np.asarray(tf, dtype=float),
        "free_float_days": np.asarray(ff, dtype=float),
        "critical": np.asarray(crit, dtype=bool),
        "near_critical": np.asarray(near_c, dtype=bool),
        "duration_days": np.asarray(dur, dtype=float),
    }


def _depths(par: np.ndarray) -> np.ndarray:
    """Depth of each row in the parent forest (vectorised pointer jumping; loops are cut)."""
    depth = np.zeros(len(par), dtype=np.int64)
    anc = par.copy()
    for _ in range(len(par)):
        has = anc >= 0
        if not has.any():
            break
        depth += has
        anc = np.where(has, par[np.maximum(anc, 0)], -1)
    return depth


def _rollup(net: _Net, mins: list[np.ndarray], maxs: list[np.ndarray], fmins: list[np.ndarray]) -> None:
    """Summary rows take min start / max finish / min float of their children, deepest level
    first so nested summaries roll up into their parents (vectorised per level)."""
    summary = net.summary
    if not summary.any():
        return
    par = net.parent
    depth = _depths(par)
    day = [np.where(np.isnat(a), np.nan, a.astype("datetime64[D]").astype(np.int64).astype(float)) for a in mins + maxs]
    for a in day:
        a[summary] = np.nan
    for a in fmins:
        a[summary] = np.nan
    k = len(mins)
    for lvl in range(int(depth.max()), 0, -1):
        rows = np.flatnonzero((depth == lvl) & (par >= 0))
        rows = rows[summary[par[rows]]]
        if not len(rows):
            continue
        p = par[rows]
        for j, a in enumerate(day):
            (np.fmin if j < k else np.fmax).at(a, p, a[rows])
        for a in fmins:
            np.fmin.at(a, p, a[rows])
    for j, arr in enumerate(mins + maxs):
        a = day[j]
        out = np.full(len(a), np.datetime64("NaT"), dtype="datetime64[D]")
        ok = ~np.isnan(a)
        out[ok] = a[ok].astype(np.int64).astype("datetime64[D]")
        arr[summary] = out[summary]


# ----------------------------------------------------------------------------- CLI helper


def schedule_records(
    tasks: pd.DataFrame,
    links: pd.DataFrame | None,
    status_date=None,
    settings=None,
    *,
    calendars: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
) -> list[dict]:
    """CPM rows as JSON-ready dicts (ISO date strings, floats or None) for the CLI; dates of
    projects computed in working minutes keep their time of day (``2003-01-07T08:00``)."""
    holidays = getattr(settings, "holidays", ()) if settings is not None else ()
    near = getattr(settings, "near_critical_days", 5.0) if settings is not None else 5.0
    remaining = getattr(settings, "cpm_remaining", "percent") if settings is not None else "percent"
    df = cpm(
        tasks,
        links,
        status_date=status_date,
        holidays=holidays,
        near_critical_days=near,
        remaining=remaining,
        calendars=calendars,
        projects=projects,
    )
    keys = CPM_COLUMNS[: CPM_COLUMNS.index("near_critical") + 1]  # identity, dates, floats, flags
    out = []
    for row in df[keys].itertuples(index=False):
        rec: dict[str, object] = {}
        for k, v in zip(keys, row, strict=True):
            if k in ("early_start", "early_finish", "late_start", "late_finish"):
                ts = None if pd.isna(v) else pd.Timestamp(v)
                if ts is None:
                    rec[k] = None
                elif ts.hour or ts.minute:
                    rec[k] = ts.isoformat(timespec="minutes")
                else:
                    rec[k] = ts.date().isoformat()
            elif k in ("total_float_days", "free_float_days"):
                rec[k] = None if v is None or v != v else float(v)
            elif k in ("critical", "near_critical"):
                rec[k] = bool(v)
            else:
                rec[k] = v
        out.append(rec)
    return out


# ----------------------------------------------------------------------------- page helpers


def schedule_table(tasks: pd.DataFrame, cpm_result: pd.DataFrame) -> pd.DataFrame:
    """CPM results beside the task's WBS, planned and baseline dates and progress, in
    project/WBS order: what the Gantt page lists and exports."""
    if cpm_result is None or cpm_result.empty:
        return pd.DataFrame()
    cols = [
        c
        for c in ("wbs", "start", "finish", "baseline_finish", "percent_complete", "resource_names")
        if c in tasks.columns
    ]
    info = tasks[["project_id", "task_id", *cols]].copy()
    info["project_id"] = texts(info["project_id"])
    info["task_id"] = texts(info["task_id"])
    out = cpm_result.merge(info, on=["project_id", "task_id"], how="left")
    if "wbs" in out.columns and (out["wbs"].fillna("") != "").all():
        out = (
            out.assign(_k=out["wbs"].map(_natural_key))
            .sort_values(["project_id", "_k"], kind="stable")
            .drop(columns="_k")
        )
    order = ["project_id", "wbs", "task_id", "name", "start", "finish", "baseline_finish", "percent_complete"]
    order += [c for c in CPM_COLUMNS if c not in order and c in out.columns]
    order += [c for c in ("resource_names",) if c in out.columns]
    out = out[[c for c in order if c in out.columns]].reset_index(drop=True)
    return out.rename(columns={"name": "task_name"})


def schedule_kpis(cpm_result: pd.DataFrame, tasks: pd.DataFrame | None = None) -> dict:
    """Counts for the Gantt page: tasks (not summaries), critical, near-critical, forecast finish."""
    if cpm_result is None or cpm_result.empty:
        return {"tasks": 0, "critical": 0, "near_critical": 0, "finish": None}
    work = np.ones(len(cpm_result), dtype=bool)
    if tasks is not None and "is_summary" in tasks.columns:
        marks = zip(texts(tasks["project_id"]), texts(tasks["task_id"]), flags(tasks["is_summary"]), strict=True)
        summ = {(p, t) for p, t, s in marks if s}
        keys = zip(texts(cpm_result["project_id"]), texts(cpm_result["task_id"]), strict=True)
        work = np.array([k not in summ for k in keys], dtype=bool)
    fin = cpm_result["early_finish"].max()
    return {
        "tasks": int(work.sum()),
        "critical": int((cpm_result["critical"].to_numpy(bool) & work).sum()),
        "near_critical": int((cpm_result["near_critical"].to_numpy(bool) & work).sum()),
        "finish": None if pd.isna(fin) else pd.Timestamp(fin).date(),
    }


def select_project(df: pd.DataFrame, project_id: str | None) -> pd.DataFrame:
    """Rows of one project (all rows when ``project_id`` is None)."""
    if project_id is None or df is None or df.empty or "project_id" not in df.columns:
        return df
    return df[df["project_id"].astype(str) == str(project_id)].reset_index(drop=True)


def outline_levels(tasks: pd.DataFrame) -> list[int]:
    """The outline levels present (from ``outline_level``, else WBS depth), ascending."""
    if tasks is None or tasks.empty:
        return []
    lv = pd.to_numeric(column(tasks, "outline_level"), errors="coerce")
    if lv.isna().all() and "wbs" in tasks.columns:
        lv = tasks["wbs"].astype("string").fillna("").str.count(r"\.") + 1
    return sorted({int(v) for v in lv.dropna() if v >= 1})
