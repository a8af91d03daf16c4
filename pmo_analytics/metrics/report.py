"""The weekly status report (周报): a status date compared with the previous one.

Inputs are the store's history frames (every status date): tasks, projects, evm_periods,
risks, plus the managers' notes. Numbers come from the existing engines:
``metrics.evm`` (project metrics, portfolio roll-up with earned schedule), ``metrics.health``
(RAG per indicator), ``metrics.milestones.milestone_history`` and ``metrics.risk``.

Dates: the report date D (default: the latest status date in the inputs; a date that is not
a status date, e.g. today's in a scheduled job, means the latest status date on or before it)
and the previous date P (default: the latest status date before D in the inputs). Each project is taken as
known at D and at P: its latest snapshot on or before the date (a project that did not
report at D keeps its last values; ``reported_on`` says when, and the ``stale`` flag says so
when that is more than one reporting period before D). The
portfolio is the sum of those project rows (sum, then divide; SPI(t) from the summed PV
curves), so portfolio and project numbers always agree.

Sections:

- overall RAG per project and for the portfolio, and why, as codes: each project's is the
  health engine's decision (``metrics.health.assess`` on its row at D, as of D:
  ``rag``, ``rag_reasons``, ``flags``); the portfolio's is the same rule
  (``metrics.health.decide``) on the portfolio roll-up: CPI, SPI(t) else SPI, open threat
  exposure as a share of BAC (no milestone part). Words are made at the edge
  (``pmo_analytics.health_text``).
- key metrics CPI, SPI, SPI(t), EAC (= BAC/CPI), VAC, risk exposure (open threat EMV) at
  P and D with delta = D - P (missing when either side is missing).
- milestones (non-summary tasks flagged ``is_milestone``): completed (done at D, not done
  or absent at P), due (not done, forecast finish after D and at most ``due_days`` later),
  slipped (not done at D, and either in both, not done at P, forecast finish later at D than
  at P, or forecast finish on or before D: its date passed without completion, moved or not;
  ``moved_days`` in calendar days, missing when absent at P, also shown for completed ones).
  Forecast finish = actual finish, else planned finish.
- risks: new (open at D, absent at P), top (each project's ``top_n`` open threats by EMV)
  and the portfolio's ten largest.
- notes: the latest note per project saved for the status date D.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from ..errors import NotFoundError
from ..frames import snapshot
from ..settings import Settings
from . import evm, fx, health
from . import risk as risk_mod
from .changes import status_dates
from .columns import to_float
from .milestones import milestone_history

KEY_METRICS = ("cpi", "spi", "spi_t", "eac_cpi", "vac", "risk_exposure")
TOTALS = ("bac", "pv", "ev", "ac")  # the portfolio's converted money totals in the report
MONEY_METRICS = ("eac_cpi", "vac", "risk_exposure")  # amounts: in a currency
INDEX_METRICS = ("cpi", "spi", "spi_t")
RAG_ORDER = health.RAG_ORDER
PORTFOLIO_TOP = 10
MILESTONE_COLUMNS = [
    "project_id",
    "task_id",
    "name",
    "baseline_finish",
    "previous_forecast",
    "forecast_finish",
    "moved_days",
    "slip_days",
]
RISK_COLUMNS = [
    "project_id",
    "risk_id",
    "title",
    "category",
    "owner",
    "status",
    "probability",
    "impact_cost",
    "risk_exposure",
    "risk_score",
    "band",
    "response",
    "due_date",
]


@dataclass
class WeeklyReport:
    """Everything the weekly report shows (frames use canonical/metric column names)."""

    status_date: date
    previous_date: date | None
    settings: Settings
    projects: pd.DataFrame  # one row per project: identity, rag, rag_reasons, flags, KPIs and deltas, counts, note
    metrics: pd.DataFrame  # long: project_id, metric, previous, current, delta
    portfolio: pd.DataFrame  # long: metric, previous, current, delta
    portfolio_rag: str  # "red"/"amber"/"green"/"" (codes)
    portfolio_reasons: list = field(default_factory=list)  # health.Reason tuples
    milestones: dict[str, pd.DataFrame] = field(default_factory=dict)  # completed, due, slipped
    risks: dict[str, pd.DataFrame] = field(default_factory=dict)  # new, top, portfolio_top
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)  # project_id, note, author, saved_at
    due_days: int = 14
    # money: portfolio amounts are in ``currency`` (the reporting currency; None when a rate is
    # missing at the status date: then no cross-currency total, and ``fx_missing`` says which)
    currency: str | None = None
    fx_missing: tuple = ()  # metrics.fx.MissingRate
    # the converted portfolio totals at the status date (bac, pv, ev, ac, in ``currency``; NaN
    # when not converted): the same roll-up as the key metrics above
    totals: dict[str, float] = field(default_factory=dict)
    # the projects that need attention (red, amber, no RAG) in the attention order of
    # ``metrics.health.attention_order`` (the Portfolio page's order), as of the status date
    attention: tuple[str, ...] = ()

    def project_ids(self) -> list[str]:
        return self.projects["project_id"].astype(str).tolist()

    def rag_counts(self) -> dict[str, int]:
        """{"red", "amber", "green", "unknown"}: the report's projects by overall RAG."""
        rags = self.projects["rag"].fillna("").astype(str).tolist() if "rag" in self.projects else []
        return {
            "red": rags.count("red"),
            "amber": rags.count("amber"),
            "green": rags.count("green"),
            "unknown": sum(1 for r in rags if not r),
        }

    def for_project(self, project_id: str) -> dict[str, pd.DataFrame]:
        """The rows of every section for one project (keys: metrics, completed, due, slipped,
        new, top)."""
        pid = str(project_id)

        def pick(df: pd.DataFrame) -> pd.DataFrame:
            if df is None or df.empty:
                return df if df is not None else pd.DataFrame()
            return df[df["project_id"].astype(str) == pid].reset_index(drop=True)

        out = {"metrics": pick(self.metrics)}
        out.update({k: pick(v) for k, v in self.milestones.items()})
        out.update({k: pick(v) for k, v in self.risks.items() if k != "portfolio_top"})
        return out


# ------------------------------------------------------------------ helpers
def as_of_rows(metrics: pd.DataFrame, when: object) -> pd.DataFrame:
    """Each project's latest metrics row on or before ``when`` (its own date kept):
    ``frames.snapshot`` on the metrics (one row per project and status date)."""
    return snapshot(metrics, when).sort_values("project_id", kind="stable")


def _exposure(risks: pd.DataFrame) -> pd.Series:
    """Open threat EMV per project (0 for a project whose register has no open threat)."""
    if risks is None or risks.empty:
        return pd.Series(dtype=float)
    e = risk_mod.exposure(risks, "project_id")
    return pd.Series(e["threat_emv"].to_numpy(float), index=e["project_id"].astype(str))


def _delta(cur: float, prev: float) -> float:
    return cur - prev if np.isfinite(cur) and np.isfinite(prev) else float("nan")


def _milestones(tasks_cur: pd.DataFrame, tasks_prev: pd.DataFrame, d: pd.Timestamp, p, due_days: int, holidays):
    """completed, due, slipped milestone frames (MILESTONE_COLUMNS)."""
    empty = pd.DataFrame(columns=MILESTONE_COLUMNS)
    both = pd.concat([f for f in (tasks_prev, tasks_cur) if f is not None and len(f)] or [pd.DataFrame()])
    if both.empty or "is_milestone" not in both.columns:
        return {"completed": empty, "due": empty.copy(), "slipped": empty.copy()}
    both = both.drop_duplicates(["project_id", "task_id", "status_date"], keep="last")
    hist = milestone_history(both, holidays)
    if hist.empty:
        return {"completed": empty, "due": empty.copy(), "slipped": empty.copy()}

    def dates_of(tasks: pd.DataFrame) -> dict[str, pd.Timestamp]:
        if tasks is None or tasks.empty:
            return {}
        return {str(k): pd.Timestamp(v) for k, v in tasks.groupby("project_id")["status_date"].max().items()}

    hist["project_id"] = hist["project_id"].astype(str)
    cur = hist[hist["status_date"] == hist["project_id"].map(dates_of(tasks_cur))]
    prev = hist[hist["status_date"] == hist["project_id"].map(dates_of(tasks_prev))]
    key = ["project_id", "task_id"]
    prev = prev[[*key, "forecast_finish", "done"]].rename(
        columns={"forecast_finish": "previous_forecast", "done": "done_prev"}
    )
    m = cur.merge(prev, on=key, how="left", indicator=True)
    in_prev = (m["_merge"] == "both").to_numpy()
    done_prev = m["done_prev"].astype("boolean").fillna(False).to_numpy(bool)
    done = m["done"].astype(bool).to_numpy()
    fin = pd.to_datetime(m["forecast_finish"])
    m["moved_days"] = (fin - pd.to_datetime(m["previous_forecast"])).dt.days.astype(float)
    after_p = (fin > p).to_numpy(bool) if p is not None else np.ones(len(m), dtype=bool)
    completed = m[done & ~done_prev & (in_prev | after_p)]
    due = m[~done & (fin > d).to_numpy(bool) & (fin <= d + pd.Timedelta(days=due_days)).to_numpy(bool)]
    moved_later = in_prev & ~done_prev & (m["moved_days"] > 0).to_numpy(bool)
    passed = (fin <= d).to_numpy(bool)  # its date came and went without completion
    slipped = m[~done & (moved_later | passed)]
    return {
        "completed": completed.sort_values(["project_id", "forecast_finish"])[MILESTONE_COLUMNS].reset_index(drop=True),
        "due": due.sort_values(["forecast_finish", "project_id"])[MILESTONE_COLUMNS].reset_index(drop=True),
        "slipped": slipped.sort_values(["moved_days", "project_id"], ascending=[False, True])[
            MILESTONE_COLUMNS
        ].reset_index(drop=True),
    }


def _risk_cols(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in RISK_COLUMNS:
        if c not in out.columns:
            out[c] = None
    out["project_id"] = out["project_id"].astype(str)
    return out[RISK_COLUMNS].reset_index(drop=True)


# ------------------------------------------------------------------ the report
def weekly_report(
    tasks: pd.DataFrame | None,
    projects: pd.DataFrame | None = None,
    evm_periods: pd.DataFrame | None = None,
    risks: pd.DataFrame | None = None,
    notes: pd.DataFrame | None = None,
    settings: Settings | None = None,
    *,
    fx_rates: pd.DataFrame | None = None,
    status_date: object = None,
    previous_date: object = None,
    project_ids=None,
    quality: pd.DataFrame | None = None,
    due_days: int = 14,
    top_n: int = 5,
) -> WeeklyReport:
    """Build the weekly report (see the module doc). ``project_ids`` limits every section to
    those projects; ``quality`` (``dcma.quality_score`` of the current schedules) adds the
    schedule-quality flag; raises ``NotFoundError`` when the inputs hold no status date at all."""
    s = settings or Settings()
    ids = None if project_ids is None else [str(p) for p in project_ids]

    def scope(df: pd.DataFrame | None) -> pd.DataFrame:
        if df is None:
            return pd.DataFrame(columns=["project_id", "status_date"])
        if ids is None or df.empty:
            return df
        return df[df["project_id"].astype(str).isin(ids)]

    if ids is not None:
        known = {
            str(x) for f in (tasks, projects, evm_periods, risks) if f is not None and len(f) for x in f["project_id"]
        }
        if not known.intersection(ids):
            raise NotFoundError(
                key="report.no_project_data",
                params={"projects": ", ".join(ids), "known": ", ".join(sorted(known)[:20])},
                hint_key="hint.known_projects" if known else "hint.import_first",
            )
    tasks, projects, evm_periods, risks = scope(tasks), scope(projects), scope(evm_periods), scope(risks)
    dates = status_dates(tasks, projects, risks, evm_periods)
    if not dates:
        raise NotFoundError(key="report.no_status_date", hint_key="hint.import_first")
    if status_date is None:
        status_date = dates[-1]
    # a date between uploads (a scheduled job passing today's date) reports the latest status
    # date on or before it, compared with the one before that: never a snapshot with itself
    on_or_before = [x for x in dates if pd.Timestamp(x) <= pd.Timestamp(status_date)]
    if not on_or_before:
        raise NotFoundError(
            f"there is no status date on or before {pd.Timestamp(status_date):%Y-%m-%d}",
            hint=f"The earliest status date is {dates[0].isoformat()}.",
        )
    d = pd.Timestamp(on_or_before[-1])
    if previous_date is None:
        before = [x for x in dates if pd.Timestamp(x) < d]
        previous_date = before[-1] if before else None
    p = pd.Timestamp(previous_date) if previous_date is not None else None

    # ---- snapshots at D and P
    t_cur, t_prev = snapshot(tasks, d), snapshot(tasks, p) if p is not None else tasks.iloc[0:0]
    pr_cur = snapshot(projects, d)
    r_cur = snapshot(risks, d)
    r_prev = snapshot(risks, p) if p is not None else r_cur.iloc[0:0]
    per = snapshot(evm_periods, d)

    # ---- earned value at D and P (existing engine)
    t_both = pd.concat([f for f in (t_prev, t_cur) if len(f)] or [t_cur]).drop_duplicates(
        ["project_id", "task_id", "status_date"], keep="last"
    )
    res = evm.analyse(t_both if len(t_both) else None, pr_cur, per if len(per) else None, s)
    money = fx.context(pr_cur, fx_rates, s)
    rows_cur = as_of_rows(res.metrics, d)
    rows_prev = as_of_rows(res.metrics, p)

    # ---- risks
    r_cur_e = risk_mod.enrich(r_cur, pr_cur) if len(r_cur) else r_cur
    r_prev_e = risk_mod.enrich(r_prev, pr_cur) if len(r_prev) else r_prev
    exp_cur, exp_prev = _exposure(r_cur_e), _exposure(r_prev_e)

    # ---- project list and identity
    pids: list[str] = []
    for f in (pr_cur, rows_cur, r_cur, t_cur):
        if f is not None and len(f):
            pids.extend(f["project_id"].astype(str))
    pids = sorted(set(pids))
    ident = pr_cur.assign(project_id=pr_cur["project_id"].astype(str)).drop_duplicates("project_id", keep="last")
    ident = ident.set_index("project_id") if len(ident) else pd.DataFrame()

    # ---- RAG per project: the health engine on each project's row at D, as of D
    upto_d = [f[pd.to_datetime(f["status_date"]) <= d] if f is not None and len(f) else None for f in (tasks, risks)]
    assessed = health.assess_tables(rows_cur, upto_d[0], upto_d[1], pr_cur, s, quality=quality, as_of=d)
    judged = health.current(assessed)
    cur_by = rows_cur.assign(project_id=rows_cur["project_id"].astype(str)).set_index("project_id")
    prev_by = rows_prev.assign(project_id=rows_prev["project_id"].astype(str)).set_index("project_id")
    has_risks = set(r_cur["project_id"].astype(str)) if len(r_cur) else set()
    has_prev_risks = set(r_prev["project_id"].astype(str)) if len(r_prev) else set()

    def value(frame: pd.DataFrame, pid: str, metric: str, exp: pd.Series, with_risks: set) -> float:
        if metric == "risk_exposure":
            return float(exp.get(pid, 0.0)) if pid in with_risks else float("nan")
        return to_float(frame.at[pid, metric]) if pid in frame.index and metric in frame.columns else float("nan")

    long_rows, proj_rows = [], []
    for pid in pids:
        row: dict = {"project_id": pid}
        for c in ("name", "manager", "status"):
            row[c] = ident.at[pid, c] if len(ident) and pid in ident.index and c in ident.columns else None
        row["currency"] = money.project_currency(pid)
        rep = cur_by["status_date"].get(pid) if len(cur_by) else None
        if rep is None or pd.isna(rep):
            snaps = [
                pd.to_datetime(f.loc[f["project_id"].astype(str) == pid, "status_date"]).max()
                for f in (t_cur, r_cur, pr_cur)
                if len(f)
            ]
            snaps = [x for x in snaps if pd.notna(x)]
            rep = max(snaps) if snaps else pd.NaT
        row["reported_on"] = pd.Timestamp(rep) if pd.notna(rep) else pd.NaT
        for m in KEY_METRICS:
            cur = value(cur_by, pid, m, exp_cur, has_risks)
            prev = value(prev_by, pid, m, exp_prev, has_prev_risks) if p is not None else float("nan")
            row[m] = cur
            row[f"{m}_prev"] = prev
            row[f"{m}_delta"] = _delta(cur, prev)
            long_rows.append(
                {
                    "project_id": pid,
                    "metric": m,
                    "previous": prev,
                    "current": cur,
                    "delta": _delta(cur, prev),
                    "currency": row["currency"] if m in MONEY_METRICS else None,
                }
            )
        h = judged.loc[pid] if pid in judged.index else None
        row["rag"] = h["rag"] if h is not None else ""
        row["rag_reasons"] = list(h["rag_reasons"]) if h is not None else []
        row["flags"] = list(h["flags"]) if h is not None else []
        proj_rows.append(row)
    projects_out = pd.DataFrame(proj_rows)
    metrics_long = pd.DataFrame(long_rows, columns=["project_id", "metric", "previous", "current", "delta", "currency"])

    # ---- portfolio: sum the project rows at D and at P, then divide (existing roll-up)
    stamp_cur = rows_cur.assign(status_date=d)
    parts = [stamp_cur]
    if p is not None and len(rows_prev):
        parts.append(rows_prev.assign(status_date=p))
    allrows = pd.concat([x for x in parts if len(x)] or [stamp_cur], ignore_index=True)
    # converted into the reporting currency at each date's rate; a date where a currency has no
    # rate has no cross-currency total (NaN here; the rates missing are in fx_missing)
    roll = evm.portfolio_rollup(allrows, ("status_date",), res.curves, s, fx=money) if len(allrows) else None
    fx_missing = tuple(fx.missing_summary(roll.attrs.get("fx_missing", ()))) if roll is not None else ()
    roll = roll[roll["converted"]].set_index("status_date") if roll is not None else pd.DataFrame()

    def pval(when, metric) -> float:
        if when is None:
            return float("nan")
        if metric == "risk_exposure":
            src = exp_cur if when == d else exp_prev
            have = has_risks if when == d else has_prev_risks
            rates = [money.rate(money.project_currency(pid), when) for pid in src.index]
            if not have or any(r is None for r in rates):
                return float("nan")
            return float((src.to_numpy(float) * np.array(rates, dtype=float)).sum())
        if len(roll) and when in roll.index:
            return to_float(roll.at[when, metric])
        return float("nan")

    port_rows = []
    for m in KEY_METRICS:
        cur, prev = pval(d, m), pval(p, m)
        port_rows.append({"metric": m, "previous": prev, "current": cur, "delta": _delta(cur, prev)})
    portfolio = pd.DataFrame(port_rows, columns=["metric", "previous", "current", "delta"])
    converted_now = len(roll) > 0 and d in roll.index
    portfolio["currency"] = [money.reporting if m in MONEY_METRICS and converted_now else None for m in KEY_METRICS]
    bac_total = pval(d, "bac")
    exp_total = pval(d, "risk_exposure")
    portfolio_rag, port_reasons, _ = health.decide(
        pval(d, "cpi"),
        pval(d, "spi_t"),
        pval(d, "spi"),
        None,
        exp_total / bac_total if np.isfinite(bac_total) and bac_total > 0 and np.isfinite(exp_total) else None,
        s,
        has_register=bool(has_risks),
        has_milestones=False,
    )

    # ---- milestones
    ms = _milestones(t_cur, t_prev, d, p, due_days, s.holidays)
    for k, v in ms.items():
        counts = v.groupby("project_id").size() if len(v) else pd.Series(dtype=int)
        if len(projects_out):
            projects_out[f"milestones_{k}"] = projects_out["project_id"].map(counts).fillna(0).astype("int64")

    # ---- risks: new and top
    if len(r_cur_e):
        open_now = r_cur_e[r_cur_e["is_open"]]
        prev_keys = (
            set(zip(r_prev["project_id"].astype(str), r_prev["risk_id"].astype(str), strict=True))
            if len(r_prev)
            else set()
        )
        if p is None:
            new = open_now.iloc[0:0]
        else:
            keys = list(zip(open_now["project_id"].astype(str), open_now["risk_id"].astype(str), strict=True))
            new = open_now[[k not in prev_keys for k in keys]]
            new = new.sort_values(["risk_exposure", "risk_score"], ascending=False, na_position="last", kind="stable")
        ranked = risk_mod.top_risks(r_cur_e, n=len(r_cur_e))
        top = ranked.groupby(ranked["project_id"].astype(str), sort=False).head(top_n)
        risks_out = {
            "new": _risk_cols(new),
            "top": _risk_cols(top),
            "portfolio_top": _risk_cols(ranked.head(PORTFOLIO_TOP)),
        }
    else:
        empty = pd.DataFrame(columns=RISK_COLUMNS)
        risks_out = {"new": empty, "top": empty.copy(), "portfolio_top": empty.copy()}
    if len(projects_out):
        n_new = risks_out["new"].groupby("project_id").size() if len(risks_out["new"]) else pd.Series(dtype=int)
        projects_out["new_risks"] = projects_out["project_id"].map(n_new).fillna(0).astype("int64")

    # ---- notes for D
    notes_out = pd.DataFrame(columns=["project_id", "note", "author", "saved_at"])
    if notes is not None and len(notes):
        n = notes.assign(project_id=notes["project_id"].astype(str))
        n = n[pd.to_datetime(n["status_date"]) == d]
        if ids is not None:
            n = n[n["project_id"].isin(ids)]
        n = n.sort_values("saved_at", kind="stable").drop_duplicates("project_id", keep="last")
        n = n[n["note"].astype(str).str.strip() != ""]
        notes_out = n[["project_id", "note", "author", "saved_at"]].sort_values("project_id").reset_index(drop=True)
    if len(projects_out):
        projects_out["manager_note"] = projects_out["project_id"].map(
            dict(zip(notes_out["project_id"], notes_out["note"], strict=True))
        )
        projects_out["_o"] = projects_out["rag"].map(RAG_ORDER)
        projects_out = (
            projects_out.sort_values(["_o", "project_id"], kind="stable").drop(columns="_o").reset_index(drop=True)
        )

    return WeeklyReport(
        status_date=d.date(),
        previous_date=p.date() if p is not None else None,
        settings=s,
        projects=projects_out,
        metrics=metrics_long,
        portfolio=portfolio,
        portfolio_rag=portfolio_rag,
        portfolio_reasons=port_reasons,
        milestones=ms,
        risks=risks_out,
        notes=notes_out,
        due_days=due_days,
        currency=money.reporting if converted_now else None,
        fx_missing=fx_missing,
        totals={k: pval(d, k) for k in TOTALS},
        attention=_attention(assessed, projects_out),
    )


def _attention(assessed: pd.DataFrame, projects: pd.DataFrame) -> tuple[str, ...]:
    """The report's projects that need attention (red, amber, no RAG), in
    ``health.attention_order``; projects the engine could not rate (no metrics row) last, by id."""
    if projects.empty:
        return ()
    rag = dict(zip(projects["project_id"].astype(str), projects["rag"].fillna("").astype(str), strict=True))
    order = [p for p in health.attention_order(assessed) if p in rag]
    order += sorted(p for p in rag if p not in set(order))
    return tuple(p for p in order if rag[p] in ("red", "amber", ""))


SUMMARY_COLUMNS = [
    "project_id",
    "name",
    "manager",
    "reported_on",
    "rag",
    "rag_reasons",
    "flags",
    "currency",
    "cpi",
    "cpi_delta",
    "spi",
    "spi_delta",
    "spi_t",
    "spi_t_delta",
    "eac_cpi",
    "eac_cpi_delta",
    "vac",
    "vac_delta",
    "risk_exposure",
    "risk_exposure_delta",
    "milestones_completed",
    "milestones_due",
    "milestones_slipped",
    "new_risks",
    "manager_note",
]


def summary_table(report: WeeklyReport) -> pd.DataFrame:
    """The projects overview: identity, RAG (code), reasons and flags (``health.Reason``
    lists), each key metric with its change, counts, the note. Words: ``weekly.summary_view``."""
    df = report.projects
    if df.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    return df[[c for c in SUMMARY_COLUMNS if c in df.columns]].copy()
