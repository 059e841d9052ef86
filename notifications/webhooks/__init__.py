"""Webhook delivery: signing, the SSRF guard and the HTTP transport."""
