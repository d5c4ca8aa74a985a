"""Pure rules of the worker: what a lookup answers, what is asked, when to retry, when to wait."""
