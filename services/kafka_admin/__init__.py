"""Reading and steering Kafka for people: topics, consumer groups, records, dead letters and the
audit of operator actions. Below both the web service and the operators' CLI; imports neither."""
