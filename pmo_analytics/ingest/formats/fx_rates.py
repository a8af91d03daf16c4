"""Exchange-rate lists -> ``fx_rates``: a CSV, or a workbook whose sheets (any name) have the
FXRates headers in English or Chinese (``Currency``/``币种``, ``Rate``/``Exchange rate``/``汇率``,
``Valid from``/``Effective date``/``生效日期``, optional ``Base currency``/``本位币``).

A template workbook with an ``FXRates``/``汇率`` sheet among other template sheets is the
``template`` format's (which reads that sheet the same way); this module takes files that hold
rates only, whatever their sheet is called."""

from __future__ import annotations

from ...schema import FX_RATES, match_headers
from ..base import ParsedUpload, Problem, RawFile
from . import template

NAME = "fx_rates"
LABEL = "Exchange rates"


def _is_rates(headers: list) -> bool:
    return set(FX_RATES.required) <= set(match_headers(FX_RATES.name, [str(h) for h in headers if h]).values())


def detect(raw: RawFile) -> float:
    if raw.kind not in ("csv", "xlsx") or not raw.sheets:
        return 0.0
    sheets = [s for s in raw.sheets.values() if s.headers]
    if not sheets or not all(_is_rates(s.headers) for s in sheets):
        return 0.0
    return 0.95


def parse(raw: RawFile, options) -> ParsedUpload:
    result = ParsedUpload(source_name=raw.name, source_format=NAME, sha256=raw.sha256)
    for sheet in raw.sheets.values():
        if not sheet.headers:
            continue
        if not _is_rates(sheet.headers):
            result.problems.append(
                Problem(
                    raw.name,
                    sheet.name,
                    sheet.header_row,
                    None,
                    ", ".join(map(str, sheet.headers[:8])),
                    "expected exchange-rate headers: " + ", ".join(FX_RATES.required),
                )
            )
            continue
        template.parse_sheet(raw, sheet, FX_RATES.name, result, None)
    return result
