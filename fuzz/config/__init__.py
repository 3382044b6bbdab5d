"""How a run is configured: the option value types, and the typed configuration the CLI builds for a run."""
