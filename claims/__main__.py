"""Run the command line as ``python -m claims``."""

from claims.cli import cli

if __name__ == "__main__":
    cli(prog_name="claims")
