"""Local infrastructure: the embedded Kafka and PostgreSQL, and the Registraduría simulator."""
