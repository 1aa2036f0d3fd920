// Placeholder: the Ops module is being written.
