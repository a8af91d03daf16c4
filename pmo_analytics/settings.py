"""Settings that change how numbers are computed or coloured. Defaults come from the
environment (``PMO_*``) so a deployment can set them; pages may override per session."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    """Computation and display settings (immutable; ``with_(**changes)`` makes a copy)."""

    # RAG thresholds for index metrics (CPI, SPI, SPI(t), CPLI, BEI): green >= green_at, red < red_below
    green_at: float = 0.95
    red_below: float = 0.85
    # Health engine (metrics.health): the other parts of the overall RAG and the flags beside it
    exposure_green: float = 0.05  # open threat exposure / BAC: green <= this
    exposure_red: float = 0.10  # red > this, amber between
    milestones_amber: int = 1  # late milestones: amber at this many
    milestones_red: int = 3  # red at this many
    quality_min: float = 70.0  # DCMA schedule-quality score below this is flagged (never sets the colour)
    high_risks_red: int = 3  # heatmap cell only: open high risks red at this many
    # Earned value
    period: str = "W"  # reporting period for time-phased PV: "D", "W" or "M"
    ev_method: str = "physical"  # "physical" (percent complete), "0/100", "50/50"
    calendar: str = "workdays"  # "workdays" (Mon-Fri minus holidays) or "calendar"
    holidays: tuple[date, ...] = field(default_factory=tuple)
    # Schedule
    near_critical_days: float = 5.0
    high_float_days: float = 44.0
    high_duration_days: float = 44.0
    bei_variant: str = "dcma"  # "dcma" (missing baseline finish counted) or "p6"
    bei_early_finishers: bool = True  # BEI numerator: every completed task (DAU) or only those due
    cpli_variant: str = "baseline"  # CPLI float: "baseline" (vs baseline finish, capped by CPM float) or "float"
    cpm_remaining: str = "percent"  # started work: "percent" (duration x % left) or "forecast" (tool's finish)
    # Schedule risk (metrics.schedule_risk): the default band of a task without a three-point
    # estimate (shares of its remaining duration below and above) and the distribution sampled
    risk_band_low: float = 0.10
    risk_band_high: float = 0.25
    risk_distribution: str = "triangular"  # "triangular" or "pert" (beta)
    # Money: a project without a currency is in ``default_currency``; roll-ups convert into
    # ``reporting_currency`` (chosen per session in the sidebar); ``fx_base`` is the currency the
    # rates of an FXRates sheet without a base column are quoted in (PMO_REPORTING_CURRENCY,
    # fixed per deployment, so a session choosing another reporting currency gets cross rates)
    default_currency: str = "CNY"
    reporting_currency: str = "CNY"
    fx_base: str = "CNY"
    # Upload
    max_upload_mb: int = 200

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    def rag(self, value: float | None) -> str:
        """ "green", "amber", "red" for an index value; "" when missing."""
        if value is None or value != value:  # NaN
            return ""
        if value >= self.green_at:
            return "green"
        if value < self.red_below:
            return "red"
        return "amber"


_CHOICES = {
    "PMO_EVM_PERIOD": ("period", ("D", "W", "M")),
    "PMO_EV_METHOD": ("ev_method", ("physical", "0/100", "50/50")),
    "PMO_CALENDAR": ("calendar", ("workdays", "calendar")),
    "PMO_BEI_VARIANT": ("bei_variant", ("dcma", "p6")),
    "PMO_CPLI_VARIANT": ("cpli_variant", ("baseline", "float")),
    "PMO_CPM_REMAINING": ("cpm_remaining", ("percent", "forecast")),
    "PMO_RISK_DISTRIBUTION": ("risk_distribution", ("triangular", "pert")),
}
_YES = {"1", "yes", "true", "on", "是"}
_NO = {"0", "no", "false", "off", "否"}


def currency_code(text: object) -> str | None:
    """An ISO 4217-style code (three letters, upper case) from ``text``; None when it is not one."""
    if text is None or text != text:  # None, NaN, NA
        return None
    code = str(text).strip().upper()
    return code if len(code) == 3 and code.isascii() and code.isalpha() else None


def _env_currency(name: str, default: str) -> str:
    from .errors import ConfigError

    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    code = currency_code(raw)
    if code is None:
        raise ConfigError(key="config.not_currency", params={"var": name, "value": raw}, hint_key="hint.currency_code")
    return code


def from_env() -> Settings:
    """Settings from the environment: PMO_GREEN_AT, PMO_RED_BELOW, PMO_MAX_UPLOAD_MB,
    PMO_EVM_PERIOD (D/W/M), PMO_EV_METHOD (physical, 0/100, 50/50), PMO_CALENDAR (workdays,
    calendar), PMO_HOLIDAYS (comma-separated YYYY-MM-DD), PMO_NEAR_CRITICAL_DAYS,
    PMO_BEI_VARIANT (dcma, p6), PMO_BEI_EARLY_FINISHERS (yes/no), PMO_CPLI_VARIANT (baseline,
    float), PMO_CPM_REMAINING (percent, forecast); schedule risk: PMO_RISK_BAND_LOW,
    PMO_RISK_BAND_HIGH (shares of the remaining duration, 0.10 and 0.25), PMO_RISK_DISTRIBUTION
    (triangular, pert); health engine: PMO_EXPOSURE_GREEN,
    PMO_EXPOSURE_RED (shares of BAC, e.g. 0.05), PMO_MILESTONES_AMBER, PMO_MILESTONES_RED
    (counts of late milestones), PMO_QUALITY_MIN (DCMA score 0-100 below which a project is
    flagged); money: PMO_DEFAULT_CURRENCY (ISO code, CNY), PMO_REPORTING_CURRENCY (ISO code,
    default PMO_DEFAULT_CURRENCY).
    A value outside its choices raises ``ConfigError`` naming the variable."""
    from .errors import ConfigError

    changes: dict = {}
    default_ccy = _env_currency("PMO_DEFAULT_CURRENCY", "CNY")
    reporting = _env_currency("PMO_REPORTING_CURRENCY", default_ccy)
    changes.update(default_currency=default_ccy, reporting_currency=reporting, fx_base=reporting)
    for var, (attr, choices) in _CHOICES.items():
        raw = os.environ.get(var, "").strip()
        if not raw:
            continue
        match = next((c for c in choices if c.casefold() == raw.casefold()), None)
        if match is None:
            raise ConfigError(
                key="config.not_a_choice",
                params={"var": var, "value": raw, "choices": ", ".join(choices)},
                hint_key="hint.unset_or_pick",
            )
        changes[attr] = match
    raw = os.environ.get("PMO_BEI_EARLY_FINISHERS", "").strip().casefold()
    if raw:
        if raw not in _YES | _NO:
            raise ConfigError(
                key="config.not_yes_no", params={"var": "PMO_BEI_EARLY_FINISHERS", "value": raw}, hint_key="hint.yes_no"
            )
        changes["bei_early_finishers"] = raw in _YES
    raw = os.environ.get("PMO_HOLIDAYS", "").strip()
    if raw:
        days = []
        for part in raw.replace(";", ",").split(","):
            if not part.strip():
                continue
            try:
                days.append(date.fromisoformat(part.strip()))
            except ValueError:
                raise ConfigError(
                    key="config.holiday_not_date", params={"value": part.strip()}, hint_key="hint.holiday_dates"
                ) from None
        changes["holidays"] = tuple(sorted(set(days)))
    return Settings(
        green_at=_env_float("PMO_GREEN_AT", 0.95),
        red_below=_env_float("PMO_RED_BELOW", 0.85),
        max_upload_mb=int(_env_float("PMO_MAX_UPLOAD_MB", 200)),
        near_critical_days=_env_float("PMO_NEAR_CRITICAL_DAYS", 5.0),
        exposure_green=_env_float("PMO_EXPOSURE_GREEN", 0.05),
        exposure_red=_env_float("PMO_EXPOSURE_RED", 0.10),
        milestones_amber=int(_env_float("PMO_MILESTONES_AMBER", 1)),
        milestones_red=int(_env_float("PMO_MILESTONES_RED", 3)),
        quality_min=_env_float("PMO_QUALITY_MIN", 70.0),
        risk_band_low=_env_float("PMO_RISK_BAND_LOW", 0.10),
        risk_band_high=_env_float("PMO_RISK_BAND_HIGH", 0.25),
        **changes,
    )


# ---------------------------------------------------------------- the organisation's settings
# Settings that change numbers or colours, owned by admins (issue 15): stored in the database
# (``Store.org_settings``), the environment (``from_env``) being the seed of any never saved.
# The CLI, reports and every session start from these; a page may override one for its
# session, and the sidebar then says so (``overrides``).
ORG_FIELDS: dict[str, type] = {
    "green_at": float,
    "red_below": float,
    "exposure_green": float,
    "exposure_red": float,
    "milestones_amber": int,
    "milestones_red": int,
    "quality_min": float,
    "period": str,
    "ev_method": str,
    "calendar": str,
    "holidays": tuple,
    "risk_band_low": float,
    "risk_band_high": float,
    "risk_distribution": str,
}
ORG_CHOICES = {attr: choices for attr, choices in _CHOICES.values()}


def check_org_value(name: str, value: object) -> object:
    """``value`` as the type of organisation setting ``name``; ``ConfigError`` naming the
    setting when it is not one (unknown name, a choice outside its list, a bad number or date)."""
    from .errors import ConfigError

    if name not in ORG_FIELDS:
        raise ConfigError(key="settings.unknown", params={"name": name, "known": ", ".join(ORG_FIELDS)})
    kind = ORG_FIELDS[name]
    try:
        if kind is tuple:
            items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
            return tuple(sorted({date.fromisoformat(str(v).strip()) for v in items if str(v).strip()}))
        if kind is str:
            text = str(value)
            choices = ORG_CHOICES.get(name)
            if choices is not None and text not in choices:
                raise ValueError(text)
            return text
        out = kind(value)  # type: ignore[call-arg]
        if out != out:  # NaN
            raise ValueError(value)
        return out
    except (TypeError, ValueError):
        raise ConfigError(
            key="settings.bad_value",
            params={"name": name, "value": str(value), "choices": ", ".join(ORG_CHOICES.get(name, ()))},
        ) from None


def organisation(stored: dict[str, object], base: Settings | None = None) -> Settings:
    """The organisation's settings: ``base`` (the environment's, ``from_env()``) with the stored
    values (``Store.org_settings()``) applied; a stored value no longer valid is skipped."""
    s = base or from_env()
    changes: dict[str, object] = {}
    for name, value in stored.items():
        if name not in ORG_FIELDS:
            continue
        try:
            changes[name] = check_org_value(name, value)
        except Exception:  # noqa: BLE001 - a value saved by an older version: the seed wins
            continue
    return s.with_(**changes) if changes else s


def org_from_store(store) -> Settings:
    """``organisation`` of ``store``'s saved settings (the CLI, reports and every new session)."""
    return organisation(store.org_settings())


def org_values(s: Settings) -> dict[str, object]:
    """The organisation fields of ``s`` as JSON-able values (dates as ISO text)."""
    out: dict[str, object] = {}
    for name in ORG_FIELDS:
        v = getattr(s, name)
        out[name] = [d.isoformat() for d in v] if isinstance(v, tuple) else v
    return out


def overrides(session: Settings, org: Settings) -> dict[str, tuple[object, object]]:
    """Organisation fields a session changed: name -> (session value, organisation value)."""
    return {n: (getattr(session, n), getattr(org, n)) for n in ORG_FIELDS if getattr(session, n) != getattr(org, n)}
