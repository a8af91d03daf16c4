"""Risk registers in the shapes PMOs keep (xlsx or CSV, English or Chinese) -> ``risks``.

Rules (each column's interpretation is reported in the notes):
- Headers are matched after trimming (``Owner `` = ``Owner``); a header may repeat (two
  ``Impact`` columns: one a 1-5 score, one an amount) and each copy is interpreted on its own.
- Probability columns (``Probability``, ``Likelihood``, ``概率``, ``可能性`` ...): ``30%`` is a
  percentage; bare numbers are read per column: all whole 1..5 -> a 1-5 score, all within 0..1 ->
  a fraction, otherwise 0..100 percentages; words are levels on a 5-point scale (Very low/极低 1,
  Low/低 2, Medium/中 3, High/高 4, Very high/极高 5; also L/M/H, Rare, Likely, Almost certain).
  Both ``probability`` (0..1) and ``probability_score`` (1..5) are filled: a fraction gives the
  score of its fifth (0-20% -> 1, ... 80-100% -> 5); a score or level gives the midpoint of its
  fifth (1 -> 0.1, 2 -> 0.3, 3 -> 0.5, 4 -> 0.7, 5 -> 0.9).
- Impact columns (``Impact``, ``Severity``, ``Cost impact``, ``影响``, ``影响金额`` ...): money text
  (``300,000 CHF``, ``¥1,200``, ``1.2万``, ``(5,000)``) is ``impact_cost``; bare numbers are a 1-5
  score when all are whole 1..5 and the header does not say cost/amount/金额, else amounts;
  words are levels as above (``impact_score``). No score is invented from an amount.
- Opportunities: a negative amount is an opportunity; a ``Type`` column saying Opportunity/机会
  turns a positive amount negative (noted).
- Derived columns (``Score``, ``Rating``, ``Exposure``, ``风险值``) are not loaded: the product
  computes exposure and score itself.
- ``risk_id`` from ``Risk ID``/``ID``/``Ref``/``编号``; when there is none, ``R`` + the row number.
- ``project_id``: a ``Project`` column, else the chosen project.
"""

from __future__ import annotations

import re

import pandas as pd

from ..base import Note, ParsedUpload, Problem, RawFile, RawSheet
from ..normalize import _CURRENCY_RE, is_empty, parse_float, parse_money, parse_text
from ._common import add_table, ensure_table, find_columns, first_value, new_result, note

NAME = "risk_register"
LABEL = "Risk register"

FIELDS: dict[str, tuple[str, ...]] = {
    "project_id": ("Project", "Project ID", "Project Code", "Project Name", "项目", "项目编号", "项目名称", "项目代码"),
    "risk_id": (
        "Risk ID",
        "Risk No",
        "Risk No.",
        "Risk #",
        "Risk Number",
        "ID",
        "Ref",
        "Ref.",
        "Reference",
        "No.",
        "No",
        "#",
        "风险编号",
        "风险ID",
        "编号",
        "序号",
    ),
    "title": (
        "Risk",
        "Risk Title",
        "Title",
        "Risk Description",
        "Description",
        "Risk Name",
        "Risk Event",
        "风险",
        "风险名称",
        "风险描述",
        "描述",
        "风险事件",
        "风险标题",
    ),
    "category": ("Category", "Risk Category", "Area", "类别", "风险类别", "分类"),
    "polarity": ("Type", "Risk Type", "Threat/Opportunity", "T/O", "类型", "风险类型"),
    "probability": (
        "Probability",
        "Likelihood",
        "Probability %",
        "Probability (%)",
        "Likelihood %",
        "Prob",
        "Prob.",
        "P",
        "Probability Score",
        "Likelihood Score",
        "Probability (1-5)",
        "Probability Rating",
        "概率",
        "可能性",
        "发生概率",
        "发生可能性",
        "概率等级",
        "可能性等级",
    ),
    "impact": (
        "Impact",
        "Severity",
        "Consequence",
        "Impact (cost)",
        "Cost Impact",
        "Impact Cost",
        "Financial Impact",
        "Impact Score",
        "Impact (1-5)",
        "Impact Rating",
        "I",
        "影响",
        "影响程度",
        "影响金额",
        "成本影响",
        "损失",
        "严重程度",
        "后果",
        "影响等级",
        "财务影响",
    ),
    "derived": (
        "Score",
        "Risk Score",
        "Rating",
        "Risk Rating",
        "Exposure",
        "EMV",
        "Risk Level",
        "P x I",
        "PxI",
        "风险值",
        "风险等级",
        "风险分值",
        "风险敞口",
    ),
    "owner": ("Owner", "Risk Owner", "Responsible", "Action Owner", "负责人", "责任人", "风险负责人"),
    "status": ("Status", "State", "状态"),
    "response": (
        "Response",
        "Mitigation",
        "Response Plan",
        "Mitigation Plan",
        "Action",
        "Actions",
        "Treatment",
        "Response Strategy",
        "应对措施",
        "应对",
        "缓解措施",
        "应对计划",
        "应对策略",
    ),
    "due_date": ("Due", "Due Date", "Target Date", "Response Due", "Review Date", "到期日", "截止日期", "完成期限"),
    "raised_date": (
        "Raised",
        "Date Raised",
        "Raised Date",
        "Identified",
        "Date Identified",
        "Identified On",
        "提出日期",
        "识别日期",
        "登记日期",
    ),
}

LEVELS = {
    1: (
        "very low",
        "vl",
        "very unlikely",
        "rare",
        "negligible",
        "insignificant",
        "极低",
        "很低",
        "非常低",
        "极小",
        "罕见",
        "几乎不可能",
    ),
    2: ("low", "l", "unlikely", "minor", "低", "较低", "小", "不太可能"),
    3: ("medium", "med", "m", "moderate", "possible", "中", "中等", "一般", "可能", "适中"),
    4: ("high", "h", "likely", "major", "significant", "高", "较高", "大", "很可能"),
    5: (
        "very high",
        "vh",
        "almost certain",
        "certain",
        "critical",
        "severe",
        "extreme",
        "catastrophic",
        "极高",
        "很高",
        "非常高",
        "严重",
        "极大",
        "几乎确定",
        "灾难性",
    ),
}
_LEVEL = {w: n for n, words in LEVELS.items() for w in words}
MIDPOINT = {1: 0.1, 2: 0.3, 3: 0.5, 4: 0.7, 5: 0.9}
_OPPORTUNITY = {"opportunity", "opp", "o", "机会", "机遇", "positive", "upside"}
_COST_WORDS = (
    "cost",
    "amount",
    "financial",
    "money",
    "value",
    "金额",
    "成本",
    "损失",
    "费用",
    "财务",
    "¥",
    "$",
    "€",
    "£",
    "chf",
    "usd",
    "eur",
    "cny",
    "rmb",
    "万元",
    "(元)",
)
_SCORE_WORDS = ("score", "level", "rating", "1-5", "1–5", "等级", "分值", "级别")


def level_of(value) -> int | None:
    """1..5 for a level word (High, 中, VL ...), else None."""
    t = parse_text(value)
    if not t:
        return None
    return _LEVEL.get(" ".join(t.replace("-", " ").split()).casefold())


def _score(value) -> tuple[int | None, bool]:
    """A 1-5 score from a level word (``level_of``) or a whole number 1..5, and whether the
    cell held something else (a problem to report)."""
    lv = level_of(value)
    if lv is not None or is_empty(value):
        return lv, False
    try:
        n = parse_float(value)
    except ValueError:
        return None, True
    if n is not None and float(n).is_integer() and 1 <= n <= 5:
        return int(n), False
    return None, True


def score_of_fraction(p: float) -> int:
    """1..5: the fifth of 0..1 that ``p`` falls in (0.2 -> 1, 0.21 -> 2, 1.0 -> 5)."""
    for n, hi in ((1, 0.2), (2, 0.4), (3, 0.6), (4, 0.8)):
        if p <= hi + 1e-12:
            return n
    return 5


def _pick_sheet(raw: RawFile) -> tuple[RawSheet | None, float]:
    best, best_score = None, 0.0
    for sheet in raw.sheets.values():
        cols = find_columns(sheet.headers, FIELDS)
        if "probability" not in cols and "impact" not in cols:
            continue
        score = 0.3
        score += 0.2 if "probability" in cols else 0
        score += 0.2 if "impact" in cols else 0
        score += 0.1 if "title" in cols else 0
        score += 0.05 * sum(1 for f in ("owner", "response", "status", "risk_id", "category") if f in cols)
        riskish = (
            any("risk" in h.casefold() or "风险" in h for h in sheet.headers)
            or "risk" in sheet.name.casefold()
            or "风险" in sheet.name
            or "risk" in raw.name.casefold()
            or "风险" in raw.name
        )
        score += 0.1 if riskish else -0.1
        if score > best_score:
            best, best_score = sheet, score
    return best, min(best_score, 0.95)


def detect(raw: RawFile) -> float:
    if raw.kind not in ("xlsx", "csv"):
        return 0.0
    return _pick_sheet(raw)[1]


def _classify_probability(header: str, values: list) -> str:
    """'percent' | 'fraction' | 'score' for the bare numbers of one probability column."""
    nums = []
    for v in values:
        if is_empty(v) or level_of(v) is not None or (isinstance(v, str) and "%" in v):
            continue
        try:
            nums.append(parse_float(v))
        except ValueError:
            pass
    h = header.casefold()
    if "%" in h:
        return "percent" if any(n > 1 for n in nums) or not nums else "fraction"
    if nums and all(float(n).is_integer() and 1 <= n <= 5 for n in nums) and not all(n == 1 for n in nums):
        return "score"
    if any(w in h for w in _SCORE_WORDS) and nums and all(1 <= n <= 5 for n in nums):
        return "score"
    if nums and all(0 <= n <= 1 for n in nums):
        return "fraction"
    return "percent"


def _classify_impact(header: str, values: list) -> str:
    """'cost' | 'score' for the bare numbers of one impact column."""
    h = header.casefold()
    if any(w in h for w in _COST_WORDS):
        return "cost"
    nums, money_text = [], False
    for v in values:
        if is_empty(v) or level_of(v) is not None:
            continue
        if isinstance(v, str) and (_CURRENCY_RE.search(v) or re.search(r"[万亿kK]\s*$|\d,\d{3}", v)):
            money_text = True
        try:
            nums.append(parse_money(v))
        except ValueError:
            pass
    if money_text:
        return "cost"
    if nums and all(float(n).is_integer() and 1 <= n <= 5 for n in nums):
        return "score"
    if any(w in h for w in _SCORE_WORDS):
        return "score"
    return "cost"


def parse(raw: RawFile, options) -> ParsedUpload:
    result = new_result(raw, NAME)
    sheet, _ = _pick_sheet(raw)
    for name in raw.sheets:
        if name != sheet.name:
            note(result, Note("note.sheet_ignored", sheet=name))
    cols = find_columns(sheet.headers, FIELDS)
    hdr = {f: sheet.headers[i[0]] for f, i in cols.items()}
    where = sheet.name or raw.name
    data_rows = [(i, r) for i, r in enumerate(sheet.rows) if not all(is_empty(v) for v in r)]

    def values(idx):
        return [r[idx] if idx < len(r) else None for _, r in data_rows]

    # --- classify every probability and impact column (repeated headers each on their own)
    prob_cols: dict[str, int] = {}
    prob_kind = ""
    for idx in cols.get("probability", []):
        kind = _classify_probability(sheet.headers[idx], values(idx))
        vals = values(idx)
        if all(level_of(v) is not None for v in vals if not is_empty(v)) and any(not is_empty(v) for v in vals):
            kind = "level"
        key = "score" if kind in ("score", "level") else "share"
        if key in prob_cols:
            note(result, Note("note.risk.prob_duplicate", where=where, column=sheet.headers[idx], n=idx + 1))
            continue
        prob_cols[key] = idx
        note(result, Note(f"note.risk.prob_as.{kind}", where=where, column=sheet.headers[idx]))
        if key == "share":
            prob_kind = kind
    imp_cols: dict[str, int] = {}
    for idx in cols.get("impact", []):
        vals = values(idx)
        kind = _classify_impact(sheet.headers[idx], vals)
        if all(level_of(v) is not None for v in vals if not is_empty(v)) and any(not is_empty(v) for v in vals):
            kind = "score"
        if kind in imp_cols:
            note(result, Note("note.risk.impact_duplicate", where=where, column=sheet.headers[idx], n=idx + 1))
            continue
        imp_cols[kind] = idx
        note(result, Note(f"note.risk.impact_as.{kind}", where=where, column=sheet.headers[idx]))
    if "share" in prob_cols and "score" not in prob_cols:
        note(result, Note("note.risk.score_derived"))
    if "score" in prob_cols and "share" not in prob_cols:
        note(result, Note("note.risk.probability_derived"))
    if "derived" in cols:
        note(result, Note("note.risk.derived_columns", columns=", ".join(sheet.headers[i] for i in cols["derived"])))

    records, row_numbers = [], []
    currencies: set[str] = set()
    flipped = generated_ids = 0
    for i, r in data_rows:
        rn = sheet.file_row(i)

        def get(f, _r=r):
            return first_value(_r, cols.get(f))

        def cell(idx, _r=r):
            return _r[idx] if idx is not None and idx < len(_r) else None

        bad = False
        prob = pscore = icost = iscore = None
        if "share" in prob_cols:
            v = cell(prob_cols["share"])
            try:
                lv = level_of(v)
                if lv is not None:
                    pscore, prob = lv, MIDPOINT[lv]
                elif not is_empty(v):
                    if isinstance(v, str) and v.strip().endswith(("%", "％")):
                        n = parse_float(v.strip()[:-1])
                        if n is None:
                            raise ValueError(v)
                        prob = n / 100
                    else:
                        n = parse_float(v)
                        prob = n / 100 if prob_kind == "percent" else n
            except ValueError:
                bad = True
                result.problems.append(
                    Problem.of(
                        raw.name,
                        sheet.name,
                        rn,
                        sheet.headers[prob_cols["share"]],
                        parse_text(v),
                        "risk.bad_probability",
                    )
                )
        if "score" in prob_cols:
            v = cell(prob_cols["score"])
            lv, wrong = _score(v)
            if wrong:
                bad = True
                result.problems.append(
                    Problem.of(
                        raw.name,
                        sheet.name,
                        rn,
                        sheet.headers[prob_cols["score"]],
                        parse_text(v),
                        "risk.bad_probability_score",
                    )
                )
            pscore = lv if lv is not None else pscore
        if prob is not None and pscore is None and 0 <= prob <= 1:
            pscore = score_of_fraction(prob)
        if prob is None and pscore is not None:
            prob = MIDPOINT[pscore]
        if "cost" in imp_cols:
            v = cell(imp_cols["cost"])
            if not is_empty(v):
                try:
                    icost = parse_money(v)
                    if isinstance(v, str):
                        m = _CURRENCY_RE.search(v)
                        if m:
                            currencies.add(m[0].upper().replace("￥", "¥").replace("RMB", "CNY").replace("元", "CNY"))
                except ValueError:
                    lv = level_of(v)
                    if lv is not None and "score" not in imp_cols:
                        iscore = lv
                    else:
                        bad = True
                        result.problems.append(
                            Problem.of(
                                raw.name,
                                sheet.name,
                                rn,
                                sheet.headers[imp_cols["cost"]],
                                parse_text(v),
                                "risk.bad_impact_amount",
                            )
                        )
        if "score" in imp_cols:
            v = cell(imp_cols["score"])
            lv, wrong = _score(v)
            if wrong:
                bad = True
                result.problems.append(
                    Problem.of(
                        raw.name,
                        sheet.name,
                        rn,
                        sheet.headers[imp_cols["score"]],
                        parse_text(v),
                        "risk.bad_impact_score",
                    )
                )
            iscore = lv if lv is not None else iscore
        pol = parse_text(get("polarity"))
        category = get("category")
        if pol and pol.casefold() in _OPPORTUNITY:
            if icost is not None and icost > 0:
                icost = -icost
                flipped += 1
        elif (
            pol and "category" not in cols and pol.casefold() not in {"threat", "risk", "t", "威胁", "风险", "negative"}
        ):
            category = pol
        rid = parse_text(get("risk_id"))
        if rid is None and "risk_id" not in cols:
            rid = f"R{rn}"
            generated_ids += 1
        if bad:
            result.rejected_rows += 1
            result.rows_in += 1
            continue
        records.append(
            {
                "project_id": get("project_id"),
                "risk_id": rid,
                "title": get("title"),
                "category": category,
                "probability": prob,
                "impact_cost": icost,
                "probability_score": pscore,
                "impact_score": iscore,
                "owner": get("owner"),
                "status": get("status"),
                "response": get("response"),
                "due_date": get("due_date"),
                "raised_date": get("raised_date"),
            }
        )
        row_numbers.append(rn)
    if flipped:
        note(result, Note("note.risk.opportunities", n=flipped))
    if generated_ids:
        note(result, Note("note.risk.generated_ids"))
    if len(currencies) > 1:
        result.problems.append(
            Problem.of(
                raw.name,
                sheet.name,
                None,
                hdr.get("impact"),
                ", ".join(sorted(currencies)),
                "risk.mixed_currencies",
                None,
                "warning",
            )
        )
    elif currencies:
        note(result, Note("note.risk.currency", currency=next(iter(currencies))))
    headers = {
        f: h
        for f, h in hdr.items()
        if f in ("project_id", "risk_id", "title", "category", "owner", "status", "response", "due_date", "raised_date")
    }
    if "share" in prob_cols:
        headers["probability"] = sheet.headers[prob_cols["share"]]
    if "score" in prob_cols:
        headers["probability_score"] = sheet.headers[prob_cols["score"]]
    if "cost" in imp_cols:
        headers["impact_cost"] = sheet.headers[imp_cols["cost"]]
    if "score" in imp_cols:
        headers["impact_score"] = sheet.headers[imp_cols["score"]]
    frame = pd.DataFrame.from_records(
        records,
        columns=[
            "project_id",
            "risk_id",
            "title",
            "category",
            "probability",
            "impact_cost",
            "probability_score",
            "impact_score",
            "owner",
            "status",
            "response",
            "due_date",
            "raised_date",
        ],
    )
    if "project_id" not in cols:
        frame = frame.drop(columns=["project_id"])
    add_table(
        result,
        "risks",
        frame,
        file=raw.name,
        sheet=sheet.name,
        row_numbers=row_numbers,
        headers=headers,
        defaults={"project_id": options.project_id},
    )
    ensure_table(result, "risks")
    unused = [h for j, h in enumerate(sheet.headers) if h and not any(j in v for v in cols.values())]
    if unused:
        note(result, Note("note.columns_unused", columns=", ".join(unused[:15])))
    return result
