"""How work reaches the census worker: Kafka subscribers."""
