"""Self-check pages: the live evaluation of a space against each policy, the overview and evidence checklists."""
