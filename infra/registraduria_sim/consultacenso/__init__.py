"""The `consultacenso` variant: a single-page app and its JSON API under a configurable prefix.

`routes.consultacenso_router(prefix)` serves it; `request` reads the consulta, `bodies` builds the
answers, `answer` applies the site's checks and faults in order.
"""

from .request import ELECTIONS, SITEKEY
from .routes import consultacenso_router

__all__ = ["ELECTIONS", "SITEKEY", "consultacenso_router"]
