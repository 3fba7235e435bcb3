"""Reading a reviewed .docx back: which block each paragraph came from, what the
reviewer changed (tracked or not), their notes and comments, and carrying the
edits back into the brief or the library."""
