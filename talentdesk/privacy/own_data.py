"""A talent's own data, for the talent (PIPL Art. 45): everything the centre keeps about them,
in full, as a bilingual PDF and a spreadsheet with the same rows.

The record (names, numbers, contact, category), documents, family, recognitions, and what was
done for them: service cases, letters issued, housing applications. Numbers are in full: the
copy is the person's own. Making it needs ``personal.reveal`` (it shows the numbers) and is an
audit event naming the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentdesk.cases.models import ServiceCase
from talentdesk.housing.models import Application, Round
from talentdesk.i18n import translator
from talentdesk.letters.models import IssuedLetter
from talentdesk.letters.reports import ReportColumn, TableReport, credited, write_report_pdf
from talentdesk.letters.seal import current_seal
from talentdesk.people.models import User
from talentdesk.people.permissions import Permission, require
from talentdesk.people.service import record_audit
from talentdesk.spreadsheets import write_table
from talentdesk.talents.catalog import CATEGORIES, GENDERS, RELATIONS
from talentdesk.talents.identity import DOCUMENT_KINDS
from talentdesk.talents.models import Talent
from talentdesk.talents.service import load_talent

#: one line of the copy: (section, item, value)
Line = tuple[str, str, str]


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _both(labels: dict[str, str], code: str) -> str:
    """A vocabulary's label in Chinese and English ("女 Female"), or the code itself."""
    if code not in labels:
        return code
    english = labels[code]
    chinese = translator("zh_CN")(english)
    return english if chinese == english else f"{chinese} {english}"


def own_data_lines(session: Session, talent: Talent) -> list[Line]:
    """The lines of a talent's copy, labels in both languages."""
    record = "档案 Record"
    lines: list[Line] = [
        (record, "档案号 Record number", talent.record_no),
        (record, "姓名 Name", talent.name_zh),
        (record, "护照姓名 Name in passport", talent.name_passport),
        (record, "性别 Gender", _both(GENDERS, talent.gender)),
        (record, "出生日期 Birth date", _day(talent.birth_date)),
        (record, "国籍 Nationality", talent.nationality),
        (record, "人才类别 Category", _both(CATEGORIES, talent.category)),
        (record, "人才层次 Tier", talent.tier),
        (record, "电话 Telephone", talent.phone),
        (record, "电子邮箱 E-mail", talent.email),
        (record, "地址 Address", talent.address),
        (record, "用人单位 Employer", talent.employer.name_zh if talent.employer else ""),
        (record, "备注 Notes", talent.notes),
    ]
    for doc in talent.documents:
        details = " ".join(p for p in (doc.issuing_country, _day(doc.expiry_date)) if p)
        label = _both(DOCUMENT_KINDS, doc.kind)
        lines.append(("证件 Documents", label, f"{doc.number} {details}".strip()))
    for member in talent.family:
        relation = _both(RELATIONS, member.relation)
        value = " ".join(p for p in (member.name, _day(member.birth_date), member.id_number) if p)
        lines.append(("家属 Family", relation, value))
    for recognition in talent.recognitions:
        lines.append(("荣誉 Recognitions", _day(recognition.awarded_on), recognition.title))
    for case in session.scalars(
        select(ServiceCase).where(ServiceCase.talent_id == talent.id).order_by(ServiceCase.id)
    ):
        value = f"{case.type_code} · {case.state} · {_day(case.submitted_on)}"
        lines.append(("办件 Service cases", case.case_no, value))
    for letter in session.scalars(
        select(IssuedLetter).where(IssuedLetter.talent_id == talent.id).order_by(IssuedLetter.id)
    ):
        value = f"{letter.kind} · {letter.issued_at:%Y-%m-%d}"
        lines.append(("信函 Letters", letter.reference, value))
    applications = session.execute(
        select(Application, Round.name)
        .join(Round, Round.id == Application.round_id)
        .where(Application.talent_id == talent.id)
        .order_by(Application.id)
    )
    for application, round_name in applications:
        value = f"{round_name} · {application.status} · {application.preferences}"
        lines.append(("住房申请 Housing applications", application.application_no, value))
    return [(s, item, value) for s, item, value in lines if value]


@dataclass(frozen=True)
class OwnDataCopy:
    record_no: str
    pdf: Path
    sheet: Path
    lines: int


def write_own_data(session: Session, actor: User, record_no: str, folder: Path) -> OwnDataCopy:
    """The copy as ``<record no>-个人信息.pdf`` and ``.xlsx`` in ``folder``; audited."""
    require(actor, Permission.REVEAL_PERSONAL)
    talent = load_talent(session, record_no)
    number, lines = talent.record_no, own_data_lines(session, talent)
    folder.mkdir(parents=True, exist_ok=True)
    pdf, sheet = folder / f"{number}-个人信息.pdf", folder / f"{number}-个人信息.xlsx"
    title = f"个人信息副本 Copy of personal information · {number}"
    write_report_pdf(
        credited(
            TableReport(
                title,
                [
                    ReportColumn("类别 Section", 40),
                    ReportColumn("项目 Item", 50),
                    ReportColumn("内容 Value", 90),
                ],
                lines,
                filters=[("依据 Basis", "《个人信息保护法》第四十五条 PIPL Art. 45")],
                total=len(lines),
            ),
            session,
            actor,
        ),
        pdf,
        seal=current_seal(session, actor),
    )
    write_table(sheet, ["类别 Section", "项目 Item", "内容 Value"], lines, sheet_title=number)
    record_audit(
        session,
        actor,
        "talent.own_data",
        "talent",
        talent.id,
        after={"record_no": number, "files": [pdf.name, sheet.name], "lines": len(lines)},
    )
    return OwnDataCopy(number, pdf, sheet, len(lines))
