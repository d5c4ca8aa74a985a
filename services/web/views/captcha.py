"""How the captcha account reads on Operación: solves, expired tokens, the estimated spend, the
balance and a warning in Spanish when it runs low or out."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.events import CaptchaAccountState
from services.web.views.formatting import date_time


@dataclass(frozen=True)
class CaptchaView:
    solves: int
    expired: int
    spend: str
    balance: str
    checked_at: str
    warning: str | None


def usd(value: float) -> str:
    """US$ 1.234,50: dollars the Colombian way."""
    whole, cents = f"{value:,.2f}".split(".")
    return f"US$ {whole.replace(',', '.')},{cents}"


def captcha_view(account: CaptchaAccountState) -> CaptchaView:
    return CaptchaView(
        solves=account.solves,
        expired=account.expired,
        spend=usd(account.spend_usd),
        balance=usd(account.balance_usd) if account.balance_usd is not None else "sin consultar",
        checked_at=date_time(account.balance_checked_at),
        warning=balance_warning(account),
    )


def balance_warning(account: CaptchaAccountState) -> str | None:
    if account.balance_usd is not None and account.balance_usd <= 0:
        return (
            "La cuenta del servicio de captchas no tiene saldo: los trabajadores no pueden "
            "resolver captchas y las consultas al censo se detienen. Recárguela."
        )
    if account.low:
        balance, threshold = usd(account.balance_usd or 0), usd(account.low_balance_usd)
        return (
            f"El saldo de la cuenta del servicio de captchas es bajo ({balance}; se avisa por "
            f"debajo de {threshold}). Recárguela pronto."
        )
    return None
