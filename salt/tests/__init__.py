# Tests for the Salt adapter: python3 -m unittest discover -s tests -t .  (run from salt/)
import logging

# The modules log warnings on purpose in some cases; keep test output readable.
logging.getLogger().addHandler(logging.NullHandler())
