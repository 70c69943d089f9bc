"""Party matching: each kind of name variation, positive and negative."""

from __future__ import annotations

import os
from typing import Any

import pytest

from section307.screening import Screener

from .conftest import entry


def _party_match(
    screener: Screener, name: str, country: str = "", fld: str = "manufacturer"
) -> tuple[str, str | None]:
    result = screener.screen_one(entry(**{fld: name, "country_of_origin": country}))
    party = [s for s in result.signals if s.kind == "party"]
    if not party:
        return "clear", None
    best = max(party, key=lambda s: s.score)
    return best.level, best.matched_id


@pytest.mark.parametrize(
    ("name", "country", "expected"),
    [
        # case, punctuation, legal forms across languages
        ("XINJIANG HUAFU TEXTILE COMPANY LIMITED", "CN", "P-HUAFU"),
        ("xinjiang huafu textile co ltd", "CN", "P-HUAFU"),
        ("Hoshine Silicon Industry Co Ltd", "CN", "P-HOSHINE"),
        ("Maju Jaya Gloves Sdn Bhd", "MY", "P-MAJU"),
        ("Maju Jaya Gloves Sendirian Berhad", "MY", "P-MAJU"),
        ("Braunstein Metallwerke", "DE", None),  # risk list: review, not hit
        # Chinese characters vs pinyin, with and without spaces
        ("新疆华孚纺织有限公司", "CN", "P-HUAFU"),
        ("Xinjiang Huafu Fangzhi Youxian Gongsi", "CN", "P-HUAFU"),
        ("XINJIANGHUAFU FANGZHI", "CN", "P-HUAFU"),
        ("Xin Jiang Hua Fu Textile", "CN", "P-HUAFU"),
        ("合盛硅业", "CN", "P-HOSHINE"),
        # Cyrillic
        ("OOO Romashka Treyd", "RU", "P-ROMASHKA"),
        ("Romashka Treid LLC", "RU", "P-ROMASHKA"),
        # word order
        ("Huafu Textile (Xinjiang) Co., Ltd.", "CN", "P-HUAFU"),
        # abbreviations
        ("XPCC", "CN", "P-XPCC"),
        ("Hoshine Silicon Ind. Co.", "CN", "P-HOSHINE"),
        # typos
        ("Xinjiang Huafy Textile Co", "CN", "P-HUAFU"),
        ("Hoshin Silicon Industry", "CN", "P-HOSHINE"),
        # branch and department words
        ("Xinjiang Huafu Textile Co., Ltd. Shanghai Branch", "CN", "P-HUAFU"),
        ("新疆华孚纺织有限公司上海分公司", "CN", "P-HUAFU"),
        ("Golden Lion Garment Factory - Export Department", "BD", "P-GOLDEN"),
    ],
)
def test_variants_hit(screener: Screener, name: str, country: str, expected: str | None) -> None:
    level, matched = _party_match(screener, name, country)
    if expected is None:
        assert (level, matched) == ("review", "P-BRAUN")
    else:
        assert (level, matched) == ("hit", expected)


@pytest.mark.parametrize(
    ("name", "country"),
    [
        # shares only common words (place + generic) with a watchlisted name
        ("Xinjiang Zhongtai Textile Co., Ltd.", "CN"),
        ("Xinjiang Textile Industrial Co.", "CN"),
        ("Golden Star Garment Factory", "BD"),
        ("Silicon Industry Co Ltd", "CN"),
        ("Trading Company Limited", "CN"),
        ("Shanghai Garment Trading Co., Ltd.", "CN"),
        # a different brand in the same place and trade
        ("Xinjiang Lihua Textile Co., Ltd.", "CN"),
        ("Maju Bersama Rubber Sdn Bhd", "MY"),
        # Chinese name of a different company
        ("新疆中泰纺织有限公司", "CN"),
        ("ООО Лютик", "RU"),  # noqa: RUF001
    ],
)
def test_negatives_do_not_hit(screener: Screener, name: str, country: str) -> None:
    level, matched = _party_match(screener, name, country)
    assert level != "hit", f"{name!r} wrongly matched {matched}"


def test_common_word_overlap_is_not_even_review(screener: Screener) -> None:
    assert _party_match(screener, "Huafu Garment Trading Co", "CN")[0] != "hit"
    assert _party_match(screener, "Lion Trading Industrial Co", "BD") == ("clear", None)


def test_country_conflict_lowers_score(screener: Screener) -> None:
    same = screener.screen_one(entry(manufacturer="Hoshine Silicon Industry", country_of_origin="CN"))
    other = screener.screen_one(entry(manufacturer="Hoshine Silicon Industry", country_of_origin="BR"))
    s_same = max(s.score for s in same.signals if s.kind == "party")
    s_other = [s.score for s in other.signals if s.kind == "party"]
    assert not s_other or max(s_other) < s_same - 0.1
    assert "country agrees" in next(s.detail for s in same.signals if s.kind == "party")


def test_address_agreement_raises_score(screener: Screener) -> None:
    base = screener.screen_one(entry(manufacturer="Golden Lion Garment", country_of_origin="BD"))
    with_addr = screener.screen_one(
        entry(
            manufacturer="Golden Lion Garment",
            manufacturer_address="Plot 12 Road 4 Konabari, Gazipur",
            country_of_origin="BD",
        )
    )
    conflict = screener.screen_one(
        entry(
            manufacturer="Golden Lion Garment", manufacturer_address="Chittagong EPZ", country_of_origin="BD"
        )
    )

    def score(r):  # type: ignore[no-untyped-def]
        return max(s.score for s in r.signals if s.kind == "party")

    assert score(with_addr) > score(base) > score(conflict)


def test_other_party_fields_are_screened(screener: Screener) -> None:
    for fld in ("shipper", "importer", "consignee"):
        r = screener.screen_one(entry(**{fld: "Hoshine Silicon Industry Co., Ltd."}))
        assert r.decision == "hit" and r.matched_field == fld
    r = screener.screen_one(entry(suppliers="Acme Mills | 新疆华孚纺织有限公司"))
    assert (r.decision, r.matched_id, r.matched_field) == ("hit", "P-HUAFU", "suppliers")
    as_list = screener.screen_one({**entry(), "suppliers": ["Acme Mills", "新疆华孚纺织有限公司"]})
    assert (as_list.decision, as_list.matched_id) == ("hit", "P-HUAFU")


@pytest.mark.parametrize("need", [1, 2, 3])
def test_candidate_counting_counts_each_id_across_trigram_postings(need: int) -> None:
    """The candidate counter (matcher._shared_counts) against a plain count, postings as the index holds them."""
    from collections import Counter

    import numpy as np

    from section307.screening.matcher import _shared_counts

    rng = np.random.default_rng(need)
    # Ids up to 300 are counted in a dense array, ids up to 300,000 (a sparse query against a large
    # watchlist) by sorting: both ways must agree with a plain count.
    for id_range in [300, 300_000] * 50:
        postings = [
            np.sort(rng.choice(id_range, size=int(rng.integers(0, 60)), replace=False)).astype(np.int32)
            for _ in range(int(rng.integers(1, 8)))
        ]
        plain = Counter(int(i) for p in postings for i in p)
        expected = sorted((i, c) for i, c in plain.items() if c >= need)
        ids, counts = _shared_counts(postings, need)
        assert [(int(i), int(c)) for i, c in zip(ids, counts, strict=True)] == expected


def _random_postings(rng: Any, id_range: int) -> list[Any]:
    import numpy as np

    return [
        np.sort(rng.choice(id_range, size=int(rng.integers(0, min(id_range, 400))), replace=False)).astype(np.int32)
        for _ in range(int(rng.integers(0, 12)))
    ]


def _top_by_rule(postings: list[Any], need: int, k: int) -> list[int]:
    """The rule written plainly: ids in at least ``need`` lists, the ``k`` in the most (the lower id
    first among equal counts), ascending."""
    from collections import Counter

    plain = Counter(int(i) for p in postings for i in p)
    ranked = sorted((i for i, c in plain.items() if c >= need), key=lambda i: (-plain[i], i))
    return sorted(ranked[:k])


@pytest.mark.parametrize("need", [1, 2, 3])
def test_candidates_keep_the_names_sharing_most_trigrams_the_lower_id_first_on_ties(need: int) -> None:
    """matcher._top_shared_numpy keeps the k ids in the most postings lists and breaks ties by id, so
    which of two equally good candidates is scored never depends on a selection algorithm."""
    import numpy as np

    from section307.screening.matcher import _top_shared_numpy

    rng = np.random.default_rng(10 + need)
    for id_range in [40, 3_000, 300_000] * 60:
        postings = _random_postings(rng, id_range)
        k = int(rng.integers(1, 15))
        assert _top_shared_numpy(postings, need, k) == _top_by_rule(postings, need, k)
    # Four ids tie at two lists for the last three places: the lowest three win.
    lists = [np.array(ids, dtype=np.int32) for ids in ([1, 5, 7, 9, 11], [5, 7, 9, 11], [3])]
    assert _top_shared_numpy(lists, 1, 3) == [5, 7, 9]


@pytest.mark.skipif(
    bool(os.environ.get("SECTION307_PURE_PYTHON")), reason="the compiled counter is turned off (SECTION307_PURE_PYTHON)"
)
@pytest.mark.parametrize("need", [1, 2, 3])
def test_compiled_candidate_counter_gives_the_numpy_counters_ids(need: int) -> None:
    """The C counter (screening/_counting.c, docs/adr/0030) is built by the install and used by the
    matcher; it returns exactly what matcher._top_shared_numpy returns, including ties, postings
    past the end of its byte array, many lists, empty ones and a watchlist of millions of names."""
    import numpy as np

    from section307.screening import matcher

    try:
        from section307.screening._counting import top_shared
    except ImportError:
        pytest.fail(
            "the C counter was not built: install a C compiler and run `make setup` (or set SECTION307_PURE_PYTHON=1)"
        )
    assert matcher._top_shared is top_shared
    rng = np.random.default_rng(20 + need)
    for id_range in [40, 3_000, 300_000, 3_000_000, 50] * 60:
        postings = _random_postings(rng, id_range)
        k = int(rng.integers(1, 15))
        assert top_shared(postings, need, k) == matcher._top_shared_numpy(postings, need, k)
    # The ids index the counter's byte array: it reads their range rather than trusting the order.
    unsorted = [np.array([9, 400_000, 3], dtype=np.int32), np.array([400_000, 9], dtype=np.int32)]
    assert top_shared(unsorted, 2, 5) == [9, 400_000]
    with pytest.raises(TypeError, match="int32"):
        top_shared([np.array([1, 2], dtype=np.int64)], 1, 3)
    with pytest.raises(ValueError, match="negative"):
        top_shared([np.array([5, -1, 7], dtype=np.int32)], 1, 3)
    with pytest.raises(ValueError, match="negative"):
        top_shared([np.array([-1, 2], dtype=np.int32)], 1, 3)
    with pytest.raises(ValueError, match="at most 255"):
        top_shared([np.array([1], dtype=np.int32)] * 256, 1, 3)


def test_token_candidates_intersect_postings_as_a_set_intersection() -> None:
    """matcher._intersect_sorted (bisection of the shorter list) against a plain set intersection,
    with lists of very different lengths, empty ones and ids past the end of the other list."""
    import numpy as np

    from section307.screening.matcher import _intersect_sorted

    rng = np.random.default_rng(5)
    for _ in range(200):
        a, b = (
            np.sort(rng.choice(400, size=int(rng.integers(0, 120)), replace=False)).astype(np.int32)
            for _ in range(2)
        )
        both = _intersect_sorted(a, b)
        assert both.tolist() == sorted(set(a.tolist()) & set(b.tolist()))
        assert _intersect_sorted(b, a).tolist() == both.tolist()


def test_name_words_reads_each_word_of_a_name() -> None:
    """What the scoring reads of each word (matcher.name_words): spelling key, distinctive, qualifier,
    brand, and the numbers; an empty name gives empty fields."""
    from section307.screening.matcher import NameWords, name_words
    from section307.screening.normalize import normalize_name

    norm = normalize_name("Faberlic Europe Holding 23")
    words = name_words(norm)
    assert norm.tokens == ("faberlic", "europe", "holding", "23")
    assert words.keys[0] == "faberlik" and words.keys[2] == "group"  # holding and group are one family
    assert words.qualifier[:2] == (False, True)  # Europe says where it trades
    assert words.brand[0] and not words.brand[1]
    assert not words.distinctive[3] and words.numbers == frozenset({"23"})
    # One brand word; edit budgets by length: two edits from nine letters, one from three, none below.
    assert words.brands == 1 and words.budgets == (1, 1, 1, 0)
    assert name_words(normalize_name("Faberlicsky Co Ltd")).budgets == (2,)
    assert name_words(normalize_name("")) == NameWords((), (), (), (), frozenset())
