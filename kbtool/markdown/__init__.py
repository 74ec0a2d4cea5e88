"""Markdown shared by every stage: one parser configuration and one heading slugger,
so an anchor that lints clean resolves the same way in every export."""
