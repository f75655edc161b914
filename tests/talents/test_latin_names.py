"""Latin names keep the casing typed (O'Brien, McDonald, de la Cruz) and are found in any case."""

from __future__ import annotations

from datetime import date

import pytest

from talentdesk.errors import ValidationErrors
from talentdesk.letters.content import Recipient, english_name
from talentdesk.names import folded, latin_name
from talentdesk.talents.search import talent_ids, talent_rows
from talentdesk.talents.service import (
    TalentInput,
    create_talent,
    is_latin_name,
    load_talent,
    normalize_latin_name,
)

TYPED = [
    "Seán O'Brien",
    "Ronald McDonald",
    "José María y Gasset",
    "Juan de la Cruz",
    "van der Berg",
    "Anne-Marie DuBois",
]


@pytest.mark.parametrize("name", TYPED)
def test_a_name_typed_in_mixed_case_is_kept_as_typed(name: str) -> None:
    assert normalize_latin_name(f"  {name.replace(' ', '  ')} ") == name
    assert latin_name(name) == name


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("O'BRIEN SEAN", "O'Brien Sean"),
        ("SEÁN O’BRIEN", "Seán O’Brien"),
        ("RONALD MCDONALD", "Ronald McDonald"),
        ("IAN MACDONALD", "Ian MacDonald"),
        ("ANA MACHADO", "Ana Machado"),
        ("JOSÉ MARÍA Y GASSET", "José María y Gasset"),
        ("JUAN DE LA CRUZ", "Juan de la Cruz"),
        ("VAN DER BERG PIETER", "Van der Berg Pieter"),
        ("LUDWIG VON MISES", "Ludwig von Mises"),
        ("AHMED BIN SALMAN", "Ahmed bin Salman"),
        ("SMITH-JONES ANNA", "Smith-Jones Anna"),
        ("AL-RASHID OMAR", "Al-Rashid Omar"),
        ("J.R.R. TOLKIEN", "J.R.R. Tolkien"),
        ("D'ARCY FITZWILLIAM", "D'Arcy Fitzwilliam"),
        ("wang fang", "Wang Fang"),
        ("MARIA DA SILVA", "Maria da Silva"),
        ("WANG DA", "Wang Da"),  # a last word is never a particle
    ],
)
def test_a_name_in_one_case_gets_a_sensible_casing(typed: str, printed: str) -> None:
    assert latin_name(typed) == printed


def test_names_romanised_from_chinese_keep_their_syllables() -> None:
    # "Da", "Van" and "Macheng" are syllables there, not particles or a Mac
    assert latin_name("LI DA WEI", western=False) == "Li Da Wei"
    assert latin_name("NGUYEN VAN AN", western=False) == "Nguyen Van An"
    assert latin_name("WANG MACHENG", western=False) == "Wang Macheng"
    assert english_name("CHAN CHI MING", western=False) == "Chan Chi Ming"


def test_a_talent_without_a_latin_name_is_written_in_pinyin() -> None:
    assert english_name("", "王芳") == "Wang Fang"
    assert english_name("", "单田芳") == "Shan Tianfang"
    assert english_name("", "欧阳娜娜") == "Ouyang Nana"
    assert english_name("", "") == ""


@pytest.mark.parametrize("name", [*TYPED, "WANG FANG", "Müller Jörg", "N'Diaye", "St. John"])
def test_latin_names_with_accents_and_marks_are_accepted(name: str) -> None:
    assert is_latin_name(name)


@pytest.mark.parametrize("name", ["王芳", "Wang 芳", "-Smith", "Иванов", "Smith2", "ΣΩΚΡΑΤΗΣ"])
def test_other_scripts_digits_and_a_leading_mark_are_refused(name: str) -> None:
    assert not is_latin_name(name)


def test_folding_ignores_case_and_accents() -> None:
    assert folded("Seán O’Brien") == folded("SEAN O'BRIEN") == "sean o'brien"


@pytest.fixture
def foreigners(database, clerk) -> dict[str, int]:
    ids = {}
    with database.transaction() as session:
        for name in [*TYPED, "O'BRIEN SEAN"]:
            data = TalentInput(
                name_passport=name,
                gender="M",
                birth_date=date(1980, 1, 1),
                nationality="IRL",
                category="foreign_expert",
                tier="B",
            )
            ids[name] = create_talent(session, clerk, data).id
    return ids


def test_names_are_stored_as_typed_and_letters_print_them_so(database, foreigners) -> None:
    with database.sessions() as session:
        for name, talent_id in foreigners.items():
            talent = load_talent(session, talent_id)
            assert talent.name_passport == name
            expected = "O'Brien Sean" if name == "O'BRIEN SEAN" else name
            assert Recipient.of(talent).name_en == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("o'brien", {"Seán O'Brien", "O'BRIEN SEAN"}),
        ("O'BRIEN", {"Seán O'Brien", "O'BRIEN SEAN"}),
        ("sean", {"Seán O'Brien", "O'BRIEN SEAN"}),
        ("SEÁN", {"Seán O'Brien"}),
        ("mcdonald", {"Ronald McDonald"}),
        ("DE LA CRUZ", {"Juan de la Cruz"}),
        ("Van Der", {"van der Berg"}),
        ("jose maria", {"José María y Gasset"}),
        ("dubois", {"Anne-Marie DuBois"}),
    ],
)
def test_search_ignores_case_and_accents(database, foreigners, query, expected) -> None:
    with database.sessions() as session:
        found = talent_ids(session, query)
        rows = talent_rows(session, found)
    assert {rows[i].name_passport for i in found} == expected


def test_a_short_term_finds_a_mixed_case_name(database, foreigners) -> None:
    """One or two characters scan the name key, lower-cased like the query."""
    with database.sessions() as session:
        found = talent_ids(session, "Y")
        rows = talent_rows(session, found)
    assert "José María y Gasset" in {rows[i].name_passport for i in found}


def test_a_name_in_another_script_is_refused_naming_the_field(database, clerk) -> None:
    data = TalentInput(name_passport="Иван Петров", gender="M", category="other", tier="D")
    with database.transaction() as session, pytest.raises(ValidationErrors) as raised:
        create_talent(session, clerk, data)
    assert "Name as in passport" in {e.field for e in raised.value.errors}


def test_a_spreadsheet_imports_names_as_typed_and_exports_them_so(
    database, clerk, tmp_path
) -> None:
    from openpyxl import Workbook, load_workbook

    from talentdesk.talents.spreadsheet import COLUMNS, export_talents, import_talents

    keys = ["name_passport", "gender", "nationality", "category", "tier", "birth_date"]
    headers = {c.key: c.header for c in COLUMNS}
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([headers[k] for k in keys])
    for name in ("Seán O'Brien", "Juan de la Cruz", "o'brien sean"):
        sheet.append([name, "M", "IRL", "foreign_expert", "B", "1980-01-01"])
    path = tmp_path / "in.xlsx"
    workbook.save(path)
    with database.transaction() as session:
        assert import_talents(session, clerk, path).errors == []
    with database.sessions() as session:
        found = talent_ids(session, "O'BRIEN")
        names = {talent_rows(session, found)[i].name_passport for i in found}
    assert names == {"Seán O'Brien", "O'BRIEN SEAN"}
    out = tmp_path / "out.xlsx"
    with database.transaction() as session:
        export_talents(session, clerk, out)
    exported = [row[2] for row in load_workbook(out).active.iter_rows(values_only=True)][1:]
    assert set(exported) == {"Seán O'Brien", "Juan de la Cruz", "O'BRIEN SEAN"}
    # sorted without regard to case or accents: de la Cruz, then the two O'Briens
    assert exported[0] == "Juan de la Cruz"
