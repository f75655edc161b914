"""Talents to write letters to, and a folder to write them in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from talentdesk.db.engine import Database
from talentdesk.people.models import User
from talentdesk.talents.service import TalentInput, create_employer, create_talent


@pytest.fixture
def talents(database: Database, admin: User) -> dict[str, str]:
    """Record numbers by letter language: 王芳 (zh_CN, with employer) and 陳志明 (zh_HK)."""
    with database.transaction() as session:
        employer = create_employer(
            session, admin, "广州瑞博激光科技有限公司", "Guangzhou Ruibo Laser Technology Co., Ltd."
        )
        wang = create_talent(
            session,
            admin,
            TalentInput(
                name_zh="王芳",
                name_passport="WANG FANG",
                gender="F",
                category="overseas_returnee",
                tier="C",
                employer_id=employer.id,
            ),
        )
        chan = create_talent(
            session,
            admin,
            TalentInput(
                name_zh="陳志明",
                name_passport="CHAN CHI MING",
                gender="M",
                nationality="HKG",
                category="district_talent",
                tier="B",
                letter_language="zh_HK",
            ),
        )
        return {"zh_CN": wang.record_no, "zh_HK": chan.record_no}


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "信函 out"
    out.mkdir()
    yield out
