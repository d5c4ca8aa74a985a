"""Who is browsing: server-side sessions, the route → role table and the guard that applies it."""
