"""One rule for ids from untrusted text: the path converter and the forms agree."""

import pytest
from django.urls import resolve, Resolver404

from healthsite import ids


@pytest.mark.parametrize("text, expected", [
    ("7", 7), (" 42 ", 42), ("999999999999999999", 999999999999999999),
    ("1000000000000000000", None), ("", None), (None, None), ("-1", None), ("1.5", None),
    ("١٢", None), ("12a", None), ("0x1f", None),
])
def test_parse_accepts_only_ids_that_fit_64_bits(text, expected):
    assert ids.parse(text) == expected


def test_the_path_converter_takes_what_parse_takes():
    assert resolve("/comments/999999999999999999/report/").kwargs == {"pk": 999999999999999999}
    with pytest.raises(Resolver404):
        resolve("/comments/1000000000000000000/report/")
