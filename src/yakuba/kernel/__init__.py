"""The shared kernel: small, pure, exactly-tested helpers every business uses (dates, codes, text)."""
