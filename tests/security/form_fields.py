"""The fields of every form the web app posts, found where a browser finds them: in the pages
(`<form>` with its inputs, selects and textareas; htmx buttons with `hx-post` and the fields their
`hx-include` names), together with the values the page offers (options, hidden and filled-in
values), and completed from the handler's own reads (`form.get("x")`, `read_list(request, "x")`)
for fields a page shows only in some states."""

from __future__ import annotations

import inspect
import re
from collections import defaultdict
from html.parser import HTMLParser

from litestar import Litestar

from tests.security.routes import Route

_HANDLER_READS = re.compile(r'(?:\.get|getall|read_list\(request,)\(?\s*"(\w+)"')
_INCLUDED_NAME = re.compile(r"name=(\w+)")
_INCLUDED_FORM = re.compile(r"#([\w-]+)$")
CSRF_FIELD = "_csrf_token"

Fields = dict[str, set[str]]  # field name -> the values a page offered for it


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.by_action: dict[str, Fields] = defaultdict(lambda: defaultdict(set))
        self.by_id: dict[str, Fields] = {}
        self.includes: list[tuple[str, str]] = []  # (hx-post action, hx-include selector)
        self._form: Fields | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = defaultdict(set)
            if a.get("id"):
                self.by_id[a["id"]] = self._form
            if a.get("method", "get").lower() == "post" and a.get("action"):
                self.by_action[a["action"]] = self._form
        elif tag in ("input", "select", "textarea") and self._form is not None and a.get("name"):
            self._form[a["name"]].update([a["value"]] if a.get("value") else [])
            self._select = a["name"] if tag == "select" else None
        elif tag == "option" and self._form is not None and self._select and a.get("value"):
            self._form[self._select].add(a["value"])
        if a.get("hx-post"):
            self.includes.append((a["hx-post"], a.get("hx-include", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None

    def close(self) -> None:
        super().close()
        for action, selector in self.includes:
            fields = self.by_action[action]
            for name in _INCLUDED_NAME.findall(selector):
                fields.setdefault(name, set())
            if (form := _INCLUDED_FORM.search(selector)) and form[1] in self.by_id:
                for name, values in self.by_id[form[1]].items():
                    fields[name] |= values


def forms_in(html: str) -> dict[str, Fields]:
    """Every form a page can post, by the path it posts to."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return {action: dict(fields) for action, fields in parser.by_action.items()}


def handler_reads(app: Litestar, route: Route) -> set[str]:
    """The form fields the route's handler reads by name."""
    handler = next(
        h
        for r in app.routes
        if r.path == route.path
        for h in r.route_handlers
        if h.name == route.name
    )
    return set(_HANDLER_READS.findall(inspect.getsource(handler.fn)))


def matches(route: Route, action: str) -> bool:
    pattern = re.sub(r"\\\{\w+:\w+\\\}", "[^/]+", re.escape(route.path))
    return re.fullmatch(pattern, action) is not None
