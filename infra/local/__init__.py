"""Start and stop the project's own Kafka broker and PostgreSQL cluster on this machine."""
