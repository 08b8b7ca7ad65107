"""The pure model of award approval: proposals, ballots, award forms and decision numbers."""
