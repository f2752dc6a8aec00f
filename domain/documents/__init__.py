"""An official document's life: the workflow transition table and the reviewer's view."""
