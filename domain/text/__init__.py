"""Text as the office writes it: the outline convention, Vietnamese helpers, citations, deadlines, diffs."""
