"""What the analysis leaves for other tools: the JSON Lines export."""
