"""A small bundled list of passwords people pick first (global leaks plus Colombian favourites).

Only entries of 8+ characters matter, as shorter ones fail the length rule first. Compared
case-insensitively.
"""

from __future__ import annotations

_COMMON = """
12345678 123456789 1234567890 0123456789 11111111 00000000 12341234 87654321 11223344 12121212
123123123 1q2w3e4r 1qaz2wsx qwertyui qwerty123 qwertyuiop asdfghjk asdf1234 zxcvbnm1 abcd1234
abc12345 abcdefgh password password1 password123 passw0rd p@ssw0rd iloveyou iloveyou1 sunshine
princess football baseball superman batman123 starwars whatever trustno1 welcome1 welcome123
letmein1 monkey123 dragon123 master123 michael1 jennifer charlie1 computer internet samsung1
contraseña contrasena contrasena1 contraseña1 contraseña123 contrasena123 colombia colombia1
colombia123 colombia2022 colombia2026 bogota123 medellin medellin1 medellin123 barranquilla
cartagena bucaramanga teamo123 teamomucho amorcito amorcito1 princesa princesa1 tequiero
tequiero1 mariposa mariposa1 corazon1 corazon123 millonarios nacional1 nacional123 americadecali
juniorfc santafe1 estrella1 angelito chocolate familia1 familia123 jesucristo diosesamor
diosmeama bendecido registro registraduria cedula123 usuario1 usuario123 administrador admin123
clave123 clave1234 miclave1 secreto1 holamundo hola1234 12345abc qazwsxedc zaq12wsx q1w2e3r4
""".split()  # noqa: SIM905 - a word block reads better than 120 quoted strings

COMMON_PASSWORDS = frozenset(word.casefold() for word in _COMMON)


def is_common_password(password: str) -> bool:
    return password.casefold() in COMMON_PASSWORDS
