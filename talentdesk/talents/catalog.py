"""Fixed vocabularies of the talent record: categories, tiers, genders, relations, nationalities.

Category codes are stable (they are stored); their labels are gettext msgids. Tier names are data
(resources/talents/tiers.toml) because the centre's published rules name them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from talentdesk.assets import resource
from talentdesk.i18n import N_, current_language

CATEGORIES: dict[str, str] = {
    "academician_cas": N_("Academician, Chinese Academy of Sciences"),
    "academician_cae": N_("Academician, Chinese Academy of Engineering"),
    "state_council_expert": N_("State Council special-allowance expert"),
    "district_talent": N_("District science and technology talent"),
    "pearl_river_leader": N_("Pearl River team leader"),
    "pearl_river_member": N_("Pearl River team member"),
    "overseas_returnee": N_("Overseas returnee"),
    "foreign_expert": N_("Foreign expert"),
    "other": N_("Other talent"),
}

GENDERS: dict[str, str] = {"M": N_("Male"), "F": N_("Female")}

RELATIONS: dict[str, str] = {"spouse": N_("Spouse"), "child": N_("Child"), "parent": N_("Parent")}

LETTER_LANGUAGES: dict[str, str] = {
    "zh_CN": N_("Simplified Chinese"),
    "zh_HK": N_("Traditional Chinese (Hong Kong, Macao)"),
}

#: the nationalities offered first; any ISO 3166 alpha-3 code is accepted
COMMON_NATIONALITIES: dict[str, str] = {
    "CHN": N_("China"),
    "HKG": N_("Hong Kong, China"),
    "MAC": N_("Macao, China"),
    "TWN": N_("Taiwan, China"),
    "USA": N_("United States"),
    "GBR": N_("United Kingdom"),
    "DEU": N_("Germany"),
    "FRA": N_("France"),
    "JPN": N_("Japan"),
    "KOR": N_("Republic of Korea"),
    "SGP": N_("Singapore"),
    "CAN": N_("Canada"),
    "AUS": N_("Australia"),
    "RUS": N_("Russia"),
    "ITA": N_("Italy"),
    "NLD": N_("Netherlands"),
    "SWE": N_("Sweden"),
    "CHE": N_("Switzerland"),
    "ISR": N_("Israel"),
    "IND": N_("India"),
}


@dataclass(frozen=True)
class Tier:
    code: str
    name_zh: str
    name_en: str

    def label(self) -> str:
        name = self.name_zh if current_language().startswith("zh") else self.name_en
        return f"{self.code} · {name}"


@cache
def tiers() -> dict[str, Tier]:
    with resource("talents", "tiers.toml").open("rb") as f:
        data = tomllib.load(f)
    return {
        code: Tier(code, entry["name_zh"], entry["name_en"])
        for code, entry in data["tiers"].items()
    }
