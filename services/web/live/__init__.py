"""Live updates: one LISTEN connection per web process fans read-model changes out to browsers."""
