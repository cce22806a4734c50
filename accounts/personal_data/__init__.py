"""A person's own data: the export of everything the portal holds about them, and deleting their account."""
