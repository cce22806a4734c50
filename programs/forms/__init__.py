# One module per concern.
