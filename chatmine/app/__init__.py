"""The commands' jobs, each calling the stages top to bottom."""
