"""The house APA Reference, as pure functions: no database."""

import datetime

from articles.citations import Name, apa_authors, apa_name, house_apa

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
