"""The application: commands and queries, activities, projections, the API, worker and CLI."""
