"""The Jinja environment of the pages: autoescaped templates plus the formatting filters."""

from __future__ import annotations

from pathlib import Path

from litestar.plugins.jinja import JinjaTemplateEngine as Engine
from litestar.template.config import TemplateConfig

from schemas.personal import is_erased_cedula
from services.web.views import formatting, labels

TEMPLATES = Path(__file__).parent / "templates"


def _register_helpers(engine: Engine) -> None:
    env = engine.engine
    env.autoescape = True  # everything a user typed is escaped, in pages and fragments alike
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters.update(
        date_time=formatting.date_time,
        date_only=formatting.date_only,
        duration=formatting.duration,
        number=formatting.number,
        cedula=formatting.cedula,
        telefono=formatting.telefono,
        role_label=labels.role_label,
        status_label=labels.status_label,
    )
    env.tests["erased_cedula"] = is_erased_cedula  # `{% if row.cedula is erased_cedula %}`
    env.globals.update(status_choices=labels.status_choices(), STUCK_LABEL=labels.STUCK_LABEL)


def template_config() -> TemplateConfig[Engine]:
    return TemplateConfig(directory=TEMPLATES, engine=Engine, engine_callback=_register_helpers)
