"""Entry script of the frozen program: the same ``main`` as the ``talentdesk`` command."""

import multiprocessing
import sys

from talentdesk.cli import main

if __name__ == "__main__":
    # a batch of letters is drawn by worker processes (talentdesk.letters.press): in the frozen
    # program each worker starts as this executable and must stop here
    multiprocessing.freeze_support()
    sys.exit(main())
