"""Shared pages are compressed once, when the page cache keeps them, and each request gets the form it accepts."""

import datetime
import gzip
from unittest import mock

import brotli
import pytest
import time_machine
from django.test import Client
from django.utils.text import compress_string

from healthsite import cdn
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("header, chosen", [
    ("br, gzip", "br"),
    ("gzip, deflate, br, zstd", "br"),
    ("gzip", "gzip"),
    ("br;q=0.5, gzip;q=1.0", "gzip"),
    ("gzip;q=0, br;q=0", ""),
    ("identity", ""),
    ("", ""),
    ("*", "br"),
    ("*;q=0.1, gzip", "gzip"),
    ("BR;Q=0.9", "br"),
    ("br;q=nonsense, gzip", "gzip"),
])
def test_the_encoding_is_the_one_the_client_weighs_most(header, chosen):
    assert cdn.accepted_encoding(header) == chosen


def page(article, encoding):
    return Client().get(article.get_absolute_url(), headers={"accept-encoding": encoding} if encoding else {})


def test_each_encoding_decodes_to_the_same_page_with_its_own_etag():
    article = ArticleFactory()
    CommentFactory.create_batch(30, article=article, body="Words that repeat on a long page. " * 5)
    plain = page(article, "")
    assert "Content-Encoding" not in plain and plain["Vary"] == "Accept-Encoding"
    br, gz = page(article, "br, gzip"), page(article, "gzip")
    assert (br["Content-Encoding"], gz["Content-Encoding"]) == ("br", "gzip")
    assert brotli.decompress(br.content) == plain.content
    assert gzip.decompress(gz.content) == plain.content
    assert len(br.content) < len(gz.content) < len(plain.content) / 4
    assert int(br["Content-Length"]) == len(br.content)
    etags = [plain["ETag"], br["ETag"], gz["ETag"]]
    assert len(set(etags)) == 3 and etags[1] == etags[0][:-1] + '-br"'
    assert Client().get(article.get_absolute_url(), headers={
        "accept-encoding": "gzip", "if-none-match": gz["ETag"]}).status_code == 304
    assert Client().get(article.get_absolute_url(), headers={
        "accept-encoding": "br", "if-none-match": gz["ETag"]}).status_code == 200


@time_machine.travel(datetime.datetime(2026, 6, 1, 16, 0, tzinfo=datetime.UTC), tick=False)  # not at midnight
def test_a_cached_page_is_compressed_once_not_per_request():
    article = ArticleFactory()
    with mock.patch("brotli.compress", wraps=brotli.compress) as brotli_compress, \
            mock.patch("gzip.compress", wraps=gzip.compress) as gzip_compress, \
            mock.patch("django.middleware.gzip.compress_string") as per_request:
        responses = [page(article, "br, gzip"), *(page(article, encoding) for encoding in ["br", "gzip", "gzip"] * 3)]
    assert [response["X-Page-Cache"] for response in responses] == ["miss"] + ["hit"] * 9
    assert (brotli_compress.call_count, gzip_compress.call_count) == (1, 1)
    assert per_request.call_count == 0  # Django's GZipMiddleware left the compressed page alone


def test_a_page_rendered_for_one_reader_is_compressed_per_request():
    article = ArticleFactory()
    CommentFactory.create_batch(10, article=article)
    client = Client()
    client.force_login(UserFactory())
    with mock.patch("django.middleware.gzip.compress_string", wraps=compress_string) as per_request:
        response = client.get(article.get_absolute_url(), headers={"accept-encoding": "gzip"})
    assert per_request.call_count == 1
    assert response["Content-Encoding"] == "gzip" and response["Cache-Control"] == "private"
    assert b"Leave a reply" in gzip.decompress(response.content)
