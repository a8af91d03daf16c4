"""Developer commands that are not part of the library or the test suite (CI helpers, screenshots)."""
