"""Who may do what: roles and the one list of commands, accounts, invites."""
