"""What every service uses: settings base, logging, Kafka and database factories."""
