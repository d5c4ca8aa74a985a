"""Hypothesis strategies for what a person, a script or a broken client may type into any field:
digits of other scripts and superscripts, numbers too long for int(), control characters and
NUL, very long strings, empty text. The three inputs that once answered 500 are named here so
every property test keeps them as explicit examples."""

from __future__ import annotations

from hypothesis import strategies as st

# Each is a digit for str.isdigit() but not a decimal 0-9: int() refuses some ('²') and reads
# others silently ('٣' is 3).
OTHER_DIGITS = "²³¹⁰⁹₂٣۴٥߂०१३৪๓໕༣၄៦᠑１９𝟙𝟡"
SUPERSCRIPT_TWO = "²"
FIVE_THOUSAND_DIGITS = "5" * 5_000  # int() refuses more than 4,300 digits
NON_ASCII_TOKEN = "tökén-ñ"  # a bearer token with latin-1 letters

_digits = st.text(st.sampled_from("0123456789" + OTHER_DIGITS), min_size=1, max_size=12)
_huge_numbers = st.one_of(
    st.integers(min_value=10**9, max_value=10**40).map(str),
    st.integers(min_value=-(10**12), max_value=-1).map(str),
    st.integers(min_value=4_200, max_value=6_000).map(lambda n: "9" * n),
)
_controls = st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=8)
_long = st.integers(min_value=1_000, max_value=20_000).map(lambda n: "Á" * n)
_decorated = st.tuples(st.text(max_size=4), _digits, st.text(max_size=4)).map("".join)


def field_values() -> st.SearchStrategy[str]:
    """Any text a form or JSON field may receive, weighted towards what breaks parsers."""
    return st.one_of(
        st.just(""),
        st.sampled_from([SUPERSCRIPT_TWO, FIVE_THOUSAND_DIGITS, "\x00", "٣", "1e400", "NaN"]),
        _digits,
        _decorated,
        _huge_numbers,
        _controls,
        _long,
        st.text(max_size=40),
    )


def header_values() -> st.SearchStrategy[bytes]:
    """Header values as raw bytes: latin-1 and UTF-8 letters, other-script digits, controls
    that HTTP still lets through (tab), and very long ones."""
    text = st.one_of(field_values().map(lambda s: s[:8_000]), st.just(NON_ASCII_TOKEN))
    as_bytes = st.one_of(
        text.map(lambda s: s.encode("utf-8")),
        text.map(lambda s: s.encode("latin-1", errors="ignore")),
        st.binary(max_size=64),
    )
    # What HTTP/1.1 lets through (tab, visible ASCII, any byte from 0x80): the client refuses
    # to send other controls.
    return as_bytes.map(lambda b: bytes(c for c in b if c == 9 or 32 <= c != 127).strip())
