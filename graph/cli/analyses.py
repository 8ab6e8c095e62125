"""Commands: see module docstring once implemented."""
