"""Local simulator of the Registraduría census lookup (`wsp` and `consultacenso`) and of 2captcha.

Other code uses `create_app(SimulatorSettings(...))` to serve it and `outcome_for(cedula)` to know
beforehand what it will answer for a cédula.
"""

from .app import create_app
from .census import Census, outcome_for
from .consultacenso import SITEKEY as CONSULTACENSO_SITEKEY
from .form import PAGE_PATH, SITEKEY
from .outcome import Novedad, Outcome, OutcomeKind, VotingPlace
from .settings import SimulatorSettings

__all__ = [
    "CONSULTACENSO_SITEKEY",
    "PAGE_PATH",
    "SITEKEY",
    "Census",
    "Novedad",
    "Outcome",
    "OutcomeKind",
    "SimulatorSettings",
    "VotingPlace",
    "create_app",
    "outcome_for",
]
