"""kbtool: turn messy interview-prep notes into a clean, checked knowledge base.

Data flows one way: import -> normalize -> store -> lint -> export. Each stage is a
subpackage; the CLI (``kbtool.cli``) only parses arguments and calls them.
"""

__version__ = "0.1.0"
