"""The council's session (phiên họp Hội đồng): agenda, attendance, quorum, recusal, list ballot."""
