"""Decisions that award many (one number, an annex of awardees), signing forms and delegation."""
