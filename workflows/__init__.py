"""Temporal workflows: the award process over time (people to wait for, deadlines, escalation)."""
