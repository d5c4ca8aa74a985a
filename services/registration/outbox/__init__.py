"""The outbox relay: publishes committed outbox rows to Kafka in order per key, one relay at a
time."""
