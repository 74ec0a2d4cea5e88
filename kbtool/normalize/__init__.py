"""Normalize: small ordered steps that make imported Markdown render right."""
