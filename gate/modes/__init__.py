"""The modes of prodgate: what each sub-command does, below the command line that dispatches to them."""
