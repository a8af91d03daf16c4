"""Gantt chart: current bars with progress fill, baseline ghost bars, milestones, critical path,
dependency arrows, status-date and today lines. DataFrames in, ``go.Figure`` out.

Kept fast at thousands of tasks by using a handful of ``go.Bar`` traces (``base`` = start,
``x`` = duration in milliseconds on a date axis) instead of one trace per colour; beyond
``max_bars`` rows the chart collapses to the deepest outline level that fits.
Every trace carries a stable ``meta`` key ("baseline", "task", "critical", "summary",
"progress", "milestone", "baseline_milestone", "links", "arrows") for tests and callers.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import escape
from ..i18n import t
from ..metrics.columns import column, flags, floats, texts
from ..metrics.cpm import _natural_key, link_type_code
from ..metrics.working_time import DayCalendar, to_days
from .style import localise_dates

COLOURS = {
    "task": "#5b8def",
    "critical": "#d32f2f",
    "summary": "#37474f",
    "project": "#263238",
    "baseline": "rgba(120,130,140,0.45)",
    "progress": "rgba(0,0,0,0.38)",
    "milestone": "#212121",
    "links": "rgba(90,90,90,0.55)",
    "status": "#ef6c00",
    "today": "#6a1b9a",
}
DAY_MS = 86_400_000
ROW_PX = 22
VISIBLE_ROWS = 40
LINK_LIMIT = 300
# the opening window: months shown around the status date (a quarter before, three after)
WINDOWS = {"status": 3, "half": 6, "year": 12, "all": None}
LEAD_IN_ROWS = 3  # rows shown above the first open critical task


def _iso(d: np.ndarray) -> np.ndarray:
    """ISO date strings (None where missing) as an object array (cheap to index)."""
    d = np.asarray(d).astype("datetime64[D]")
    return np.where(np.isnat(d), None, d.astype(str)).astype(object)


def prepare_rows(
    tasks: pd.DataFrame,
    cpm_result: pd.DataFrame | None = None,
    *,
    max_level: int | None = None,
    collapse: bool = False,
    max_bars: int = 5000,
    holidays=(),
    project_names: dict | None = None,
    critical_only: bool = False,
) -> tuple[pd.DataFrame, dict]:
    """The rows the Gantt draws, in display order (project, then WBS/outline), with
    ``level``, ``label``, ``critical``, ``total_float_days``, ``variance_days``; and notes
    about what was collapsed ({"shown", "total", "level"})."""
    n0 = 0 if tasks is None else len(tasks)
    notes = {"shown": 0, "total": n0, "level": None}
    if tasks is None or tasks.empty:
        return pd.DataFrame(), notes
    df = pd.DataFrame(
        {
            "project_id": texts(tasks["project_id"]),
            "task_id": texts(tasks["task_id"]),
            "name": texts(column(tasks, "name", "")),
            "wbs": texts(column(tasks, "wbs", "")),
            "outline_level": floats(column(tasks, "outline_level")),
            "is_summary": flags(column(tasks, "is_summary", False)),
            "is_milestone": flags(column(tasks, "is_milestone", False)),
            "start": to_days(column(tasks, "start")),
            "finish": to_days(column(tasks, "finish")),
            "baseline_start": to_days(column(tasks, "baseline_start")),
            "baseline_finish": to_days(column(tasks, "baseline_finish")),
            "percent_complete": np.clip(np.nan_to_num(floats(column(tasks, "percent_complete")), nan=0.0), 0, 1),
            "resource_names": texts(column(tasks, "resource_names", "")),
            "file_float": floats(column(tasks, "total_float_days")),
            "_row": np.arange(len(tasks)),
        }
    )
    df["is_milestone"] = df["is_milestone"] & ~df["is_summary"]
    df["start"] = df["start"].where(df["start"].notna(), df["finish"])
    df["finish"] = df["finish"].where(df["finish"].notna(), df["start"])
    df = df[df["start"].notna()].copy()
    # level: outline level, else WBS depth, else 1
    wbs_depth = df["wbs"].map(lambda w: w.count(".") + 1 if w else 1).astype(float)
    df["level"] = df["outline_level"].where(df["outline_level"].notna(), wbs_depth).clip(lower=1).astype(int)
    if cpm_result is not None and len(cpm_result):
        keep = [
            k
            for k in ("project_id", "task_id", "critical", "near_critical", "total_float_days", "criticality_index")
            if k in cpm_result.columns
        ]
        c = cpm_result[keep].copy()
        c["project_id"] = texts(c["project_id"])
        c["task_id"] = texts(c["task_id"])
        df = df.merge(c, on=["project_id", "task_id"], how="left")
        df["critical"] = df["critical"].fillna(False).astype(bool)
        if "near_critical" not in df.columns:
            df["near_critical"] = False
        df["near_critical"] = df["near_critical"].fillna(False).astype(bool)
    else:
        df["total_float_days"] = df["file_float"]
        df["critical"] = np.nan_to_num(df["file_float"].to_numpy(float), nan=math.inf) <= 0
        df["near_critical"] = False
    cal = DayCalendar(holidays)
    df["variance_days"] = cal.diff(df["baseline_finish"].to_numpy(), df["finish"].to_numpy())
    # order: project, then WBS (natural) when every row has one, else the file order
    if (df["wbs"] != "").all():
        df["_k"] = df["wbs"].map(_natural_key)
        df = df.sort_values(["project_id", "_k", "_row"], key=None, kind="stable")
        df = df.drop(columns="_k")
    else:
        df = df.sort_values(["project_id", "_row"], kind="stable")
    if critical_only:
        df = df[df["critical"] | df["near_critical"] | df["is_summary"]]
    if collapse:
        df = df[df["is_summary"] | (df["level"] <= 1)]
    if max_level is not None:
        df = df[df["level"] <= max_level]
    if len(df) > max_bars:
        counts = df.groupby("level").size().sort_index().cumsum()
        fits = counts[counts <= max_bars]
        if len(fits):
            lvl = int(fits.index.max())
            df = df[df["level"] <= lvl]
            notes["level"] = lvl
        if len(df) > max_bars:
            df = df.iloc[:max_bars]
    df["_head"] = False
    projects = df["project_id"].unique()
    if len(projects) > 1:  # a header row per project
        names = project_names or {}
        parts = []
        for p, g in df.groupby("project_id", sort=False):
            head = {
                "project_id": p,
                "task_id": "",
                "name": f"{p} · {names[p]}" if names.get(p) else p,
                "wbs": "",
                "is_summary": True,
                "is_milestone": False,
                "start": g["start"].min(),
                "finish": g["finish"].max(),
                "level": 0,
                "critical": False,
                "percent_complete": 0.0,
                "resource_names": "",
                "_head": True,
            }
            parts += [pd.DataFrame([head]), g]
        df = pd.concat(parts, ignore_index=True)
    df = df.reset_index(drop=True)
    names = df["name"].str.slice(0, 48)
    df["label"] = [(f"{w} " if w else "") + n for w, n in zip(df["wbs"], names, strict=True)]
    df.loc[df["_head"], "label"] = df.loc[df["_head"], "name"]
    notes["shown"] = int((~df["_head"]).sum())
    return df, notes


def gantt_figure(
    tasks: pd.DataFrame,
    links: pd.DataFrame | None = None,
    cpm_result: pd.DataFrame | None = None,
    status_date: date | None = None,
    lang: str = "en",
    show_links: bool | None = None,
    *,
    max_level: int | None = None,
    collapse: bool = False,
    today: date | None = None,
    max_bars: int = 5000,
    holidays=(),
    project_names: dict | None = None,
    critical_only: bool = False,
    window: str = "status",
) -> go.Figure:
    """A Gantt chart of ``tasks`` (canonical columns), grouped by project then WBS/outline.

    Bars show current start..finish (inclusive) with a percent-complete fill; thin grey
    bars show the baseline; milestones are diamonds; critical tasks (from ``cpm_result``,
    else the table's total float <= 0) are red. Dependency arrows are drawn when
    ``show_links`` is True, or when None and at most 300 rows are shown. ``collapse`` keeps
    summary and top-level rows; ``max_level`` keeps rows down to that outline level;
    ``critical_only`` keeps critical and near-critical tasks (and summaries).

    It opens on ``window`` (a key of ``WINDOWS``): that many months around the status date
    (a quarter before it), on the rows from just above the first critical task still open at
    the status date (else the first task still open); "all" (or no status date) shows the whole
    plan from the first row. The rest is a drag (pan) or a wheel (zoom) away.
    """
    df, notes = prepare_rows(
        tasks,
        cpm_result,
        max_level=max_level,
        collapse=collapse,
        max_bars=max_bars,
        holidays=holidays,
        project_names=project_names,
        critical_only=critical_only,
    )
    fig = go.Figure()
    if df.empty:
        fig.add_annotation(text=t("gantt.no_tasks", lang), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
        fig.update_layout(height=200, xaxis=dict(visible=False), yaxis=dict(visible=False))
        return fig
    n = len(df)
    y = np.arange(n)
    start = df["start"].to_numpy().astype("datetime64[D]")
    finish = df["finish"].to_numpy().astype("datetime64[D]")
    end = finish + np.timedelta64(1, "D")  # bars end after the last day
    dur_ms = (end - start).astype("timedelta64[ms]").astype(np.int64)
    ms = df["is_milestone"].to_numpy(bool)
    summ = df["is_summary"].to_numpy(bool)
    head = df["_head"].to_numpy(bool)
    crit = df["critical"].to_numpy(bool)
    pc = df["percent_complete"].to_numpy(float)
    start_s = _iso(start)

    # hover text: one string per row (dates, baseline variance, float, resources)
    L = {
        k: t(f"gantt.hover.{k}", lang)
        for k in ("start", "finish", "baseline", "variance", "float", "resources", "complete")
    }
    bs = df["baseline_start"].to_numpy() if "baseline_start" in df else np.full(n, np.datetime64("NaT"))
    bf = df["baseline_finish"].to_numpy() if "baseline_finish" in df else np.full(n, np.datetime64("NaT"))
    bs = np.asarray(bs).astype("datetime64[D]")
    bf = np.asarray(bf).astype("datetime64[D]")
    var = df["variance_days"].to_numpy(float) if "variance_days" in df else np.full(n, np.nan)
    tfl = df["total_float_days"].to_numpy(float) if "total_float_days" in df else np.full(n, np.nan)
    # schedule risk's criticality index (share of simulated runs in which the task was critical)
    cix = df["criticality_index"].to_numpy(float).tolist() if "criticality_index" in df else [math.nan] * n
    cix_label = t("srisk.gantt_hover", lang)
    res = df["resource_names"].to_numpy(object)
    labels = [_esc(x.strip()) for x in df["label"].tolist()]
    s_str = start.astype(str).tolist()
    f_str = finish.astype(str).tolist()
    bs_str = np.where(np.isnat(bs), "—", bs.astype(str)).tolist()
    bf_str = np.where(np.isnat(bf), "—", bf.astype(str)).tolist()
    has_b = (~np.isnat(bs) | ~np.isnat(bf)).tolist()
    var_l, tfl_l, pc_l, head_l = var.tolist(), tfl.tolist(), pc.tolist(), head.tolist()
    res_l = [str(x) if x else "" for x in res.tolist()]
    hover = []
    for i in range(n):
        parts = [f"<b>{labels[i]}</b>", f"{L['start']}: {s_str[i]} · {L['finish']}: {f_str[i]}"]
        if not head_l[i]:
            if has_b[i]:
                v = "" if math.isnan(var_l[i]) else f" · {L['variance']}: {var_l[i]:+.0f}"
                parts.append(f"{L['baseline']}: {bs_str[i]} → {bf_str[i]}{v}")
            if not math.isnan(tfl_l[i]):
                parts.append(f"{L['float']}: {tfl_l[i]:.0f}")
            if not math.isnan(cix[i]):
                parts.append(f"{cix_label}: {cix[i]:.0%}")
            if pc_l[i] > 0:
                parts.append(f"{L['complete']}: {pc_l[i]:.0%}")
            if res_l[i]:
                parts.append(f"{L['resources']}: {_esc(res_l[i][:80])}")
        hover.append("<br>".join(parts))
    hover = np.array(hover, dtype=object)

    def bar(mask, key, colour, width, name, base=None, x=None, yy=None, hover_on=True, opacity=None):
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        if isinstance(colour, np.ndarray):  # one colour per row (criticality index)
            colour = colour[idx].tolist()
        fig.add_trace(
            go.Bar(
                orientation="h",
                y=(y if yy is None else yy)[idx],
                base=(start_s if base is None else base)[idx],
                x=(dur_ms if x is None else x)[idx],
                width=width,
                marker=dict(color=colour, line=dict(width=0)),
                opacity=opacity,
                name=name,
                meta=key,
                legendgroup=key,
                hovertext=hover[idx] if hover_on else None,
                hoverinfo="text" if hover_on else "skip",
                customdata=df["task_id"].to_numpy(object)[idx],
            )
        )

    # baseline ghost bars, slightly below the row centre
    has_base = ~np.isnat(bs) & ~np.isnat(bf) & ~ms & ~head
    if has_base.any():
        b_end = np.where(has_base, bf + np.timedelta64(1, "D"), bf)
        b_ms = np.where(has_base, (b_end - bs).astype("timedelta64[ms]").astype(np.int64), 0)
        bar(has_base, "baseline", COLOURS["baseline"], 0.18, t("gantt.baseline", lang), base=_iso(bs), x=b_ms,
            yy=y + 0.32, hover_on=False)  # fmt: skip
    bar(head, "project", COLOURS["project"], 0.5, t("gantt.project", lang))
    bar(summ & ~head, "summary", COLOURS["summary"], 0.3, t("gantt.summary", lang))
    # with schedule risk's criticality index: task bars shaded from the task colour (never
    # critical in the simulation) to the critical colour (critical in every run)
    shade = _criticality_colours(np.asarray(cix, dtype=float)) if not np.isnan(cix).all() else None
    bar(~summ & ~ms & ~crit, "task", shade if shade is not None else COLOURS["task"], 0.55, t("gantt.task", lang))
    bar(~summ & ~ms & crit, "critical", shade if shade is not None else COLOURS["critical"], 0.55,
        t("gantt.critical", lang))  # fmt: skip
    prog = ~summ & ~ms & (pc > 0)
    bar(
        prog,
        "progress",
        COLOURS["progress"],
        0.2,
        t("gantt.progress", lang),
        x=(dur_ms * pc).astype(np.int64),
        hover_on=False,
    )

    # milestones (diamonds at their date; critical ones red), baseline milestones hollow.
    # A milestone sits at the end of its day (like MS Project's 17:00) unless it only starts
    # work (no predecessor but successors: a kick-off sits at the start of its day).
    mi = np.flatnonzero(ms)
    ms_x = end.copy()
    if links is not None and len(links) and len(mi):
        lp = texts(links["project_id"])
        has_in = set(zip(lp, texts(links["succ_task_id"]), strict=True))
        has_out = set(zip(lp, texts(links["pred_task_id"]), strict=True))
        pid = df["project_id"].to_numpy(object)
        tid = df["task_id"].to_numpy(object)
        for i in mi:
            if (pid[i], tid[i]) not in has_in and (pid[i], tid[i]) in has_out:
                ms_x[i] = start[i]
    if len(mi):
        fig.add_trace(
            go.Scatter(
                x=[str(ms_x[i]) for i in mi],
                y=y[mi],
                mode="markers",
                marker=dict(
                    symbol="diamond",
                    size=12,
                    color=[COLOURS["critical"] if crit[i] else COLOURS["milestone"] for i in mi],
                ),
                name=t("gantt.milestone", lang),
                meta="milestone",
                hovertext=hover[mi],
                hoverinfo="text",
                customdata=df["task_id"].to_numpy(object)[mi],
            )
        )
        bmi = [i for i in mi if not np.isnat(bf[i])]
        if bmi:
            fig.add_trace(
                go.Scatter(
                    x=[str(bf[i] + np.timedelta64(1, "D")) for i in bmi],
                    y=y[bmi] + 0.32,
                    mode="markers",
                    marker=dict(symbol="diamond-open", size=9, color="rgb(120,130,140)"),
                    name=t("gantt.baseline_milestone", lang),
                    meta="baseline_milestone",
                    hoverinfo="skip",
                )
            )

    # dependency arrows
    if show_links is None:
        show_links = notes["shown"] <= LINK_LIMIT
    if show_links and links is not None and len(links):
        _add_links(fig, df, links, y, start, end, ms, ms_x, lang)

    # status date and today lines
    shapes = []
    for key, d, colour, dash in (
        ("status", status_date, COLOURS["status"], "dash"),
        ("today", today or date.today(), COLOURS["today"], "dot"),
    ):
        if d is None:
            continue
        x = str(to_days([d])[0])
        if x == "NaT":
            continue
        shapes.append(dict(type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1, line=dict(color=colour, width=1.5, dash=dash),
                           name=key))  # fmt: skip
        fig.add_annotation(x=x, y=0, xref="x", yref="paper", text=t(f"gantt.{key}_line", lang), showarrow=False,
                           yanchor="bottom", xanchor="left", bgcolor="rgba(255,255,255,0.8)",
                           font=dict(color=colour, size=11), name=key)  # fmt: skip

    # x range: the whole plan (bars, milestones, status date) with a little room either side,
    # then the opening window around the status date inside it
    sd = to_days([status_date])[0] if status_date is not None else np.datetime64("NaT")
    lo = [start.min()] + ([sd] if not np.isnat(sd) else [])
    hi = [end.max()] + ([sd] if not np.isnat(sd) else [])
    lo = min(x for x in lo if not np.isnat(x))
    hi = max(x for x in hi if not np.isnat(x))
    pad = max(np.timedelta64(1, "D"), (hi - lo) // 50)
    first, last = lo - pad, hi + pad
    months = WINDOWS.get(window)
    if months is not None and not np.isnat(sd):
        span = np.timedelta64(round(months * 30.44), "D")
        w0 = sd - span // 4
        w1 = w0 + span
        first, last = max(first, w0), min(last, w1)
        if first >= last:  # a plan entirely outside the window: show the plan
            first, last = lo - pad, hi + pad
    x_range = [str(first), str(last)]
    visible = min(n, VISIBLE_ROWS)
    row0 = opening_row(end, crit & ~summ, ~summ & ~head, sd) if months is not None else 0
    row0 = max(0, min(row0 - LEAD_IN_ROWS, n - visible))
    title = None
    if notes["level"] is not None or (notes["shown"] < notes["total"] and not collapse and max_level is None):
        title = t("gantt.collapsed_note", lang, shown=notes["shown"], total=notes["total"])
    fig.update_layout(
        barmode="overlay",
        shapes=shapes,
        height=120 + ROW_PX * visible,
        margin=dict(l=10, r=10, t=60 if title else 40, b=30),
        title=dict(text=title, font=dict(size=12)) if title else None,
        xaxis=dict(type="date", range=x_range, showgrid=True, gridcolor="rgba(0,0,0,0.06)", side="top"),
        yaxis=dict(
            tickmode="array",
            tickvals=y.tolist(),
            ticktext=[f"<b>{x}</b>" if b else x for x, b in zip(labels, summ, strict=True)],
            range=[row0 + visible - 0.5, row0 - 0.6],
            automargin=True,
            showgrid=False,
            zeroline=False,
            fixedrange=False,
        ),
        dragmode="pan",
        legend=dict(orientation="h", yanchor="top", y=-0.02),
        hovermode="closest",
        bargap=0,
        plot_bgcolor="white",
    )
    return localise_dates(fig, lang)


def _criticality_colours(ci: np.ndarray) -> np.ndarray:
    """A colour per row between the task colour (index 0) and the critical colour (1); rows
    without an index keep the task colour."""

    def rgb(h: str) -> np.ndarray:
        return np.array([int(h[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)

    lo, hi = rgb(COLOURS["task"]), rgb(COLOURS["critical"])
    w = np.clip(np.nan_to_num(ci, nan=0.0), 0, 1)[:, None]
    mix = np.rint(lo + (hi - lo) * w).astype(int)
    return np.array([f"#{r:02x}{g:02x}{b:02x}" for r, g, b in mix.tolist()], dtype=object)


def opening_row(end: np.ndarray, critical: np.ndarray, task: np.ndarray, status: np.datetime64) -> int:
    """Row index the Gantt opens on: the first critical task still open at ``status`` (its bar
    ends after it), else the first task still open, else the first row (``status`` missing or
    everything finished)."""
    if np.isnat(status):
        return 0
    open_ = end > status
    for mask in (critical & open_, task & open_):
        idx = np.flatnonzero(mask)
        if len(idx):
            return int(idx[0])
    return 0


def _esc(text: str) -> str:
    """Plotly hover text is HTML-ish: escape user text so it is shown, never interpreted."""
    return escape.html(text)


def _add_links(fig: go.Figure, df: pd.DataFrame, links: pd.DataFrame, y, start, end, ms, ms_x, lang: str) -> None:
    key = {(p, tid): i for i, (p, tid) in enumerate(zip(df["project_id"], df["task_id"], strict=True)) if tid}
    lp = texts(links["project_id"])
    pred = texts(links["pred_task_id"])
    succ = texts(links["succ_task_id"])
    types = [("FS", "SS", "FF", "SF")[link_type_code(v)] for v in column(links, "type", None)]
    # a milestone is a point: its start and end are the same instant
    s_x = np.where(ms, ms_x, start)
    e_x = np.where(ms, ms_x, end)
    xs: list = []
    ys: list = []
    ax: list = []
    ay: list = []
    for p, a, b, ty in zip(lp, pred, succ, types, strict=True):
        i, j = key.get((p, a)), key.get((p, b))
        if i is None or j is None:
            continue
        x0 = e_x[i] if ty in ("FS", "FF") else s_x[i]
        x1 = s_x[j] if ty in ("FS", "SS") else e_x[j]
        x0s, x1s = str(x0), str(x1)
        # elbow: out of the predecessor, down to the successor's row, into the successor
        xs += [x0s, x0s, x1s, None]
        ys += [y[i], y[j], y[j], None]
        ax.append(x1s)
        ay.append(y[j])
    if not ax:
        return
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line=dict(color=COLOURS["links"], width=1),
            hoverinfo="skip",
            name=t("gantt.links", lang),
            meta="links",
            showlegend=False,
        )  # fmt: skip
    )
    fig.add_trace(
        go.Scatter(
            x=ax,
            y=ay,
            mode="markers",
            marker=dict(symbol="triangle-right", size=7, color=COLOURS["links"]),
            hoverinfo="skip",
            name=t("gantt.links", lang),
            meta="arrows",
            showlegend=False,
        )  # fmt: skip
    )
