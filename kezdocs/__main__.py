"""`python -m kezdocs` is the `kezdocs` command."""
from kezdocs.cli import main

main(prog_name="kezdocs")
