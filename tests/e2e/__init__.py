"""Browser tests of the pages."""
