"""The rules page says what the parsed rules say: every kind of home, the order, the periods."""

from __future__ import annotations

from talentdesk import i18n
from talentdesk.housing.catalogue import published_kinds, published_rules
from talentdesk.housing.rules_page import rules_page


def test_every_kind_and_the_terms_are_on_the_page() -> None:
    rules = published_rules()
    kinds = published_kinds()
    page = rules_page(rules, kinds)
    for code, rule in rules.types.items():
        name = kinds[code].name.text("en") if code in kinds else code
        assert f"{name}: households of {rule.low} to {rule.high}" in page
    assert " &gt; ".join(rules.tier_order) in page
    assert f"within {rules.terms.offer_days} working days" in page
    assert rules.digest in page
    # the newest rules (2026.3): the notice, and the review by another manager
    assert "publicly noticed (公示) for 5 working days" in page
    assert "reviewed by another manager than the one who ran the round" in page


def test_the_page_reads_in_chinese() -> None:
    i18n.set_language("zh_CN")
    try:
        page = rules_page(published_rules(), published_kinds())
    finally:
        i18n.set_language("en")
    assert "households of" not in page and "Who may receive" not in page
