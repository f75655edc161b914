"""Entry script of the frozen program: the same ``main`` as the ``talentdesk`` command."""

import sys

from talentdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
