"""The edges: HTTP routes, the WebSocket handler and the pages."""
