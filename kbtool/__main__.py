"""Allow ``python -m kbtool``."""

from kbtool.cli import main

if __name__ == "__main__":
    main()
