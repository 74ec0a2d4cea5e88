"""Export: the base as a PDF cheat sheet, an Anki deck, or one JSON document.

One module per format behind :class:`~kbtool.export.base.Exporter`, looked up in
``kbtool.export.registry``.
"""
