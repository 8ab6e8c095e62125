"""The offline HTML explorer."""
