"""Streamlit glue shared by app.py and the pages: the store, cached loaders, the shared
sidebar filters, settings, tables with Excel/CSV download, and error display.

The only module in the library that imports streamlit. Pages stay thin: filters ->
cached library calls -> layout.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from . import access as acc
from . import escape, i18n, navigation, serving
from .errors import PmoError
from .frames import PortfolioFrames, Scope, Selection, resolve
from .schema import typed_frame
from .settings import Settings, org_from_store, overrides
from .store import Store, default_db

T = TypeVar("T")
LANG_KEY = "lang"
F_PORTFOLIO, F_PROGRAM, F_DEPARTMENT, F_MANAGER, F_PROJECT, F_AS_OF = (
    "f_portfolio",
    "f_program",
    "f_department",
    "f_manager",
    "f_project",
    "f_as_of",
)
F_INCLUDE_CLOSED = "f_include_closed"
LATEST = "__latest__"
SETTINGS_KEY = "settings"
SETTINGS_BASE_KEY = "_settings_base"  # the organisation's settings the session's were made from


# ---------------------------------------------------------------- navigation
def _runs_page_alone(frame, main: str) -> bool:
    """True for a script thread inside Streamlit's v1 multipage emulation (``_mpa_v1``) that
    is not running app.py: a page script run on its own, without app.py's sidebar and routing."""
    in_v1 = False
    while frame is not None:
        if os.path.realpath(frame.f_code.co_filename) == main:
            return False
        in_v1 = in_v1 or frame.f_code.co_name == "_mpa_v1"
        frame = frame.f_back
    return in_v1


def _route_through_app() -> None:
    """Make app.py's ``st.navigation`` the only router, from the server's very first run.

    Streamlit keeps its v1 multipage mode for an entry script next to a ``pages/`` folder: the
    process-wide flag ``PagesManager.uses_pages_directory`` starts True and only a call of
    ``st.navigation`` clears it. Until app.py had run once in the server process, a session
    opened on a page's URL (``/risk``) ran ``pages/70_risk.py`` alone: Streamlit's menu of file
    names, no shared filters. Every page imports this module first, and its first import is the
    earliest code of ours in the process: it clears the flag for good and asks every run that
    is such a lone page (this one, and sessions that opened at the same moment and wait on this
    import) to start again at its next Streamlit call; app.py then routes to the same page.
    The rerun is only requested (no exception here), so the import itself always completes.
    """
    try:
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
        from streamlit.runtime.scriptrunner_utils.script_run_context_attr import SCRIPT_RUN_CONTEXT_ATTR_NAME
    except ImportError:  # pragma: no cover - a Streamlit without the v1 mode
        return
    PagesManager.uses_pages_directory = False
    frames = sys._current_frames()
    for thread in threading.enumerate():
        ctx = getattr(thread, SCRIPT_RUN_CONTEXT_ATTR_NAME, None)
        if ctx is None or ctx.script_requests is None:
            continue
        pm = ctx.pages_manager
        if not _runs_page_alone(frames.get(thread.ident), os.path.realpath(pm.main_script_path)):
            continue
        page_hash = ctx.page_script_hash
        if page_hash == pm.main_script_hash:  # not resolved yet: route by the URL's page name
            rerun = RerunData(query_string=ctx.query_string, page_name=pm.intended_page_name or "")
        else:  # the v1 page has the hash of the st.Page with the same url_path
            rerun = RerunData(query_string=ctx.query_string, page_script_hash=page_hash)
        ctx.script_requests.request_rerun(rerun)


_route_through_app()


# ---------------------------------------------------------------- language
def lang() -> str:
    """The UI language of this session ("en" or "zh").

    A new session starts in the language its address asks for (``?lang=zh``, for links that
    open a new tab), else ``PMO_LANG`` (``i18n.default_lang``), written into the language
    widget's state before the widget exists: a selectbox without a value of its own takes its
    first option ("en") and held it from then on, so a ``PMO_LANG=zh`` session got an English
    page body and its menu reverted to English after one click (tests/test_app_language.py, tests/e2e/test_sections_lang.py).
    """
    value = st.session_state.get(LANG_KEY)
    if value is None:
        value = i18n.default_lang()
        # only inside a script run: a widget's format function called from outside one (AppTest
        # serialising widget values) must not write into whatever session state is in reach
        if get_script_run_ctx(suppress_warning=True) is not None:
            # a link may carry the language into a new tab (project?id=PRJ-104&lang=zh)
            asked = st.query_params.get("lang")
            value = asked if asked in i18n.LANGS else value
            st.session_state[LANG_KEY] = value
    return str(value)


def t(key: str, **fmt: object) -> str:
    """Translate ``key`` into the session's language."""
    return i18n.t(key, lang(), **fmt)


def t_md(key: str, **fmt: object) -> str:
    """``t(key)`` for a Markdown surface (st.markdown/info/warning/error/success/caption, labels,
    help): the translated template as written, every text value (names, ids, file names, typed
    authors) escaped by ``escape.md``; numbers and dates go in as they are."""
    return t(key, **{k: escape.md(v) if isinstance(v, str) else v for k, v in fmt.items()})


md = escape.md  # data text inside Markdown the page writes itself: f"**{ui.md(name)}**"

_WORDED_LANG = "_worded_lang"  # widget key -> the language its options were last worded in


def choose(widget: Callable[..., T], label: str, options: Sequence[object], *, key: str, **kw: object) -> T:
    """``widget(label, options, key=key, **kw)`` for every selectbox, radio or multiselect whose
    options are worded in the session's language: the options are codes (never display text,
    so a choice means the same in every language) and ``format_func`` words them as the page
    runs; e.g. ``ui.choose(c[0].selectbox, ui.t("admin.role"), ROLES, key="admin_role",
    format_func=lambda r: ui.t(f"access.role.{r}"))``.

    After a language switch the widget is given its own value again before it is drawn: the
    browser side of Streamlit 1.67 keeps the label it drew last as the widget's value (a keyed
    widget keeps its id whatever its options say), so a status date kept showing "Latest" in a
    Chinese session until a value came from the server (tests/test_app_language.py,
    tests/e2e/test_sweep.py). The chosen code survives the switch."""
    current = lang()
    worded = st.session_state.setdefault(_WORDED_LANG, {})
    if worded.get(key, current) != current and key in st.session_state:
        st.session_state[key] = st.session_state[key]  # sent to the browser, worded in `current`
        kw.pop("index", None)  # the session's value wins over a default (and no warning for both)
    worded[key] = current
    return widget(label, options, key=key, **kw)


def label(column: str, lang_code: str | None = None, table: str | None = None) -> str:
    """Readable header for a canonical or metric column in the session's language (or
    ``lang_code``): ``labels.label``, the same function the exports use."""
    from .labels import label as _label

    return _label(column, lang_code or lang(), table)


# ---------------------------------------------------------------- store and data
def db_path() -> str:
    """``PMO_DB``: a DuckDB file path or a ``postgresql://`` URL."""
    return default_db()


def store() -> Store:
    """The store for this process (DuckDB: one connection per process; PostgreSQL: a pool of
    connections per process; a cursor per call)."""
    return Store(db_path())


PIN_KEY = "_data_version_pin"


def _live_version() -> tuple[int, int]:
    # (latest import id, the store's write counter): one cheap query, so a commit made by any
    # process or app server (PostgreSQL) shows at the next script run
    return store().data_version()


def data_version() -> tuple[int, int]:
    """(latest import number, the store's write counter): changes whenever any process or app
    server commits a write (import, withdrawal, restore, purge, note, edit, setting...); part
    of every cache key. Pinned once
    per app run (``pin_data_version``, called by ``sidebar_filters``) so every table a page reads in one run comes from the same imports,
    even when another session commits an import halfway through the run."""
    pin = st.session_state.get(PIN_KEY)
    return tuple(pin) if pin is not None else _live_version()


def pin_data_version() -> tuple[int, int]:
    """Fix the data version for the rest of this run (the latest committed import now)."""
    st.session_state.pop(PIN_KEY, None)
    version = _live_version()
    st.session_state[PIN_KEY] = version
    return version


@st.cache_data(ttl=900, max_entries=128, show_spinner=False)
def _load(db: str, table: str, history: bool, scope: Scope, version: tuple[int, int]) -> pd.DataFrame:
    # rows of imports up to the version's latest one only: an import committed after the
    # version was taken stays out until the next run (no mixing of before/after across tables)
    return typed_frame(
        table,
        Store(db).table(
            table,
            current=not history,
            as_of=scope.as_of,
            projects=list(scope.project_ids) if scope.project_ids is not None else None,
            exclude=list(scope.exclude_ids) or None,
            upto_import=version[0],
            reach=scope.reach,
        ),
    )


def _all_projects(as_of: date | None = None) -> pd.DataFrame:
    """Every project the signed-in person sees, its current row as of ``as_of`` (filter
    options, resolving the selection)."""
    return _load(db_path(), "projects", False, Scope(as_of=as_of, reach=reach()), data_version())


@st.cache_data(ttl=900, max_entries=128, show_spinner=False)
def _scope(db: str, selection: Selection, version: tuple[int, int]) -> Scope:
    # the selection carries the caller's reach: part of this key and of every _load key below
    projects = _load(db, "projects", False, Scope(as_of=selection.as_of, reach=selection.reach), version)
    return resolve(projects, selection)


@st.cache_data(ttl=900, max_entries=32, show_spinner=False)
def _portfolio_view(db: str, scope: Scope, settings: Settings, version: tuple[int, int]):
    from .portfolio_view import build

    return build(PortfolioFrames(scope, lambda table, history, sc: _load(db, table, history, sc, version)), settings)


@st.cache_data(ttl=900, max_entries=32, show_spinner=False)
def _portfolio_words(db: str, scope: Scope, settings: Settings, version: tuple[int, int], lang_code: str):
    from .portfolio_view import in_words

    return in_words(_portfolio_view(db, scope, settings, version), lang_code, settings)


def portfolio_view(filters: Filters | None = None):
    """The Portfolio page's content (``portfolio_view.PortfolioView``) and the same in the
    session's language (``PortfolioWords``), cached per data version, filters' scope and
    settings (reporting currency included): small hashable keys, never frames."""
    f = filters or filters_()
    key = (db_path(), f.scope, settings(), data_version())
    return _portfolio_view(*key), _portfolio_words(*key, lang())


@st.cache_data(ttl=900, max_entries=64, show_spinner=False)
def _page_view(builder: str, db: str, scope: Scope, settings: Settings, version: tuple[int, int], args: tuple):
    import importlib

    module, name = builder.split(":")
    build = getattr(importlib.import_module(module), name)
    return build(
        PortfolioFrames(scope, lambda table, history, sc: _load(db, table, history, sc, version)), settings, *args
    )


def page_view(builder: Callable[..., T], filters: Filters | None = None, *args: object) -> T:
    """``builder(frames, settings, *args)``: one page's whole computation (a library function,
    e.g. ``evm_view.build``) cached like ``portfolio_view``: per data version, the filters'
    scope, the session's settings and ``args`` (small hashable values: a picked project id, the
    language), never frames as keys. A click that changes nothing costs a cache hit."""
    from dataclasses import replace

    f = filters or filters_()
    name = f"{builder.__module__}:{builder.__qualname__}"
    sc = replace(f.scope, reach=reach())  # a Filters built by hand reads within the session's reach too
    return _page_view(name, db_path(), sc, settings(), data_version(), args)  # type: ignore[no-any-return]


@st.cache_data(ttl=900, max_entries=16, show_spinner=False)
def _schedule_risk(db: str, scope: Scope, settings: Settings, version: tuple[int, int], project_id: str, options):
    from .metrics.schedule_risk import from_frames

    frames = PortfolioFrames(scope, lambda table, history, sc: _load(db, table, history, sc, version))
    return from_frames(frames, settings, options, project_id).get(project_id)


def schedule_risk(project_id: str, options=None, filters: Filters | None = None):
    """One project's schedule risk (``metrics.schedule_risk.ProjectRisk``, None without a
    schedule), cached per data version, filters' scope, settings and options (the simulation is
    expensive: one cached call, keyed like ``portfolio_view``)."""
    from dataclasses import replace

    from .metrics.schedule_risk import RiskOptions

    f = filters or filters_()
    s = settings()
    opt = options or RiskOptions.from_settings(s)
    sc = replace(f.scope, reach=reach())  # read within the session's reach, as ``frames`` does
    return _schedule_risk(db_path(), sc, s, data_version(), str(project_id), opt)


def cached(func: Callable) -> Callable:
    """``st.cache_data`` with the house limits, for pure library functions called by pages."""
    return st.cache_data(ttl=900, max_entries=64, show_spinner=False)(func)


def clear_caches() -> None:
    """Drop cached data after an import commits or is undone (and move this run's pinned data
    version to the new state, so the rest of the run sees the change)."""
    st.cache_data.clear()
    if PIN_KEY in st.session_state:
        pin_data_version()
    if ORG_KEY in st.session_state:
        pin_org_settings()


@dataclass(frozen=True)
class Filters:
    """The shared sidebar filters resolved to project ids and an as-of status date
    (``frames.Scope`` in the session's terms; ``frames(f)`` turns it into the frames)."""

    project_ids: tuple[str, ...] | None  # None = no project filter
    as_of: date | None  # None = latest status date per project
    lang: str = "en"
    exclude_ids: tuple[str, ...] = ()  # closed projects left out when no other filter narrows
    closed_left_out: tuple[str, ...] = ()
    closed_ids: tuple[str, ...] = ()
    include_closed: bool = False
    reach: acc.Reach | None = None  # the projects the signed-in person sees (every read applies it)

    @property
    def scope(self) -> Scope:
        return Scope(self.project_ids, self.exclude_ids, self.as_of, self.closed_left_out, self.closed_ids, self.reach)

    def apply(self, df: pd.DataFrame) -> pd.DataFrame:
        """Rows of ``df`` whose project_id passes the filter (rows without project_id pass
        only when no project filter is set)."""
        if "project_id" not in df.columns or (self.project_ids is None and not self.exclude_ids):
            return df
        keep = df["project_id"].isin(self.project_ids) if self.project_ids is not None else True
        if self.exclude_ids:
            keep = keep & ~df["project_id"].isin(self.exclude_ids)
        return df[keep].reset_index(drop=True)

    def describe(self) -> list[str]:
        """Human lines stating the filters (for export headers)."""
        lines = []
        for key, name in (
            (F_PORTFOLIO, "filter.portfolio"),
            (F_PROGRAM, "filter.program"),
            (F_DEPARTMENT, "filter.department"),
            (F_MANAGER, "filter.manager"),
            (F_PROJECT, "filter.project"),
        ):
            vals = st.session_state.get(key) or []
            if vals:
                lines.append(f"{t(name)}: {', '.join(map(str, vals))}")
        lines.append(f"{t('filter.status_date')}: {self.as_of.isoformat() if self.as_of else t('filter.latest')}")
        closed = closed_line(self, lang())
        if closed:
            lines.append(closed)
        return lines


def closed_line(f: Filters, lang_code: str) -> str:
    """ "N closed projects left out: ..." (or included), "" when the filters match none."""
    ids = f.closed_left_out or (f.closed_ids if f.include_closed else ())
    if not ids:
        return ""
    key = "filter.closed_left_out" if f.closed_left_out else "filter.closed_included"
    return i18n.t(key, lang_code, n=len(ids), ids=", ".join(ids))


def frames(filters: Filters | None = None) -> PortfolioFrames:
    """The frames of the filters (``frames.PortfolioFrames``), each table read once per data
    version and filters (cached), snapshots resolved in SQL."""
    from dataclasses import replace

    f = filters or filters_()
    db, version = db_path(), data_version()
    sc = replace(f.scope, reach=reach())  # a Filters built by hand reads within the session's reach too
    return PortfolioFrames(sc, lambda table, history, scope: _load(db, table, history, scope, version))


def load(table: str, filters: Filters | None = None, *, history: bool = False) -> pd.DataFrame:
    """A canonical table (current snapshot per project, or every snapshot on or before the
    as-of date), filtered: ``frames(filters)`` for one table."""
    fr = frames(filters)
    return fr.history(table) if history else fr.current(table)


def load_schedule(filters: Filters | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``projects``, ``tasks`` and ``links`` for a schedule page; when no project has tasks the
    page says so (or that there is no data at all) and stops."""
    projects, tasks, links = load("projects", filters), load("tasks", filters), load("links", filters)
    if tasks.empty:
        if projects.empty:
            no_data()
        else:
            st.info(t("gantt.no_tasks_page"))
        st.stop()
    return projects, tasks, links


def project_filters(project_id: str) -> Filters:
    """The filters of one project's page: that project whatever the sidebar narrows (closed
    included), at the sidebar's status date; read through ``frames``/``load`` like every page."""
    sel = selection()
    return Filters((str(project_id),), sel.as_of, lang(), include_closed=True)


def project_list() -> pd.DataFrame:
    """Every project's current row at the sidebar's status date (closed included), whatever
    the other filters say: what a project page can be opened on."""
    return _all_projects(selection().as_of)


def notes(project_ids: list[str] | tuple[str, ...], *, history: bool = False) -> pd.DataFrame:
    """Managers' notes of the projects (``Store.notes``: the latest save per project and status
    date, or every save), the pages' one read of them."""
    return store().notes(projects=[str(p) for p in project_ids], history=history, reach=reach())


def project_ids() -> list[str]:
    """Every project id in the store (as the filters see them), sorted: for pickers."""
    return _options(_all_projects(), "project_id")


def _options(df: pd.DataFrame, col: str) -> list[str]:
    if col not in df.columns:
        return []
    return sorted({str(v) for v in df[col].dropna().tolist()})


def sidebar_filters() -> None:
    """Create the shared filter widgets once (called by app.py on every run, keys persist).
    Runs first in every run, so it also pins the data version for the run."""
    pin_data_version()
    projects = _all_projects()
    dates = store().status_dates()
    with st.sidebar:
        st.selectbox(
            t("app.language"),
            list(i18n.LANGS),
            format_func=lambda k: i18n.LANG_NAMES[k],
            key=LANG_KEY,
        )
        st.subheader(t("filter.title"))
        for key, col, name in (
            (F_PORTFOLIO, "portfolio", "filter.portfolio"),
            (F_PROGRAM, "program", "filter.program"),
            (F_DEPARTMENT, "department", "filter.department"),
            (F_MANAGER, "manager", "filter.manager"),
        ):
            opts = _options(projects, col)
            if key in st.session_state:  # drop stale selections (after an undo)
                st.session_state[key] = [v for v in st.session_state[key] if v in opts]
            st.multiselect(t(name), opts, key=key, placeholder=t("filter.all"))
        proj = projects
        for key, col in (
            (F_PORTFOLIO, "portfolio"),
            (F_PROGRAM, "program"),
            (F_DEPARTMENT, "department"),
            (F_MANAGER, "manager"),
        ):
            sel = st.session_state.get(key) or []
            if sel and col in proj.columns:
                proj = proj[proj[col].isin(sel)]  # typed text columns (frames / schema dtypes)
        names = dict(zip(proj["project_id"], proj["name"].fillna(""), strict=False)) if len(proj) else {}
        if F_PROJECT in st.session_state:
            st.session_state[F_PROJECT] = [v for v in st.session_state[F_PROJECT] if v in names]
        st.multiselect(
            t("filter.project"),
            list(names),
            format_func=lambda p: f"{p} · {names.get(p, '')}",
            key=F_PROJECT,
            placeholder=t("filter.all"),
        )
        _currency_select(projects)
        date_opts = [LATEST, *[d.isoformat() for d in reversed(dates)]]
        if st.session_state.get(F_AS_OF) not in date_opts:
            st.session_state[F_AS_OF] = LATEST
        choose(
            st.selectbox,
            t("filter.status_date"),
            date_opts,
            format_func=lambda v: t("filter.latest") if v == LATEST else v,
            key=F_AS_OF,
        )
        st.toggle(t("filter.include_closed"), key=F_INCLUDE_CLOSED, help=t("filter.include_closed_help"))
        closed = closed_line(filters_(), lang())
        if closed:
            st.caption(closed)
    override_marker()


def selection(include_closed: bool | None = None) -> Selection:
    """The sidebar's selections as a ``frames.Selection`` (``include_closed`` overrides the
    toggle: the Lessons page always includes closed projects)."""
    as_of_raw = st.session_state.get(F_AS_OF, LATEST)

    def chosen(key: str) -> tuple[str, ...]:
        return tuple(str(v) for v in st.session_state.get(key) or ())

    return Selection(
        portfolios=chosen(F_PORTFOLIO),
        programs=chosen(F_PROGRAM),
        departments=chosen(F_DEPARTMENT),
        managers=chosen(F_MANAGER),
        projects=chosen(F_PROJECT),
        as_of=None if as_of_raw in (None, LATEST) else date.fromisoformat(as_of_raw),
        include_closed=bool(st.session_state.get(F_INCLUDE_CLOSED, False))
        if include_closed is None
        else include_closed,
        reach=reach(),
    )


def filters_(include_closed: bool | None = None) -> Filters:
    """The current filters resolved to project ids (None when nothing narrows the projects) and
    the closed projects left out (``frames.resolve``, against the projects as of the date)."""
    sel = selection(include_closed)
    sc = _scope(db_path(), sel, data_version())
    return Filters(
        sc.project_ids,
        sel.as_of,
        lang(),
        sc.exclude_ids,
        sc.closed_left_out,
        sc.closed_ids,
        sel.include_closed,
        sc.reach,
    )


filters = filters_


ORG_KEY = "_org_settings"


def org_settings() -> Settings:
    """The organisation's settings (``settings.org_from_store``: stored by admins, the
    environment for any never saved): what reports, the CLI and every new session use. Read
    once per run (``access_gate`` pins them), else now."""
    pinned = st.session_state.get(ORG_KEY)
    return pinned if isinstance(pinned, Settings) else org_from_store(store())


def pin_org_settings() -> None:
    """Read the organisation's settings for the rest of this run (after a save: again)."""
    st.session_state.pop(ORG_KEY, None)
    st.session_state[ORG_KEY] = org_from_store(store())


def report_settings() -> Settings:
    """The settings of a report (Status report, report workbook): the organisation's, never a
    session's override, in this session's reporting currency (a choice of view, not of numbers)."""
    return org_settings().with_(reporting_currency=settings().reporting_currency)


# widgets of the Earned value page that hold a session override of an organisation setting
OVERRIDE_WIDGET_KEYS = ("evm_period", "evm_ev_method", "evm_calendar", "evm_holidays", "evm_green_at", "evm_red_below")


def settings() -> Settings:
    """Settings of this session: the organisation's (``org_settings``) with the changes a page
    made for this session (``set_settings``; marked in the sidebar when they touch an
    organisation setting) and the reporting currency chosen in the sidebar."""
    org = org_settings()
    kept = st.session_state.get(SETTINGS_KEY)
    base = st.session_state.get(SETTINGS_BASE_KEY)
    s: Settings = org
    if isinstance(kept, Settings) and isinstance(base, Settings):
        # an admin changed the organisation's since: keep only what the session changed
        s = kept if base == org else org.with_(**_changes(kept, base))
    if kept is not s:
        st.session_state[SETTINGS_KEY], st.session_state[SETTINGS_BASE_KEY] = s, org
    chosen = st.session_state.get(F_CURRENCY)
    if chosen and chosen != s.reporting_currency:
        s = s.with_(reporting_currency=chosen)
    return s


# ---------------------------------------------------------------- money
F_CURRENCY = "f_reporting_currency"


def _currency_select(projects: pd.DataFrame) -> None:
    """The sidebar's reporting currency: the setting's, the projects' and the rates' currencies."""
    from .metrics import fx

    s = settings()
    base = org_settings()  # the deployment's reporting currency and rates base
    rates = fx.normalise_rates(_load(db_path(), "fx_rates", False, Scope(), data_version()), base.fx_base)
    opts = sorted(
        {base.reporting_currency, *fx.project_currencies(projects, s.default_currency).values()}
        | set(rates["currency"])
        | set(rates["base"])
    )
    if st.session_state.get(F_CURRENCY) not in opts:
        st.session_state[F_CURRENCY] = base.reporting_currency
    st.selectbox(t("money.reporting_currency"), opts, key=F_CURRENCY, help=t("money.reporting_help"))


def money_context(f: Filters | None = None):
    """The conversion context (``metrics.fx.FxContext``) of the filtered projects: their
    currencies, the exchange rates, this session's reporting currency."""
    from .metrics import fx

    f = f or filters_()
    return fx.context(load("projects", f), load("fx_rates", f), settings())


def money(value: object, currency: str | None, **kw) -> str:
    """An amount with its currency in the session's language (``formatting.money``)."""
    from . import formatting

    return formatting.money(value, currency, lang(), **kw)


def fx_warnings(missing) -> None:
    """A visible warning per missing exchange rate (``metrics.fx.MissingRate``)."""
    for m in missing:
        st.warning(t(m.code, **m.params()), icon=":material/currency_exchange:")


def _changes(s: Settings, base: Settings) -> dict[str, object]:
    from dataclasses import fields

    return {
        f.name: getattr(s, f.name)
        for f in fields(Settings)
        if f.name != "reporting_currency" and getattr(s, f.name) != getattr(base, f.name)
    }


def set_settings(s: Settings) -> None:
    """Keep ``s`` for this session, beside the organisation's settings it was made from (a later
    change by an admin then reaches every field the session did not change)."""
    st.session_state[SETTINGS_KEY], st.session_state[SETTINGS_BASE_KEY] = s, org_settings()


def reset_settings() -> None:
    """Drop this session's changes (back to the organisation's settings)."""
    st.session_state.pop(SETTINGS_KEY, None)
    st.session_state.pop(SETTINGS_BASE_KEY, None)
    for k in OVERRIDE_WIDGET_KEYS:
        st.session_state.pop(k, None)


def override_marker() -> None:
    """A visible sidebar notice when this session overrides an organisation setting (the page's
    numbers then differ from the reports'), with a button back to the organisation's."""
    changed = overrides(settings(), org_settings())
    if not changed:
        return

    def show(v: object) -> str:
        return ", ".join(d.isoformat() for d in v) if isinstance(v, tuple) else str(v)

    items = "; ".join(f"{t('admin.set.' + n)} = {show(v[0])}" for n, v in changed.items())
    org = "; ".join(f"{t('admin.set.' + n)} = {show(v[1])}" for n, v in changed.items())
    st.sidebar.info(t_md("access.override", items=items, org=org), icon=":material/tune:")
    st.sidebar.button(t("access.override_reset"), key="reset_overrides", on_click=reset_settings)


# ---------------------------------------------------------------- sign-in and open mode
def auth_enabled() -> bool:
    """True when sign-in is configured (``[auth]`` in secrets.toml, ``serving.auth_configured``);
    False is open mode (the server then listens on 127.0.0.1 only, see serve.py)."""
    try:
        secrets = st.secrets.to_dict()
    except Exception:  # no secrets file at all: open mode
        return False
    return serving.auth_configured(secrets)


def _providers() -> list[str]:
    """Named providers (``[auth.NAME]`` tables) of the sign-in configuration; [] for one
    provider configured directly in ``[auth]``."""
    auth = st.secrets.to_dict().get("auth", {})
    return [k for k, v in auth.items() if isinstance(v, dict)]


def signed_in() -> bool:
    return bool(st.user.get("is_logged_in", False))


ACCESS_KEY = "_access"
_seeded: set[str] = set()


def identity() -> acc.Identity:
    """The signed-in person (``access.identity_from_claims`` of ``st.user``; groups from the
    claim named by PMO_GROUPS_CLAIM); in open mode ``local``."""
    if not auth_enabled():
        return acc.OPEN_MODE.identity
    if not signed_in():
        return acc.Identity("")
    return acc.identity_from_claims(st.user.to_dict())


def _seed_access(s: Store) -> None:
    """Seed the stored grants from PMO_ACCESS_FILE once per process and database (only into an
    empty table: the database is the truth afterwards). A bad file raises ``ConfigError``."""
    path = acc.access_file()
    if not path or s.path in _seeded:
        return
    s.seed_grants(acc.read_access_file(path), path)
    _seeded.add(s.path)


def resolve_access() -> acc.Access:
    """What the person of this session may do (``access.resolve`` against the stored grants),
    read now; open mode: ``local``, admin, every project."""
    if not auth_enabled():
        return acc.OPEN_MODE
    who = identity()
    if not who.email:
        return acc.Access(who, None)
    s = store()
    _seed_access(s)
    return acc.resolve(who, s.grants())


def access() -> acc.Access:
    """The session's ``access.Access``, resolved once per run (``access_gate`` pins it)."""
    pinned = st.session_state.get(ACCESS_KEY)
    if isinstance(pinned, acc.Access):
        return pinned
    return resolve_access()


def reach() -> acc.Reach:
    """The projects the signed-in person sees: part of every data read and cache key."""
    return access().sees


def actor() -> str:
    """The audit actor of this session: the signed-in e-mail, ``local`` in open mode."""
    return access().actor


def can(action: str) -> bool:
    """True when the session's role allows ``action`` (``access.ACTIONS``)."""
    return acc.can(access(), action)


def require(action: str) -> None:
    """Gate a page or a control: unless the role allows ``action``, say which role it needs
    and stop the run."""
    a = access()
    if not acc.can(a, action):
        need = acc.ACTIONS[action]
        st.warning(
            t("access.page_denied", need=t(f"access.role.{need}"), role=t(f"access.role.{a.role}") if a.role else "-"),
            icon=":material/lock:",
        )
        st.stop()


def chat_panel(report, **history: pd.DataFrame) -> None:
    """The Status report page's "Post the summary to chat", for analysts and admins only
    (``access.ACTIONS["notify"]``): a channel among the webhooks the server's environment
    configures (never an address typed here), and a button posting ``report``'s summary
    (``chat_summary.build`` with the ``history`` frames tasks/risks/projects for the changes)
    through ``notify.send`` (audited, the URL masked)."""
    if not can("notify"):
        return
    from . import notify
    from .chat_summary import build

    targets = notify.configured()
    with st.expander(t("notify.panel"), icon=":material/send:"):
        st.caption(t("notify.panel_help"))
        if not targets:
            st.info(t("notify.none_configured"))
            return
        kind = choose(
            st.radio,
            t("notify.target"),
            list(targets),
            format_func=lambda k: escape.md(f"{t(f'notify.{k}')} · {notify.webhook.mask(targets[k])}"),
            horizontal=True,
            key="notify_target",
        )
        if kind is not None and st.button(t("notify.post"), key="notify_post", type="primary", icon=":material/send:"):
            try:
                with st.spinner(t("notify.posting")):
                    summary = build(report, lang(), app_url=notify.public_url(), **history)
                    sent = notify.send(summary, kind, targets[kind], store=store(), actor=actor())
            except PmoError as exc:
                st.error(escape.md(error_text(exc)))
            else:
                st.success(escape.md(sent.text(summary, lang())))


def reach_text(r: acc.Reach) -> str:
    """ "every project" or "departments: A, B" in the UI language (names as given)."""
    if r.everything:
        return t("access.reach_all")
    names = {"portfolios": "filter.portfolio", "departments": "filter.department", "projects": "filter.project"}
    return "; ".join(f"{t(names[f])}: {', '.join(getattr(r, f))}" for f in acc.SCOPE_FIELDS if getattr(r, f)) or "-"


def access_gate() -> bool:
    """Open mode: a visible marker in the sidebar, and the page runs. With sign-in configured:
    the signed-in person and Sign out in the sidebar; nobody signed in gets only the sign-in
    screen (returns False: the caller stops the run)."""
    st.session_state.pop(ORG_KEY, None)
    if not auth_enabled():
        st.session_state.pop(ACCESS_KEY, None)
        pin_org_settings()
        st.sidebar.warning(t("security.open_mode"), icon=":material/lock_open:")
        return True
    if signed_in():
        who = st.user.get("name") or st.user.get("email") or st.user.get("sub") or ""
        st.sidebar.caption(t_md("security.signed_in_as", who=str(who)))
        st.sidebar.button(t("security.sign_out"), on_click=st.logout, key="sign_out", icon=":material/logout:")
        st.session_state.pop(ACCESS_KEY, None)
        try:
            a = resolve_access()
        except PmoError as exc:  # a bad access file: say which file and line, show nothing else
            st.error(escape.md(error_text(exc)))
            return False
        st.session_state[ACCESS_KEY] = a  # one resolution per run: every read of this run uses it
        pin_org_settings()
        if a.role is None:
            st.title(t("access.no_grant_title"))
            st.info(t_md("access.no_grant", who=a.actor))
            return False
        st.sidebar.caption(t_md("access.role_line", role=t(f"access.role.{a.role}"), reach=reach_text(a.sees)))
        return True
    st.title(t("security.sign_in_title"))
    st.write(t("security.sign_in_intro"))
    providers = _providers()
    if not providers:
        st.button(t("security.sign_in"), on_click=st.login, key="sign_in", type="primary", icon=":material/login:")
    for name in providers:
        st.button(t_md("security.sign_in_with", provider=name), on_click=st.login, args=(name,), key=f"sign_in_{name}")
    return False


# ---------------------------------------------------------------- layout helpers
def error_text(exc: PmoError) -> str:
    """An error in the session's language (``messages.render``): what every page shows."""
    return exc.render(lang())


def note_text(note: str) -> str:
    """An importer note (``ingest.base.Note``) in the session's language (``messages.note_text``)."""
    from .messages import note_text as _note_text

    return _note_text(note, lang())


def code_text(code: Mapping[str, object]) -> str:
    """An error given as data (``PmoError.code()``, e.g. a frame's ``attrs["error_codes"]``) in the session's language."""
    from .messages import render_code

    return render_code(code, lang())


@contextmanager
def guard() -> Iterator[None]:
    """Show a ``PmoError`` as ``st.error`` with its hint; let nothing else escape as a traceback."""
    try:
        yield
    except PmoError as exc:
        st.error(escape.md(error_text(exc)))  # messages quote files, sheets and values from the data
    except Exception as exc:  # pragma: no cover - last resort; details go to the server log
        import logging

        logging.getLogger("pmo").exception("unexpected error on a page")
        st.error(t("error.unexpected", kind=type(exc).__name__))


def page_header(title_key: str, caption_key: str | None = None) -> None:
    st.title(t(title_key))
    if caption_key:
        st.caption(t(caption_key))


def no_data(message_key: str = "app.no_data") -> None:
    st.info(t(message_key))


def readable(df: pd.DataFrame, lang_code: str | None = None, table: str | None = None) -> pd.DataFrame:
    """The frame with headers in the UI language, or ``lang_code`` (what the person sees and
    downloads); ``table`` names columns whose meaning depends on the table (``labels.label``)."""
    return df.rename(columns={c: label(c, lang_code, table) for c in df.columns})


def export_bytes(
    df: pd.DataFrame,
    kind: str,
    *,
    title: str = "",
    rag: dict | None = None,
    lang_code: str | None = None,
    header_lines: list[str] | None = None,
    currency: str | list | None = None,
    column_formats: dict[str, str] | None = None,
    schema_table: str | None = None,
) -> bytes:
    """Excel or CSV bytes of exactly ``df`` as shown (headers in the UI language).

    A deferred download runs outside the script run, where ``st.session_state`` is not this
    person's: ``table`` passes the language, header lines (title, filters, status date) and
    currency (one code or one per row) read during the run; ``column_formats`` are Excel number
    formats by shown header (``export.display_formats``)."""
    from . import export

    lg = lang_code or lang()
    shown = readable(df, lg, schema_table)
    if kind == "csv":
        return export.to_csv_bytes(shown)
    if header_lines is None:
        header_lines = [*([title] if title else []), *filters_().describe()]
    rag_cols = {label(k, lg, schema_table): v for k, v in (rag or {}).items()}
    one, per_row = (currency, None) if currency is None or isinstance(currency, str) else (None, currency)
    return export.to_excel_bytes(
        shown,
        header_lines=header_lines,
        column_formats=column_formats,
        rag_columns=rag_cols or None,
        currency=one,
        row_currency=per_row,
        lang=lg,
    )


# ---------------------------------------------------------------- tables
# Identity columns lead a table (in their own order), then the RAG, then the key indices.
IDENTITY_COLUMNS = ("project_id", "name", "project_name", "task_id", "risk_id", "key", "person", "milestone")
PINNED_COLUMNS = ("project_id", "name", "project_name")  # stay in view when the table scrolls sideways
KEY_COLUMNS = ("rag", "cpi", "spi", "spi_t")
PROJECT_PAGE = navigation.PROJECT_PAGE  # the project drill-down page's url path: project?id=<id>
_SPEC_RE = re.compile(r"\{:([+]?)(,?)\.(\d+)([f%])\}")


def _spec_kind(spec: object) -> tuple[str | None, bool]:
    """A page's Python format ("{:,.0f}", "{:+.1f}", "{:.0%}") as a registry kind and whether it
    is signed: a percentage -> percent, two decimals -> index, none -> count, one -> number."""
    m = _SPEC_RE.fullmatch(spec) if isinstance(spec, str) else None
    if not m:
        return None, False
    sign, _comma, digits, kind = m.groups()
    if kind == "%":
        return "percent", bool(sign)
    return {"0": "count", "2": "index"}.get(digits, "number"), bool(sign)


def order_columns(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with identity columns first (project id, name...), then RAG, then CPI/SPI/SPI(t),
    then the rest in their own order: what a reader needs stays in view at 1440 px."""
    cols = [str(c) for c in df.columns]
    lead = [c for c in cols if c in IDENTITY_COLUMNS] + [c for c in KEY_COLUMNS if c in cols]
    order = lead + [c for c in cols if c not in lead]
    return df if order == cols else df[order]


def project_link(project_id: object, lang_code: str | None = None) -> str | None:
    """The project page's URL for ``project_id`` in the session's language (or ``lang_code``):
    ``project?id=PRJ-104&lang=zh`` (a table's link opens a new tab, a new session: the language
    goes with it, ``lang``); None when the id is missing."""
    from urllib.parse import quote

    if project_id is None or (isinstance(project_id, float) and project_id != project_id):
        return None
    text = str(project_id)
    if not text.strip():
        return None
    return f"{PROJECT_PAGE}?id={quote(text, safe='-_.~')}&lang={lang_code or lang()}"


def _as_dates(values: pd.Series) -> pd.Series | None:
    """An object column holding only dates/datetimes (and gaps) as datetime64; None otherwise."""
    present = values.dropna()
    if present.empty or not all(isinstance(v, (date, datetime)) for v in present):
        return None
    try:
        return pd.to_datetime(values)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class TableView:
    """What ``table`` shows: the frame (readable headers, numbers still numbers), its
    ``column_config`` by header, each canonical column's kind, and the frame the downloads
    write (the same rows and columns, the plain project ids)."""

    shown: pd.DataFrame
    config: dict
    kinds: dict[str, str]
    data: pd.DataFrame


def table_view(
    df: pd.DataFrame,
    *,
    lang_code: str,
    rag: Mapping[str, Callable[[object], str]] | None = None,
    formats: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    currency: object = None,
    schema_table: str | None = None,
    links: bool = True,
) -> TableView:
    """The table as shown: numeric columns stay numeric with the registry's number format
    (``formatting.column_kind``; ``kinds`` names a kind per column, a page's ``formats`` decide
    only columns the registry does not know, and their ``+`` sign), dates as dates, text RAG
    cells with a shape and the word ("● Red"), project ids as links to the project page. Money
    columns: plain amounts beside the table's ``currency`` column; a table with money in
    several currencies and no such column gets one (``currency``: one code per row); one
    currency goes into the format ("CNY 1,234")."""
    from . import formatting
    from .enums import words

    # enumerated values (statuses, priorities, risk kinds...) in the UI language, on screen and
    # in the download; the data keeps the file's words (``enums``)
    df = words(order_columns(df), lang_code)
    money_cols = []
    col_kinds: dict[str, str] = {}
    signed: set[str] = set()
    for c in df.columns:
        name = str(c)
        spec_kind, spec_signed = _spec_kind((formats or {}).get(name))
        kind = formatting.column_kind(name, df[c])
        if kind in ("count", "number") and spec_kind and formatting.column_kind(name) == "text":
            kind = spec_kind  # a column the registry does not know: the page's format says
        explicit = (kinds or {}).get(name)
        if explicit and (pd.api.types.is_numeric_dtype(df[c]) or explicit in ("date", "datetime", "text")):
            kind = explicit  # numbers never become strings: a text column stays text
        col_kinds[name] = kind
        if spec_signed:
            signed.add(name)
        if kind == "money":
            money_cols.append(name)
    one_currency: str | None = None
    if money_cols and "currency" not in df.columns and currency is not None:
        if isinstance(currency, str):
            one_currency = currency
        elif len(currency) == len(df):  # type: ignore[arg-type]
            at = df.columns.get_loc(money_cols[0])
            df = df.copy()
            df.insert(int(at), "currency", list(currency))  # type: ignore[call-overload]
            col_kinds["currency"] = "text"
    data = df
    shown = df.copy(deep=False)
    for name, kind in col_kinds.items():
        if kind in ("date", "datetime") and shown[name].dtype == object:
            as_dates = _as_dates(shown[name])
            if as_dates is not None:
                shown[name] = as_dates
            else:
                col_kinds[name] = "text"
    for col, fn in (rag or {}).items():
        if col in shown.columns and col_kinds.get(col) == "text":
            shown[col] = [_rag_cell(v, fn, lang_code) for v in shown[col]]
    config: dict = {}
    headers = {str(c): label(str(c), lang_code, schema_table) for c in shown.columns}
    for name, kind in col_kinds.items():
        header = headers[name]
        pinned = True if name in PINNED_COLUMNS and len(shown.columns) > 6 else None
        if links and name == "project_id":
            shown[name] = [project_link(v, lang_code) for v in shown[name]]
            config[header] = st.column_config.LinkColumn(
                header, display_text=rf"{PROJECT_PAGE}\?id=([^&]*)", pinned=pinned, help=t("formats.link_help")
            )
            continue
        if kind in formatting.DATE_FORMATS:
            column = st.column_config.DatetimeColumn if kind == "datetime" else st.column_config.DateColumn
            config[header] = column(header, format=formatting.DATE_FORMATS[kind][0], pinned=pinned)
            continue
        spec = formatting.column_spec(kind)
        if spec is None:
            if pinned:
                config[header] = st.column_config.TextColumn(header, pinned=True)
            continue
        fmt = spec.printf
        if name in signed and fmt.startswith("%"):
            fmt = "%+" + fmt[1:]
            digits = re.search(r"\.(\d+)f", fmt)
            if digits and pd.api.types.is_float_dtype(shown[name]):
                # a change that rounds to nothing reads +0.00, not -0.00 (the shown copy only)
                shown[name] = shown[name].round(int(digits.group(1))) + 0.0
        if kind == "money" and one_currency:
            fmt = formatting.column_format(one_currency, 0)
        config[header] = st.column_config.NumberColumn(header, format=fmt, step=spec.step, pinned=pinned)
    shown = shown.rename(columns=headers)
    return TableView(shown, config, col_kinds, data)


def _rag_cell(value: object, fn: Callable[[object], str], lang_code: str) -> object:
    """A RAG text cell with its shape: the word "Red" -> "● Red"; another word keeps its text
    ("● Overdue"); an empty cell stays empty (shown "—")."""
    from . import formatting

    if value is None or (isinstance(value, float) and value != value) or str(value).strip() == "":
        return None
    colour = fn(value)
    sym = formatting.RAG_SYMBOLS.get(str(colour or ""))
    return f"{sym} {value}" if sym else value


def excel_formats(view: TableView, lang_code: str, schema_table: str | None = None) -> dict[str, str]:
    """Excel ``column_formats`` (by shown header) of a table view: the same kinds as the screen."""
    from . import formatting

    out = {}
    for name, kind in view.kinds.items():
        if kind == "money":
            out[label(name, lang_code, schema_table)] = "money"  # the currency added per row by export
            continue
        fmt = formatting.excel_format(kind)
        if fmt:
            out[label(name, lang_code, schema_table)] = fmt
    return out


def table(
    df: pd.DataFrame,
    key: str,
    *,
    title: str = "",
    rag: dict[str, Callable[[object], str]] | None = None,
    formats: dict[str, str] | None = None,
    kinds: dict[str, str] | None = None,
    height: int | None = None,
    downloads: bool = True,
    schema_table: str | None = None,
    links: bool = True,
    currency: str | None = None,
    **dataframe_kwargs,
) -> None:
    """Show ``df`` with readable headers and offer it for download as Excel and CSV, exactly
    the rows and columns shown.

    Every column keeps its type: numbers get the number format of their kind
    (``formatting.column_kind``; ``kinds`` overrides, ``formats`` only for columns the registry
    does not know), dates a date format, missing cells read "—". ``rag`` names columns coloured
    by RAG: text cells get the shape and word ("● Red"), the Excel download colours the cells.
    Project ids link to the project page (``links=False`` to keep them plain). ``currency``:
    the currency of a table's money when the table cannot say (one project's rows without
    their project id). ``schema_table`` names columns whose meaning depends on the table (a
    work item's ``title`` is not a risk)."""
    from .export import table_currency

    lg = lang()
    f = filters_()
    has_money = any(kind == "money" for kind in ((kinds or {}).values()))
    if not has_money:
        from . import formatting

        has_money = any(formatting.column_kind(str(c)) == "money" for c in df.columns)
    cur = currency or (table_currency(df, load("projects", f)) if (has_money or downloads) else None)
    view = table_view(
        df,
        lang_code=lg,
        rag=rag,
        formats=formats,
        kinds=kinds,
        currency=cur,
        schema_table=schema_table,
        links=links,
    )
    kw: dict = {"hide_index": True, "width": "stretch", "placeholder": "—"}
    if height:
        kw["height"] = height
    kw.update(dataframe_kwargs)
    kw["column_config"] = {**view.config, **(dataframe_kwargs.get("column_config") or {})}
    st.dataframe(view.shown, key=f"df_{key}", **kw)
    if downloads:
        data = view.data
        header = [*([title] if title else []), *f.describe()]
        cur = currency or table_currency(data, load("projects", f))
        fmts = excel_formats(view, lg, schema_table)
        c1, c2, _ = st.columns([1, 1, 4])
        stem = key.replace(" ", "_")
        c1.download_button(
            t("app.download_excel"),
            data=lambda: export_bytes(
                data,
                "xlsx",
                rag=rag,
                lang_code=lg,
                header_lines=header,
                currency=cur,
                column_formats=fmts,
                schema_table=schema_table,
            ),
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"dl_xlsx_{key}",
            on_click="ignore",
            icon=":material/download:",
        )
        c2.download_button(
            t("app.download_csv"),
            data=lambda: export_bytes(data, "csv", lang_code=lg, schema_table=schema_table),
            file_name=f"{stem}.csv",
            mime="text/csv",
            key=f"dl_csv_{key}",
            on_click="ignore",
            icon=":material/download:",
        )


def _fmt_date(value: object) -> str:
    """A date cell: YYYY-MM-DD, with HH:MM when it has a time of day; missing -> — (``formatting.when``)."""
    from . import formatting

    return formatting.when(value)


def fmt(kind: str, value: object, **kw) -> str:
    """``value`` as ``kind`` in the session's language (``formatting.fmt``): tiles and page text."""
    from . import formatting

    return formatting.fmt(kind, value, lang(), **kw)


def rag_word(colour: str) -> str:
    """ "green"/"amber"/"red" in the UI language ("" stays "")."""
    return t(f"rag.{colour}") if colour else ""


def fmt_number(value: object, digits: int = 0) -> str:
    """A number for a KPI tile: thousands separators; missing -> — (``formatting.number``)."""
    from . import formatting

    return formatting.number(value, digits)


# ---------------------------------------------------------------- the weekly deck
def deck_download(status_date: date, previous_date: date | None, filters: Filters, where=None) -> None:
    """The Status report page's "Download deck (PowerPoint)" button: the weekly deck of these
    filters' projects at ``status_date`` compared with ``previous_date``, in the UI language,
    built when clicked (deferred) by ``deck.deck_from_store``: the same call, and the same
    bytes, as ``python -m pmo_analytics deck --status-date ... --project ...``. Everything the
    build needs is read now (a deferred download runs outside the session)."""
    from .deck_content import DECK_MIME  # python-pptx itself is imported on the click, not on every run

    db, s, r, lg = db_path(), report_settings(), reach(), lang()
    ids = list(filters.project_ids) if filters.project_ids is not None else None
    closed = filters.include_closed

    def build() -> bytes:
        from .deck import deck_from_store

        return deck_from_store(
            Store(db),
            status_date,
            project_ids=ids,
            settings=s,
            include_closed=closed,
            reach=r,
            previous_date=previous_date,
            lang=lg,
        )

    (where or st).download_button(
        t("deck.download"),
        data=build,
        file_name=f"weekly_deck_{status_date.isoformat()}.pptx",
        mime=DECK_MIME,
        key="weekly_dl_pptx",
        on_click="ignore",
        icon=":material/slideshow:",
        help=t("deck.download_help"),
    )
