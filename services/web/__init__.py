"""The query side: projects every event into PostgreSQL read tables and serves the dashboard."""
