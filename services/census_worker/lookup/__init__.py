"""The census lookup: from a cédula to a classified `LookupResult`.

`factory.open_census_source(settings)` builds the configured source; `model` holds the result and
the `CensusSource` port; `guard` turns any failure into a result; `classify` and
`classify_consultacenso` read each site's replies (pure); `captcha` and `token_pool` get reCAPTCHA
tokens; `browser`, `browser_memory`, `chromium`, `chromium_features` and `stealth` run Chromium;
`wsp`/`wsp_page` and `consultacenso`/`consultacenso_page` drive the two site variants, with
`page_tools` shared.
"""
