"""`python -m core.settings` prints the README's "Environment variables" table from the declarations."""

from core.settings.variables import markdown_table

print(markdown_table())
