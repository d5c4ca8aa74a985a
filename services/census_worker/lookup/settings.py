"""Settings of one census lookup: which variant of the Registraduría's site, the captcha service
and the browser, read from the environment (`CENSUS_*`) with development defaults."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SourceName = Literal["wsp", "consultacenso"]
DOMAIN = "registraduria.gov.co"  # the real site's hosts end with it
WSP_SITEKEY = "6LcthjAgAAAAAFIQLxy52074zanHv47cIvmIHglH"
CONSULTACENSO_SITEKEY = "6LeLRw0tAAAAAOfUZZ34vi2KKHjukhLhQ5lfzuLM"


class LookupSettings(BaseSettings):
    """How one cédula is looked up in the Registraduría's census."""

    model_config = SettingsConfigDict(env_prefix="CENSUS_", extra="ignore")

    source: SourceName = Field(
        default="wsp",
        description="Which variant of the Registraduría's lookup site to use (when `sources` "
        "is not set).",
    )
    sources: Annotated[tuple[SourceName, ...], NoDecode] = Field(
        default=(),
        description="Variants in rotation, in order of preference (`wsp,consultacenso`); each "
        "is a census host with its own budget. Empty: just `source`.",
    )
    wsp_url: str = Field(
        default="https://wsp.registraduria.gov.co/censo/consultar/",
        description="Page of the `wsp` lookup (the simulator's /censo/consultar/ in development).",
    )
    wsp_sitekey: str = Field(
        default=WSP_SITEKEY,
        description="reCAPTCHA sitekey used when the page does not show one in div.g-recaptcha.",
    )
    consultacenso_url: str = Field(
        default="https://consultacenso.registraduria.gov.co/",
        description="Page of the `consultacenso` lookup (the simulator's /consultacenso/ in "
        "development); its API is <page>/back/api/.",
    )
    consultacenso_sitekey: str = Field(
        default=CONSULTACENSO_SITEKEY,
        description="reCAPTCHA sitekey of consultacenso, used when its page does not show one.",
    )
    max_reloads: int = Field(
        default=2, ge=0, le=5, description="Page reloads when the site answers `reload: true`."
    )
    captcha_base_url: str = Field(
        default="https://2captcha.com",
        description="Base URL of the 2captcha-compatible API (the simulator in development).",
    )
    captcha_api_key: SecretStr = Field(
        default=SecretStr(""), description="API key of the captcha-solving service."
    )
    captcha_poll_interval_s: float = Field(
        default=5.0, gt=0, description="Pause between two polls of res.php for a solved token."
    )
    captcha_solve_timeout_s: float = Field(
        default=180.0, gt=0, description="Give up on a captcha not solved within this time."
    )
    captcha_pool_size: int = Field(
        default=0,
        ge=0,
        le=20,
        description="Tokens kept solved ahead of time (0 disables; every pooled token is paid for, "
        "used or not).",
    )
    captcha_token_max_age_s: float = Field(
        default=90.0,
        gt=0,
        description="Discard pooled tokens older than this (the site accepts them ~120 s).",
    )
    captcha_price_per_1000: float = Field(
        default=2.99,
        ge=0,
        description="Price of 1000 solved captchas (2captcha's reCAPTCHA v2: 2.99 USD), for the "
        "estimated spend.",
    )
    captcha_low_balance: float = Field(
        default=5.0,
        ge=0,
        description="Below this balance of the captcha account the worker logs a warning (once).",
    )
    captcha_balance_check_interval_s: float = Field(
        default=600.0, gt=0, description="How often the worker reads the captcha account's balance."
    )
    chromium_path: str = Field(
        default="/usr/bin/chromium", description="Chromium executable Playwright launches."
    )
    headless: bool = Field(default=True, description="Run Chromium without a window.")
    max_concurrent_lookups: int = Field(
        default=4, ge=1, le=64, description="Lookups (browser contexts) open at once per worker."
    )
    page_timeout_s: float = Field(
        default=30.0, gt=0, description="Timeout of every browser action (navigation, click, wait)."
    )
    recycle_after_lookups: int = Field(
        default=500, ge=1, description="Restart Chromium after this many lookups (memory hygiene)."
    )
    browser_max_rss_mb: int = Field(
        default=1500,
        ge=0,
        description="Recycle Chromium when its processes' resident memory adds up to more than "
        "this (MB; a page shared by n processes counts 1/n in each); 0 disables the check.",
    )
    browser_memory_check_interval_s: float = Field(
        default=30.0,
        ge=0,
        description="Read Chromium's memory at most this often (0 = before every lookup).",
    )
    block_unneeded: bool = Field(
        default=True,
        description="Do not load what a lookup never uses: images, fonts, media, Google's "
        "reCAPTCHA widget (the token is solved elsewhere and injected) and analytics.",
    )
    reuse_pages: bool = Field(
        default=True,
        description="Keep each lookup slot's page (and its context) warm for the next lookup, "
        "its cookies and storage wiped first; off = a new context for every lookup.",
    )
    stealth: bool = Field(
        default=False,
        description="Hide automation traces from the site (playwright-stealth's evasions, or "
        "just navigator.webdriver when that library is missing).",
    )
    user_agent: str | None = Field(
        default=None,
        description="User agent of every browser context; None = desktop Chrome of the launched "
        "Chromium's version (the headless default trips the site's firewall).",
    )

    @field_validator("sources", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value

    @property
    def rotation(self) -> tuple[SourceName, ...]:
        """The variants the worker uses, in order of preference, without repeats."""
        return tuple(dict.fromkeys(self.sources or (self.source,)))

    @property
    def live(self) -> bool:
        """Live mode: a page in rotation is the Registraduría's own site (not the simulator)."""
        hosts = (urlsplit(self.page_url_of(name)).hostname or "" for name in self.rotation)
        return any(h == DOMAIN or h.endswith("." + DOMAIN) for h in hosts)

    @property
    def page_url(self) -> str:
        """The lookup page of the preferred variant."""
        return self.page_url_of(self.rotation[0])

    @property
    def sitekey(self) -> str:
        """The fallback reCAPTCHA sitekey of the preferred variant."""
        return self.sitekey_of(self.rotation[0])

    def page_url_of(self, variant: SourceName) -> str:
        return self.consultacenso_url if variant == "consultacenso" else self.wsp_url

    def sitekey_of(self, variant: SourceName) -> str:
        return self.consultacenso_sitekey if variant == "consultacenso" else self.wsp_sitekey
