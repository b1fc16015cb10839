"""The service layer: owns transactions, calls the domain, persists and publishes."""
