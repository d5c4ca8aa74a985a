"""The census lookup in Chromium: from a cédula to a classified `LookupResult`.

`factory.open_lookup_stack(settings)` builds the configured source with its browser and captcha
client; `guard` turns any failure into a result; `page_tools` holds the page steps both variants
share. By concern: `browser/` runs Chromium, `captcha/` gets reCAPTCHA tokens, `wsp/` and
`consultacenso/` drive one site variant each (page, source, pure reply classifier), `replies/`
holds what the classifiers share.
"""
