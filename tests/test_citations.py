"""The anchoring of quotes in source texts: pure functions, no database."""

import re

import pytest

from positions.citations import (
    MAX_SHOWN,
    Anchor,
    QuoteAmbiguous,
    QuoteNotFound,
    anchor,
    closest_passage,
    compare,
    fold_typography,
    normalise,
    occurrences,
    typographic_kinds,
    typographic_note,
    verify,
    word_diff,
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


def test_repeated_passage_is_ambiguous_keeps_the_offsets_for_code_but_tells_people_none():
    with pytest.raises(QuoteAmbiguous) as info:
        anchor(TEXT, "NATO does not share this perspective.")
    first, second = (m.start() for m in re.finditer("NATO does not", TEXT))
    assert info.value.starts == [first, second]
    message = str(info.value)
    assert "quote occurs 2 times" in message and "add a prefix or suffix" in message
    assert "offset" not in message and str(first) not in message and str(second) not in message


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


# --------------------------------------------------------------------------- a quote not found


def test_word_diff_marks_the_words_only_in_the_quote_and_only_in_the_passage():
    assert word_diff("they follow their own rules today", "they follow their own logic today") == [
        ("equal", "they follow their own"),
        ("delete", "rules"),
        ("insert", "logic"),
        ("equal", "today"),
    ]
    assert word_diff("NATO said no", "NATO never said no") == [
        ("equal", "NATO"),
        ("insert", "never"),
        ("equal", "said no"),
    ]
    assert word_diff("NATO clearly said no", "NATO said no") == [
        ("equal", "NATO"),
        ("delete", "clearly"),
        ("equal", "said no"),
    ]


def test_folding_typography_keeps_every_offset():
    text = "‘a’ “b” c‐d e–f g—h i−j k‒l"
    assert fold_typography(text) == "'a' \"b\" c-d e-f g-h i-j k-l"
    assert len(fold_typography(text)) == len(text)


@pytest.mark.parametrize(
    "quote, passage, kinds",
    [
        ("Moscow's demand", "Moscow’s demand", ("quotes",)),
        ('its "binding" demands', "its “binding” demands", ("quotes",)),
        ("short- or long-term - or not", "short‐ or long–term — or not", ("dashes",)),
        ("Moscow's 2021-2022 demand", "Moscow’s 2021–2022 demand", ("quotes", "dashes")),
        ("Moscow's demand", "Moscow’s demands", ()),  # a word differs too
        ("Moscow’s demand", "Moscow’s demand", ()),  # nothing differs
    ],
)
def test_typographic_kinds_names_what_alone_differs(quote, passage, kinds):
    assert typographic_kinds(quote, passage) == kinds


def test_typographic_note_says_the_words_match():
    assert typographic_note(("quotes",)) == (
        "The words match; only curly versus straight quotes differ: use the source's characters."
    )
    assert "only kinds of dash differ" in typographic_note(("dashes",))


def test_a_quote_typed_with_straight_quotes_finds_the_exact_curly_passage():
    with pytest.raises(QuoteNotFound) as info:
        anchor(TEXT, 'its "binding" demands: not to expand')
    mismatch = info.value.mismatch
    assert mismatch.typographic == ("quotes",)
    assert mismatch.passage == "its “binding” demands: not to expand"
    # Folding quotes maps one character to one: the offsets are the passage's in the source.
    assert (
        TEXT[mismatch.anchor.start : mismatch.anchor.end] == "its “binding” demands:\nnot to expand"
    )
    assert mismatch.diff == [
        ("equal", "its"),
        ("delete", '"binding"'),
        ("insert", "“binding”"),
        ("equal", "demands: not to expand"),
    ]
    assert "only curly versus straight quotes differ" in str(info.value)


def test_a_long_wrong_quote_is_compared_whole_with_the_whole_passage():
    source = "Preamble. " + " ".join(f"word{i}" for i in range(40)) + " Epilogue."
    quote = " ".join(f"word{i}" if i != 30 else "typo" for i in range(40))
    mismatch = compare(source, quote)
    assert len(quote) > 90
    assert mismatch.passage == " ".join(f"word{i}" for i in range(40))
    assert mismatch.diff == [
        ("equal", " ".join(f"word{i}" for i in range(30))),
        ("delete", "typo"),
        ("insert", "word30"),
        ("equal", " ".join(f"word{i}" for i in range(31, 40))),
    ]
    assert mismatch.typographic == () and mismatch.anchor is None


def test_the_closest_passage_takes_in_the_words_a_quote_leaves_out():
    text = "Before it all. Russia wants written and legally binding security guarantees now. After."
    quote = "Russia wants binding security guarantees now."
    assert (
        closest_passage(text, quote)
        == "Russia wants written and legally binding security guarantees now."
    )
    assert word_diff(quote, closest_passage(text, quote)) == [
        ("equal", "Russia wants"),
        ("insert", "written and legally"),
        ("equal", "binding security guarantees now."),
    ]


def test_a_quote_ruled_out_only_by_its_prefix_is_reported_with_its_occurrences():
    with pytest.raises(QuoteNotFound) as info:
        anchor(TEXT, "NATO does not share this perspective.", prefix="Washington said")
    mismatch = info.value.mismatch
    assert [o.prefix for o in mismatch.elsewhere] == ["nations.", "new."]
    assert "not with the prefix or suffix given" in str(info.value)


def test_nothing_alike_gives_no_passage():
    mismatch = compare(TEXT, "completely unrelated words about cooking pasta")
    assert mismatch.passage == "" and mismatch.diff == []


# --------------------------------------------------------------------------- an ambiguous quote


def test_each_occurrence_comes_with_its_context_and_the_words_that_pick_it_out():
    first, second = occurrences(TEXT, "NATO does not share this perspective.")
    assert first.before == "… not to expand NATO into former Soviet nations. "
    assert first.after == " Moscow’s demand is old. Moscow's demand is new. …"
    assert (first.prefix, first.suffix) == ("nations.", "")
    assert second.before.endswith("Moscow's demand is new. ") and second.after == ""
    assert (second.prefix, second.suffix) == ("new.", "")
    for occurrence in (first, second):
        assert occurrence.passage == "NATO does not share this perspective."
        found = anchor(TEXT, occurrence.passage, occurrence.prefix, occurrence.suffix)
        assert found == occurrence.anchor


def test_the_words_after_pick_out_an_occurrence_when_the_words_before_cannot():
    text = "He said: yes we can, first. He said: yes we can, second. Then: yes we can."
    found = occurrences(text, "yes we can")
    assert [(o.prefix, o.suffix) for o in found] == [
        ("", ", first."),
        ("", ", second."),
        ("Then:", ""),
    ]
    for o in found:
        assert anchor(text, o.passage, o.prefix, o.suffix) == o.anchor


def test_occurrences_with_the_same_words_around_cannot_be_told_apart():
    text = " ".join(["same words here"] * 30)
    found = occurrences(text, "words")
    assert len(found) == MAX_SHOWN
    assert not any(o.distinct for o in found[1:-1])


def test_an_ambiguous_quote_carries_its_occurrences_after_the_prefix_given():
    text = "A: no deal. B: no deal. A: no deal."
    with pytest.raises(QuoteAmbiguous) as info:
        anchor(text, "no deal.", prefix="A:")
    assert [o.anchor.start for o in info.value.occurrences] == [3, 27]
    assert [o.suffix for o in info.value.occurrences] == ["B:", ""]
