"""Census worker: looks cédulas up in the Registraduría's electoral census."""
