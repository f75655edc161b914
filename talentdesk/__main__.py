import sys

from talentdesk.cli import main

sys.exit(main())
