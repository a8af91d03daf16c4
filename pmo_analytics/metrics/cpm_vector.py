"""The working-day CPM passes of ``cpm.py`` over many duration samples at once (schedule risk).

The network is ``cpm._build``'s (``cpm.schedules`` builds it: link types FS/SS/FF/SF, lags,
summary links expanded to leaves, progress, constraints, status date); nothing here decides
the network again. ``plan(net)`` prepares it once; ``forward``/``backward`` then run the
rules of ``cpm._forward``/``cpm._backward`` with a column per iteration: arrays of shape
``(tasks, iterations)``. Tasks are taken a *level* at a time (a task's level is one more than
its highest predecessor's), so every numpy call covers all tasks of a level and all
iterations of a chunk; there is no Python loop over tasks per iteration.

Durations may be fractional (sampled); with every sample equal to the deterministic duration
the passes give exactly ``cpm._forward``/``cpm._backward``'s dates and floats
(``tests/test_schedule_risk.py`` checks it on the demo portfolio).

What is sampled per task is ``plan.base_duration``: an unstarted task's duration; a started
task's remaining duration after the status date (or, ``remaining="forecast"``, the time to the
tool's kept finish); finished tasks keep their actual dates (0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .cpm import FF, FS, SF, SS, _Net

CRITICAL_TOLERANCE = 1e-6  # working days: float at or below this is zero (sums of fractional samples)


@dataclass
class _Level:
    rows: np.ndarray  # not-finished work rows of this level
    unstarted: np.ndarray  # positions in ``rows``
    started: np.ndarray  # positions in ``rows``
    # start candidates (FS/SS) into unstarted rows: sources in the stacked (es; ef) array
    s_src: np.ndarray
    s_lag: np.ndarray
    s_cut: np.ndarray  # reduceat offsets
    s_pos: np.ndarray  # positions in ``rows`` of the rows receiving them
    # finish candidates (FF/SF) into any row of the level
    f_src: np.ndarray
    f_lag: np.ndarray
    f_cut: np.ndarray
    f_pos: np.ndarray
    # backward: links out of this level's rows, sources in the stacked (ls; lf) array
    b_src: np.ndarray
    b_lag: np.ndarray
    b_add: np.ndarray  # SS/SF: add the predecessor's own duration
    b_cut: np.ndarray
    b_pos: np.ndarray  # positions in ``rows`` of the predecessors


@dataclass
class Plan:
    """A network prepared for the sampled passes (one per project, reused for every chunk)."""

    net: _Net
    n: int
    work: np.ndarray  # rows of work (non-summary) tasks
    done: np.ndarray  # rows of finished work tasks
    base_duration: np.ndarray  # what is sampled per row (0 for finished and summary rows)
    start_base: np.ndarray  # started rows: where their remaining work begins
    e_const: np.ndarray  # unstarted rows without start links: own start, or the project start
    finish_offset: np.ndarray  # EF - offset = the day index of the finish date (cpm._to_columns)
    levels: list[_Level] = field(default_factory=list)


def _grouped(targets: list[int], *cols: list) -> tuple:
    """Sort link columns by their target row; reduceat offsets and the distinct targets."""
    if not targets:
        empty = np.zeros(0, dtype=np.int64)
        return (empty, *[np.zeros(0) for _ in cols], empty)
    t = np.asarray(targets, dtype=np.int64)
    order = np.argsort(t, kind="stable")
    t = t[order]
    cut = np.flatnonzero(np.r_[True, t[1:] != t[:-1]])
    return (t[cut], *[np.asarray(c)[order] for c in cols], cut)


def plan(net: _Net) -> Plan:
    """Levels, link groups and constant arrays of ``net`` for ``forward``/``backward``."""
    n = len(net.ids)
    done, started = net.done, net.started
    st = net.status
    # what is sampled: cpm._forward's duration of each task's remaining work
    s = net.es_fixed
    start_base = s if math.isnan(st) else np.maximum(st, s)
    rem = net.rem if not math.isnan(st) else net.dur
    rem = np.where(np.isnan(net.ef_fc), rem, net.ef_fc - start_base)
    base = np.where(started, rem, net.dur)
    base = np.where(done | net.summary, 0.0, base)
    has_in = np.array([bool(x) for x in net.ins], dtype=bool)
    e_const = np.where(has_in, net.project_start, net.es_own)
    f_off = np.where(net.milestone, np.where(net.finish_ms, 1.0, 0.0), 1.0)

    level = np.zeros(n, dtype=np.int64)
    for j in net.order:
        for p, _, _ in net.ins[j]:
            if level[p] + 1 > level[j]:
                level[j] = level[p] + 1
    work = np.asarray(net.order, dtype=np.int64)
    live = work[~done[work]]
    out = Plan(net, n, np.sort(work), np.flatnonzero(done & ~net.summary), base, start_base, e_const, f_off)
    if not len(live):
        return out
    by_level: dict[int, list[int]] = {}
    for j in live.tolist():
        by_level.setdefault(int(level[j]), []).append(j)
    for lv in sorted(by_level):
        rows = np.asarray(sorted(by_level[lv]), dtype=np.int64)
        pos = {int(r): i for i, r in enumerate(rows.tolist())}
        s_t, s_src, s_lag = [], [], []
        f_t, f_src, f_lag = [], [], []
        b_t, b_src, b_lag, b_add = [], [], [], []
        for j in rows.tolist():
            for p, ty, lag in net.ins[j]:
                if ty in (FS, SS):
                    if started[j]:
                        continue  # progress override: start logic into started work is ignored
                    s_t.append(pos[j])
                    s_src.append(p + (n if ty == FS else 0))
                    s_lag.append(lag)
                else:
                    f_t.append(pos[j])
                    f_src.append(p + (n if ty == FF else 0))
                    f_lag.append(lag)
            for q, ty, lag in net.outs[j]:
                if done[q] or (started[q] and ty in (FS, SS)):
                    continue
                if started[j] and ty in (SS, SF):
                    continue
                b_t.append(pos[j])
                b_src.append(q + (n if ty in (FF, SF) else 0))
                b_lag.append(lag)
                b_add.append(ty in (SS, SF))
        s_pos, s_src_a, s_lag_a, s_cut = _grouped(s_t, s_src, s_lag)
        f_pos, f_src_a, f_lag_a, f_cut = _grouped(f_t, f_src, f_lag)
        b_pos, b_src_a, b_lag_a, b_add_a, b_cut = _grouped(b_t, b_src, b_lag, b_add)
        out.levels.append(
            _Level(
                rows=rows,
                unstarted=np.flatnonzero(~started[rows]),
                started=np.flatnonzero(started[rows]),
                s_src=s_src_a.astype(np.int64),
                s_lag=s_lag_a.astype(float)[:, None],
                s_cut=s_cut,
                s_pos=s_pos,
                f_src=f_src_a.astype(np.int64),
                f_lag=f_lag_a.astype(float)[:, None],
                f_cut=f_cut,
                f_pos=f_pos,
                b_src=b_src_a.astype(np.int64),
                b_lag=b_lag_a.astype(float)[:, None],
                b_add=b_add_a.astype(bool),
                b_cut=b_cut,
                b_pos=b_pos,
            )
        )
    return out


def forward(p: Plan, dur: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Early dates for every column of ``dur`` (``(tasks, k)`` sampled ``base_duration``):
    the stacked array ``(2 * tasks, k)``, early starts above early finishes (rows of summary
    tasks are left as they are in ``out``, NaN when it is created here). ``out`` (reused across
    chunks) saves allocating and faulting in a fresh array each time."""
    net, n = p.net, p.n
    k = dur.shape[1]
    e = np.full((2 * n, k), np.nan) if out is None or out.shape != (2 * n, k) else out
    if len(p.done):
        e[p.done] = net.es_fixed[p.done, None]
        e[p.done + n] = net.ef_fixed[p.done, None]
    for lv in p.levels:
        rows = lv.rows
        efloor = np.repeat(net.ef_min[rows, None], k, axis=1)
        if len(lv.f_src):
            cand = np.maximum.reduceat(e[lv.f_src] + lv.f_lag, lv.f_cut, axis=0)
            efloor[lv.f_pos] = np.maximum(efloor[lv.f_pos], cand)
        d = dur[rows]
        u = lv.unstarted
        if len(u) == len(rows):  # the usual level: no started work
            eu, du, fl, ru = _early_unstarted(p, lv, e, d, efloor, rows, k)
            e[rows] = eu
            e[rows + n] = fl
            continue
        es = np.empty((len(rows), k))
        ef = np.empty((len(rows), k))
        if len(u):
            eu, du, fu, _ = _early_unstarted(p, lv, e, d[u], efloor[u], rows[u], k)
            es[u] = eu
            ef[u] = fu
        sp = lv.started
        if len(sp):
            rs = rows[sp]
            es[sp] = net.es_fixed[rs, None]
            ef[sp] = np.maximum(p.start_base[rs, None] + d[sp], efloor[sp])
        e[rows] = es
        e[rows + n] = ef
    return e


def _early_unstarted(p: Plan, lv: _Level, e: np.ndarray, du: np.ndarray, efloor: np.ndarray, ru: np.ndarray, k: int):
    """``cpm._forward``'s rule for unstarted work: latest start-type candidate (own start or
    the project start without one), status-date/SNET floor, finish floors (FF/SF, FNET), then
    Must Start On / Must Finish On."""
    net = p.net
    eu = np.repeat(p.e_const[ru, None], k, axis=1)
    if len(lv.s_src):
        cand = np.maximum.reduceat(e[lv.s_src] + lv.s_lag, lv.s_cut, axis=0)
        # s_pos are positions in the level's rows, all of them unstarted rows
        eu[np.searchsorted(lv.unstarted, lv.s_pos)] = cand
    np.maximum(eu, net.es_min[ru, None], out=eu)
    fu = eu + du
    np.maximum(fu, efloor, out=fu)
    eu = fu - du
    fs, ff = net.es_force[ru], net.ef_force[ru]
    m_s = ~np.isnan(fs)
    if m_s.any():
        eu[m_s] = fs[m_s, None]
        fu[m_s] = eu[m_s] + du[m_s]
    m_f = ~m_s & ~np.isnan(ff)
    if m_f.any():
        fu[m_f] = ff[m_f, None]
        eu[m_f] = fu[m_f] - du[m_f]
    return eu, du, fu, ru


def finish(p: Plan, e: np.ndarray) -> np.ndarray:
    """The project finish boundary of each column (``cpm._project_finish``)."""
    return np.nanmax(e[p.work + p.n], axis=0) if len(p.work) else np.full(e.shape[1], np.nan)


def backward(
    p: Plan, e: np.ndarray, *, late: np.ndarray | None = None, critical: np.ndarray | None = None
) -> np.ndarray | None:
    """Total float of every column (``cpm._backward``: late finish no later than the project
    finish, successors' late dates, hard-constraint caps), from the early dates of ``forward``.

    Returns the ``(tasks, k)`` float (NaN for finished and summary rows); with ``critical``
    given (a ``(tasks,)`` count array) adds each row's number of columns with float at or
    below ``CRITICAL_TOLERANCE`` to it instead and returns None (no float array kept).
    ``late`` is a reusable ``(2 * tasks, k)`` buffer."""
    net, n = p.net, p.n
    k = e.shape[1]
    pf = finish(p, e)
    if late is None or late.shape != (2 * n, k):
        late = np.empty((2 * n, k))
    tf = np.full((n, k) if critical is None else (0, 0), np.nan)
    for lv in reversed(p.levels):
        rows = lv.rows
        ef = e[rows + n]
        d = ef - e[rows]
        lf = np.repeat(pf[None, :], len(rows), axis=0)
        if len(lv.b_src):
            vals = late[lv.b_src] - lv.b_lag
            if lv.b_add.any():
                owner = np.repeat(np.arange(len(lv.b_cut)), np.diff(np.r_[lv.b_cut, len(lv.b_src)]))
                vals[lv.b_add] += d[lv.b_pos[owner[lv.b_add]]]
            cand = np.minimum.reduceat(vals, lv.b_cut, axis=0)
            lf[lv.b_pos] = np.minimum(lf[lv.b_pos], cand)
        np.minimum(lf, net.lf_cap[rows, None], out=lf)
        late[rows + n] = lf
        late[rows] = lf - d
        lf -= ef
        if critical is None:
            tf[rows] = lf
        else:
            critical[rows] += np.count_nonzero(lf <= CRITICAL_TOLERANCE, axis=1)
    return tf if critical is None else None
