"""Analysing what was read: threads, questions and their answers, Q&A pages worth publishing, topics."""
