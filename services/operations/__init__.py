"""The operators' command line (`censo ops …`): on top of the web service and kafka_admin;
nothing imports it."""
