"""FastF1 API sessions: dynamic partitions, the gap report asset and the quota-aware sensor."""
