"""The HTTP edge shared by every API: app factory, error shape, auth, health and metrics."""
