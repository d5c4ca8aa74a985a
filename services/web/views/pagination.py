"""Page numbers and the links between pages, keeping the filters in the address."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass(frozen=True)
class Pagination:
    number: int
    size: int
    total: int
    params: dict[str, str] = field(default_factory=dict)  # the filters, without the page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def first_row(self) -> int:
        return 0 if self.total == 0 else (self.number - 1) * self.size + 1

    @property
    def last_row(self) -> int:
        return min(self.number * self.size, self.total)

    def query(self, number: int | None = None) -> str:
        """`?estado=…&q=…&pagina=n` for page `number` (this page when None)."""
        params = {k: v for k, v in self.params.items() if v}
        if (number or self.number) > 1:
            params["pagina"] = str(number or self.number)
        return "?" + urlencode(params) if params else "?"

    @property
    def filter_query(self) -> str:
        """The filters alone (for the CSV link), or an empty string."""
        params = {k: v for k, v in self.params.items() if v}
        return "?" + urlencode(params) if params else ""

    @property
    def previous(self) -> str | None:
        return self.query(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.query(self.number + 1) if self.number < self.pages else None


def page_number(raw: int | str | None) -> int:
    try:
        return max(1, min(int(raw or 1), 1_000_000))
    except ValueError:
        return 1
