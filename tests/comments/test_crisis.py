"""Crisis language is found however it is spelled, and ordinary sentences are left alone."""

import pytest

from comments import crisis


@pytest.mark.parametrize("text, expected", [
    ("I want to k i l l myself", "k i l l myself"),
    ("gonna kil1 myself tonight", "kil1 myself"),
    ("I want to ki\u200bll my\u200dself", "kill myself"),
    ("I want to k\u0456ll myself", "kill myself"),  # Cyrillic і
    ("thinking about sui\u0441ide", "suicide"),  # Cyrillic с
    ("\uff33\uff35\uff29\uff23\uff29\uff24\uff25 again", "suicide"),  # fullwidth
    ("k\u0336i\u0336l\u0336l\u0336 myself", "kill myself"),  # struck through with combining marks
    ("I want to unalive myself", "unalive"),
    ("been thinking about unaliving", "unaliving"),
    ("honestly kms", "kms"),
    ("$u1c1d3 is on my mind", "$u1c1d3"),
    ("I w4nt t0 d1e", "w4nt t0 d1e"),
    ("i dont want to live", "dont want to live"),
    ("k.i.l.l m.y.s.e.l.f", "k.i.l.l m.y.s.e.l.f"),
    ("thinking of s e w e r s l i d e", "s e w e r s l i d e"),
    ("I want to kíll myself", "kill myself"),
    ("I ran 5 kms and I want to die", "want to die"),
])
def test_crisis_language_is_found_through_spacing_swaps_and_lookalikes(text, expected):
    assert crisis.find(text) == expected


@pytest.mark.parametrize("text", [
    "I learned those skills myself",
    "Those skills myself and my sister picked up slowly",
    "This killer workout nearly did me in",
    "My therapist helped me end my lifelong fear of flying",
    "I hurt my self-esteem by comparing myself to others",
    "I ran 10 kms today and feel great",
    "I'm dying to try the new recipe",
    "We climbed Kilimanjaro ourselves",
    "Cutting my losses and moving on",
    "I feel 100% better, thank you",
    "Self-harmony is the name of the yoga class",
    "The whole film was overdosed on sentiment",
    "My doctor said 5 mg is the dose for me",
    "Skiing made me feel alive again",
    "She is the kindest soul I know",
])
def test_ordinary_sentences_are_not_crisis_language(text):
    assert crisis.find(text) is None


def test_the_list_stays_data_and_holds_the_community_terms():
    phrases = crisis.load_phrases()
    assert {"unalive", "kms", "sewer slide"} <= set(phrases)
    assert "kill myself" in phrases
