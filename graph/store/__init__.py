"""Reading, validating and writing the data files."""
