"""The `awards` command line, one module per command group."""
