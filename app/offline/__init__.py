"""Offline use on a phone: web app manifest, service worker, and replay of queued writes."""
