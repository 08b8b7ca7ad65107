"""Eligibility: the award register, holds on nominees, and the rules a nomination must pass
(one module per rule; ``check.check_all`` runs them all)."""
