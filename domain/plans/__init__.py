"""Plans and their tasks: reading a plan, the tasks of section III, assignments per unit, follow-up."""
