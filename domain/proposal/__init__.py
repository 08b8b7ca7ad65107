"""One award proposal: the aggregate, its steps, states, forms and decisions.

Events stored before this package existed name their class by the topic
``domain.proposal:Proposal.<Event>``; the aggregate is importable here so those topics still
resolve to the same classes (new events are stored under ``domain.proposal.aggregate``).
"""

from domain.proposal.aggregate import DecisionNumberReservation, Proposal

__all__ = ["DecisionNumberReservation", "Proposal"]
