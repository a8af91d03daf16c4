"""Import page: upload, detection, validation report, status date, commit; history with undo."""
# icon: :material/upload_file:

from __future__ import annotations

import hashlib
from datetime import date

import streamlit as st

from pmo_analytics import ui
from pmo_analytics.errors import FormatError, PmoError
from pmo_analytics.importing import parse_upload

ui.page_header("page.import", "import.caption")
PARSED = "import_parsed"
UPLOADER = "import_uploader_n"


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


def _show_file(name: str, data: bytes, project: str, n: int) -> None:
    key = (name, hashlib.sha256(data).hexdigest(), project)
    cache = st.session_state.setdefault(PARSED, {})
    if key not in cache:
        try:
            cache[key] = parse_upload(name, data, project_id=project or None, max_upload_mb=ui.settings().max_upload_mb)
        except PmoError as exc:
            cache[key] = exc
    parsed = cache[key]
    with st.container(border=True):
        st.subheader(ui.md(name))
        if isinstance(parsed, FormatError) and parsed.key == "ingest.not_recognised":
            parsed = _mapping_editor(name, data, project, n, key, parsed)  # map by hand or with a saved profile
            if parsed is None:
                return
            cache[key] = parsed
        if isinstance(parsed, PmoError):
            st.error(f"{ui.t_md('import.file_error', name=name)} {ui.md(ui.error_text(parsed))}")
            return
        fmt_key = f"format.{parsed.source_format}"
        fmt_name = ui.t(fmt_key) if ui.i18n.has(fmt_key) else parsed.source_format
        st.write(ui.t_md("import.detected", fmt=fmt_name, conf=parsed.confidence))
        st.write(
            ui.t("import.summary", rows_in=parsed.rows_in, loaded=parsed.rows_loaded, rejected=parsed.rejected_rows)
        )
        if parsed.notes:
            with st.expander(ui.t("import.notes")):
                for note in parsed.notes:
                    st.text(note)
        if parsed.problems:
            st.warning(ui.t("import.problems") + f": {len(parsed.problems)}")
            ui.table(parsed.report_frame(ui.lang()), f"problems_{n}", title=f"{name}: {ui.t('import.problems')}")
        for table, frame in parsed.tables.items():
            if len(frame):
                with st.expander(ui.t("import.preview", table=table) + f" ({len(frame)})"):
                    st.dataframe(ui.readable(frame.head(50)), hide_index=True, key=f"preview_{n}_{table}")
        default_date = parsed.status_date or date.today()
        status_date = st.date_input(ui.t("import.status_date"), value=default_date, key=f"sd_{n}_{key[1][:12]}")
        c1, c2, _ = st.columns([2, 1, 3])
        if parsed.rows_loaded == 0:
            st.info(ui.t("import.nothing", name=name))
            return
        if c1.button(ui.t("import.commit", n=parsed.rows_loaded), key=f"commit_{n}_{key[1][:12]}", type="primary"):
            bar = st.progress(0.0, text=ui.t("import.committing", name=name))
            with ui.guard():
                result = ui.store().import_parsed(
                    parsed, status_date, progress=lambda f, what: bar.progress(f, text=f"{name}: {what}")
                )
                ui.clear_caches()
                cache.pop(key, None)
                st.session_state.setdefault("import_done", []).append(result.summary())
                st.session_state[UPLOADER] = st.session_state.get(UPLOADER, 0) + 1
                st.rerun()
        if c2.button(ui.t("import.cancel"), key=f"cancel_{n}_{key[1][:12]}"):
            cache.pop(key, None)
            st.session_state[UPLOADER] = st.session_state.get(UPLOADER, 0) + 1
            st.rerun()


def _mapping_editor(name: str, data: bytes, project: str, n: int, key: tuple, error: PmoError):
    """Column-mapping editor for a file no format recognised (``ingest.mapping``). A saved profile
    for the same headers is applied without asking. Returns the parsed file once mapped, else None."""
    from pmo_analytics.ingest import ParseOptions, mapping
    from pmo_analytics.ingest.safety import parse_isolated, read_isolated
    from pmo_analytics.schema import TABLES

    raws = st.session_state.setdefault("import_raw", {})
    if key not in raws:
        try:
            raws[key] = read_isolated(name, data)
        except PmoError as exc:
            raws[key] = exc
    raw = raws[key]
    if isinstance(raw, PmoError):
        return raw
    opts = {"project_id": project or None}
    hit = mapping.match_profile(mapping.load_profiles(ui.store()), raw)
    if hit:
        prof, sheet_name = hit
        st.info(ui.t_md("mapping.auto", name=prof["name"]))
        try:
            return parse_isolated(
                name,
                data,
                format="profile",
                options=ParseOptions(
                    mapping=prof["mapping"], table=prof["table"], sheet=sheet_name, profile_name=prof["name"], **opts
                ),
            )
        except PmoError as exc:
            return exc
    st.error(f"{ui.t_md('import.file_error', name=name)} {ui.md(ui.error_text(error))}")
    st.markdown(f"**{ui.t('mapping.title')}**")
    st.caption(ui.t("mapping.intro"))
    sheets = [s for s in raw.sheets if raw.sheets[s].headers]
    if not sheets:
        return FormatError(key="mapping.no_table", file=name)
    sheet_name = st.selectbox(ui.t("mapping.sheet"), sheets, key=f"map_sheet_{n}") if len(sheets) > 1 else sheets[0]
    sheet = raw.sheets[sheet_name]
    tables = list(TABLES)
    table = st.selectbox(
        ui.t("mapping.table"),
        tables,
        key=f"map_table_{n}",
        format_func=lambda tb: TABLES[tb].sheet_zh if ui.lang() == "zh" else TABLES[tb].sheet_en,
    )
    sug = mapping.suggest_mapping(sheet, table)
    none = ui.t("mapping.none")
    options = [none] + [h for h in sheet.headers if h]
    chosen: dict[str, str] = {}
    cols = st.columns(2)
    for i, row in enumerate(sug.itertuples()):
        label = row.label_zh if ui.lang() == "zh" else row.label
        if row.required:
            label += f" ({ui.t('mapping.required')})"
        default = options.index(row.header) if row.header in options else 0
        pick = cols[i % 2].selectbox(
            label,
            options,
            index=default,
            key=f"map_{n}_{table}_{row.column}",
            help=f"{ui.t('mapping.samples')}: {ui.md(', '.join(row.samples)) or '—'}",
        )
        if pick != none:
            chosen[row.column] = pick
    missing = [c for c in TABLES[table].required if c not in chosen and not (c == "project_id" and project)]
    if missing:
        st.warning(ui.t("mapping.missing_required", cols=", ".join(TABLES[table].column(c).label_en for c in missing)))
    profile_name = st.text_input(ui.t("mapping.profile_name"), key=f"map_name_{n}").strip()
    c1, c2, _ = st.columns([2, 2, 3])
    apply = c1.button(ui.t("mapping.apply"), key=f"map_apply_{n}", disabled=bool(missing))
    save = c2.button(ui.t("mapping.save"), key=f"map_save_{n}", disabled=bool(missing) or not profile_name)
    if not (apply or save):
        return None
    if save:
        mapping.save_profile(ui.store(), profile_name, table, chosen, sheet.headers, sheet=sheet_name)
        st.success(ui.t_md("mapping.saved", name=profile_name))
    try:
        return parse_isolated(
            name,
            data,
            format="profile",
            options=ParseOptions(
                mapping=chosen, table=table, sheet=sheet_name, profile_name=profile_name or None, **opts
            ),
        )
    except PmoError as exc:
        return exc


def _history() -> None:
    st.header(ui.t("import.history"))
    imports = ui.store().imports()
    if imports.empty:
        st.caption(ui.t("import.no_history"))
        return
    ui.table(imports, "imports")
    ids = imports["import_id"].tolist()
    pick = st.selectbox(
        ui.t("import.undo_pick"),
        ids,
        format_func=lambda i: f"#{i} · {imports.loc[imports.import_id == i, 'source_name'].iloc[0]}",
        key="undo_pick",
    )
    if st.button(ui.t("import.undo"), key="undo_btn", icon=":material/undo:"):
        with ui.guard():
            removed = ui.store().delete_import(int(pick))
            ui.clear_caches()
            st.session_state.setdefault("import_done", []).append(ui.t("import.undone", id=pick, rows=removed))
            st.rerun()


with ui.guard():
    for msg in st.session_state.pop("import_done", []):
        st.success(msg)
    _template_downloads()
    project = st.text_input(ui.t("import.project"), key="import_project").strip()
    files = st.file_uploader(
        ui.t("import.upload"),
        accept_multiple_files=True,
        type=["xlsx", "xlsm", "csv", "tsv", "txt", "xml", "json"],
        key=f"uploader_{st.session_state.get(UPLOADER, 0)}",
    )
    for n, f in enumerate(files or []):
        _show_file(f.name, f.getvalue(), project, n)
    _history()
