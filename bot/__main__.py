"""`python -m bot`: the same program as the `faqbot` console script."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
