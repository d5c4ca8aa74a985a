"""The census lookup: from a cédula to a classified `LookupResult`.

`factory.open_census_source(settings)` builds the configured source; `model` holds the result and the
`CensusSource` port; `classify` reads the site's replies (pure); `captcha` and `token_pool` get
reCAPTCHA tokens; `browser` and `chromium` run Chromium; `wsp` and `wsp_page` drive the `wsp` site.
"""
