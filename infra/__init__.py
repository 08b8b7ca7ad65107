"""Adapters and runtime: settings, PostgreSQL, Temporal, payload encryption, document storage."""
