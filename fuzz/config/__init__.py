"""How a run is configured: the option value types, and the typed configuration the CLI builds for the gate and the campaign."""
