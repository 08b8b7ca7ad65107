"""The HTTP API (FastAPI): thin routes that translate requests into application commands."""
