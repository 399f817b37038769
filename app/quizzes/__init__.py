"""Quizzes: knowledge tests per skill that survive bad connections, with item statistics."""
