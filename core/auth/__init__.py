"""Authentication: passwords, server-side sessions, API tokens, login throttling."""
