"""Simplified to Traditional Chinese (Hong Kong) for zh_HK letters, with OpenCC's s2hk.

A zh_HK letter prints its Chinese part in Traditional characters. The templates' own texts
are translated (the zh_HK catalog), and data may give a value's Traditional text (``zh_hk``);
a value given only in Simplified is converted here, phrase by phrase as OpenCC does (发展 to
發展, 头发 to 頭髮), with Hong Kong variants (裏, 着). Names are never converted: a person's or
an employer's name is written as its holder writes it.

OpenCC's dictionaries load once, when a zh_HK letter first needs them (about 0.07 s).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from talentdesk.i18n import N_, _
from talentdesk.names import has_cjk

if TYPE_CHECKING:
    from opencc import OpenCC

#: OpenCC's configuration: Simplified to Traditional with Hong Kong variants and phrases
CONFIG = "s2hk"
#: what a preview says when a letter printed converted text
CONVERTED = N_("The Traditional text was converted from Simplified")
#: conversions a note lists at most
LISTED = 5


@cache
def _converter() -> OpenCC:
    import opencc

    # no "tofu risk" dictionaries: they map to rare characters that fonts may not have
    return opencc.OpenCC(CONFIG, include_tofu_risk_dictionaries=False)


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """``text`` in Traditional characters as written in Hong Kong; text without Chinese
    characters is returned as it is."""
    if not has_cjk(text):
        return text
    return str(_converter().convert(text))


def conversion_note(converted: Sequence[tuple[str, str]]) -> str:
    """One line for a preview or the command line, in the user's language: that the
    Traditional text was converted, and from what ("人才引进 → 人才引進; …"); "" for none."""
    if not converted:
        return ""
    pairs = "; ".join(
        f"{simplified} → {traditional}" for simplified, traditional in converted[:LISTED]
    )
    more = " …" if len(converted) > LISTED else ""
    return _("{note}: {conversions}").format(note=_(CONVERTED), conversions=pairs + more)
