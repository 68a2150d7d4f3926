"""articles/csl.py against citeproc-js itself, the CSL processor Zotero uses: no database.

Every item below is rendered in APA 7, MLA 9 and Chicago by our renderer and, from the same
CSL-JSON and the same style files, by citeproc-js (@citation-js/core and @citation-js/plugin-csl
0.8.2 with citeproc 2.4.63, pinned in package.json) in one Node process for the whole batch
(tests/articles/citeproc_js.js). Plain text and HTML must be equal.

Without Node or the npm packages (`npm install`) these tests skip, saying so; in CI (the
environment variable CI set) they fail instead.
"""

import datetime
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from articles import csl
from articles.citations import Name, apa_authors, csl_item

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("citeproc_js.js")
PUBLISHED = datetime.date(2021, 3, 15)
TODAY = datetime.date(2026, 11, 23)
URL = "https://example.org/a/"
SEED_URL = "http://127.0.0.1:8000/blogs/traumaptsdblog/2012/10/baclofen-in-ptsd-treatment/"
TITLE = "Baclofen in PTSD Treatment"
ROSENTHAL = Name("Rosenthal", "Michele")

# id: (authors, title). Names in every script the site may meet, particles, suffixes,
# organizations, 1 to 21 authors, quotation marks, markup-looking text and title-case cases.
CASES = {
    "cjk-chinese": ([Name("李", "小龙")], TITLE),
    "cjk-japanese": ([Name("山田", "太郎")], TITLE),
    "korean": ([Name("김", "민준")], TITLE),
    "korean-two-syllable-family": ([Name("남궁", "민수")], TITLE),
    "arabic": ([Name("الخوارزمي", "محمد")], TITLE),
    "hebrew": ([Name("כהן", "דוד")], TITLE),
    "greek": ([Name("Παπαδόπουλος", "Γιώργος")], TITLE),
    "cyrillic": ([Name("Достоевский", "Фёдор Михайлович")], TITLE),
    "thai": ([Name("ชินวัตร", "ทักษิณ")], TITLE),
    "cjk-family-latin-given": ([Name("李", "Bruce")], TITLE),
    "cjk-and-latin-coauthors": ([Name("李", "小龙"), ROSENTHAL, Name("김", "민준")], TITLE),
    "initials-unspaced": ([Name("Tolkien", "J.R.R."), Name("Kirk", "James T.")], TITLE),
    "initials-spaced-and-bare": ([Name("Eliot", "T. S"), Name("Smith", "James T")], TITLE),
    "initials-hyphenated": ([Name("Sartre", "J.-P.")], TITLE),
    "hyphenated-given": ([Name("Lee", "Jean-Paul"), Name("Olsen", "Mary-Kate")], TITLE),
    "lowercase-after-hyphen": ([Name("Dupont", "Jean-marie")], TITLE),
    "particle-apostrophe": ([Name("d'Alembert", "Jean")], TITLE),
    "particle-van": ([Name("van Gogh", "Vincent Willem")], TITLE),
    "particle-van-der": ([Name("van der Berg", "Anna")], TITLE),
    "particle-de-la": ([Name("de la Cruz", "Juana Inés")], TITLE),
    "particle-von-der": ([Name("von der Leyen", "Ursula")], TITLE),
    "particle-hyphen": ([Name("al-Ghazali", "Abu Hamid")], TITLE),
    "dropping-particle": ([Name("Beethoven", "Ludwig van")], TITLE),
    "particles-after-the-first-author": (
        [ROSENTHAL, Name("d'Alembert", "Jean"), Name("van Gogh", "Vincent")], TITLE),
    "suffix-jr": ([Name("King", "Martin Luther", suffix="Jr.")], TITLE),
    "suffix-after-comma": ([Name("Davis", "Sammy, Jr.")], TITLE),
    "suffix-roman": ([Name("Gates", "William Henry", suffix="III")], TITLE),
    "apostrophe-family": ([Name("O'Brien", "Seán")], TITLE),
    "mc-and-mac": ([Name("McDonald", "Ronald"), Name("MacArthur", "Douglas")], TITLE),
    "non-ascii-latin": ([Name("Ólafsson", "Ásta Björk"), Name("Nguyễn", "Thị Minh Khai")], TITLE),
    "lowercase-name": ([Name("hooks", "bell")], TITLE),
    "organization": ([Name(literal="National Center for PTSD")], TITLE),
    "organization-ampersand": ([Name(literal="Substance Abuse & Mental Health Services Administration")], TITLE),
    "one-author": ([ROSENTHAL], TITLE),
    "three-authors": ([ROSENTHAL, Name("Lee", "Jean-Paul"), Name("Smith", "John Adam")], TITLE),
    "twenty-authors": ([Name(f"Family{i}", "Given") for i in range(1, 21)], TITLE),
    "twenty-one-authors": ([Name(f"Family{i}", "Given") for i in range(1, 22)], TITLE),
    "title-stop-words": ([ROSENTHAL], "how to talk to your kids about ptsd"),
    "title-hyphenated": ([ROSENTHAL], "self-care for first-responders: a guide"),
    "title-vs": ([ROSENTHAL], "PTSD vs. anxiety: what's the difference?"),
    "title-markup": ([ROSENTHAL], "Reading <i>Moby Dick</i> in therapy"),
    "title-script-tag": ([ROSENTHAL], "<script>alert(1)</script> & more <b>bold</b>"),
    "title-double-quotes": ([ROSENTHAL], 'Why "fight or flight" isn\'t the whole story'),
    "title-single-quotes": ([ROSENTHAL], "Why 'fight or flight' matters"),
    "title-curly-quotes": ([ROSENTHAL], "the “safe space” myth and ‘trigger’ words"),
    "title-quote-at-the-end": ([ROSENTHAL], 'what to say when someone says "I\'m fine"'),
    "title-ampersand": ([ROSENTHAL], "Q&A: living with PTSD & panic"),
    "title-question": ([ROSENTHAL], "is baclofen safe?"),
    "title-decade": ([ROSENTHAL], "the '90s and childhood trauma"),
    "title-all-caps-words": ([ROSENTHAL], "ARE YOU OK? a check-in guide"),
    "title-mixed-case-words": ([ROSENTHAL], "iPhone apps for anxiety: an e-mail primer"),
    "title-brackets": ([ROSENTHAL], "stress (and how to beat it) [updated]"),
    "title-em-dash": ([ROSENTHAL], "grief—and what comes after"),
    "title-ends-in-a-stop-word": ([ROSENTHAL], "what trauma is made of"),
    "title-plural-possessive": ([ROSENTHAL], "mothers' and fathers' grief"),
    "title-slash-and-colon": ([ROSENTHAL], "one/two steps: a how-to"),
    "title-cjk": ([Name("李", "小龙")], "创伤后应激障碍的治疗"),
}


def item(case: str) -> dict:
    names, title = CASES[case]
    return csl_item(key=case, names=names, title=title, container_title="Trauma! A PTSD Blog",
                    publisher="HealthyPlace", url=URL, published=PUBLISHED, accessed=TODAY)


ITEMS = {case: item(case) for case in CASES}
ITEMS["seed-article"] = csl_item(key="seed-article", names=[ROSENTHAL], title=TITLE,
                                 container_title="Trauma! A PTSD Blog", publisher="HealthyPlace", url=SEED_URL,
                                 published=datetime.date(2012, 10, 24), accessed=TODAY)
ITEMS["cjk-blog-and-publisher"] = csl_item(key="cjk-blog-and-publisher", names=[Name("李", "小龙")],
                                           title="创伤后应激障碍的治疗", container_title="创伤博客", publisher="健康之地",
                                           url=URL, published=PUBLISHED, accessed=TODAY)
ITEMS["mixed-script-blog"] = csl_item(key="mixed-script-blog", names=[Name("김", "민준")], title="PTSD 치료",
                                      container_title="트라우마 Blog", publisher="HealthyPlace", url=URL,
                                      published=PUBLISHED, accessed=TODAY)
ITEMS["undated"] = csl_item(key="undated", names=[ROSENTHAL], title=TITLE, container_title="Trauma! A PTSD Blog",
                            publisher="HealthyPlace", url=URL, published=None, accessed=TODAY)


def _unavailable(reason: str):
    """Skip, saying why; in CI, where the packages are installed, fail instead."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{reason} (CI is set, so citeproc-js must be there)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def citeproc_js() -> dict:
    """Render every item in every style with citeproc-js, in one Node process."""
    node = shutil.which("node")
    if node is None:
        _unavailable("Node.js is not installed; citeproc-js cannot run")
    styles = [str(csl.STYLES_DIR / style.file) for style in csl.STYLES]
    result = subprocess.run([node, str(SCRIPT), *styles], input=json.dumps(list(ITEMS.values())),
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    if result.returncode == 3:
        _unavailable(result.stderr.strip())
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    return {
        "versions": output["versions"],
        "items": {
            key: {style.key: rendered[path] for style, path in zip(csl.STYLES, styles)}
            for key, rendered in zip(ITEMS, output["results"])
        },
    }


def canonical_html(markup: str) -> str:
    """Return HTML with its text escaped one way (citeproc-js writes &#38; where we write &amp;)."""
    return "".join(
        part if part.startswith("<") else html.escape(html.unescape(part), quote=False)
        for part in re.split(r"(<[^>]+>)", markup)
    )


def test_citeproc_js_is_the_pinned_release(citeproc_js):
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    assert citeproc_js["versions"] == {
        "@citation-js/core": pinned["@citation-js/core"],
        "@citation-js/plugin-csl": pinned["@citation-js/plugin-csl"],
        "citeproc": locked["node_modules/citeproc"]["version"],
    } == {"@citation-js/core": "0.8.2", "@citation-js/plugin-csl": "0.8.2", "citeproc": "2.4.63"}


def test_the_batch_holds_at_least_forty_hard_items():
    assert len(ITEMS) >= 40


@pytest.mark.parametrize("style", csl.STYLES, ids=lambda style: style.key)
@pytest.mark.parametrize("case", list(ITEMS))
def test_equal_to_citeproc_js(citeproc_js, case, style):
    ours = csl.render(ITEMS[case], style)
    theirs = citeproc_js["items"][case][style.key]
    assert ours.text == theirs["text"]
    assert canonical_html(ours.html) == canonical_html(theirs["html"])


@pytest.mark.parametrize("case", [case for case, (names, _title) in CASES.items() if len(names) <= 20])
def test_house_apa_authors_are_written_as_citeproc_js_writes_apa_7(citeproc_js, case):
    names, _title = CASES[case]
    lead = apa_authors(names)
    lead = lead if lead.endswith(".") else lead + "."
    # The house line keeps the text's own apostrophes; citeproc-js prints them typographic.
    assert citeproc_js["items"][case]["apa"]["text"].startswith(lead.replace("'", "’") + " (2021, March 15).")
