"""The ground floor every layer imports: where things are (settings) and process-wide defaults (runtime)."""
