"""Secret ballots: rules, ElGamal, the election key, sealed ballots and boxes."""
