"""Import page: each uploaded file goes through ``STEPS`` (file -> detection -> status date ->
checks -> load), then the history (withdraw, restore, purge after a confirmation) and the saved column mappings. The logic is in ``pmo_analytics.importing``."""
# icon: :material/upload_file:

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import streamlit as st

from pmo_analytics import importing, ui
from pmo_analytics.errors import FormatError, PmoError
from pmo_analytics.importing import ParsedUpload

ui.page_header("page.import", "import.caption")
ui.require("import")
PARSED = "import_parsed"
UPLOADER = "import_uploader_n"
PENDING = "undo_pending"  # (action, import id) awaiting confirmation in the history


# ---------------------------------------------------------------------------- who acts, what they may
def _actor() -> str:
    """The signed-in identity's e-mail, or "local" in open mode: the audit trail's actor."""
    return ui.actor()


def _may(action: str) -> bool:
    """May the person do ``action`` ("import", "map", "withdraw", "purge", "mapping.delete")?
    (``access.ACTIONS``; withdrawing someone else's import is checked when it is asked for.)"""
    return ui.can(action)


@dataclass
class Flow:
    """One uploaded file on its way through the steps, and the decisions made so far."""

    n: int
    name: str
    data: bytes
    project: str
    key: tuple
    parsed: ParsedUpload | PmoError | None = None
    status_date: date | None = None
    checks: list = field(default_factory=list)
    confirmed: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def tag(self) -> str:
        """Widget-key suffix of this file."""
        return f"{self.n}_{self.key[1][:12]}"


def _template_downloads() -> None:
    from pmo_analytics.template import template_workbook_bytes

    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button(
        ui.t("import.template"),
        data=lambda: template_workbook_bytes("en"),
        file_name="pmo_template.xlsx",
        on_click="ignore",
        key="dl_template_en",
        icon=":material/table_view:",
    )
    c2.download_button(
        ui.t("import.template_zh"),
        data=lambda: template_workbook_bytes("zh"),
        file_name="pmo_template_zh.xlsx",
        on_click="ignore",
        key="dl_template_zh",
        icon=":material/table_view:",
    )


# ---------------------------------------------------------------------------- steps


def _choices(flow: Flow) -> dict:
    """What the person decided for this file's open questions (``ParsedUpload.open_choices``):
    ``project``, ``dayfirst``, ``list_categories``; kept in the session per file content."""
    return st.session_state.setdefault(f"import_choices_{flow.key[1][:16]}", {})


def _step_file(flow: Flow) -> bool:
    """Read and parse the file (once per content, project and choices; kept in the session)."""
    st.subheader(ui.md(flow.name))
    cache = st.session_state.setdefault(PARSED, {})
    chosen = _choices(flow)
    flow.key = (*flow.key, tuple(sorted((k, repr(v)) for k, v in chosen.items())))
    if flow.key not in cache:
        try:
            cache[flow.key] = importing.parse_upload(
                flow.name,
                flow.data,
                project_id=chosen.get("project") or flow.project or None,
                max_upload_mb=ui.settings().max_upload_mb,
                dayfirst=chosen.get("dayfirst"),
                list_categories=chosen.get("list_categories"),
                fields=chosen.get("fields"),
                board_lists=importing.load_board_lists(ui.store()),
                on_wait=_queued,
            )
        except PmoError as exc:
            cache[flow.key] = exc
    flow.parsed = cache[flow.key]
    return True


def _step_detection(flow: Flow) -> bool:
    """The format recognised (or the column-mapping editor), the validation report, a preview."""
    if importing.is_unrecognised(flow.parsed):
        mapped = _mapping_editor(flow)  # map by hand or with a saved profile
        if mapped is None:
            return False
        st.session_state[PARSED][flow.key] = flow.parsed = mapped
    parsed = flow.parsed
    if isinstance(parsed, PmoError):
        st.error(f"{ui.t_md('import.file_error', name=flow.name)} {ui.md(ui.error_text(parsed))}")
        return False
    fmt_key = f"format.{parsed.source_format}"
    fmt_name = ui.t(fmt_key) if ui.i18n.has(fmt_key) else parsed.source_format
    st.write(ui.t_md("import.detected", fmt=fmt_name, conf=parsed.confidence))
    st.write(ui.t("import.summary", rows_in=parsed.rows_in, loaded=parsed.rows_loaded, rejected=parsed.rejected_rows))
    if parsed.notes:
        with st.expander(ui.t("import.notes")):
            for note in parsed.notes:
                st.text(ui.note_text(note))
    if parsed.problems:
        st.warning(ui.t("import.problems") + f": {len(parsed.problems)}")
        ui.table(parsed.report_frame(ui.lang()), f"problems_{flow.n}", title=f"{flow.name}: {ui.t('import.problems')}")
    for table, frame in parsed.tables.items():
        if len(frame):
            with st.expander(ui.t("import.preview", table=table) + f" ({len(frame)})"):
                # not imported yet: ids stay plain (no project page to link to)
                ui.table(frame.head(50), f"preview_{flow.n}_{table}", downloads=False, links=False, schema_table=table)
    if parsed.rows_loaded == 0:
        st.info(ui.t_md("import.nothing", name=flow.name))
        return False
    return True


def _step_project(flow: Flow) -> bool:
    """A file whose rows need a project it does not name (a risk register, a finance sheet without
    a project column): pick one of the store's projects or type a new id; the file is parsed again."""
    parsed = flow.parsed
    chosen = _choices(flow)
    asked = isinstance(parsed, ParsedUpload) and "project" in parsed.open_choices
    if not asked and not chosen.get("project"):
        return True
    st.markdown(f"**{ui.t('agile.project_title')}**")
    if asked:  # once chosen, the picker stays to change the choice
        where = ", ".join(parsed.open_choices["project"]["where"])
        st.warning(ui.t("agile.project_question", where=ui.md(where)))
    c1, c2 = st.columns(2)
    known = ui.project_ids()
    pick = c1.selectbox(ui.t("agile.project_pick"), [""] + known, key=f"agile_project_{flow.tag}")
    typed = c2.text_input(ui.t("agile.project_new"), key=f"agile_project_new_{flow.tag}").strip()
    project = typed or pick
    if project and project != chosen.get("project"):
        chosen["project"] = project
        st.rerun()
    return True


def _step_board_lists(flow: Flow) -> bool:
    """A board's lists and the status category each counts as (from the list name, the list order,
    a saved or chosen mapping): changed here for this import, or saved for the board."""
    board = flow.parsed.open_choices.get("board_lists")
    if not board or not board.get("lists"):
        return True
    import pandas as pd

    cats = ["To Do", "In Progress", "Done"]
    with st.expander(ui.t("agile.lists_title"), expanded=any(x["source"] == "order" for x in board["lists"])):
        st.caption(ui.t("agile.lists_caption", board=ui.md(board.get("board") or "")))
        if board.get("saved"):
            by, on = board["saved"]["by"], board["saved"]["on"]
            st.caption(ui.t("agile.lists_saved_by", by=ui.md(by or "—"), on=ui.md(on or "—")))
        frame = pd.DataFrame(
            {
                "list": [x["list"] for x in board["lists"]],
                "category": [x["category"] for x in board["lists"]],
                "source": [ui.t(f"agile.source.{x['source']}") for x in board["lists"]],
            }
        )
        edited = st.data_editor(
            frame,
            hide_index=True,
            disabled=["list", "source"],
            key=f"agile_lists_{flow.tag}",
            column_config={
                "list": st.column_config.TextColumn(ui.t("agile.lists_list")),
                "category": st.column_config.SelectboxColumn(
                    ui.t("agile.lists_category"), options=cats, required=True, format_func=lambda c: ui.t(f"cat.{c}")
                ),
                "source": st.column_config.TextColumn(ui.t("agile.lists_source")),
            },
        )
        mapping = dict(zip(edited["list"].tolist(), edited["category"].tolist(), strict=True))
        c1, c2, _ = st.columns([2, 2, 3])
        if c1.button(ui.t("agile.lists_apply"), key=f"agile_lists_apply_{flow.tag}"):
            _choices(flow)["list_categories"] = mapping
            st.rerun()
        if c2.button(ui.t("agile.lists_save"), key=f"agile_lists_save_{flow.tag}", disabled=not board.get("board_id")):
            with ui.guard():
                importing.save_board_lists(
                    ui.store(), board["board_id"], board.get("board") or "", mapping, actor=_actor()
                )
                # parse again: the saved mapping now applies (and says whose it is)
                _choices(flow).pop("list_categories", None)
                st.session_state[PARSED].pop(flow.key, None)
                st.session_state.setdefault("import_done", []).append(
                    ui.t("agile.lists_saved", board=ui.md(board.get("board") or ""))
                )
                st.rerun()
    return True


def _step_custom_fields(flow: Flow) -> bool:
    """MS Project custom fields (Duration1..10) as three-point estimates: which field is which,
    asked (never guessed); a different answer parses the file again."""
    ask = flow.parsed.open_choices.get("custom_fields") if isinstance(flow.parsed, ParsedUpload) else None
    if not ask:
        return True
    none = ""
    with st.expander(ui.t("srisk.fields_title"), expanded=not ask["chosen"]):
        st.caption(ui.t("srisk.fields_caption"))
        cols = st.columns(len(ask["columns"]))
        picked: dict[str, str] = {}
        for col, column in zip(cols, ask["columns"], strict=True):
            options = [none, *ask["headers"]]
            current = ask["chosen"].get(column, none)
            value = ui.choose(
                col.selectbox,
                ui.label(column, table="tasks"),
                options,
                index=options.index(current) if current in options else 0,
                format_func=lambda h: ui.t("srisk.fields_none") if h == none else h,
                key=f"srisk_field_{column}_{flow.tag}",
            )
            if value != none:
                picked[column] = value
        if picked != ask["chosen"]:
            _choices(flow)["fields"] = picked or None
            st.rerun()
    return True


def _date_order_choice(flow: Flow) -> None:
    """Dates no value decides (03/04/2025 and nothing past 12): ask which order the file writes;
    a different answer parses the file again."""
    ask = flow.parsed.open_choices.get("date_order")
    if not ask:
        return
    chosen = _choices(flow)
    st.markdown(f"**{ui.t('agile.dates_title')}**")
    options = [True, False]
    current = chosen.get("dayfirst")
    pick = ui.choose(
        st.radio,
        ui.t("agile.dates_question", columns=ui.md(", ".join(ask["columns"]))),
        options,
        index=0 if current is None else options.index(current),
        format_func=lambda d: ui.t("agile.dates_dmy" if d else "agile.dates_mdy"),
        key=f"agile_dates_{flow.tag}",
        horizontal=True,
    )
    if pick != (True if current is None else current):
        chosen["dayfirst"] = pick
        st.rerun()


def _step_status_date(flow: Flow) -> bool:
    """The user's decision: the file's proposal pre-filled (and its source named), else empty."""
    parsed = flow.parsed
    proposed = parsed.proposed_status_date
    flow.status_date = st.date_input(
        ui.t("import.status_date_one"),
        value=proposed,
        key=f"sd_{flow.tag}",
        help=ui.t("import.status_date_help"),
    )
    if proposed is not None:
        source = importing.status_date_source_text(parsed, ui.lang())
        st.caption(ui.t("import.status_date_proposed", date=proposed.isoformat(), source=source))
    if flow.status_date is None:
        st.warning(ui.t("import.status_date_choose"))
        return False
    return True


def _step_checks(flow: Flow) -> bool:
    """What loading with this date would do: refusals, warnings to confirm, information; and the
    day/month order of dates the file leaves open."""
    _date_order_choice(flow)
    flow.checks = importing.check_import(ui.store(), flow.parsed, flow.status_date)
    for check in flow.checks:
        text = check.text(ui.lang(), escape=ui.md)
        if check.blocking:
            st.error(text)
        elif check.confirm:
            st.warning(text)
        else:
            st.info(text)
    if not flow.checks:
        st.caption(ui.t("import.checks_ok"))
    if any(c.blocking for c in flow.checks):
        return False
    if importing.needs_confirmation(flow.checks):
        # one confirmation per date: another date brings other warnings, confirmed afresh
        flow.confirmed = st.checkbox(ui.t("import.confirm"), key=f"confirm_{flow.tag}_{flow.status_date.isoformat()}")
    return True


def _step_load(flow: Flow) -> bool:
    """Load (enabled once every warning is confirmed) or cancel."""
    parsed = flow.parsed
    cache = st.session_state[PARSED]
    c1, c2, _ = st.columns([2, 1, 3])
    ready = flow.confirmed or not importing.needs_confirmation(flow.checks)
    if c1.button(
        ui.t("import.commit", n=parsed.rows_loaded), key=f"commit_{flow.tag}", type="primary", disabled=not ready
    ):
        bar = st.progress(0.0, text=ui.t("import.committing", name=flow.name))
        with ui.guard():
            result = importing.load(
                ui.store(),
                parsed,
                flow.status_date,
                confirmed=flow.confirmed,
                progress=lambda f, what: bar.progress(f, text=f"{flow.name}: {what}"),
                lang=ui.lang(),
                on_wait=_queued,
                access=ui.access(),
            )
            ui.clear_caches()
            cache.pop(flow.key, None)
            st.session_state.setdefault("import_done", []).append(_loaded_text(result))
            st.session_state[UPLOADER] = st.session_state.get(UPLOADER, 0) + 1
            st.rerun()
    if c2.button(ui.t("import.cancel"), key=f"cancel_{flow.tag}"):
        cache.pop(flow.key, None)
        importing.release_memory()
        st.session_state[UPLOADER] = st.session_state.get(UPLOADER, 0) + 1
        st.rerun()
    return True


def _queued() -> None:
    """Said while a large file waits for another large import to finish."""
    st.info(ui.t("memory.queued"), icon=":material/hourglass_top:")


def _loaded_text(result) -> str:
    fmt_key = f"format.{result.source_format}"
    text = ui.t(
        "import.loaded",
        name=ui.md(result.source_name),
        id=result.import_id,
        fmt=ui.t(fmt_key) if ui.i18n.has(fmt_key) else result.source_format,
        date=result.status_date.isoformat(),
        loaded=result.rows_loaded,
        tables=result.entities or "—",
        rejected=result.rows_rejected,
        rows_in=result.rows_in,
    )
    if result.supersedes:
        text += " " + ui.t("import.loaded_supersedes", imports=", ".join(f"#{i}" for i in result.supersedes))
    return text


# The steps, in order. To add one (access checks, schedule-file options): write
# ``def _step_x(flow: Flow) -> bool`` that draws its section (library calls only) and returns False
# to stop this file's flow there, and insert ("x", _step_x) where it belongs; what it decides can
# be kept on ``flow.extra`` for the steps after it.
STEPS: list[tuple[str, Callable[[Flow], bool]]] = [
    ("file", _step_file),
    ("project", _step_project),
    ("detection", _step_detection),
    ("board_lists", _step_board_lists),
    ("custom_fields", _step_custom_fields),
    ("status_date", _step_status_date),
    ("checks", _step_checks),
    ("load", _step_load),
]


def _run_flow(flow: Flow) -> None:
    with st.container(border=True):
        for _name, step in STEPS:
            if not step(flow):
                return


# ---------------------------------------------------------------------------- mapping, history


def _mapping_editor(flow: Flow) -> ParsedUpload | PmoError | None:
    """Column-mapping editor for a file no format recognised (``importing`` wraps
    ``ingest.mapping``). A saved profile for the same headers is shown and applied only when the
    person confirms it ("Apply 'X', saved by Y on D?"), else mapped by hand.
    Returns the parsed file once mapped (or the error), else None."""
    from pmo_analytics.schema import TABLES

    name, data, n = flow.name, flow.data, flow.n
    raws = st.session_state.setdefault("import_raw", {})
    if flow.key not in raws:
        try:
            raws[flow.key] = importing.read_upload(name, data, max_upload_mb=ui.settings().max_upload_mb)
        except PmoError as exc:
            raws[flow.key] = exc
    raw = raws[flow.key]
    if isinstance(raw, PmoError):
        return raw
    chosen = _choices(flow)
    opts = {
        "project_id": chosen.get("project") or flow.project or None,
        "max_upload_mb": ui.settings().max_upload_mb,
        "dayfirst": chosen.get("dayfirst"),
    }
    hit = importing.match_profile(ui.store(), raw)
    decisions = st.session_state.setdefault("import_map_decision", {})
    if hit and decisions.get(flow.key) != "hand":
        prof, sheet_name = hit
        if decisions.get(flow.key) != "apply":
            with st.container(border=True, key=f"map_confirm_{n}"):
                st.warning(importing.profile_question(prof, ui.lang(), escape=ui.md))
                ui.table(
                    importing.profile_frame(prof, ui.lang()).drop(columns=["column"]),
                    f"map_profile_{n}",
                    downloads=False,
                )
                c1, c2, _ = st.columns([2, 2, 3])
                if c1.button(ui.t("mapping.apply_yes", name=prof["name"]), key=f"map_use_{n}", type="primary"):
                    decisions[flow.key] = "apply"
                    st.rerun()
                if c2.button(ui.t("mapping.apply_no"), key=f"map_hand_{n}"):
                    decisions[flow.key] = "hand"
                    st.rerun()
            return None
        st.info(ui.t_md("mapping.applied", name=prof["name"]))
        try:
            return importing.apply_profile(name, data, prof, sheet_name, **opts)
        except PmoError as exc:
            return exc
    st.error(f"{ui.t_md('import.file_error', name=name)} {ui.md(ui.error_text(flow.parsed))}")
    st.markdown(f"**{ui.t('mapping.title')}**")
    st.caption(ui.t("mapping.intro"))
    sheets = [s for s in raw.sheets if raw.sheets[s].headers]
    if not sheets:
        return FormatError(key="mapping.no_table", file=name)
    sheet_name = st.selectbox(ui.t("mapping.sheet"), sheets, key=f"map_sheet_{n}") if len(sheets) > 1 else sheets[0]
    sheet = raw.sheets[sheet_name]
    tables = list(TABLES)
    table = ui.choose(
        st.selectbox,
        ui.t("mapping.table"),
        tables,
        key=f"map_table_{n}",
        format_func=lambda tb: TABLES[tb].sheet_zh if ui.lang() == "zh" else TABLES[tb].sheet_en,
    )
    sug = importing.suggest_mapping(sheet, table)
    none = ""  # "not in this file": a code worded by format_func (headers are never empty here)
    options = [none] + [h for h in sheet.headers if h]
    chosen: dict[str, str] = {}
    cols = st.columns(2)
    for i, row in enumerate(sug.itertuples()):
        label = row.label_zh if ui.lang() == "zh" else row.label
        if row.required:
            label += f" ({ui.t('mapping.required')})"
        default = options.index(row.header) if row.header in options else 0
        pick = ui.choose(
            cols[i % 2].selectbox,
            label,
            options,
            index=default,
            key=f"map_{n}_{table}_{row.column}",
            format_func=lambda h: h or ui.t("mapping.none"),
            help=f"{ui.t('mapping.samples')}: {ui.md(', '.join(row.samples)) or '—'}",
        )
        if pick != none:
            chosen[row.column] = pick
    missing = [c for c in TABLES[table].required if c not in chosen and not (c == "project_id" and flow.project)]
    if missing:
        st.warning(ui.t("mapping.missing_required", cols=", ".join(TABLES[table].column(c).label_en for c in missing)))
    profile_name = st.text_input(ui.t("mapping.profile_name"), key=f"map_name_{n}").strip()
    c1, c2, _ = st.columns([2, 2, 3])
    apply = c1.button(ui.t("mapping.apply"), key=f"map_apply_{n}", disabled=bool(missing))
    save = c2.button(ui.t("mapping.save"), key=f"map_save_{n}", disabled=bool(missing) or not profile_name)
    if not (apply or save):
        return None
    if save:
        importing.save_profile(ui.store(), profile_name, table, chosen, sheet.headers, sheet=sheet_name, actor=_actor())
        st.success(ui.t_md("mapping.saved", name=profile_name))
    try:
        return importing.parse_upload(
            name, data, mapping=chosen, table=table, sheet=sheet_name, profile_name=profile_name or None, **opts
        )
    except PmoError as exc:
        return exc


def _history() -> None:
    """The import history; withdraw / restore / purge one import after a confirmation naming
    what disappears (or comes back): file, status date, rows per table, projects."""
    from pmo_analytics.withdrawal import describe, project_lines

    st.header(ui.t("import.history"))
    imports = ui.store().imports()
    if imports.empty:
        st.caption(ui.t("import.no_history"))
        return
    st.caption(ui.t("undo.history_caption"))
    ui.table(imports, "imports")
    gone = {int(i) for i in imports.loc[imports["withdrawn_at"].notna(), "import_id"]}
    names = dict(zip(imports["import_id"].astype(int), imports["source_name"], strict=True))
    pick = int(
        ui.choose(
            st.selectbox,
            ui.t("undo.pick"),
            list(names),
            format_func=lambda i: f"#{i} · {names[i]}" + (f" ({ui.t('undo.withdrawn_tag')})" if i in gone else ""),
            key="undo_pick",
        )
    )
    c1, c2, _ = st.columns([2, 2, 3])
    if pick in gone:
        if c1.button(ui.t("undo.restore"), key="restore_btn", icon=":material/restore:", disabled=not _may("withdraw")):
            st.session_state[PENDING] = ("restore", pick)
        may_purge = _may("purge")
        if c2.button(
            ui.t("undo.purge"),
            key="purge_btn",
            icon=":material/delete_forever:",
            disabled=not may_purge,
            help=None if may_purge else ui.t("undo.purge_admins"),
        ):
            st.session_state[PENDING] = ("purge", pick)
    elif c1.button(ui.t("undo.withdraw"), key="undo_btn", icon=":material/undo:", disabled=not _may("withdraw")):
        st.session_state[PENDING] = ("withdraw", pick)
    pending = st.session_state.get(PENDING)
    if not pending or pending[1] != pick or (pending[0] == "withdraw") == (pick in gone):
        return  # nothing asked, or asked about another import / another state
    action = pending[0]
    impact = ui.store().import_impact(pick)
    with st.container(border=True, key="undo_confirmation"):
        if action == "purge":
            st.warning(ui.t("undo.confirm_purge", id=pick, name=ui.md(impact.source_name), n=impact.total_rows))
        else:
            st.warning(describe(impact, ui.lang(), escape=ui.md))
            if impact.projects:
                lines = project_lines(impact, ui.lang(), escape=ui.md)
                st.markdown(
                    f"{ui.t('undo.projects_head', n=len(impact.projects))}\n\n" + "\n".join(f"- {x}" for x in lines)
                )
            if action == "withdraw":
                st.caption(ui.t("undo.reversible"))
        y, n, _ = st.columns([2, 1, 3])
        yes = y.button(ui.t(f"undo.yes_{action}", id=pick), key="undo_yes", type="primary")
        if n.button(ui.t("undo.cancel"), key="undo_no"):
            st.session_state.pop(PENDING, None)
            st.rerun()
    if yes:
        st.session_state.pop(PENDING, None)
        with ui.guard():
            store, actor = ui.store(), _actor()
            store.check_withdraw(int(pick), ui.access())  # an analyst: their own imports; an admin: any
            if action == "withdraw":
                done = ui.t("undo.withdrawn_done", id=pick, n=store.withdraw_import(pick, actor).total_rows)
            elif action == "restore":
                done = ui.t("undo.restored_done", id=pick, n=store.restore_import(pick, actor).total_rows)
            else:
                done = ui.t("undo.purged_done", id=pick, n=store.purge_import(pick, actor, admin=_may("purge")))
            ui.clear_caches()
            st.session_state.setdefault("import_done", []).append(done)
            st.rerun()


def _mappings() -> None:
    """Saved column mappings: who saved each and when; change which header feeds each column;
    delete one after a confirmation."""
    st.header(ui.t("mapping.manage_title"))
    store = ui.store()
    profiles = importing.list_profiles(store)
    if profiles.empty:
        st.caption(ui.t("mapping.manage_empty"))
        return
    st.caption(ui.t("mapping.manage_caption"))
    ui.table(profiles, "mappings")
    name = st.selectbox(ui.t("mapping.manage_pick"), profiles["name"].tolist(), key="mapping_pick")
    prof = importing.get_profile(store, name)
    if prof is None:
        return
    frame = importing.profile_frame(prof, ui.lang(), every_column=True)
    header = ui.label("mapping_header")
    edited = st.data_editor(
        ui.readable(frame.drop(columns=["column"])),
        key=f"mapping_edit_{name}",
        hide_index=True,
        disabled=[ui.label("mapping_column")],
        column_config={header: st.column_config.SelectboxColumn(options=[h for h in prof["headers"] if h])},
    )
    c1, c2, _ = st.columns([2, 2, 3])
    if c1.button(ui.t("mapping.edit_save"), key="mapping_save", disabled=not _may("mapping.edit")):
        with ui.guard():
            mapping = importing.mapping_from_frame(frame.assign(mapping_header=list(edited[header])))
            importing.update_profile(store, name, mapping, actor=_actor())
            st.session_state.setdefault("import_done", []).append(ui.t_md("mapping.edited", name=name))
            st.rerun()
    if c2.button(ui.t("mapping.delete_ask"), key="mapping_delete", disabled=not _may("mapping.delete")):
        st.session_state["mapping_pending"] = name
    if st.session_state.get("mapping_pending") != name:
        return
    with st.container(border=True, key="mapping_delete_confirmation"):
        on = f"{prof['saved_at']:%Y-%m-%d}" if prof.get("saved_at") else "—"
        by = prof["saved_by"] or ui.t("mapping.owner_unknown")
        st.warning(ui.t("mapping.delete_confirm", name=ui.md(name), n=len(prof["mapping"]), by=ui.md(by), on=on))
        y, no, _ = st.columns([2, 1, 3])
        if y.button(ui.t_md("mapping.delete_yes", name=name), key="mapping_delete_yes", type="primary"):
            st.session_state.pop("mapping_pending", None)
            with ui.guard():
                importing.delete_profile(store, name, actor=_actor())
                st.session_state.setdefault("import_done", []).append(ui.t_md("mapping.deleted", name=name))
                st.rerun()
        if no.button(ui.t("undo.cancel"), key="mapping_delete_no"):
            st.session_state.pop("mapping_pending", None)
            st.rerun()


with ui.guard():
    for msg in st.session_state.pop("import_done", []):
        st.success(msg)
    _template_downloads()
    project = st.text_input(ui.t("import.project"), key="import_project").strip()
    files = st.file_uploader(
        ui.t("import.upload"),
        accept_multiple_files=True,
        type=list(importing.UPLOAD_TYPES),
        key=f"uploader_{st.session_state.get(UPLOADER, 0)}",
        help=ui.t("import.upload_help", mb=ui.settings().max_upload_mb),  # the box itself is Streamlit's English
    )
    native_ok, native_key = importing.native_files_readable()
    if not native_ok:  # .mpp/.xer need Java: say what to install; every other format works
        st.caption(ui.t(native_key) + " — " + ui.t("hint.install_java"))
    for n, f in enumerate(files or []):
        data = f.getvalue()
        _run_flow(Flow(n, f.name, data, project, (f.name, hashlib.sha256(data).hexdigest(), project)))
    _history()
    _mappings()
