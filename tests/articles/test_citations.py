"""The house APA Reference and the name rules under it, as pure functions: no database."""

import datetime

from articles.citations import (
    Name, apa_authors, apa_name, house_apa, initialize, parse_name, person_name, plain_text, rich_text, romanesque,
)

TODAY = datetime.date(2026, 11, 23)


def reference(names, published=datetime.date(2012, 10, 24)):
    return house_apa(names=names, published=published, title="Baclofen in PTSD Treatment",
                     site_name="HealthyPlace", url="https://example.org/a/", retrieved=TODAY)


def test_one_author():
    assert reference([Name("Rosenthal", "Michele")]) == (
        "Rosenthal, M. (2012, October 24). Baclofen in PTSD Treatment, HealthyPlace. "
        "Retrieved on 2026, November 23 from https://example.org/a/"
    )


def test_middle_names_give_an_initial_each():
    assert apa_name(Name("Smith", "John Adam")) == "Smith, J. A."


def test_hyphenated_given_names_keep_the_hyphen():
    assert apa_name(Name("Lee", "Jean-Paul")) == "Lee, J.-P."


def test_particle_stays_with_the_family_name():
    assert apa_name(Name("van Gogh", "Vincent Willem")) == "van Gogh, V. W."


def test_suffix_follows_the_initials():
    assert apa_name(Name("King", "Martin Luther", suffix="Jr.")) == "King, M. L., Jr."


def test_non_ascii_initials():
    assert apa_name(Name("Ólafsson", "Ásta Björk")) == "Ólafsson, Á. B."


def test_two_authors_are_joined_with_an_ampersand():
    assert apa_authors([Name("Rosenthal", "Michele"), Name("Lee", "Jean-Paul")]) == "Rosenthal, M., & Lee, J.-P."


def test_three_authors_have_a_serial_comma_before_the_ampersand():
    names = [Name("A", "Ann"), Name("B", "Bob"), Name("C", "Cy")]
    assert apa_authors(names) == "A, A., B, B., & C, C."


def test_twenty_authors_are_all_listed():
    names = [Name(f"Family{i}", "Given") for i in range(1, 21)]
    text = apa_authors(names)
    assert text.count("Family") == 20
    assert text.endswith(", & Family20, G.")


def test_past_twenty_authors_list_nineteen_an_ellipsis_and_the_last():
    names = [Name(f"Family{i}", "Given") for i in range(1, 26)]
    text = apa_authors(names)
    assert text.count("Family") == 20
    assert "Family19, G., . . . Family25, G." in text
    assert "&" not in text


def test_organization_is_printed_whole_and_closed_with_a_period():
    assert reference([Name(literal="National Center for PTSD")]).startswith(
        "National Center for PTSD. (2012, October 24). Baclofen"
    )


def test_no_date_is_nd():
    assert reference([Name("Rosenthal", "Michele")], published=None).startswith("Rosenthal, M. (n.d.). Baclofen")


# APA 7 name rules as the APA style file has citeproc-js apply them (tests/articles/
# test_csl_citeproc_js.py checks every case of its batch against citeproc-js's own APA 7).

def test_unspaced_initials_are_spaced():
    assert apa_authors([Name("Tolkien", "J.R.R."), Name("Kirk", "James T.")]) == "Tolkien, J. R. R., & Kirk, J. T."


def test_cjk_names_are_written_whole_family_name_first():
    assert reference([Name("李", "小龙")]).startswith("李小龙. (2012, October 24). Baclofen")
    assert apa_name(Name("山田", "太郎")) == "山田太郎"
    assert apa_name(Name("김", "민준")) == "김민준"


def test_arabic_and_hebrew_given_names_give_an_initial():
    assert apa_name(Name("الخوارزمي", "محمد")) == "الخوارزمي, م."
    assert apa_name(Name("כהן", "דוד")) == "כהן, ד."


def test_particles_stay_in_front_joined_after_an_apostrophe_or_hyphen():
    assert apa_name(Name("d'Alembert", "Jean")) == "d'Alembert, J."
    assert apa_name(Name("al-Ghazali", "Abu Hamid")) == "al-Ghazali, A. H."
    assert apa_name(Name("de la Cruz", "Juana Inés")) == "de la Cruz, J. I."


def test_dropping_particle_follows_the_initials():
    assert apa_name(Name("Beethoven", "Ludwig van")) == "Beethoven, L. van"


def test_suffix_typed_after_a_comma_in_the_given_names():
    assert apa_name(Name("Davis", "Sammy, Jr.")) == "Davis, S., Jr."


# The name rules themselves, as citeproc-js has them.

def test_initialize_with_and_without_initializing():
    assert initialize("J.R.R.", ". ") == "J. R. R."
    assert initialize("Jean-Paul", ". ") == "J.-P."
    assert initialize("John Adam", ". ") == "J. A."
    assert initialize("小龙", ". ") == "小龙"
    assert initialize("J.R.R.", ". ", normalize_only=True) == "J. R. R."
    assert initialize("James T", ". ", normalize_only=True) == "James T."
    assert initialize("Jean-Paul", ". ", normalize_only=True) == "Jean-Paul"


def test_parse_name_splits_particles_and_suffixes_as_citeproc_js_does():
    assert parse_name({"family": "d'Alembert", "given": "Jean"}) == {
        "family": "Alembert", "given": "Jean", "non-dropping-particle": "d'"}
    assert parse_name({"family": "van der Berg", "given": "Anna"}) == {
        "family": "Berg", "given": "Anna", "non-dropping-particle": "van der"}
    assert parse_name({"family": "Beethoven", "given": "Ludwig van"}) == {
        "family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"}
    assert parse_name({"family": "Davis", "given": "Sammy, Jr."}) == {
        "family": "Davis", "given": "Sammy", "suffix": "Jr."}
    assert parse_name({"family": "O'Brien", "given": "Seán"}) == {"family": "O'Brien", "given": "Seán"}
    # Without given names citeproc-js leaves the name as it is.
    assert parse_name({"family": "van Gogh"}) == {"family": "van Gogh"}


def test_romanesque_tells_names_written_whole():
    assert [romanesque("李", "小龙"), romanesque("李", "Bruce"), romanesque("כהן", "דוד"), romanesque("Lee")] == [0, 1, 2, 2]


def test_person_name_in_each_order():
    dalembert = {"family": "Alembert", "given": "Jean", "non-dropping-particle": "d'"}
    assert person_name(dalembert, inverted=True) == "d'Alembert, Jean"
    assert person_name(dalembert, inverted=True, demote_particle=True) == "Alembert, Jean d'"
    assert person_name(dalembert, inverted=False) == "Jean d'Alembert"
    assert person_name({"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
                       inverted=False, short=True) == "van Gogh"
    assert person_name({"family": "李", "given": "小龙"}, inverted=False) == "李小龙"


# Titles are plain text; CSL-JSON carries them as rich text that citeproc-js prints literally.

def test_rich_text_keeps_markup_literal_and_plain_text_reverses_it():
    title = 'Reading <i>Moby Dick</i> in <span class="nocase">therapy</span> <script>'
    rich = rich_text(title)
    assert rich == (
        'Reading <span class="nocase"><</span><span class="nocase">i></span>Moby Dick'
        '<span class="nocase"><</span><span class="nocase">/i></span> in '
        '<span class="nocase"><</span>span class="nocase">therapy'
        '<span class="nocase"><</span><span class="nocase">/span></span> <script>'
    )
    assert plain_text(rich) == title
    assert rich_text("Baclofen in PTSD Treatment") == "Baclofen in PTSD Treatment"
