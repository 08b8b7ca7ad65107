"""The organisation per emulation year: units, clusters and blocks, the council, people."""
