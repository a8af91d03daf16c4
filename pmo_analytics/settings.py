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
}
_YES = {"1", "yes", "true", "on", "是"}
_NO = {"0", "no", "false", "off", "否"}


def from_env() -> Settings:
    """Settings from the environment: PMO_GREEN_AT, PMO_RED_BELOW, PMO_MAX_UPLOAD_MB,
    PMO_EVM_PERIOD (D/W/M), PMO_EV_METHOD (physical, 0/100, 50/50), PMO_CALENDAR (workdays,
    calendar), PMO_HOLIDAYS (comma-separated YYYY-MM-DD), PMO_NEAR_CRITICAL_DAYS,
    PMO_BEI_VARIANT (dcma, p6), PMO_BEI_EARLY_FINISHERS (yes/no), PMO_CPLI_VARIANT (baseline,
    float), PMO_CPM_REMAINING (percent, forecast); health engine: PMO_EXPOSURE_GREEN,
    PMO_EXPOSURE_RED (shares of BAC, e.g. 0.05), PMO_MILESTONES_AMBER, PMO_MILESTONES_RED
    (counts of late milestones), PMO_QUALITY_MIN (DCMA score 0-100 below which a project is
    flagged).
    A value outside its choices raises ``ConfigError`` naming the variable."""
    from .errors import ConfigError

    changes: dict = {}
    for var, (attr, choices) in _CHOICES.items():
        raw = os.environ.get(var, "").strip()
        if not raw:
            continue
        match = next((c for c in choices if c.casefold() == raw.casefold()), None)
        if match is None:
            raise ConfigError(f"{var}={raw!r} is not one of {', '.join(choices)}", hint=f"Unset {var} or pick one.")
        changes[attr] = match
    raw = os.environ.get("PMO_BEI_EARLY_FINISHERS", "").strip().casefold()
    if raw:
        if raw not in _YES | _NO:
            raise ConfigError(f"PMO_BEI_EARLY_FINISHERS={raw!r} is not yes or no", hint="Use yes or no.")
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
                    f"PMO_HOLIDAYS: {part.strip()!r} is not a date", hint="Write dates as YYYY-MM-DD, comma-separated."
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
        **changes,
    )
