"""What every capability shares: actors and roles, errors, messages."""
