"""Read models of the event log (lists, inboxes), kept up to date in the background."""
