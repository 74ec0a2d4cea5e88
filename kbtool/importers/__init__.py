"""Import: raw notes of every kind into entries.

One module per format, each behind the :class:`~kbtool.importers.base.Importer`
protocol and listed in ``kbtool.importers.registry``; ``kbtool.importers.pipeline``
runs detection, normalization, id assignment and the idempotent write.
"""
