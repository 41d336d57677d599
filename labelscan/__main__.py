"""Run labelscan as `python -m labelscan`."""

from .cli import main

main()
