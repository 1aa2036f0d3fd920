// Placeholder: the Hashing module is being written.
