"""Currency conversion: the one place that decides which exchange rate turns a project's money
into the reporting currency.

Rules (README, "Money and currencies"):

- Every project has a currency: its ``projects.currency`` (latest row), else
  ``Settings.default_currency``.
- Rates are data (canonical table ``fx_rates``): ``rate`` = units of ``base`` for one unit of
  ``currency``, in force from ``valid_from`` until the next ``valid_from`` of the same pair. A
  blank ``base`` means ``Settings.fx_base`` (``PMO_REPORTING_CURRENCY``).
- A roll-up at status date D converts every project's money (BAC, PV, EV, AC and the amounts
  derived from them) at the rate in force at D: the latest ``valid_from`` on or before D. Every
  amount of one roll-up uses the same rate, so a rate move never shows as cost or schedule
  variance, and ratios come from the converted sums.
- Reporting currency R, project currency C: 1 when C = R; else the direct pair (C, base R);
  else the inverse pair (R, base C); else a cross rate through any base B the table quotes
  both in: rate(C, B) / rate(R, B) (a currency is 1 in its own base). So one table quoted in
  CNY serves a session that reports in USD, as long as the table has a USD rate.
- Where a currency present at D has no rate, nothing is converted at D: the roll-up is per
  currency, and ``MissingRate`` (a code with parameters) names what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

import numpy as np
import pandas as pd

from ..settings import Settings, currency_code

# Amount columns of the metric rows (metrics.evm): converted; ratios are left as they are.
MONEY_COLUMNS = (
    "bac",
    "pv",
    "ev",
    "ac",
    "cv",
    "sv",
    "eac_cpi",
    "eac_atypical",
    "eac_composite",
    "etc",
    "vac",
    "risk_exposure",
    "exposure",
    "impact_cost",
    "risk_adjusted_eac",
)


@dataclass(frozen=True)
class MissingRate:
    """No rate turns ``currency`` into ``reporting`` at ``status_date``: a code with parameters
    (``fx.missing_rate``); the edge words it."""

    currency: str
    reporting: str
    status_date: date | None = None
    code: ClassVar[str] = "fx.missing_rate"

    def params(self) -> dict[str, str]:
        """Parameters of the message: currency, reporting, date (YYYY-MM-DD or "")."""
        return {
            "currency": self.currency,
            "reporting": self.reporting,
            "date": self.status_date.isoformat() if self.status_date else "",
        }

    def as_dict(self) -> dict[str, str]:
        """For JSON: ``{"code", "currency", "reporting", "date"}``."""
        return {"code": self.code, **self.params()}


@dataclass(frozen=True)
class FxContext:
    """What a conversion needs: each project's currency, the rates, the reporting currency."""

    currency_of: Mapping[str, str]
    rates: pd.DataFrame = field(repr=False)  # currency, base, rate, valid_from (datetime64), sorted
    reporting: str
    default: str

    def project_currency(self, project_id: object) -> str:
        """The currency of ``project_id`` (the default currency when unknown)."""
        return self.currency_of.get(str(project_id), self.default)

    def rate(self, currency: str, day: object) -> float | None:
        """Units of the reporting currency for one unit of ``currency`` at ``day`` (None: no rate)."""
        return _rate(self.rates, currency, self.reporting, pd.Timestamp(day))


@dataclass(frozen=True)
class Converted:
    """Rows with money converted where every currency at their date has a rate.

    ``rows`` gains ``currency`` (the reporting currency where converted, else the project's),
    ``fx_rate`` (the factor applied; 1.0 where not converted) and ``fx_converted`` (bool)."""

    rows: pd.DataFrame
    missing: tuple[MissingRate, ...] = ()
    reporting: str = ""

    @property
    def converted(self) -> bool:
        """True when every row was converted (one cross-currency total is possible)."""
        return not self.missing


def normalise_rates(fx_rates: pd.DataFrame | None, base: str) -> pd.DataFrame:
    """The ``fx_rates`` table as (currency, base, rate, valid_from): codes upper case, a blank
    base filled with ``base``, rows without a positive rate or a date dropped; if the same pair
    and date appears twice, the last row wins."""
    cols = ["currency", "base", "rate", "valid_from"]
    if fx_rates is None or fx_rates.empty or not {"currency", "rate", "valid_from"} <= set(fx_rates.columns):
        return pd.DataFrame({"currency": [], "base": [], "rate": [], "valid_from": pd.Series(dtype="datetime64[ns]")})
    df = pd.DataFrame(
        {
            "currency": fx_rates["currency"].map(currency_code),
            "base": (fx_rates["base"] if "base" in fx_rates.columns else pd.Series([None] * len(fx_rates))).map(
                lambda v: currency_code(v) or base
            ),
            "rate": pd.to_numeric(fx_rates["rate"], errors="coerce"),
            "valid_from": pd.to_datetime(fx_rates["valid_from"], errors="coerce"),
        }
    )
    df = df[df["currency"].notna() & df["valid_from"].notna() & (df["rate"] > 0)]
    df = df.drop_duplicates(["currency", "base", "valid_from"], keep="last")
    return df.sort_values(["currency", "base", "valid_from"]).reset_index(drop=True)[cols]


def _latest(rates: pd.DataFrame, currency: str, base: str, day: pd.Timestamp) -> float | None:
    if currency == base:
        return 1.0
    m = rates[(rates["currency"] == currency) & (rates["base"] == base) & (rates["valid_from"] <= day)]
    return None if m.empty else float(m["rate"].iloc[-1])


def _rate(rates: pd.DataFrame, currency: str, reporting: str, day: pd.Timestamp) -> float | None:
    """The rate from ``currency`` to ``reporting`` in force at ``day`` (see the module rules)."""
    if currency == reporting:
        return 1.0
    direct = _latest(rates, currency, reporting, day)
    if direct is not None:
        return direct
    inverse = _latest(rates, reporting, currency, day)
    if inverse is not None:
        return 1.0 / inverse
    for b in sorted(set(rates["base"])):
        a, r = _latest(rates, currency, b, day), _latest(rates, reporting, b, day)
        if a is not None and r is not None:
            return a / r
    return None


def project_currencies(projects: pd.DataFrame | None, default: str) -> dict[str, str]:
    """project_id -> currency code (latest projects row; blank or unreadable -> ``default``)."""
    if projects is None or projects.empty or "project_id" not in projects.columns:
        return {}
    p = projects.sort_values("status_date", kind="stable") if "status_date" in projects.columns else projects
    p = p.drop_duplicates("project_id", keep="last")
    cur = p["currency"] if "currency" in p.columns else pd.Series([None] * len(p), index=p.index)
    return {str(k): currency_code(v) or default for k, v in zip(p["project_id"], cur, strict=True)}


def context(
    projects: pd.DataFrame | None,
    fx_rates: pd.DataFrame | None,
    settings: Settings | None = None,
    reporting: str | None = None,
) -> FxContext:
    """The conversion context for ``projects`` (currency per project) and the rates, into
    ``reporting`` (default ``settings.reporting_currency``)."""
    s = settings or Settings()
    return FxContext(
        currency_of=project_currencies(projects, s.default_currency),
        rates=normalise_rates(fx_rates, s.fx_base),
        reporting=currency_code(reporting) or s.reporting_currency,
        default=s.default_currency,
    )


def _day(value: object) -> date | None:
    ts = pd.Timestamp(value) if value is not None else pd.NaT
    return None if pd.isna(ts) else ts.date()


def convert(
    rows: pd.DataFrame,
    ctx: FxContext,
    *,
    date_col: str = "status_date",
    at: object = None,
    money: Iterable[str] = MONEY_COLUMNS,
) -> Converted:
    """Convert the money columns of ``rows`` (one per project and status date) into the
    reporting currency at the rate in force at each row's ``date_col`` (or at ``at`` for every
    row: a roll-up of rows of several dates at one date). A date at which some currency has
    no rate is left unconverted as a whole (its rows keep their own currencies)."""
    out = rows.copy()
    pids = out["project_id"].astype(str) if "project_id" in out.columns else pd.Series([""] * len(out))
    own = out["currency"].map(currency_code) if "currency" in out.columns else pd.Series([None] * len(out))
    cur = [ctx.currency_of.get(p) or o or ctx.default for p, o in zip(pids, own, strict=True)]
    out["currency"] = np.array(cur, dtype=object)
    if at is not None:
        days = pd.Series([pd.Timestamp(at)] * len(out), index=out.index)
    elif date_col in out.columns:
        days = pd.to_datetime(out[date_col])
    else:
        days = pd.Series([pd.NaT] * len(out), index=out.index)
    factor = np.ones(len(out))
    done = np.zeros(len(out), dtype=bool)
    missing: list[MissingRate] = []
    keys = pd.DataFrame({"c": out["currency"].to_numpy(), "d": days.to_numpy()})
    for d, grp in keys.groupby("d", sort=True, dropna=False):
        idx = grp.index.to_numpy()
        found = {c: (ctx.rate(c, d) if pd.notna(d) else (1.0 if c == ctx.reporting else None)) for c in set(grp["c"])}
        gaps = sorted(c for c, r in found.items() if r is None)
        if gaps:
            missing.extend(MissingRate(c, ctx.reporting, _day(d)) for c in gaps)
            continue
        factor[idx] = [found[c] for c in grp["c"]]
        done[idx] = True
    for col in money:
        if col in out.columns:
            out[col] = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan) * factor
    out.loc[done, "currency"] = ctx.reporting
    out["fx_rate"] = factor
    out["fx_converted"] = done
    return Converted(out, tuple(missing), ctx.reporting)


def missing_summary(missing: Sequence[MissingRate]) -> list[MissingRate]:
    """One ``MissingRate`` per currency (the latest date it was missing), sorted by currency."""
    last: dict[str, MissingRate] = {}
    for m in missing:
        prev = last.get(m.currency)
        if prev is None or (m.status_date or date.min) >= (prev.status_date or date.min):
            last[m.currency] = m
    return [last[c] for c in sorted(last)]


def rollup_records(rollup: pd.DataFrame, date_col: str = "status_date") -> list[dict]:
    """A converted roll-up (``evm.portfolio_rollup(..., fx=...)``) as one record per status date:
    the totals with ``currency`` (the reporting one) when converted; otherwise every total
    null, ``currency`` null, ``by_currency`` (one record per currency, each with its own
    totals) and ``missing_rates`` (``MissingRate.as_dict``) naming the rates that are missing."""
    if rollup.empty:
        return []
    missing: Sequence[MissingRate] = rollup.attrs.get("fx_missing", ())
    totals = [c for c in rollup.columns if c not in (date_col, "currency", "converted")]
    out = []
    for d, grp in rollup.groupby(date_col, sort=True, dropna=False):
        if len(grp) == 1 and bool(grp["converted"].iloc[0]):
            rec = {date_col: d, "currency": grp["currency"].iloc[0]}
            rec.update({c: grp[c].iloc[0] for c in totals})
            out.append(rec)
            continue
        rec = {date_col: d, "currency": None}
        rec.update({c: None for c in totals})
        rec["by_currency"] = [{"currency": r["currency"], **{c: r[c] for c in totals}} for _, r in grp.iterrows()]
        day = _day(d)
        rec["missing_rates"] = [m.as_dict() for m in missing if m.status_date == day]
        out.append(rec)
    return out


def with_currency(df: pd.DataFrame, ctx: FxContext, after: str = "status_date") -> pd.DataFrame:
    """``df`` (rows with ``project_id``) plus each project's ``currency`` column, placed after
    ``after`` (or last): tables show and export every amount beside its currency."""
    out = df.copy()
    if "currency" in out.columns:
        out = out.drop(columns="currency")
    values = [ctx.project_currency(p) for p in out["project_id"]] if "project_id" in out.columns else []
    pos = out.columns.get_loc(after) + 1 if after in out.columns else len(out.columns)
    out.insert(int(pos), "currency", pd.Series(values, index=out.index, dtype=object))
    return out


def one_currency(rollup: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """One row per status date from a converted roll-up, for a trend: the converted rows when
    any date converted (dates without a rate left out), else the rows of one currency (the
    reporting one if present, else the first). Returns (rows, their currency)."""
    if rollup.empty or "converted" not in rollup.columns:
        return rollup, None
    done = rollup[rollup["converted"].astype(bool)]
    if len(done):
        return done.reset_index(drop=True), str(done["currency"].iloc[0])
    currencies = sorted(set(rollup["currency"]))
    reporting = [m.reporting for m in rollup.attrs.get("fx_missing", ())]
    pick = reporting[0] if reporting and reporting[0] in currencies else currencies[0]
    return rollup[rollup["currency"] == pick].reset_index(drop=True), pick
