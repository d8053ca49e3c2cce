"""Messages to users: in the application (an inbox) and by e-mail (console backend by default)."""
