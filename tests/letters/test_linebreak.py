"""Chinese line breaking: no line starts with a closing mark or ends with an opening one."""

from __future__ import annotations

import pytest
from reportlab.platypus import Paragraph

from talentdesk.letters.layout import styles
from talentdesk.letters.linebreak import CANNOT_END, CANNOT_START, keep_openers_down

TEXTS = [
    "在符合条件期间租约每年续签；离开取得资格的工作单位后，须在三个月内腾退。无正当理由两次放弃"
    "配租的，可暂停配租资格十二个月。签订租约时请携带本人身份证件和本通知书。",
    "申请人：王芳。经审查，您提交的《人才绿卡申请表》（第2版）及“工作证明”、“学历证明”齐全；"
    "依据《广州市人才绿卡制度实施办法》第十条，本中心决定：准予办理！如有疑问？请来电咨询……",
]


def lines_of(text: str, width: float) -> list[str]:
    paragraph = Paragraph(text, styles(True).body)
    paragraph.wrap(width, 10_000)
    return ["".join(line[1]) for line in paragraph.blPara.lines]


@pytest.mark.parametrize("text", TEXTS)
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(text: str) -> None:
    checked = 0
    for width in range(160, 480, 2):
        lines = lines_of(text, width)
        assert "".join(lines) == text  # nothing lost or doubled
        for line in lines[1:]:
            assert line[:1] not in CANNOT_START, (width, lines)
        for line in lines[:-1]:
            assert line[-1:] not in CANNOT_END, (width, lines)
        checked += len(lines)
    assert checked > 400  # many widths, many breaks


def test_an_opening_mark_moves_down_with_its_width() -> None:
    lines = [[0.0, "依据《"], [10.0, "办法》"]]
    assert keep_openers_down(lines, [10.0] * 6) == [[10.0, "依据"], [0.0, "《办法》"]]


@pytest.mark.parametrize("text", TEXTS)
def test_report_cells_follow_the_same_rules(text: str) -> None:
    from talentdesk.letters.fonts import BODY, register_fonts
    from talentdesk.letters.linebreak import wrap_text

    register_fonts()
    for width in range(60, 300, 3):
        lines = wrap_text(text, BODY, 8, width)
        assert "".join(lines) == text
        assert all(line[:1] not in CANNOT_START for line in lines[1:]), (width, lines)
        assert all(line[-1:] not in CANNOT_END for line in lines[:-1]), (width, lines)
