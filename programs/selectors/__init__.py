# Reads that grow complex, one module per concern.
