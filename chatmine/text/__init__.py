"""The words of a message: tokens, @mentions, speakers' names, the topic taxonomy."""
