"""The anchoring of quotes in source texts: pure functions, no database."""

import pytest

from positions.citations import (
    Anchor,
    QuoteAmbiguous,
    QuoteNotFound,
    anchor,
    closest_passage,
    normalise,
    verify,
)

TEXT = (
    "Russia insisted that the talks focus on its “binding” demands:\n"
    "not to expand NATO into former Soviet nations.   NATO does not share this perspective.\n"
    "Moscow’s demand is old. Moscow's demand is new. NATO does not share this perspective."
)


def test_exact_match_gives_offsets_in_the_original_text():
    found = anchor(TEXT, "Russia insisted that the talks")
    assert found == Anchor(0, len("Russia insisted that the talks"))
    assert TEXT[found.start : found.end] == "Russia insisted that the talks"


def test_white_space_differences_are_folded():
    found = anchor(TEXT, "its “binding” demands: not to   expand\tNATO")
    assert TEXT[found.start : found.end] == "its “binding” demands:\nnot to expand NATO"


def test_runs_of_spaces_in_the_source_match_one_space():
    found = anchor(TEXT, "Soviet nations. NATO does not", suffix="share this perspective.\nMoscow")
    assert TEXT[found.start : found.end] == "Soviet nations.   NATO does not"


def test_curly_quotes_do_not_match_straight_ones():
    with pytest.raises(QuoteNotFound):
        anchor(TEXT, 'its "binding" demands')
    curly = anchor(TEXT, "Moscow’s demand is old")
    straight = anchor(TEXT, "Moscow's demand is new")
    assert TEXT[curly.start : curly.end] == "Moscow’s demand is old"
    assert TEXT[straight.start : straight.end] == "Moscow's demand is new"


def test_repeated_passage_is_ambiguous_and_names_both_offsets():
    with pytest.raises(QuoteAmbiguous) as info:
        anchor(TEXT, "NATO does not share this perspective.")
    assert len(info.value.starts) == 2
    assert "add a prefix or suffix" in str(info.value)


def test_prefix_resolves_an_ambiguous_passage():
    first = anchor(TEXT, "NATO does not share this perspective.", prefix="former Soviet nations.")
    second = anchor(TEXT, "NATO does not share this perspective.", prefix="demand is new.")
    assert first.start < second.start
    assert TEXT[second.start :] == "NATO does not share this perspective."


def test_suffix_resolves_an_ambiguous_passage():
    found = anchor(TEXT, "NATO does not share this perspective.", suffix="Moscow’s demand")
    assert found.start == TEXT.index("NATO does not share")


def test_a_prefix_that_matches_nothing_means_not_found():
    with pytest.raises(QuoteNotFound):
        anchor(TEXT, "NATO does not share this perspective.", prefix="Washington said")


def test_not_found_suggests_the_closest_passage():
    with pytest.raises(QuoteNotFound) as info:
        anchor(TEXT, "not to expand NATO into former Soviet countries")
    assert "not to expand NATO into former Soviet" in info.value.closest
    assert "closest passage" in str(info.value)


def test_empty_quote_is_not_found():
    with pytest.raises(QuoteNotFound):
        anchor(TEXT, "  \n ")


def test_verify_checks_the_text_at_the_offsets():
    found = anchor(TEXT, "its “binding” demands: not to expand")
    assert verify(TEXT, "its “binding” demands: not to expand", found.start, found.end)
    assert not verify(TEXT, "its “binding” demands: not to expand", found.start + 1, found.end)
    assert not verify(TEXT, "anything", 10, 5)
    assert not verify(TEXT, "anything", 0, len(TEXT) + 1)


def test_normalise_folds_and_strips():
    assert normalise("  a\n\n b\t c ") == "a b c"


def test_closest_passage_is_empty_when_nothing_is_alike():
    assert closest_passage("abcdefgh", "zzzzzzzzzzzz") == ""
