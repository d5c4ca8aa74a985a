"""Read-side queries: what the pages and the JSON API show. No business rules live here."""

from services.web.queries.census import census_for_user

__all__ = ["census_for_user"]
