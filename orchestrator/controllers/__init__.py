"""Controllers: each reconciles one kind of desired state with what exists, once per simulated tick."""
