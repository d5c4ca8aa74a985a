"""How work reaches the worker: Kafka subscribers and retries, the CLI, the metrics endpoint."""
