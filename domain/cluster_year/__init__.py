"""A cluster's (or block's) emulation year: pledge, criteria, scores, ranking, conference."""
