"""Lists in the API: the same paging, formats and errors for every list.

Every list endpoint (registered with :meth:`ApiBlueprint.listing`) answers:

- **Paging**: ``page`` (from 1) and ``per_page`` (default :data:`DEFAULT_PER_PAGE`, at most
  :data:`MAX_PER_PAGE`). The body stays a plain JSON array; the page's place in the whole
  is in two headers: ``X-Pagination`` (flask-smorest's JSON object: ``total``,
  ``total_pages``, ``first_page``, ``last_page``, ``page``, ``previous_page``,
  ``next_page``) and ``Link`` (RFC 8288: the URLs of the ``first``, ``prev``, ``next`` and
  ``last`` pages, as GitHub's API gives them). A page past the last is an empty array.
- **CSV**: the same URL with ``.csv`` added (``/actions.csv``), or the list's URL asked for
  with ``Accept: text/csv``, gives the same rows as a CSV file (see :mod:`core.api.tables`).
  The same filters apply. A spreadsheet user wants the whole list in one file, so a CSV
  request without ``page`` or ``per_page`` gives every row that matches; with either, it
  gives exactly the page the JSON would.
- **Filters** (where the list has any): query parameters validated by a marshmallow
  schema; a bad value is a 422 whose JSON body names the parameter
  (``{"errors": {"query": {"status": ["Must be one of: ..."]}}}``), as is a bad ``page``.

A list may give its page as :class:`PageReads`, read once the format is known: as JSON,
its items (or their lists) may then be written by the database
(:mod:`core.database_json`; a :class:`Paged` list made with ``written``).

flask-smorest's own pagination gives the ``X-Pagination`` header and documents it; this
blueprint keeps that and changes what it lacks: the parameter is ``per_page`` (its own is
``page_size``), ``page`` has a maximum (an offset past what the database's integers hold
would be a server error), a ``Link`` header is added, and a CSV download may ask for all
rows.
"""

from __future__ import annotations

import http
import json
from collections.abc import Callable, Mapping, Sequence
from copy import deepcopy
from functools import lru_cache, partial
from typing import Any, TypeVar
from urllib.parse import urlencode

import marshmallow as ma
from flask import Response, current_app, g, jsonify, request
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationMetadataSchema, PaginationParameters
from orjson import Fragment
from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    Numeric,
    Select,
    Text,
    bindparam,
    cast,
    func,
    select,
)
from werkzeug.sansio.utils import get_current_url

from core import row_reads
from core.api import dumping
from core.api.query_parser import QueryParser
from core.api.tables import CSV_MIMETYPE, csv_body_of_lines, csv_body_of_objects, line_writer
from core.database_json import json_of
from core.downloads import attachment
from core.extensions import db
from core.json_provider import loads as json_loads
from core.page_cache import chosen_format
from core.revision_notices import remembered
from core.widgets import keyed_memo

#: Rows on a page unless ``per_page`` says otherwise, and the most it may ask for.
DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 500
#: The highest page number accepted (with :data:`MAX_PER_PAGE`, 50 million rows in).
MAX_PAGE = 100_000
#: The page size that stands for "every row" (a CSV download without paging parameters).
ALL_ROWS = 1_000_000_000

#: How a CSV body is described in the OpenAPI document.
CSV_SCHEMA = {"type": "string", "description": "A CSV file (UTF-8 with a byte order mark), "
              "a header row then one row per item, as the JSON array's items."}

T = TypeVar("T")


class PagingSchema(ma.Schema):
    """The paging parameters of every list."""

    class Meta:
        unknown = ma.EXCLUDE

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE),
                             metadata={"description": "The page to give, from 1."})
    per_page = ma.fields.Integer(
        load_default=DEFAULT_PER_PAGE, validate=ma.validate.Range(min=1, max=MAX_PER_PAGE),
        metadata={"description": f"Items per page (at most {MAX_PER_PAGE})."})

    @ma.post_load
    def _parameters(self, data: dict[str, int], **_: Any) -> PaginationParameters:
        return PaginationParameters(data["page"], data["per_page"])


#: The paging parameters' schema, made once: a schema keeps nothing between loads, and
#: webargs would make one from the class on every request.
_PAGING = PagingSchema()


@lru_cache(maxsize=4096)
def _page_metadata(page: int, page_size: int, item_count: int) -> tuple[str, dict[str, int]]:
    """flask-smorest's pagination metadata (made by its own method, which builds a schema
    to dump it on every call: about a tenth of a millisecond), as the header's JSON and
    as the object, kept by page, page size and item count."""
    meta = Blueprint._make_pagination_metadata(page, page_size, item_count)
    return json.dumps(meta), meta


def wants_csv() -> bool:
    """Whether the request's ``Accept`` prefers CSV to JSON (as the page cache reads it)."""
    return chosen_format(request.blueprint) == CSV_MIMETYPE


def _paging_asked() -> bool:
    return "page" in request.args or "per_page" in request.args


def page_of(items: Sequence[T], page: PaginationParameters) -> list[T]:
    """The page of ``items`` (a list already read whole: definitions, which are few)."""
    page.item_count = len(items)
    return list(items[page.first_item:page.first_item + page.page_size])


#: Where an app keeps its memo of the lists' CSV lines (:meth:`Paged.lines`), in
#: ``app.extensions``, and how many lines each worker keeps by default
#: (``CARD_MARKUP_ENTRIES``, as the action plan's lines).
LINES_EXTENSION = "cpt_api_csv_lines"
DEFAULT_LINE_ENTRIES = 16384
#: The column every page of a :class:`Paged` list carries: how many rows the whole list has.
LIST_TOTAL = "list_total"
#: The column of an item's JSON in a page of a :class:`Paged` list made with ``written``.
ITEM_JSON = "item_json"


class PageReads:
    """A page of a list, read once its format is known: :meth:`objects` for CSV, and
    :meth:`for_json` for JSON, whose items (or lists in them) may be JSON the database
    wrote already (``orjson.Fragment``, which the dump gives as it is); or, for a list
    whose CSV lines are kept (:meth:`Paged.lines`), :attr:`lines` for CSV instead of
    :meth:`objects`. Each sets the page's ``item_count`` as a list's function does."""

    __slots__ = ("_for_json", "_objects", "lines")

    def __init__(self, objects: Callable[[], Sequence[Any]],
                 for_json: Callable[[], Sequence[Any]],
                 lines: Callable[[Callable[[Any], str]], list[str]] | None = None) -> None:
        self._objects = objects
        self._for_json = for_json
        #: For CSV, where the list keeps its lines (:meth:`Paged.lines`): given the
        #: function writing an object's line, the page's lines.
        self.lines = lines

    def objects(self) -> Sequence[Any]:
        """The page's items as objects (what CSV, and the schema's dump, read)."""
        return self._objects()

    def for_json(self) -> Sequence[Any]:
        """The page's items for the schema's dump, as JSON may have them written."""
        return self._for_json()


class Paged:
    """A list read a page at a time: its statement (built once, with bind parameters for
    its filters) and a statement counting its rows.

    A council's own lists (its actions, meetings, members, reviews) are tens to hundreds of
    rows: each row of a page carries the number of rows of the whole list
    (:data:`LIST_TOTAL`), so a page with items is one statement; the count runs only for a
    page past the end, which has no row to carry it. The number is the count as a scalar
    subquery, which both databases run once for the statement, not a window count
    (``count(*) OVER ()``): a window copies every wide row through a sorter of its own
    before the page's, and took about two fifths of the time of a page of eighty actions
    on SQLite (300 µs rotating over the councils, against 189). A long list (``long``:
    every council, 1,530 at ten times national size) is counted apart on every page
    instead: its first page stops after a page's rows of an ordered index, which a count
    of every row in the same statement would not (2.2 ms where the two statements take
    0.9).

    Made with ``written`` (the schema of its items), a list's page may be read as the
    items' JSON, written by the database (:meth:`written_page`, :meth:`page_reads`): the
    same statement, its columns given to :func:`~core.database_json.json_of` by the
    names they are selected as, which must be the attributes the schema reads.

    Made with ``kept_lines``, a list's page as CSV keeps each line by its row
    (:meth:`lines`): only for a list whose CSV cells say nothing but what its row holds
    (no field worked out from the day, the language or the request)."""

    def __init__(self, statement: Select[Any], *, long: bool = False,
                 told_as: str | None = None, written: ma.Schema | None = None,
                 kept_lines: bool = False) -> None:
        if long and (written is not None or kept_lines):
            raise ValueError("a long list is counted apart: its items are not written by "
                             "the database, nor its lines kept")
        self.statement = statement
        self.long = long
        #: For a long list whose every change is told under a key of the revision notices
        #: (the councils: ``directory``, whose revision each writer of a council's row
        #: changes), that key: its count is then remembered as a revision is
        #: (:func:`core.revision_notices.remembered`), not counted on every page.
        self.told_as = told_as
        #: The page's statement, its limit and offset bound too: one statement object for
        #: every page, so SQLAlchemy computes its cache key once, not on every request.
        self.count = select(func.count()).select_from(statement.order_by(None).subquery())
        self.paged = (statement if long else statement.add_columns(
            self.count.scalar_subquery().label(LIST_TOTAL))).limit(
            bindparam("page_limit")).offset(bindparam("page_offset"))
        #: The page's statement giving each item's JSON (and the list's total), or None.
        self.written_paged = None if written is None else statement.with_only_columns(
            json_of(written, {column.key: column for column in statement.selected_columns}
                    ).label(ITEM_JSON),
            self.count.scalar_subquery().label(LIST_TOTAL), maintain_column_froms=True,
        ).limit(bindparam("page_limit")).offset(bindparam("page_offset"))
        #: The columns of JSON, by name, which :attr:`lines_paged` reads as the text the
        #: database holds (a row of text, numbers and dates is its own key; a row with a
        #: list in it is no key at all).
        self.json_names = tuple(column.key for column in statement.selected_columns
                                if isinstance(column.type, JSON))
        if kept_lines:
            _refuse_unkeyable(statement)
        #: The page's statement for :meth:`lines`, or None: its last column is the list's
        #: total, which a line is not kept by.
        self.lines_paged = None if not kept_lines else self.paged.with_only_columns(
            *(cast(column, Text).label(column.key) if column.key in self.json_names
              else column for column in self.paged.selected_columns),
            maintain_column_froms=True)

    def page(self, page: PaginationParameters, values: Mapping[str, Any]) -> list[Any]:
        """The rows of ``page`` as named tuples (the dump reads a tuple's attributes
        several times faster than a row's, and a page of a hundred councils or eighty
        actions reads a thousand), with the number of rows in all set on ``page``."""
        if self.long:
            page.item_count = self._long_count(values)
        rows = row_reads.tuples(self.paged, bound_to(page, values))
        if not self.long:
            page.item_count = total_of(rows, page, self.count, values)
        return rows

    def written_page(self, page: PaginationParameters, values: Mapping[str, Any]
                     ) -> list[Fragment]:
        """The items of ``page`` as the JSON the database wrote of each (a list made with
        ``written``), with the number of rows in all set on ``page``."""
        if self.written_paged is None:
            raise TypeError("this list was not made with the schema its items are written by")
        rows = row_reads.rows(self.written_paged, bound_to(page, values)).all()
        page.item_count = total_of(rows, page, self.count, values)
        return [Fragment(row[0]) for row in rows]

    def lines(self, page: PaginationParameters, values: Mapping[str, Any],
              write: Callable[[Any], str]) -> list[str]:
        """The CSV lines of ``page``'s rows, as ``write`` writes a row of :meth:`page`
        (a function kept for its schema, :func:`~core.api.tables.line_writer`), with the
        number of rows in all set on ``page``. Each line is kept by the writer and the row
        as read by :attr:`lines_paged` (:func:`core.widgets.keyed_memo`, as the action
        plan's lines): written again only when the row says something new. A row is
        given to ``write`` with its JSON read, as :meth:`page` gives it. The list's total,
        which every row carries, is not part of the key: a line stays kept when an item is
        added to the list, and one kept for the whole list serves a filtered one."""
        if self.lines_paged is None:
            raise TypeError("this list was not made with kept_lines")
        rows = row_reads.tuples(self.lines_paged, bound_to(page, values))
        page.item_count = total_of(rows, page, self.count, values)
        names, memo = self.json_names, keyed_memo(LINES_EXTENSION, "CARD_MARKUP_ENTRIES",
                                                  DEFAULT_LINE_ENTRIES)

        def written(row: Any) -> str:
            return write(row._replace(**{name: json_loads(text) for name in names
                                         if (text := getattr(row, name)) is not None}))
        return [memo.get((write, row[:-1]), partial(written, row)) for row in rows]

    def page_reads(self, page: PaginationParameters, values: Mapping[str, Any]) -> PageReads:
        """``page`` read in the format asked: its rows (:meth:`page`) for CSV, its items'
        JSON (:meth:`written_page`) for JSON; made with ``kept_lines``, its CSV lines
        (:meth:`lines`)."""
        return PageReads(partial(self.page, page, values),
                         partial(self.written_page, page, values),
                         None if self.lines_paged is None else partial(self.lines, page, values))

    def _long_count(self, values: Mapping[str, Any]) -> int:
        """How many rows the long list has: remembered under :attr:`told_as` (by the
        filters' values) while nothing is told of it, or counted."""
        def count() -> list[tuple[int]]:
            return [(row_reads.scalar(self.count, values),)]

        if self.told_as is None:
            return count()[0][0]
        rows = remembered(db.engine, self.told_as, count,
                          max_age=current_app.config["REVISION_NOTICE_MAX_AGE"],
                          part=f"count {sorted(values.items())!r}")
        return int(rows[0][0])


def _refuse_unkeyable(statement: Select[Any]) -> None:
    """Refuse a list whose lines cannot be kept by its rows: one with a column whose equal
    values may be written differently (a decimal's ``1.0`` and ``1.00``, the same instant
    in two time zones, a float's ``1`` and ``1.0``)."""
    for column in statement.selected_columns:
        kind = column.type
        if isinstance(kind, Numeric | Float) or (isinstance(kind, DateTime) and kind.timezone):
            raise ValueError(f"column {column.key!r} ({kind!r}): equal values may be written "
                             "differently, so a list's lines cannot be kept by its rows")


def bound_to(page: PaginationParameters, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with the limit and offset of ``page`` bound, as a paged statement
    (:attr:`Paged.paged`, or one built on its subquery) takes them."""
    return {**values, "page_limit": page.page_size, "page_offset": page.first_item}


def total_of(rows: Sequence[Any], page: PaginationParameters, count: Select[Any],
             values: Mapping[str, Any]) -> int:
    """How many rows the whole list has: what the page's rows carry
    (:data:`LIST_TOTAL`), none on a first page without rows, or counted by ``count`` for a
    page past the end."""
    if rows:
        return getattr(rows[0], LIST_TOTAL)
    if page.first_item == 0:
        return 0
    return row_reads.scalar(count, values)


class ApiBlueprint(Blueprint):
    """flask-smorest's blueprint with the API's lists (see the module docstring)."""

    ARGUMENTS_PARSER = QueryParser()
    PAGINATION_ARGUMENTS_PARSER = QueryParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The schema (made with ``many``) of each list registered by :meth:`listing`.
        self.list_schemas: list[ma.Schema] = []

    def paginate(self, pager: Any = None, **_: Any) -> Callable[[Any], Any]:  # type: ignore[override]
        """Paging by ``page`` and ``per_page``: the view gets ``pagination_parameters``
        and sets its ``item_count``; the headers are added to its response. A view that
        answers in CSV (marked ``csv_only``, or asked by ``Accept``) gets every row unless
        the request gives a paging parameter."""
        error = self.PAGINATION_ARGUMENTS_PARSER.DEFAULT_VALIDATION_STATUS

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                page = self.PAGINATION_ARGUMENTS_PARSER.parse(_PAGING, request,
                                                              location="query")
                csv = getattr(func, "csv_only", False) or wants_csv()
                if csv and not _paging_asked():
                    page.page, page.page_size = 1, ALL_ROWS
                response = func(*args, pagination_parameters=page, **kwargs)
                _, headers = self._set_pagination_metadata(page, response, {})
                response.headers.extend(headers)
                return response

            wrapper.__name__, wrapper.__doc__ = func.__name__, func.__doc__
            wrapper._apidoc = deepcopy(getattr(func, "_apidoc", {}))  # type: ignore[attr-defined]
            wrapper._apidoc["pagination"] = {  # type: ignore[attr-defined]
                "parameters": {"in": "query", "schema": PagingSchema},
                "response": {error: http.HTTPStatus(error).name}}
            return wrapper

        return decorator

    def _set_pagination_metadata(self, page_params: PaginationParameters, result: Any,
                                 headers: dict[str, str] | None) -> tuple[Any, dict[str, str]]:
        headers = {} if headers is None else headers
        header, meta = _page_metadata(page_params.page, page_params.page_size,
                                      page_params.item_count)
        headers[self.PAGINATION_HEADER_NAME] = header
        if page_params.page_size == ALL_ROWS:
            return result, headers  # one page: no links to others
        page_url = _page_urls()
        links = [f'<{page_url(meta[name])}>; rel="{rel}"' for rel, name in (
            ("first", "first_page"), ("prev", "previous_page"), ("next", "next_page"),
            ("last", "last_page")) if name in meta]
        if links:
            headers["Link"] = ", ".join(links)
        return result, headers

    def register_views_in_doc(self, api: Any, app: Any, spec: Any, *, name: str,
                              parameters: Any) -> None:
        """Write the views into ``api``'s OpenAPI document, or have it done when the
        document is first read if ``api`` offers that
        (:class:`core.api.DocumentedOnFirstRead`)."""
        write = partial(super().register_views_in_doc, api, app, spec, name=name,
                        parameters=parameters)
        later = getattr(api, "document_later", None)
        if later is None:
            write()
        else:
            later(write)

    def _document_pagination_metadata(self, spec: Any, resp_doc: dict[str, Any]) -> None:
        # A header's value is a string: flask-smorest documents X-Pagination by the schema
        # of the object it holds, which a client checking headers refuses; OpenAPI says a
        # header holding JSON is described by its content instead.
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = {
            "description": "The page's place in the list, as a JSON object.",
            "content": {"application/json": {"schema": PaginationMetadataSchema}}}
        resp_doc["headers"]["Link"] = {
            "description": "The URLs of the first, previous, next and last pages (RFC 8288), "
            "where there are such pages.", "schema": {"type": "string"}}

    def listing(self, rule: str, schema: type[ma.Schema], *, filename: str,
                query: type[ma.Schema] | None = None) -> Callable[[Any], Any]:
        """Register the decorated function as a list at ``rule`` (JSON, or CSV when asked
        by ``Accept``) and at ``rule.csv`` (CSV), paged, filtered by ``query``.

        The function is called with the page (set its ``item_count``), the filters (a
        dict, empty without ``query``) and the URL's values; it returns the page's items,
        or :class:`PageReads` to read them in the format asked.
        ``filename`` (without ``.csv``) may use the URL's values: ``{council}-actions``.
        """
        many = schema(many=True)
        self.list_schemas.append(many)
        # One instance for every request: given the class, webargs makes a schema (and
        # the reference cycles between it and its fields) on each request.
        filter_schema = None if query is None else query()

        def decorator(fetch: Callable[..., Sequence[Any] | PageReads]
                      ) -> Callable[..., Sequence[Any] | PageReads]:
            def render(csv: bool, **kwargs: Any) -> Response:
                page = kwargs.pop("pagination_parameters")
                filters = kwargs.pop("filters", {})
                objects = fetch(page, filters, **kwargs)
                lines = None
                if type(objects) is PageReads:
                    if not csv:
                        objects = objects.for_json()
                    elif objects.lines is not None:
                        lines = objects.lines(line_writer(many))
                    else:
                        objects = objects.objects()
                if not csv:
                    return jsonify(dumping.dumper(many)(objects))
                body = (csv_body_of_objects(many, objects) if lines is None
                        else csv_body_of_lines(many, lines))
                name = filename.format(council=getattr(g, "council", None) and g.council.slug,
                                       **kwargs)
                if page.page_size != ALL_ROWS:
                    name += f"-page-{page.page}"
                return Response(body, mimetype=CSV_MIMETYPE,
                                headers={"Content-Disposition": attachment(f"{name}.csv")})

            def negotiated(**kwargs: Any) -> Response:
                return render(wants_csv(), **kwargs)

            def as_csv(**kwargs: Any) -> Response:
                return render(True, **kwargs)

            name = fetch.__name__
            doc = (fetch.__doc__ or "").strip()
            for view, path, csv_only in ((negotiated, rule, False),
                                         (as_csv, f"{rule}.csv", True)):
                view.__name__ = f"{name}_csv" if csv_only else name
                view.__doc__ = (f"{doc}\n\nAs CSV: every row matching the filters, or one "
                                "page when `page` or `per_page` is given." if csv_only else
                                f"{doc}\n\nPaged (`page`, `per_page`; headers `X-Pagination` "
                                "and `Link`). As CSV with `Accept: text/csv`, or at the same "
                                "path with `.csv` added.")
                view.csv_only = csv_only  # type: ignore[attr-defined]
                wrapped = self.paginate()(view)
                if csv_only:
                    wrapped = self.response(200, CSV_SCHEMA, content_type=CSV_MIMETYPE,
                                            description="The list as CSV.")(wrapped)
                else:
                    wrapped = self.alt_response(200, schema=CSV_SCHEMA,
                                                content_type=CSV_MIMETYPE, success=True,
                                                description="The list (or as CSV).")(wrapped)
                    wrapped = self.response(200, many, description="The list (or as CSV)."
                                            )(wrapped)
                if filter_schema is not None:
                    wrapped = self.arguments(filter_schema, location="query",
                                             arg_name="filters")(wrapped)
                self.route(path, methods=["GET"], endpoint=view.__name__)(wrapped)
            return fetch

        return decorator


def _page_urls() -> Callable[[int], str]:
    """The URL of a page of the request's list by its number: the request's, its page
    changed (the request's URL and arguments read once for the page's links)."""
    base = base_url(request.scheme, request.host, request.root_path, request.path)
    args = request.args.to_dict(flat=False)

    def page_url(number: int) -> str:
        return f"{base}?{urlencode({**args, 'page': [str(number)]}, doseq=True)}"

    return page_url


#: The longest host and path whose URL :func:`base_url` keeps (a DNS name is at most 253
#: characters; a council's list's path is under a hundred): a Host header is the client's
#: to write, up to the server's limit of 8 KB, and :data:`KEPT_BASE_URLS` of those would
#: hold tens of megabytes.
KEPT_HOST, KEPT_PATH = 260, 512
#: How many URLs :func:`base_url` keeps (each well under a kilobyte).
KEPT_BASE_URLS = 4096


def base_url(scheme: str, host: str, root_path: str, path: str) -> str:
    """What Werkzeug gives as ``request.base_url`` for a request to ``path`` (the
    request's URL without its query), kept by what makes it when the host and path are of
    an ordinary length: Werkzeug makes it on each request and splits it again with urllib,
    whose memo of 128 URLs a worker answering more lists than that misses (20 µs a
    request). The host is the request's, checked against ``TRUSTED_HOSTS`` as ever."""
    if len(host) > KEPT_HOST or len(path) > KEPT_PATH:
        return get_current_url(scheme, host, root_path, path)
    return _kept_base_url(scheme, host, root_path, path)


_kept_base_url = lru_cache(maxsize=KEPT_BASE_URLS)(get_current_url)
