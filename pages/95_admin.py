"""Admin page: who may do what and see which projects (grants), the organisation's settings,
and the audit trail. Admins only (``ui.require``); every change is audited by the store."""
# icon: :material/admin_panel_settings:

from __future__ import annotations

import streamlit as st

from pmo_analytics import admin, i18n, ui
from pmo_analytics.access import GRANT_KINDS, ROLES
from pmo_analytics.settings import ORG_CHOICES, ORG_FIELDS, check_org_value, org_values

ui.page_header("page.admin", "admin.caption")
ui.require("audit")

CHOICE_WORDS = {
    "period": "evm.set.period.",
    "ev_method": "evm.set.ev.",
    "calendar": "evm.set.cal.",
    "risk_distribution": "srisk.dist.",  # the Schedule risk page's
}  # the EV page's words
GRANT_HEADERS = {c: f"admin.col.{c}" for c in admin.GRANT_COLUMNS}
AUDIT_HEADERS = {c: f"admin.col.{c}" for c in admin.AUDIT_COLUMNS}


def _headed(df, headers: dict[str, str]):
    return df.rename(columns={c: ui.t(k) for c, k in headers.items()})


def access_tab() -> None:
    for msg in st.session_state.pop("admin_done", []):
        st.success(msg)
    st.subheader(ui.t("admin.grants"))
    shown = admin.grants_table(ui.store().grants_frame())
    if shown.empty:
        st.info(ui.t("admin.no_grants"))
    else:
        shown["kind"] = shown["kind"].map(lambda k: ui.t(f"admin.kind.{k}"))
        shown["role"] = shown["role"].map(lambda r: ui.t(f"access.role.{r}"))
        ui.table(_headed(shown, GRANT_HEADERS), "admin_grants", title=ui.t("admin.grants"))
    with st.form("admin_grant", clear_on_submit=True):
        st.markdown(f"**{ui.t('admin.grant_form')}**")
        c = st.columns([1, 2, 1])
        kind = ui.choose(
            c[0].selectbox,
            ui.t("admin.kind"),
            GRANT_KINDS,
            key="admin_kind",
            format_func=lambda k: ui.t(f"admin.kind.{k}"),
        )
        subject = c[1].text_input(ui.t("admin.subject"), key="admin_subject")
        role = ui.choose(
            c[2].selectbox, ui.t("admin.role"), ROLES, key="admin_role", format_func=lambda r: ui.t(f"access.role.{r}")
        )
        c = st.columns(3)
        portfolios = c[0].text_input(ui.t("admin.portfolios"), key="admin_portfolios")
        departments = c[1].text_input(ui.t("admin.departments"), key="admin_departments")
        projects = c[2].text_input(ui.t("admin.projects"), key="admin_projects")
        if st.form_submit_button(ui.t("admin.save_grant"), type="primary"):
            with ui.guard():
                grant = admin.grant_from_form(kind, subject, role, portfolios, departments, projects)
                ui.store().save_grant(grant, ui.access())
                ui.clear_caches()
                st.session_state.setdefault("admin_done", []).append(
                    ui.t_md("admin.grant_saved", subject=grant.subject)
                )
                st.rerun()
    grants = ui.store().grants()
    if grants:
        c = st.columns([3, 1])
        pick = ui.choose(
            c[0].selectbox,
            ui.t("admin.revoke"),
            [f"{g.kind}:{g.subject}" for g in grants],
            format_func=lambda k: f"{ui.t('admin.kind.' + k.split(':', 1)[0])} · {k.split(':', 1)[1]}",
            key="admin_revoke_pick",
        )
        if c[1].button(ui.t("admin.revoke_button"), key="admin_revoke", icon=":material/person_remove:"):
            with ui.guard():
                kind, subject = str(pick).split(":", 1)
                ui.store().delete_grant(kind, subject, ui.access())
                ui.clear_caches()
                st.session_state.setdefault("admin_done", []).append(ui.t_md("admin.revoked", subject=subject))
                st.rerun()


def settings_tab() -> None:
    st.caption(ui.t("admin.settings_intro"))
    for msg in st.session_state.pop("admin_settings_done", []):
        st.success(msg)
    current = org_values(ui.org_settings())
    with st.form("admin_settings"):
        values: dict[str, object] = {}
        cols = st.columns(3)
        for i, name in enumerate(ORG_FIELDS):
            label, col, key = ui.t(f"admin.set.{name}"), cols[i % 3], f"admin_set_{name}"
            v = current[name]
            if name in ORG_CHOICES:
                opts = list(ORG_CHOICES[name])
                values[name] = ui.choose(
                    col.selectbox,
                    label,
                    opts,
                    index=opts.index(v) if v in opts else 0,
                    key=key,
                    format_func=lambda c, n=name: ui.t(f"{CHOICE_WORDS[n]}{c}"),
                )
            elif name == "holidays":
                values[name] = col.text_area(ui.t("admin.holidays"), ", ".join(v), key=key, height=80)  # type: ignore[arg-type]
            elif ORG_FIELDS[name] is int:
                values[name] = col.number_input(label, 0, 1000, int(v), step=1, key=key)  # type: ignore[call-overload]
            else:
                values[name] = col.number_input(label, 0.0, 100.0, float(v), step=0.01, key=key)  # type: ignore[arg-type]
        if st.form_submit_button(ui.t("admin.save_settings"), type="primary"):
            with ui.guard():
                checked = {n: check_org_value(n, v) for n, v in values.items()}
                new = org_values(ui.org_settings().with_(**checked))
                changes = {n: v for n, v in new.items() if v != current[n]}
                if not changes:
                    st.info(ui.t("admin.settings_unchanged"))
                    return
                ui.store().save_org_settings(changes, ui.access())
                ui.clear_caches()
                st.session_state.setdefault("admin_settings_done", []).append(ui.t("admin.settings_saved"))
                st.rerun()


def _action_words(code: object) -> str:
    """ "Import loaded · import.load": the action in words (when known) and its code."""
    key = f"audit.action.{code}"
    return f"{ui.t(key)} · {code}" if i18n.has(key) else str(code)


def _family_words(family: object) -> str:
    """ "Imports · import.": an action family in words (when known) and its code."""
    key = f"audit.family.{family}"
    return f"{ui.t(key)} · {family}" if i18n.has(key) else str(family)


def audit_tab() -> None:
    everything = ui.store().audit_entries()
    c = st.columns(3)
    actors = sorted(set(everything["actor"].astype(str))) if len(everything) else []
    who = c[0].multiselect(ui.t("admin.audit_actor"), actors, key="audit_actor", placeholder=ui.t("filter.all"))
    kinds = admin.action_prefixes(everything)
    what = ui.choose(
        c[1].multiselect,
        ui.t("admin.audit_action"),
        kinds,
        key="audit_action",
        format_func=_family_words,
        placeholder=ui.t("filter.all"),
    )
    since = c[2].date_input(ui.t("admin.audit_since"), value=None, key="audit_since")
    shown = admin.audit_table(
        ui.store().audit_entries(since=admin.since_datetime(since))  # type: ignore[arg-type]
    )
    shown = admin.filter_audit(shown, actors=who, families=what)
    shown["action"] = shown["action"].map(_action_words)
    if shown.empty:
        st.info(ui.t("admin.audit_empty"))
        return
    st.caption(ui.t("admin.audit_count", n=len(shown)))
    ui.table(_headed(shown.reset_index(drop=True), AUDIT_HEADERS), "audit", title=ui.t("admin.tab.audit"))


with ui.guard():
    tabs = st.tabs([ui.t("admin.tab.access"), ui.t("admin.tab.settings"), ui.t("admin.tab.audit")])
    with tabs[0]:
        if ui.can("manage_access"):
            access_tab()
    with tabs[1]:
        if ui.can("manage_settings"):
            settings_tab()
    with tabs[2]:
        audit_tab()
