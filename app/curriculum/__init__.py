"""Curriculum: the 25 skills as versioned data, its loader and sync, and the learning pages."""
