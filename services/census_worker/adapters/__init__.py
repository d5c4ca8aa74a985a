"""What wraps a census source on its way to the use case: metrics, politeness, coalescing."""
