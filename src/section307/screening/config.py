"""Scoring configuration: every number the name score and the decision depend on, in one place.

:data:`DEFAULT_SCORING` is what :class:`~section307.screening.Screener` and
:class:`~section307.screening.matcher.NameMatcher` use unless given another
:class:`ScoringConfig`. ``bench/eval_names.py --tune`` searches the values
marked *tuned* on the tuning split of the labelled name pairs (never on the
held-out split); docs/screening.md records the values and how they were chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = ["DEFAULT_SCORING", "ScoringConfig"]


@dataclass(frozen=True)
class ScoringConfig:
    """Weights, penalties and thresholds of party matching and of the decision."""

    # -- decision (Screener) --------------------------------------------------------------------------
    #: Party score for ``hit`` on an order list (tuned).
    threshold: float = 0.85
    #: ``review`` starts this far below ``threshold`` (tuned).
    review_margin: float = 0.15
    #: Added when the entry's origin is the party's country.
    country_agrees: float = 0.03
    #: Subtracted when the origin is another country.
    country_differs: float = 0.15
    #: Added when the address shares a street, number and city with the party's.
    address_agrees: float = 0.05
    #: Subtracted when the addresses share no word.
    address_differs: float = 0.05
    #: Address agreement needs this many shared words and this Jaccard overlap.
    address_min_shared: int = 3
    address_min_overlap: float = 0.6
    #: Added to a ``review`` score when the origin is TIP tier 2WL or 3 (kept below ``threshold``).
    tip_review_bonus: float = 0.05
    #: TIP tier -> score of the (information only) TIP signal.
    tip_scores: tuple[tuple[str, float], ...] = (("3", 0.3), ("2WL", 0.2), ("2", 0.1), ("1", 0.0), ("SPECIAL", 0.1))
    #: DOL List line: forced labour / child labour only, less this for goods made from a listed input.
    dol_forced: float = 0.6
    dol_child: float = 0.5
    dol_derived: float = 0.05
    #: Region rule reached from the free-text description rather than an origin or address.
    region_from_description: float = 0.9

    # -- name score (NameMatcher) ------------------------------------------------------------------
    #: Similarity of a token one edit away: words shorter than ``typo_long`` / longer.
    typo_short: float = 0.8
    typo_long: float = 0.9
    typo_long_from: int = 8
    #: Each further edit costs this much.
    typo_extra_edit: float = 0.1
    #: Similarity of one token spelling two of the other name's (``huafu`` / ``hua fu``).
    joined: float = 0.95
    #: Similarity of two spellings of one name from another script (Sergey / Sergei, Meem / Mim, or a
    #: Latin spelling against the consonants Arabic script writes: Melli / ملی).
    transliteration: float = 0.92
    #: Similarity of an acronym and the words it abbreviates.
    acronym: float = 0.9
    #: A misspelt word plus an unmatched word elsewhere (tuned).
    fuzzy_with_leftover: float = 0.9
    #: A word replaced by another on both sides (tuned).
    replaced_word: float = 0.85
    #: A distinctive word missing on one side (tuned).
    missing_word: float = 0.95
    #: A short name whose every word is found in a longer one, the extra words being a qualifier
    #: (region, country, generic word): ``Faberlic`` / ``Faberlic Europe`` (tuned).
    qualifier_extra: float = 0.97
    #: Ceiling when names share only generic words.
    generic_only_cap: float = 0.4
    #: A number on one side only, or two different numbers (``Management Company 23``).
    number_differs_cap: float = 0.6
    #: Ceiling when the only distinctive words of both names are different words one letter apart,
    #: or pinyin / Chinese names differing in one syllable (another company).
    brand_differs_cap: float = 0.6
    #: Ceiling when the only brand word of both names is one letter apart by an edit that is not a
    #: typing error (a distant key, a letter added that doubles nothing: Biopro / Bioprop): ``review``
    #: by the name alone; an agreeing origin and address (``country_agrees`` + ``address_agrees``)
    #: lift it to ``hit``.
    brand_substitution_cap: float = 0.8
    #: A short word (under ``typo_long_from`` letters) one letter from the listed word is another word,
    #: not a typo, when it is an English word at least this common (Zipf frequency, log10 per billion
    #: words, from ``gazetteer/data/common_words_en.txt``): Carmel / Camel (3.2), Axon / Avon (2.7),
    #: while Dago (2.0) for Daqo and Avom (none) for Avon stay typos (tuned).
    common_word_zipf: float = 2.5
    #: Whole-name comparison without spaces: score 1 minus this per edit.
    compact_edit: float = 0.04

    @property
    def review_threshold(self) -> float:
        return self.threshold - self.review_margin

    def with_values(self, **values: Any) -> ScoringConfig:
        """A copy with some values changed (``bench`` tuning); unknown names raise ``TypeError``."""
        known = {f.name for f in fields(self)}
        unknown = set(values) - known
        if unknown:
            raise TypeError(f"unknown scoring value(s): {', '.join(sorted(unknown))}")
        return replace(self, **values)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULT_SCORING = ScoringConfig()
