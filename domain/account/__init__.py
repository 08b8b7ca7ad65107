"""Accounts: who may sign in to the pages, and the record of every change to their password."""
