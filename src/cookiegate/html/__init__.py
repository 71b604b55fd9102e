"""HTML scanning and gating: a streaming tokenizer over bytes and the gate built on it."""
