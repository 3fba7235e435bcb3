"""lettersmith: advocacy letters from a YAML brief and a snippet library."""
