"""Personal access tokens: made, listed and revoked by their owners, used by the API."""
