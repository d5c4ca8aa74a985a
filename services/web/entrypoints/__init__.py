"""HTTP routes and Kafka subscribers of the web service."""
