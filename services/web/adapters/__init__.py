"""PostgreSQL read tables of the web service."""
