"""A round's draw checked again from its bundle alone: by the program without the database,
and by the standalone script in the docs with nothing but hashlib."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from housing.conftest import Housing
from housing.test_rounds import _apply_all
from talentdesk.cli import main
from talentdesk.housing.bundle import export_round_bundle, verify_round_bundle
from talentdesk.housing.report import RESULT_COLUMNS, write_results

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "verify_draw.py"


def _bundle(h: Housing, folder: Path) -> tuple[Path, Path]:
    name = h.open()
    _apply_all(h, name)
    h.allocate(name)
    bundle, results = folder / "bundle.json", folder / "results.csv"
    with h.database.sessions() as session:
        export_round_bundle(session, h.manager, name, bundle)
        write_results(session, h.manager, name, results)
    return bundle, results


def test_a_bundle_verifies_without_the_database(
    housing: Housing, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle, results = _bundle(housing, tmp_path)
    housing.database.dispose()
    check = verify_round_bundle(bundle)
    assert check.ok, [p.text() for p in check.problems]
    assert (check.applications, check.units) == (8, 10)
    script = subprocess.run(
        [sys.executable, str(SCRIPT), str(bundle), str(results)], capture_output=True, text=True
    )
    assert script.returncode == 0, script.stdout + script.stderr
    assert script.stdout.strip().endswith("VERIFIED")
    # the command needs no database and no sign-in
    assert main(["--lang", "en", "housing", "verify-bundle", str(bundle)]) == 0
    assert "the draw run again gives the recorded result" in capsys.readouterr().out


def test_a_changed_bundle_is_named(housing: Housing, tmp_path: Path) -> None:
    bundle, results = _bundle(housing, tmp_path)
    data = json.loads(bundle.read_text(encoding="utf-8"))
    for key, value, named in (
        ("seed", "another seed", "not the one committed to"),
        ("applications", data["applications"].replace("|C|", "|A|", 1), "not the list"),
    ):
        forged = tmp_path / f"forged-{key}.json"
        forged.write_text(json.dumps({**data, key: value}, ensure_ascii=False), encoding="utf-8")
        check = verify_round_bundle(forged)
        assert not check.ok and any(named in p.text() for p in check.problems), key
    # the script catches a seed swapped with a commitment made up to match it, by the lottery
    made_up = {**data, "seed": "my seed"}
    made_up["seed_commitment"] = __import__("hashlib").sha256(b"my seed").hexdigest()
    forged = tmp_path / "made-up.json"
    forged.write_text(json.dumps(made_up, ensure_ascii=False), encoding="utf-8")
    script = subprocess.run(
        [sys.executable, str(SCRIPT), str(forged), str(results)], capture_output=True, text=True
    )
    assert script.returncode == 1 and "lottery number" in script.stdout


def test_the_results_workbook_has_numbers_and_the_lottery_as_text(
    housing: Housing, tmp_path: Path
) -> None:
    _bundle_file, results = _bundle(housing, tmp_path)
    workbook = tmp_path / "results.xlsx"
    with housing.database.sessions() as session:
        write_results(session, housing.manager, "2026-2", workbook)
    with results.open(encoding="utf-8-sig") as f:
        from_csv = list(csv.DictReader(f))
    sheet = load_workbook(workbook).active
    assert tuple(c.value for c in sheet[1]) == RESULT_COLUMNS  # a data file: its header first
    column = {name: index for index, name in enumerate(RESULT_COLUMNS)}
    for line, row in zip(from_csv, sheet.iter_rows(min_row=2), strict=True):
        lottery, points, position = (row[column[k]] for k in ("lottery", "points", "position"))
        assert lottery.data_type == "s" and re.fullmatch(r"[0-9a-f]{16}", lottery.value)
        assert line["lottery"] == "0x" + lottery.value  # the .csv: the same, 0x before it
        assert (points.data_type, position.data_type) == ("n", "n")
        assert position.value == int(line["position"]) and points.value == int(line["points"])
