"""The rulebook: every number and list of the domain's rules, versioned by legal effective date."""
