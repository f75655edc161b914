"""Build the frozen program, check that it works, and (on Windows) wrap it in an installer.

    uv run --group installer python installer/build.py [--nsis] [--skip-smoke]

1. PyInstaller builds ``dist/talentdesk/`` from ``installer/talentdesk.spec`` (two programs, one
   folder). ``PYTHONHASHSEED`` and ``SOURCE_DATE_EPOCH`` (the last commit's time) are fixed so
   two builds of one commit match as far as PyInstaller allows.
2. A smoke test runs the frozen command line from a folder whose name has a space and Chinese
   characters: version, a demo database (migrations from the bundled scripts, demo data,
   pinyin), a search, an export, a bilingual letter rendered and verified (fonts, templates,
   QR decoding), and the window started offscreen and closed again.
3. With ``--nsis`` (the default on Windows when ``makensis`` is on PATH), NSIS makes
   ``dist/talentdesk-<version>-setup.exe`` from ``installer/talentdesk.nsi``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist"
APP = DIST / "talentdesk"


def _version() -> str:
    sys.path.insert(0, str(ROOT))
    from talentdesk import __version__

    return __version__


def _build_environment() -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    try:
        stamp = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        env.setdefault("SOURCE_DATE_EPOCH", stamp)
    except (OSError, subprocess.CalledProcessError):
        pass
    return env


def build() -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--distpath",
            str(DIST),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            str(ROOT / "installer" / "talentdesk.spec"),
        ],
        cwd=ROOT,
        env=_build_environment(),
        check=True,
    )


def _program(name: str) -> Path:
    suffix = ".exe" if sys.platform == "win32" else ""
    return APP / f"{name}{suffix}"


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True, encoding="utf-8")
    if done.returncode != 0:
        raise SystemExit(f"smoke test failed: {' '.join(args)}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def smoke_test() -> None:
    cli = str(_program("talentdesk-cli"))
    with tempfile.TemporaryDirectory(prefix="talentdesk smoke 冒烟 ") as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "TALENTDESK_DATA_DIR": str(folder / "data 数据"),
            "QT_QPA_PLATFORM": "offscreen",
        }
        env.pop("TALENTDESK_DATABASE_URL", None)
        db = str(folder / "演示 demo.sqlite3")
        print(_run([cli, "--version"], env).strip())
        print(_run([cli, "demo", "--db", db], env).strip().splitlines()[-1])
        found = _run([cli, "talents", "search", "单", "--db", db], env)
        if not found.strip():
            raise SystemExit("smoke test failed: a search for 单 found nobody")
        print(f"search 单: {len(found.splitlines())} talents")
        export = folder / "导出.xlsx"
        _run([cli, "export", "talents", str(export), "--db", db, "--query", "王"], env)
        print(f"export: {export.stat().st_size:,} bytes")
        letter = folder / "信函 letter.pdf"
        render = ["letters", "render", "completion_notice", "--talent", "T0000001"]
        _run([cli, *render, "--out", str(letter), "--db", db, "--demo-values"], env)
        _run([cli, "letters", "verify", str(letter), "--db", db], env)
        print(f"letter: {letter.stat().st_size:,} bytes, verified")
        _run([cli, "--db", db, "--lang", "zh_CN"], {**env, "TALENTDESK_QUIT_AFTER_START": "1"})
        print("window: started and closed")
    print(f"smoke test passed: {APP}")


def nsis() -> Path:
    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit("makensis is not on PATH (install NSIS 3)")
    version = _version()
    output = DIST / f"talentdesk-{version}-setup.exe"
    subprocess.run(
        [
            makensis,
            "-V2",
            f"-DVERSION={version}",
            f"-DSOURCE={APP}",
            f"-DOUTFILE={output}",
            str(ROOT / "installer" / "talentdesk.nsi"),
        ],
        check=True,
    )
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the frozen program and its installer.")
    parser.add_argument("--nsis", action="store_true", help="make the Windows installer too")
    parser.add_argument("--skip-smoke", action="store_true", help="do not run the smoke test")
    args = parser.parse_args(argv)
    build()
    if not args.skip_smoke:
        smoke_test()
    if args.nsis or (sys.platform == "win32" and shutil.which("makensis")):
        print(f"installer: {nsis()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
