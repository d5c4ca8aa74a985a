"""What the variants' reply classifiers share: decoding, JSON, the firewall page, text folding."""
