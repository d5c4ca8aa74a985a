"""reCAPTCHA tokens: a 2captcha-compatible solver and a pool of tokens solved ahead."""
