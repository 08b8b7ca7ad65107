"""Vietnamese and English: the message catalogue and the labels."""
