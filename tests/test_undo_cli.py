"""CLI: withdraw (alias undo), restore-import, purge, and the withdrawn state in ``imports``."""

from __future__ import annotations

import json

from pmo_analytics.cli import main
from pmo_analytics.store import Store, close_all
from tests.helpers import template_bytes


def test_withdraw_restore_purge_from_the_command_line(tmp_path, capsys):
    db = str(tmp_path / "cli.duckdb")
    f = tmp_path / "portfolio.xlsx"
    f.write_bytes(template_bytes())
    assert main(["import", str(f), "--db", db, "--status-date", "2025-01-31"]) == 0
    capsys.readouterr()

    assert main(["withdraw", "1", "--db", db, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Withdraw import #1 (portfolio.xlsx, status date 2025-01-31)? Its rows leave every page, report and "
        "export: Projects 2, Tasks 3 (5 rows in 2 table(s)).",
        "  P1, P2: no data left, it leaves every view (status date 2025-01-31)",
        "dry run: nothing changed",
    ]
    assert Store(db).counts()["tasks"] == 3

    assert main(["purge", "1", "--db", db]) == 1  # still in view
    assert "import #1 is still in view and cannot be purged Withdraw it first." in capsys.readouterr().err

    assert main(["withdraw", "1", "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "import #1 withdrawn: 5 rows hidden from every view (restore-import 1 brings them back)"
    )
    assert Store(db).counts()["tasks"] == 0 and Store(db).query("SELECT count(*) AS n FROM tasks")["n"][0] == 3
    assert main(["imports", "--db", db]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0].split()[-1] == "state" and listing[1].endswith(" by local")
    assert " withdrawn 20" in listing[1]
    assert main(["imports", "--db", db, "--json"]) == 0
    (rec,) = json.loads(capsys.readouterr().out)
    assert rec["withdrawn_by"] == "local" and len(rec["withdrawn_at"]) == 19  # YYYY-MM-DDTHH:MM:SS

    assert main(["restore-import", "1", "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "import #1 restored: 5 rows back in view"
    assert main(["undo", "1", "--db", db]) == 0  # the old name withdraws too
    assert main(["purge", "1", "--db", db]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "import #1 purged: 5 rows deleted for good"
    assert Store(db).query("SELECT count(*) AS n FROM tasks")["n"][0] == 0
    actions = Store(db).audit_entries().sort_values("recorded_at")[["actor", "action"]].values.tolist()
    assert actions == [
        ["local", "import.load"],  # the import itself (audited by the store since access landed)
        ["local", "import.withdraw"],
        ["local", "import.restore"],
        ["local", "import.withdraw"],
        ["local", "import.purge"],
    ]
    close_all()
