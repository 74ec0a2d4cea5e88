"""Coverage of the base: what is answered, drafted, how hard, from where, and repeated."""
