"""Lists by page: the opaque cursor, the bounds of `limit` and the keyset read behind them."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from shared.http import pages
from shared.persistence.keyset import BadCursor, Page, Paged, read_page

md = sa.MetaData()
things = sa.Table(
    "things",
    md,
    sa.Column("id", sa.String(20), primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
)
ROWS = [
    {"id": f"t{i:02d}", "name": ["Vĩnh Hải", "An Bình", "Ân", "vinh"][i % 4], "year": 2024 + i % 3}
    for i in range(23)
]


def raw_cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@given(
    st.lists(
        st.one_of(st.integers(-(2**31), 2**31 - 1), st.text(max_size=40).filter(str.isprintable)),
        min_size=1,
        max_size=4,
    )
)
def test_a_cursor_gives_back_the_key_it_was_made_from(key):
    cursor = pages.encode(tuple(key))
    assert cursor.isascii() and "=" not in cursor
    assert pages.decode(cursor) == tuple(key)


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "bm90IGpzb24",  # "not json"
        raw_cursor({"a": 1}),
        raw_cursor([]),
        raw_cursor([1.5]),
        raw_cursor([True]),
        raw_cursor([None]),
        raw_cursor([[1]]),
        raw_cursor([2**40]),
        raw_cursor(["x" * 500]),
        raw_cursor(list(range(9))),
        raw_cursor(["a\x00b"]),
        base64.urlsafe_b64encode(b'["\\ud800"]').decode(),  # a lone surrogate
        base64.urlsafe_b64encode(b"[" * 700).decode(),
        "Vĩnh Hải",
        "A" * 1025,
    ],
)
def test_a_garbage_or_forged_cursor_is_a_422_naming_cursor_never_a_crash(cursor):
    with pytest.raises(BadCursor) as refused:
        pages.decode(cursor)
    assert refused.value.status == 422
    assert "cursor" in refused.value.errors["query"]
    assert "cursor" in refused.value.message


@pytest.mark.parametrize(
    ("given", "expected"), [({}, 50), ({"limit": "1"}, 1), ({"limit": "200"}, 200)]
)
def test_limit_defaults_to_50_and_goes_up_to_200(given, expected):
    assert pages.PageQuery().load(given)["limit"] == expected


@pytest.mark.parametrize("limit", ["0", "-1", "201", "100000", "abc"])
def test_a_limit_outside_1_to_200_is_refused_with_a_message_naming_it(limit):
    with pytest.raises(ValidationError) as refused:
        pages.PageQuery().load({"limit": limit})
    assert "limit" in refused.value.messages


@pytest.fixture
def conn(sqlite_url):
    engine = sa.create_engine(sqlite_url)
    md.create_all(engine)
    with engine.begin() as c:
        c.execute(things.insert(), ROWS)
    with engine.connect() as c:
        yield c
    engine.dispose()


def every_page(conn, order, limit, pick=None):
    seen, page = [], Page(limit)
    while True:
        paged = read_page(conn, sa.select(things), order, page, pick)
        assert len(paged.items) <= limit
        seen.append([r.id for r in paged.items])
        if paged.next_key is None:
            return seen
        page = Page(limit, pages.decode(pages.encode(paged.next_key)))


@pytest.mark.parametrize("limit", [1, 2, 5, 22, 23, 24, 200])
@pytest.mark.parametrize(
    "order",
    [
        (things.c.name, things.c.id),
        (things.c.year.desc(), things.c.id),
        (things.c.year, things.c.name.desc(), things.c.id.desc()),
    ],
)
def test_following_the_keys_visits_each_row_once_in_the_order_of_one_read(conn, order, limit):
    whole = [r.id for r in conn.execute(sa.select(things).order_by(*order))]
    seen = every_page(conn, order, limit)
    assert [i for page in seen for i in page] == whole
    assert all(len(page) == limit for page in seen[:-1])


def test_rows_left_out_by_the_filter_neither_fill_nor_end_a_page(conn):
    order = (things.c.name, things.c.id)
    kept = [r.id for r in conn.execute(sa.select(things).order_by(*order)) if r.year == 2025]

    def pick(row):
        return row if row.year == 2025 else None

    seen = every_page(conn, order, 3, pick)
    assert [i for page in seen for i in page] == kept
    assert all(len(page) == 3 for page in seen[:-1])


@pytest.mark.parametrize("key", [("x",), ("x", "y", "z"), (1, "t01"), ("a", 2)])
def test_a_cursor_of_another_list_is_refused(conn, key):
    with pytest.raises(BadCursor):
        read_page(conn, sa.select(things), (things.c.name, things.c.id), Page(5, key))


def test_the_next_link_is_this_requests_ascii_address_with_the_new_cursor():
    app = Flask("pages")
    path = "/api/v1/units/%C4%91%C6%A1n-v%E1%BB%8B/history?year=2025&limit=2&cursor=old"
    with app.test_request_context(path, base_url="https://antt.example.vn"):
        answered = pages.answer(Paged(["a", "b"], ("x", 1)))
    body, headers = answered
    assert body == ["a", "b"]
    link = headers["Link"]
    assert link.isascii()
    url = link.removeprefix("<").removesuffix('>; rel="next"')
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "antt.example.vn")
    assert unquote(parts.path) == "/api/v1/units/đơn-vị/history"
    query = parse_qs(parts.query)
    assert query["year"] == ["2025"] and query["limit"] == ["2"]
    assert pages.decode(query["cursor"][0]) == ("x", 1)


def test_the_last_page_has_no_link():
    app = Flask("pages")
    with app.test_request_context("/api/v1/cases"):
        assert pages.answer(Paged(["a"], None)) == ["a"]
