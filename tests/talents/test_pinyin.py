from talentdesk.talents.pinyin import name_pinyin, text_pinyin


def test_surname_readings_follow_the_override_table() -> None:
    assert name_pinyin("单田芳").full == "shan tian fang"
    assert name_pinyin("曾国藩").full == "zeng guo fan"
    assert name_pinyin("区志华").initials == "ozh"
    assert name_pinyin("查良镛").full.startswith("zha ")
    assert name_pinyin("解缙").full == "xie jin"
    assert name_pinyin("朴正浩").full.startswith("piao ")
    assert name_pinyin("仇英").full == "qiu ying"


def test_compound_surnames() -> None:
    assert name_pinyin("欧阳修").full == "ou yang xiu"
    assert name_pinyin("尉迟恭").initials == "ycg"


def test_a_one_character_name_is_not_read_as_a_surname_override() -> None:
    # 单 alone is the word "single", not a person's surname.
    assert name_pinyin("单").full == "dan"


def test_sort_key_orders_by_pinyin_not_code_point() -> None:
    names = ["张三", "阿明", "王芳", "白雪", "曾华"]
    by_pinyin = sorted(names, key=lambda n: name_pinyin(n).sort_key)
    assert by_pinyin == ["阿明", "白雪", "王芳", "曾华", "张三"]
    assert sorted(names) != by_pinyin  # code-point order differs


def test_full_width_and_spaces_are_ignored() -> None:
    assert name_pinyin(" 王 芳 ").full == "wang fang"


def test_text_pinyin_has_no_surname_rule() -> None:
    assert text_pinyin("单位").full == "dan wei"
