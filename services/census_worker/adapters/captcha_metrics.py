"""The captcha spend on the worker's metrics, read from the lookup's ledger at scrape time:
solves by result, tokens expired unused, the estimated spend and the account's balance."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from services.census_worker.lookup.captcha.spend import CaptchaSpend


class CaptchaSpendReadings(Collector):
    def __init__(self, spend: CaptchaSpend) -> None:
        self._spend = spend

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        spend = self._spend
        solves = CounterMetricFamily(
            "census_captcha_solves", "Captcha solves by result.", labels=["result"]
        )
        for result, count in sorted(spend.solves.items()):
            solves.add_metric([result], count)
        yield solves
        yield CounterMetricFamily(
            "census_captcha_tokens_expired",
            "Tokens solved ahead and discarded unused (too old).",
            value=spend.expired,
        )
        yield GaugeMetricFamily(
            "census_captcha_spend_estimated",
            "Solved captchas × CENSUS_CAPTCHA_PRICE_PER_1000 / 1000 since start.",
            value=spend.estimated,
        )
        if spend.balance is not None:
            yield GaugeMetricFamily(
                "census_captcha_balance",
                "Balance of the captcha account, last read.",
                value=spend.balance,
            )
