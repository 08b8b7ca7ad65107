"""The web pages for officials: server-rendered, Vietnamese first, served under / beside /api."""
