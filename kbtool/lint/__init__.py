"""Lint: check the base (or any Markdown file) and report problems as values.

Layout after yamllint: ``document`` parses a file once, ``rules/`` holds one module
per rule, ``linter`` runs them, ``formatters`` present the problems.
"""
