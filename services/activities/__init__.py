"""Temporal activities: where workflows touch the event store."""
