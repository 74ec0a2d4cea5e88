"""Markdown shared by every stage: one parser configuration, one reading of a document's
structure (:func:`kbtool.markdown.document.parse`) and one heading slugger, so lint,
normalize, import and export all see the document a renderer sees."""
