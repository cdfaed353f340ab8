"""`python -m kezdocs` is the `kezdocs` command."""
from .cli import main

main(prog_name="kezdocs")
