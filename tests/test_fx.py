"""Money with its currency: exchange rates as data, conversion in the roll-ups, missing rates.

Two projects, one in USD and one in CNY, reported on 2026-01-31 and 2026-02-28; the USD rate
moves from 7.0 (valid from 2026-01-01) to 7.5 (valid from 2026-02-01), quoted in CNY (the
reporting currency). Every expected value is worked out by hand in the comments.

  P-USD (USD, BAC 1,000):   Jan: PV 700, EV 525, AC 700    Feb: PV 900, EV 675, AC 900
  P-CNY (CNY, BAC 10,000):  Jan: PV 8,000, EV 6,400, AC 7,500    Feb: PV 9,000, EV 8,100, AC 9,000
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pandas as pd
import pytest

from pmo_analytics import store as store_mod
from pmo_analytics.cli import main
from pmo_analytics.metrics import evm, fx
from pmo_analytics.metrics.portfolio import totals
from pmo_analytics.settings import Settings
from pmo_analytics.store import Store, close_all
from tests.helpers import workbook_bytes

JAN, FEB = pd.Timestamp("2026-01-31"), pd.Timestamp("2026-02-28")

PROJECTS = pd.DataFrame(
    {
        "project_id": ["P-USD", "P-CNY", "P-EUR"],
        "name": ["Dollar", "Yuan", "Euro"],
        "currency": ["USD", "cny", "EUR"],
        "bac": [1000.0, 10000.0, 2000.0],
    }
)
RATES = pd.DataFrame(
    {
        "currency": ["USD", "USD"],
        "rate": [7.0, 7.5],
        "valid_from": [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")],
        "base": [None, "CNY"],
    }
)


def _rows(with_eur: bool = False) -> pd.DataFrame:
    rows = [
        ("P-USD", JAN, 1000, 700, 525, 700),
        ("P-USD", FEB, 1000, 900, 675, 900),
        ("P-CNY", JAN, 10000, 8000, 6400, 7500),
        ("P-CNY", FEB, 10000, 9000, 8100, 9000),
    ]
    if with_eur:
        rows += [("P-EUR", JAN, 2000, 1500, 1500, 1500), ("P-EUR", FEB, 2000, 1800, 1800, 1800)]
    df = pd.DataFrame(rows, columns=["project_id", "status_date", "bac", "pv", "ev", "ac"])
    return evm.add_indices(df)


def _ctx(reporting: str | None = None, rates: pd.DataFrame = RATES) -> fx.FxContext:
    return fx.context(PROJECTS, rates, Settings(), reporting=reporting)


def test_rate_in_force_is_the_latest_valid_from_on_or_before_the_date():
    ctx = _ctx()
    assert ctx.rate("USD", "2025-12-31") is None  # before the first valid_from
    assert ctx.rate("USD", "2026-01-01") == 7.0  # on the valid_from itself
    assert ctx.rate("USD", "2026-01-31") == 7.0
    assert ctx.rate("USD", "2026-02-01") == 7.5
    assert ctx.rate("CNY", "2020-01-01") == 1.0  # the reporting currency needs no rate
    assert ctx.project_currency("P-CNY") == "CNY"  # "cny" read as a code
    assert ctx.project_currency("unknown") == "CNY"  # default currency


def test_portfolio_rollup_converts_each_date_at_its_own_rate():
    out = evm.portfolio_rollup(_rows(), ("status_date",), None, Settings(), fx=_ctx())
    assert list(out["currency"]) == ["CNY", "CNY"] and out["converted"].all()
    jan, feb = out.iloc[0], out.iloc[1]
    # Jan, USD at 7.0: BAC 1,000*7 + 10,000 = 17,000; PV 700*7 + 8,000 = 12,900;
    # EV 525*7 + 6,400 = 10,075; AC 700*7 + 7,500 = 12,400
    assert (jan.bac, jan.pv, jan.ev, jan.ac) == pytest.approx((17000, 12900, 10075, 12400))
    # CPI and SPI from the converted sums: 10,075 / 12,400 = 0.8125; 10,075 / 12,900 = 0.781008
    assert jan.cpi == pytest.approx(0.8125)
    assert jan.spi == pytest.approx(10075 / 12900)
    # Feb, USD at 7.5: BAC 7,500 + 10,000 = 17,500; PV 6,750 + 9,000 = 15,750;
    # EV 5,062.5 + 8,100 = 13,162.5; AC 6,750 + 9,000 = 15,750
    assert (feb.bac, feb.pv, feb.ev, feb.ac) == pytest.approx((17500, 15750, 13162.5, 15750))
    assert feb.cpi == pytest.approx(13162.5 / 15750)  # 0.835714
    # CV at one rate per date: (675 - 900) * 7.5 + (8,100 - 9,000) = -1,687.5 - 900 = -2,587.5;
    # no exchange-rate gain or loss appears in it
    assert feb.cv == pytest.approx(-2587.5)
    # EAC = BAC / CPI = 17,500 / 0.835714 = 20,940.17; VAC = 17,500 - 20,940.17 = -3,440.17
    assert feb.eac_cpi == pytest.approx(17500 * 15750 / 13162.5)
    assert feb.vac == pytest.approx(17500 - 17500 * 15750 / 13162.5)


def test_rate_moves_never_show_as_variance():
    """The USD project alone: its CPI and SPI are 0.75 in dollars at both dates (525/700,
    675/900); converted at 7.0 and then 7.5 they stay 0.75, though every amount moved."""
    usd = _rows()[lambda d: d["project_id"] == "P-USD"]
    out = evm.portfolio_rollup(usd, ("status_date",), None, Settings(), fx=_ctx())
    assert list(out["cpi"]) == pytest.approx([0.75, 0.75])
    assert list(out["spi"]) == pytest.approx([0.75, 0.75])
    assert list(out["bac"]) == pytest.approx([7000, 7500])  # 1,000 * 7.0, 1,000 * 7.5
    assert list(out["cv"]) == pytest.approx([-1225, -1687.5])  # (525-700)*7.0, (675-900)*7.5


def test_earned_schedule_from_converted_curves_is_unchanged_by_the_rate():
    """A USD project from its tasks: the roll-up's ES/AT/SPI(t) equal the project's own, because
    its PV curve is converted at the same rate as its EV (a curve left in dollars against EV in
    yuan would put ES at the plan's end)."""
    tasks = pd.DataFrame(
        {
            "project_id": ["P-USD"] * 2,
            "task_id": ["1", "2"],
            "name": ["Design", "Build"],
            "start": [date(2026, 1, 5), date(2026, 1, 19)],
            "finish": [date(2026, 1, 16), date(2026, 1, 30)],
            "baseline_start": [date(2026, 1, 5), date(2026, 1, 19)],
            "baseline_finish": [date(2026, 1, 16), date(2026, 1, 30)],
            "percent_complete": [1.0, 0.2],
            "bac": [400.0, 600.0],
            "actual_cost": [450.0, 150.0],
            "status_date": [pd.Timestamp("2026-01-30")] * 2,
        }
    )
    res = evm.analyse(tasks, PROJECTS, None, Settings())
    own = res.metrics.iloc[0]
    out = evm.portfolio_history(res, Settings(), fx=_ctx()).iloc[0]
    assert out.converted and out.currency == "CNY"
    assert out.ev == pytest.approx(own.ev * 7.0)  # Jan rate
    assert (out["es"], out["at"], out["spi_t"]) == pytest.approx((own["es"], own["at"], own["spi_t"]))
    # by hand, in dollars: weekly cumulative PV 200, 400, 700, 1,000 (400 over Jan 5-16, 600 over
    # Jan 19-30); EV = 400 + 0.2 * 600 = 520 -> ES = 2 + (520 - 400) / (700 - 400) = 2.4 weeks;
    # Friday Jan 30 closes week 4: AT = 4, SPI(t) = 0.6. In yuan every value is 7x: the same ES.
    assert (out["es"], out["at"], out["spi_t"]) == pytest.approx((2.4, 4.0, 0.6))


def test_missing_rate_gives_totals_per_currency_and_names_the_rate():
    out = evm.portfolio_rollup(_rows(with_eur=True), ("status_date",), None, Settings(), fx=_ctx())
    assert not out["converted"].any()
    jan = out[out["status_date"] == JAN].set_index("currency")
    assert sorted(jan.index) == ["CNY", "EUR", "USD"]
    # each currency on its own, unconverted: USD 1,000 / 525 / 700 -> CPI 0.75
    assert (jan.loc["USD", "bac"], jan.loc["USD", "ev"], jan.loc["USD", "cpi"]) == pytest.approx((1000, 525, 0.75))
    assert (jan.loc["EUR", "bac"], jan.loc["CNY", "bac"]) == pytest.approx((2000, 10000))
    missing = out.attrs["fx_missing"]
    assert [m.as_dict() for m in missing] == [
        {"code": "fx.missing_rate", "currency": "EUR", "reporting": "CNY", "date": "2026-01-31"},
        {"code": "fx.missing_rate", "currency": "EUR", "reporting": "CNY", "date": "2026-02-28"},
    ]
    records = fx.rollup_records(out)
    assert [r["currency"] for r in records] == [None, None] and records[0]["bac"] is None
    assert [b["currency"] for b in records[0]["by_currency"]] == ["CNY", "EUR", "USD"]


def test_cross_rate_through_the_tables_base():
    """Reporting in USD from a table quoted in CNY: one yuan = 1/7.0 dollar in January."""
    out = evm.portfolio_rollup(_rows(), ("status_date",), None, Settings(), fx=_ctx("USD"))
    jan = out.iloc[0]
    assert jan.currency == "USD"
    # BAC 1,000 + 10,000 / 7.0 = 2,428.571; EV 525 + 6,400 / 7 = 1,439.286; AC 700 + 7,500 / 7 = 1,771.429
    assert (jan.bac, jan.ev, jan.ac) == pytest.approx((1000 + 10000 / 7, 525 + 6400 / 7, 700 + 7500 / 7))
    # CPI is the same in either currency when all amounts use one rate: 10,075 / 12,400
    assert jan.cpi == pytest.approx(0.8125)
    # a third currency through the base: EUR quoted at 7.8 CNY -> 1 EUR = 7.8 / 7.5 USD in February
    rates = pd.concat(
        [RATES, pd.DataFrame({"currency": ["EUR"], "rate": [7.8], "valid_from": [pd.Timestamp("2026-01-01")]})]
    )
    assert _ctx("USD", rates).rate("EUR", "2026-02-28") == pytest.approx(7.8 / 7.5)


def test_totals_convert_current_and_previous_at_their_dates():
    t = totals(_rows(), _ctx())
    assert t.converted and t.currency == "CNY"
    # now = February (17,500 / 13,162.5 / 15,750); previous = January (17,000 / 10,075 / 12,400)
    assert (t.now["bac"], t.now["ev"], t.now["ac"]) == pytest.approx((17500, 13162.5, 15750))
    assert t.delta["ev"] == pytest.approx(13162.5 - 10075)
    missing = totals(_rows(with_eur=True), _ctx())
    assert not missing.converted and missing.now["bac"] != missing.now["bac"]  # NaN: no cross total
    assert missing.by_currency["USD"][0]["bac"] == pytest.approx(1000)
    assert [m.currency for m in missing.missing] == ["EUR"]


# ------------------------------------------------------------------ through files and the CLI
def _portfolio_file(with_eur: bool = False) -> bytes:
    projects = [
        ["Project ID", "Project name", "Currency", "Budget", "Status"],
        ["P-USD", "Dollar", "USD", 1000, "Active"],
        ["P-CNY", "Yuan", "CNY", 10000, "Active"],
    ]
    periods = [
        ["Project ID", "Period end", "PV", "EV", "AC"],
        ["P-USD", date(2026, 1, 31), 700, 525, 700],
        ["P-USD", date(2026, 2, 28), 900, 675, 900],
        ["P-CNY", date(2026, 1, 31), 8000, 6400, 7500],
        ["P-CNY", date(2026, 2, 28), 9000, 8100, 9000],
    ]
    if with_eur:
        projects.append(["P-EUR", "Euro", "EUR", 2000, "Active"])
        periods += [["P-EUR", date(2026, 1, 31), 1500, 1500, 1500], ["P-EUR", date(2026, 2, 28), 1800, 1800, 1800]]
    return workbook_bytes({"Projects": projects, "EVMPeriods": periods})


RATES_CSV = "Currency,Rate,Valid from\nUSD,7.0,2026-01-01\nUSD,7.5,2026-02-01\n"
RATES_CSV_ZH = "币种,汇率,生效日期,本位币\nUSD,7.0,2026-01-01,CNY\nUSD,7.5,2026-02-01,CNY\n"


def _cli_json(capsys, *args: str) -> dict:
    capsys.readouterr()
    assert main(["metrics", "--json", *args]) == 0
    out = capsys.readouterr().out
    close_all()
    return json.loads(out)


@pytest.mark.parametrize("rates_csv", [RATES_CSV, RATES_CSV_ZH], ids=["en", "zh"])
def test_cli_metrics_json_converted(tmp_path, capsys, rates_csv):
    db = str(tmp_path / "fx.duckdb")
    (tmp_path / "p.xlsx").write_bytes(_portfolio_file())
    (tmp_path / "rates.csv").write_text(rates_csv, encoding="utf-8")
    assert main(["import", str(tmp_path / "p.xlsx"), "--db", db, "--status-date", "2026-02-28"]) == 0
    assert main(["import", str(tmp_path / "rates.csv"), "--db", db, "--status-date", "2026-02-28"]) == 0
    close_all()
    assert Store(db).imports()["source_format"].tolist()[0] == "fx_rates"
    data = _cli_json(capsys, "--db", db)
    assert {(p["project_id"], p["currency"]) for p in data["projects"]} == {("P-USD", "USD"), ("P-CNY", "CNY")}
    jan, feb = data["portfolio"]
    assert (jan["status_date"], jan["currency"], "by_currency" in jan) == ("2026-01-31", "CNY", False)
    # the same arithmetic as test_portfolio_rollup_converts_each_date_at_its_own_rate
    assert (jan["bac"], jan["ev"], jan["ac"], jan["cpi"]) == pytest.approx((17000, 10075, 12400, 0.8125))
    assert (feb["bac"], feb["ev"], feb["ac"]) == pytest.approx((17500, 13162.5, 15750))
    assert feb["cpi"] == pytest.approx(13162.5 / 15750)
    # the project rows stay in their own currency: P-USD's February EV is 675 dollars
    usd_feb = next(p for p in data["projects"] if p["project_id"] == "P-USD" and p["status_date"] == "2026-02-28")
    assert usd_feb["ev"] == pytest.approx(675)
    # reporting in USD: February BAC 1,000 + 10,000 / 7.5 = 2,333.33
    data = _cli_json(capsys, "--db", db, "--currency", "usd")
    assert data["portfolio"][1]["currency"] == "USD"
    assert data["portfolio"][1]["bac"] == pytest.approx(1000 + 10000 / 7.5)


def test_cli_metrics_json_missing_rate(tmp_path, capsys):
    db = str(tmp_path / "fx.duckdb")
    (tmp_path / "p.xlsx").write_bytes(_portfolio_file(with_eur=True))
    (tmp_path / "rates.csv").write_text(RATES_CSV, encoding="utf-8")
    for f in ("p.xlsx", "rates.csv"):
        assert main(["import", str(tmp_path / f), "--db", db, "--status-date", "2026-02-28"]) == 0
    close_all()
    data = _cli_json(capsys, "--db", db)
    feb = data["portfolio"][1]
    assert feb["currency"] is None and feb["bac"] is None and feb["cpi"] is None
    by = {b["currency"]: b for b in feb["by_currency"]}
    # per currency, unconverted: CNY 10,000 / 8,100 / 9,000; EUR 2,000 / 1,800 / 1,800; USD 1,000 / 675 / 900
    assert (by["CNY"]["bac"], by["CNY"]["ev"], by["CNY"]["ac"]) == pytest.approx((10000, 8100, 9000))
    assert (by["EUR"]["bac"], by["EUR"]["cpi"]) == pytest.approx((2000, 1.0))
    assert (by["USD"]["ev"], by["USD"]["cpi"]) == pytest.approx((675, 0.75))
    assert feb["missing_rates"] == [
        {"code": "fx.missing_rate", "currency": "EUR", "reporting": "CNY", "date": "2026-02-28"}
    ]
    assert main(["metrics", "--json", "--db", db, "--currency", "dollars"]) == 1


def test_latest_import_wins_per_currency_and_date_whatever_the_status_date(store):
    from pmo_analytics.importing import parse_upload

    first = parse_upload("r1.csv", b"currency,rate,valid_from\nUSD,7.0,2026-01-01\nEUR,7.8,2026-01-01\n")
    fix = parse_upload("r2.csv", b"currency,rate,valid_from\nUSD,7.2,2026-01-01\n")
    store.import_parsed(first, date(2026, 3, 31))
    store.import_parsed(fix, date(2026, 1, 31))  # a correction stamped with an earlier status date
    rates = store.table("fx_rates", as_of=date(2025, 1, 1), projects=["P1"])  # no project_id: no filter
    assert sorted(zip(rates["currency"], rates["rate"], strict=True)) == [("EUR", 7.8), ("USD", 7.2)]


# The DDL of schema version 2 (the release before fx_rates), written out by hand.
V2_DDL = [
    "CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP)",
    "CREATE SEQUENCE import_seq START 1",
    "CREATE TABLE imports (import_id BIGINT, source_name VARCHAR, source_format VARCHAR, sha256 VARCHAR, "
    "status_date DATE, imported_at TIMESTAMP, rows_in BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, "
    "entity VARCHAR)",
    "CREATE TABLE projects (project_id VARCHAR, name VARCHAR, program VARCHAR, portfolio VARCHAR, "
    "department VARCHAR, manager VARCHAR, sponsor VARCHAR, stage VARCHAR, priority VARCHAR, currency VARCHAR, "
    "bac DOUBLE, start DATE, finish DATE, baseline_start DATE, baseline_finish DATE, status VARCHAR, "
    "import_id BIGINT, status_date DATE)",
    "INSERT INTO schema_version VALUES (2, TIMESTAMP '2026-01-01 00:00:00')",
    "INSERT INTO imports VALUES (1, 'old.xlsx', 'template', 'abc', DATE '2026-01-31', "
    "TIMESTAMP '2026-02-01 09:00:00', 1, 1, 0, 'projects')",
    "INSERT INTO projects (project_id, name, currency, bac, import_id, status_date) "
    "VALUES ('P1', 'Old', 'USD', 500, 1, DATE '2026-01-31')",
]


def test_opening_a_version_2_file_adds_fx_rates(tmp_path):
    path = tmp_path / "v2.duckdb"
    con = duckdb.connect(str(path))
    for sql in V2_DDL:
        con.execute(sql)
    con.close()
    s = Store(path)
    try:
        assert s.table("projects")["currency"].tolist() == ["USD"]  # the old rows are kept
        rates = s.table("fx_rates")
        assert rates.empty and {"currency", "rate", "valid_from", "base", "import_id"} <= set(rates.columns)
        assert s.query("SELECT max(version) AS v FROM schema_version")["v"].iloc[0] == store_mod.SCHEMA_VERSION
    finally:
        close_all()


# ------------------------------------------------------------------ a generated multi-currency portfolio
GEN_DATES = (date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31))


def _generated_store(db, seed: int = 7, closed: tuple[str, ...] = ()):
    """40 projects in CNY, USD, EUR or HKD with cumulative PV/EV/AC at three month ends, and
    monthly rates (some valid from mid-month); the projects in ``closed`` have status Closed, the
    others Active. Returns (rates by currency, rows by date)."""
    import hashlib

    import numpy as np

    from pmo_analytics.ingest.base import ParsedUpload

    rng = np.random.default_rng(seed)
    n = 40
    ccys = rng.choice(["CNY", "USD", "EUR", "HKD"], n)
    pids = [f"G{i:03d}" for i in range(n)]
    bac = rng.integers(50, 500, n) * 1000.0
    projects = pd.DataFrame({"project_id": pids, "name": pids, "currency": ccys, "bac": bac})
    if closed:
        projects["status"] = ["Closed" if p in closed else "Active" for p in pids]
    # cumulative PV 55-95 % of BAC: nearer BAC than the PVs' sum, so read as cumulative (evm.detect_series)
    fracs = np.sort(rng.uniform(0.55, 0.95, (n, 3)), axis=1)
    rows, periods = {}, []
    ev, ac = np.zeros(n), np.zeros(n)
    for k, d in enumerate(GEN_DATES):
        pv = bac * fracs[:, k]
        ev = np.maximum(ev, pv * rng.uniform(0.7, 1.05, n))  # cumulative: never falls
        ac = np.maximum(ac, ev * rng.uniform(0.9, 1.3, n))
        rows[d] = pd.DataFrame({"project_id": pids, "currency": ccys, "bac": bac, "pv": pv, "ev": ev, "ac": ac})
        periods.append(pd.DataFrame({"project_id": pids, "period_end": pd.Timestamp(d), "pv": pv, "ev": ev, "ac": ac}))
    rates = []
    for c, base_rate in (("USD", 7.1), ("EUR", 7.8), ("HKD", 0.91)):
        for m, day in ((3, 1), (4, 1), (4, 20), (5, 1)):
            rates.append((c, round(base_rate * rng.uniform(0.95, 1.05), 4), date(2026, m, day)))
    fx_rates = pd.DataFrame(rates, columns=["currency", "rate", "valid_from"])
    s = Store(db)
    tables = {"projects": projects, "evm_periods": pd.concat(periods, ignore_index=True), "fx_rates": fx_rates}
    s.import_parsed(
        ParsedUpload("gen.xlsx", "template", hashlib.sha256(b"gen").hexdigest(), tables=tables), GEN_DATES[-1]
    )
    close_all()
    by_ccy: dict[str, list] = {}
    for c, r, v in rates:
        by_ccy.setdefault(c, []).append((v, r))
    return by_ccy, rows


def _expected(by_ccy, rows, d):
    """The oracle, in plain Python: each amount times the rate with the latest valid_from <= d."""

    def rate(c):
        return 1.0 if c == "CNY" else max((v, r) for v, r in by_ccy[c] if v <= d)[1]

    df = rows[d]
    f = df["currency"].map(rate)
    return {k: float((df[k] * f).sum()) for k in ("bac", "pv", "ev", "ac")}


def test_generated_portfolio_agrees_across_cli_report_and_workbook(tmp_path, capsys):
    import io

    import openpyxl

    from pmo_analytics.report_workbook import report_from_store
    from pmo_analytics.weekly import report_from_store as weekly_from_store

    db = tmp_path / "gen.duckdb"
    by_ccy, rows = _generated_store(db)
    data = _cli_json(capsys, "--db", str(db))
    port = {r["status_date"]: r for r in data["portfolio"]}
    for d in GEN_DATES:
        exp = _expected(by_ccy, rows, d)
        got = port[d.isoformat()]
        assert got["currency"] == "CNY"
        assert [got[k] for k in ("bac", "pv", "ev", "ac")] == pytest.approx([exp[k] for k in ("bac", "pv", "ev", "ac")])
        assert got["cpi"] == pytest.approx(exp["ev"] / exp["ac"])  # sum, then divide
    last = _expected(by_ccy, rows, GEN_DATES[-1])
    # the weekly report's portfolio EAC (= BAC / CPI over converted sums)
    weekly = weekly_from_store(Store(db))
    eac = weekly.portfolio.set_index("metric").loc["eac_cpi"]
    assert eac["current"] == pytest.approx(last["bac"] * last["ac"] / last["ev"])
    assert eac["currency"] == "CNY" and weekly.currency == "CNY" and not weekly.fx_missing
    # the report workbook's Summary: BAC and EV totals
    wb = openpyxl.load_workbook(io.BytesIO(report_from_store(Store(db))))
    cells = {r[0].value: r[1].value for r in wb.worksheets[0].iter_rows(max_col=2) if r[0].value}
    assert cells["Budget at completion (BAC)"] == pytest.approx(last["bac"])
    assert cells["Earned value (EV)"] == pytest.approx(last["ev"])
    close_all()
