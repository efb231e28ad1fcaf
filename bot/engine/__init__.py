"""The answer engine: loads the FAQ, validates it and matches questions. Never imports discord."""
