"""Page steps both site variants share: loading the form, its sitekey, and placing the token."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Response

from schemas.census import CensusStatus
from services.census_worker.domain.model import LookupResult
from services.census_worker.lookup.replies.reading import is_firewall_page

_INTERRUPTED = "is interrupted by another navigation"
# What a person does on the form before the click, in one round trip: each field set as typing
# or choosing would (input and change events), then what the reCAPTCHA widget does once solved:
# the token in #g-recaptcha-response. The click itself stays a real (trusted) one.
_FILL = """({fields, token}) => {
  for (const [selector, value] of Object.entries(fields)) {
    const field = document.querySelector(selector);
    if (!field) { throw new Error(`the form has no ${selector}`); }
    field.value = value;
    if (field.value !== value) { throw new Error(`${selector} has no option ${value}`); }
    for (const kind of ["input", "change"]) {
      field.dispatchEvent(new Event(kind, {bubbles: true}));
    }
  }
  let area = document.querySelector('#g-recaptcha-response');
  if (!area) {  // Google's widget did not render it: the form still has to send the field
    area = document.createElement('textarea');
    area.id = area.name = 'g-recaptcha-response';
    area.style.display = 'none';
    (document.querySelector('form') || document.body).appendChild(area);
  }
  area.value = token;
  area.innerHTML = token;
}"""
# Whether the form is there, and the sitekey its widget shows, in one round trip.
_FORM_STATE = """([form, widget]) => ({
  present: document.querySelector(form) !== null,
  sitekey: document.querySelector(widget)?.getAttribute('data-sitekey') || null,
})"""
_WIDGET = "div.g-recaptcha[data-sitekey]"
# Where a person would click `selector`: its centre, once it is in view and has kept its place
# for two animation frames, and only if a click there lands on it (nothing covers it) and it is
# enabled; else null.
_CLICK_POINT = """async (selector) => {
  const target = document.querySelector(selector);
  if (!target) { return null; }
  target.scrollIntoView({block: "nearest", inline: "nearest"});  // no scroll when in view
  const centre = () => {
    const box = target.getBoundingClientRect();
    return [box.left + box.width / 2, box.top + box.height / 2];
  };
  const before = centre();
  const frames = new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  // A hidden page draws no frame: its wait ends with the timer.
  await Promise.race([frames, new Promise((done) => setTimeout(done, 200))]);
  const [x, y] = centre();
  const hit = document.elementFromPoint(x, y);
  const clear = hit !== null && (hit === target || target.contains(hit));
  return clear && !target.disabled && x === before[0] && y === before[1] ? [x, y] : null;
}"""


@dataclass(frozen=True, slots=True)
class Form:
    """The lookup form, loaded; `sitekey` is what its reCAPTCHA widget shows (None: none)."""

    sitekey: str | None


@dataclass(frozen=True, slots=True)
class ConsultaReply:
    """The answer to the consulta POST; `body` is None when the page reloaded before it was read."""

    status: int
    body: bytes | None


async def load(page: Page, url: str, attempts: int) -> Response | None:
    """GET the page, again while it answers 5xx (the site has an occasional flaky 500).

    A page that reloads itself (the site's script does when a reply says `reload: true`) can
    interrupt our navigation: let its own finish, then GET again."""
    response: Response | None = None
    for _ in range(attempts):
        try:
            response = await page.goto(url, wait_until="domcontentloaded")
        except PlaywrightError as error:
            if _INTERRUPTED not in str(error):
                raise
            await page.wait_for_load_state("domcontentloaded")
            continue
        if response is None or response.status < 500:
            break
    return response


async def open_form(
    page: Page, url: str, *, form_selector: str, source: str, attempts: int = 2
) -> Form | LookupResult:
    """The form when it is there; else why not (firewall page, HTTP errors after a retry)."""
    response = await load(page, url, attempts)
    status = response.status if response is not None else None
    if status is None or status < 400:
        state = await page.evaluate(_FORM_STATE, [form_selector, _WIDGET])
        if state["present"]:
            return Form(sitekey=state["sitekey"])
    content = await page.content()
    if is_firewall_page(content):
        reason = f"firewall page: se presentó un evento de seguridad (HTTP {status})"
        return LookupResult.failure(CensusStatus.BLOCKED, source, reason, content)
    reason = f"the lookup form did not load (HTTP {status})"
    if status is not None and status < 400:  # the page came, without its form: it changed
        return LookupResult.unrecognised(source, reason, content)
    return LookupResult.failure(CensusStatus.ERROR, source, reason, content)


async def fill_form(page: Page, fields: dict[str, str], captcha_token: str) -> None:
    """Each `fields` selector set to its value, and the solved captcha's token placed."""
    await page.evaluate(_FILL, {"fields": fields, "token": captcha_token})


async def click(page: Page, selector: str) -> None:
    """A real (trusted) mouse click on `selector`, at its centre. Playwright's `page.click`
    compiles its selector engine in the page after every navigation and checks the element in
    several round trips; one `evaluate` finds the point, and where it cannot vouch for it
    (covered, moving, disabled, missing) Playwright's own click, with its waits, does the job."""
    point = await page.evaluate(_CLICK_POINT, selector)
    if point is None:
        await page.click(selector)
    else:
        await page.mouse.click(point[0], point[1])
