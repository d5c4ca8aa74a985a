"""The use case: look a cédula up, publish what the census said, plan a retry if any."""
