"""The letters and report commands on a real database file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from openpyxl import load_workbook

from letters.authority import NOW, PASSWORD, authority, full_file, pkcs12_file
from letters.pdfs import pdf_text
from talentdesk.cli import EXIT_INVALID, EXIT_OK, main
from talentdesk.db.engine import Database
from talentdesk.settings import keys_dir

from signing import db_arg


@pytest.fixture
def db(cli_database: Database) -> str:
    return db_arg(cli_database)


def test_kinds_lists_every_kind_with_its_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "letters", "kinds"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "housing_offer: Offer of talent housing" in out
    assert "    rent  Monthly rent (required)" in out
    assert "    lease_years  Lease term (years) (optional)" in out


def test_render_with_demo_values_then_verify(
    db: str, talents: dict[str, str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = folder / "受理.pdf"
    args = ["letters", "render", "acceptance_notice", "--talent", talents["zh_CN"]]
    args += ["--out", str(out), "--db", db, "--demo-values", "--field", "case_no=GZSC2026000777"]
    assert main(["--lang", "en", *args]) == EXIT_OK
    assert "1 letter (TD-" in capsys.readouterr().out
    assert "GZSC2026000777" in pdf_text(out)
    assert main(["--lang", "en", "letters", "verify", str(out), "--db", db]) == EXIT_OK


def test_render_without_values_names_every_missing_field(
    db: str, talents: dict[str, str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = folder / "x.pdf"
    args = ["letters", "render", "refusal_notice", "--talent", talents["zh_CN"], "--out", str(out)]
    assert main(["--lang", "en", *args, "--db", db, "--field", "reasons=a;b"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "Legal basis: is required" in err and "Reasons" not in err
    assert not out.exists()


def test_batch_by_query(
    db: str, talents: dict[str, str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = folder / "batch.pdf"
    args = ["letters", "batch", "housing_offer", "--query", "陳", "--out", str(out)]
    assert main(["--lang", "en", *args, "--db", db, "--demo-values"]) == EXIT_OK
    assert "1 letter (TD-2026-000001)" in capsys.readouterr().out
    args = ["letters", "batch", "housing_offer", "--query", "nobody", "--out", str(out)]
    assert main(["--lang", "en", *args, "--db", db, "--demo-values"]) == EXIT_INVALID


def test_letterhead_shown_and_changed(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "letters", "letterhead", "--db", db]) == EXIT_OK
    assert "name_zh  Centre name in Chinese: 广州科学城人才服务中心" in capsys.readouterr().out
    args = ["letters", "letterhead", "--set", "reference_prefix=td f", "--db", db]
    assert main(["--lang", "en", *args]) == EXIT_INVALID
    assert "Reference number prefix: use capital letters" in capsys.readouterr().err


def test_report_talents_as_pdf_and_xlsx(
    db: str, talents: dict[str, str], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, xlsx = folder / "人才.pdf", folder / "人才.xlsx"
    assert main(["--lang", "zh_CN", "report", "talents", "--out", str(pdf), "--db", db]) == 0
    assert main(["--lang", "en", "report", "talents", "--out", str(xlsx), "--db", db]) == 0
    text = pdf_text(pdf)
    assert "王芳" in text and "陳志明" in text
    sheet = load_workbook(xlsx).active
    rows = list(sheet.iter_rows(values_only=True))
    # the title, the filters and time, the centre and who prepared it, then the table
    assert rows[0][0] == "Talents" and "Made" in rows[1][0] and "Prepared by" in rows[2][0]
    assert rows[4][0] == "Record no." and len(rows) == 7 and sheet.freeze_panes == "A6"
    # the centre heads every page; the sign-off ends the last
    assert "广州科学城人才服务中心" in text and "制表 Prepared by" in text


def test_a_certification_authoritys_seal_is_imported_on_the_command_line(
    db: str,
    talents: dict[str, str],
    folder: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    ca = authority()
    key, certificate = ca.issue("Centre seal")
    lacking = tmp_path / "seal.p12"
    lacking.write_bytes(pkcs12_file(key, certificate, [ca.intermediate]))
    password = tmp_path / "password.txt"
    password.write_bytes(PASSWORD + b"\n")
    root = tmp_path / "root.cer"
    root.write_bytes(ca.root.public_bytes(Encoding.DER))
    seal = ["--lang", "en", "letters", "seal", "--db", db]
    # the root missing: refused, saying what to give
    assert main([*seal, "--import", str(lacking), "--password-file", str(password)]) == 1
    captured = capfd.readouterr()
    assert "--root ROOT.pem" in captured.err and "Traceback" not in captured.out + captured.err
    # with it, and the password from a file
    args = ["--import", str(lacking), "--root", str(root), "--password-file", str(password)]
    assert main([*seal, *args]) == EXIT_OK
    out = capfd.readouterr().out
    assert "imported (CN=Centre seal" in out and "signed with it from now on" in out
    assert "valid until" in out and out.count(", imported") == 3  # root, ca, seal
    letter = folder / "letter.pdf"
    args = ["letters", "render", "housing_offer", "--talent", talents["zh_CN"], "--demo-values"]
    assert main(["--lang", "en", *args, "--out", str(letter), "--db", db]) == EXIT_OK
    assert main(["--lang", "en", "letters", "verify", str(letter), "--db", db]) == EXIT_OK
    assert "Signed with the centre's seal" in capfd.readouterr().out
    exported = tmp_path / "exported.pem"
    assert main([*seal, "--export-root", str(exported)]) == EXIT_OK
    assert exported.read_bytes() == ca.root_pem()
    # the password asked at a terminal (in Chinese too), for a file with the whole chain
    key, renewed = ca.issue("Centre seal renewed")
    whole = tmp_path / "renewed.pfx"
    whole.write_bytes(full_file(ca, key, renewed))
    asked: list[str] = []

    def answer(prompt: str, stream: object = None) -> str:
        asked.append(prompt)
        return PASSWORD.decode()

    monkeypatch.setattr("getpass.getpass", answer)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert main(["--lang", "zh_CN", *seal[2:], "--import", str(whole)]) == EXIT_OK
    assert asked and "renewed.pfx" in asked[0]
    capfd.readouterr()


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("wrong password", "password of the PKCS#12 file is wrong"),
        ("cut short", "not a PKCS#12 file"),
        ("a directory", "is not a file"),
        ("missing", "does not exist"),
        ("binary noise", "not a PKCS#12 file"),
        ("huge", "not a PKCS#12 file"),
        ("expired", "has expired"),
        ("not for signing", "not for signing"),
        ("no terminal", "no terminal to ask for the PKCS#12 file's password"),
        ("root alone", "--root and --password-file go with --import"),
        ("root garbage", "not a certificate (PEM or DER)"),
    ],
)
def test_a_bad_file_on_the_command_line_is_one_line_and_writes_nothing(
    db: str, tmp_path: Path, case: str, reason: str, capfd: pytest.CaptureFixture[str]
) -> None:
    ca = authority()
    key, good = ca.issue("Centre seal")
    files = {
        "cut short": full_file(ca, key, good)[:900],
        "binary noise": bytes(range(256)) * 20,
        "huge": b"0" * 1_200_000,
        "expired": full_file(ca, key, ca.issue("Old", key, start=NOW - timedelta(days=800))[1]),
        "not for signing": full_file(ca, key, ca.issue("Mail", key, sign=False)[1]),
    }
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(files.get(case, full_file(ca, key, good)))
    password = tmp_path / "password"
    password.write_bytes(b"wrong\n" if case == "wrong password" else PASSWORD)
    args = ["--import", str(p12), "--password-file", str(password)]
    if case == "a directory":
        args[1] = str(tmp_path)
    elif case == "missing":
        args[1] = str(tmp_path / "none.p12")
    elif case == "no terminal":
        args = args[:2]
    elif case == "root alone":
        args = ["--root", str(p12)]
    elif case == "root garbage":
        args += ["--root", str(password)]
    keys_before = sorted(keys_dir().glob("*.pem"))
    assert main(["--lang", "en", "letters", "seal", "--db", db, *args]) == EXIT_INVALID
    captured = capfd.readouterr()
    assert reason in captured.err, captured.err
    assert "Traceback" not in captured.out + captured.err
    assert sorted(keys_dir().glob("*.pem")) == keys_before
    assert main(["--lang", "en", "letters", "seal", "--db", db]) == EXIT_OK
    assert "imported" not in capfd.readouterr().out


PROBE = """
import sys
from talentdesk.cli import main
code = main(sys.argv[1:])
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "aiohttp")
print("aiohttp modules:", len(loaded), file=sys.stderr)
print("signer loaded:", "pyhanko.sign.signers" in sys.modules, file=sys.stderr)
sys.exit(code if not loaded else 99)
"""


def test_signing_and_verifying_never_load_an_http_client(
    db: str, talents: dict[str, str], folder: Path
) -> None:
    """The commands sign and check offline: pyHanko's HTTP clients (aiohttp) stay unloaded, a
    third of a second of each command (offline_pyhanko.py); the real ones still come on use."""
    import subprocess
    import sys

    out = folder / "offer.pdf"
    render = ["letters", "render", "acceptance_notice", "--talent", talents["zh_CN"]]
    render += ["--out", str(out), "--db", db, "--demo-values"]
    verify = ["letters", "verify", str(out), "--db", db]
    for args, signer in ((render, True), (verify, False)):
        done = subprocess.run(
            [sys.executable, "-c", PROBE, "--lang", "en", *args], capture_output=True, text=True
        )
        assert done.returncode == EXIT_OK, done.stderr
        assert "aiohttp modules: 0" in done.stderr
        # checking a letter loads none of pyHanko's signing side
        assert f"signer loaded: {signer}" in done.stderr
    later = """
import sys
from talentdesk.letters.offline_pyhanko import defer_network_clients
defer_network_clients()
import pyhanko.sign.validation
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator.fetchers.aiohttp_fetchers import AIOHttpFetcherBackend
assert "aiohttp" not in sys.modules
stamper, backend = HTTPTimeStamper("http://localhost:9/tsa"), AIOHttpFetcherBackend()
print(type(stamper).__module__, type(backend).__module__, "aiohttp" in sys.modules)
import pyhanko.sign
from pyhanko.sign import PdfSigner, signers
print(PdfSigner is signers.PdfSigner, pyhanko.sign.sign_pdf is signers.sign_pdf)
"""
    done = subprocess.run([sys.executable, "-c", later], capture_output=True, text=True)
    assert done.stdout.split() == [
        "pyhanko.sign.timestamps.aiohttp_client",
        "pyhanko_certvalidator.fetchers.aiohttp_fetchers",
        "True",
        "True",
        "True",
    ], done.stderr
