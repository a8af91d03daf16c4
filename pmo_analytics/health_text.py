"""The health engine's codes in words (English or Simplified Chinese): the edge where
``metrics.health`` reasons and flags become text, e.g.
"SPI 0.81 < 0.85 · 2 milestones late · exposure 12% of BAC > 10%". Used by pages, exports,
report writers and the CLI; the metrics never make words."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import pandas as pd

from .i18n import t
from .metrics.health import Reason

SEP = " · "
PCT_CODES = ("exposure_above",)


def beside(value: float, limit: float, *, pct: bool = False) -> tuple[str, str]:
    """(value, limit) as text: the limit with 2 decimals (a share: 0 decimals of a percent),
    the value with as many more decimals as it takes not to read as the limit it crossed
    (0.9496 below 0.95, 10.04% above 10%; never 0.95 below 0.95)."""
    lim = f"{limit:.0%}" if pct else f"{limit:.2f}"
    shown = lim
    for d in range(1 if pct else 2, 7):
        shown = f"{value:.{d}%}" if pct else f"{value:.{d}f}"
        if float(shown.rstrip("%")) != float(lim.rstrip("%")):
            break
    return shown, lim


def reason_text(reason: Sequence[object], lang: str = "en") -> str:
    """One reason or flag in words."""
    r = Reason(*reason)  # type: ignore[arg-type]
    if r.code in ("milestones_slipped",):
        n = int(r.value or 0)
        return t("reason.milestones_slipped_one", lang) if n == 1 else t("reason.milestones_slipped", lang, value=n)
    if r.code == "quality_below":
        return t("flag.quality_below", lang, value=f"{float(r.value or 0):.0f}%", threshold=f"{r.threshold:.0f}%")
    if r.code == "stale":
        return t("flag.stale", lang, value=int(r.value or 0))
    if r.value is None or r.threshold is None:
        return t(f"reason.{r.code}", lang)
    value, limit = beside(float(r.value), float(r.threshold), pct=r.code in PCT_CODES)
    return t(f"reason.{r.code}", lang, value=value, threshold=limit)


def reasons_text(reasons: Iterable[Sequence[object]] | None, lang: str = "en", *, rag: str | None = None) -> str:
    """The reasons joined with " · "; with ``rag`` given and no reason: "all within
    thresholds" (green) or "no indicator could be computed"."""
    parts = [reason_text(r, lang) for r in (reasons or ())]
    if not parts and rag is not None:
        return t("reason.none" if rag == "green" else "reason.no_data", lang)
    return SEP.join(parts)


def rag_word(rag: str, lang: str = "en") -> str:
    """ "Red"/"Amber"/"Green" (红/黄/绿), "" for unknown."""
    return t(f"rag.{rag}", lang) if rag else ""


def with_words(projects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rows of the engine's decision (a health table, report project rows) with the engine's codes in words: ``rag`` as Red/Amber/Green (红/黄/绿),
    ``rag_reasons`` and ``flags`` as text ("SPI(t) 0.81 < 0.85 · 2 milestones slipped")."""
    out = projects.copy()
    if out.empty:
        return out
    codes = out["rag"].fillna("").astype(str) if "rag" in out else pd.Series("", index=out.index)
    if "rag_reasons" in out:
        out["rag_reasons"] = [reasons_text(r, lang, rag=c) for r, c in zip(out["rag_reasons"], codes, strict=True)]
    if "flags" in out:
        out["flags"] = [reasons_text(f, lang) for f in out["flags"]]
    if "rag" in out:
        out["rag"] = codes.map(lambda c: rag_word(c, lang))
    return out


def rag_of_word(lang: str = "en") -> Callable[[object], str]:
    """Displayed RAG word -> colour code, to colour a table whose ``rag`` column holds words."""
    words = {t(f"rag.{c}", lang): c for c in ("red", "amber", "green")}
    return lambda v: words.get(str(v), "")


def portfolio_why(report: object, lang: str = "en") -> str:
    """A weekly report's portfolio reasons in words plus the projects' red/amber counts
    ("SPI(t) 0.94 < 0.95 · projects: 10 red, 1 amber")."""
    rag = str(getattr(report, "portfolio_rag", "") or "")
    why = reasons_text(getattr(report, "portfolio_reasons", []), lang, rag=rag)
    projects = getattr(report, "projects", None)
    if projects is not None and len(projects):
        n_red = int((projects["rag"] == "red").sum())
        n_amber = int((projects["rag"] == "amber").sum())
        why += SEP + t("health.portfolio_projects", lang, red=n_red, amber=n_amber)
    return why
