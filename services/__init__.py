"""The three services of the system and the small package they share."""
