"""Failure classes of the real-name evaluation fixed after its second pass (issue 11): place
qualifiers in brackets, one-letter typing errors in short brands against other real words,
initialisms and added letters, and a listed parent against its listed plantation company."""

from __future__ import annotations

import pytest

from section307.gazetteer.places_cn import geonames_cn_places
from section307.gazetteer.words import word_zipf
from section307.screening import Party, Screener
from section307.screening.config import DEFAULT_SCORING
from section307.screening.normalize import normalize_name

from .conftest import build_watchlist, entry

DAQO_ADDRESS = "No. 66 Wei Wu Road, Shihezi Economic Development Zone, Shihezi, Xinjiang"
CAMEL_ADDRESS = "No. 1 Camel Road, Gucheng Economic Development Zone, Xiangyang, Hubei"

LISTED = [
    Party(id="L-HOSHINE", name="Hoshine Silicon Industry Co., Ltd.", country="CN", list="uflpa"),
    Party(id="L-HOSHINE-ZH", name="合盛硅业股份有限公司", country="CN", list="uflpa"),
    Party(id="L-BAIJIA", name="Baijia (Fujian) Underwear Co Ltd", country="CN", list="wro"),
    Party(id="L-YCT", name="Yi Chang Tai (Shenzhen) Garment Factory", country="CN", list="wro"),
    Party(id="L-DAQO", name="Xinjiang Daqo New Energy Co., Ltd.", country="CN", list="uflpa", address=DAQO_ADDRESS),
    Party(id="L-CAMEL", name="Camel Group Co., Ltd.", country="CN", list="uflpa", address=CAMEL_ADDRESS),
    Party(id="L-BIOPRO", name="Biopro (M) Sdn. Bhd.", country="MY", list="wro"),
    Party(id="L-AVON", name="Avon Knitwear Ltd", country="BD", list="wro"),
    Party(id="L-MINK", name="Huizhou Mink Industrial Co., Ltd.", country="CN", list="wro"),
    Party(id="L-LYSZD", name="Baoding LYSZD Trade and Business Co., Ltd.", country="CN", list="wro"),
    Party(id="L-CHENGUANG", name="Chenguang Biotech Group Co., Ltd.", country="CN", list="uflpa"),
    Party(id="L-YOUNGONE", name="Youngone (CEPZ) Limited", country="BD", list="wro"),
    Party(id="L-SIME", name="Sime Darby Berhad", country="MY", list="finding"),
    Party(id="L-SIME-PLANTATION", name="Sime Darby Plantation Berhad", country="MY", list="finding"),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(build_watchlist(LISTED).compile())


def _level(screener: Screener, party: str, **line: str) -> str:
    result = screener.screen_one(entry(**line))
    levels = [s.level for s in result.signals if s.kind == "party" and s.matched_id == party]
    return max(levels, key=lambda lv: {"hit": 2, "review": 1}[lv]) if levels else "clear"


# -- qualifier: a place in brackets -------------------------------------------------------------------
def test_place_in_brackets_is_a_qualifier_from_geonames(screener: Screener) -> None:
    assert "shanshan" in geonames_cn_places()
    assert normalize_name("Hoshine Silicon Industry (Shanshan) Co., Ltd.").places == frozenset({"shanshan"})
    for name in ("Hoshine Silicon Industry (Shanshan) Co., Ltd.", "HOSHINE SILICON INDUSTRY (SHANSHAN) CO LTD"):
        assert _level(screener, "L-HOSHINE", manufacturer=name) == "hit", name
    # The same in characters: 鄯善 read shanshan, in brackets.
    assert _level(screener, "L-HOSHINE-ZH", manufacturer="合盛硅业(鄯善)有限公司") == "hit"


def test_place_outside_brackets_stays_a_brand_word() -> None:
    # Huafu is also a town in GeoNames; written as a brand it is a brand.
    assert "huafu" in geonames_cn_places()
    assert normalize_name("Xinjiang Huafu Textile Co., Ltd.").places == frozenset()


def test_two_places_in_brackets_are_two_companies(screener: Screener) -> None:
    assert _level(screener, "L-YCT", manufacturer="Yi Chang Tai Garment (Quanzhou) Co.,Ltd") != "hit"


def test_village_a_facility_name_adds_is_optional(screener: Screener) -> None:
    assert _level(screener, "L-BAIJIA", manufacturer="BAIJIA (FUJIAN) UNDERWEAR CO LTD - HUAHAI VILLAGE") == "hit"


# -- short brands: a typing error against another word ---------------------------------------------------
@pytest.mark.parametrize(
    ("name", "party"),
    [
        ("Xinjiang Dago New Energy Co Ltd", "L-DAQO"),  # q read as g
        ("Avom Knitwear Ltd", "L-AVON"),  # neighbouring key, no word
        ("Chenguang Biotch Group Co Ltd", "L-CHENGUANG"),  # a dropped letter in a word split on normalising
        ("Youngome (CEPZ) Limited", "L-YOUNGONE"),  # neighbouring key; Youngone is not pinyin (you-ng-o-ne)
    ],
)
def test_typing_error_in_a_short_brand_is_a_hit(screener: Screener, name: str, party: str) -> None:
    assert _level(screener, party, manufacturer=name) == "hit"


@pytest.mark.parametrize(
    ("name", "party"),
    [
        ("Carmel Group Co., Ltd.", "L-CAMEL"),  # another real word
        ("Huizhou Mint Industrial Co., Ltd.", "L-MINK"),  # another real word
        ("Axon Knitwear Ltd", "L-AVON"),  # another real word
        ("Baoding LYSD Trade and Business Co., Ltd.", "L-LYSZD"),  # another initialism
    ],
)
def test_another_word_or_initialism_one_letter_away_is_clear(screener: Screener, name: str, party: str) -> None:
    assert _level(screener, party, manufacturer=name) == "clear"


def test_real_word_look_alike_stays_apart_when_nothing_else_agrees(screener: Screener) -> None:
    assert word_zipf("carmel") >= DEFAULT_SCORING.common_word_zipf > word_zipf("campel")
    # Even with the country agreeing, another real word is not the listed brand.
    assert _level(screener, "L-CAMEL", manufacturer="Carmel Group Co., Ltd.", country_of_origin="CN") == "clear"


def test_added_letter_in_the_only_brand_word_is_review_unless_the_rest_agrees(screener: Screener) -> None:
    # By the name alone an added letter that doubles nothing is review (Bioprop, Campel) ...
    assert _level(screener, "L-BIOPRO", manufacturer="Bioprop (M) Sdn. Bhd.") == "review"
    assert _level(screener, "L-CAMEL", manufacturer="Campel Group Co., Ltd.") == "review"
    assert _level(screener, "L-CAMEL", manufacturer="Campel Group Co., Ltd.", country_of_origin="CN") == "review"
    # ... and a hit when the origin and the street address agree with the listed party's.
    line = {"manufacturer": "Campel Group Co., Ltd.", "country_of_origin": "CN", "manufacturer_address": CAMEL_ADDRESS}
    assert _level(screener, "L-CAMEL", **line) == "hit"
    result = screener.screen_one(entry(**line))
    assert "country agrees" in result.reasons and "address agrees" in result.reasons


def test_common_word_frequency_is_a_scoring_value() -> None:
    # With a threshold no word reaches, Carmel is read as Camel with a letter added (review).
    lenient = DEFAULT_SCORING.with_values(common_word_zipf=99.0)
    s = Screener(build_watchlist(LISTED).compile(), scoring=lenient)
    assert _level(s, "L-CAMEL", manufacturer="Carmel Group Co., Ltd.") == "review"


# -- parent and sister companies ---------------------------------------------------------------------
def test_listed_parent_is_not_its_listed_plantation_company_shortened(screener: Screener) -> None:
    result = screener.screen_one(entry(manufacturer="Sime Darby Berhad", country_of_origin="MY"))
    assert result.decision == "hit"
    assert result.matched_id == "L-SIME"
    plantation = [s for s in result.signals if s.kind == "party" and s.matched_id == "L-SIME-PLANTATION"]
    assert [s.level for s in plantation] == ["review"]
    assert "the group or parent of the listed company" in plantation[0].detail
    # The plantation company's own name is its hit; the parent's order does not name subsidiaries.
    own = screener.screen_one(entry(manufacturer="Sime Darby Plantation Berhad"))
    assert own.decision == "hit" and own.matched_id == "L-SIME-PLANTATION"


def test_british_spellings_are_one_word_with_american_ones() -> None:
    assert normalize_name("Lop County Vocational Training Centre").tokens == normalize_name(
        "Lop County Vocational Training Center"
    ).tokens
    # Two real words two swapped letters apart are still two words.
    assert normalize_name("Loin Brothers").tokens != normalize_name("Lion Brothers").tokens
