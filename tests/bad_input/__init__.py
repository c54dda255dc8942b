"""The bad-input corpus: bad files generated at test time from the real files in $LAPSTACK_DATA."""
