"""System administration: staff accounts (by privileged accounts only)."""
