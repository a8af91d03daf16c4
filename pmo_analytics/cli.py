"""Command line: ``python -m pmo_analytics <command> ...`` - a thin layer over the library.

Exit codes: 0 success; 1 a file or request was refused (message on stderr, database
unchanged); 2 bad arguments; 3 database busy (another process holds the write lock).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date, datetime
from pathlib import Path

from . import messages
from .errors import PmoError, StoreBusyError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from exc


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 300:
        raise argparse.ArgumentTypeError(f"expected seconds between 0 and 300, got {text!r}")
    return value


def _store(args):
    from .store import Store

    return Store(args.db) if args.db else Store()


def _jsonable(value):
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (datetime, date)) and value != value:  # pd.NaT is a datetime too: null, not "NaT"
        return None
    if isinstance(value, (datetime, date)):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()[:10]
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return value


def _frames(args):
    """The one load path for a command: ``frames.load_frames`` over ``--project``,
    ``--status-date`` (as of) and ``--include-closed``; names the closed projects left out on stderr."""
    from .frames import load_frames, selection_for

    fr = load_frames(
        _store(args),
        selection_for(
            getattr(args, "project", None) or None,
            getattr(args, "status_date", None),
            bool(getattr(args, "include_closed", False)),
        ),
    )
    if fr.closed_left_out:
        print(
            f"note: {len(fr.closed_left_out)} closed or cancelled project(s) left out: "
            f"{', '.join(fr.closed_left_out)} (--include-closed to include them)",
            file=sys.stderr,
        )
    return fr


def _deep_jsonable(value):
    """``_jsonable`` through lists and dicts (the portfolio's ``by_currency`` records)."""
    if isinstance(value, dict):
        return {k: _deep_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_deep_jsonable(v) for v in value]
    return _jsonable(value)


def _records(df) -> list[dict]:
    return [{k: _jsonable(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def cmd_import(args) -> int:
    from . import importing
    from .settings import from_env

    store = _store(args)
    board_lists = importing.load_board_lists(store)
    list_categories = _list_categories(args.list_category or [])
    lang = args.lang
    max_mb = from_env().max_upload_mb
    chosen = None
    if args.mapping:
        chosen = importing.get_profile(store, args.mapping)
        if chosen is None:
            raise PmoError(key="mapping.no_profile", params={"name": args.mapping}, hint_key="hint.list_mappings")
    failed = 0
    for path in args.files:
        p = Path(path)
        try:
            if not p.is_file():
                raise PmoError(key="cli.file_not_found", params={"file": str(p)})
            size = p.stat().st_size
            if size > max_mb * 1024 * 1024:
                raise PmoError(
                    key="cli.over_limit",
                    params={"file": p.name, "mb": f"{size / 1024 / 1024:,.1f}", "max_mb": max_mb},
                    hint_key="cli.over_limit.hint",
                )
            data = p.read_bytes()
            opts = {
                "project_id": args.project,
                "max_upload_mb": max_mb,
                "dayfirst": {"dmy": True, "mdy": False}.get(args.dates or ""),
                "list_categories": list_categories or None,
                "fields": _fields(args.field or []) or None,
                "board_lists": board_lists,
            }
            parsed = (
                _with_mapping(store, p.name, data, chosen, opts)
                if chosen is not None
                else _parse_or_name_mapping(store, p.name, data, args.format, opts)
            )
            for prob in parsed.problems:
                kind = "error" if prob.severity == "error" else "warning"
                print(f"{kind}: {messages.problem_line(prob, lang)}", file=sys.stderr)
            if parsed.errors and args.strict:
                raise PmoError(
                    key="cli.strict_rejected",
                    params={"file": p.name, "n": len(parsed.errors)},
                    hint_key="cli.strict_rejected.hint",
                )
            if parsed.rows_loaded == 0:
                _print_notes(parsed, lang, sys.stderr)  # what the importer saw explains the refusal
                if importing.needs_project(parsed):
                    raise PmoError(key="cli.needs_project", params={"file": p.name})
                raise PmoError(key="cli.no_valid_rows", params={"file": p.name})
            status_date = importing.status_date_for(parsed, args.status_date)
            proposed, source = parsed.proposed_status_date, importing.status_date_source_text(parsed, lang)
            if args.status_date is None:
                when = {"file": p.name, "date": status_date.isoformat(), "source": source}
                print(messages.text("cli.status_date_from", lang, when), file=sys.stderr)
            elif proposed is not None and proposed != status_date:
                said = {"file": p.name, "date": status_date.isoformat(), "proposed": proposed.isoformat()}
                print(
                    f"note: {messages.text('cli.status_date_over', lang, {**said, 'source': source})}", file=sys.stderr
                )
            checks = importing.check_import(store, parsed, status_date)
            for check in checks:
                if not check.blocking:
                    kind = "warning" if check.confirm else "note"
                    print(f"{kind}: {p.name}: {check.text()}", file=sys.stderr)
            result = importing.load(store, parsed, status_date, confirmed=args.force)
            print(result.summary())
            _print_notes(parsed, lang, sys.stdout)
        except StoreBusyError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 3
        except PmoError as exc:
            print(f"error: {exc.render(args.lang)}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def _parse_or_name_mapping(store, name: str, data: bytes, fmt: str | None, opts: dict):
    """Parse a file; one no format recognises but a saved mapping fits is refused naming that
    mapping and how to apply it (a saved mapping is never applied without being asked for)."""
    from . import importing

    try:
        return importing.parse_upload(name, data, format=fmt, **opts)
    except PmoError as exc:
        if fmt or not importing.is_unrecognised(exc):
            raise
        hit = importing.match_profile(store, importing.read_upload(name, data, max_upload_mb=opts["max_upload_mb"]))
        if hit is None:
            raise
        prof = hit[0]
        raise PmoError(
            key="mapping.cli_matches",
            params={"file": name, "name": prof["name"], "by": prof["saved_by"] or "?", "on": _saved_on(prof)},
            hint_key="mapping.cli_matches.hint",
        ) from exc


def _with_mapping(store, name: str, data: bytes, prof: dict, opts: dict):
    """Parse a file with the saved mapping asked for by ``--mapping`` (on the sheet whose headers
    it was made for, else the sheet it names)."""
    from . import importing

    hit = importing.match_profile(store, importing.read_upload(name, data, max_upload_mb=opts["max_upload_mb"]))
    sheet = hit[1] if hit is not None and hit[0]["name"] == prof["name"] else None
    print(f"{name}: columns mapped with the saved mapping {prof['name']!r} (--mapping)", file=sys.stderr)
    return importing.apply_profile(name, data, prof, sheet, **opts)


def _saved_on(prof: dict) -> str:
    at = prof.get("saved_at")
    return f"{at:%Y-%m-%d}" if at else "?"


def cmd_mappings(args) -> int:
    from . import importing

    store = _store(args)
    if args.action == "list":
        df = importing.list_profiles(store)
        if args.json:
            json.dump(_records(df), sys.stdout, ensure_ascii=False, indent=1)
            print()
        else:
            print(df.to_string(index=False) if len(df) else "no saved mappings")
        return 0
    if not args.name:
        raise PmoError(f"mappings {args.action} needs the mapping's name", hint="List them with: mappings list")
    prof = importing.get_profile(store, args.name)
    if prof is None:
        raise PmoError(key="mapping.no_profile", params={"name": args.name}, hint_key="hint.list_mappings")
    if args.action == "show":
        if args.json:
            json.dump({k: _jsonable(v) for k, v in prof.items()}, sys.stdout, ensure_ascii=False, indent=1)
            print()
            return 0
        print(
            f"{prof['name']!r}: loads {prof['table']}, saved by {prof['saved_by'] or '?'} on {_saved_on(prof)}"
            + (f", sheet {prof['sheet']!r}" if prof.get("sheet") else "")
        )
        for c, h in prof["mapping"].items():
            print(f"  {c} <- {h!r}")
        return 0
    importing.delete_profile(store, args.name, actor=CLI_ACTOR)
    print(f"mapping {args.name!r} deleted")
    return 0


def _print_notes(parsed, lang: str, stream) -> None:
    """Every importer note of ``parsed``, one indented line each, in ``lang`` (under the summary line)."""
    for n in parsed.notes:
        print(f"  note: {messages.note_text(n, lang)}", file=stream)


def _fields(values: list[str]) -> dict[str, str]:
    """``--field COLUMN=HEADER`` (repeatable) -> {column: header}."""
    out: dict[str, str] = {}
    for v in values:
        column, sep, header = v.partition("=")
        if not sep or not column.strip() or not header.strip():
            raise PmoError(f"--field {v!r}: expected COLUMN=HEADER, e.g. duration_optimistic=Duration1")
        out[column.strip()] = header.strip()
    return out


def _list_categories(values: list[str]) -> dict[str, str]:
    """``--list-category "Listo=Done"`` options as ``{list: category}`` (category names as in the
    canonical table: To Do, In Progress, Done; case and spaces ignored)."""
    known = {"todo": "To Do", "inprogress": "In Progress", "done": "Done"}
    out = {}
    for v in values:
        name, sep, cat = v.rpartition("=")
        hit = known.get(cat.replace(" ", "").replace("_", "").casefold())
        if not sep or not name.strip() or hit is None:
            raise PmoError(key="cli.bad_list_category", params={"value": v})
        out[name.strip()] = hit
    return out


def _health_json(assessed) -> dict:
    """{(project_id, YYYY-MM-DD): {"rag", "rag_reasons", "flags"}} from ``metrics.health.assess``."""
    from .metrics.health import reasons_json

    out = {}
    for rec in assessed.to_dict(orient="records"):
        key = (str(rec["project_id"]), _jsonable(rec["status_date"]))
        out[key] = {
            "rag": rec["rag"],
            "rag_reasons": reasons_json(rec["rag_reasons"]),
            "flags": reasons_json(rec["flags"]),
        }
    return out


def cmd_metrics(args) -> int:
    from .errors import ConfigError
    from .metrics import dcma, evm, fx, health
    from .settings import currency_code
    from .settings import org_from_store as _org

    fr, settings = _frames(args), _org(_store(args))
    if args.currency and currency_code(args.currency) is None:
        raise ConfigError(
            key="config.not_currency",
            params={"var": "--currency", "value": args.currency},
            hint_key="hint.currency_code",
        )
    tasks, proj = fr.history("tasks"), fr.current("projects")
    res = evm.analyse(tasks, proj, fr.history("evm_periods"), settings)
    rows = res.metrics
    money = fx.context(proj, fr.current("fx_rates"), settings, reporting=args.currency)
    # the page's roll-up: sums first (converted into the reporting currency at each status
    # date's rate), each project carried forward to dates it did not report, earned schedule
    # from the summed PV curves
    portfolio = fx.rollup_records(evm.portfolio_history(res, settings, fx=money)) if len(rows) else []
    out = {
        "portfolio": [{k: _deep_jsonable(v) for k, v in r.items()} for r in portfolio],
        "projects": _records(rows.assign(currency=[money.project_currency(p) for p in rows["project_id"]])),
        "closed_left_out": list(fr.closed_left_out),
    }
    if len(rows):
        # the one health decision per project and status date (the same engine as every page)
        assessed = health.assess_tables(
            rows,
            tasks,
            fr.history("risks"),
            proj,
            settings,
            quality=dcma.schedule_quality(
                fr.current("tasks"), fr.current("links"), settings, fr.current("calendars"), fr.current("projects")
            ),
        )
        judged = _health_json(assessed)
        for rec in out["projects"]:
            rec.update(
                judged.get((str(rec["project_id"]), rec["status_date"]), {"rag": "", "rag_reasons": [], "flags": []})
            )
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        cols = ["project_id", "status_date", "currency", "bac", "pv", "ev", "ac", "cpi", "spi", "eac_cpi", "vac"]
        print(rows[[c for c in cols if c in rows.columns]].to_string(index=False))
    return 0


def cmd_export(args) -> int:
    from .i18n import t
    from .report_workbook import report_from_store
    from .settings import org_from_store as _org

    if args.parquet:
        from .reporting import export_parquet

        for path in export_parquet(_store(args), args.parquet):
            print(f"wrote {path}")
        if not args.out:
            return 0
    if not args.out:
        raise PmoError(key="cli.export_needs_out")
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise PmoError(key="cli.workbook_xlsx", params={"path": str(out)}, hint_key="hint.choose_xlsx")
    filters = [f"{t('filter.project', args.lang)}: {', '.join(args.project)}"] if args.project else []
    data = report_from_store(
        _store(args),
        projects=args.project or None,
        as_of=args.status_date,
        include_closed=args.include_closed,
        lang=args.lang,
        filters=filters,
        settings=_org(_store(args)),
    )
    out.write_bytes(data)
    print(f"wrote {out} ({len(data):,} bytes)")
    return 0


def _schedule_inputs(args):
    from .settings import org_from_store as _org

    fr = _frames(args)
    return fr.current("tasks"), fr.current("links"), _org(_store(args))


def _per_project(args, build) -> int:
    """``build(tasks, links, settings)`` for each project on its own, so one project whose
    schedule cannot be computed (a loop in its links) is reported on stderr and the others
    still get their records. Exit 1 when any project failed."""
    from .errors import ScheduleError

    tasks, links, settings = _schedule_inputs(args)
    records, failed = [], 0
    if len(tasks):
        by_links = dict(iter(links.groupby("project_id", sort=False))) if len(links) else {}
        for pid, t in tasks.groupby("project_id", sort=True):
            lk = by_links.get(pid, links.iloc[0:0])
            try:
                records.extend(build(t, lk, settings))
            except ScheduleError as exc:
                print(f"error: project {pid}: {exc}", file=sys.stderr)
                failed += 1
    json.dump(records, sys.stdout, ensure_ascii=False, indent=None if args.compact else 1)
    print()
    return 1 if failed else 0


def cmd_reporting(args) -> int:
    from .reporting import TABLES, read, refresh, view_name

    store = _store(args)
    if args.grant:
        from .access import Reach

        lists = (tuple(args.portfolio or ()), tuple(args.department or ()), tuple(args.project or ()))
        reach = Reach(False, *lists) if any(lists) else None
        created = store.grant_reporting_reader(args.grant, reach)
        print(
            f"database role {args.grant} {'created (NOLOGIN) and ' if created else ''}granted the reporting views "
            + ("for " + ", ".join(v for vs in lists for v in vs) if reach else "for every project")
        )
    done = refresh(store, force=args.force)
    rows = {view_name(n): len(read(store, n)) for n in TABLES}
    if args.json:
        json.dump({"data_version": done.data_version, "written": done.written, "rows": rows}, sys.stdout, indent=1)
        print()
        return 0
    print(f"reporting tables at data version {done.data_version}" + (" (written now)" if done.written else ""))
    for name, n in rows.items():
        print(f"  reporting.{name}: {n} rows")
    return 0


def cmd_copy_store(args) -> int:
    from .copy_store import copy_store
    from .store import Store

    report = copy_store(Store(args.source), Store(args.target), replace=args.replace)
    print(f"copied {report.total:,} rows from {report.source} to {report.target}; rows per table agree:")
    for name, n in report.rows.items():
        print(f"  {name}: {n:,}")
    return 0


def cmd_schedule(args) -> int:
    from .metrics.cpm import schedule_records

    fr = _frames(args)  # calendars and project rows: tasks from .mpp/.xer/MSPDI run in working minutes
    cals, projects = fr.current("calendars"), fr.current("projects")
    return _per_project(args, lambda t, lk, s: schedule_records(t, lk, None, s, calendars=cals, projects=projects))


def cmd_dcma(args) -> int:
    from .metrics.dcma import dcma_records

    fr = _frames(args)  # calendars and project rows: float of .mpp/.xer/MSPDI tasks in working minutes
    cals, projects = fr.current("calendars"), fr.current("projects")
    return _per_project(args, lambda t, lk, s: dcma_records(t, lk, None, s, cals, projects))


def cmd_schedule_risk(args) -> int:
    """Monte Carlo schedule risk per project (``metrics.schedule_risk``): one project's result
    as a JSON object when the selection holds one project, else ``{"projects": [...]}``."""
    from .metrics import schedule_risk as sr
    from .settings import org_from_store as _org

    fr, settings = _frames(args), _org(_store(args))
    try:
        options = sr.RiskOptions.from_settings(
            settings, iterations=args.iterations, seed=args.seed, distribution=args.distribution
        ).check()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    results = sr.from_frames(fr, settings, options)
    records = [_deep_jsonable(r.as_json()) for _, r in sorted(results.items())]
    if args.json:
        out = records[0] if len(records) == 1 else {"projects": records}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=None if args.compact else 1)
        print()
    else:
        print("project_id  cpm_finish  p50         p80         p90         baseline    on_time")
        for r in records:
            on_time = "—" if r["prob_on_time"] is None else f"{r['prob_on_time']:.0%}"
            cells = [r["cpm_finish"], r["p50"], r["p80"], r["p90"], r["baseline_finish"]]
            print(f"{r['project_id']:<11} " + " ".join(f"{c or '—':<11}" for c in cells) + f" {on_time}")
    return 0


def cmd_demo(args) -> int:
    from .demo import build_demo

    results = build_demo(_store(args))
    for r in results:
        print(r.summary())
    if not results:
        print("demo portfolio already loaded")
    return 0


def cmd_imports(args) -> int:
    df = _store(args).imports()
    if args.json:
        recs = _records(df)
        for rec, at in zip(recs, df["withdrawn_at"], strict=True):  # the moment, not just the day
            rec["withdrawn_at"] = None if at is None or at != at else at.isoformat(timespec="seconds")
        json.dump(recs, sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif len(df):
        gone = df["withdrawn_at"].notna()
        shown = df.drop(columns=["sha256", "withdrawn_at", "withdrawn_by"]).assign(
            state=[
                f"withdrawn {at:%Y-%m-%d %H:%M} by {by}" if g else "in view"
                for g, at, by in zip(gone, df["withdrawn_at"], df["withdrawn_by"], strict=True)
            ]
        )
        print(shown.to_string(index=False))
    else:
        print("no imports")
    return 0


def cmd_audit(args) -> int:
    """The audit trail, newest first: who (signed-in e-mail, or ``local``: open mode and the command line), what, when."""
    entries = audit_records(
        _store(args).audit_entries(actor=args.actor or None, action=args.action or None, since=args.since)
    )
    if args.json:
        json.dump(entries, sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif not entries:
        print("no audit entries")
    else:
        for e in entries:
            print(
                f"{e['recorded_at']}  {e['actor']}  {e['action']}  {e['target']}  {json.dumps(e['details'], ensure_ascii=False)}"
            )
    return 0


def audit_records(df) -> list[dict]:
    """Audit entries as JSON records: ``recorded_at`` ISO 8601 to the second, ``details`` an object."""
    out = []
    for row in df.to_dict(orient="records"):
        try:
            details = json.loads(row["details"]) if row["details"] else {}
        except ValueError:
            details = {"text": row["details"]}
        out.append(
            {
                "recorded_at": row["recorded_at"].isoformat(timespec="seconds"),
                "actor": row["actor"],
                "action": row["action"],
                "target": row["target"],
                "details": details,
            }
        )
    return out


def cmd_access(args) -> int:
    """List the stored grants, or seed them from an access file (``--seed FILE``: only into an
    empty table, like the app does with PMO_ACCESS_FILE)."""
    from .access import read_access_file

    store = _store(args)
    if args.seed:
        grants = read_access_file(args.seed)
        if store.seed_grants(grants, str(args.seed)):
            print(f"{len(grants)} grants stored from {args.seed}")
        else:
            print("grants are already stored: edit them on the Admin page (the file only seeds an empty table)")
            return 1
    rows = [
        {
            "kind": g.kind,
            "subject": g.subject,
            "role": g.role,
            **{f: list(getattr(g, f)) for f in ("portfolios", "departments", "projects")},
        }
        for g in store.grants()
    ]
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    elif not args.seed:
        for r in rows:
            scope = "; ".join(f"{k}: {', '.join(r[k])}" for k in ("portfolios", "departments", "projects") if r[k])
            print(f"{r['kind']}:{r['subject']}  {r['role']}  {scope or 'every project'}")
    return 0


def _since(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a date or time as YYYY-MM-DD[THH:MM], got {text!r}") from exc


def cmd_board_lists(args) -> int:
    """Saved Trello list -> category mappings: list them, or forget one (``--delete BOARD_ID``)."""
    from .ingest import board_lists

    store = _store(args)
    if args.delete:
        if not board_lists.delete(store, args.delete):
            raise PmoError(key="cli.no_board_lists", params={"board": args.delete})
        print(f"board {args.delete}: saved list categories deleted")
        return 0
    rows = board_lists.listed(board_lists.load(store))
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        for r in rows:
            print(f"{r['board_id']}  {r['board']}  ({r['owner']}, {r['saved']}): {r['lists']}")
        if not rows:
            print("no saved list categories")
    return 0


# The command line acts as the person at this machine: "local" in the audit trail, and an
# administrator (whoever can run it can read and write the database file anyway).
CLI_ACTOR = "local"


def _show_impact(impact) -> None:
    from .withdrawal import describe, project_lines

    print(describe(impact))
    for line in project_lines(impact):
        print(f"  {line}")


def cmd_withdraw(args) -> int:
    store = _store(args)
    _show_impact(store.import_impact(args.import_id))
    if args.dry_run:
        print("dry run: nothing changed")
        return 0
    impact = store.withdraw_import(args.import_id, CLI_ACTOR)
    print(
        f"import #{impact.import_id} withdrawn: {impact.total_rows} rows hidden from every view "
        f"(restore-import {impact.import_id} brings them back)"
    )
    return 0


def cmd_restore_import(args) -> int:
    store = _store(args)
    _show_impact(store.import_impact(args.import_id))
    if args.dry_run:
        print("dry run: nothing changed")
        return 0
    impact = store.restore_import(args.import_id, CLI_ACTOR)
    print(f"import #{impact.import_id} restored: {impact.total_rows} rows back in view")
    return 0


def cmd_purge(args) -> int:
    removed = _store(args).purge_import(args.import_id, CLI_ACTOR, admin=True)
    print(f"import #{args.import_id} purged: {removed} rows deleted for good")
    return 0


def cmd_backup(args) -> int:
    dest = _store(args).backup(args.dest)
    print(f"backup written to {dest}")
    return 0


def cmd_restore(args) -> int:
    from .store import default_db, restore
    from .store_backend import is_postgres_url

    where = args.db or default_db()
    if is_postgres_url(where):
        raise PmoError(key="pg.use_pg_dump", params={"what": "restore"})
    target = Path(where)
    if target.exists() and not args.force:
        raise PmoError(key="cli.target_exists", params={"path": str(target)}, hint_key="hint.force_replace")
    restore(args.src, target)  # refuses while the database is in use; keeps <db>.before-restore
    kept = target.with_name(target.name + ".before-restore")
    print(f"restored {args.src} to {target}" + (f" (the replaced file is kept as {kept})" if kept.exists() else ""))
    return 0


def cmd_notify(args) -> int:
    """Post the week's summary to Slack/Teams webhooks (``notify.run_cli``; audited as ``local``)."""
    from .notify import run_cli
    from .settings import org_from_store as _org

    store = _store(args)
    args.actor = CLI_ACTOR
    return run_cli(args, store, _org(store), sys.stdout, sys.stderr)


def cmd_template(args) -> int:
    from .template import template_workbook_bytes

    Path(args.out).write_bytes(template_workbook_bytes(args.lang))
    print(f"wrote {args.out}")
    return 0


def cmd_report(args) -> int:
    from .settings import org_from_store as _org
    from .weekly import report_from_store, write_report

    if Path(args.out).suffix.lower() not in (".xlsx", ".html", ".htm", ".json"):
        raise PmoError(
            f"{args.out}: the report is written as .xlsx, .html or .json", hint="Choose a .xlsx, .html or .json file."
        )
    store, ids = _store(args), args.project or None
    settings = _org(store)
    report = report_from_store(
        store,
        args.status_date,
        project_ids=ids,
        settings=settings,
        include_closed=args.include_closed,
    )
    n = write_report(report, args.out, lang=args.lang)
    prev = report.previous_date.isoformat() if report.previous_date else "none"
    print(
        f"wrote {args.out} ({n:,} bytes): status date {report.status_date.isoformat()} vs {prev}, "
        f"{len(report.projects)} projects, portfolio {report.portfolio_rag or 'no RAG'}"
    )
    return 0


def cmd_deck(args) -> int:
    from .deck import deck_from_store
    from .settings import org_from_store as _org

    out = Path(args.out)
    if out.suffix.lower() != ".pptx":
        raise PmoError(key="deck.bad_suffix", params={"path": str(out)}, hint_key="hint.choose_pptx")
    store = _store(args)
    data = deck_from_store(
        store,
        args.status_date,
        project_ids=args.project or None,
        settings=_org(store),
        include_closed=args.include_closed,
        previous_date=args.previous_date,
        lang=args.lang,
    )
    out.write_bytes(data)
    print(f"wrote {out} ({len(data):,} bytes)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pmo_analytics", description="PMO Portfolio Health command line")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, func, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help_, description=help_)
        sp.add_argument(
            "--db", help="DuckDB file or postgresql://user:password@host:port/db (default: $PMO_DB or data/pmo.duckdb)"
        )
        sp.set_defaults(func=func)
        return sp

    sp = add("import", cmd_import, "import files (xlsx, csv, xml, json) with a status date")
    sp.add_argument("files", nargs="+")
    sp.add_argument(
        "--status-date",
        type=_date,
        help="YYYY-MM-DD (default: the date the file carries: MS Project StatusDate/CurrentDate, an export "
        "timestamp, a date in its name; a file with none is refused)",
    )
    sp.add_argument(
        "--force",
        action="store_true",
        help="import even when the same content was imported under another status date, or when the date "
        "is earlier than a project's latest",
    )
    sp.add_argument("--project", help="project id for files that carry none")
    sp.add_argument("--lang", choices=["en", "zh"], default="en", help="language of error messages")
    sp.add_argument("--format", help="force a format instead of detecting it")
    sp.add_argument("--strict", action="store_true", help="refuse a file with any rejected row")
    sp.add_argument(
        "--mapping",
        metavar="NAME",
        help="read the files with this saved column mapping (mappings list); a saved mapping is never "
        "applied without it",
    )
    sp.add_argument(
        "--dates",
        choices=["dmy", "mdy"],
        help="day/month order of dates no value decides (03/04/2025): dmy (default) or mdy",
    )
    sp.add_argument(
        "--field",
        action="append",
        metavar="COLUMN=HEADER",
        help="read a column the format leaves open from this field, e.g. MS Project custom fields as "
        "three-point estimates: duration_optimistic=Duration1 (likewise duration_likely, "
        "duration_pessimistic); repeatable",
    )
    sp.add_argument(
        "--list-category",
        action="append",
        metavar="LIST=CATEGORY",
        help="a Trello list's status category (To Do, In Progress or Done), e.g. 'Listo=Done'; repeatable",
    )

    closed_help = "include closed and cancelled projects (left out of current totals by default)"
    as_of_help = "as of this status date, YYYY-MM-DD (default: each project's latest)"

    sp = add("metrics", cmd_metrics, "earned value metrics per project and status date")
    sp.add_argument("--project", action="append", help="limit to a project (repeatable)")
    sp.add_argument(
        "--json", action="store_true", help='JSON {"portfolio": [...], "projects": [...], "closed_left_out": [...]}'
    )
    sp.add_argument("--status-date", type=_date, help=as_of_help)
    sp.add_argument("--include-closed", action="store_true", help=closed_help)
    sp.add_argument(
        "--currency",
        default=None,
        help="reporting currency of the portfolio roll-up (default $PMO_REPORTING_CURRENCY)",
    )

    sp = add("export", cmd_export, "write the portfolio workbook (xlsx), or the reporting tables as Parquet")
    sp.add_argument("--out", help="the workbook, FILE.xlsx")
    sp.add_argument(
        "--parquet",
        metavar="DIR",
        help="write the reporting tables for BI tools (reporting.v1_*, docs/REPORTING.md) as DIR/v1_<name>.parquet",
    )
    sp.add_argument("--project", action="append", nargs="+", help="limit to projects")
    sp.add_argument("--lang", choices=["en", "zh"], default="en")
    sp.add_argument("--status-date", type=_date, help=as_of_help)
    sp.add_argument("--include-closed", action="store_true", help=closed_help)

    for name, func, help_ in (
        ("schedule", cmd_schedule, "critical path per task (JSON): early/late dates, float, critical"),
        ("dcma", cmd_dcma, "DCMA 14-point schedule checks per project (JSON)"),
    ):
        sp = add(name, func, help_)
        sp.add_argument("--project", action="append", help="limit to a project (repeatable)")
        sp.add_argument("--json", action="store_true", help="JSON output (the default and only format)")
        sp.add_argument("--compact", action="store_true", help="one-line JSON")
        sp.add_argument("--status-date", type=_date, help=as_of_help)
        sp.add_argument("--include-closed", action="store_true", help=closed_help)

    sp = add(
        "schedule-risk",
        cmd_schedule_risk,
        "schedule risk (Monte Carlo over the CPM network): P50/P80/P90 finish, chance of meeting the "
        "baseline finish, criticality index per task",
    )
    sp.add_argument("--project", action="append", help="limit to a project (repeatable)")
    sp.add_argument(
        "--json",
        action="store_true",
        help="JSON: one project's object (p50, p80, p90, prob_on_time, milestones, cost, tasks with "
        'criticality_index) when one project is selected, else {"projects": [...]}',
    )
    sp.add_argument("--compact", action="store_true", help="one-line JSON")
    sp.add_argument("--iterations", type=int, default=None, help="iterations (default 10000)")
    sp.add_argument("--seed", type=int, default=None, help="random seed (default: a fixed seed, reproducible)")
    sp.add_argument("--distribution", choices=["triangular", "pert"], default=None, help="default: the settings'")
    sp.add_argument("--status-date", type=_date, help=as_of_help)
    sp.add_argument("--include-closed", action="store_true", help=closed_help)

    add("demo", cmd_demo, "build the demo portfolio into the database")
    sp = add(
        "reporting",
        cmd_reporting,
        "bring the reporting tables for BI tools (reporting.v1_*) up to date and count their rows",
    )
    sp.add_argument("--force", action="store_true", help="recompute even when they are at the current data version")
    sp.add_argument("--json", action="store_true")
    sp.add_argument(
        "--grant",
        metavar="ROLE",
        help="PostgreSQL: let this database role (e.g. pmo_reader; created NOLOGIN if missing) read the "
        "reporting views and nothing else",
    )
    sp.add_argument("--portfolio", action="append", help="with --grant: only projects of this portfolio (repeatable)")
    sp.add_argument("--department", action="append", help="with --grant: only projects of this department (repeatable)")
    sp.add_argument("--project", action="append", help="with --grant: only this project (repeatable)")
    sp = add("imports", cmd_imports, "list imports")
    sp.add_argument("--json", action="store_true")
    sp = add("audit", cmd_audit, "the audit trail: imports, withdrawals, edits, mapping and access changes")
    sp.add_argument("--json", action="store_true", help="JSON records (recorded_at, actor, action, target, details)")
    sp.add_argument("--actor", help="only this actor (an e-mail, or local)")
    sp.add_argument("--action", help="only this action code, or a prefix ending in '.' (import.)")
    sp.add_argument("--since", type=_since, help="only entries at or after YYYY-MM-DD[THH:MM]")
    sp = add("access", cmd_access, "list who may do what (stored grants), or seed them from an access file")
    sp.add_argument("--seed", help="TOML access file (PMO_ACCESS_FILE format) to store into an empty table")
    sp.add_argument("--json", action="store_true")
    sp = add("board-lists", cmd_board_lists, "saved Trello list -> status category mappings (list, --delete)")
    sp.add_argument("--delete", metavar="BOARD_ID", help="forget the saved mapping of this board")
    sp.add_argument("--json", action="store_true")
    for name, help_ in (
        ("withdraw", "withdraw an import: hidden from every view, kept until purged (restore-import undoes it)"),
        ("undo", "the same as withdraw"),
    ):
        sp = add(name, cmd_withdraw, help_)
        sp.add_argument("import_id", type=int)
        sp.add_argument("--dry-run", action="store_true", help="only say what would disappear")
    sp = add("restore-import", cmd_restore_import, "bring a withdrawn import back into every view")
    sp.add_argument("import_id", type=int)
    sp.add_argument("--dry-run", action="store_true", help="only say what would come back")
    sp = add("purge", cmd_purge, "delete a withdrawn import's rows for good (cannot be undone)")
    sp.add_argument("import_id", type=int)
    sp = add("mappings", cmd_mappings, "saved column mappings: list, show NAME, delete NAME")
    sp.add_argument("action", choices=["list", "show", "delete"])
    sp.add_argument("name", nargs="?")
    sp.add_argument("--json", action="store_true")
    sp = sub.add_parser(
        "copy-store",
        help="copy a whole store into another (DuckDB file <-> postgresql://...), counts verified",
        description="copy everything (imports incl. withdrawn, history, mappings, notes, edits, audit, grants, "
        "settings, reporting tables) from one store into another and verify the rows per table",
    )
    sp.add_argument("--from", dest="source", required=True, help="the source: a DuckDB file or postgresql://...")
    sp.add_argument("--to", dest="target", required=True, help="the target: a DuckDB file or postgresql://...")
    sp.add_argument(
        "--replace", action="store_true", help="delete the target's rows first (else a target with data is refused)"
    )
    sp.set_defaults(func=cmd_copy_store)
    sp = add("backup", cmd_backup, "write a consistent copy of the database")
    sp.add_argument("dest")
    sp = add("restore", cmd_restore, "replace the database with a backup (the dashboard must be stopped)")
    sp.add_argument("src")
    sp.add_argument("--force", action="store_true")
    sp = add("notify", cmd_notify, "post the week's summary to Slack or Microsoft Teams (incoming webhooks)")
    sp.add_argument(
        "--slack", nargs="?", const="", metavar="URL", help="Slack incoming webhook (no URL: $PMO_SLACK_WEBHOOK)"
    )
    sp.add_argument(
        "--teams", nargs="?", const="", metavar="URL", help="Teams Workflows webhook (no URL: $PMO_TEAMS_WEBHOOK)"
    )
    sp.add_argument("--status-date", type=_date, help="YYYY-MM-DD (default: the latest status date)")
    sp.add_argument("--project", action="append", help="limit to a project (repeatable)")
    sp.add_argument("--lang", choices=["en", "zh"], default="en")
    sp.add_argument("--include-closed", action="store_true", help=closed_help)
    sp.add_argument("--dry-run", action="store_true", help="print the payload(s) as JSON, post nothing")
    sp.add_argument("--timeout", type=_seconds, default=10.0, help="seconds to wait for the chat service (default 10)")
    sp = add("template", cmd_template, "write the blank import template workbook")
    sp.add_argument("--out", default="pmo_template.xlsx")
    sp.add_argument("--lang", choices=["en", "zh"], default="en")
    sp = add("report", cmd_report, "write the weekly status report (xlsx, printable html, or json)")
    sp.add_argument("--status-date", type=_date, help="YYYY-MM-DD (default: the latest status date)")
    sp.add_argument("--project", action="append", help="limit to a project (repeatable)")
    sp.add_argument("--out", required=True, help="FILE.xlsx, FILE.html or FILE.json (docs/REPORT_JSON.md)")
    sp.add_argument("--lang", choices=["en", "zh"], default="en")
    sp.add_argument("--include-closed", action="store_true", help=closed_help)
    sp = add("deck", cmd_deck, "write the weekly deck (PowerPoint .pptx, native charts and tables)")
    sp.add_argument("--out", required=True, help="FILE.pptx")
    sp.add_argument("--status-date", type=_date, help="YYYY-MM-DD (default: the latest status date)")
    sp.add_argument(
        "--previous-date", type=_date, help="the status date compared with (default: the one before --status-date)"
    )
    sp.add_argument("--project", action="append", help="limit to a project (repeatable)")
    sp.add_argument("--lang", choices=["en", "zh"], default="en", help="language of the slides and of errors")
    sp.add_argument("--include-closed", action="store_true", help=closed_help)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "project", None) and args.command == "export":
        args.project = [p for group in args.project for p in group]
    lang = getattr(args, "lang", "en")  # errors in the command's --lang (English by default)
    try:
        return args.func(args)
    except StoreBusyError as exc:
        print(f"error: {exc.render(lang)}", file=sys.stderr)
        return 3
    except PmoError as exc:
        print(f"error: {exc.render(lang)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0
    finally:
        from .store import close_all

        close_all()
