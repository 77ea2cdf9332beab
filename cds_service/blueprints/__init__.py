"""One blueprint per concern: discovery, hooks, health, knowledge pages."""
