"""Use cases: proposals, steps, ballots, the directory, tokens."""
