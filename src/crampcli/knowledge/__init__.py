"""The knowledge base: its model, loading, validation, caches and importer. Never prints."""
