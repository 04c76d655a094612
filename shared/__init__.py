"""The services' common kernel: events, envelope, event store, messaging, auth and HTTP edge."""
