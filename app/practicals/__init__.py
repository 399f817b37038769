"""Practical assessments: observation sessions at a Posyandu, checklist ticks, results."""
