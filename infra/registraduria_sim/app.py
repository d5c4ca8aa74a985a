"""Composition root of the Registraduría simulator: both site variants and the 2captcha API."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, get
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from .captcha import CaptchaSolver
from .consultacenso import consultacenso_router
from .page_weight import page_asset
from .settings import SimulatorSettings
from .simulator import Simulator
from .twocaptcha import submit_task, task_result
from .wsp import consultar, consultar_page


def create_app(settings: SimulatorSettings | None = None) -> Litestar:
    """Build a fresh simulator (own sessions, captchas and dice); reads the census data file."""
    settings = settings or SimulatorSettings()
    sim = Simulator.build(settings)

    def provide_sim() -> Simulator:
        return sim

    def provide_solver() -> CaptchaSolver:
        return sim.solver

    @get("/_sim/requests", sync_to_thread=False, include_in_schema=False)
    def logged_requests() -> list[dict[str, object]]:
        return sim.request_log.as_json() if sim.request_log else []

    return Litestar(
        before_request=sim.request_log.record if sim.request_log else None,
        route_handlers=[
            *([logged_requests] if sim.request_log else []),
            consultar_page,
            consultar,
            consultacenso_router(settings.consultacenso_prefix),
            page_asset,
            submit_task,
            task_result,
        ],
        dependencies={
            "sim": Provide(provide_sim, sync_to_thread=False),
            "solver": Provide(provide_solver, sync_to_thread=False),
        },
        template_config=TemplateConfig(
            directory=Path(__file__).parent / "templates", engine=JinjaTemplateEngine
        ),
        openapi_config=None,
        logging_config=None,  # the process's own (uvicorn's, or `censo infra simulator`'s) stays
    )
