"""Progress: competency and level rules, and the pages that show a kader's progress."""
