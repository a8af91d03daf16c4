"""``metrics --json``: every glossary key for every (project, status date), and one object per
period end for a project loaded from a period series. Expected values computed by hand."""

from __future__ import annotations

import json

import pytest

from pmo_analytics.cli import main
from pmo_analytics.store import close_all
from tests.helpers import template_bytes

DATA = __import__("pathlib").Path(__file__).resolve().parent / "data"
GLOSSARY = (
    "pv ev ac bac cv sv cv_pct sv_pct cpi spi eac_cpi eac_atypical eac_composite etc vac tcpi_bac tcpi_eac "
    "es at pd sv_t spi_t ieac_t tspi es_date forecast_finish"
).split()


def _metrics_json(capsys, db: str) -> dict:
    capsys.readouterr()
    assert main(["metrics", "--db", db, "--json"]) == 0
    out = capsys.readouterr().out
    close_all()
    return json.loads(out)


def _import(path, db: str, status: str, *extra: str) -> None:
    assert main(["import", str(path), "--db", db, "--status-date", status, *extra]) == 0
    close_all()


def test_every_glossary_key_for_every_project_and_status_date(tmp_path, capsys):
    f = tmp_path / "portfolio.xlsx"
    f.write_bytes(template_bytes())
    db = str(tmp_path / "m.duckdb")
    _import(f, db, "2025-01-24")
    _import(f, db, "2025-01-31", "--force")  # the same file as a second status date: confirmed
    data = _metrics_json(capsys, db)
    keys = [(r["project_id"], r["status_date"]) for r in data["projects"]]
    assert keys == [
        ("P1", "2025-01-24"),
        ("P1", "2025-01-31"),
        ("P2", "2025-01-24"),
        ("P2", "2025-01-31"),
    ]
    for r in data["projects"]:
        assert set(GLOSSARY) <= set(r), sorted(set(GLOSSARY) - set(r))
    p1 = {r["status_date"]: r for r in data["projects"] if r["project_id"] == "P1"}
    # P1: Design Jan 6-17 (400, done), Build Jan 20-31 (600, 50 %). Jan 24: PV 400 + 600*5/10 = 700,
    # EV 700 -> weekly PV 200, 400, 700, 1000: ES = 3 (= PV of week 3); AT = 3 (Fri closes week 3)
    assert (p1["2025-01-24"]["pv"], p1["2025-01-24"]["ev"]) == pytest.approx((700, 700))
    assert (p1["2025-01-24"]["es"], p1["2025-01-24"]["at"], p1["2025-01-24"]["pd"]) == pytest.approx((3, 3, 4))
    # Jan 31: PV 1000, EV still 700 -> ES 3 again, AT 4: SPI(t) 0.75, SV(t) -1 week
    assert (p1["2025-01-31"]["es"], p1["2025-01-31"]["at"]) == pytest.approx((3, 4))
    assert p1["2025-01-31"]["spi_t"] == pytest.approx(0.75)
    # dates are ISO strings or null (never the text "NaT")
    for r in data["projects"] + data["portfolio"]:
        for k in ("status_date", "es_date", "forecast_finish", "completed"):
            v = r.get(k)
            assert v is None or (len(v) == 10 and v[4] == "-"), (k, v)
    # weeks from Mon Jan 6: ES 3.0 = the end of week 3 (Jan 20-26), its last working day Fri Jan 24
    assert p1["2025-01-24"]["es_date"] == "2025-01-24"
    assert p1["2025-01-24"]["completed"] is None


def test_period_series_gives_one_object_per_period_end(tmp_path, capsys):
    db = str(tmp_path / "f.duckdb")
    _import(DATA / "finance_periods.xlsx", db, "2025-03-31")
    data = _metrics_json(capsys, db)
    rows = {(r["project_id"], r["status_date"]): r for r in data["projects"]}
    assert list(rows) == [
        ("ALPHA", "2025-01-31"),
        ("ALPHA", "2025-02-28"),
        ("ALPHA", "2025-03-31"),
        ("BETA", "2025-01-31"),
        ("BETA", "2025-02-28"),
    ]
    for r in rows.values():
        assert set(GLOSSARY) <= set(r)
        assert (r["source"], r["series"], r["period"]) == ("evm_periods", "cumulative", "M")
    # ALPHA cumulative PV 100, 250, 400 (PD 3, BAC 400); EV 90, 220, 380; AC 95, 240, 420
    # month 1: C = 0, ES = 90/100 = 0.9; month 2: C = 1, ES = 1 + (220-100)/(250-100) = 1.8
    # month 3: C = 2, ES = 2 + (380-250)/(400-250) = 2.8667
    es = [rows[("ALPHA", d)]["es"] for d in ("2025-01-31", "2025-02-28", "2025-03-31")]
    assert es == pytest.approx([0.9, 1.8, 2 + 130 / 150])
    a3 = rows[("ALPHA", "2025-03-31")]
    assert (a3["at"], a3["pd"], a3["bac"]) == (3, 3, 400)
    assert a3["cpi"] == pytest.approx(380 / 420)
    assert a3["eac_cpi"] == pytest.approx(400 * 420 / 380)  # 442.11
    # BETA PV 50, 120; EV 50 = PV_1 -> ES 1; then 1 + (110-50)/(120-50) = 1.857
    assert rows[("BETA", "2025-02-28")]["es"] == pytest.approx(1 + 60 / 70)
    # Portfolio at 2025-03-31: ALPHA's March values + BETA carried forward from its last report
    # (February): BAC 400 + 120 = 520, PV 400 + 120 = 520, EV 380 + 110 = 490, AC 420 + 100 = 520.
    port = {r["status_date"]: r for r in data["portfolio"]}
    m = port["2025-03-31"]
    assert (m["bac"], m["pv"], m["ev"], m["ac"]) == pytest.approx((520, 520, 490, 520))
    assert m["cpi"] == pytest.approx(490 / 520)
    assert m["tcpi_bac"] is None  # (BAC - EV) / (BAC - AC): zero denominator -> missing, not -1


def test_settings_from_the_environment(monkeypatch):
    from datetime import date

    from pmo_analytics.errors import ConfigError
    from pmo_analytics.settings import from_env

    monkeypatch.setenv("PMO_EVM_PERIOD", "m")
    monkeypatch.setenv("PMO_EV_METHOD", "0/100")
    monkeypatch.setenv("PMO_CALENDAR", "calendar")
    monkeypatch.setenv("PMO_HOLIDAYS", "2025-10-01, 2025-05-01;2025-10-01")
    s = from_env()
    assert (s.period, s.ev_method, s.calendar) == ("M", "0/100", "calendar")
    assert s.holidays == (date(2025, 5, 1), date(2025, 10, 1))
    monkeypatch.setenv("PMO_BEI_VARIANT", "P6")
    monkeypatch.setenv("PMO_CPLI_VARIANT", "float")
    monkeypatch.setenv("PMO_CPM_REMAINING", "forecast")
    monkeypatch.setenv("PMO_BEI_EARLY_FINISHERS", "no")
    s = from_env()
    assert (s.bei_variant, s.cpli_variant, s.cpm_remaining, s.bei_early_finishers) == ("p6", "float", "forecast", False)
    monkeypatch.setenv("PMO_BEI_EARLY_FINISHERS", "maybe")
    with pytest.raises(ConfigError, match="PMO_BEI_EARLY_FINISHERS='maybe' is not yes or no"):
        from_env()
    monkeypatch.delenv("PMO_BEI_EARLY_FINISHERS")
    monkeypatch.setenv("PMO_EV_METHOD", "earned")
    with pytest.raises(ConfigError, match=r"PMO_EV_METHOD='earned' is not one of physical, 0/100, 50/50"):
        from_env()
    monkeypatch.delenv("PMO_EV_METHOD")
    monkeypatch.setenv("PMO_HOLIDAYS", "2025-13-01")
    with pytest.raises(ConfigError, match="PMO_HOLIDAYS: '2025-13-01' is not a date"):
        from_env()


def test_cli_ev_method_from_the_environment(tmp_path, capsys, monkeypatch):
    f = tmp_path / "portfolio.xlsx"
    f.write_bytes(template_bytes())
    db = str(tmp_path / "m.duckdb")
    _import(f, db, "2025-01-31")
    monkeypatch.setenv("PMO_EV_METHOD", "0/100")
    data = _metrics_json(capsys, db)
    p1 = next(r for r in data["projects"] if r["project_id"] == "P1")
    # P1 at 0/100: Design (400, 100 %) earns 400, Build (600, 50 %) earns nothing
    assert p1["ev"] == pytest.approx(400)
