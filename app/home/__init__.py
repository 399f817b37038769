"""The role-aware home page: real figures from the user's own scope (above every domain it counts)."""
