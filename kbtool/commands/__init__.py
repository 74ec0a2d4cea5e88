"""One module per stage command; each defines ``command`` (a click command) that only
parses options, calls the stage and turns its result into output and an exit code."""
