"""Name normalisation across scripts, legal forms and spellings."""

from __future__ import annotations

import pytest

from section307.screening.normalize import normalize_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Acme Co., Ltd.", "ACME COMPANY LIMITED"),
        ("Acme Co., Ltd.", "Acme 有限公司"),
        ("Acme Sdn. Bhd.", "Acme Sendirian Berhad"),
        ("PT Acme Tbk", "Acme"),
        ("Acme GmbH", "Acme"),
        ("Acme LLC", "Acme Limited Liability Company"),
        ("АО «Акме»", "AO Akme"),  # noqa: RUF001
        ("ООО Акме", "Akme"),  # noqa: RUF001
        ("新疆华孚纺织有限公司", "Xinjiang Huafu Textile Co Ltd"),
        ("新疆华孚纺织有限公司", "XINJIANGHUAFU FANGZHI YOUXIAN GONGSI"),
        ("乌鲁木齐天山棉业", "Urumqi Tianshan Cotton"),
        ("Wu Lu Mu Qi Tianshan", "Urumqi Tianshan"),
        ("Acme Intl Trading", "Acme International Trading"),
        ("Société Acme S.A.", "Societe Acme"),
    ],
)
def test_same_compact_key(a: str, b: str) -> None:
    assert normalize_name(a).compact == normalize_name(b).compact


def test_distinct_names_stay_distinct() -> None:
    assert (
        normalize_name("Xinjiang Huafu Textile").compact
        != normalize_name("Xinjiang Zhongtai Textile").compact
    )
    assert normalize_name("A&B Garments").tokens == ("a", "b", "garment")


def test_stopword_only_name_keeps_its_words() -> None:
    assert normalize_name("Trading Co., Ltd.").tokens == ("trading",)
    assert not normalize_name("")


def test_pinyin_syllables_are_the_toneless_readings_of_the_dictionary() -> None:
    """The syllable table behind pinyin splitting (normalize._SYLLABLES), read from pypinyin's
    character readings once per distinct reading: ü written v, interjections left out."""
    from section307.screening.normalize import _SYLLABLES, pinyin_syllables

    assert {"ming", "da", "zhuang", "er", "lv", "nv", "lve"} <= _SYLLABLES
    assert not _SYLLABLES & {"ng", "n", "m", "hm", "hng"}
    assert 400 <= len(_SYLLABLES) <= 430  # Mandarin has about 410 toneless syllables
    assert all(s.isascii() and s.isalpha() and s.islower() for s in _SYLLABLES)
    assert pinyin_syllables("mingda") == ("ming", "da")
