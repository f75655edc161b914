"""``talentdesk cases undo CASE`` on a real SQLite file: a step undone, and a letter that is not."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cases.test_cli import db, run  # noqa: F401 - the fixture
from talentdesk.cli import EXIT_INVALID, EXIT_OK


def test_undo_on_the_command_line(
    db: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    year = date.today().year  # the desk's clock: the case is numbered in its year
    case, full = f"{year}-1", f"{year}-000001"
    run(capsys, "open", "--talent", "T1", "--type", "work_permit_new", "--db", db)
    code, _out, err = run(capsys, "undo", case, "--db", db)
    assert code == EXIT_INVALID and "opening a case gives it its number" in err

    letters = tmp_path / "受理.pdf"
    code, out, _err = run(
        capsys, "accept", case, "--all-received", "--letters", str(letters), "--db", db
    )
    assert code == EXIT_OK and "1 letters written" in out
    code, _out, err = run(capsys, "undo", case, "--db", db)
    assert code == EXIT_INVALID
    assert f"the acceptance of case {full} cannot be undone: this step issued letter TD-" in err

    assert run(capsys, "review", case, "--db", db)[0] == EXIT_OK
    code, out, _err = run(capsys, "undo", case, "--db", db)
    assert code == EXIT_OK
    assert out.splitlines()[0] == f"Undone: the start of review of case {full}"
    assert out.splitlines()[1].startswith(f"{full}: accepted")
    code, _out, err = run(capsys, "undo", case, "--db", db)
    assert code == EXIT_INVALID and "TD-" in err  # now the acceptance is the last step again
